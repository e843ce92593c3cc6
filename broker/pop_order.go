package broker

// Orderly pops (POP_MESSAGE with order=true), mirroring the behaviour of
// Apache's ConsumerOrderInfoManager as seen by a client:
//  1. A queue with messages still invisible is blocked: an orderly pop
//     gets nothing from it.
//  2. Otherwise the pop reads from the group's consumer offset, which
//     does not move at pop time; the batch becomes in flight with
//     reviveQid 999 and is never copied to a retry topic.
//  3. When the batch's invisible time runs out, the next pop reads the same
//     messages again; orderCountInfo then tells the client how often each
//     was delivered before ("retry qo<queueId>%<offset> count" per message
//     delivered before, plus "retry queueId minCount"), and the client
//     uses that as the reconsume times.
//  4. Acks (and CHANGE_MESSAGE_INVISIBLETIME) must carry the batch's pop
//     time. An ack moves the consumer offset to the first offset still in
//     flight, or past the batch when none is, and wakes a parked pop.
//
// Booster keeps the batch in the same in-flight table as normal pops
// (config/popState.json), so it survives a restart.

import "github.com/booster-mq/booster/store"

// orderBlocked reports whether an orderly queue has messages invisible at now.
func (s *popState) orderBlocked(q *popQueue, now int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, e := range q.inflight {
		if e.deadline() > now {
			return true
		}
	}
	return false
}

// addOrder makes offsets q's orderly batch, replacing an expired one; it
// returns how often each offset was delivered before.
func (s *popState) addOrder(q *popQueue, offsets []int64, e popInflight, next int64) []int32 {
	s.mu.Lock()
	defer s.mu.Unlock()
	counts := make([]int32, len(offsets))
	kept := make(map[int64]int32, len(offsets))
	for i, off := range offsets {
		n := q.orderCount[off]
		if _, again := q.inflight[off]; again {
			n++
		}
		counts[i] = n
		if n > 0 {
			kept[off] = n
		}
	}
	s.count -= len(q.inflight)
	clear(q.inflight)
	for _, off := range offsets {
		q.inflight[off] = e
	}
	s.count += len(offsets)
	q.orderCount = kept
	q.orderNext = next
	s.dirty = true
	return counts
}

// ackOrder acks one offset of q's orderly batch popped at popTime. It
// returns the offset the group's consumer offset may move to.
func (s *popState) ackOrder(key popQueueKey, offset, popTime int64) (int64, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queues[key]
	if q == nil {
		return 0, false
	}
	e, ok := q.inflight[offset]
	if !ok || e.popTime != popTime {
		return 0, false
	}
	delete(q.inflight, offset)
	delete(q.orderCount, offset)
	s.count--
	s.dirty = true
	if len(q.inflight) == 0 {
		clear(q.orderCount)
		return q.orderNext, true
	}
	first := int64(-1)
	for o := range q.inflight {
		if first < 0 || o < first {
			first = o
		}
	}
	return first, true
}

// changeOrder moves the end of invisibility of one offset of an orderly
// batch popped at popTime to nextVisible; it reports whether there was one.
func (s *popState) changeOrder(key popQueueKey, offset, popTime, nextVisible int64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	q := s.queues[key]
	if q == nil {
		return false
	}
	e, ok := q.inflight[offset]
	if !ok || e.popTime != popTime {
		return false
	}
	e.invisible = nextVisible - e.popTime
	q.inflight[offset] = e
	s.dirty = true
	return true
}

// popOrderlyFromQueue is popFromQueue for order=true; the caller holds q.popMu.
func (b *Broker) popOrderlyFromQueue(bt *popBatch, q *popQueue) {
	h := bt.h
	k := q.key
	if b.pop.state.orderBlocked(q, bt.popTime) {
		return
	}
	offset := b.popOffset(k.topic, h.group, k.queueID, h.initMode, true)
	need := int(h.maxMsgNums) - bt.count
	if need <= 0 {
		bt.restNum += max(b.store.MaxOffset(k.topic, k.queueID)-offset, 0)
		return
	}
	res, offset := b.popRead(k.topic, h.group, k.queueID, offset, need, bt.sub)
	bt.restNum += max(res.MaxOffset-res.NextBeginOffset, 0)
	if res.Status != store.Found || len(res.Records) == 0 {
		if popSkips(res, offset) {
			b.offsets.commit(k.topic, h.group, k.queueID, res.NextBeginOffset)
		}
		res.Release()
		return
	}
	offsets := recordOffsets(res.Records)
	counts := b.pop.state.addOrder(q, offsets, popInflight{popTime: bt.popTime, invisible: h.invisibleTime, reviveQid: popOrderReviveQid}, res.NextBeginOffset)
	b.pop.ensureOnDisk(q)
	minCount := int32(-1)
	for i, off := range offsets {
		if counts[i] > 0 {
			bt.orderInfo = appendOrderCountInfo(bt.orderInfo, k.topic, k.queueID, off, counts[i])
		}
		if minCount < 0 || counts[i] < minCount {
			minCount = counts[i]
		}
	}
	bt.orderInfo = appendQueueOrderCountInfo(bt.orderInfo, k.topic, k.queueID, max(minCount, 0))
	b.gets.add(k.topic, h.group, len(res.Records), bt.popTime)
	bt.addRecords(b, res, k.topic, k.queueID, offset, offsets)
}
