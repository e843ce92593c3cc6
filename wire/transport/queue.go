package transport

import (
	"sync"
	"time"
)

// workQueue is the bounded FIFO of one executor class (the queue behind
// Java's ThreadPoolExecutor). Unlike a channel its head can be inspected,
// so the sweeper answers requests that waited too long while the workers
// are still busy, as Java's BrokerFastFailure does.
//
// Concurrency: every field is guarded by mu; workers block in pop on ready.
type workQueue struct {
	mu     sync.Mutex
	ready  sync.Cond
	buf    []task // ring of capacity len(buf)
	head   int
	n      int
	closed bool
	held   int // > 0 while Hold keeps the workers from taking tasks
}

func newWorkQueue(capacity int) *workQueue {
	q := &workQueue{buf: make([]task, capacity)}
	q.ready.L = &q.mu
	return q
}

// push appends t; it reports false when the queue is full or closed.
func (q *workQueue) push(t task) bool {
	q.mu.Lock()
	if q.closed || q.n == len(q.buf) {
		q.mu.Unlock()
		return false
	}
	q.buf[(q.head+q.n)%len(q.buf)] = t
	q.n++
	q.mu.Unlock()
	q.ready.Signal()
	return true
}

// pop waits for a task; it reports false once the queue is closed and
// drained.
func (q *workQueue) pop() (task, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for (q.n == 0 || q.held > 0) && !(q.closed && q.n == 0) {
		q.ready.Wait()
	}
	if q.n == 0 {
		return task{}, false
	}
	return q.take(), true
}

// take removes the head; mu must be held and n > 0.
func (q *workQueue) take() task {
	t := q.buf[q.head]
	q.buf[q.head] = task{}
	q.head = (q.head + 1) % len(q.buf)
	q.n--
	return t
}

// expire removes the tasks at the head that arrived before deadline and
// appends them to out.
func (q *workQueue) expire(deadline time.Time, out []task) []task {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.n > 0 && q.buf[q.head].r.Arrived.Before(deadline) {
		out = append(out, q.take())
	}
	return out
}

// drain removes every queued task and appends them to out.
func (q *workQueue) drain(out []task) []task {
	q.mu.Lock()
	defer q.mu.Unlock()
	for q.n > 0 {
		out = append(out, q.take())
	}
	return out
}

// headWait is how long the oldest queued task has waited at now (0 when
// the queue is empty).
func (q *workQueue) headWait(now time.Time) time.Duration {
	q.mu.Lock()
	defer q.mu.Unlock()
	if q.n == 0 {
		return 0
	}
	return max(0, now.Sub(q.buf[q.head].r.Arrived))
}

// size is the number of queued tasks.
func (q *workQueue) size() int {
	q.mu.Lock()
	defer q.mu.Unlock()
	return q.n
}

// hold stops the workers from taking tasks until the returned release
// runs; queued tasks still expire.
func (q *workQueue) hold() (release func()) {
	q.mu.Lock()
	q.held++
	q.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			q.mu.Lock()
			q.held--
			q.mu.Unlock()
			q.ready.Broadcast()
		})
	}
}

// close makes pop return false once the queue is drained; queued tasks
// still run.
func (q *workQueue) close() {
	q.mu.Lock()
	q.closed = true
	q.held = 0
	q.mu.Unlock()
	q.ready.Broadcast()
}
