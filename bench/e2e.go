package bench

import (
	"context"
	"time"
)

// RunE2E measures end-to-end latency in one process, so both ends share a
// clock: it starts a consumer of group at the topic's end, then runs the
// producer of cfg (usually paced with Rate), then waits up to drain for
// the consumer to catch up. The summary's Latency is the end-to-end
// latency, Send the send latency, Sent what was sent and Total what was
// received; the per-interval lines show the consumer side.
func RunE2E(ctx context.Context, cfg ProducerConfig, group string, drain time.Duration) (*Summary, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	ccfg := DefaultConsumerConfig()
	ccfg.Common = cfg.Common
	ccfg.Count, ccfg.Duration = 0, 0
	ccfg.Group = group
	ccfg.From = FromLast
	if err := ccfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Queues > 0 {
		if err := prepareTopic(ctx, &cfg.Common, cfg.Queues); err != nil {
			return nil, err
		}
	}

	crecs := newRecorders(64)
	sk := newSink(crecs, 0)
	// A new group may start at offset 0 rather than at the end (Apache
	// does so while the queue's first message is in memory); older
	// messages are not this run's.
	sk.since = time.Now().UnixNano()
	crep := newReporter(crecs, cfg.Interval, cfg.Warmup, cfg.Out, cfg.WatchPID, "e2e")
	r, err := startReceiver(ctx, &ccfg, sk)
	if err != nil {
		return nil, err
	}
	defer r.close()
	if cfg.Client == ClientGo {
		// The push consumer takes its queues in its first rebalance, a
		// moment after Start; messages sent before that are skipped by a
		// consumer that starts at the end.
		select {
		case <-ctx.Done():
		case <-time.After(3 * time.Second):
		}
	}
	cstop, cdone := make(chan struct{}), make(chan struct{})
	go crep.run(cstop, cdone)

	var s sender
	if cfg.Client == ClientGo {
		s, err = newGoSender(&cfg)
	} else {
		s, err = newWireSender(ctx, &cfg)
	}
	if err != nil {
		close(cstop)
		<-cdone
		return nil, err
	}
	precs := newRecorders(min(cfg.senders(), 256))
	prep := newReporter(precs, cfg.Interval, cfg.Warmup, nil, 0, "send")
	var errs errorSamples
	runSenders(ctx, &cfg, s, precs, prep, &errs)
	s.close()
	sent := prep.all

	deadline := time.Now().Add(drain)
	for uint64(sk.got.Load()) < sent && time.Now().Before(deadline) && ctx.Err() == nil {
		time.Sleep(10 * time.Millisecond)
	}
	end := time.Now()
	close(cstop)
	<-cdone
	sum := crep.summary("e2e", cfg.Client, cfg.configMap(), end)
	send := LatencyOf(prep.total.lat)
	sum.Send = &send
	sum.Sent = sent
	sum.Errors += prep.errs
	sum.ErrorSamples = errs.list()
	return sum, nil
}
