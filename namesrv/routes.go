package namesrv

import (
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// handlers is the NameServer's route table: one row per request code,
// sorted by code. Every other code is answered REQUEST_CODE_NOT_SUPPORTED
// by the transport.
//
// All rows run on the Admin class: every handler takes a route-table or KV
// lock, which Java also takes (RouteInfoManager's ReadWriteLock), so none
// qualifies for Inline.
func (s *Server) handlers() []transport.Route {
	return []transport.Route{
		{Code: wire.PutKvConfig, Handler: s.putKVConfig, Class: transport.Admin},                                     // 100
		{Code: wire.GetKvConfig, Handler: s.getKVConfig, Class: transport.Admin},                                     // 101
		{Code: wire.DeleteKvConfig, Handler: s.deleteKVConfig, Class: transport.Admin},                               // 102
		{Code: wire.RegisterBroker, Handler: s.registerBroker, Class: transport.Admin},                               // 103
		{Code: wire.UnregisterBroker, Handler: s.unregisterBroker, Class: transport.Admin},                           // 104
		{Code: wire.GetRouteinfoByTopic, Handler: s.getRouteInfoByTopic, Class: transport.Admin},                     // 105
		{Code: wire.GetBrokerClusterInfo, Handler: s.getBrokerClusterInfo, Class: transport.Admin},                   // 106
		{Code: wire.WipeWritePermOfBroker, Handler: s.wipeWritePermOfBroker, Class: transport.Admin},                 // 205
		{Code: wire.GetAllTopicListFromNameserver, Handler: s.getAllTopicListFromNameserver, Class: transport.Admin}, // 206
		{Code: wire.DeleteTopicInNamesrv, Handler: s.deleteTopicInNamesrv, Class: transport.Admin},                   // 216
		{Code: wire.RegisterTopicInNamesrv, Handler: s.registerTopicInNamesrv, Class: transport.Admin},               // 217
		{Code: wire.GetKvlistByNamespace, Handler: s.getKVListByNamespace, Class: transport.Admin},                   // 219
		{Code: wire.GetTopicsByCluster, Handler: s.getTopicsByCluster, Class: transport.Admin},                       // 224
		{Code: wire.GetSystemTopicListFromNs, Handler: s.getSystemTopicListFromNs, Class: transport.Admin},           // 304
		{Code: wire.GetUnitTopicList, Handler: s.getUnitTopicList, Class: transport.Admin},                           // 311
		{Code: wire.GetHasUnitSubTopicList, Handler: s.getHasUnitSubTopicList, Class: transport.Admin},               // 312
		{Code: wire.GetHasUnitSubUnunitTopicList, Handler: s.getHasUnitSubUnunitTopicList, Class: transport.Admin},   // 313
		{Code: wire.UpdateNamesrvConfig, Handler: s.updateNamesrvConfig, Class: transport.Admin},                     // 318
		{Code: wire.GetNamesrvConfig, Handler: s.getNamesrvConfig, Class: transport.Admin},                           // 319
		{Code: wire.QueryDataVersion, Handler: s.queryDataVersion, Class: transport.Admin},                           // 322
		{Code: wire.AddWritePermOfBroker, Handler: s.addWritePermOfBroker, Class: transport.Admin},                   // 327
		{Code: wire.GetBrokerMemberGroup, Handler: s.getBrokerMemberGroup, Class: transport.Admin},                   // 901
		{Code: wire.BrokerHeartbeat, Handler: s.brokerHeartbeat, Class: transport.Admin},                             // 904
	}
}
