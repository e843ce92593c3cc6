package broker

import (
	"sync"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire/transport"
)

// parkedPull is a suspended PULL_MESSAGE waiting for messages.
type parkedPull struct {
	r        *transport.Request
	h        codec.PullMessageRequestHeader
	sub      *subscription
	deadline time.Time
}

// pullHold parks long-polling pulls by topic@queueId (Java's
// PullRequestHoldService). A parked pull runs again when a message that
// passes its filter arrives, when a sweep finds the queue has grown, or
// when its suspend time runs out.
type pullHold struct {
	b    *Broker
	mu   sync.Mutex // guards parked
	wait map[queueKey][]*parkedPull
	done chan struct{}
	wg   sync.WaitGroup
}

func newPullHold(b *Broker) *pullHold {
	return &pullHold{b: b, wait: map[queueKey][]*parkedPull{}, done: make(chan struct{})}
}

// queueKey names a queue of a topic; as a map key it costs no allocation
// on the arrival path, which runs for every message stored.
type queueKey struct {
	topic   string
	queueID int32
}

func pullKey(topic string, queueID int32) queueKey { return queueKey{topic, queueID} }

func (p *pullHold) start() {
	p.wg.Add(1)
	go p.sweep()
}

func (p *pullHold) stop() {
	close(p.done)
	p.wg.Wait()
}

// park suspends a pull.
func (p *pullHold) park(r *transport.Request, h codec.PullMessageRequestHeader, sub *subscription, timeout time.Duration) {
	if timeout <= 0 {
		timeout = time.Second
	}
	pp := &parkedPull{r: r, h: h, sub: sub, deadline: time.Now().Add(timeout)}
	key := pullKey(h.Topic, h.QueueID)
	p.mu.Lock()
	p.wait[key] = append(p.wait[key], pp)
	p.mu.Unlock()
	// A message may have landed between the read and the park.
	if p.b.store.MaxOffset(h.Topic, h.QueueID) > h.QueueOffset {
		p.arrived(h.Topic, h.QueueID, p.b.store.MaxOffset(h.Topic, h.QueueID), 0, "")
	}
}

// arrived is the store's arrival hook: wake pulls the new message serves.
func (p *pullHold) arrived(topic string, queueID int32, maxOffset int64, tagsCode int64, _ string) {
	key := pullKey(topic, queueID)
	p.mu.Lock()
	list := p.wait[key]
	if len(list) == 0 {
		p.mu.Unlock()
		return
	}
	var wake []*parkedPull
	keep := list[:0]
	for _, pp := range list {
		if pp.h.QueueOffset < maxOffset && (tagsCode == 0 || pp.sub.match(tagsCode)) {
			wake = append(wake, pp)
		} else {
			keep = append(keep, pp)
		}
	}
	if len(keep) == 0 {
		delete(p.wait, key)
	} else {
		p.wait[key] = keep
	}
	p.mu.Unlock()
	for _, pp := range wake {
		go p.rerun(pp)
	}
}

// rerun answers a parked pull with whatever is there now.
func (p *pullHold) rerun(pp *parkedPull) {
	if pp.r.Conn.Closed() {
		return
	}
	if resp := p.b.pull(pp.r, &pp.h, false); resp != nil {
		_ = pp.r.Conn.Reply(pp.r.Cmd, resp)
	}
}

// sweep checks parked pulls every second for growth, expiry or a closed
// connection.
func (p *pullHold) sweep() {
	defer p.wg.Done()
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case now := <-t.C:
			var wake []*parkedPull
			p.mu.Lock()
			for key, list := range p.wait {
				keep := list[:0]
				for _, pp := range list {
					switch {
					case pp.r.Conn.Closed():
					case now.After(pp.deadline) || p.b.store.MaxOffset(pp.h.Topic, pp.h.QueueID) > pp.h.QueueOffset:
						wake = append(wake, pp)
					default:
						keep = append(keep, pp)
					}
				}
				if len(keep) == 0 {
					delete(p.wait, key)
				} else {
					p.wait[key] = keep
				}
			}
			p.mu.Unlock()
			for _, pp := range wake {
				go p.rerun(pp)
			}
		}
	}
}
