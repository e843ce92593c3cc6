package broker

// GET_BROKER_CONSUME_STATS (317): every group's offsets on this broker at
// once (mqadmin brokerConsumeStats).
//
// Mirrors AdminBrokerProcessor.fetchAllConsumeStatsInBroker (Apache
// RocketMQ 5.3.3).
//
// Header: isOrder (true keeps only order topics; absent is false).
//
// Behaviour:
//  1. For each subscription group the broker has a config for, sorted by
//     name (Java iterates a ConcurrentHashMap), the topics the group has
//     committed offsets of. Topics without a config here are skipped, so
//     are non-order topics under isOrder, and, when the group is online
//     with subscriptions, topics it does not subscribe to.
//  2. One ConsumeStats per topic with an entry per write queue:
//     brokerOffset = queue max offset, consumerOffset = committed offset
//     (0 when none), lastTimestamp = store time of the message before the
//     consumer offset (0 when none). pullOffset stays 0 and consumeTps
//     0.0, as Java leaves them on this path (Booster keeps no per-group
//     get statistics).
//  3. totalDiff sums brokerOffset - consumerOffset; totalInflightDiff sums
//     pullOffset - consumerOffset, Java's arithmetic, so it is minus the
//     committed total.
//
// Response: SUCCESS with body ConsumeStatsList in fastjson's form:
//
//	{"brokerAddr":"ip:port","consumeStatsList":[{"group":[{ConsumeStats},…]},…],
//	 "totalDiff":n,"totalInflightDiff":n}
//
// A group with no topics still appears, with an empty list.

import (
	"sort"
	"strconv"

	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) getBrokerConsumeStats(r *transport.Request) *wire.Command {
	isOrder, _ := r.Cmd.Ext.Get("isOrder")
	onlyOrder := isOrder == "true"
	brokerName := b.conf().BrokerName
	var totalDiff, totalInflight int64
	body := append(make([]byte, 0, 256), `{"brokerAddr":`...)
	body = appendJSONString(body, b.Addr())
	body = append(body, `,"consumeStatsList":[`...)
	for gi, group := range b.groups.names() {
		if gi > 0 {
			body = append(body, ',')
		}
		body = append(body, '{')
		body = appendJSONString(body, group)
		body = append(body, ":["...)
		n := 0
		for _, topic := range b.offsets.topicsOfGroup(group) {
			tc, ok := b.topics.get(topic)
			if !ok || onlyOrder && !tc.Order {
				continue
			}
			if _, ok := b.clients.subscription(group, topic); !ok && b.clients.subscriptionCount(group) > 0 {
				continue
			}
			offs := make([]offsetWrapper, 0, tc.WriteQueueNums)
			for i := 0; i < tc.WriteQueueNums; i++ {
				q := int32(i)
				o := offsetWrapper{topic: topic, queueID: q, brokerOffset: max(0, b.store.MaxOffset(topic, q))}
				if off, ok := b.offsets.query(topic, group, q); ok && off > 0 {
					o.consumerOffset = off
				}
				if o.consumerOffset > 0 {
					o.lastTimestamp = max(0, b.storeTimeAt(topic, q, o.consumerOffset-1))
				}
				totalDiff += o.brokerOffset - o.consumerOffset
				totalInflight += o.pullOffset - o.consumerOffset
				offs = append(offs, o)
			}
			if n > 0 {
				body = append(body, ',')
			}
			n++
			body = append(body, encodeConsumeStats(brokerName, offs, 0)...)
		}
		body = append(body, "]}"...)
	}
	body = append(body, `],"totalDiff":`...)
	body = strconv.AppendInt(body, totalDiff, 10)
	body = append(body, `,"totalInflightDiff":`...)
	body = strconv.AppendInt(body, totalInflight, 10)
	body = append(body, '}')
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = body
	return resp
}

// names returns every group name, sorted.
func (g *groupTable) names() []string {
	g.mu.RLock()
	out := make([]string, 0, len(g.groups))
	for name := range g.groups {
		out = append(out, name)
	}
	g.mu.RUnlock()
	sort.Strings(out)
	return out
}
