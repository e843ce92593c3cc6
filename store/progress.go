package store

import (
	"context"
	"log/slog"
	"time"
)

// progressEvery is how often a long store operation logs how far it got.
const progressEvery = 2 * time.Second

// progress reports a long operation (recovery scan, re-dispatch, queue
// load) as it goes: one line when it starts, one at most every
// progressEvery while it runs, one when it ends. Operations that end
// before the first interval log only their start and end lines at debug
// level, so a small store's start stays quiet.
type progress struct {
	log     *slog.Logger
	what    string
	unit    string
	total   int64
	done    int64
	started time.Time
	next    time.Time
	loud    bool
}

// startProgress begins reporting what, whose size is total units
// (bytes, queues, ...).
func startProgress(log *slog.Logger, what, unit string, total int64) *progress {
	now := time.Now()
	p := &progress{log: log, what: what, unit: unit, total: total, started: now, next: now.Add(progressEvery)}
	log.Debug(what+" started", "total", total, "unit", unit)
	return p
}

// add records n more units done and logs when an interval has passed.
func (p *progress) add(n int64) {
	p.done += n
	now := time.Now()
	if now.Before(p.next) {
		return
	}
	p.next = now.Add(progressEvery)
	p.loud = true
	pct := 100.0
	if p.total > 0 {
		pct = float64(p.done) * 100 / float64(p.total)
	}
	p.log.Info(p.what, "done", p.done, "total", p.total, "unit", p.unit,
		"percent", int(pct), "elapsed", now.Sub(p.started).Round(time.Millisecond))
}

// end logs the operation's last line: at info level when it ran long
// enough to have reported progress, else at debug.
func (p *progress) end() {
	lvl := slog.LevelDebug
	if p.loud {
		lvl = slog.LevelInfo
	}
	p.log.Log(context.Background(), lvl, p.what+" done", "done", p.done, "unit", p.unit,
		"elapsed", time.Since(p.started).Round(time.Millisecond))
}
