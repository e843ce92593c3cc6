package wire

import (
	"strconv"
	"testing"
)

// TestCodeStringSpotCheck checks the codes the clients depend on most.
func TestCodeStringSpotCheck(t *testing.T) {
	reqs := []struct {
		c    RequestCode
		v    int32
		name string
	}{
		{SendMessage, 10, "SEND_MESSAGE"},
		{PullMessage, 11, "PULL_MESSAGE"},
		{HeartBeat, 34, "HEART_BEAT"},
		{RegisterBroker, 103, "REGISTER_BROKER"},
		{GetRouteinfoByTopic, 105, "GET_ROUTEINFO_BY_TOPIC"},
		{SendMessageV2, 310, "SEND_MESSAGE_V2"},
		{SendBatchMessage, 320, "SEND_BATCH_MESSAGE"},
		{PopMessage, 200050, "POP_MESSAGE"},
	}
	for _, tc := range reqs {
		if int32(tc.c) != tc.v {
			t.Errorf("%s = %d, want %d", tc.name, int32(tc.c), tc.v)
		}
		if got := tc.c.String(); got != tc.name {
			t.Errorf("RequestCode(%d).String() = %q, want %q", tc.v, got, tc.name)
		}
	}
	resps := []struct {
		c    ResponseCode
		v    int32
		name string
	}{
		{Success, 0, "SUCCESS"},
		{SystemError, 1, "SYSTEM_ERROR"},
		{TopicNotExist, 17, "TOPIC_NOT_EXIST"},
		{PullNotFound, 19, "PULL_NOT_FOUND"},
		{QueryNotFound, 22, "QUERY_NOT_FOUND"},
		{GoAway, 1500, "GO_AWAY"},
	}
	for _, tc := range resps {
		if int32(tc.c) != tc.v {
			t.Errorf("%s = %d, want %d", tc.name, int32(tc.c), tc.v)
		}
		if got := tc.c.String(); got != tc.name {
			t.Errorf("ResponseCode(%d).String() = %q, want %q", tc.v, got, tc.name)
		}
	}
}

// TestUnknownCodeString checks the decimal fallback.
func TestUnknownCodeString(t *testing.T) {
	if got := RequestCode(99999).String(); got != "99999" {
		t.Errorf("RequestCode(99999).String() = %q", got)
	}
	if got := ResponseCode(-7).String(); got != "-7" {
		t.Errorf("ResponseCode(-7).String() = %q", got)
	}
}

// TestAllRequestCodes checks that the inventory is complete, sorted, free of
// duplicate values, and that every entry has a Java name.
func TestAllRequestCodes(t *testing.T) {
	all := AllRequestCodes()
	if len(all) != len(requestTable) {
		t.Fatalf("AllRequestCodes has %d codes, want %d", len(all), len(requestTable))
	}
	seen := make(map[RequestCode]bool, len(all))
	for i, c := range all {
		if seen[c] {
			t.Errorf("duplicate request code %d (%s)", int32(c), c)
		}
		seen[c] = true
		if i > 0 && all[i-1] >= c {
			t.Errorf("AllRequestCodes not ascending at %d: %d then %d", i, int32(all[i-1]), int32(c))
		}
		if s := c.String(); s == strconv.FormatInt(int64(c), 10) {
			t.Errorf("request code %d has no name", int32(c))
		}
	}
	all[0] = -1 // the caller owns the slice
	if AllRequestCodes()[0] == -1 {
		t.Error("AllRequestCodes shares its backing array")
	}
}

// TestRequestTable checks every request constant against the Java values.
func TestRequestTable(t *testing.T) {
	for _, tc := range requestTable {
		if int32(tc.c) != tc.v {
			t.Errorf("%s = %d, want %d", tc.name, int32(tc.c), tc.v)
		}
		if got := tc.c.String(); got != tc.name {
			t.Errorf("RequestCode(%d).String() = %q, want %q", tc.v, got, tc.name)
		}
	}
}

// TestResponseTable checks every response constant against the Java values.
// The ACL 1.0 failure codes share their values with current codes, so their
// String() is the current name.
func TestResponseTable(t *testing.T) {
	for _, tc := range responseTable {
		if int32(tc.c) != tc.v {
			t.Errorf("%s = %d, want %d", tc.name, int32(tc.c), tc.v)
		}
		if got := tc.c.String(); got != tc.str {
			t.Errorf("ResponseCode(%d).String() = %q, want %q", tc.v, got, tc.str)
		}
	}
}

var requestTable = []struct {
	c    RequestCode
	v    int32
	name string
}{
	{SendMessage, 10, "SEND_MESSAGE"},
	{PullMessage, 11, "PULL_MESSAGE"},
	{QueryMessage, 12, "QUERY_MESSAGE"},
	{QueryBrokerOffset, 13, "QUERY_BROKER_OFFSET"},
	{QueryConsumerOffset, 14, "QUERY_CONSUMER_OFFSET"},
	{UpdateConsumerOffset, 15, "UPDATE_CONSUMER_OFFSET"},
	{UpdateAndCreateTopic, 17, "UPDATE_AND_CREATE_TOPIC"},
	{UpdateAndCreateTopicList, 18, "UPDATE_AND_CREATE_TOPIC_LIST"},
	{GetAllTopicConfig, 21, "GET_ALL_TOPIC_CONFIG"},
	{GetTopicConfigList, 22, "GET_TOPIC_CONFIG_LIST"},
	{GetTopicNameList, 23, "GET_TOPIC_NAME_LIST"},
	{UpdateBrokerConfig, 25, "UPDATE_BROKER_CONFIG"},
	{GetBrokerConfig, 26, "GET_BROKER_CONFIG"},
	{TriggerDeleteFiles, 27, "TRIGGER_DELETE_FILES"},
	{GetBrokerRuntimeInfo, 28, "GET_BROKER_RUNTIME_INFO"},
	{SearchOffsetByTimestamp, 29, "SEARCH_OFFSET_BY_TIMESTAMP"},
	{GetMaxOffset, 30, "GET_MAX_OFFSET"},
	{GetMinOffset, 31, "GET_MIN_OFFSET"},
	{GetEarliestMsgStoretime, 32, "GET_EARLIEST_MSG_STORETIME"},
	{ViewMessageById, 33, "VIEW_MESSAGE_BY_ID"},
	{HeartBeat, 34, "HEART_BEAT"},
	{UnregisterClient, 35, "UNREGISTER_CLIENT"},
	{ConsumerSendMsgBack, 36, "CONSUMER_SEND_MSG_BACK"},
	{EndTransaction, 37, "END_TRANSACTION"},
	{GetConsumerListByGroup, 38, "GET_CONSUMER_LIST_BY_GROUP"},
	{CheckTransactionState, 39, "CHECK_TRANSACTION_STATE"},
	{NotifyConsumerIdsChanged, 40, "NOTIFY_CONSUMER_IDS_CHANGED"},
	{LockBatchMq, 41, "LOCK_BATCH_MQ"},
	{UnlockBatchMq, 42, "UNLOCK_BATCH_MQ"},
	{GetAllConsumerOffset, 43, "GET_ALL_CONSUMER_OFFSET"},
	{GetAllDelayOffset, 45, "GET_ALL_DELAY_OFFSET"},
	{CheckClientConfig, 46, "CHECK_CLIENT_CONFIG"},
	{GetClientConfig, 47, "GET_CLIENT_CONFIG"},
	{UpdateAndCreateAclConfig, 50, "UPDATE_AND_CREATE_ACL_CONFIG"},
	{DeleteAclConfig, 51, "DELETE_ACL_CONFIG"},
	{GetBrokerClusterAclInfo, 52, "GET_BROKER_CLUSTER_ACL_INFO"},
	{UpdateGlobalWhiteAddrsConfig, 53, "UPDATE_GLOBAL_WHITE_ADDRS_CONFIG"},
	{GetBrokerClusterAclConfig, 54, "GET_BROKER_CLUSTER_ACL_CONFIG"},
	{GetTimerCheckPoint, 60, "GET_TIMER_CHECK_POINT"},
	{GetTimerMetrics, 61, "GET_TIMER_METRICS"},
	{PutKvConfig, 100, "PUT_KV_CONFIG"},
	{GetKvConfig, 101, "GET_KV_CONFIG"},
	{DeleteKvConfig, 102, "DELETE_KV_CONFIG"},
	{RegisterBroker, 103, "REGISTER_BROKER"},
	{UnregisterBroker, 104, "UNREGISTER_BROKER"},
	{GetRouteinfoByTopic, 105, "GET_ROUTEINFO_BY_TOPIC"},
	{GetBrokerClusterInfo, 106, "GET_BROKER_CLUSTER_INFO"},
	{UpdateAndCreateSubscriptiongroup, 200, "UPDATE_AND_CREATE_SUBSCRIPTIONGROUP"},
	{GetAllSubscriptiongroupConfig, 201, "GET_ALL_SUBSCRIPTIONGROUP_CONFIG"},
	{GetTopicStatsInfo, 202, "GET_TOPIC_STATS_INFO"},
	{GetConsumerConnectionList, 203, "GET_CONSUMER_CONNECTION_LIST"},
	{GetProducerConnectionList, 204, "GET_PRODUCER_CONNECTION_LIST"},
	{WipeWritePermOfBroker, 205, "WIPE_WRITE_PERM_OF_BROKER"},
	{GetAllTopicListFromNameserver, 206, "GET_ALL_TOPIC_LIST_FROM_NAMESERVER"},
	{DeleteSubscriptiongroup, 207, "DELETE_SUBSCRIPTIONGROUP"},
	{GetConsumeStats, 208, "GET_CONSUME_STATS"},
	{SuspendConsumer, 209, "SUSPEND_CONSUMER"},
	{ResumeConsumer, 210, "RESUME_CONSUMER"},
	{ResetConsumerOffsetInConsumer, 211, "RESET_CONSUMER_OFFSET_IN_CONSUMER"},
	{ResetConsumerOffsetInBroker, 212, "RESET_CONSUMER_OFFSET_IN_BROKER"},
	{AdjustConsumerThreadPool, 213, "ADJUST_CONSUMER_THREAD_POOL"},
	{WhoConsumeTheMessage, 214, "WHO_CONSUME_THE_MESSAGE"},
	{DeleteTopicInBroker, 215, "DELETE_TOPIC_IN_BROKER"},
	{DeleteTopicInNamesrv, 216, "DELETE_TOPIC_IN_NAMESRV"},
	{RegisterTopicInNamesrv, 217, "REGISTER_TOPIC_IN_NAMESRV"},
	{GetKvlistByNamespace, 219, "GET_KVLIST_BY_NAMESPACE"},
	{ResetConsumerClientOffset, 220, "RESET_CONSUMER_CLIENT_OFFSET"},
	{GetConsumerStatusFromClient, 221, "GET_CONSUMER_STATUS_FROM_CLIENT"},
	{InvokeBrokerToResetOffset, 222, "INVOKE_BROKER_TO_RESET_OFFSET"},
	{InvokeBrokerToGetConsumerStatus, 223, "INVOKE_BROKER_TO_GET_CONSUMER_STATUS"},
	{GetTopicsByCluster, 224, "GET_TOPICS_BY_CLUSTER"},
	{UpdateAndCreateSubscriptiongroupList, 225, "UPDATE_AND_CREATE_SUBSCRIPTIONGROUP_LIST"},
	{QueryTopicConsumeByWho, 300, "QUERY_TOPIC_CONSUME_BY_WHO"},
	{RegisterFilterServer, 301, "REGISTER_FILTER_SERVER"},
	{RegisterMessageFilterClass, 302, "REGISTER_MESSAGE_FILTER_CLASS"},
	{QueryConsumeTimeSpan, 303, "QUERY_CONSUME_TIME_SPAN"},
	{GetSystemTopicListFromNs, 304, "GET_SYSTEM_TOPIC_LIST_FROM_NS"},
	{GetSystemTopicListFromBroker, 305, "GET_SYSTEM_TOPIC_LIST_FROM_BROKER"},
	{CleanExpiredConsumequeue, 306, "CLEAN_EXPIRED_CONSUMEQUEUE"},
	{GetConsumerRunningInfo, 307, "GET_CONSUMER_RUNNING_INFO"},
	{QueryCorrectionOffset, 308, "QUERY_CORRECTION_OFFSET"},
	{ConsumeMessageDirectly, 309, "CONSUME_MESSAGE_DIRECTLY"},
	{SendMessageV2, 310, "SEND_MESSAGE_V2"},
	{GetUnitTopicList, 311, "GET_UNIT_TOPIC_LIST"},
	{GetHasUnitSubTopicList, 312, "GET_HAS_UNIT_SUB_TOPIC_LIST"},
	{GetHasUnitSubUnunitTopicList, 313, "GET_HAS_UNIT_SUB_UNUNIT_TOPIC_LIST"},
	{CloneGroupOffset, 314, "CLONE_GROUP_OFFSET"},
	{ViewBrokerStatsData, 315, "VIEW_BROKER_STATS_DATA"},
	{CleanUnusedTopic, 316, "CLEAN_UNUSED_TOPIC"},
	{GetBrokerConsumeStats, 317, "GET_BROKER_CONSUME_STATS"},
	{UpdateNamesrvConfig, 318, "UPDATE_NAMESRV_CONFIG"},
	{GetNamesrvConfig, 319, "GET_NAMESRV_CONFIG"},
	{SendBatchMessage, 320, "SEND_BATCH_MESSAGE"},
	{QueryConsumeQueue, 321, "QUERY_CONSUME_QUEUE"},
	{QueryDataVersion, 322, "QUERY_DATA_VERSION"},
	{ResumeCheckHalfMessage, 323, "RESUME_CHECK_HALF_MESSAGE"},
	{SendReplyMessage, 324, "SEND_REPLY_MESSAGE"},
	{SendReplyMessageV2, 325, "SEND_REPLY_MESSAGE_V2"},
	{PushReplyMessageToClient, 326, "PUSH_REPLY_MESSAGE_TO_CLIENT"},
	{AddWritePermOfBroker, 327, "ADD_WRITE_PERM_OF_BROKER"},
	{GetAllProducerInfo, 328, "GET_ALL_PRODUCER_INFO"},
	{DeleteExpiredCommitlog, 329, "DELETE_EXPIRED_COMMITLOG"},
	{QueryTopicsByConsumer, 343, "QUERY_TOPICS_BY_CONSUMER"},
	{QuerySubscriptionByConsumer, 345, "QUERY_SUBSCRIPTION_BY_CONSUMER"},
	{GetTopicConfig, 351, "GET_TOPIC_CONFIG"},
	{GetSubscriptiongroupConfig, 352, "GET_SUBSCRIPTIONGROUP_CONFIG"},
	{UpdateAndGetGroupForbidden, 353, "UPDATE_AND_GET_GROUP_FORBIDDEN"},
	{CheckRocksdbCqWriteProgress, 354, "CHECK_ROCKSDB_CQ_WRITE_PROGRESS"},
	{ExportRocksdbConfigToJson, 355, "EXPORT_ROCKSDB_CONFIG_TO_JSON"},
	{LitePullMessage, 361, "LITE_PULL_MESSAGE"},
	{RecallMessage, 370, "RECALL_MESSAGE"},
	{QueryAssignment, 400, "QUERY_ASSIGNMENT"},
	{SetMessageRequestMode, 401, "SET_MESSAGE_REQUEST_MODE"},
	{GetAllMessageRequestMode, 402, "GET_ALL_MESSAGE_REQUEST_MODE"},
	{UpdateAndCreateStaticTopic, 513, "UPDATE_AND_CREATE_STATIC_TOPIC"},
	{GetBrokerMemberGroup, 901, "GET_BROKER_MEMBER_GROUP"},
	{AddBroker, 902, "ADD_BROKER"},
	{RemoveBroker, 903, "REMOVE_BROKER"},
	{BrokerHeartbeat, 904, "BROKER_HEARTBEAT"},
	{NotifyMinBrokerIdChange, 905, "NOTIFY_MIN_BROKER_ID_CHANGE"},
	{ExchangeBrokerHaInfo, 906, "EXCHANGE_BROKER_HA_INFO"},
	{GetBrokerHaStatus, 907, "GET_BROKER_HA_STATUS"},
	{ResetMasterFlushOffset, 908, "RESET_MASTER_FLUSH_OFFSET"},
	{ControllerAlterSyncStateSet, 1001, "CONTROLLER_ALTER_SYNC_STATE_SET"},
	{ControllerElectMaster, 1002, "CONTROLLER_ELECT_MASTER"},
	{ControllerRegisterBroker, 1003, "CONTROLLER_REGISTER_BROKER"},
	{ControllerGetReplicaInfo, 1004, "CONTROLLER_GET_REPLICA_INFO"},
	{ControllerGetMetadataInfo, 1005, "CONTROLLER_GET_METADATA_INFO"},
	{ControllerGetSyncStateData, 1006, "CONTROLLER_GET_SYNC_STATE_DATA"},
	{GetBrokerEpochCache, 1007, "GET_BROKER_EPOCH_CACHE"},
	{NotifyBrokerRoleChanged, 1008, "NOTIFY_BROKER_ROLE_CHANGED"},
	{UpdateControllerConfig, 1009, "UPDATE_CONTROLLER_CONFIG"},
	{GetControllerConfig, 1010, "GET_CONTROLLER_CONFIG"},
	{CleanBrokerData, 1011, "CLEAN_BROKER_DATA"},
	{ControllerGetNextBrokerId, 1012, "CONTROLLER_GET_NEXT_BROKER_ID"},
	{ControllerApplyBrokerId, 1013, "CONTROLLER_APPLY_BROKER_ID"},
	{BrokerCloseChannelRequest, 1014, "BROKER_CLOSE_CHANNEL_REQUEST"},
	{CheckNotActiveBrokerRequest, 1015, "CHECK_NOT_ACTIVE_BROKER_REQUEST"},
	{GetBrokerLiveInfoRequest, 1016, "GET_BROKER_LIVE_INFO_REQUEST"},
	{GetSyncStateDataRequest, 1017, "GET_SYNC_STATE_DATA_REQUEST"},
	{RaftBrokerHeartBeatEventRequest, 1018, "RAFT_BROKER_HEART_BEAT_EVENT_REQUEST"},
	{UpdateColdDataFlowCtrConfig, 2001, "UPDATE_COLD_DATA_FLOW_CTR_CONFIG"},
	{RemoveColdDataFlowCtrConfig, 2002, "REMOVE_COLD_DATA_FLOW_CTR_CONFIG"},
	{GetColdDataFlowCtrInfo, 2003, "GET_COLD_DATA_FLOW_CTR_INFO"},
	{SetCommitlogReadMode, 2004, "SET_COMMITLOG_READ_MODE"},
	{AuthCreateUser, 3001, "AUTH_CREATE_USER"},
	{AuthUpdateUser, 3002, "AUTH_UPDATE_USER"},
	{AuthDeleteUser, 3003, "AUTH_DELETE_USER"},
	{AuthGetUser, 3004, "AUTH_GET_USER"},
	{AuthListUser, 3005, "AUTH_LIST_USER"},
	{AuthCreateAcl, 3006, "AUTH_CREATE_ACL"},
	{AuthUpdateAcl, 3007, "AUTH_UPDATE_ACL"},
	{AuthDeleteAcl, 3008, "AUTH_DELETE_ACL"},
	{AuthGetAcl, 3009, "AUTH_GET_ACL"},
	{AuthListAcl, 3010, "AUTH_LIST_ACL"},
	{PopMessage, 200050, "POP_MESSAGE"},
	{AckMessage, 200051, "ACK_MESSAGE"},
	{PeekMessage, 200052, "PEEK_MESSAGE"},
	{ChangeMessageInvisibletime, 200053, "CHANGE_MESSAGE_INVISIBLETIME"},
	{Notification, 200054, "NOTIFICATION"},
	{PollingInfo, 200055, "POLLING_INFO"},
	{PopRollback, 200056, "POP_ROLLBACK"},
	{BatchAckMessage, 200151, "BATCH_ACK_MESSAGE"},
}

var responseTable = []struct {
	c    ResponseCode
	v    int32
	name string
	str  string
}{
	{RpcTimeOut, -1006, "RPC_TIME_OUT", "RPC_TIME_OUT"},
	{RpcSendToChannelFailed, -1004, "RPC_SEND_TO_CHANNEL_FAILED", "RPC_SEND_TO_CHANNEL_FAILED"},
	{RpcAddrIsNull, -1002, "RPC_ADDR_IS_NULL", "RPC_ADDR_IS_NULL"},
	{RpcUnknown, -1000, "RPC_UNKNOWN", "RPC_UNKNOWN"},
	{Success, 0, "SUCCESS", "SUCCESS"},
	{SystemError, 1, "SYSTEM_ERROR", "SYSTEM_ERROR"},
	{SystemBusy, 2, "SYSTEM_BUSY", "SYSTEM_BUSY"},
	{RequestCodeNotSupported, 3, "REQUEST_CODE_NOT_SUPPORTED", "REQUEST_CODE_NOT_SUPPORTED"},
	{TransactionFailed, 4, "TRANSACTION_FAILED", "TRANSACTION_FAILED"},
	{FlushDiskTimeout, 10, "FLUSH_DISK_TIMEOUT", "FLUSH_DISK_TIMEOUT"},
	{SlaveNotAvailable, 11, "SLAVE_NOT_AVAILABLE", "SLAVE_NOT_AVAILABLE"},
	{FlushSlaveTimeout, 12, "FLUSH_SLAVE_TIMEOUT", "FLUSH_SLAVE_TIMEOUT"},
	{MessageIllegal, 13, "MESSAGE_ILLEGAL", "MESSAGE_ILLEGAL"},
	{ServiceNotAvailable, 14, "SERVICE_NOT_AVAILABLE", "SERVICE_NOT_AVAILABLE"},
	{VersionNotSupported, 15, "VERSION_NOT_SUPPORTED", "VERSION_NOT_SUPPORTED"},
	{NoPermission, 16, "NO_PERMISSION", "NO_PERMISSION"},
	{TopicNotExist, 17, "TOPIC_NOT_EXIST", "TOPIC_NOT_EXIST"},
	{TopicExistAlready, 18, "TOPIC_EXIST_ALREADY", "TOPIC_EXIST_ALREADY"},
	{PullNotFound, 19, "PULL_NOT_FOUND", "PULL_NOT_FOUND"},
	{PullRetryImmediately, 20, "PULL_RETRY_IMMEDIATELY", "PULL_RETRY_IMMEDIATELY"},
	{PullOffsetMoved, 21, "PULL_OFFSET_MOVED", "PULL_OFFSET_MOVED"},
	{QueryNotFound, 22, "QUERY_NOT_FOUND", "QUERY_NOT_FOUND"},
	{SubscriptionParseFailed, 23, "SUBSCRIPTION_PARSE_FAILED", "SUBSCRIPTION_PARSE_FAILED"},
	{SubscriptionNotExist, 24, "SUBSCRIPTION_NOT_EXIST", "SUBSCRIPTION_NOT_EXIST"},
	{SubscriptionNotLatest, 25, "SUBSCRIPTION_NOT_LATEST", "SUBSCRIPTION_NOT_LATEST"},
	{SubscriptionGroupNotExist, 26, "SUBSCRIPTION_GROUP_NOT_EXIST", "SUBSCRIPTION_GROUP_NOT_EXIST"},
	{FilterDataNotExist, 27, "FILTER_DATA_NOT_EXIST", "FILTER_DATA_NOT_EXIST"},
	{FilterDataNotLatest, 28, "FILTER_DATA_NOT_LATEST", "FILTER_DATA_NOT_LATEST"},
	{InvalidParameter, 29, "INVALID_PARAMETER", "INVALID_PARAMETER"},
	{TransactionShouldCommit, 200, "TRANSACTION_SHOULD_COMMIT", "TRANSACTION_SHOULD_COMMIT"},
	{TransactionShouldRollback, 201, "TRANSACTION_SHOULD_ROLLBACK", "TRANSACTION_SHOULD_ROLLBACK"},
	{TransactionStateUnknow, 202, "TRANSACTION_STATE_UNKNOW", "TRANSACTION_STATE_UNKNOW"},
	{TransactionStateGroupWrong, 203, "TRANSACTION_STATE_GROUP_WRONG", "TRANSACTION_STATE_GROUP_WRONG"},
	{NoBuyerId, 204, "NO_BUYER_ID", "NO_BUYER_ID"},
	{NotInCurrentUnit, 205, "NOT_IN_CURRENT_UNIT", "NOT_IN_CURRENT_UNIT"},
	{ConsumerNotOnline, 206, "CONSUMER_NOT_ONLINE", "CONSUMER_NOT_ONLINE"},
	{ConsumeMsgTimeout, 207, "CONSUME_MSG_TIMEOUT", "CONSUME_MSG_TIMEOUT"},
	{NoMessage, 208, "NO_MESSAGE", "NO_MESSAGE"},
	{PollingFull, 209, "POLLING_FULL", "POLLING_FULL"},
	{UpdateAndCreateAclConfigFailed, 209, "UPDATE_AND_CREATE_ACL_CONFIG_FAILED", "POLLING_FULL"},
	{PollingTimeout, 210, "POLLING_TIMEOUT", "POLLING_TIMEOUT"},
	{DeleteAclConfigFailed, 210, "DELETE_ACL_CONFIG_FAILED", "POLLING_TIMEOUT"},
	{BrokerNotExist, 211, "BROKER_NOT_EXIST", "BROKER_NOT_EXIST"},
	{UpdateGlobalWhiteAddrsConfigFailed, 211, "UPDATE_GLOBAL_WHITE_ADDRS_CONFIG_FAILED", "BROKER_NOT_EXIST"},
	{BrokerDispatchNotComplete, 212, "BROKER_DISPATCH_NOT_COMPLETE", "BROKER_DISPATCH_NOT_COMPLETE"},
	{BroadcastConsumption, 213, "BROADCAST_CONSUMPTION", "BROADCAST_CONSUMPTION"},
	{FlowControl, 215, "FLOW_CONTROL", "FLOW_CONTROL"},
	{NotLeaderForQueue, 501, "NOT_LEADER_FOR_QUEUE", "NOT_LEADER_FOR_QUEUE"},
	{IllegalOperation, 604, "ILLEGAL_OPERATION", "ILLEGAL_OPERATION"},
	{GoAway, 1500, "GO_AWAY", "GO_AWAY"},
	{ControllerFencedMasterEpoch, 2000, "CONTROLLER_FENCED_MASTER_EPOCH", "CONTROLLER_FENCED_MASTER_EPOCH"},
	{ControllerFencedSyncStateSetEpoch, 2001, "CONTROLLER_FENCED_SYNC_STATE_SET_EPOCH", "CONTROLLER_FENCED_SYNC_STATE_SET_EPOCH"},
	{ControllerInvalidMaster, 2002, "CONTROLLER_INVALID_MASTER", "CONTROLLER_INVALID_MASTER"},
	{ControllerInvalidReplicas, 2003, "CONTROLLER_INVALID_REPLICAS", "CONTROLLER_INVALID_REPLICAS"},
	{ControllerMasterNotAvailable, 2004, "CONTROLLER_MASTER_NOT_AVAILABLE", "CONTROLLER_MASTER_NOT_AVAILABLE"},
	{ControllerInvalidRequest, 2005, "CONTROLLER_INVALID_REQUEST", "CONTROLLER_INVALID_REQUEST"},
	{ControllerBrokerNotAlive, 2006, "CONTROLLER_BROKER_NOT_ALIVE", "CONTROLLER_BROKER_NOT_ALIVE"},
	{ControllerNotLeader, 2007, "CONTROLLER_NOT_LEADER", "CONTROLLER_NOT_LEADER"},
	{ControllerBrokerMetadataNotExist, 2008, "CONTROLLER_BROKER_METADATA_NOT_EXIST", "CONTROLLER_BROKER_METADATA_NOT_EXIST"},
	{ControllerInvalidCleanBrokerMetadata, 2009, "CONTROLLER_INVALID_CLEAN_BROKER_METADATA", "CONTROLLER_INVALID_CLEAN_BROKER_METADATA"},
	{ControllerBrokerNeedToBeRegistered, 2010, "CONTROLLER_BROKER_NEED_TO_BE_REGISTERED", "CONTROLLER_BROKER_NEED_TO_BE_REGISTERED"},
	{ControllerMasterStillExist, 2011, "CONTROLLER_MASTER_STILL_EXIST", "CONTROLLER_MASTER_STILL_EXIST"},
	{ControllerElectMasterFailed, 2012, "CONTROLLER_ELECT_MASTER_FAILED", "CONTROLLER_ELECT_MASTER_FAILED"},
	{ControllerAlterSyncStateSetFailed, 2013, "CONTROLLER_ALTER_SYNC_STATE_SET_FAILED", "CONTROLLER_ALTER_SYNC_STATE_SET_FAILED"},
	{ControllerBrokerIdInvalid, 2014, "CONTROLLER_BROKER_ID_INVALID", "CONTROLLER_BROKER_ID_INVALID"},
	{ControllerJraftInternalError, 2015, "CONTROLLER_JRAFT_INTERNAL_ERROR", "CONTROLLER_JRAFT_INTERNAL_ERROR"},
	{ControllerBrokerLiveInfoNotExists, 2016, "CONTROLLER_BROKER_LIVE_INFO_NOT_EXISTS", "CONTROLLER_BROKER_LIVE_INFO_NOT_EXISTS"},
	{UserNotExist, 3001, "USER_NOT_EXIST", "USER_NOT_EXIST"},
	{PolicyNotExist, 3002, "POLICY_NOT_EXIST", "POLICY_NOT_EXIST"},
}
