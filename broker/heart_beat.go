package broker

// HEART_BEAT (34), UNREGISTER_CLIENT (35), GET_CONSUMER_LIST_BY_GROUP (38)
// and the broker-initiated NOTIFY_CONSUMER_IDS_CHANGED (40), mirroring
// Java's ClientManageProcessor, ConsumerManageProcessor and Broker2Client.
//
// HEART_BEAT body: HeartbeatData (Java, Go and C++ dialects).
//  1. Each consumer group gets a subscription group config (auto-created
//     when autoCreateSubscriptionGroup) and, in clustering mode, its
//     %RETRY%group topic, registered with the NameServers at once.
//  2. The connection joins the group; a changed client set sends
//     NOTIFY_CONSUMER_IDS_CHANGED (oneway) to every member so they rebalance.
//  3. Producer groups record the connection (transaction check-back and
//     request-reply find producers here).
//  4. The response carries the broker's version (clients read it as the
//     broker version) and ext IS_SUPPORT_HEART_BEAT_V2 / IS_SUB_CHANGE.
//
// UNREGISTER_CLIENT: clientID*, producerGroup, consumerGroup. Removes the
// connection from the named groups; consumers of a changed group are notified.
//
// GET_CONSUMER_LIST_BY_GROUP: consumerGroup*. Body {"consumerIdList":[...]};
// code 1 with Java's remark when nobody of the group is online.

import (
	"fmt"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) heartBeat(r *transport.Request) *wire.Command {
	hb, err := codec.DecodeHeartbeat(r.Cmd.Body)
	if err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, "bad heartbeat body: "+err.Error())
	}
	ch := clientChannel{conn: r.Conn, clientID: hb.ClientID, language: r.Cmd.Language, version: r.Cmd.Version, lastUpdate: time.Now()}
	for i := range hb.ConsumerDataSet {
		cd := &hb.ConsumerDataSet[i]
		sg, ok, err := b.groups.getOrCreate(cd.GroupName, b.conf().AutoCreateSubscriptionGroup)
		if err != nil {
			b.log.Error("create subscription group", "group", cd.GroupName, "err", err)
		}
		if ok && string(cd.MessageModel) != "BROADCASTING" {
			if _, _, err := b.createRetryTopic(cd.GroupName, sg.RetryQueueNums); err != nil {
				b.log.Error("create retry topic", "group", cd.GroupName, "err", err)
			}
		}
		if b.clients.registerConsumer(cd, ch, hb.WithoutSub) && (!ok || sg.NotifyConsumerIdsChangedEnable) {
			b.log.Info("consumer group changed", "group", cd.GroupName, "client", hb.ClientID, "remote", r.Conn.RemoteAddr())
			b.notifyConsumerIDsChanged(cd.GroupName)
		}
	}
	for _, pd := range hb.ProducerDataSet {
		b.clients.registerProducer(pd.GroupName, ch)
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Ext = append(resp.Ext,
		wire.Field{Key: "IS_SUPPORT_HEART_BEAT_V2", Value: "false"},
		wire.Field{Key: "IS_SUB_CHANGE", Value: "false"})
	return resp
}

func (b *Broker) unregisterClient(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	_ = rd.String("clientID", true)
	pg, cg := rd.String("producerGroup", false), rd.String("consumerGroup", false)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	if pg != "" {
		b.clients.unregisterProducer(pg, r.Conn.ID())
	}
	if cg != "" && b.clients.unregisterConsumer(cg, r.Conn.ID()) {
		b.notifyConsumerIDsChanged(cg)
	}
	return wire.NewResponse(r.Cmd, wire.Success, "")
}

func (b *Broker) getConsumerListByGroup(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	group := rd.String("consumerGroup", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	ids := b.clients.consumerIDs(group)
	if len(ids) == 0 {
		return wire.NewResponse(r.Cmd, wire.SystemError, fmt.Sprintf("no consumer for this group, %s", group))
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = codec.Encode(codec.ConsumerListBody{ConsumerIDList: ids})
	return resp
}

// notifyConsumerIDsChanged tells every member of group to rebalance.
func (b *Broker) notifyConsumerIDsChanged(group string) {
	for _, c := range b.clients.consumerConns(group) {
		req := wire.NewRequest(wire.NotifyConsumerIdsChanged, wire.Field{Key: "consumerGroup", Value: group})
		if err := c.Oneway(req); err != nil {
			b.log.Debug("notify consumer ids changed", "group", group, "remote", c.RemoteAddr(), "err", err)
		}
	}
}
