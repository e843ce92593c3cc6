package broker

// Transactional messages (messages-and-store.md §9), mirroring Java's
// TransactionalMessageBridge, TransactionalMessageServiceImpl,
// TransactionalMessageCheckService and the check listeners.
//
//  1. A SEND with TRAN_MSG=true (and not a consumer's retry with a delay)
//     becomes a half message: REAL_TOPIC, REAL_QID and __transactionId__
//     (= UNIQ_KEY) are added, the transaction bits of the sysFlag are
//     reset to NOT_TYPE and the record goes to RMQ_SYS_TRANS_HALF_TOPIC
//     queue 0, where it has a consume-queue entry. rejectTransactionMessage
//     answers 16.
//  2. END_TRANSACTION (end_transaction.go) commits by writing the real
//     record, or rolls back by writing nothing; either way an op message
//     "<halfQueueOffset>," tagged "d" goes to RMQ_SYS_TRANS_OP_HALF_TOPIC,
//     same queue id as the half queue.
//  3. Every transactionCheckInterval the check service walks the half
//     queue from the offset it reached last time (kept in the consumer
//     offset table under group CID_RMQ_SYS_TRANS, like the op queue's, so
//     it survives a restart): half messages with an op entry are done;
//     the walk stops at the first one younger than transactionTimeOut (or
//     its CHECK_IMMUNITY_TIME_IN_SECONDS) or stored during the pass; older
//     ones are re-appended with TRANSACTION_CHECK_TIMES incremented and the
//     producer group (PGROUP) is asked about the new copy with
//     CHECK_TRANSACTION_STATE (oneway, to one live producer connection).
//     A message checked transactionCheckMax times, or older than
//     fileReservedTime, moves to TRANS_CHECK_MAX_TIME_TOPIC instead.
//  4. The op queue's offset advances over op messages whose half offsets
//     the walk has passed.
//
// Differences from Java: op messages are written one per END_TRANSACTION
// (Java batches them); a re-appended half keeps the user flag (Java's
// renewHalfMessageInner drops it); END_TRANSACTION only accepts records of
// the half topic; a half with CHECK_IMMUNITY_TIME_IN_SECONDS still inside
// its immunity stops the walk like a young one instead of being re-appended
// with TRAN_PREPARED_QUEUE_OFFSET.

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

const (
	// transCheckGroup is the consumer group under which the check
	// service keeps its half and op queue offsets (Java's
	// MixAll.CID_SYS_RMQ_TRANS).
	transCheckGroup = "CID_RMQ_SYS_TRANS"
	// opRemoveTag tags op messages (TransactionalMessageUtil.REMOVE_TAG).
	opRemoveTag = "d"
	// maxCheckPass bounds one queue's walk (MAX_PROCESS_TIME_LIMIT).
	maxCheckPass = 60 * time.Second
)

// isTransactionSend reports whether a SEND asks for a half message:
// TRAN_MSG parses as true (Boolean.parseBoolean) and the message is not a
// consumer's delayed retry of a committed transactional message.
func isTransactionSend(h *codec.SendMessageRequestHeader, m *codec.Message) bool {
	v, _ := codec.PropertyValue(m.Properties, codec.PropertyTransactionPrepared)
	if !strings.EqualFold(v, "true") {
		return false
	}
	delay, _ := codec.PropertyValue(m.Properties, codec.PropertyDelayLevel)
	level, _ := strconv.Atoi(delay)
	return !(h.ReconsumeTimes > 0 && level > 0)
}

// prepareHalf turns a transactional SEND into a half message in place
// (parseHalfMessageInner). It returns the error response when the broker
// refuses transactional messages, and nil otherwise, also for messages it
// leaves alone.
func (b *Broker) prepareHalf(req *wire.Command, h *codec.SendMessageRequestHeader, m *codec.Message) *wire.Command {
	if !isTransactionSend(h, m) {
		return nil
	}
	if b.conf().RejectTransactionMessage {
		return wire.NewResponse(req, wire.NoPermission,
			fmt.Sprintf("the broker[%s] sending transaction message is forbidden", b.Addr()))
	}
	kv := []string{codec.PropertyRealTopic, m.Topic, codec.PropertyRealQueueID, strconv.Itoa(int(m.QueueID))}
	if uniq, ok := codec.PropertyValue(m.Properties, codec.PropertyUniqKey); ok {
		kv = append(kv, codec.PropertyTransactionID, uniq)
	}
	m.Properties = replaceProperties(m.Properties, kv...)
	m.SysFlag &^= codec.SysFlagTransactionMask
	m.Topic = compat.TransHalfTopic
	m.QueueID = 0
	return nil
}

// replaceProperties sets the key/value pairs kv in the properties string
// s, replacing earlier values.
func replaceProperties(s string, kv ...string) string {
	keys := make([]string, 0, len(kv)/2)
	for i := 0; i < len(kv); i += 2 {
		keys = append(keys, kv[i])
	}
	out := []byte(codec.RemoveProperties(s, keys...))
	for i := 0; i < len(kv); i += 2 {
		out = codec.AppendProperty(out, kv[i], kv[i+1])
	}
	return string(out)
}

// writeOp records that the half message at halfOffset of half queue
// queueID was committed or rolled back.
func (b *Broker) writeOp(queueID int32, halfOffset int64, now time.Time) error {
	props := codec.AppendProperty(nil, codec.PropertyTags, opRemoveTag)
	props = codec.AppendProperty(props, codec.PropertyWaitStoreMsgOK, "false")
	props = codec.AppendProperty(props, codec.PropertyUniqKey, b.uniq.next(now))
	m := &codec.Message{
		Topic:         compat.TransOpHalfTopic,
		QueueID:       queueID,
		Body:          []byte(strconv.FormatInt(halfOffset, 10) + ","),
		Properties:    string(props),
		BornTimestamp: now.UnixMilli(),
		BornHost:      b.storeHost,
		StoreHost:     b.storeHost,
		TagsCode:      compat.TagsCode(opRemoveTag),
	}
	if res := b.store.Put([]*codec.Message{m}, false); !res.Status.Stored() {
		return fmt.Errorf("write op message: %s: %w", res.Status, res.Err)
	}
	return nil
}

// transactionCheckLoop runs the check service every
// transactionCheckInterval until the broker stops.
func (b *Broker) transactionCheckLoop() {
	defer b.wg.Done()
	t := time.NewTicker(b.conf().TransactionCheckInterval)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			if b.conf().BrokerRole == "SLAVE" {
				continue
			}
			b.checkTransactions()
		}
	}
}

// checkTransactions runs one pass over every half queue.
func (b *Broker) checkTransactions() {
	for _, q := range b.store.QueueIDs(compat.TransHalfTopic) {
		if err := b.checkHalfQueue(q, time.Now()); err != nil {
			b.log.Warn("transaction check", "queue", q, "err", err)
		}
	}
}

// checkOffset returns the check service's offset of a queue, starting at
// the queue's min offset.
func (b *Broker) checkOffset(topic string, queueID int32) int64 {
	if off, ok := b.offsets.query(topic, transCheckGroup, queueID); ok && off >= 0 {
		return off
	}
	off := b.store.MinOffset(topic, queueID)
	b.offsets.commit(topic, transCheckGroup, queueID, off)
	return off
}

// opState is what the op queue says about one half queue during a pass.
type opState struct {
	next    int64           // next op queue offset to read
	removed map[int64]int64 // half offset → op offset that ended it
	pending map[int64]int   // op offset → its half offsets not yet passed
	done    []int64         // op offsets whose half offsets are all passed
}

// readOps reads op messages from s.next to the end of the op queue; half
// offsets below minHalf are already passed.
func (b *Broker) readOps(s *opState, queueID int32, minHalf int64) {
	for {
		res := b.store.GetMessages(compat.TransOpHalfTopic, queueID, s.next, 32, 0, nil)
		next := res.NextBeginOffset
		for _, rec := range res.Records {
			v, err := codec.ViewRecord(rec)
			if err != nil {
				continue
			}
			n := 0
			if tags, _ := codec.PropertyValue(string(v.Properties), codec.PropertyTags); tags == opRemoveTag {
				for _, f := range bytes.Split(v.Body, []byte(",")) {
					off, err := strconv.ParseInt(string(bytes.TrimSpace(f)), 10, 64)
					if err != nil || off < minHalf {
						continue
					}
					if _, dup := s.removed[off]; !dup {
						s.removed[off] = v.QueueOffset
						n++
					}
				}
			}
			if n > 0 {
				s.pending[v.QueueOffset] += n
			} else {
				s.done = append(s.done, v.QueueOffset)
			}
		}
		res.Release()
		switch res.Status {
		case store.Found, store.OffsetTooSmall, store.MessageWasRemoving:
			if next > s.next {
				s.next = next
				continue
			}
		}
		return
	}
}

// passHalf marks half offset off as passed if an op message ended it.
func (s *opState) passHalf(off int64) bool {
	op, ok := s.removed[off]
	if !ok {
		return false
	}
	delete(s.removed, off)
	if s.pending[op]--; s.pending[op] <= 0 {
		delete(s.pending, op)
		s.done = append(s.done, op)
	}
	return true
}

// opOffset is calculateOpOffset: the op offset advances over consecutive
// done op messages.
func (s *opState) opOffset(from int64) int64 {
	slices.Sort(s.done)
	for _, d := range s.done {
		switch {
		case d < from:
		case d == from:
			from++
		default:
			return from
		}
	}
	return from
}

// checkHalfQueue runs one pass over half queue queueID.
func (b *Broker) checkHalfQueue(queueID int32, start time.Time) error {
	halfOff := b.checkOffset(compat.TransHalfTopic, queueID)
	opOff := b.checkOffset(compat.TransOpHalfTopic, queueID)
	ops := &opState{next: opOff, removed: map[int64]int64{}, pending: map[int64]int{}}
	b.readOps(ops, queueID, halfOff)

	timeout := b.conf().TransactionTimeOut.Milliseconds()
	i := halfOff
	defer func() {
		if i != halfOff {
			b.offsets.commit(compat.TransHalfTopic, transCheckGroup, queueID, i)
		}
		// Op messages below the queue's min offset are gone: passed.
		from := max(opOff, b.store.MinOffset(compat.TransOpHalfTopic, queueID))
		if n := ops.opOffset(from); n != opOff {
			b.offsets.commit(compat.TransOpHalfTopic, transCheckGroup, queueID, n)
		}
	}()
	for time.Since(start) < maxCheckPass {
		select {
		case <-b.stop:
			return nil
		default:
		}
		if ops.passHalf(i) {
			i++
			continue
		}
		m, status, next := b.halfAt(queueID, i)
		if m == nil {
			switch status {
			case store.OffsetTooSmall, store.OffsetOverflowBadly, store.MessageWasRemoving, store.OffsetFoundNull:
				if next > i {
					i = next
					continue
				}
				if status != store.OffsetOverflowBadly {
					i++
					continue
				}
			}
			return nil // nothing more in the queue yet
		}
		now := time.Now().UnixMilli()
		if checkTimes(m) >= b.conf().TransactionCheckMax || now-m.BornTimestamp > int64(b.conf().FileReservedTime)*3600*1000 {
			if err := b.discardHalf(m); err != nil {
				return err
			}
			i++
			continue
		}
		if m.StoreTimestamp >= start.UnixMilli() {
			return nil // stored during this pass: next time
		}
		age, immunity := now-m.BornTimestamp, timeout
		if v, ok := codec.PropertyValue(m.Properties, codec.PropertyCheckImmunityTimeInSeconds); ok {
			if s, err := strconv.ParseInt(v, 10, 64); err == nil && s != -1 {
				immunity = s * 1000
			}
		}
		if age >= 0 && age <= immunity {
			return nil // too young to check; so are the ones behind it
		}
		// An END_TRANSACTION may have landed since the op queue was read.
		b.readOps(ops, queueID, halfOff)
		if ops.passHalf(i) {
			i++
			continue
		}
		if err := b.checkHalf(m); err != nil {
			return err
		}
		i++
	}
	return nil
}

// halfAt reads the half message at a queue offset. Without one it returns
// nil, the store's status and where to go on.
func (b *Broker) halfAt(queueID int32, offset int64) (*codec.Message, store.GetStatus, int64) {
	res := b.store.GetMessages(compat.TransHalfTopic, queueID, offset, 1, 0, nil)
	defer res.Release()
	if res.Status != store.Found || len(res.Records) == 0 {
		return nil, res.Status, res.NextBeginOffset
	}
	m, _, err := codec.DecodeRecord(res.Records[0])
	if err != nil {
		return nil, store.MessageWasRemoving, offset + 1
	}
	m.Body = bytes.Clone(m.Body)
	return &m, store.Found, res.NextBeginOffset
}

// checkTimes is the TRANSACTION_CHECK_TIMES of a half message.
func checkTimes(m *codec.Message) int {
	v, _ := codec.PropertyValue(m.Properties, codec.PropertyTransactionCheckTimes)
	n, _ := strconv.Atoi(v)
	return n
}

// checkHalf re-appends a half message with its check count incremented
// and asks its producer group about the new copy.
func (b *Broker) checkHalf(m *codec.Message) error {
	cp := &codec.Message{
		Topic:          m.Topic,
		QueueID:        m.QueueID,
		Flag:           m.Flag,
		Body:           m.Body,
		Properties:     replaceProperties(m.Properties, codec.PropertyTransactionCheckTimes, strconv.Itoa(checkTimes(m)+1)),
		SysFlag:        m.SysFlag,
		BornTimestamp:  m.BornTimestamp,
		BornHost:       m.BornHost,
		StoreHost:      m.StoreHost,
		ReconsumeTimes: m.ReconsumeTimes,
		TagsCode:       tagsCodeOf(m.Properties),
	}
	res := b.store.Put([]*codec.Message{cp}, false)
	if !res.Status.Stored() {
		return fmt.Errorf("re-append half message: %s: %w", res.Status, res.Err)
	}
	cp.QueueOffset, cp.CommitLogOffset = res.Offsets[0].QueueOffset, res.Offsets[0].CommitLogOffset
	cp.StoreTimestamp = res.StoreTimestamp
	b.sendCheck(cp)
	return nil
}

func tagsCodeOf(props string) int64 {
	tags, _ := codec.PropertyValue(props, codec.PropertyTags)
	return compat.TagsCode(tags)
}

// sendCheck sends CHECK_TRANSACTION_STATE about a stored half message to
// one live connection of its producer group (Broker2Client
// checkProducerTransactionState). The body is the message under its real
// topic and queue.
func (b *Broker) sendCheck(half *codec.Message) {
	group, _ := codec.PropertyValue(half.Properties, codec.PropertyProducerGroup)
	uniq, _ := codec.PropertyValue(half.Properties, codec.PropertyUniqKey)
	conn := b.clients.producerConn(group)
	if conn == nil {
		b.log.Warn("transaction check: no producer online", "group", group, "uniqKey", uniq)
		return
	}
	real := *half
	real.Topic, _ = codec.PropertyValue(half.Properties, codec.PropertyRealTopic)
	qid, _ := codec.PropertyValue(half.Properties, codec.PropertyRealQueueID)
	q, _ := strconv.Atoi(qid)
	real.QueueID = int32(q)
	req := wire.NewRequest(wire.CheckTransactionState,
		wire.Field{Key: "topic", Value: half.Topic},
		wire.Field{Key: "tranStateTableOffset", Value: strconv.FormatInt(half.QueueOffset, 10)},
		wire.Field{Key: "commitLogOffset", Value: strconv.FormatInt(half.CommitLogOffset, 10)},
		wire.Field{Key: "msgId", Value: uniq},
		wire.Field{Key: "transactionId", Value: uniq},
		wire.Field{Key: "offsetMsgId", Value: codec.OffsetMsgID(b.storeHost, half.CommitLogOffset)},
		wire.Field{Key: "bname", Value: b.conf().BrokerName},
	)
	req.Body = real.AppendRecord(nil)
	if err := conn.Oneway(req); err != nil {
		b.log.Warn("transaction check not sent", "group", group, "remote", conn.RemoteAddr(), "err", err)
		return
	}
	b.log.Debug("transaction check sent", "group", group, "uniqKey", uniq, "remote", conn.RemoteAddr(),
		"queueOffset", half.QueueOffset, "commitLogOffset", half.CommitLogOffset)
}

// discardHalf moves a half message checked too often, or too old, to
// TRANS_CHECK_MAX_TIME_TOPIC (DefaultTransactionalMessageCheckListener).
func (b *Broker) discardHalf(m *codec.Message) error {
	if _, created, err := b.topics.putIfAbsent(codec.TopicConfig{TopicName: compat.TransCheckMaxTimeTopic,
		ReadQueueNums: 1, WriteQueueNums: 1, Perm: compat.PermRead | compat.PermWrite}); err != nil {
		return err
	} else if created {
		b.triggerRegister()
	}
	d := &codec.Message{
		Topic:          compat.TransCheckMaxTimeTopic,
		Flag:           m.Flag,
		Body:           m.Body,
		Properties:     m.Properties,
		SysFlag:        m.SysFlag,
		BornTimestamp:  m.BornTimestamp,
		BornHost:       m.BornHost,
		StoreHost:      m.StoreHost,
		ReconsumeTimes: m.ReconsumeTimes,
		TagsCode:       tagsCodeOf(m.Properties),
	}
	if res := b.store.Put([]*codec.Message{d}, false); !res.Status.Stored() {
		return fmt.Errorf("move half message to %s: %s: %w", compat.TransCheckMaxTimeTopic, res.Status, res.Err)
	}
	uniq, _ := codec.PropertyValue(m.Properties, codec.PropertyUniqKey)
	b.log.Info("transaction given up: half message moved", "topic", compat.TransCheckMaxTimeTopic,
		"uniqKey", uniq, "checkTimes", checkTimes(m))
	return nil
}

// producerConn returns a live connection of a producer group, the most
// recently heard from, or nil (ProducerManager.getAvailableChannel).
func (t *clientTable) producerConn(group string) *transport.Conn {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var best *clientChannel
	for _, ch := range t.producers[group] {
		if ch.conn.Closed() {
			continue
		}
		if best == nil || ch.lastUpdate.After(best.lastUpdate) {
			best = ch
		}
	}
	if best == nil {
		return nil
	}
	return best.conn
}
