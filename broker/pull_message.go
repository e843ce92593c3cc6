package broker

// PULL_MESSAGE (11) and LITE_PULL_MESSAGE (361), mirroring Java's
// PullMessageProcessor and DefaultMessageStore.getMessage.
//
// Header: consumerGroup*, topic*, queueId*, queueOffset*, maxMsgNums*,
// sysFlag* (1 commit offset, 2 suspend, 4 subscription, 8 class filter,
// 16 lite pull), commitOffset*, suspendTimeoutMillis*, subscription,
// subVersion*, expressionType, maxMsgBytes.
//
// Behaviour:
//  1. The broker and topic must be readable (16), the topic must exist (17),
//     queueId below readQueueNums (1), the group known or auto-created (26).
//  2. The filter is the subscription in the request when the subscription
//     bit is set, else the one registered by heartbeat (24 when there is
//     none; retry topics and lite pulls fall back to "*"). A SQL92
//     expression that does not compile answers 23 SUBSCRIPTION_PARSE_FAILED
//     when posted with the pull, 27 FILTER_DATA_NOT_EXIST when registered
//     by heartbeat (Java keeps no filter data for it); with
//     enablePropertyFilter=false a SQL92 subscription answers 1.
//  3. Messages are read from the consume queue and commit log and written
//     to the socket straight from the mapped commit log (no copy). TAG
//     subscriptions filter on the consume queue's tag codes; SQL92 ones
//     (and, with filterSupportRetry, retry messages of a group whose
//     original topic has one) evaluate each record's properties, scanning
//     up to 800 units like Java's commit-log filter, and nextBeginOffset
//     follows the last unit examined.
//  4. Status → code: FOUND 0; NO_MATCHED_MSG 20; nothing new 19, or 21 when
//     the offset is out of range (nextBeginOffset corrected as Java does).
//  5. A first-pass 19 with the suspend bit is parked (long polling) until a
//     message arrives for the queue or suspendTimeoutMillis passes.
//  6. With the commit bit, the group's offset is committed (first pass only).
//
// Response: suggestWhichBrokerId (0; with slaveReadEnable the slave when
// the consumer is far behind, see ha_replication.go), nextBeginOffset,
// minOffset, maxOffset; body = raw commit-log records.

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// Pull limits of Java's MessageStoreConfig (maxTransferBytesOnMessageInMemory).
const maxTransferBytes = 256 * 1024

func (b *Broker) pullMessage(r *transport.Request) *wire.Command {
	h, err := codec.DecodePullMessageRequestHeader(r.Cmd)
	if err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	return b.pull(r, &h, true)
}

// pull runs one pull; firstPass is false for long-poll re-runs, which
// neither suspend nor commit.
func (b *Broker) pull(r *transport.Request, h *codec.PullMessageRequestHeader, firstPass bool) *wire.Command {
	req := r.Cmd
	if b.conf().BrokerPermission&compat.PermRead == 0 {
		return wire.NewResponse(req, wire.NoPermission, fmt.Sprintf("the broker[%s] pulling message is forbidden", b.Addr()))
	}
	sg, ok, err := b.groups.getOrCreate(h.ConsumerGroup, b.conf().AutoCreateSubscriptionGroup)
	if err != nil {
		return wire.NewResponse(req, wire.SystemError, err.Error())
	}
	if !ok {
		return wire.NewResponse(req, wire.SubscriptionGroupNotExist,
			fmt.Sprintf("subscription group [%s] does not exist, https://rocketmq.apache.org/docs/bestPractice/06FAQ", h.ConsumerGroup))
	}
	if !sg.ConsumeEnable {
		return wire.NewResponse(req, wire.NoPermission, "subscription group no permission, "+h.ConsumerGroup)
	}
	tc, ok := b.topics.get(h.Topic)
	if !ok {
		return wire.NewResponse(req, wire.TopicNotExist,
			fmt.Sprintf("topic[%s] not exist, apply first please! https://rocketmq.apache.org/docs/bestPractice/06FAQ", h.Topic))
	}
	if tc.Perm&compat.PermRead == 0 {
		return wire.NewResponse(req, wire.NoPermission, fmt.Sprintf("the topic[%s] pulling message is forbidden", h.Topic))
	}
	if h.QueueID < 0 || int(h.QueueID) >= tc.ReadQueueNums {
		return wire.NewResponse(req, wire.SystemError,
			fmt.Sprintf("queueId[%d] is illegal, topic:[%s] topicConfig.readQueueNums:[%d] consumer:[%s]", h.QueueID, h.Topic, tc.ReadQueueNums, r.Conn.RemoteAddr()))
	}
	sub, resp := b.pullSubscription(req, h)
	if resp != nil {
		return resp
	}
	maxMsgs := int(h.MaxMsgNums)
	if maxMsgs <= 0 {
		maxMsgs = 32
	}
	maxBytes := maxTransferBytes
	if h.MaxMsgBytes > 0 && int(h.MaxMsgBytes) < maxBytes {
		maxBytes = int(h.MaxMsgBytes)
	}
	res := b.getMessages(h, sub, maxMsgs, maxBytes)
	code, remark := pullCode(res.Status, h.QueueOffset)
	b.pulled.set(h.Topic, h.ConsumerGroup, h.QueueID, res.NextBeginOffset)

	if firstPass && h.SysFlag&codec.PullFlagCommitOffset != 0 && b.conf().BrokerRole != "SLAVE" {
		b.offsets.commit(h.Topic, h.ConsumerGroup, h.QueueID, h.CommitOffset)
	}
	if code == wire.PullNotFound && firstPass && h.SysFlag&codec.PullFlagSuspend != 0 {
		res.Release()
		timeout := time.Duration(h.SuspendTimeoutMillis) * time.Millisecond
		if !b.conf().LongPollingEnable {
			timeout = time.Duration(b.conf().ShortPollingTimeMills) * time.Millisecond
		}
		b.polls.park(r, *h, sub, timeout)
		return nil
	}
	lastPhy := int64(-1)
	if n := len(res.Records); n > 0 {
		if v, err := codec.ViewRecord(res.Records[n-1]); err == nil {
			lastPhy = v.CommitLogOffset
		}
	}
	resp = wire.NewResponse(req, code, remark)
	resp.Ext = append(resp.Ext,
		wire.Field{Key: "suggestWhichBrokerId", Value: strconv.FormatInt(b.suggestBrokerID(&sg, lastPhy), 10)},
		wire.Field{Key: "nextBeginOffset", Value: strconv.FormatInt(res.NextBeginOffset, 10)},
		wire.Field{Key: "minOffset", Value: strconv.FormatInt(res.MinOffset, 10)},
		wire.Field{Key: "maxOffset", Value: strconv.FormatInt(res.MaxOffset, 10)},
		wire.Field{Key: "topicSysFlag", Value: strconv.Itoa(tc.TopicSysFlag)},
		wire.Field{Key: "groupSysFlag", Value: "0"},
	)
	if code != wire.Success || len(res.Records) == 0 {
		res.Release()
		return resp
	}
	b.gets.add(h.Topic, h.ConsumerGroup, len(res.Records), time.Now().UnixMilli())
	b.countPull(r, h, res, firstPass)
	if req.IsOneway() {
		res.Release()
		return nil
	}
	resp.Opaque = req.Opaque
	resp.Flag |= wire.FlagResponse
	resp.Serialize = req.Serialize
	if err := r.Conn.WriteVec(resp, res.Records, res.Release); err != nil {
		b.log.Debug("pull response not written", "remote", r.Conn.RemoteAddr(), "err", err)
	}
	return nil
}

// pullSubscription finds the filter a pull uses.
func (b *Broker) pullSubscription(req *wire.Command, h *codec.PullMessageRequestHeader) (*subscription, *wire.Command) {
	var sub *subscription
	posted := false
	if h.SysFlag&codec.PullFlagSubscription != 0 && h.Subscription != "" {
		sub = b.postedSubs.get(codec.SubscriptionData{Topic: h.Topic, SubString: h.Subscription, ExpressionType: h.ExpressionType, SubVersion: codec.FlexInt(h.SubVersion)})
		posted = true
	} else if s, ok := b.clients.subscription(h.ConsumerGroup, h.Topic); ok {
		sub = s
	} else if compat.IsRetryTopic(h.Topic) || h.SysFlag&codec.PullFlagLitePull != 0 || h.SysFlag&codec.PullFlagSubscription != 0 {
		sub = newSubscription(codec.SubscriptionData{Topic: h.Topic, SubString: "*", ExpressionType: "TAG"})
	} else {
		if !b.clients.groupOnline(h.ConsumerGroup) {
			return nil, wire.NewResponse(req, wire.SubscriptionNotExist,
				fmt.Sprintf("the consumer's group info not exist, https://rocketmq.apache.org/docs/bestPractice/06FAQ"))
		}
		return nil, wire.NewResponse(req, wire.SubscriptionNotExist,
			"the consumer's subscription not exist, https://rocketmq.apache.org/docs/bestPractice/06FAQ")
	}
	if !isTagExpression(sub.ExpressionType) {
		switch {
		case sub.sqlErr != nil && posted:
			return nil, wire.NewResponse(req, wire.SubscriptionParseFailed, "parse the consumer's subscription failed")
		case sub.sqlErr != nil:
			return nil, wire.NewResponse(req, wire.FilterDataNotExist, "The broker's consumer filter data is not exist!Your expression may be wrong!")
		case !b.conf().EnablePropertyFilter:
			return nil, wire.NewResponse(req, wire.SystemError, "The broker does not support consumer to filter message by "+sub.ExpressionType)
		}
	}
	return sub, nil
}

// sqlScanUnits is how many consume-queue units a pull with a property
// filter examines at most (Java's maxFilterMessageCount of 16000 bytes).
const sqlScanUnits = 800

// getMessages reads a pull's messages. TAG subscriptions filter on the
// consume queue's tag codes and keep the store's result as is. A property
// filter reads up to sqlScanUnits units, keeps the records it accepts
// within maxMsgs and maxBytes, and moves nextBeginOffset to the first
// record it had no room for; a result with every record dropped is
// NO_MATCHED_MSG.
func (b *Broker) getMessages(h *codec.PullMessageRequestHeader, sub *subscription, maxMsgs, maxBytes int) *store.GetResult {
	keep := b.recordFilter(h, sub)
	if keep == nil {
		return b.store.GetMessages(h.Topic, h.QueueID, h.QueueOffset, maxMsgs, maxBytes, sub.match)
	}
	res := b.store.GetMessages(h.Topic, h.QueueID, h.QueueOffset, max(maxMsgs, sqlScanUnits), 8*maxBytes, sub.match)
	if res.Status != store.Found {
		return res
	}
	kept, size := res.Records[:0], 0
	for _, rec := range res.Records {
		v, err := codec.ViewRecord(rec)
		if err != nil {
			continue
		}
		if len(kept) >= maxMsgs || len(kept) > 0 && size+len(rec) > maxBytes {
			res.NextBeginOffset = v.QueueOffset
			break
		}
		if keep(string(v.Properties)) {
			kept = append(kept, rec)
			size += len(rec)
		}
	}
	res.Records, res.Bytes = kept, size
	if len(kept) == 0 {
		res.Status = store.NoMatchedMessage
	}
	return res
}

// recordFilter returns the property filter of a pull, or nil when the
// consume queue's tag codes decide alone: a SQL92 subscription's
// expression; with filterSupportRetry, the group's SQL92 expression for a
// retry message's original topic (RETRY_TOPIC).
func (b *Broker) recordFilter(h *codec.PullMessageRequestHeader, sub *subscription) func(props string) bool {
	switch {
	case sub.sql != nil:
		return sub.matchProperties
	case !b.conf().FilterSupportRetry || !b.conf().EnablePropertyFilter || !compat.IsRetryTopic(h.Topic):
		return nil
	}
	group := strings.TrimPrefix(h.Topic, compat.RetryGroupTopicPrefix)
	return func(props string) bool {
		topic, ok := codec.PropertyValue(props, codec.PropertyRetryTopic)
		if !ok {
			return true
		}
		if s, ok := b.clients.subscription(group, topic); ok && s.sql != nil {
			return s.matchProperties(props)
		}
		return true
	}
}

// pullCode maps a store status to a pull response code.
func pullCode(s store.GetStatus, offset int64) (wire.ResponseCode, string) {
	switch s {
	case store.Found:
		return wire.Success, "FOUND"
	case store.NoMatchedMessage, store.MessageWasRemoving, store.OffsetFoundNull:
		return wire.PullRetryImmediately, "NO_MATCHED_MSG"
	case store.NoMessageInQueue, store.NoMatchedLogicQueue:
		if offset != 0 {
			return wire.PullOffsetMoved, "OFFSET_ILLEGAL"
		}
		return wire.PullNotFound, "NO_NEW_MSG"
	case store.OffsetOverflowOne:
		return wire.PullNotFound, "NO_NEW_MSG"
	case store.OffsetOverflowBadly, store.OffsetTooSmall:
		return wire.PullOffsetMoved, "OFFSET_ILLEGAL"
	}
	return wire.PullNotFound, "NO_NEW_MSG"
}
