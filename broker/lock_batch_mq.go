package broker

// LOCK_BATCH_MQ (41) and UNLOCK_BATCH_MQ (42), mirroring Java's
// AdminBrokerProcessor.lockBatchMQ / unlockBatchMQ and
// RebalanceLockManager. Orderly consumers lock a queue on the broker
// before pulling it, so one queue is consumed by one client at a time.
//
// Header: none. Body (both codes): LockBatchRequestBody
// {"consumerGroup","clientId","mqSet":[{"topic","brokerName","queueId"}],
// "onlyThisBroker"} (the Go and C++ clients omit onlyThisBroker).
//
// Behaviour:
//  1. The lock table maps (group, queue) to (clientId, lastUpdate).
//  2. LOCK grants each queue that is free, already held by the same client
//     (its lastUpdate is refreshed), or whose holder has not refreshed it
//     for lockMaxLiveTime (60 s, key rocketmq.broker.rebalance.lockMaxLiveTime,
//     a JVM system property in Java); the others are left out of the answer.
//  3. UNLOCK removes the queues held by the requesting client; queues held
//     by another client are left alone.
//  4. Locks are not released when a client's connection closes: like Java,
//     the broker relies on the client's UNLOCK at shutdown and on expiry.
//  5. onlyThisBroker is ignored: Java forwards to the other replicas only
//     with lockInStrictMode (default false), which Booster does not have.
//  6. A group that holds an unexpired lock has its plain SENDs to
//     %RETRY%group rerouted to %DLQ%group (5.1.4+, send_message.go).
//
// Response: LOCK answers 0 with body {"lockOKMQSet":[mq…]}; UNLOCK answers
// 0 with no body. An unparsable body answers 1 SYSTEM_ERROR.

import (
	"encoding/json"
	"sync"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) lockBatchMQ(r *transport.Request) *wire.Command {
	var body codec.LockBatchRequestBody
	if err := json.Unmarshal(r.Cmd.Body, &body); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, "bad LockBatchRequestBody: "+err.Error())
	}
	ok := b.locks.tryLockBatch(body.ConsumerGroup, body.ClientID, body.MQSet, time.Now())
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = codec.Encode(codec.LockBatchResponseBody{LockOKMQSet: ok})
	return resp
}

func (b *Broker) unlockBatchMQ(r *transport.Request) *wire.Command {
	var body codec.LockBatchRequestBody
	if err := json.Unmarshal(r.Cmd.Body, &body); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, "bad UnlockBatchRequestBody: "+err.Error())
	}
	b.locks.unlockBatch(body.ConsumerGroup, body.ClientID, body.MQSet)
	return wire.NewResponse(r.Cmd, wire.Success, "")
}

// lockEntry is one queue's lock holder.
type lockEntry struct {
	clientID   string
	lastUpdate time.Time
}

// lockTable is Java's RebalanceLockManager. Safe for concurrent use.
type lockTable struct {
	maxLive time.Duration

	mu     sync.Mutex
	groups map[string]map[codec.MessageQueue]*lockEntry
}

func newLockTable(maxLive time.Duration) *lockTable {
	return &lockTable{maxLive: maxLive, groups: map[string]map[codec.MessageQueue]*lockEntry{}}
}

func (e *lockEntry) expired(now time.Time, maxLive time.Duration) bool {
	return now.Sub(e.lastUpdate) > maxLive
}

// tryLockBatch locks what it can of mqs for clientID and returns those
// queues, without duplicates, in request order.
func (t *lockTable) tryLockBatch(group, clientID string, mqs []codec.MessageQueue, now time.Time) []codec.MessageQueue {
	out := make([]codec.MessageQueue, 0, len(mqs))
	t.mu.Lock()
	defer t.mu.Unlock()
	g := t.groups[group]
	if g == nil {
		g = map[codec.MessageQueue]*lockEntry{}
		t.groups[group] = g
	}
	seen := make(map[codec.MessageQueue]bool, len(mqs))
	for _, mq := range mqs {
		if seen[mq] {
			continue
		}
		seen[mq] = true
		e := g[mq]
		switch {
		case e == nil:
			g[mq] = &lockEntry{clientID: clientID, lastUpdate: now}
		case e.clientID == clientID || e.expired(now, t.maxLive):
			e.clientID, e.lastUpdate = clientID, now
		default:
			continue
		}
		out = append(out, mq)
	}
	return out
}

// unlockBatch releases the queues of mqs that clientID holds.
func (t *lockTable) unlockBatch(group, clientID string, mqs []codec.MessageQueue) {
	t.mu.Lock()
	defer t.mu.Unlock()
	g := t.groups[group]
	for _, mq := range mqs {
		if e := g[mq]; e != nil && e.clientID == clientID {
			delete(g, mq)
		}
	}
	if g != nil && len(g) == 0 {
		delete(t.groups, group)
	}
}

// allExpired reports whether group holds no unexpired lock (Java's
// isLockAllExpired).
func (t *lockTable) allExpired(group string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, e := range t.groups[group] {
		if !e.expired(now, t.maxLive) {
			return false
		}
	}
	return true
}
