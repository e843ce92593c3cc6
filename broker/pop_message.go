package broker

// POP_MESSAGE (200050), mirroring Java's PopMessageProcessor (the
// revive-topic implementation, popConsumerKVServiceEnable=false). Pop codes
// exceed int16: in ROCKETMQ headers they arrive truncated (200050 → 3442),
// which Apache does not serve and Booster routes too (routes.go).
//
// Header: consumerGroup*, topic*, queueId* (-1 = every readable queue),
// maxMsgNums*, invisibleTime* (ms), pollTime* (ms), bornTime* (ms; now when
// absent or 0), initMode* (0 MIN, 1 MAX), expType, exp, order, attemptId.
//
// Behaviour:
//  1. Answered POLLING_TIMEOUT (210) when now-bornTime-pollTime > 500 ms;
//     16 when the broker is not readable; 29 for maxMsgNums > 32; 17 for an
//     unknown topic; 16 when it is not readable; 29 for queueId >=
//     readQueueNums; 26 or 16 for an unknown or disabled group. exp is the
//     subscription (TAG, or SQL92: 23 when it does not parse); empty = "*".
//  2. Messages come from the topic's queues (round robin from a random
//     queue for -1) and from the group's pop retry topic
//     %RETRY%<group>_<topic>: the retry topic first with probability
//     popFromRetryProbability (20 %), else after the topic when the batch
//     is not full.
//  3. Per queue: one pop at a time (a busy queue is skipped and counted in
//     restNum); the pop offset is the group's consumer offset, initialised
//     for a new group to the min offset (initMode 0, retry topics) or to 0
//     while the queue's min offset is 0, else max-1 (initMode 1). Messages
//     read become in flight (invisible for invisibleTime) and the offset
//     moves past them; filtered-out units move it too.
//  4. Retry-topic records are re-encoded with the requested topic and a
//     POP_CK handle (popResponseReturnActualRetryTopic=false); normal
//     records go out straight from the commit log.
//  5. FOUND → 0 with body = records. Nothing → parked until bornTime +
//     pollTime (pop_hold.go), then POLLING_TIMEOUT (210); POLLING_FULL (209)
//     when too many are parked.
//
// Response ext (always, also on errors, as Java's response header):
// popTime, invisibleTime, reviveQid, restNum, startOffsetInfo,
// msgOffsetInfo (pop_extra_info.go).
//
// Orderly pops (order=true) block a queue while it has messages in flight
// and redeliver from the same queue: see pop_order.go.

import (
	"fmt"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// shortCode is a request code as a ROCKETMQ-serialized header carries it
// (RocketMQSerializable writes the code as a short).
func shortCode(c wire.RequestCode) wire.RequestCode { return wire.RequestCode(int16(c)) }

// maxPopMsgNums is the largest batch a pop may ask for.
const maxPopMsgNums = 32

// popMessageHeader is PopMessageRequestHeader.
type popMessageHeader struct {
	group         string
	topic         string
	queueID       int32
	maxMsgNums    int32
	invisibleTime int64
	pollTime      int64
	bornTime      int64
	initMode      int32
	expType       string
	exp           string
	order         bool
	attemptID     string
}

func decodePopMessageHeader(cmd *wire.Command) (popMessageHeader, error) {
	rd := codec.NewExtReader(cmd)
	h := popMessageHeader{
		group:         rd.String("consumerGroup", true),
		topic:         rd.String("topic", true),
		queueID:       rd.Int32("queueId", true),
		maxMsgNums:    rd.Int32("maxMsgNums", true),
		invisibleTime: rd.Int64("invisibleTime", true),
		pollTime:      rd.Int64("pollTime", true),
		bornTime:      rd.Int64("bornTime", false),
		initMode:      rd.Int32("initMode", true),
		expType:       rd.String("expType", false),
		exp:           rd.String("exp", false),
		order:         rd.BoolDefault("order", false),
		attemptID:     rd.String("attemptId", false),
	}
	if h.queueID < 0 {
		h.queueID = -1
	}
	return h, rd.Err()
}

// popResponse is a POP_MESSAGE answer with the response header's
// mandatory fields (Java always encodes them, the client always decodes them).
func popResponse(req *wire.Command, code wire.ResponseCode, remark string, popTime, invisibleTime int64, reviveQid int32, restNum int64) *wire.Command {
	resp := wire.NewResponse(req, code, remark)
	resp.Ext = append(resp.Ext,
		wire.Field{Key: "popTime", Value: strconv.FormatInt(popTime, 10)},
		wire.Field{Key: "invisibleTime", Value: strconv.FormatInt(invisibleTime, 10)},
		wire.Field{Key: "reviveQid", Value: strconv.Itoa(int(reviveQid))},
		wire.Field{Key: "restNum", Value: strconv.FormatInt(restNum, 10)})
	return resp
}

func popError(req *wire.Command, code wire.ResponseCode, remark string) *wire.Command {
	return popResponse(req, code, remark, 0, 0, 0, 0)
}

func (b *Broker) popMessage(r *transport.Request) *wire.Command {
	h, err := decodePopMessageHeader(r.Cmd)
	if err != nil {
		return popError(r.Cmd, wire.SystemError, err.Error())
	}
	if h.bornTime <= 0 {
		h.bornTime = time.Now().UnixMilli()
	}
	return b.popOnce(r, &h)
}

// popOnce runs one pop: the request, or a parked request woken again.
func (b *Broker) popOnce(r *transport.Request, h *popMessageHeader) *wire.Command {
	req := r.Cmd
	now := time.Now().UnixMilli()
	if now-h.bornTime-h.pollTime > 500 {
		return popError(req, wire.PollingTimeout, fmt.Sprintf("the broker[%s] pop message is timeout too much", b.conf().AdvertisedIP()))
	}
	if b.conf().BrokerPermission&compat.PermRead == 0 {
		return popError(req, wire.NoPermission, fmt.Sprintf("the broker[%s] pop message is forbidden", b.conf().AdvertisedIP()))
	}
	if h.maxMsgNums > maxPopMsgNums {
		return popError(req, wire.InvalidParameter, fmt.Sprintf("the broker[%s] pop message's num is greater than 32", b.conf().AdvertisedIP()))
	}
	tc, resp := b.popTopicConfig(r, h.topic, h.queueID)
	if resp != nil {
		return popError(req, wire.ResponseCode(resp.Code), resp.Remark)
	}
	if resp := b.popGroup(req, h.group); resp != nil {
		return popError(req, wire.ResponseCode(resp.Code), resp.Remark)
	}
	sub, resp := popSubscription(req, h.topic, h.expType, h.exp)
	if resp != nil {
		return popError(req, wire.ResponseCode(resp.Code), resp.Remark)
	}

	bt := &popBatch{h: h, sub: sub, popTime: now}
	if h.order {
		bt.reviveQid = popOrderReviveQid
	} else {
		bt.reviveQid = int32(b.pop.ckSeq.Add(1) % uint32(max(b.conf().ReviveQueueNum, 1)))
	}
	randomQ := rand.IntN(100)
	needRetry := randomQ < b.conf().PopFromRetryProbability
	retryTopic := popRetryTopic(h.topic, h.group)
	if needRetry && !h.order {
		b.popFromTopic(bt, retryTopic, randomQ)
	}
	if h.queueID < 0 {
		for i := range tc.ReadQueueNums {
			b.popFromQueue(bt, h.topic, int32((randomQ+i)%tc.ReadQueueNums))
		}
	} else {
		b.popFromQueue(bt, h.topic, h.queueID)
	}
	if !needRetry && !h.order && bt.count < int(h.maxMsgNums) {
		b.popFromTopic(bt, retryTopic, randomQ)
	}

	if bt.count == 0 {
		bt.release()
		w := &popWaiter{r: r, topic: h.topic, retry: retryTopic, group: h.group, queueID: h.queueID, sub: sub}
		w.rerun = func() {
			if r.Conn.Closed() {
				return
			}
			if resp := b.popOnce(r, h); resp != nil {
				_ = r.Conn.Reply(req, resp)
			}
		}
		code := wire.PollingTimeout
		if h.pollTime > 0 {
			switch b.pop.hold.park(w, h.bornTime+h.pollTime) {
			case pollingSuc:
				// A message may have landed between the read and the park.
				if h.maxMsgNums > 0 && b.popHasMessage(h, retryTopic, tc.ReadQueueNums) && b.pop.hold.remove(w) {
					go w.rerun()
				}
				return nil
			case pollingFull:
				code = wire.PollingFull
			}
		}
		return popResponse(req, code, "NO_MESSAGE_IN_QUEUE", now, h.invisibleTime, bt.reviveQid, bt.restNum)
	}

	if bt.restNum > 0 {
		b.pop.hold.notify(h.topic, h.group)
	}
	resp = popResponse(req, wire.Success, "FOUND", now, h.invisibleTime, bt.reviveQid, bt.restNum)
	resp.Ext = append(resp.Ext,
		wire.Field{Key: "startOffsetInfo", Value: string(bt.startInfo)},
		wire.Field{Key: "msgOffsetInfo", Value: string(bt.msgInfo)})
	if h.order && len(bt.orderInfo) > 0 {
		resp.Ext = append(resp.Ext, wire.Field{Key: "orderCountInfo", Value: string(bt.orderInfo)})
	}
	if req.IsOneway() {
		bt.release()
		return nil
	}
	resp.Opaque = req.Opaque
	resp.Flag |= wire.FlagResponse
	resp.Serialize = req.Serialize
	if err := r.Conn.WriteVec(resp, bt.parts, bt.release); err != nil {
		b.log.Debug("pop response not written", "remote", r.Conn.RemoteAddr(), "err", err)
	}
	return nil
}

// popTopicConfig checks the topic and queue id of a pop-family request
// (the same checks and words in POP, PEEK, NOTIFICATION and POLLING_INFO).
func (b *Broker) popTopicConfig(r *transport.Request, topic string, queueID int32) (codec.TopicConfig, *wire.Command) {
	tc, ok := b.topics.get(topic)
	if !ok {
		return tc, wire.NewResponse(r.Cmd, wire.TopicNotExist,
			fmt.Sprintf("topic[%s] not exist, apply first please! https://rocketmq.apache.org/docs/bestPractice/06FAQ", topic))
	}
	if tc.Perm&compat.PermRead == 0 {
		return tc, wire.NewResponse(r.Cmd, wire.NoPermission, "the topic["+topic+"] peeking message is forbidden")
	}
	if int(queueID) >= tc.ReadQueueNums {
		return tc, wire.NewResponse(r.Cmd, wire.InvalidParameter,
			fmt.Sprintf("queueId[%d] is illegal, topic:[%s] topicConfig.readQueueNums:[%d] consumer:[%s]", queueID, topic, tc.ReadQueueNums, r.Conn.RemoteAddr()))
	}
	return tc, nil
}

// popGroup checks the consumer group of a pop-family request.
func (b *Broker) popGroup(req *wire.Command, group string) *wire.Command {
	sg, ok, err := b.groups.getOrCreate(group, b.conf().AutoCreateSubscriptionGroup)
	if err != nil {
		return wire.NewResponse(req, wire.SystemError, err.Error())
	}
	if !ok {
		return wire.NewResponse(req, wire.SubscriptionGroupNotExist,
			fmt.Sprintf("subscription group [%s] does not exist, https://rocketmq.apache.org/docs/bestPractice/06FAQ", group))
	}
	if !sg.ConsumeEnable {
		return wire.NewResponse(req, wire.NoPermission, "subscription group no permission, "+group)
	}
	return nil
}

// popSubscription builds the filter of a pop: exp of type expType, or "*".
func popSubscription(req *wire.Command, topic, expType, exp string) (*subscription, *wire.Command) {
	if exp == "" {
		return newSubscription(codec.SubscriptionData{Topic: topic, SubString: "*", ExpressionType: "TAG"}), nil
	}
	sub := newSubscription(codec.SubscriptionData{Topic: topic, SubString: exp, ExpressionType: expType})
	if !isTagExpression(sub.ExpressionType) && sub.sqlErr != nil {
		return nil, wire.NewResponse(req, wire.SubscriptionParseFailed, "parse the consumer's subscription failed")
	}
	return sub, nil
}

// popBatch collects what one pop request reads.
type popBatch struct {
	h         *popMessageHeader
	sub       *subscription
	popTime   int64
	reviveQid int32

	count     int
	restNum   int64
	parts     [][]byte
	held      []*store.GetResult
	startInfo []byte
	msgInfo   []byte
	orderInfo []byte
}

func (bt *popBatch) release() {
	for _, res := range bt.held {
		res.Release()
	}
	bt.held = nil
}

// popFromTopic pops from every queue of topic, if it exists.
func (b *Broker) popFromTopic(bt *popBatch, topic string, randomQ int) {
	tc, ok := b.topics.get(topic)
	if !ok || tc.ReadQueueNums <= 0 {
		return
	}
	for i := range tc.ReadQueueNums {
		b.popFromQueue(bt, topic, int32((randomQ+i)%tc.ReadQueueNums))
	}
}

// popOffset returns a group's pop offset of a queue; without a committed
// offset it computes the initial one (PopMessageProcessor.getInitOffset)
// and, with init, commits it.
func (b *Broker) popOffset(topic, group string, queueID, initMode int32, init bool) int64 {
	if off, ok := b.offsets.query(topic, group, queueID); ok {
		return off
	}
	var off int64
	switch {
	case initMode == 0 || compat.IsRetryTopic(topic):
		off = b.store.MinOffset(topic, queueID)
	case b.store.MinOffset(topic, queueID) <= 0:
		off = 0
	default:
		off = max(b.store.MaxOffset(topic, queueID)-1, 0)
	}
	if init {
		b.offsets.commit(topic, group, queueID, off)
	}
	return off
}

// popFromQueue pops what the batch still has room for from one queue.
func (b *Broker) popFromQueue(bt *popBatch, topic string, queueID int32) {
	h := bt.h
	q := b.pop.state.queue(popQueueKey{topic: topic, group: h.group, queueID: queueID})
	if !q.popMu.TryLock() {
		off := b.popOffset(topic, h.group, queueID, h.initMode, false)
		bt.restNum += max(b.store.MaxOffset(topic, queueID)-off, 0)
		return
	}
	defer q.popMu.Unlock()
	if h.order {
		b.popOrderlyFromQueue(bt, q)
		return
	}
	offset := b.popOffset(topic, h.group, queueID, h.initMode, true)
	need := int(h.maxMsgNums) - bt.count
	if need <= 0 {
		bt.restNum += max(b.store.MaxOffset(topic, queueID)-offset, 0)
		return
	}
	res, offset := b.popRead(topic, h.group, queueID, offset, need, bt.sub)
	bt.restNum += max(res.MaxOffset-res.NextBeginOffset, 0)
	if res.Status != store.Found || len(res.Records) == 0 {
		if popSkips(res, offset) {
			b.offsets.commit(topic, h.group, queueID, res.NextBeginOffset)
		}
		res.Release()
		return
	}
	offsets := recordOffsets(res.Records)
	// In flight first, offset second (pop_state.go).
	b.pop.state.add(q, offsets, popInflight{popTime: bt.popTime, invisible: h.invisibleTime, reviveQid: bt.reviveQid})
	b.pop.ensureOnDisk(q)
	b.offsets.commit(topic, h.group, queueID, res.NextBeginOffset)
	b.gets.add(topic, h.group, len(res.Records), bt.popTime)
	bt.addRecords(b, res, topic, queueID, offset, offsets)
}

// popRead reads up to need messages of a queue from offset, moving an
// offset that is out of range (or points at nothing readable) first, as
// Java does; it returns the result and the offset actually read from.
func (b *Broker) popRead(topic, group string, queueID int32, offset int64, need int, sub *subscription) (*store.GetResult, int64) {
	ph := codec.PullMessageRequestHeader{ConsumerGroup: group, Topic: topic, QueueID: queueID, QueueOffset: offset}
	res := b.getMessages(&ph, sub, need, maxTransferBytes)
	switch res.Status {
	case store.OffsetTooSmall, store.OffsetOverflowBadly, store.OffsetFoundNull:
		if res.NextBeginOffset != offset {
			b.log.Info("pop offset corrected", "topic", topic, "group", group, "queueId", queueID,
				"from", offset, "to", res.NextBeginOffset, "status", res.Status.String())
			b.offsets.commit(topic, group, queueID, res.NextBeginOffset)
			offset = res.NextBeginOffset
			res.Release()
			ph.QueueOffset = offset
			res = b.getMessages(&ph, sub, need, maxTransferBytes)
		}
	}
	return res, offset
}

// popSkips reports whether a read that returned nothing still moves the
// pop offset: past units filtered out or pointing at removed records.
func popSkips(res *store.GetResult, offset int64) bool {
	switch res.Status {
	case store.NoMatchedMessage, store.MessageWasRemoving, store.OffsetFoundNull:
		return res.NextBeginOffset > offset
	}
	return false
}

// recordOffsets returns the queue offsets of records.
func recordOffsets(records [][]byte) []int64 {
	offsets := make([]int64, 0, len(records))
	for _, rec := range records {
		if v, err := codec.ViewRecord(rec); err == nil {
			offsets = append(offsets, v.QueueOffset)
		}
	}
	return offsets
}

// addRecords adds a queue's popped records to the response and its offset
// summaries. Normal records are sent from the commit log; retry-topic
// records are re-encoded under the requested topic with their handle.
func (bt *popBatch) addRecords(b *Broker, res *store.GetResult, topic string, queueID int32, startOffset int64, offsets []int64) {
	h := bt.h
	bt.startInfo = appendStartOffsetInfo(bt.startInfo, topic, queueID, startOffset)
	bt.msgInfo = appendMsgOffsetInfo(bt.msgInfo, topic, queueID, offsets)
	bt.count += len(offsets)
	if !compat.IsRetryTopic(topic) || topic == h.topic {
		bt.parts = append(bt.parts, res.Records...)
		bt.held = append(bt.held, res)
		return
	}
	for _, rec := range res.Records {
		v, err := codec.ViewRecord(rec)
		if err != nil {
			continue
		}
		m := v.Message()
		if _, ok := codec.PropertyValue(m.Properties, propertyPopCK); !ok {
			ck := appendExtraInfo(nil, startOffset, bt.popTime, h.invisibleTime, bt.reviveQid, topic, b.conf().BrokerName, queueID, v.QueueOffset)
			m.Properties = string(codec.AppendProperty([]byte(m.Properties), propertyPopCK, string(ck)))
		}
		m.Topic = h.topic
		bt.parts = append(bt.parts, m.AppendRecord(nil))
	}
	res.Release()
}

// popHasMessage reports whether any queue a pop reads has messages past
// the group's pop offset.
// An orderly pop ignores blocked queues and the retry topic.
func (b *Broker) popHasMessage(h *popMessageHeader, retryTopic string, readQueues int) bool {
	now := time.Now().UnixMilli()
	has := func(t string, q int32) bool {
		off, ok := b.offsets.query(t, h.group, q)
		if !ok {
			off = b.store.MinOffset(t, q)
		}
		if b.store.MaxOffset(t, q) <= off {
			return false
		}
		return !h.order || !b.pop.state.orderBlocked(b.pop.state.queue(popQueueKey{topic: t, group: h.group, queueID: q}), now)
	}
	if h.queueID >= 0 {
		if has(h.topic, h.queueID) {
			return true
		}
	} else {
		for q := range readQueues {
			if has(h.topic, int32(q)) {
				return true
			}
		}
	}
	if h.order {
		return false
	}
	if tc, ok := b.topics.get(retryTopic); ok {
		for q := range tc.ReadQueueNums {
			if has(retryTopic, int32(q)) {
				return true
			}
		}
	}
	return false
}
