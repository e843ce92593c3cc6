package transport

import (
	"fmt"
	"time"

	"github.com/booster-mq/booster/wire"
)

// Class is the executor class a request code runs on (Java's executors).
type Class uint8

// Executor classes.
const (
	// Inline runs on the event loop: trivial, non-blocking handlers only.
	Inline Class = iota
	// Send runs message sends.
	Send
	// Pull runs pulls, including long-poll re-runs.
	Pull
	// Heartbeat runs client heartbeats and registrations.
	Heartbeat
	// Admin runs admin and NameServer requests.
	Admin
	// Txn runs transaction ends.
	Txn
	numClasses
)

var classNames = [...]string{"inline", "send", "pull", "heartbeat", "admin", "txn"}

// String returns the class name.
func (c Class) String() string {
	if int(c) < len(classNames) {
		return classNames[c]
	}
	return fmt.Sprintf("class(%d)", c)
}

// Request is one incoming request with its context.
type Request struct {
	// Cmd is the decoded request; its body is owned by the handler.
	Cmd *wire.Command
	// Conn is the connection it came on.
	Conn *Conn
	// Arrived is when the frame was decoded.
	Arrived time.Time
}

// Handler answers a request. It returns nil when the request is oneway or
// the reply is deferred (long polling); a deferred reply is written later
// with Conn.Reply.
type Handler func(r *Request) *wire.Command

// Route is one row of a server's route table.
type Route struct {
	Code    wire.RequestCode
	Handler Handler
	Class   Class
}

type entry struct {
	h     Handler
	class Class
}

// Router maps request codes to handlers. It is built once and frozen.
type Router struct {
	dense  [4096]entry
	sparse map[wire.RequestCode]entry
}

// NewRouter builds a router from a route table. It panics on a duplicate
// code, a nil handler or an unknown class: a route table is program text.
func NewRouter(routes []Route) *Router {
	r := &Router{sparse: map[wire.RequestCode]entry{}}
	for _, rt := range routes {
		if rt.Handler == nil {
			panic(fmt.Sprintf("transport: nil handler for %v", rt.Code))
		}
		if rt.Class >= numClasses {
			panic(fmt.Sprintf("transport: unknown class %d for %v", rt.Class, rt.Code))
		}
		if _, ok := r.lookup(rt.Code); ok {
			panic(fmt.Sprintf("transport: duplicate route for %v", rt.Code))
		}
		e := entry{rt.Handler, rt.Class}
		if rt.Code >= 0 && rt.Code < 4096 {
			r.dense[rt.Code] = e
		} else {
			r.sparse[rt.Code] = e
		}
	}
	return r
}

func (r *Router) lookup(code wire.RequestCode) (entry, bool) {
	if code >= 0 && code < 4096 {
		e := r.dense[code]
		return e, e.h != nil
	}
	e, ok := r.sparse[code]
	return e, ok
}

// Routed reports whether code has a handler.
func (r *Router) Routed(code wire.RequestCode) bool {
	_, ok := r.lookup(code)
	return ok
}

// NotSupported is the answer to a request code without a route, in Java's words.
func NotSupported(req *wire.Command) *wire.Command {
	return wire.NewResponse(req, wire.RequestCodeNotSupported,
		fmt.Sprintf(" request type %d not supported", req.Code))
}

// Observer is told, for each answered request (and each oneway one), its
// code, the response code (0 for oneway), whether it was oneway, and how
// long it took since the frame was decoded.
type Observer func(req, resp int32, oneway bool, d time.Duration)

// WrapRoutes returns routes with every handler replaced by wrap(handler).
func WrapRoutes(routes []Route, wrap func(Handler) Handler) []Route {
	out := make([]Route, len(routes))
	for i, rt := range routes {
		rt.Handler = wrap(rt.Handler)
		out[i] = rt
	}
	return out
}

// ObserveRoutes wraps every route's handler so that obs sees each request
// it answers. Deferred answers (a nil response to a two-way request, as in
// long polling) are not observed.
func ObserveRoutes(routes []Route, obs Observer) []Route {
	return WrapRoutes(routes, func(h Handler) Handler {
		return func(r *Request) *wire.Command {
			code, oneway, arrived := r.Cmd.Code, r.Cmd.IsOneway(), r.Arrived
			resp := h(r)
			if resp != nil || oneway {
				var rc int32
				if resp != nil {
					rc = resp.Code
				}
				obs(code, rc, oneway, time.Since(arrived))
			}
			return resp
		}
	})
}
