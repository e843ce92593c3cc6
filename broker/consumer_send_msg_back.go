package broker

// CONSUMER_SEND_MSG_BACK (36), mirroring Java's
// AbstractSendMessageProcessor.consumerSendMsgBack, and the %RETRY% →
// %DLQ% reroute of a plain SEND (SendMessageProcessor.handleRetryAndDLQ).
//
// Header: offset* (commit-log offset of the consumed message), group*,
// delayLevel* (0 = the broker decides, < 0 = dead-letter it now),
// originMsgId, originTopic, unitMode, maxReconsumeTimes (honoured from
// request version V3_4_9 on), bname.
//
// Behaviour:
//  1. A slave answers 1 (Java forwards to its master; Booster has no
//     forwarding), an unwritable broker 16, an unknown group (with
//     autoCreateSubscriptionGroup off) 26.
//  2. A group with retryQueueNums <= 0 answers 0 and stores nothing.
//  3. %RETRY%group is created with retryQueueNums queues if missing
//     (registered with the NameServers at once); not writable → 16.
//  4. The original record is looked up by commit-log offset on this
//     broker (1 when there is none). RETRY_TOPIC is set to its topic when
//     absent, WAIT=false.
//  5. When the record's reconsumeTimes >= maxReconsumeTimes (the header's,
//     else the group's retryMaxTimes, 16) or delayLevel < 0, the target is
//     %DLQ%group queue 0 (1 queue, RW, created and registered on demand)
//     with DELAY=0. Otherwise the target is %RETRY%group, a random queue,
//     with DELAY = delayLevel, or 3 + reconsumeTimes when it is 0.
//  6. The new record keeps body, flag, properties, sysFlag and born time
//     and host; reconsumeTimes+1; store host = this broker;
//     ORIGIN_MESSAGE_ID kept, else the original's offset message id. With
//     DELAY > 0 it is routed through SCHEDULE_TOPIC_XXXX; UNIQ_KEY is kept,
//     so clients see a stable msgId.
//
// Response: 0, or 1 with the store status name as the remark.
//
// Plain SEND to %RETRY%group (Go's and Java's fallback when the send-back
// fails): the message goes to %DLQ%group queue 0 with DELAY=-1 when the
// header reconsumeTimes > maxReconsumeTimes (header, else group), or when
// the group holds an unexpired orderly lock on this broker (5.1.4+).

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// versionV3_4_9 is MQVersion.Version.V3_4_9.ordinal(): requests from this
// version on carry a meaningful maxReconsumeTimes.
const versionV3_4_9 = 121

// dlqQueueNums is Java's DLQ_NUMS_PER_GROUP.
const dlqQueueNums = 1

func (b *Broker) consumerSendMsgBack(r *transport.Request) *wire.Command {
	req := r.Cmd
	rd := codec.NewExtReader(req)
	offset := rd.Int64("offset", true)
	group := rd.String("group", true)
	delay := rd.Int32("delayLevel", true)
	hasMax := rd.Has("maxReconsumeTimes")
	maxTimes := rd.Int32("maxReconsumeTimes", false)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(req, wire.SystemError, err.Error())
	}
	if b.conf().BrokerRole == "SLAVE" {
		return wire.NewResponse(req, wire.SystemError, "no master available along with "+b.conf().AdvertisedIP())
	}
	sg, ok, err := b.groups.getOrCreate(group, b.conf().AutoCreateSubscriptionGroup)
	if err != nil {
		return wire.NewResponse(req, wire.SystemError, err.Error())
	}
	if !ok {
		return wire.NewResponse(req, wire.SubscriptionGroupNotExist,
			fmt.Sprintf("subscription group not exist, %s https://rocketmq.apache.org/docs/bestPractice/06FAQ", group))
	}
	if b.conf().BrokerPermission&compat.PermWrite == 0 {
		return wire.NewResponse(req, wire.NoPermission, fmt.Sprintf("the broker[%s] sending message is forbidden", b.conf().AdvertisedIP()))
	}
	if sg.RetryQueueNums <= 0 {
		return wire.NewResponse(req, wire.Success, "")
	}
	topic := compat.RetryTopic(group)
	tc, _, err := b.createRetryTopic(group, sg.RetryQueueNums)
	if err != nil {
		return wire.NewResponse(req, wire.SystemError, fmt.Sprintf("topic[%s] not exist: %v", topic, err))
	}
	if tc.Perm&compat.PermWrite == 0 {
		return wire.NewResponse(req, wire.NoPermission, fmt.Sprintf("the topic[%s] sending message is forbidden", topic))
	}
	queueID := rand.Int32N(int32(sg.RetryQueueNums))

	rec, err := b.store.LookupMessage(offset)
	if err != nil {
		return wire.NewResponse(req, wire.SystemError, fmt.Sprintf("look message by offset failed, %d", offset))
	}
	v, err := codec.ViewRecord(rec)
	if err != nil {
		return wire.NewResponse(req, wire.SystemError, fmt.Sprintf("look message by offset failed, %d: %v", offset, err))
	}
	props := string(v.Properties)
	kv := []string{codec.PropertyWaitStoreMsgOK, "false"}
	if _, ok := codec.PropertyValue(props, codec.PropertyRetryTopic); !ok {
		kv = append(kv, codec.PropertyRetryTopic, string(v.Topic))
	}
	if id, _ := codec.PropertyValue(props, codec.PropertyOriginMessageID); strings.TrimSpace(id) == "" {
		kv = append(kv, codec.PropertyOriginMessageID, codec.OffsetMsgID(v.StoreHost, v.CommitLogOffset))
	}
	limit := int32(sg.RetryMaxTimes)
	if hasMax && req.Version >= versionV3_4_9 {
		limit = maxTimes
	}
	if v.ReconsumeTimes >= limit || delay < 0 {
		topic, queueID = compat.DLQTopic(group), rand.Int32N(dlqQueueNums)
		if _, err := b.createDLQTopic(group); err != nil {
			return wire.NewResponse(req, wire.SystemError, fmt.Sprintf("topic[%s] not exist: %v", topic, err))
		}
		kv = append(kv, codec.PropertyDelayLevel, "0")
	} else {
		if delay == 0 {
			delay = 3 + v.ReconsumeTimes
		}
		kv = append(kv, codec.PropertyDelayLevel, strconv.Itoa(int(delay)))
	}
	props = setProperties(props, kv...)
	tags, _ := codec.PropertyValue(props, codec.PropertyTags)
	m := &codec.Message{
		Topic:          topic,
		QueueID:        queueID,
		Flag:           v.Flag,
		Body:           v.Body,
		Properties:     props,
		SysFlag:        v.SysFlag,
		BornTimestamp:  v.BornTimestamp,
		BornHost:       v.BornHost,
		StoreHost:      b.storeHost,
		ReconsumeTimes: v.ReconsumeTimes + 1,
		TagsCode:       compat.TagsCode(tags),
	}
	if resp := b.routeScheduled(req, m, time.Now()); resp != nil {
		return resp
	}
	res := b.store.Put([]*codec.Message{m}, false)
	if !res.Status.Stored() {
		return wire.NewResponse(req, wire.SystemError, res.Status.String())
	}
	if strings.HasPrefix(topic, compat.DLQGroupTopicPrefix) {
		uniq, _ := codec.PropertyValue(props, codec.PropertyUniqKey)
		b.log.Info("sent message to DLQ", "dlq", topic, "group", group, "originTopic", rd.String("originTopic", false),
			"msgUniqKey", uniq, "reconsumeTimes", m.ReconsumeTimes)
	}
	return wire.NewResponse(req, wire.Success, "")
}

// createDLQTopic makes sure %DLQ%group exists, registering it with the
// NameServers at once when it is new.
func (b *Broker) createDLQTopic(group string) (codec.TopicConfig, error) {
	tc, created, err := b.topics.putIfAbsent(codec.TopicConfig{TopicName: compat.DLQTopic(group),
		ReadQueueNums: dlqQueueNums, WriteQueueNums: dlqQueueNums, Perm: compat.PermRead | compat.PermWrite})
	if created {
		b.log.Info("created DLQ topic", "topic", tc.TopicName)
		b.triggerRegister()
	}
	return tc, err
}

// retryToDLQ applies the plain-SEND rule for %RETRY% topics to m, already
// built from h: it returns an error response, or nil with m possibly moved
// to %DLQ%group.
func (b *Broker) retryToDLQ(req *wire.Command, h *codec.SendMessageRequestHeader, m *codec.Message) *wire.Command {
	if !compat.IsRetryTopic(h.Topic) {
		return nil
	}
	group := strings.TrimPrefix(h.Topic, compat.RetryGroupTopicPrefix)
	sg, ok, err := b.groups.getOrCreate(group, b.conf().AutoCreateSubscriptionGroup)
	if err != nil {
		return wire.NewResponse(req, wire.SystemError, err.Error())
	}
	if !ok {
		return wire.NewResponse(req, wire.SubscriptionGroupNotExist,
			fmt.Sprintf("subscription group not exist, %s https://rocketmq.apache.org/docs/bestPractice/06FAQ", group))
	}
	limit := int32(sg.RetryMaxTimes)
	if h.HasMaxReconsumeTimes() && req.Version >= versionV3_4_9 {
		limit = h.MaxReconsumeTimes
	}
	if h.ReconsumeTimes <= limit && b.locks.allExpired(group, time.Now()) {
		return nil
	}
	if _, err := b.createDLQTopic(group); err != nil {
		return wire.NewResponse(req, wire.SystemError, fmt.Sprintf("topic[%s] not exist: %v", compat.DLQTopic(group), err))
	}
	m.Topic = compat.DLQTopic(group)
	m.QueueID = rand.Int32N(dlqQueueNums)
	m.Properties = setProperties(m.Properties, codec.PropertyDelayLevel, "-1")
	return nil
}
