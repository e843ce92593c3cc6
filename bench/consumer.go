package bench

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
)

// RunConsumer consumes cfg.Topic until the count is reached, the duration
// is over or ctx is cancelled, and returns the summary; its latency is the
// end-to-end latency from the send time property (or, for messages without
// it, the born timestamp).
func RunConsumer(ctx context.Context, cfg ConsumerConfig) (*Summary, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Duration)
		defer cancel()
	}
	recs := newRecorders(64)
	sk := newSink(recs, cfg.Count)
	rep := newReporter(recs, cfg.Interval, cfg.Warmup, cfg.Out, cfg.WatchPID, "e2e")
	stop, done := make(chan struct{}), make(chan struct{})
	go rep.run(stop, done)
	r, err := startReceiver(ctx, &cfg, sk)
	if err != nil {
		close(stop)
		<-done
		return nil, err
	}
	select {
	case <-ctx.Done():
	case <-sk.done:
	}
	end := time.Now()
	close(stop)
	<-done
	r.close()
	return rep.summary("consumer", cfg.Client, cfg.configMap(), end), nil
}

// startReceiver starts the consumer of cfg.Client delivering into sk.
func startReceiver(ctx context.Context, cfg *ConsumerConfig, sk *sink) (receiver, error) {
	if cfg.Client == ClientGo {
		return startGoReceiver(cfg, sk)
	}
	return startWireReceiver(ctx, cfg, sk)
}

// receiver is a running consumer.
type receiver interface {
	close()
}

// sink counts received messages and their latency. Safe for concurrent
// use.
type sink struct {
	recs  recorders
	limit int64
	// since, when > 0, skips messages sent (PropertySendTime) before it,
	// in Unix nanoseconds: an e2e run counts only its own messages.
	since int64
	got   atomic.Int64
	once  sync.Once
	done  chan struct{} // closed once limit messages arrived
}

func newSink(recs recorders, limit int64) *sink {
	return &sink{recs: recs, limit: limit, done: make(chan struct{})}
}

// received records one message that worker w got at now; sendNs is its
// send time in Unix nanoseconds, or 0 when only bornMs is known.
func (s *sink) received(w int, size int, sendNs, bornMs int64, now time.Time) {
	if s.since > 0 && sendNs < s.since {
		return
	}
	lat := time.Duration(-1)
	switch {
	case sendNs > 0:
		lat = time.Duration(now.UnixNano() - sendNs)
	case bornMs > 0:
		lat = time.Duration(now.UnixMilli()-bornMs) * time.Millisecond
	}
	s.recs.get(w).add(1, size, max(lat, -1))
	if n := s.got.Add(1); s.limit > 0 && n >= s.limit {
		s.once.Do(func() { close(s.done) })
	}
}

// sendTime returns the PropertySendTime of a properties string, or 0.
func sendTime(props string) int64 {
	v, ok := codec.PropertyValue(props, PropertySendTime)
	if !ok {
		return 0
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	return n
}

// wireReceiver pulls every read queue of a topic through Booster's
// remoting client, one long-polling pull outstanding per queue, as a push
// consumer does.
type wireReceiver struct {
	cfg    *ConsumerConfig
	cl     *cluster
	sk     *sink
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// pullSuspend is how long the broker may hold a pull (the clients' 15 s).
const pullSuspend = 15 * time.Second

func startWireReceiver(ctx context.Context, cfg *ConsumerConfig, sk *sink) (*wireReceiver, error) {
	cl := newCluster(cfg.Namesrv, cfg.Serialize, cfg.Conns, 10*time.Second)
	rd, err := cl.route(ctx, cfg.Topic)
	if err != nil {
		cl.close()
		return nil, err
	}
	qs, err := queues(rd, permRead, 0)
	if err != nil {
		cl.close()
		return nil, err
	}
	offsets := make([]int64, len(qs))
	code := wire.GetMaxOffset
	if cfg.From == FromFirst {
		code = wire.GetMinOffset
	}
	for i, q := range qs {
		if offsets[i], err = queueOffset(ctx, cl, cfg.Topic, q, code); err != nil {
			cl.close()
			return nil, err
		}
	}
	ctx, cancel := context.WithCancel(ctx)
	r := &wireReceiver{cfg: cfg, cl: cl, sk: sk, cancel: cancel}
	for i, q := range qs {
		r.wg.Go(func() { r.pullLoop(ctx, i, q, offsets[i]) })
	}
	return r, nil
}

// close stops the pulls and closes the connections.
func (r *wireReceiver) close() {
	r.cancel()
	r.cl.close()
	r.wg.Wait()
}

// queueOffset asks a queue's broker for its min or max offset.
func queueOffset(ctx context.Context, cl *cluster, topic string, q queue, code wire.RequestCode) (int64, error) {
	c, err := cl.client(ctx, q.addr, 0)
	if err != nil {
		return 0, err
	}
	ctx, cancel := context.WithTimeout(ctx, cl.timeout)
	defer cancel()
	req := wire.NewRequest(code,
		wire.Field{Key: "topic", Value: topic},
		wire.Field{Key: "queueId", Value: strconv.Itoa(int(q.id))})
	if code == wire.GetMaxOffset {
		req.SetExt("committed", "true")
	}
	resp, err := c.Invoke(ctx, req)
	if err != nil {
		return 0, err
	}
	if resp.ResponseCode() != wire.Success {
		return 0, fmt.Errorf("bench: %v of queue %d: %v %s", code, q.id, resp.ResponseCode(), resp.Remark)
	}
	return strconv.ParseInt(resp.ExtValue("offset"), 10, 64)
}

func (r *wireReceiver) pullLoop(ctx context.Context, w int, q queue, offset int64) {
	pause := func() bool {
		select {
		case <-ctx.Done():
			return false
		case <-time.After(100 * time.Millisecond):
			return true
		}
	}
	for ctx.Err() == nil {
		c, err := r.cl.client(ctx, q.addr, w)
		if err != nil {
			if !pause() {
				return
			}
			continue
		}
		sysFlag := codec.PullFlagSuspend | codec.PullFlagSubscription
		if offset > 0 {
			sysFlag |= codec.PullFlagCommitOffset
		}
		req := wire.NewRequest(wire.PullMessage,
			wire.Field{Key: "consumerGroup", Value: r.cfg.Group},
			wire.Field{Key: "topic", Value: r.cfg.Topic},
			wire.Field{Key: "queueId", Value: strconv.Itoa(int(q.id))},
			wire.Field{Key: "queueOffset", Value: strconv.FormatInt(offset, 10)},
			wire.Field{Key: "maxMsgNums", Value: strconv.Itoa(r.cfg.PullBatch)},
			wire.Field{Key: "sysFlag", Value: strconv.Itoa(sysFlag)},
			wire.Field{Key: "commitOffset", Value: strconv.FormatInt(offset, 10)},
			wire.Field{Key: "suspendTimeoutMillis", Value: strconv.FormatInt(pullSuspend.Milliseconds(), 10)},
			wire.Field{Key: "subscription", Value: "*"},
			wire.Field{Key: "subVersion", Value: "0"},
			wire.Field{Key: "expressionType", Value: "TAG"},
		)
		pctx, cancel := context.WithTimeout(ctx, pullSuspend+15*time.Second)
		resp, err := c.Invoke(pctx, req)
		cancel()
		if err != nil {
			if !pause() {
				return
			}
			continue
		}
		next, nerr := strconv.ParseInt(resp.ExtValue("nextBeginOffset"), 10, 64)
		switch resp.ResponseCode() {
		case wire.Success:
			now := time.Now()
			if err := r.deliver(w, resp.Body, now); err != nil && !pause() {
				return
			}
		case wire.PullNotFound, wire.PullRetryImmediately, wire.PullOffsetMoved:
		default:
			if !pause() {
				return
			}
			continue
		}
		if nerr == nil {
			offset = next
		}
	}
}

// deliver hands every record of a pull body to the sink.
func (r *wireReceiver) deliver(w int, body []byte, now time.Time) error {
	for len(body) > 0 {
		v, err := codec.ViewRecord(body)
		if err != nil {
			if errors.Is(err, codec.ErrBlank) {
				return nil
			}
			return err
		}
		r.sk.received(w, len(v.Body), sendTime(string(v.Properties)), v.BornTimestamp, now)
		body = body[v.Size:]
	}
	return nil
}
