package broker

import (
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// routes is the broker's whole request table, sorted by code. Codes not
// listed are answered REQUEST_CODE_NOT_SUPPORTED by the transport.
func (b *Broker) routes() []transport.Route {
	return []transport.Route{
		{Code: wire.SendMessage, Handler: b.sendMessage, Class: transport.Send},
		{Code: wire.PullMessage, Handler: b.pullMessage, Class: transport.Pull},
		{Code: wire.QueryMessage, Handler: b.queryMessage, Class: transport.Admin},
		{Code: wire.QueryConsumerOffset, Handler: b.queryConsumerOffset, Class: transport.Admin},
		{Code: wire.UpdateConsumerOffset, Handler: b.updateConsumerOffset, Class: transport.Admin},
		{Code: wire.UpdateAndCreateTopic, Handler: b.updateAndCreateTopic, Class: transport.Admin},
		{Code: wire.GetAllTopicConfig, Handler: b.getAllTopicConfig, Class: transport.Admin},
		{Code: wire.UpdateBrokerConfig, Handler: b.updateBrokerConfig, Class: transport.Admin},
		{Code: wire.GetBrokerConfig, Handler: b.getBrokerConfig, Class: transport.Admin},
		{Code: wire.GetBrokerRuntimeInfo, Handler: b.getBrokerRuntimeInfo, Class: transport.Admin},
		{Code: wire.SearchOffsetByTimestamp, Handler: b.searchOffsetByTimestamp, Class: transport.Admin},
		{Code: wire.GetMaxOffset, Handler: b.getMaxOffset, Class: transport.Admin},
		{Code: wire.GetMinOffset, Handler: b.getMinOffset, Class: transport.Admin},
		{Code: wire.GetEarliestMsgStoretime, Handler: b.getEarliestMsgStoretime, Class: transport.Admin},
		{Code: wire.ViewMessageById, Handler: b.viewMessageByID, Class: transport.Admin},
		{Code: wire.HeartBeat, Handler: b.heartBeat, Class: transport.Heartbeat},
		{Code: wire.UnregisterClient, Handler: b.unregisterClient, Class: transport.Heartbeat},
		{Code: wire.ConsumerSendMsgBack, Handler: b.consumerSendMsgBack, Class: transport.Send},
		{Code: wire.EndTransaction, Handler: b.endTransaction, Class: transport.Txn},
		{Code: wire.GetConsumerListByGroup, Handler: b.getConsumerListByGroup, Class: transport.Heartbeat},
		{Code: wire.LockBatchMq, Handler: b.lockBatchMQ, Class: transport.Admin},
		{Code: wire.UnlockBatchMq, Handler: b.unlockBatchMQ, Class: transport.Admin},
		{Code: wire.GetAllConsumerOffset, Handler: b.getAllConsumerOffset, Class: transport.Admin},
		{Code: wire.GetAllDelayOffset, Handler: b.getAllDelayOffset, Class: transport.Admin},
		{Code: wire.CheckClientConfig, Handler: b.checkClientConfig, Class: transport.Heartbeat},
		{Code: wire.UpdateAndCreateAclConfig, Handler: b.updateAndCreateACLConfig, Class: transport.Admin},
		{Code: wire.DeleteAclConfig, Handler: b.deleteACLConfig, Class: transport.Admin},
		{Code: wire.GetBrokerClusterAclInfo, Handler: b.getBrokerClusterACLInfo, Class: transport.Admin},
		{Code: wire.UpdateGlobalWhiteAddrsConfig, Handler: b.updateGlobalWhiteAddrsConfig, Class: transport.Admin},
		{Code: wire.GetBrokerClusterAclConfig, Handler: b.getBrokerClusterACLConfig, Class: transport.Admin},
		{Code: wire.UpdateAndCreateSubscriptiongroup, Handler: b.updateAndCreateSubscriptionGroup, Class: transport.Admin},
		{Code: wire.GetAllSubscriptiongroupConfig, Handler: b.getAllSubscriptionGroupConfig, Class: transport.Admin},
		{Code: wire.GetTopicStatsInfo, Handler: b.getTopicStatsInfo, Class: transport.Admin},
		{Code: wire.GetConsumerConnectionList, Handler: b.getConsumerConnectionList, Class: transport.Admin},
		{Code: wire.GetProducerConnectionList, Handler: b.getProducerConnectionList, Class: transport.Admin},
		{Code: wire.DeleteSubscriptiongroup, Handler: b.deleteSubscriptionGroup, Class: transport.Admin},
		{Code: wire.GetConsumeStats, Handler: b.getConsumeStats, Class: transport.Admin},
		{Code: wire.DeleteTopicInBroker, Handler: b.deleteTopicInBroker, Class: transport.Admin},
		{Code: wire.InvokeBrokerToResetOffset, Handler: b.resetOffset, Class: transport.Admin},
		{Code: wire.InvokeBrokerToGetConsumerStatus, Handler: b.getConsumerStatus, Class: transport.Admin},
		{Code: wire.QueryTopicConsumeByWho, Handler: b.queryTopicConsumeByWho, Class: transport.Admin},
		{Code: wire.GetSystemTopicListFromBroker, Handler: b.getSystemTopicListFromBroker, Class: transport.Admin},
		{Code: wire.CleanExpiredConsumequeue, Handler: b.cleanExpiredConsumeQueue, Class: transport.Admin},
		{Code: wire.GetConsumerRunningInfo, Handler: b.getConsumerRunningInfo, Class: transport.Admin},
		{Code: wire.ConsumeMessageDirectly, Handler: b.consumeMessageDirectly, Class: transport.Admin},
		{Code: wire.SendMessageV2, Handler: b.sendMessage, Class: transport.Send},
		{Code: wire.ViewBrokerStatsData, Handler: b.viewBrokerStatsData, Class: transport.Admin},
		{Code: wire.GetBrokerConsumeStats, Handler: b.getBrokerConsumeStats, Class: transport.Admin},
		{Code: wire.SendBatchMessage, Handler: b.sendMessage, Class: transport.Send},
		{Code: wire.SendReplyMessage, Handler: b.sendReplyMessage, Class: transport.Send},
		{Code: wire.SendReplyMessageV2, Handler: b.sendReplyMessage, Class: transport.Send},
		{Code: wire.QueryTopicsByConsumer, Handler: b.queryTopicsByConsumer, Class: transport.Admin},
		{Code: wire.GetTopicConfig, Handler: b.getTopicConfig, Class: transport.Admin},
		{Code: wire.GetSubscriptiongroupConfig, Handler: b.getSubscriptionGroupConfig, Class: transport.Admin},
		{Code: wire.LitePullMessage, Handler: b.pullMessage, Class: transport.Pull},
		{Code: wire.QueryAssignment, Handler: b.queryAssignment, Class: transport.Admin},
		{Code: wire.SetMessageRequestMode, Handler: b.setMessageRequestMode, Class: transport.Admin},
		{Code: wire.GetAllMessageRequestMode, Handler: b.getAllMessageRequestMode, Class: transport.Admin},
		// The POP family as ROCKETMQ-serialized headers carry it: Java writes
		// the code as a short (200050 → 3442). Apache answers these 3; Booster
		// serves them, so pop also works for clients using ROCKETMQ headers.
		{Code: shortCode(wire.PopMessage), Handler: b.popMessage, Class: transport.Pull},
		{Code: shortCode(wire.AckMessage), Handler: b.ackMessage, Class: transport.Pull},
		{Code: shortCode(wire.PeekMessage), Handler: b.peekMessage, Class: transport.Pull},
		{Code: shortCode(wire.ChangeMessageInvisibletime), Handler: b.changeMessageInvisibleTime, Class: transport.Pull},
		{Code: shortCode(wire.Notification), Handler: b.notification, Class: transport.Pull},
		{Code: shortCode(wire.PollingInfo), Handler: b.pollingInfo, Class: transport.Pull},
		{Code: shortCode(wire.BatchAckMessage), Handler: b.batchAckMessage, Class: transport.Pull},
		// The POP family (> 4095) lands in the router's sparse map.
		{Code: wire.PopMessage, Handler: b.popMessage, Class: transport.Pull},
		{Code: wire.AckMessage, Handler: b.ackMessage, Class: transport.Pull},
		{Code: wire.PeekMessage, Handler: b.peekMessage, Class: transport.Pull},
		{Code: wire.ChangeMessageInvisibletime, Handler: b.changeMessageInvisibleTime, Class: transport.Pull},
		{Code: wire.Notification, Handler: b.notification, Class: transport.Pull},
		{Code: wire.PollingInfo, Handler: b.pollingInfo, Class: transport.Pull},
		{Code: wire.BatchAckMessage, Handler: b.batchAckMessage, Class: transport.Pull},
	}
}
