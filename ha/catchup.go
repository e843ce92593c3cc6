package ha

import (
	"log/slog"
	"time"
)

// A slave more than catchUpFrom bytes behind is catching up: the master
// logs its progress every catchUpEvery until it is within catchUpDone.
const (
	catchUpFrom  = 16 << 20
	catchUpDone  = 1 << 20
	catchUpEvery = 2 * time.Second
)

// catchUp follows one slave's acknowledgements and logs a replication
// catch-up while it lasts: when it starts, every catchUpEvery, and when
// the slave is in step again. Only the slave's report reader uses it.
type catchUp struct {
	log              *slog.Logger
	remote           string
	active           bool
	fromAck, fromEnd int64
	started, nextLog time.Time
}

// report takes an acknowledgement ack while the master's log ends at end.
func (p *catchUp) report(ack, end int64, now time.Time) {
	behind := end - ack
	switch {
	case !p.active && behind > catchUpFrom:
		p.active, p.fromAck, p.fromEnd, p.started, p.nextLog = true, ack, end, now, now.Add(catchUpEvery)
		p.log.Info("slave catching up", "remote", p.remote, "ack", ack, "maxPhyOffset", end, "behind", behind)
	case p.active && behind <= catchUpDone:
		p.active = false
		p.log.Info("slave caught up", "remote", p.remote, "ack", ack, "copied", ack-p.fromAck,
			"elapsed", now.Sub(p.started).Round(time.Millisecond))
	case p.active && !now.Before(p.nextLog):
		p.nextLog = now.Add(catchUpEvery)
		// Progress against the end the master had when the catch-up began.
		pct := 100 * float64(ack-p.fromAck) / float64(max(p.fromEnd-p.fromAck, 1))
		p.log.Info("slave catching up", "remote", p.remote, "ack", ack, "maxPhyOffset", end, "behind", behind,
			"percent", int(min(pct, 100)), "elapsed", now.Sub(p.started).Round(time.Millisecond))
	}
}
