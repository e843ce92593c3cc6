package broker

// Long polling of POP_MESSAGE and NOTIFICATION (Apache's
// PopLongPollingService):
//  1. A request that finds nothing is parked until bornTime+pollTime
//     under its polling key topic@group@queueId (queueId -1 = any queue).
//     pollTime <= 0, or a deadline already passed, is not parked
//     (POLLING_TIMEOUT); more than popPollingSize requests on one key or
//     maxPopPollingSize in all is POLLING_FULL.
//  2. Each message stored in the topic (any queue for -1, else that queue)
//     or in the group's pop retry topic wakes one parked request whose tag
//     filter it passes; the request runs again. A successful pop that
//     leaves messages behind (restNum > 0) wakes one more.
//  3. At its deadline a parked request runs once more and is answered
//     with whatever it finds (POLLING_TIMEOUT when nothing).

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/booster-mq/booster/wire/transport"
)

// pollingResult is the outcome of parking a request.
type pollingResult uint8

const (
	pollingSuc pollingResult = iota
	pollingFull
	pollingTimeout
)

// popWaiter is one parked POP_MESSAGE or NOTIFICATION.
type popWaiter struct {
	r       *transport.Request
	topic   string // the requested topic
	retry   string // the group's pop retry topic
	group   string
	queueID int32
	sub     *subscription // nil matches every tag
	// rerun answers the request again (its handler with firstPass=false).
	rerun func()
	timer *time.Timer
}

func (w *popWaiter) key() string { return pollingKey(w.topic, w.group, w.queueID) }

// pollingKey is KeyBuilder.buildPollingKey.
func pollingKey(topic, group string, queueID int32) string {
	return topic + "@" + group + "@" + strconv.Itoa(int(queueID))
}

// popHold keeps parked pops. Safe for concurrent use; mu is a leaf lock.
type popHold struct {
	b      *Broker
	parked atomic.Int32 // fast path for the arrival hook

	mu      sync.Mutex
	byTopic map[string][]*popWaiter // requested and retry topic → waiters
	perKey  map[string]int
	stopped bool
}

func newPopHold(b *Broker) *popHold {
	return &popHold{b: b, byTopic: map[string][]*popWaiter{}, perKey: map[string]int{}}
}

// park suspends w until deadline (ms).
func (h *popHold) park(w *popWaiter, deadline int64) pollingResult {
	now := time.Now().UnixMilli()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.stopped {
		return pollingTimeout
	}
	if int64(h.parked.Load()) >= int64(h.b.conf().MaxPopPollingSize) || h.perKey[w.key()] > h.b.conf().PopPollingSize {
		return pollingFull
	}
	if deadline <= now {
		return pollingTimeout
	}
	h.byTopic[w.topic] = append(h.byTopic[w.topic], w)
	if w.retry != "" {
		h.byTopic[w.retry] = append(h.byTopic[w.retry], w)
	}
	h.perKey[w.key()]++
	h.parked.Add(1)
	w.timer = time.AfterFunc(time.Duration(deadline-now)*time.Millisecond, func() {
		if h.remove(w) {
			w.rerun()
		}
	})
	return pollingSuc
}

// remove unparks w; it reports whether w was parked.
func (h *popHold) remove(w *popWaiter) bool {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.removeLocked(w)
}

func (h *popHold) removeLocked(w *popWaiter) bool {
	found := h.dropLocked(w.topic, w)
	if w.retry != "" {
		h.dropLocked(w.retry, w)
	}
	if !found {
		return false
	}
	if n := h.perKey[w.key()] - 1; n > 0 {
		h.perKey[w.key()] = n
	} else {
		delete(h.perKey, w.key())
	}
	h.parked.Add(-1)
	if w.timer != nil {
		w.timer.Stop()
	}
	return true
}

func (h *popHold) dropLocked(topic string, w *popWaiter) bool {
	list := h.byTopic[topic]
	for i, x := range list {
		if x == w {
			list = append(list[:i], list[i+1:]...)
			if len(list) == 0 {
				delete(h.byTopic, topic)
			} else {
				h.byTopic[topic] = list
			}
			return true
		}
	}
	return false
}

// arrived wakes one parked request served by a new message of topic.
func (h *popHold) arrived(topic string, queueID int32, tagsCode int64) {
	if h.parked.Load() == 0 {
		return
	}
	h.wakeOne(topic, func(w *popWaiter) bool {
		return (topic == w.retry || w.queueID < 0 || w.queueID == queueID) && (tagsCode == 0 || w.sub.match(tagsCode))
	})
}

// notify wakes one parked request of group on topic (after a pop that
// left messages behind).
func (h *popHold) notify(topic, group string) {
	if h.parked.Load() == 0 {
		return
	}
	h.wakeOne(topic, func(w *popWaiter) bool { return w.group == group })
}

func (h *popHold) wakeOne(topic string, match func(*popWaiter) bool) {
	var wake *popWaiter
	var dead []*popWaiter
	h.mu.Lock()
	for _, w := range h.byTopic[topic] {
		if w.r.Conn.Closed() {
			dead = append(dead, w)
			continue
		}
		if match(w) {
			wake = w
			break
		}
	}
	for _, w := range dead {
		h.removeLocked(w)
	}
	if wake != nil {
		h.removeLocked(wake)
	}
	h.mu.Unlock()
	if wake != nil {
		go wake.rerun()
	}
}

// pollingNum is the number of requests parked under a polling key (POLLING_INFO).
func (h *popHold) pollingNum(topic, group string, queueID int32) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.perKey[pollingKey(topic, group, queueID)]
}

// stop drops every parked request (the server is already stopped).
func (h *popHold) stop() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.stopped = true
	for _, list := range h.byTopic {
		for _, w := range list {
			if w.timer != nil {
				w.timer.Stop()
			}
		}
	}
	clear(h.byTopic)
	clear(h.perKey)
	h.parked.Store(0)
}

// messageArrived is the store's arrival hook: it wakes parked pulls and pops.
func (b *Broker) messageArrived(topic string, queueID int32, maxOffset int64, tagsCode int64, props string) {
	b.polls.arrived(topic, queueID, maxOffset, tagsCode, props)
	b.pop.hold.arrived(topic, queueID, tagsCode)
}
