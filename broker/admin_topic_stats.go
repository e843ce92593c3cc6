package broker

// GET_ALL_TOPIC_CONFIG (21), GET_TOPIC_STATS_INFO (202),
// GET_SYSTEM_TOPIC_LIST_FROM_BROKER (305) and CLEAN_EXPIRED_CONSUMEQUEUE
// (306): the topic side of mqadmin (topicStatus, updateTopic's follow-up
// polling, exportConfigs, cleanExpiredCQ).
//
// Mirrors AdminBrokerProcessor.getAllTopicConfig, getTopicStatsInfo,
// getSystemTopicListFromBroker and cleanExpiredConsumeQueue (Apache
// RocketMQ 5.3.3).
//
// 21 header: the 5.3 paging fields topicSeq, dataVersion, maxTopicNum are
// ignored (Java too unless enableSplitMetadata).
//  1. Body TopicConfigAndMappingSerializeWrapper: dataVersion,
//     mappingDataVersion, topicConfigTable (every topic); ext
//     totalTopicNum.
//
// 202 header: topic*.
//  1. Unknown topic → TOPIC_NOT_EXIST "topic[<t>] not exist".
//  2. Body TopicStatsTable, one entry per queue 0..max(read, write)-1 keyed
//     by the MessageQueue object (fastjson form, admin_fastjson.go):
//     minOffset, maxOffset, lastUpdateTimestamp = store time of the last
//     message (0 for an empty queue, -1 when it is gone).
//  3. topicPutTps is the topic's messages stored in the last 60 s per
//     second (Java: the put-nums minute statistics).
//
// 305 header: none. Body TopicList of TopicValidator's system topics
// (sorted; no brokerAddr, as in Java).
//
// 306 header: none. Booster's consume queues are removed together with
// their topic (DELETE_TOPIC_IN_BROKER) and trimmed by retention, so there
// is nothing left to clean: SUCCESS.
//
// Responses: SUCCESS; TOPIC_NOT_EXIST (202); SYSTEM_ERROR for a missing
// field.

import (
	"strconv"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) getAllTopicConfig(r *transport.Request) *wire.Command {
	w := b.topics.wrapper()
	w.MappingDataVersion = &codec.DataVersion{}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = codec.Encode(w)
	resp.SetExt("totalTopicNum", strconv.Itoa(len(w.TopicConfigTable)))
	return resp
}

func (b *Broker) getTopicStatsInfo(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	topic := rd.String("topic", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	tc, ok := b.topics.get(topic)
	if !ok {
		return wire.NewResponse(r.Cmd, wire.TopicNotExist, "topic["+topic+"] not exist")
	}
	n := max(tc.ReadQueueNums, tc.WriteQueueNums)
	offs := make([]topicOffset, n)
	recent := time.Now().Add(-time.Minute).UnixMilli()
	var putLastMinute int64
	for i := range offs {
		q := int32(i)
		o := topicOffset{queueID: q, minOffset: b.store.MinOffset(topic, q), maxOffset: b.store.MaxOffset(topic, q)}
		if o.maxOffset > 0 {
			o.lastUpdateTimestamp = b.storeTimeAt(topic, q, o.maxOffset-1)
		}
		if o.lastUpdateTimestamp >= recent {
			putLastMinute += o.maxOffset - b.store.OffsetByTime(topic, q, recent, false)
		}
		offs[i] = o
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = encodeTopicStatsTable(b.conf().BrokerName, topic, offs, float64(putLastMinute)/60)
	return resp
}

// systemTopicSet is TopicValidator.getSystemTopicSet, sorted.
var systemTopicSet = [...]string{
	"BenchmarkTest", "CHECKPOINT_TOPIC", compat.OffsetMovedEvent, "RMQ_SYS_TRACE_TOPIC",
	compat.TransHalfTopic, compat.TransOpHalfTopic, compat.ScheduleTopic, compat.SelfTestTopic,
	compat.AutoCreateTopicKey, compat.TransCheckMaxTimeTopic,
}

func (b *Broker) getSystemTopicListFromBroker(r *transport.Request) *wire.Command {
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = codec.Encode(codec.TopicList{TopicList: systemTopicSet[:]})
	return resp
}

func (b *Broker) cleanExpiredConsumeQueue(r *transport.Request) *wire.Command {
	return wire.NewResponse(r.Cmd, wire.Success, "")
}
