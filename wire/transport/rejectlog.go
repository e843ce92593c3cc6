package transport

import (
	"log/slog"
	"net/netip"
	"sync"
	"time"

	"github.com/booster-mq/booster/wire"
)

// rejectLogEvery is how often one kind of rejection is logged again.
const rejectLogEvery = time.Minute

// rejectKeysMax bounds the rejection log's memory: past it the oldest
// window is forgotten (a flood from many addresses then logs again, once
// per address and minute at most).
const rejectKeysMax = 4096

// RejectLog logs refused requests: each kind (peer address, request code,
// response code) once, then at most once a minute with the count of the
// ones it did not log. It is safe for concurrent use.
type RejectLog struct {
	log   *slog.Logger
	every time.Duration
	mu    sync.Mutex
	seen  map[rejectKey]*rejectSeen
}

type rejectKey struct {
	addr netip.Addr
	req  wire.RequestCode
	resp wire.ResponseCode
}

type rejectSeen struct {
	next       time.Time
	suppressed int
}

// NewRejectLog returns a rejection log writing to log.
func NewRejectLog(log *slog.Logger) *RejectLog {
	return &RejectLog{log: log, every: rejectLogEvery, seen: map[rejectKey]*rejectSeen{}}
}

// Rejected reports whether a response code refuses the request, as opposed
// to answering it (a pull that found nothing, a query without a match, an
// unknown route that a client probes on purpose).
func Rejected(req wire.RequestCode, resp wire.ResponseCode) bool {
	switch resp {
	case wire.SystemError, wire.SystemBusy, wire.RequestCodeNotSupported, wire.FlushDiskTimeout,
		wire.SlaveNotAvailable, wire.FlushSlaveTimeout, wire.MessageIllegal, wire.ServiceNotAvailable,
		wire.VersionNotSupported, wire.NoPermission, wire.SubscriptionParseFailed, wire.InvalidParameter,
		wire.IllegalOperation, wire.FlowControl:
		return true
	case wire.TopicNotExist:
		// Clients ask the NameServer for the routes of topics that may not
		// exist yet (retry topics, auto-created ones) all the time.
		return req != wire.GetRouteinfoByTopic
	}
	return false
}

// Note logs resp, the answer to a request with code req from peer, when
// it is a rejection and its kind was not logged within the last minute.
func (l *RejectLog) Note(peer netip.AddrPort, req wire.RequestCode, resp *wire.Command) {
	if resp == nil || !Rejected(req, resp.ResponseCode()) {
		return
	}
	k := rejectKey{peer.Addr(), req, resp.ResponseCode()}
	now := time.Now()
	l.mu.Lock()
	s := l.seen[k]
	if s != nil && now.Before(s.next) {
		s.suppressed++
		l.mu.Unlock()
		return
	}
	suppressed := 0
	if s == nil {
		if len(l.seen) >= rejectKeysMax {
			l.forget(now)
		}
		s = &rejectSeen{}
		l.seen[k] = s
	} else {
		suppressed = s.suppressed
	}
	s.next, s.suppressed = now.Add(l.every), 0
	l.mu.Unlock()
	l.log.Warn("request refused", "remote", peer, "code", req, "response", resp.ResponseCode(),
		"reason", resp.Remark, "suppressedSinceLast", suppressed)
}

// forget drops the kinds whose window has passed, or all of them when
// none has. The caller holds l.mu.
func (l *RejectLog) forget(now time.Time) {
	for k, s := range l.seen {
		if now.After(s.next) {
			delete(l.seen, k)
		}
	}
	if len(l.seen) >= rejectKeysMax {
		clear(l.seen)
	}
}

// LogRejections wraps every route's handler so that the rejections it
// answers go to rl.
func LogRejections(routes []Route, rl *RejectLog) []Route {
	return WrapRoutes(routes, func(h Handler) Handler {
		return func(r *Request) *wire.Command {
			peer, code := r.Conn.RemoteAddr(), r.Cmd.RequestCode()
			resp := h(r)
			rl.Note(peer, code, resp)
			return resp
		}
	})
}
