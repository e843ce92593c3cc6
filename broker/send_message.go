package broker

// SEND_MESSAGE (10), SEND_MESSAGE_V2 (310) and SEND_BATCH_MESSAGE (320),
// mirroring Java's SendMessageProcessor.
//
// Header: SendMessageRequestHeader (long names for 10, a-n for 310/320):
// producerGroup*, topic*, defaultTopic*, defaultTopicQueueNums*, queueId*,
// sysFlag*, bornTimestamp*, flag*, properties, reconsumeTimes, unitMode,
// maxReconsumeTimes, batch, bname.
//
// Behaviour:
//  1. The broker must be writable (brokerPermission) and a master, else 16
//     NO_PERMISSION / 14 SERVICE_NOT_AVAILABLE.
//  2. The topic name is validated (29 INVALID_PARAMETER on a bad name, as
//     in 5.3), the body checked against maxMessageSize and properties
//     against 32767 B (13 MESSAGE_ILLEGAL).
//  3. An unknown topic is created from defaultTopic (TBW102) when
//     autoCreateTopicEnable and the template has INHERIT perm, with
//     min(defaultTopicQueueNums, template writeQueueNums) queues; %RETRY%
//     topics are created with the group's retryQueueNums. Otherwise 17.
//     A created topic is registered with the NameServers at once.
//  4. queueId < 0 picks a random writable queue; queueId beyond the topic's
//     queues answers 1 SYSTEM_ERROR.
//  5. The broker adds CLUSTER and, when missing, UNIQ_KEY to properties,
//     sets BORNHOST from the TCP peer and STOREHOST from brokerIP1.
//  6. A batch body is split into records sharing the header's topic and
//     queue (no %RETRY% topic, no delay, not transactional).
//  7. WAIT=false skips the sync-flush wait.
//  8. A send to %RETRY%group goes to %DLQ%group with DELAY=-1 when header
//     reconsumeTimes > maxReconsumeTimes or the group holds orderly locks
//     (consumer_send_msg_back.go); a batch with DELAY > 0 answers 13.
//  9. DELAY > 0 routes the message through SCHEDULE_TOPIC_XXXX
//     (schedule_message.go), the 5.x timer properties through
//     rmq_sys_wheel_timer (timer_message.go); the response still names the
//     requested queue, with the offset in the schedule or timer queue.
// 10. TRAN_MSG=true stores a half message in RMQ_SYS_TRANS_HALF_TOPIC
//     (transaction.go); the response names the requested queue, the half
//     queue's offset and the half record's offset msgId, which producers
//     hand back in END_TRANSACTION. rejectTransactionMessage answers 16.
//
// Response: msgId (offset msg id; comma-joined for a batch), queueId,
// queueOffset (first message), transactionId (UNIQ_KEY) and ext MSG_REGION,
// TRACE_ON. Codes: 0, 10 FLUSH_DISK_TIMEOUT, 11 SLAVE_NOT_AVAILABLE and 12
// FLUSH_SLAVE_TIMEOUT (SYNC_MASTER, ha_replication.go; all three mean
// stored), 1, 2, 13, 14, 16, 17.

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"
	"time"
	"unsafe"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

const maxPropertiesLength = 32767

func (b *Broker) sendMessage(r *transport.Request) *wire.Command {
	req := r.Cmd
	h, queueID, resp := b.acceptSend(r)
	if resp != nil {
		return resp
	}
	now := time.Now()
	var msgs []*codec.Message
	if req.RequestCode() == wire.SendBatchMessage || h.Batch {
		if compat.IsRetryTopic(h.Topic) {
			return wire.NewResponse(req, wire.MessageIllegal, "batch request does not support retry group "+h.Topic)
		}
		err := codec.DecodeBatch(req.Body, func(flag int32, body []byte, props string) error {
			m := b.newMessage(r, &h, queueID, flag, body, props, now)
			msgs = append(msgs, m)
			return nil
		})
		if err != nil {
			return wire.NewResponse(req, wire.MessageIllegal, "bad batch body: "+err.Error())
		}
		if len(msgs) == 0 {
			return wire.NewResponse(req, wire.MessageIllegal, "the batch is empty")
		}
		if batchHasDelay(&h, msgs) {
			return wire.NewResponse(req, wire.MessageIllegal, "batch message does not support delay level, topic "+h.Topic)
		}
		if h.SysFlag&codec.SysFlagTransactionMask != 0 {
			return wire.NewResponse(req, wire.MessageIllegal, "batch message does not support transaction, topic "+h.Topic)
		}
	} else {
		m := b.newMessage(r, &h, queueID, h.Flag, req.Body, h.Properties, now)
		if resp := b.retryToDLQ(req, &h, m); resp != nil {
			return resp
		}
		if resp := b.routeScheduled(req, m, now); resp != nil {
			return resp
		}
		if resp := b.prepareHalf(req, &h, m); resp != nil {
			return resp
		}
		msgs = append(msgs, m)
	}
	for _, m := range msgs {
		if len(m.Properties) > maxPropertiesLength {
			return wire.NewResponse(req, wire.MessageIllegal, fmt.Sprintf("the message properties length %d exceeds %d", len(m.Properties), maxPropertiesLength))
		}
	}
	wait := true
	if v, ok := codec.PropertyValue(h.Properties, codec.PropertyWaitStoreMsgOK); ok && v == "false" {
		wait = false
	}
	res, _ := putResults.Get().(*store.PutResult)
	if res == nil {
		res = new(store.PutResult)
	}
	b.store.PutTo(res, msgs, wait)
	b.countPut(&h, res)
	resp = b.sendResponse(req, &h, queueID, msgs, *res)
	putResults.Put(res)
	return resp
}

// putResults recycles the sends' store results (their Offsets buffers):
// nothing keeps a result past its response.
var putResults sync.Pool

// acceptSend decodes a send header (SEND_MESSAGE and SEND_REPLY_MESSAGE
// families), applies checkSend and picks the queue (behaviour 1-4): it
// returns the header and the queue, or the error response.
func (b *Broker) acceptSend(r *transport.Request) (codec.SendMessageRequestHeader, int32, *wire.Command) {
	req := r.Cmd
	h, err := codec.DecodeSendMessageRequestHeader(req)
	if err != nil {
		return h, 0, wire.NewResponse(req, wire.SystemError, err.Error())
	}
	tc, resp := b.checkSend(req, &h)
	if resp != nil {
		return h, 0, resp
	}
	queueID := h.QueueID
	if queueID < 0 {
		queueID = rand.Int32N(int32(max(tc.WriteQueueNums, 1)))
	}
	if int(queueID) >= max(tc.WriteQueueNums, tc.ReadQueueNums) {
		return h, 0, wire.NewResponse(req, wire.SystemError,
			fmt.Sprintf("request queueId[%d] is illegal, %s Producer: %s", queueID, topicSummary(&tc), r.Conn.RemoteAddr()))
	}
	return h, queueID, nil
}

// checkSend applies the permission, name, size and topic checks and
// returns the topic's config, or the error response.
func (b *Broker) checkSend(req *wire.Command, h *codec.SendMessageRequestHeader) (codec.TopicConfig, *wire.Command) {
	if b.conf().BrokerRole == "SLAVE" {
		return codec.TopicConfig{}, wire.NewResponse(req, wire.ServiceNotAvailable, "the broker is a slave, and does not accept messages")
	}
	if b.conf().BrokerPermission&compat.PermWrite == 0 {
		return codec.TopicConfig{}, wire.NewResponse(req, wire.NoPermission,
			fmt.Sprintf("the broker[%s] sending message is forbidden", b.Addr()))
	}
	if err := compat.ValidateTopic(h.Topic); err != nil {
		return codec.TopicConfig{}, wire.NewResponse(req, wire.InvalidParameter, invalidTopicRemark(h.Topic))
	}
	if len(req.Body) > b.conf().MaxMessageSize {
		return codec.TopicConfig{}, wire.NewResponse(req, wire.MessageIllegal,
			fmt.Sprintf("the message body size %d exceeds the maximum %d", len(req.Body), b.conf().MaxMessageSize))
	}
	tc, ok := b.topics.get(h.Topic)
	if !ok {
		var err error
		tc, ok, err = b.autoCreateTopic(h)
		if err != nil {
			return tc, wire.NewResponse(req, wire.SystemError, err.Error())
		}
		if !ok {
			return tc, wire.NewResponse(req, wire.TopicNotExist,
				fmt.Sprintf("topic[%s] not exist, apply first please! https://rocketmq.apache.org/docs/bestPractice/06FAQ", h.Topic))
		}
	}
	if tc.Perm&compat.PermWrite == 0 {
		return tc, wire.NewResponse(req, wire.NoPermission, fmt.Sprintf("the topic[%s] sending message is forbidden", h.Topic))
	}
	return tc, nil
}

// autoCreateTopic creates a topic on first send (the TBW102 flow), or a
// group's retry topic.
func (b *Broker) autoCreateTopic(h *codec.SendMessageRequestHeader) (codec.TopicConfig, bool, error) {
	var tc codec.TopicConfig
	if compat.IsRetryTopic(h.Topic) {
		group := strings.TrimPrefix(h.Topic, compat.RetryGroupTopicPrefix)
		sg, ok, err := b.groups.getOrCreate(group, b.conf().AutoCreateSubscriptionGroup)
		if err != nil || !ok {
			return tc, false, err
		}
		return b.createRetryTopic(group, sg.RetryQueueNums)
	}
	if !b.conf().AutoCreateTopicEnable {
		return tc, false, nil
	}
	tpl, ok := b.topics.get(h.DefaultTopic)
	if !ok || tpl.Perm&compat.PermInherit == 0 {
		return tc, false, nil
	}
	queues := int(h.DefaultTopicQueueNums)
	if queues <= 0 || queues > tpl.WriteQueueNums {
		queues = tpl.WriteQueueNums
	}
	tc = codec.TopicConfig{TopicName: h.Topic, ReadQueueNums: queues, WriteQueueNums: queues,
		Perm: tpl.Perm &^ compat.PermInherit, TopicSysFlag: 0}
	tc, created, err := b.topics.putIfAbsent(tc)
	if created {
		b.log.Info("auto-created topic", "topic", h.Topic, "queues", queues, "producerGroup", h.ProducerGroup)
		b.registerCreated(tc)
	}
	return tc, true, err
}

// createRetryTopic makes sure %RETRY%group exists.
func (b *Broker) createRetryTopic(group string, queues int) (codec.TopicConfig, bool, error) {
	if queues <= 0 {
		return codec.TopicConfig{}, false, nil
	}
	tc, created, err := b.topics.putIfAbsent(codec.TopicConfig{TopicName: compat.RetryTopic(group),
		ReadQueueNums: queues, WriteQueueNums: queues, Perm: compat.PermRead | compat.PermWrite})
	if created {
		b.triggerRegister()
	}
	return tc, true, err
}

// newMessage builds the record to store for one sent message.
func (b *Broker) newMessage(r *transport.Request, h *codec.SendMessageRequestHeader, queueID, flag int32, body []byte, props string, now time.Time) *codec.Message {
	allProps := b.stampProperties(props, now)
	tags, _ := codec.PropertyValue(allProps, codec.PropertyTags)
	sysFlag := h.SysFlag
	return &codec.Message{
		Topic:          h.Topic,
		QueueID:        queueID,
		Flag:           flag,
		Body:           body,
		Properties:     allProps,
		SysFlag:        sysFlag,
		BornTimestamp:  h.BornTimestamp,
		BornHost:       r.Conn.RemoteAddr(),
		StoreHost:      b.storeHost,
		ReconsumeTimes: h.ReconsumeTimes,
		TagsCode:       compat.TagsCode(tags),
	}
}

// stampProperties adds what Apache's broker adds to every stored message:
// UNIQ_KEY when the producer sent none, and (replacing any sent value)
// MSG_REGION and TRACE_ON (buildMsgContext) and CLUSTER. Clients may
// omit the separator after the last property (the 4.9 Java client does).
func (b *Broker) stampProperties(props string, now time.Time) string {
	props = codec.RemoveProperties(props, codec.PropertyCluster, codec.PropertyMsgRegion, codec.PropertyTraceSwitch)
	dst := make([]byte, 0, len(props)+96)
	dst = append(dst, props...)
	if len(dst) > 0 && dst[len(dst)-1] != codec.PropertySeparator {
		dst = append(dst, codec.PropertySeparator)
	}
	if _, ok := codec.PropertyValue(props, codec.PropertyUniqKey); !ok {
		dst = codec.AppendProperty(dst, codec.PropertyUniqKey, b.uniq.next(now))
	}
	dst = codec.AppendProperty(dst, codec.PropertyMsgRegion, compat.DefaultRegion)
	dst = codec.AppendProperty(dst, codec.PropertyTraceSwitch, "true")
	dst = codec.AppendProperty(dst, codec.PropertyCluster, b.conf().BrokerClusterName)
	// dst is not written again: the string may share its bytes.
	return unsafe.String(unsafe.SliceData(dst), len(dst))
}

// sendResponse maps a store result to the SEND response.
func (b *Broker) sendResponse(req *wire.Command, h *codec.SendMessageRequestHeader, queueID int32, msgs []*codec.Message, res store.PutResult) *wire.Command {
	var code wire.ResponseCode
	remark := ""
	switch res.Status {
	case store.PutOK:
		code = wire.Success
	case store.PutFlushDiskTimeout:
		code = wire.FlushDiskTimeout
	case store.PutFlushSlaveTimeout:
		code = wire.FlushSlaveTimeout
	case store.PutSlaveNotAvailable:
		code = wire.SlaveNotAvailable
	case store.PutMessageIllegal, store.PutPropertiesSizeExceeded:
		code, remark = wire.MessageIllegal, "the message is illegal, maybe msg body or properties length not matched"
	case store.PutServiceNotAvailable:
		code, remark = wire.ServiceNotAvailable, "service not available now. It may be caused by one of the following reasons: the broker's disk is full, messages are put to the slave, or the store is shutting down"
	case store.PutOSPageCacheBusy:
		code, remark = wire.SystemBusy, "[PC_SYNCHRONIZED]broker busy, start flow control for a while"
	default:
		code, remark = wire.SystemError, "UNKNOWN_ERROR"
		if res.Err != nil {
			remark = "UNKNOWN_ERROR: " + res.Err.Error()
		}
	}
	resp := wire.NewResponse(req, code, remark)
	if !res.Status.Stored() { // 10, 11 and 12 still carry the message ids, as Java's sendOK does
		return resp
	}
	var msgID string
	if len(res.Offsets) == 1 {
		msgID = codec.OffsetMsgID(b.storeHost, res.Offsets[0].CommitLogOffset)
	} else {
		ids := make([]string, len(res.Offsets))
		for i, m := range res.Offsets {
			ids[i] = codec.OffsetMsgID(b.storeHost, m.CommitLogOffset)
		}
		msgID = strings.Join(ids, ",")
	}
	uniq, _ := codec.PropertyValue(msgs[0].Properties, codec.PropertyUniqKey)
	if len(msgs) > 1 {
		uniq, _ = codec.PropertyValue(h.Properties, codec.PropertyUniqKey)
	}
	resp.Ext = append(resp.Ext,
		wire.Field{Key: "msgId", Value: msgID},
		wire.Field{Key: "queueId", Value: strconv.Itoa(int(queueID))},
		wire.Field{Key: "queueOffset", Value: strconv.FormatInt(res.Offsets[0].QueueOffset, 10)},
		wire.Field{Key: "transactionId", Value: uniq},
		wire.Field{Key: codec.PropertyMsgRegion, Value: compat.DefaultRegion},
		wire.Field{Key: codec.PropertyTraceSwitch, Value: "true"},
	)
	return resp
}

// invalidTopicRemark is 5.3's TopicValidator remark for a topic name
// compat.ValidateTopic refuses.
func invalidTopicRemark(topic string) string {
	switch {
	case strings.TrimSpace(topic) == "":
		return "The specified topic is blank."
	case strings.IndexFunc(topic, func(r rune) bool { return r > 0x7f || !compat.ValidTopicChar(byte(r)) }) >= 0:
		return "The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$"
	default:
		return "The specified topic is longer than topic max length."
	}
}

func topicSummary(tc *codec.TopicConfig) string {
	return fmt.Sprintf("topicConfig[%s] readQueueNums=%d writeQueueNums=%d perm=%d", tc.TopicName, tc.ReadQueueNums, tc.WriteQueueNums, tc.Perm)
}
