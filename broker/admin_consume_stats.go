package broker

// GET_CONSUME_STATS (208), GET_ALL_CONSUMER_OFFSET (43),
// QUERY_TOPIC_CONSUME_BY_WHO (300) and QUERY_TOPICS_BY_CONSUMER (343): the
// consumer-offset side of mqadmin (consumerProgress, statsAll, topicList -c,
// queryMsgById's message track, resetOffsetByTime's fallback).
//
// Mirrors AdminBrokerProcessor.getConsumeStats /
// getTopicsForCollectingConsumeStats, getAllConsumerOffset,
// queryTopicConsumeByWho and queryTopicsByConsumer (Apache RocketMQ 5.3.3).
//
// 208 header: consumerGroup*, topic, topicList (';'-separated; when given,
// topic is ignored and no subscription check is made).
//  1. Without topicList the topics are topic (when given) or every topic
//     the group has committed offsets of; when the group is online with
//     subscriptions, topics it does not subscribe to are dropped.
//  2. For each topic that exists, one entry per read queue keyed by the
//     MessageQueue object (fastjson form): brokerOffset = queue max offset,
//     consumerOffset = committed offset (0 when none), pullOffset =
//     max(consumerOffset, the next offset the group's last pull of the
//     queue was answered with (pull_offsets.go)), lastTimestamp = store
//     time of the message before the consumer offset (0 when none).
//  3. consumeTps is 0.0: Booster keeps no per-group get statistics yet.
//
// 43 header: none. Body {"dataVersion":…,"offsetTable":{"topic@group":
// {queueId:offset}}} with bare numeric queue keys, as fastjson writes
// ConsumerOffsetManager (an empty table when there is none).
//
// 300 header: topic*. Body GroupList: groups online with a subscription to
// the topic plus groups with committed offsets of it, sorted.
//
// 343 header: group*. Body TopicList of the topics the group has committed
// offsets of, with brokerAddr = this broker.
//
// Responses: SUCCESS; SYSTEM_ERROR for a missing field.

import (
	"slices"
	"strings"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) getConsumeStats(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	group := rd.String("consumerGroup", true)
	topic, topicList := rd.String("topic", false), rd.String("topicList", false)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	var offs []offsetWrapper
	for _, t := range b.consumeStatsTopics(group, topic, topicList) {
		tc, ok := b.topics.get(t)
		if !ok {
			continue
		}
		for i := 0; i < tc.ReadQueueNums; i++ {
			q := int32(i)
			o := offsetWrapper{topic: t, queueID: q, brokerOffset: b.store.MaxOffset(t, q)}
			if off, ok := b.offsets.query(t, group, q); ok && off > 0 {
				o.consumerOffset = off
			}
			o.pullOffset = o.consumerOffset
			if off, ok := b.pulled.get(t, group, q); ok && off > o.pullOffset {
				o.pullOffset = off
			}
			if o.consumerOffset > 0 {
				o.lastTimestamp = max(0, b.storeTimeAt(t, q, o.consumerOffset-1))
			}
			offs = append(offs, o)
		}
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = encodeConsumeStats(b.conf().BrokerName, offs, 0)
	return resp
}

// consumeStatsTopics picks the topics of a GET_CONSUME_STATS request.
func (b *Broker) consumeStatsTopics(group, topic, topicList string) []string {
	var out []string
	for _, t := range strings.Split(topicList, ";") {
		if t = strings.TrimSpace(t); t != "" {
			out = append(out, t)
		}
	}
	if len(out) > 0 {
		return out
	}
	if strings.TrimSpace(topic) != "" {
		out = []string{topic}
	} else {
		out = b.offsets.topicsOfGroup(group)
	}
	if b.clients.subscriptionCount(group) == 0 {
		return out
	}
	kept := out[:0]
	for _, t := range out {
		if _, ok := b.clients.subscription(group, t); ok {
			kept = append(kept, t)
		}
	}
	return kept
}

func (b *Broker) getAllConsumerOffset(r *transport.Request) *wire.Command {
	offsets, v := b.offsets.snapshot()
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = encodeConsumerOffsets(offsets, v)
	return resp
}

// groupList is Java's GroupList body.
type groupList struct {
	GroupList []string `json:"groupList"`
}

func (b *Broker) queryTopicConsumeByWho(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	topic := rd.String("topic", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	groups := append(b.clients.groupsSubscribing(topic), b.offsets.groupsOfTopic(topic)...)
	slices.Sort(groups)
	groups = slices.Compact(groups)
	if groups == nil {
		groups = []string{}
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = codec.Encode(groupList{GroupList: groups})
	return resp
}

func (b *Broker) queryTopicsByConsumer(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	group := rd.String("group", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	topics := b.offsets.topicsOfGroup(group)
	if topics == nil {
		topics = []string{}
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = codec.Encode(codec.TopicList{TopicList: topics, BrokerAddr: b.Addr()})
	return resp
}
