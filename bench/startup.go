package bench

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"time"

	"github.com/booster-mq/booster/wire"
)

// StartupConfig configures a time-to-first-send measurement.
type StartupConfig struct {
	// Namesrv is the NameServer address list, ';'-separated.
	Namesrv string
	// Topic is sent to; a topic without a route goes through the
	// auto-create template, as the clients do.
	Topic string
	// SincePID, when > 0, is the process whose start time is the origin
	// (the broker just launched); otherwise the origin is the call.
	SincePID int
	// Timeout gives up after this long.
	Timeout time.Duration
	// Every is the pause between attempts.
	Every time.Duration
}

// Startup is the result of a time-to-first-send measurement.
type Startup struct {
	// Millis is the time from the origin to the first acknowledged send.
	Millis float64 `json:"startup_ms"`
	// Origin is "pid N" or "call".
	Origin string `json:"origin"`
	// Attempts counts the sends and route lookups tried.
	Attempts int `json:"attempts"`
	// AutoCreate is set when the topic was created by that first send.
	AutoCreate bool `json:"auto_create"`
}

// FirstSend retries a route lookup and a one-message sync send until one
// is acknowledged with SEND_OK, and reports how long that took since the
// origin.
func FirstSend(ctx context.Context, cfg StartupConfig) (*Startup, error) {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Minute
	}
	if cfg.Every <= 0 {
		cfg.Every = 2 * time.Millisecond
	}
	t0 := time.Now()
	ctx, cancel := context.WithTimeout(ctx, cfg.Timeout)
	defer cancel()
	pc := DefaultProducerConfig()
	pc.Namesrv, pc.Topic, pc.Threads, pc.SendTimeout = cfg.Namesrv, cfg.Topic, 1, time.Second
	res := &Startup{Origin: "call"}
	for {
		res.Attempts++
		ok, auto, err := trySend(ctx, &pc)
		if ok {
			res.AutoCreate = auto
			break
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("bench: no successful send within %v (last error: %v)", cfg.Timeout, err)
		case <-time.After(cfg.Every):
		}
	}
	res.Millis = ms(time.Since(t0))
	if cfg.SincePID > 0 {
		age, err := ProcessAge(cfg.SincePID)
		if err != nil {
			return nil, err
		}
		res.Millis = ms(age)
		res.Origin = fmt.Sprintf("pid %d", cfg.SincePID)
	}
	return res, nil
}

// trySend makes one attempt on fresh connections.
func trySend(ctx context.Context, pc *ProducerConfig) (ok, autoCreate bool, err error) {
	s, err := newWireSender(ctx, pc)
	if err != nil {
		return false, false, err
	}
	defer s.close()
	q := s.qs[0]
	c, err := s.cl.client(ctx, q.addr, 0)
	if err != nil {
		return false, false, err
	}
	sctx, cancel := context.WithTimeout(ctx, pc.SendTimeout)
	defer cancel()
	resp, err := c.Invoke(sctx, s.request(q, 1))
	if err != nil {
		return false, false, err
	}
	if resp.ResponseCode() != wire.Success {
		return false, false, fmt.Errorf("%v %s", resp.ResponseCode(), resp.Remark)
	}
	return true, s.autoCreate, nil
}

// WriteText prints the result for people.
func (s *Startup) WriteText(w io.Writer) error {
	_, err := fmt.Fprintf(w, "first successful send %.1f ms after %s (%d attempts, auto-created topic: %t)\n",
		s.Millis, s.Origin, s.Attempts, s.AutoCreate)
	return err
}

// WriteJSON prints the result as JSON.
func (s *Startup) WriteJSON(w io.Writer) error {
	return json.NewEncoder(w).Encode(s)
}
