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
		{Code: wire.QueryConsumerOffset, Handler: b.queryConsumerOffset, Class: transport.Admin},
		{Code: wire.UpdateConsumerOffset, Handler: b.updateConsumerOffset, Class: transport.Admin},
		{Code: wire.UpdateAndCreateTopic, Handler: b.updateAndCreateTopic, Class: transport.Admin},
		{Code: wire.SearchOffsetByTimestamp, Handler: b.searchOffsetByTimestamp, Class: transport.Admin},
		{Code: wire.GetMaxOffset, Handler: b.getMaxOffset, Class: transport.Admin},
		{Code: wire.GetMinOffset, Handler: b.getMinOffset, Class: transport.Admin},
		{Code: wire.GetEarliestMsgStoretime, Handler: b.getEarliestMsgStoretime, Class: transport.Admin},
		{Code: wire.ViewMessageById, Handler: b.viewMessageByID, Class: transport.Admin},
		{Code: wire.HeartBeat, Handler: b.heartBeat, Class: transport.Heartbeat},
		{Code: wire.UnregisterClient, Handler: b.unregisterClient, Class: transport.Heartbeat},
		{Code: wire.GetConsumerListByGroup, Handler: b.getConsumerListByGroup, Class: transport.Heartbeat},
		{Code: wire.DeleteTopicInBroker, Handler: b.deleteTopicInBroker, Class: transport.Admin},
		{Code: wire.SendMessageV2, Handler: b.sendMessage, Class: transport.Send},
		{Code: wire.SendBatchMessage, Handler: b.sendMessage, Class: transport.Send},
		{Code: wire.GetTopicConfig, Handler: b.getTopicConfig, Class: transport.Admin},
		{Code: wire.LitePullMessage, Handler: b.pullMessage, Class: transport.Pull},
	}
}
