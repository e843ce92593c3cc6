package bench

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
)

// RunProducer sends messages as cfg says until the count is reached, the
// duration is over or ctx is cancelled, and returns the summary.
func RunProducer(ctx context.Context, cfg ProducerConfig) (*Summary, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Queues > 0 {
		if err := prepareTopic(ctx, &cfg.Common, cfg.Queues); err != nil {
			return nil, err
		}
	}
	var s sender
	var err error
	if cfg.Client == ClientGo {
		s, err = newGoSender(&cfg)
	} else {
		s, err = newWireSender(ctx, &cfg)
	}
	if err != nil {
		return nil, err
	}
	defer s.close()
	recs := newRecorders(min(cfg.senders(), 256))
	rep := newReporter(recs, cfg.Interval, cfg.Warmup, cfg.Out, cfg.WatchPID, "send")
	var errs errorSamples
	end := runSenders(ctx, &cfg, s, recs, rep, &errs)
	sum := rep.summary("producer", cfg.Client, cfg.configMap(), end)
	sum.ErrorSamples = errs.list()
	return sum, nil
}

// prepareTopic creates the topic with n queues per broker.
func prepareTopic(ctx context.Context, c *Common, n int) error {
	cl := newCluster(c.Namesrv, c.Serialize, 1, 10*time.Second)
	defer cl.close()
	return cl.createTopic(ctx, c.Topic, n)
}

// sender is one client implementation's send call. send sends k messages
// (k > 1: one batch) from worker w and reports success; it must be safe
// for concurrent use by all workers.
type sender interface {
	send(ctx context.Context, w int, k int) error
	close()
}

// runSenders runs cfg.senders() workers calling s until the run ends and
// returns the end time; the reporter has finished when it returns. Send
// errors are sampled into errs.
func runSenders(ctx context.Context, cfg *ProducerConfig, s sender, recs recorders, rep *reporter, errs *errorSamples) time.Time {
	if cfg.Duration > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, cfg.Duration)
		defer cancel()
	}
	stop, done := make(chan struct{}), make(chan struct{})
	go rep.run(stop, done)
	b := budget{limit: cfg.Count, batch: int64(cfg.Batch)}
	var pace *pacer
	if cfg.Rate > 0 {
		pace = &pacer{start: time.Now(), every: time.Duration(float64(time.Second) / cfg.Rate)}
	}
	var wg sync.WaitGroup
	for w := range cfg.senders() {
		wg.Go(func() {
			rec := recs.get(w)
			for ctx.Err() == nil {
				k, ok := b.take()
				if !ok {
					return
				}
				if pace != nil && !pace.wait(ctx, k) {
					return
				}
				t0 := time.Now()
				err := s.send(ctx, w, int(k))
				lat := time.Since(t0)
				if err != nil {
					rec.fail(int(k))
					errs.add(err)
					// a broken connection or a busy broker: do not spin
					select {
					case <-ctx.Done():
					case <-time.After(10 * time.Millisecond):
					}
					continue
				}
				if cfg.Mode == Oneway {
					lat = -1
				}
				rec.add(int(k), cfg.Size, lat)
			}
		})
	}
	wg.Wait()
	end := time.Now()
	close(stop)
	<-done
	return end
}

// budget hands out message counts up to limit (0: unlimited), batch at a
// time. Safe for concurrent use.
type budget struct {
	limit, batch int64
	taken        atomic.Int64
}

// take reserves up to batch messages; ok is false once the limit is spent.
func (b *budget) take() (int64, bool) {
	if b.limit <= 0 {
		return b.batch, true
	}
	n := b.taken.Add(b.batch)
	before := n - b.batch
	if before >= b.limit {
		return 0, false
	}
	return min(b.batch, b.limit-before), true
}

// pacer spaces messages every `every` from start over all workers, so the
// offered rate is steady whatever the latency. Safe for concurrent use.
type pacer struct {
	start time.Time
	every time.Duration
	n     atomic.Int64
}

// wait reserves k slots and sleeps until the first is due; false when ctx
// ended first.
func (p *pacer) wait(ctx context.Context, k int64) bool {
	slot := p.n.Add(k) - k
	due := p.start.Add(time.Duration(slot) * p.every)
	d := time.Until(due)
	if d <= 0 {
		return ctx.Err() == nil
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// wireSender sends through Booster's remoting client.
type wireSender struct {
	cfg        *ProducerConfig
	cl         *cluster
	qs         []queue
	autoCreate bool
	body       []byte
	uniq       uniqIDs
	next       atomic.Uint64 // round-robin queue cursor
}

func newWireSender(ctx context.Context, cfg *ProducerConfig) (*wireSender, error) {
	cl := newCluster(cfg.Namesrv, cfg.Serialize, cfg.Conns, 10*time.Second)
	qs, auto, err := cl.writeQueues(ctx, cfg.Topic)
	if err != nil {
		cl.close()
		return nil, err
	}
	return &wireSender{cfg: cfg, cl: cl, qs: qs, autoCreate: auto, body: payload(cfg.Size), uniq: newUniqIDs()}, nil
}

func (s *wireSender) close() { s.cl.close() }

// payload returns a body of n alphanumeric bytes, as the Java benchmark
// sends.
func payload(n int) []byte {
	const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return b
}

func (s *wireSender) send(ctx context.Context, w int, k int) error {
	q := s.qs[s.next.Add(1)%uint64(len(s.qs))]
	c, err := s.cl.client(ctx, q.addr, w)
	if err != nil {
		return err
	}
	req := s.request(q, k)
	if s.cfg.Mode == Oneway {
		return c.Oneway(req)
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.SendTimeout)
	defer cancel()
	resp, err := c.Invoke(sctx, req)
	if err != nil {
		return err
	}
	if resp.ResponseCode() != wire.Success {
		return fmt.Errorf("bench: send: %v %s", resp.ResponseCode(), resp.Remark)
	}
	return nil
}

// messageProps appends the properties of one message: its unique key,
// WAIT=true and the send time.
func (s *wireSender) messageProps(dst []byte, now int64) []byte {
	dst = append(dst, codec.PropertyUniqKey...)
	dst = append(dst, codec.NameValueSeparator)
	dst = s.uniq.append(dst)
	dst = append(dst, codec.PropertySeparator)
	dst = codec.AppendProperty(dst, codec.PropertyWaitStoreMsgOK, "true")
	dst = append(dst, PropertySendTime...)
	dst = append(dst, codec.NameValueSeparator)
	dst = strconv.AppendInt(dst, now, 10)
	return append(dst, codec.PropertySeparator)
}

// request builds SEND_MESSAGE_V2, or SEND_BATCH_MESSAGE for k > 1.
func (s *wireSender) request(q queue, k int) *wire.Command {
	now := time.Now()
	h := codec.SendMessageRequestHeader{
		ProducerGroup:         s.cfg.Group,
		Topic:                 s.cfg.Topic,
		DefaultTopic:          compat.AutoCreateTopicKey,
		DefaultTopicQueueNums: defaultTopicQueueNums,
		QueueID:               q.id,
		BornTimestamp:         now.UnixMilli(),
		Batch:                 k > 1,
		BrokerName:            q.broker,
	}
	code := wire.SendMessageV2
	var body []byte
	if k > 1 {
		code = wire.SendBatchMessage
		h.Properties = codec.PropertyWaitStoreMsgOK + string(codec.NameValueSeparator) + "true" + string(codec.PropertySeparator)
		var props []byte
		for range k {
			props = s.messageProps(props[:0], now.UnixNano())
			body = codec.AppendBatchEntry(body, 0, s.body, string(props))
		}
	} else {
		h.Properties = string(s.messageProps(make([]byte, 0, 96), now.UnixNano()))
		body = s.body
	}
	req := wire.NewRequest(code, sendHeaderV2(&h)...)
	req.Body = body
	return req
}

// sendHeaderV2 renders a send header as SendMessageRequestHeaderV2's
// one-letter ext fields (a..n), the form the clients send.
func sendHeaderV2(h *codec.SendMessageRequestHeader) []wire.Field {
	return []wire.Field{
		{Key: "a", Value: h.ProducerGroup},
		{Key: "b", Value: h.Topic},
		{Key: "c", Value: h.DefaultTopic},
		{Key: "d", Value: strconv.Itoa(int(h.DefaultTopicQueueNums))},
		{Key: "e", Value: strconv.Itoa(int(h.QueueID))},
		{Key: "f", Value: strconv.Itoa(int(h.SysFlag))},
		{Key: "g", Value: strconv.FormatInt(h.BornTimestamp, 10)},
		{Key: "h", Value: strconv.Itoa(int(h.Flag))},
		{Key: "i", Value: h.Properties},
		{Key: "j", Value: strconv.Itoa(int(h.ReconsumeTimes))},
		{Key: "k", Value: strconv.FormatBool(h.UnitMode)},
		{Key: "m", Value: strconv.FormatBool(h.Batch)},
		{Key: "n", Value: h.BrokerName},
	}
}

// uniqIDs makes message unique keys in the clients' 32-hex-digit shape: a
// 20-digit prefix (host, pid, random) and a 12-digit counter. Safe for
// concurrent use.
type uniqIDs struct {
	prefix string
	n      *atomic.Uint64
}

func newUniqIDs() uniqIDs {
	var raw [10]byte
	copy(raw[:4], []byte{127, 0, 0, 1})
	binary.BigEndian.PutUint16(raw[4:], uint16(os.Getpid()))
	_, _ = rand.Read(raw[6:])
	return uniqIDs{prefix: strings.ToUpper(hex.EncodeToString(raw[:])), n: new(atomic.Uint64)}
}

func (u uniqIDs) append(dst []byte) []byte {
	const digits = "0123456789ABCDEF"
	dst = append(dst, u.prefix...)
	v := u.n.Add(1)
	for i := 11; i >= 0; i-- {
		dst = append(dst, digits[(v>>(4*uint(i)))&0xF])
	}
	return dst
}
