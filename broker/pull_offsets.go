package broker

// The pull offsets: per topic@group and queue, the next offset the
// group's last pull of the queue was answered with. GET_CONSUME_STATS
// reports them as pullOffset, which mqadmin consumerProgress shows as
// #Inflight (pulled but not yet committed).
//
// Mirrors ConsumerOffsetManager.commitPullOffset / queryPullOffset, which
// PullMessageProcessor.tryCommitOffset feeds with every pull's
// nextBeginOffset, whatever its status (Apache RocketMQ 5.3.3). Like
// Java's, the table lives in memory only.
//
// Concurrency: one mutex, taken once per pull.

import "sync"

// pullOffsetTable holds the pull offsets.
type pullOffsetTable struct {
	mu sync.Mutex
	m  map[topicGroup]map[int32]int64
}

// set records the next offset a pull of topic's queue by group returned.
func (p *pullOffsetTable) set(topic, group string, queueID int32, next int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.m == nil {
		p.m = map[topicGroup]map[int32]int64{}
	}
	qs := p.m[topicGroup{topic, group}]
	if qs == nil {
		qs = map[int32]int64{}
		p.m[topicGroup{topic, group}] = qs
	}
	qs[queueID] = next
}

// get returns the recorded pull offset, if any.
func (p *pullOffsetTable) get(topic, group string, queueID int32) (int64, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	off, ok := p.m[topicGroup{topic, group}][queueID]
	return off, ok
}
