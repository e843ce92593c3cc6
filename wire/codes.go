// Request and response codes of the RocketMQ remoting protocol.
//
// Source of the numbers: the Java classes
// org.apache.rocketmq.remoting.protocol.RequestCode,
// org.apache.rocketmq.remoting.protocol.ResponseCode and
// org.apache.rocketmq.remoting.protocol.RemotingSysResponseCode of Apache
// RocketMQ 5.3.0 through 5.3.3. The set is the union over those releases:
// the ACL 1.0 codes that 5.3.3 dropped are kept, since 5.3.0-5.3.2 tools
// still send them. Constant names are the Java names in CamelCase.

package wire

import "strconv"

// RequestCode is the code of a remoting request (Java RequestCode).
type RequestCode int32

// ResponseCode is the code of a remoting response (Java ResponseCode and
// RemotingSysResponseCode).
type ResponseCode int32

// Request codes, in ascending numeric order.
const (
	// SendMessage is SEND_MESSAGE (10).
	SendMessage RequestCode = 10
	// PullMessage is PULL_MESSAGE (11).
	PullMessage RequestCode = 11
	// QueryMessage is QUERY_MESSAGE (12).
	QueryMessage RequestCode = 12
	// QueryBrokerOffset is QUERY_BROKER_OFFSET (13).
	QueryBrokerOffset RequestCode = 13
	// QueryConsumerOffset is QUERY_CONSUMER_OFFSET (14).
	QueryConsumerOffset RequestCode = 14
	// UpdateConsumerOffset is UPDATE_CONSUMER_OFFSET (15).
	UpdateConsumerOffset RequestCode = 15
	// UpdateAndCreateTopic is UPDATE_AND_CREATE_TOPIC (17).
	UpdateAndCreateTopic RequestCode = 17
	// UpdateAndCreateTopicList is UPDATE_AND_CREATE_TOPIC_LIST (18).
	UpdateAndCreateTopicList RequestCode = 18
	// GetAllTopicConfig is GET_ALL_TOPIC_CONFIG (21).
	GetAllTopicConfig RequestCode = 21
	// GetTopicConfigList is GET_TOPIC_CONFIG_LIST (22).
	GetTopicConfigList RequestCode = 22
	// GetTopicNameList is GET_TOPIC_NAME_LIST (23).
	GetTopicNameList RequestCode = 23
	// UpdateBrokerConfig is UPDATE_BROKER_CONFIG (25).
	UpdateBrokerConfig RequestCode = 25
	// GetBrokerConfig is GET_BROKER_CONFIG (26).
	GetBrokerConfig RequestCode = 26
	// TriggerDeleteFiles is TRIGGER_DELETE_FILES (27).
	TriggerDeleteFiles RequestCode = 27
	// GetBrokerRuntimeInfo is GET_BROKER_RUNTIME_INFO (28).
	GetBrokerRuntimeInfo RequestCode = 28
	// SearchOffsetByTimestamp is SEARCH_OFFSET_BY_TIMESTAMP (29).
	SearchOffsetByTimestamp RequestCode = 29
	// GetMaxOffset is GET_MAX_OFFSET (30).
	GetMaxOffset RequestCode = 30
	// GetMinOffset is GET_MIN_OFFSET (31).
	GetMinOffset RequestCode = 31
	// GetEarliestMsgStoretime is GET_EARLIEST_MSG_STORETIME (32).
	GetEarliestMsgStoretime RequestCode = 32
	// ViewMessageById is VIEW_MESSAGE_BY_ID (33).
	ViewMessageById RequestCode = 33
	// HeartBeat is HEART_BEAT (34).
	HeartBeat RequestCode = 34
	// UnregisterClient is UNREGISTER_CLIENT (35).
	UnregisterClient RequestCode = 35
	// ConsumerSendMsgBack is CONSUMER_SEND_MSG_BACK (36).
	ConsumerSendMsgBack RequestCode = 36
	// EndTransaction is END_TRANSACTION (37).
	EndTransaction RequestCode = 37
	// GetConsumerListByGroup is GET_CONSUMER_LIST_BY_GROUP (38).
	GetConsumerListByGroup RequestCode = 38
	// CheckTransactionState is CHECK_TRANSACTION_STATE (39).
	CheckTransactionState RequestCode = 39
	// NotifyConsumerIdsChanged is NOTIFY_CONSUMER_IDS_CHANGED (40).
	NotifyConsumerIdsChanged RequestCode = 40
	// LockBatchMq is LOCK_BATCH_MQ (41).
	LockBatchMq RequestCode = 41
	// UnlockBatchMq is UNLOCK_BATCH_MQ (42).
	UnlockBatchMq RequestCode = 42
	// GetAllConsumerOffset is GET_ALL_CONSUMER_OFFSET (43).
	GetAllConsumerOffset RequestCode = 43
	// GetAllDelayOffset is GET_ALL_DELAY_OFFSET (45).
	GetAllDelayOffset RequestCode = 45
	// CheckClientConfig is CHECK_CLIENT_CONFIG (46).
	CheckClientConfig RequestCode = 46
	// GetClientConfig is GET_CLIENT_CONFIG (47).
	GetClientConfig RequestCode = 47
	// UpdateAndCreateAclConfig is UPDATE_AND_CREATE_ACL_CONFIG (50), ACL 1.0, 5.3.0-5.3.2 only.
	UpdateAndCreateAclConfig RequestCode = 50
	// DeleteAclConfig is DELETE_ACL_CONFIG (51), ACL 1.0, 5.3.0-5.3.2 only.
	DeleteAclConfig RequestCode = 51
	// GetBrokerClusterAclInfo is GET_BROKER_CLUSTER_ACL_INFO (52), ACL 1.0, 5.3.0-5.3.2 only.
	GetBrokerClusterAclInfo RequestCode = 52
	// UpdateGlobalWhiteAddrsConfig is UPDATE_GLOBAL_WHITE_ADDRS_CONFIG (53), ACL 1.0, 5.3.0-5.3.2 only.
	UpdateGlobalWhiteAddrsConfig RequestCode = 53
	// GetBrokerClusterAclConfig is GET_BROKER_CLUSTER_ACL_CONFIG (54), ACL 1.0, deprecated, 5.3.0-5.3.2 only.
	GetBrokerClusterAclConfig RequestCode = 54
	// GetTimerCheckPoint is GET_TIMER_CHECK_POINT (60).
	GetTimerCheckPoint RequestCode = 60
	// GetTimerMetrics is GET_TIMER_METRICS (61).
	GetTimerMetrics RequestCode = 61
	// PutKvConfig is PUT_KV_CONFIG (100).
	PutKvConfig RequestCode = 100
	// GetKvConfig is GET_KV_CONFIG (101).
	GetKvConfig RequestCode = 101
	// DeleteKvConfig is DELETE_KV_CONFIG (102).
	DeleteKvConfig RequestCode = 102
	// RegisterBroker is REGISTER_BROKER (103).
	RegisterBroker RequestCode = 103
	// UnregisterBroker is UNREGISTER_BROKER (104).
	UnregisterBroker RequestCode = 104
	// GetRouteinfoByTopic is GET_ROUTEINFO_BY_TOPIC (105).
	GetRouteinfoByTopic RequestCode = 105
	// GetBrokerClusterInfo is GET_BROKER_CLUSTER_INFO (106).
	GetBrokerClusterInfo RequestCode = 106
	// UpdateAndCreateSubscriptiongroup is UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200).
	UpdateAndCreateSubscriptiongroup RequestCode = 200
	// GetAllSubscriptiongroupConfig is GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201).
	GetAllSubscriptiongroupConfig RequestCode = 201
	// GetTopicStatsInfo is GET_TOPIC_STATS_INFO (202).
	GetTopicStatsInfo RequestCode = 202
	// GetConsumerConnectionList is GET_CONSUMER_CONNECTION_LIST (203).
	GetConsumerConnectionList RequestCode = 203
	// GetProducerConnectionList is GET_PRODUCER_CONNECTION_LIST (204).
	GetProducerConnectionList RequestCode = 204
	// WipeWritePermOfBroker is WIPE_WRITE_PERM_OF_BROKER (205).
	WipeWritePermOfBroker RequestCode = 205
	// GetAllTopicListFromNameserver is GET_ALL_TOPIC_LIST_FROM_NAMESERVER (206).
	GetAllTopicListFromNameserver RequestCode = 206
	// DeleteSubscriptiongroup is DELETE_SUBSCRIPTIONGROUP (207).
	DeleteSubscriptiongroup RequestCode = 207
	// GetConsumeStats is GET_CONSUME_STATS (208).
	GetConsumeStats RequestCode = 208
	// SuspendConsumer is SUSPEND_CONSUMER (209).
	SuspendConsumer RequestCode = 209
	// ResumeConsumer is RESUME_CONSUMER (210).
	ResumeConsumer RequestCode = 210
	// ResetConsumerOffsetInConsumer is RESET_CONSUMER_OFFSET_IN_CONSUMER (211).
	ResetConsumerOffsetInConsumer RequestCode = 211
	// ResetConsumerOffsetInBroker is RESET_CONSUMER_OFFSET_IN_BROKER (212).
	ResetConsumerOffsetInBroker RequestCode = 212
	// AdjustConsumerThreadPool is ADJUST_CONSUMER_THREAD_POOL (213).
	AdjustConsumerThreadPool RequestCode = 213
	// WhoConsumeTheMessage is WHO_CONSUME_THE_MESSAGE (214).
	WhoConsumeTheMessage RequestCode = 214
	// DeleteTopicInBroker is DELETE_TOPIC_IN_BROKER (215).
	DeleteTopicInBroker RequestCode = 215
	// DeleteTopicInNamesrv is DELETE_TOPIC_IN_NAMESRV (216).
	DeleteTopicInNamesrv RequestCode = 216
	// RegisterTopicInNamesrv is REGISTER_TOPIC_IN_NAMESRV (217).
	RegisterTopicInNamesrv RequestCode = 217
	// GetKvlistByNamespace is GET_KVLIST_BY_NAMESPACE (219).
	GetKvlistByNamespace RequestCode = 219
	// ResetConsumerClientOffset is RESET_CONSUMER_CLIENT_OFFSET (220).
	ResetConsumerClientOffset RequestCode = 220
	// GetConsumerStatusFromClient is GET_CONSUMER_STATUS_FROM_CLIENT (221).
	GetConsumerStatusFromClient RequestCode = 221
	// InvokeBrokerToResetOffset is INVOKE_BROKER_TO_RESET_OFFSET (222).
	InvokeBrokerToResetOffset RequestCode = 222
	// InvokeBrokerToGetConsumerStatus is INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223).
	InvokeBrokerToGetConsumerStatus RequestCode = 223
	// GetTopicsByCluster is GET_TOPICS_BY_CLUSTER (224).
	GetTopicsByCluster RequestCode = 224
	// UpdateAndCreateSubscriptiongroupList is UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST (225), added in 5.3.1.
	UpdateAndCreateSubscriptiongroupList RequestCode = 225
	// QueryTopicConsumeByWho is QUERY_TOPIC_CONSUME_BY_WHO (300).
	QueryTopicConsumeByWho RequestCode = 300
	// RegisterFilterServer is REGISTER_FILTER_SERVER (301).
	RegisterFilterServer RequestCode = 301
	// RegisterMessageFilterClass is REGISTER_MESSAGE_FILTER_CLASS (302).
	RegisterMessageFilterClass RequestCode = 302
	// QueryConsumeTimeSpan is QUERY_CONSUME_TIME_SPAN (303).
	QueryConsumeTimeSpan RequestCode = 303
	// GetSystemTopicListFromNs is GET_SYSTEM_TOPIC_LIST_FROM_NS (304).
	GetSystemTopicListFromNs RequestCode = 304
	// GetSystemTopicListFromBroker is GET_SYSTEM_TOPIC_LIST_FROM_BROKER (305).
	GetSystemTopicListFromBroker RequestCode = 305
	// CleanExpiredConsumequeue is CLEAN_EXPIRED_CONSUMEQUEUE (306).
	CleanExpiredConsumequeue RequestCode = 306
	// GetConsumerRunningInfo is GET_CONSUMER_RUNNING_INFO (307).
	GetConsumerRunningInfo RequestCode = 307
	// QueryCorrectionOffset is QUERY_CORRECTION_OFFSET (308).
	QueryCorrectionOffset RequestCode = 308
	// ConsumeMessageDirectly is CONSUME_MESSAGE_DIRECTLY (309).
	ConsumeMessageDirectly RequestCode = 309
	// SendMessageV2 is SEND_MESSAGE_V2 (310).
	SendMessageV2 RequestCode = 310
	// GetUnitTopicList is GET_UNIT_TOPIC_LIST (311).
	GetUnitTopicList RequestCode = 311
	// GetHasUnitSubTopicList is GET_HAS_UNIT_SUB_TOPIC_LIST (312).
	GetHasUnitSubTopicList RequestCode = 312
	// GetHasUnitSubUnunitTopicList is GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST (313).
	GetHasUnitSubUnunitTopicList RequestCode = 313
	// CloneGroupOffset is CLONE_GROUP_OFFSET (314).
	CloneGroupOffset RequestCode = 314
	// ViewBrokerStatsData is VIEW_BROKER_STATS_DATA (315).
	ViewBrokerStatsData RequestCode = 315
	// CleanUnusedTopic is CLEAN_UNUSED_TOPIC (316).
	CleanUnusedTopic RequestCode = 316
	// GetBrokerConsumeStats is GET_BROKER_CONSUME_STATS (317).
	GetBrokerConsumeStats RequestCode = 317
	// UpdateNamesrvConfig is UPDATE_NAMESRV_CONFIG (318).
	UpdateNamesrvConfig RequestCode = 318
	// GetNamesrvConfig is GET_NAMESRV_CONFIG (319).
	GetNamesrvConfig RequestCode = 319
	// SendBatchMessage is SEND_BATCH_MESSAGE (320).
	SendBatchMessage RequestCode = 320
	// QueryConsumeQueue is QUERY_CONSUME_QUEUE (321).
	QueryConsumeQueue RequestCode = 321
	// QueryDataVersion is QUERY_DATA_VERSION (322).
	QueryDataVersion RequestCode = 322
	// ResumeCheckHalfMessage is RESUME_CHECK_HALF_MESSAGE (323).
	ResumeCheckHalfMessage RequestCode = 323
	// SendReplyMessage is SEND_REPLY_MESSAGE (324).
	SendReplyMessage RequestCode = 324
	// SendReplyMessageV2 is SEND_REPLY_MESSAGE_V2 (325).
	SendReplyMessageV2 RequestCode = 325
	// PushReplyMessageToClient is PUSH_REPLY_MESSAGE_TO_CLIENT (326).
	PushReplyMessageToClient RequestCode = 326
	// AddWritePermOfBroker is ADD_WRITE_PERM_OF_BROKER (327).
	AddWritePermOfBroker RequestCode = 327
	// GetAllProducerInfo is GET_ALL_PRODUCER_INFO (328).
	GetAllProducerInfo RequestCode = 328
	// DeleteExpiredCommitlog is DELETE_EXPIRED_COMMITLOG (329).
	DeleteExpiredCommitlog RequestCode = 329
	// QueryTopicsByConsumer is QUERY_TOPICS_BY_CONSUMER (343).
	QueryTopicsByConsumer RequestCode = 343
	// QuerySubscriptionByConsumer is QUERY_SUBSCRIPTION_BY_CONSUMER (345).
	QuerySubscriptionByConsumer RequestCode = 345
	// GetTopicConfig is GET_TOPIC_CONFIG (351).
	GetTopicConfig RequestCode = 351
	// GetSubscriptiongroupConfig is GET_SUBSCRIPTIONGROUP_CONFIG (352).
	GetSubscriptiongroupConfig RequestCode = 352
	// UpdateAndGetGroupForbidden is UPDATE_AND_GET_GROUP_FORBIDDEN (353).
	UpdateAndGetGroupForbidden RequestCode = 353
	// CheckRocksdbCqWriteProgress is CHECK_ROCKSDB_CQ_WRITE_PROGRESS (354), added in 5.3.1.
	CheckRocksdbCqWriteProgress RequestCode = 354
	// ExportRocksdbConfigToJson is EXPORT_ROCKSDB_CONFIG_TO_JSON (355), added in 5.3.2.
	ExportRocksdbConfigToJson RequestCode = 355
	// LitePullMessage is LITE_PULL_MESSAGE (361).
	LitePullMessage RequestCode = 361
	// RecallMessage is RECALL_MESSAGE (370), added in 5.3.2.
	RecallMessage RequestCode = 370
	// QueryAssignment is QUERY_ASSIGNMENT (400).
	QueryAssignment RequestCode = 400
	// SetMessageRequestMode is SET_MESSAGE_REQUEST_MODE (401).
	SetMessageRequestMode RequestCode = 401
	// GetAllMessageRequestMode is GET_ALL_MESSAGE_REQUEST_MODE (402).
	GetAllMessageRequestMode RequestCode = 402
	// UpdateAndCreateStaticTopic is UPDATE_AND_CREATE_STATIC_TOPIC (513).
	UpdateAndCreateStaticTopic RequestCode = 513
	// GetBrokerMemberGroup is GET_BROKER_MEMBER_GROUP (901).
	GetBrokerMemberGroup RequestCode = 901
	// AddBroker is ADD_BROKER (902).
	AddBroker RequestCode = 902
	// RemoveBroker is REMOVE_BROKER (903).
	RemoveBroker RequestCode = 903
	// BrokerHeartbeat is BROKER_HEARTBEAT (904).
	BrokerHeartbeat RequestCode = 904
	// NotifyMinBrokerIdChange is NOTIFY_MIN_BROKER_ID_CHANGE (905).
	NotifyMinBrokerIdChange RequestCode = 905
	// ExchangeBrokerHaInfo is EXCHANGE_BROKER_HA_INFO (906).
	ExchangeBrokerHaInfo RequestCode = 906
	// GetBrokerHaStatus is GET_BROKER_HA_STATUS (907).
	GetBrokerHaStatus RequestCode = 907
	// ResetMasterFlushOffset is RESET_MASTER_FLUSH_OFFSET (908).
	ResetMasterFlushOffset RequestCode = 908
	// ControllerAlterSyncStateSet is CONTROLLER_ALTER_SYNC_STATE_SET (1001).
	ControllerAlterSyncStateSet RequestCode = 1001
	// ControllerElectMaster is CONTROLLER_ELECT_MASTER (1002).
	ControllerElectMaster RequestCode = 1002
	// ControllerRegisterBroker is CONTROLLER_REGISTER_BROKER (1003).
	ControllerRegisterBroker RequestCode = 1003
	// ControllerGetReplicaInfo is CONTROLLER_GET_REPLICA_INFO (1004).
	ControllerGetReplicaInfo RequestCode = 1004
	// ControllerGetMetadataInfo is CONTROLLER_GET_METADATA_INFO (1005).
	ControllerGetMetadataInfo RequestCode = 1005
	// ControllerGetSyncStateData is CONTROLLER_GET_SYNC_STATE_DATA (1006).
	ControllerGetSyncStateData RequestCode = 1006
	// GetBrokerEpochCache is GET_BROKER_EPOCH_CACHE (1007).
	GetBrokerEpochCache RequestCode = 1007
	// NotifyBrokerRoleChanged is NOTIFY_BROKER_ROLE_CHANGED (1008).
	NotifyBrokerRoleChanged RequestCode = 1008
	// UpdateControllerConfig is UPDATE_CONTROLLER_CONFIG (1009).
	UpdateControllerConfig RequestCode = 1009
	// GetControllerConfig is GET_CONTROLLER_CONFIG (1010).
	GetControllerConfig RequestCode = 1010
	// CleanBrokerData is CLEAN_BROKER_DATA (1011).
	CleanBrokerData RequestCode = 1011
	// ControllerGetNextBrokerId is CONTROLLER_GET_NEXT_BROKER_ID (1012).
	ControllerGetNextBrokerId RequestCode = 1012
	// ControllerApplyBrokerId is CONTROLLER_APPLY_BROKER_ID (1013).
	ControllerApplyBrokerId RequestCode = 1013
	// BrokerCloseChannelRequest is BROKER_CLOSE_CHANNEL_REQUEST (1014).
	BrokerCloseChannelRequest RequestCode = 1014
	// CheckNotActiveBrokerRequest is CHECK_NOT_ACTIVE_BROKER_REQUEST (1015).
	CheckNotActiveBrokerRequest RequestCode = 1015
	// GetBrokerLiveInfoRequest is GET_BROKER_LIVE_INFO_REQUEST (1016).
	GetBrokerLiveInfoRequest RequestCode = 1016
	// GetSyncStateDataRequest is GET_SYNC_STATE_DATA_REQUEST (1017).
	GetSyncStateDataRequest RequestCode = 1017
	// RaftBrokerHeartBeatEventRequest is RAFT_BROKER_HEART_BEAT_EVENT_REQUEST (1018).
	RaftBrokerHeartBeatEventRequest RequestCode = 1018
	// UpdateColdDataFlowCtrConfig is UPDATE_COLD_DATA_FLOW_CTR_CONFIG (2001).
	UpdateColdDataFlowCtrConfig RequestCode = 2001
	// RemoveColdDataFlowCtrConfig is REMOVE_COLD_DATA_FLOW_CTR_CONFIG (2002).
	RemoveColdDataFlowCtrConfig RequestCode = 2002
	// GetColdDataFlowCtrInfo is GET_COLD_DATA_FLOW_CTR_INFO (2003).
	GetColdDataFlowCtrInfo RequestCode = 2003
	// SetCommitlogReadMode is SET_COMMITLOG_READ_MODE (2004).
	SetCommitlogReadMode RequestCode = 2004
	// AuthCreateUser is AUTH_CREATE_USER (3001).
	AuthCreateUser RequestCode = 3001
	// AuthUpdateUser is AUTH_UPDATE_USER (3002).
	AuthUpdateUser RequestCode = 3002
	// AuthDeleteUser is AUTH_DELETE_USER (3003).
	AuthDeleteUser RequestCode = 3003
	// AuthGetUser is AUTH_GET_USER (3004).
	AuthGetUser RequestCode = 3004
	// AuthListUser is AUTH_LIST_USER (3005).
	AuthListUser RequestCode = 3005
	// AuthCreateAcl is AUTH_CREATE_ACL (3006).
	AuthCreateAcl RequestCode = 3006
	// AuthUpdateAcl is AUTH_UPDATE_ACL (3007).
	AuthUpdateAcl RequestCode = 3007
	// AuthDeleteAcl is AUTH_DELETE_ACL (3008).
	AuthDeleteAcl RequestCode = 3008
	// AuthGetAcl is AUTH_GET_ACL (3009).
	AuthGetAcl RequestCode = 3009
	// AuthListAcl is AUTH_LIST_ACL (3010).
	AuthListAcl RequestCode = 3010
	// PopMessage is POP_MESSAGE (200050).
	PopMessage RequestCode = 200050
	// AckMessage is ACK_MESSAGE (200051).
	AckMessage RequestCode = 200051
	// PeekMessage is PEEK_MESSAGE (200052).
	PeekMessage RequestCode = 200052
	// ChangeMessageInvisibletime is CHANGE_MESSAGE_INVISIBLETIME (200053).
	ChangeMessageInvisibletime RequestCode = 200053
	// Notification is NOTIFICATION (200054).
	Notification RequestCode = 200054
	// PollingInfo is POLLING_INFO (200055).
	PollingInfo RequestCode = 200055
	// PopRollback is POP_ROLLBACK (200056), added in 5.3.2.
	PopRollback RequestCode = 200056
	// BatchAckMessage is BATCH_ACK_MESSAGE (200151).
	BatchAckMessage RequestCode = 200151
)

// Response codes, in ascending numeric order. Codes 0-4 come from
// RemotingSysResponseCode, the rest from ResponseCode.
const (
	// RpcTimeOut is RPC_TIME_OUT (-1006).
	RpcTimeOut ResponseCode = -1006
	// RpcSendToChannelFailed is RPC_SEND_TO_CHANNEL_FAILED (-1004).
	RpcSendToChannelFailed ResponseCode = -1004
	// RpcAddrIsNull is RPC_ADDR_IS_NULL (-1002).
	RpcAddrIsNull ResponseCode = -1002
	// RpcUnknown is RPC_UNKNOWN (-1000).
	RpcUnknown ResponseCode = -1000
	// Success is SUCCESS (0).
	Success ResponseCode = 0
	// SystemError is SYSTEM_ERROR (1).
	SystemError ResponseCode = 1
	// SystemBusy is SYSTEM_BUSY (2).
	SystemBusy ResponseCode = 2
	// RequestCodeNotSupported is REQUEST_CODE_NOT_SUPPORTED (3).
	RequestCodeNotSupported ResponseCode = 3
	// TransactionFailed is TRANSACTION_FAILED (4).
	TransactionFailed ResponseCode = 4
	// FlushDiskTimeout is FLUSH_DISK_TIMEOUT (10).
	FlushDiskTimeout ResponseCode = 10
	// SlaveNotAvailable is SLAVE_NOT_AVAILABLE (11).
	SlaveNotAvailable ResponseCode = 11
	// FlushSlaveTimeout is FLUSH_SLAVE_TIMEOUT (12).
	FlushSlaveTimeout ResponseCode = 12
	// MessageIllegal is MESSAGE_ILLEGAL (13).
	MessageIllegal ResponseCode = 13
	// ServiceNotAvailable is SERVICE_NOT_AVAILABLE (14).
	ServiceNotAvailable ResponseCode = 14
	// VersionNotSupported is VERSION_NOT_SUPPORTED (15).
	VersionNotSupported ResponseCode = 15
	// NoPermission is NO_PERMISSION (16).
	NoPermission ResponseCode = 16
	// TopicNotExist is TOPIC_NOT_EXIST (17).
	TopicNotExist ResponseCode = 17
	// TopicExistAlready is TOPIC_EXIST_ALREADY (18).
	TopicExistAlready ResponseCode = 18
	// PullNotFound is PULL_NOT_FOUND (19).
	PullNotFound ResponseCode = 19
	// PullRetryImmediately is PULL_RETRY_IMMEDIATELY (20).
	PullRetryImmediately ResponseCode = 20
	// PullOffsetMoved is PULL_OFFSET_MOVED (21).
	PullOffsetMoved ResponseCode = 21
	// QueryNotFound is QUERY_NOT_FOUND (22).
	QueryNotFound ResponseCode = 22
	// SubscriptionParseFailed is SUBSCRIPTION_PARSE_FAILED (23).
	SubscriptionParseFailed ResponseCode = 23
	// SubscriptionNotExist is SUBSCRIPTION_NOT_EXIST (24).
	SubscriptionNotExist ResponseCode = 24
	// SubscriptionNotLatest is SUBSCRIPTION_NOT_LATEST (25).
	SubscriptionNotLatest ResponseCode = 25
	// SubscriptionGroupNotExist is SUBSCRIPTION_GROUP_NOT_EXIST (26).
	SubscriptionGroupNotExist ResponseCode = 26
	// FilterDataNotExist is FILTER_DATA_NOT_EXIST (27).
	FilterDataNotExist ResponseCode = 27
	// FilterDataNotLatest is FILTER_DATA_NOT_LATEST (28).
	FilterDataNotLatest ResponseCode = 28
	// InvalidParameter is INVALID_PARAMETER (29), added in 5.3.2.
	InvalidParameter ResponseCode = 29
	// TransactionShouldCommit is TRANSACTION_SHOULD_COMMIT (200).
	TransactionShouldCommit ResponseCode = 200
	// TransactionShouldRollback is TRANSACTION_SHOULD_ROLLBACK (201).
	TransactionShouldRollback ResponseCode = 201
	// TransactionStateUnknow is TRANSACTION_STATE_UNKNOW (202).
	TransactionStateUnknow ResponseCode = 202
	// TransactionStateGroupWrong is TRANSACTION_STATE_GROUP_WRONG (203).
	TransactionStateGroupWrong ResponseCode = 203
	// NoBuyerId is NO_BUYER_ID (204).
	NoBuyerId ResponseCode = 204
	// NotInCurrentUnit is NOT_IN_CURRENT_UNIT (205).
	NotInCurrentUnit ResponseCode = 205
	// ConsumerNotOnline is CONSUMER_NOT_ONLINE (206).
	ConsumerNotOnline ResponseCode = 206
	// ConsumeMsgTimeout is CONSUME_MSG_TIMEOUT (207).
	ConsumeMsgTimeout ResponseCode = 207
	// NoMessage is NO_MESSAGE (208).
	NoMessage ResponseCode = 208
	// PollingFull is POLLING_FULL (209).
	PollingFull ResponseCode = 209
	// UpdateAndCreateAclConfigFailed is UPDATE_AND_CREATE_ACL_CONFIG_FAILED (209), ACL 1.0, 5.3.0-5.3.2 only; same value as POLLING_FULL.
	UpdateAndCreateAclConfigFailed ResponseCode = 209
	// PollingTimeout is POLLING_TIMEOUT (210).
	PollingTimeout ResponseCode = 210
	// DeleteAclConfigFailed is DELETE_ACL_CONFIG_FAILED (210), ACL 1.0, 5.3.0-5.3.2 only; same value as POLLING_TIMEOUT.
	DeleteAclConfigFailed ResponseCode = 210
	// BrokerNotExist is BROKER_NOT_EXIST (211).
	BrokerNotExist ResponseCode = 211
	// UpdateGlobalWhiteAddrsConfigFailed is UPDATE_GLOBAL_WHITE_ADDRS_CONFIG_FAILED (211), ACL 1.0, 5.3.0-5.3.2 only; same value as BROKER_NOT_EXIST.
	UpdateGlobalWhiteAddrsConfigFailed ResponseCode = 211
	// BrokerDispatchNotComplete is BROKER_DISPATCH_NOT_COMPLETE (212).
	BrokerDispatchNotComplete ResponseCode = 212
	// BroadcastConsumption is BROADCAST_CONSUMPTION (213).
	BroadcastConsumption ResponseCode = 213
	// FlowControl is FLOW_CONTROL (215).
	FlowControl ResponseCode = 215
	// NotLeaderForQueue is NOT_LEADER_FOR_QUEUE (501).
	NotLeaderForQueue ResponseCode = 501
	// IllegalOperation is ILLEGAL_OPERATION (604).
	IllegalOperation ResponseCode = 604
	// GoAway is GO_AWAY (1500).
	GoAway ResponseCode = 1500
	// ControllerFencedMasterEpoch is CONTROLLER_FENCED_MASTER_EPOCH (2000).
	ControllerFencedMasterEpoch ResponseCode = 2000
	// ControllerFencedSyncStateSetEpoch is CONTROLLER_FENCED_SYNC_STATE_SET_EPOCH (2001).
	ControllerFencedSyncStateSetEpoch ResponseCode = 2001
	// ControllerInvalidMaster is CONTROLLER_INVALID_MASTER (2002).
	ControllerInvalidMaster ResponseCode = 2002
	// ControllerInvalidReplicas is CONTROLLER_INVALID_REPLICAS (2003).
	ControllerInvalidReplicas ResponseCode = 2003
	// ControllerMasterNotAvailable is CONTROLLER_MASTER_NOT_AVAILABLE (2004).
	ControllerMasterNotAvailable ResponseCode = 2004
	// ControllerInvalidRequest is CONTROLLER_INVALID_REQUEST (2005).
	ControllerInvalidRequest ResponseCode = 2005
	// ControllerBrokerNotAlive is CONTROLLER_BROKER_NOT_ALIVE (2006).
	ControllerBrokerNotAlive ResponseCode = 2006
	// ControllerNotLeader is CONTROLLER_NOT_LEADER (2007).
	ControllerNotLeader ResponseCode = 2007
	// ControllerBrokerMetadataNotExist is CONTROLLER_BROKER_METADATA_NOT_EXIST (2008).
	ControllerBrokerMetadataNotExist ResponseCode = 2008
	// ControllerInvalidCleanBrokerMetadata is CONTROLLER_INVALID_CLEAN_BROKER_METADATA (2009).
	ControllerInvalidCleanBrokerMetadata ResponseCode = 2009
	// ControllerBrokerNeedToBeRegistered is CONTROLLER_BROKER_NEED_TO_BE_REGISTERED (2010).
	ControllerBrokerNeedToBeRegistered ResponseCode = 2010
	// ControllerMasterStillExist is CONTROLLER_MASTER_STILL_EXIST (2011).
	ControllerMasterStillExist ResponseCode = 2011
	// ControllerElectMasterFailed is CONTROLLER_ELECT_MASTER_FAILED (2012).
	ControllerElectMasterFailed ResponseCode = 2012
	// ControllerAlterSyncStateSetFailed is CONTROLLER_ALTER_SYNC_STATE_SET_FAILED (2013).
	ControllerAlterSyncStateSetFailed ResponseCode = 2013
	// ControllerBrokerIdInvalid is CONTROLLER_BROKER_ID_INVALID (2014).
	ControllerBrokerIdInvalid ResponseCode = 2014
	// ControllerJraftInternalError is CONTROLLER_JRAFT_INTERNAL_ERROR (2015).
	ControllerJraftInternalError ResponseCode = 2015
	// ControllerBrokerLiveInfoNotExists is CONTROLLER_BROKER_LIVE_INFO_NOT_EXISTS (2016).
	ControllerBrokerLiveInfoNotExists ResponseCode = 2016
	// UserNotExist is USER_NOT_EXIST (3001).
	UserNotExist ResponseCode = 3001
	// PolicyNotExist is POLICY_NOT_EXIST (3002).
	PolicyNotExist ResponseCode = 3002
)

// allRequestCodes lists every known request code in ascending order. It is
// never written; AllRequestCodes hands out copies.
var allRequestCodes = [...]RequestCode{
	SendMessage,
	PullMessage,
	QueryMessage,
	QueryBrokerOffset,
	QueryConsumerOffset,
	UpdateConsumerOffset,
	UpdateAndCreateTopic,
	UpdateAndCreateTopicList,
	GetAllTopicConfig,
	GetTopicConfigList,
	GetTopicNameList,
	UpdateBrokerConfig,
	GetBrokerConfig,
	TriggerDeleteFiles,
	GetBrokerRuntimeInfo,
	SearchOffsetByTimestamp,
	GetMaxOffset,
	GetMinOffset,
	GetEarliestMsgStoretime,
	ViewMessageById,
	HeartBeat,
	UnregisterClient,
	ConsumerSendMsgBack,
	EndTransaction,
	GetConsumerListByGroup,
	CheckTransactionState,
	NotifyConsumerIdsChanged,
	LockBatchMq,
	UnlockBatchMq,
	GetAllConsumerOffset,
	GetAllDelayOffset,
	CheckClientConfig,
	GetClientConfig,
	UpdateAndCreateAclConfig,
	DeleteAclConfig,
	GetBrokerClusterAclInfo,
	UpdateGlobalWhiteAddrsConfig,
	GetBrokerClusterAclConfig,
	GetTimerCheckPoint,
	GetTimerMetrics,
	PutKvConfig,
	GetKvConfig,
	DeleteKvConfig,
	RegisterBroker,
	UnregisterBroker,
	GetRouteinfoByTopic,
	GetBrokerClusterInfo,
	UpdateAndCreateSubscriptiongroup,
	GetAllSubscriptiongroupConfig,
	GetTopicStatsInfo,
	GetConsumerConnectionList,
	GetProducerConnectionList,
	WipeWritePermOfBroker,
	GetAllTopicListFromNameserver,
	DeleteSubscriptiongroup,
	GetConsumeStats,
	SuspendConsumer,
	ResumeConsumer,
	ResetConsumerOffsetInConsumer,
	ResetConsumerOffsetInBroker,
	AdjustConsumerThreadPool,
	WhoConsumeTheMessage,
	DeleteTopicInBroker,
	DeleteTopicInNamesrv,
	RegisterTopicInNamesrv,
	GetKvlistByNamespace,
	ResetConsumerClientOffset,
	GetConsumerStatusFromClient,
	InvokeBrokerToResetOffset,
	InvokeBrokerToGetConsumerStatus,
	GetTopicsByCluster,
	UpdateAndCreateSubscriptiongroupList,
	QueryTopicConsumeByWho,
	RegisterFilterServer,
	RegisterMessageFilterClass,
	QueryConsumeTimeSpan,
	GetSystemTopicListFromNs,
	GetSystemTopicListFromBroker,
	CleanExpiredConsumequeue,
	GetConsumerRunningInfo,
	QueryCorrectionOffset,
	ConsumeMessageDirectly,
	SendMessageV2,
	GetUnitTopicList,
	GetHasUnitSubTopicList,
	GetHasUnitSubUnunitTopicList,
	CloneGroupOffset,
	ViewBrokerStatsData,
	CleanUnusedTopic,
	GetBrokerConsumeStats,
	UpdateNamesrvConfig,
	GetNamesrvConfig,
	SendBatchMessage,
	QueryConsumeQueue,
	QueryDataVersion,
	ResumeCheckHalfMessage,
	SendReplyMessage,
	SendReplyMessageV2,
	PushReplyMessageToClient,
	AddWritePermOfBroker,
	GetAllProducerInfo,
	DeleteExpiredCommitlog,
	QueryTopicsByConsumer,
	QuerySubscriptionByConsumer,
	GetTopicConfig,
	GetSubscriptiongroupConfig,
	UpdateAndGetGroupForbidden,
	CheckRocksdbCqWriteProgress,
	ExportRocksdbConfigToJson,
	LitePullMessage,
	RecallMessage,
	QueryAssignment,
	SetMessageRequestMode,
	GetAllMessageRequestMode,
	UpdateAndCreateStaticTopic,
	GetBrokerMemberGroup,
	AddBroker,
	RemoveBroker,
	BrokerHeartbeat,
	NotifyMinBrokerIdChange,
	ExchangeBrokerHaInfo,
	GetBrokerHaStatus,
	ResetMasterFlushOffset,
	ControllerAlterSyncStateSet,
	ControllerElectMaster,
	ControllerRegisterBroker,
	ControllerGetReplicaInfo,
	ControllerGetMetadataInfo,
	ControllerGetSyncStateData,
	GetBrokerEpochCache,
	NotifyBrokerRoleChanged,
	UpdateControllerConfig,
	GetControllerConfig,
	CleanBrokerData,
	ControllerGetNextBrokerId,
	ControllerApplyBrokerId,
	BrokerCloseChannelRequest,
	CheckNotActiveBrokerRequest,
	GetBrokerLiveInfoRequest,
	GetSyncStateDataRequest,
	RaftBrokerHeartBeatEventRequest,
	UpdateColdDataFlowCtrConfig,
	RemoveColdDataFlowCtrConfig,
	GetColdDataFlowCtrInfo,
	SetCommitlogReadMode,
	AuthCreateUser,
	AuthUpdateUser,
	AuthDeleteUser,
	AuthGetUser,
	AuthListUser,
	AuthCreateAcl,
	AuthUpdateAcl,
	AuthDeleteAcl,
	AuthGetAcl,
	AuthListAcl,
	PopMessage,
	AckMessage,
	PeekMessage,
	ChangeMessageInvisibletime,
	Notification,
	PollingInfo,
	PopRollback,
	BatchAckMessage,
}

// AllRequestCodes returns every known request code in ascending numeric
// order. The caller owns the returned slice.
func AllRequestCodes() []RequestCode {
	return append([]RequestCode(nil), allRequestCodes[:]...)
}

// String returns the Java constant name of c, or c in decimal if the code is
// unknown.
func (c RequestCode) String() string {
	switch c {
	case SendMessage:
		return "SEND_MESSAGE"
	case PullMessage:
		return "PULL_MESSAGE"
	case QueryMessage:
		return "QUERY_MESSAGE"
	case QueryBrokerOffset:
		return "QUERY_BROKER_OFFSET"
	case QueryConsumerOffset:
		return "QUERY_CONSUMER_OFFSET"
	case UpdateConsumerOffset:
		return "UPDATE_CONSUMER_OFFSET"
	case UpdateAndCreateTopic:
		return "UPDATE_AND_CREATE_TOPIC"
	case UpdateAndCreateTopicList:
		return "UPDATE_AND_CREATE_TOPIC_LIST"
	case GetAllTopicConfig:
		return "GET_ALL_TOPIC_CONFIG"
	case GetTopicConfigList:
		return "GET_TOPIC_CONFIG_LIST"
	case GetTopicNameList:
		return "GET_TOPIC_NAME_LIST"
	case UpdateBrokerConfig:
		return "UPDATE_BROKER_CONFIG"
	case GetBrokerConfig:
		return "GET_BROKER_CONFIG"
	case TriggerDeleteFiles:
		return "TRIGGER_DELETE_FILES"
	case GetBrokerRuntimeInfo:
		return "GET_BROKER_RUNTIME_INFO"
	case SearchOffsetByTimestamp:
		return "SEARCH_OFFSET_BY_TIMESTAMP"
	case GetMaxOffset:
		return "GET_MAX_OFFSET"
	case GetMinOffset:
		return "GET_MIN_OFFSET"
	case GetEarliestMsgStoretime:
		return "GET_EARLIEST_MSG_STORETIME"
	case ViewMessageById:
		return "VIEW_MESSAGE_BY_ID"
	case HeartBeat:
		return "HEART_BEAT"
	case UnregisterClient:
		return "UNREGISTER_CLIENT"
	case ConsumerSendMsgBack:
		return "CONSUMER_SEND_MSG_BACK"
	case EndTransaction:
		return "END_TRANSACTION"
	case GetConsumerListByGroup:
		return "GET_CONSUMER_LIST_BY_GROUP"
	case CheckTransactionState:
		return "CHECK_TRANSACTION_STATE"
	case NotifyConsumerIdsChanged:
		return "NOTIFY_CONSUMER_IDS_CHANGED"
	case LockBatchMq:
		return "LOCK_BATCH_MQ"
	case UnlockBatchMq:
		return "UNLOCK_BATCH_MQ"
	case GetAllConsumerOffset:
		return "GET_ALL_CONSUMER_OFFSET"
	case GetAllDelayOffset:
		return "GET_ALL_DELAY_OFFSET"
	case CheckClientConfig:
		return "CHECK_CLIENT_CONFIG"
	case GetClientConfig:
		return "GET_CLIENT_CONFIG"
	case UpdateAndCreateAclConfig:
		return "UPDATE_AND_CREATE_ACL_CONFIG"
	case DeleteAclConfig:
		return "DELETE_ACL_CONFIG"
	case GetBrokerClusterAclInfo:
		return "GET_BROKER_CLUSTER_ACL_INFO"
	case UpdateGlobalWhiteAddrsConfig:
		return "UPDATE_GLOBAL_WHITE_ADDRS_CONFIG"
	case GetBrokerClusterAclConfig:
		return "GET_BROKER_CLUSTER_ACL_CONFIG"
	case GetTimerCheckPoint:
		return "GET_TIMER_CHECK_POINT"
	case GetTimerMetrics:
		return "GET_TIMER_METRICS"
	case PutKvConfig:
		return "PUT_KV_CONFIG"
	case GetKvConfig:
		return "GET_KV_CONFIG"
	case DeleteKvConfig:
		return "DELETE_KV_CONFIG"
	case RegisterBroker:
		return "REGISTER_BROKER"
	case UnregisterBroker:
		return "UNREGISTER_BROKER"
	case GetRouteinfoByTopic:
		return "GET_ROUTEINFO_BY_TOPIC"
	case GetBrokerClusterInfo:
		return "GET_BROKER_CLUSTER_INFO"
	case UpdateAndCreateSubscriptiongroup:
		return "UPDATE_AND_CREATE_SUBSCRIPTIONGROUP"
	case GetAllSubscriptiongroupConfig:
		return "GET_ALL_SUBSCRIPTIONGROUP_CONFIG"
	case GetTopicStatsInfo:
		return "GET_TOPIC_STATS_INFO"
	case GetConsumerConnectionList:
		return "GET_CONSUMER_CONNECTION_LIST"
	case GetProducerConnectionList:
		return "GET_PRODUCER_CONNECTION_LIST"
	case WipeWritePermOfBroker:
		return "WIPE_WRITE_PERM_OF_BROKER"
	case GetAllTopicListFromNameserver:
		return "GET_ALL_TOPIC_LIST_FROM_NAMESERVER"
	case DeleteSubscriptiongroup:
		return "DELETE_SUBSCRIPTIONGROUP"
	case GetConsumeStats:
		return "GET_CONSUME_STATS"
	case SuspendConsumer:
		return "SUSPEND_CONSUMER"
	case ResumeConsumer:
		return "RESUME_CONSUMER"
	case ResetConsumerOffsetInConsumer:
		return "RESET_CONSUMER_OFFSET_IN_CONSUMER"
	case ResetConsumerOffsetInBroker:
		return "RESET_CONSUMER_OFFSET_IN_BROKER"
	case AdjustConsumerThreadPool:
		return "ADJUST_CONSUMER_THREAD_POOL"
	case WhoConsumeTheMessage:
		return "WHO_CONSUME_THE_MESSAGE"
	case DeleteTopicInBroker:
		return "DELETE_TOPIC_IN_BROKER"
	case DeleteTopicInNamesrv:
		return "DELETE_TOPIC_IN_NAMESRV"
	case RegisterTopicInNamesrv:
		return "REGISTER_TOPIC_IN_NAMESRV"
	case GetKvlistByNamespace:
		return "GET_KVLIST_BY_NAMESPACE"
	case ResetConsumerClientOffset:
		return "RESET_CONSUMER_CLIENT_OFFSET"
	case GetConsumerStatusFromClient:
		return "GET_CONSUMER_STATUS_FROM_CLIENT"
	case InvokeBrokerToResetOffset:
		return "INVOKE_BROKER_TO_RESET_OFFSET"
	case InvokeBrokerToGetConsumerStatus:
		return "INVOKE_BROKER_TO_GET_CONSUMER_STATUS"
	case GetTopicsByCluster:
		return "GET_TOPICS_BY_CLUSTER"
	case UpdateAndCreateSubscriptiongroupList:
		return "UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST"
	case QueryTopicConsumeByWho:
		return "QUERY_TOPIC_CONSUME_BY_WHO"
	case RegisterFilterServer:
		return "REGISTER_FILTER_SERVER"
	case RegisterMessageFilterClass:
		return "REGISTER_MESSAGE_FILTER_CLASS"
	case QueryConsumeTimeSpan:
		return "QUERY_CONSUME_TIME_SPAN"
	case GetSystemTopicListFromNs:
		return "GET_SYSTEM_TOPIC_LIST_FROM_NS"
	case GetSystemTopicListFromBroker:
		return "GET_SYSTEM_TOPIC_LIST_FROM_BROKER"
	case CleanExpiredConsumequeue:
		return "CLEAN_EXPIRED_CONSUMEQUEUE"
	case GetConsumerRunningInfo:
		return "GET_CONSUMER_RUNNING_INFO"
	case QueryCorrectionOffset:
		return "QUERY_CORRECTION_OFFSET"
	case ConsumeMessageDirectly:
		return "CONSUME_MESSAGE_DIRECTLY"
	case SendMessageV2:
		return "SEND_MESSAGE_V2"
	case GetUnitTopicList:
		return "GET_UNIT_TOPIC_LIST"
	case GetHasUnitSubTopicList:
		return "GET_HAS_UNIT_SUB_TOPIC_LIST"
	case GetHasUnitSubUnunitTopicList:
		return "GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST"
	case CloneGroupOffset:
		return "CLONE_GROUP_OFFSET"
	case ViewBrokerStatsData:
		return "VIEW_BROKER_STATS_DATA"
	case CleanUnusedTopic:
		return "CLEAN_UNUSED_TOPIC"
	case GetBrokerConsumeStats:
		return "GET_BROKER_CONSUME_STATS"
	case UpdateNamesrvConfig:
		return "UPDATE_NAMESRV_CONFIG"
	case GetNamesrvConfig:
		return "GET_NAMESRV_CONFIG"
	case SendBatchMessage:
		return "SEND_BATCH_MESSAGE"
	case QueryConsumeQueue:
		return "QUERY_CONSUME_QUEUE"
	case QueryDataVersion:
		return "QUERY_DATA_VERSION"
	case ResumeCheckHalfMessage:
		return "RESUME_CHECK_HALF_MESSAGE"
	case SendReplyMessage:
		return "SEND_REPLY_MESSAGE"
	case SendReplyMessageV2:
		return "SEND_REPLY_MESSAGE_V2"
	case PushReplyMessageToClient:
		return "PUSH_REPLY_MESSAGE_TO_CLIENT"
	case AddWritePermOfBroker:
		return "ADD_WRITE_PERM_OF_BROKER"
	case GetAllProducerInfo:
		return "GET_ALL_PRODUCER_INFO"
	case DeleteExpiredCommitlog:
		return "DELETE_EXPIRED_COMMITLOG"
	case QueryTopicsByConsumer:
		return "QUERY_TOPICS_BY_CONSUMER"
	case QuerySubscriptionByConsumer:
		return "QUERY_SUBSCRIPTION_BY_CONSUMER"
	case GetTopicConfig:
		return "GET_TOPIC_CONFIG"
	case GetSubscriptiongroupConfig:
		return "GET_SUBSCRIPTIONGROUP_CONFIG"
	case UpdateAndGetGroupForbidden:
		return "UPDATE_AND_GET_GROUP_FORBIDDEN"
	case CheckRocksdbCqWriteProgress:
		return "CHECK_ROCKSDB_CQ_WRITE_PROGRESS"
	case ExportRocksdbConfigToJson:
		return "EXPORT_ROCKSDB_CONFIG_TO_JSON"
	case LitePullMessage:
		return "LITE_PULL_MESSAGE"
	case RecallMessage:
		return "RECALL_MESSAGE"
	case QueryAssignment:
		return "QUERY_ASSIGNMENT"
	case SetMessageRequestMode:
		return "SET_MESSAGE_REQUEST_MODE"
	case GetAllMessageRequestMode:
		return "GET_ALL_MESSAGE_REQUEST_MODE"
	case UpdateAndCreateStaticTopic:
		return "UPDATE_AND_CREATE_STATIC_TOPIC"
	case GetBrokerMemberGroup:
		return "GET_BROKER_MEMBER_GROUP"
	case AddBroker:
		return "ADD_BROKER"
	case RemoveBroker:
		return "REMOVE_BROKER"
	case BrokerHeartbeat:
		return "BROKER_HEARTBEAT"
	case NotifyMinBrokerIdChange:
		return "NOTIFY_MIN_BROKER_ID_CHANGE"
	case ExchangeBrokerHaInfo:
		return "EXCHANGE_BROKER_HA_INFO"
	case GetBrokerHaStatus:
		return "GET_BROKER_HA_STATUS"
	case ResetMasterFlushOffset:
		return "RESET_MASTER_FLUSH_OFFSET"
	case ControllerAlterSyncStateSet:
		return "CONTROLLER_ALTER_SYNC_STATE_SET"
	case ControllerElectMaster:
		return "CONTROLLER_ELECT_MASTER"
	case ControllerRegisterBroker:
		return "CONTROLLER_REGISTER_BROKER"
	case ControllerGetReplicaInfo:
		return "CONTROLLER_GET_REPLICA_INFO"
	case ControllerGetMetadataInfo:
		return "CONTROLLER_GET_METADATA_INFO"
	case ControllerGetSyncStateData:
		return "CONTROLLER_GET_SYNC_STATE_DATA"
	case GetBrokerEpochCache:
		return "GET_BROKER_EPOCH_CACHE"
	case NotifyBrokerRoleChanged:
		return "NOTIFY_BROKER_ROLE_CHANGED"
	case UpdateControllerConfig:
		return "UPDATE_CONTROLLER_CONFIG"
	case GetControllerConfig:
		return "GET_CONTROLLER_CONFIG"
	case CleanBrokerData:
		return "CLEAN_BROKER_DATA"
	case ControllerGetNextBrokerId:
		return "CONTROLLER_GET_NEXT_BROKER_ID"
	case ControllerApplyBrokerId:
		return "CONTROLLER_APPLY_BROKER_ID"
	case BrokerCloseChannelRequest:
		return "BROKER_CLOSE_CHANNEL_REQUEST"
	case CheckNotActiveBrokerRequest:
		return "CHECK_NOT_ACTIVE_BROKER_REQUEST"
	case GetBrokerLiveInfoRequest:
		return "GET_BROKER_LIVE_INFO_REQUEST"
	case GetSyncStateDataRequest:
		return "GET_SYNC_STATE_DATA_REQUEST"
	case RaftBrokerHeartBeatEventRequest:
		return "RAFT_BROKER_HEART_BEAT_EVENT_REQUEST"
	case UpdateColdDataFlowCtrConfig:
		return "UPDATE_COLD_DATA_FLOW_CTR_CONFIG"
	case RemoveColdDataFlowCtrConfig:
		return "REMOVE_COLD_DATA_FLOW_CTR_CONFIG"
	case GetColdDataFlowCtrInfo:
		return "GET_COLD_DATA_FLOW_CTR_INFO"
	case SetCommitlogReadMode:
		return "SET_COMMITLOG_READ_MODE"
	case AuthCreateUser:
		return "AUTH_CREATE_USER"
	case AuthUpdateUser:
		return "AUTH_UPDATE_USER"
	case AuthDeleteUser:
		return "AUTH_DELETE_USER"
	case AuthGetUser:
		return "AUTH_GET_USER"
	case AuthListUser:
		return "AUTH_LIST_USER"
	case AuthCreateAcl:
		return "AUTH_CREATE_ACL"
	case AuthUpdateAcl:
		return "AUTH_UPDATE_ACL"
	case AuthDeleteAcl:
		return "AUTH_DELETE_ACL"
	case AuthGetAcl:
		return "AUTH_GET_ACL"
	case AuthListAcl:
		return "AUTH_LIST_ACL"
	case PopMessage:
		return "POP_MESSAGE"
	case AckMessage:
		return "ACK_MESSAGE"
	case PeekMessage:
		return "PEEK_MESSAGE"
	case ChangeMessageInvisibletime:
		return "CHANGE_MESSAGE_INVISIBLETIME"
	case Notification:
		return "NOTIFICATION"
	case PollingInfo:
		return "POLLING_INFO"
	case PopRollback:
		return "POP_ROLLBACK"
	case BatchAckMessage:
		return "BATCH_ACK_MESSAGE"
	}
	return strconv.FormatInt(int64(c), 10)
}

// String returns the Java constant name of c, or c in decimal if the code is
// unknown. Values shared by an ACL 1.0 code and a current code (209, 210,
// 211) return the current 5.3.3 name.
func (c ResponseCode) String() string {
	switch c {
	case RpcTimeOut:
		return "RPC_TIME_OUT"
	case RpcSendToChannelFailed:
		return "RPC_SEND_TO_CHANNEL_FAILED"
	case RpcAddrIsNull:
		return "RPC_ADDR_IS_NULL"
	case RpcUnknown:
		return "RPC_UNKNOWN"
	case Success:
		return "SUCCESS"
	case SystemError:
		return "SYSTEM_ERROR"
	case SystemBusy:
		return "SYSTEM_BUSY"
	case RequestCodeNotSupported:
		return "REQUEST_CODE_NOT_SUPPORTED"
	case TransactionFailed:
		return "TRANSACTION_FAILED"
	case FlushDiskTimeout:
		return "FLUSH_DISK_TIMEOUT"
	case SlaveNotAvailable:
		return "SLAVE_NOT_AVAILABLE"
	case FlushSlaveTimeout:
		return "FLUSH_SLAVE_TIMEOUT"
	case MessageIllegal:
		return "MESSAGE_ILLEGAL"
	case ServiceNotAvailable:
		return "SERVICE_NOT_AVAILABLE"
	case VersionNotSupported:
		return "VERSION_NOT_SUPPORTED"
	case NoPermission:
		return "NO_PERMISSION"
	case TopicNotExist:
		return "TOPIC_NOT_EXIST"
	case TopicExistAlready:
		return "TOPIC_EXIST_ALREADY"
	case PullNotFound:
		return "PULL_NOT_FOUND"
	case PullRetryImmediately:
		return "PULL_RETRY_IMMEDIATELY"
	case PullOffsetMoved:
		return "PULL_OFFSET_MOVED"
	case QueryNotFound:
		return "QUERY_NOT_FOUND"
	case SubscriptionParseFailed:
		return "SUBSCRIPTION_PARSE_FAILED"
	case SubscriptionNotExist:
		return "SUBSCRIPTION_NOT_EXIST"
	case SubscriptionNotLatest:
		return "SUBSCRIPTION_NOT_LATEST"
	case SubscriptionGroupNotExist:
		return "SUBSCRIPTION_GROUP_NOT_EXIST"
	case FilterDataNotExist:
		return "FILTER_DATA_NOT_EXIST"
	case FilterDataNotLatest:
		return "FILTER_DATA_NOT_LATEST"
	case InvalidParameter:
		return "INVALID_PARAMETER"
	case TransactionShouldCommit:
		return "TRANSACTION_SHOULD_COMMIT"
	case TransactionShouldRollback:
		return "TRANSACTION_SHOULD_ROLLBACK"
	case TransactionStateUnknow:
		return "TRANSACTION_STATE_UNKNOW"
	case TransactionStateGroupWrong:
		return "TRANSACTION_STATE_GROUP_WRONG"
	case NoBuyerId:
		return "NO_BUYER_ID"
	case NotInCurrentUnit:
		return "NOT_IN_CURRENT_UNIT"
	case ConsumerNotOnline:
		return "CONSUMER_NOT_ONLINE"
	case ConsumeMsgTimeout:
		return "CONSUME_MSG_TIMEOUT"
	case NoMessage:
		return "NO_MESSAGE"
	case PollingFull:
		return "POLLING_FULL"
	case PollingTimeout:
		return "POLLING_TIMEOUT"
	case BrokerNotExist:
		return "BROKER_NOT_EXIST"
	case BrokerDispatchNotComplete:
		return "BROKER_DISPATCH_NOT_COMPLETE"
	case BroadcastConsumption:
		return "BROADCAST_CONSUMPTION"
	case FlowControl:
		return "FLOW_CONTROL"
	case NotLeaderForQueue:
		return "NOT_LEADER_FOR_QUEUE"
	case IllegalOperation:
		return "ILLEGAL_OPERATION"
	case GoAway:
		return "GO_AWAY"
	case ControllerFencedMasterEpoch:
		return "CONTROLLER_FENCED_MASTER_EPOCH"
	case ControllerFencedSyncStateSetEpoch:
		return "CONTROLLER_FENCED_SYNC_STATE_SET_EPOCH"
	case ControllerInvalidMaster:
		return "CONTROLLER_INVALID_MASTER"
	case ControllerInvalidReplicas:
		return "CONTROLLER_INVALID_REPLICAS"
	case ControllerMasterNotAvailable:
		return "CONTROLLER_MASTER_NOT_AVAILABLE"
	case ControllerInvalidRequest:
		return "CONTROLLER_INVALID_REQUEST"
	case ControllerBrokerNotAlive:
		return "CONTROLLER_BROKER_NOT_ALIVE"
	case ControllerNotLeader:
		return "CONTROLLER_NOT_LEADER"
	case ControllerBrokerMetadataNotExist:
		return "CONTROLLER_BROKER_METADATA_NOT_EXIST"
	case ControllerInvalidCleanBrokerMetadata:
		return "CONTROLLER_INVALID_CLEAN_BROKER_METADATA"
	case ControllerBrokerNeedToBeRegistered:
		return "CONTROLLER_BROKER_NEED_TO_BE_REGISTERED"
	case ControllerMasterStillExist:
		return "CONTROLLER_MASTER_STILL_EXIST"
	case ControllerElectMasterFailed:
		return "CONTROLLER_ELECT_MASTER_FAILED"
	case ControllerAlterSyncStateSetFailed:
		return "CONTROLLER_ALTER_SYNC_STATE_SET_FAILED"
	case ControllerBrokerIdInvalid:
		return "CONTROLLER_BROKER_ID_INVALID"
	case ControllerJraftInternalError:
		return "CONTROLLER_JRAFT_INTERNAL_ERROR"
	case ControllerBrokerLiveInfoNotExists:
		return "CONTROLLER_BROKER_LIVE_INFO_NOT_EXISTS"
	case UserNotExist:
		return "USER_NOT_EXIST"
	case PolicyNotExist:
		return "POLICY_NOT_EXIST"
	}
	return strconv.FormatInt(int64(c), 10)
}
