package broker

// GET_CONSUMER_RUNNING_INFO (307) from admin tools, relayed to one client,
// mirroring Java's AdminBrokerProcessor.getConsumerRunningInfo and
// callConsumer. CONSUME_MESSAGE_DIRECTLY (309) relays the same way
// (consume_message_directly.go).
//
// Header: consumerGroup*, clientId*, jstackEnable.
//
// Behaviour:
//  1. The client is the channel of consumerGroup whose heartbeat carried
//     clientId; none answers 1 "The Consumer <g> <id> not online".
//  2. The broker sends the client a request with the same code, ext
//     fields and body (Broker2Client.callClient) and waits 10 s, off the
//     admin workers: the reply is deferred, so a slow client holds no
//     worker.
//  3. The client's answer goes back to the admin as it came: code, remark,
//     ext fields and body untouched (ConsumerRunningInfo, fastjson with
//     MessageQueue keys, is the client's own text).
//
// Response: the client's; 207 CONSUME_MSG_TIMEOUT when it does not answer
// within 10 s; 1 when it is offline or the call fails.
//
// Versions: Java also answers 1 for clients older than V3_1_8; every
// client still in use is newer. Java relays the client's response object
// itself, so its language and version are the client's; Booster stamps
// its own.

import (
	"context"
	"errors"
	"fmt"
	"runtime/debug"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// callClientTimeout is how long the broker waits for a client it calls
// on an admin's behalf or to push a reply (Broker2Client.callClient).
const callClientTimeout = 10 * time.Second

func (b *Broker) getConsumerRunningInfo(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	group := rd.String("consumerGroup", true)
	clientID := rd.String("clientId", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	return b.callConsumer(r, group, clientID, r.Cmd.Body)
}

// callConsumer relays r's code and ext fields with body to the client
// clientID of group and answers r with the client's response. The call
// runs on its own goroutine; callConsumer returns nil (a deferred reply)
// or an immediate error response.
func (b *Broker) callConsumer(r *transport.Request, group, clientID string, body []byte) *wire.Command {
	conn := b.clients.findConsumer(group, clientID)
	if conn == nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, fmt.Sprintf("The Consumer <%s> <%s> not online", group, clientID))
	}
	fwd := wire.NewRequest(r.Cmd.RequestCode(), append(wire.Fields(nil), r.Cmd.Ext...)...)
	fwd.Body = body
	return b.deferReply(r, func() *wire.Command {
		resp, err := b.callClient(conn, fwd, callClientTimeout)
		switch {
		case errors.Is(err, context.DeadlineExceeded):
			return wire.NewResponse(r.Cmd, wire.ConsumeMsgTimeout,
				fmt.Sprintf("consumer <%s> <%s> Timeout: wait response on the channel <%s> timeout, %d(ms)",
					group, clientID, conn.RemoteAddr(), callClientTimeout.Milliseconds()))
		case err != nil:
			return wire.NewResponse(r.Cmd, wire.SystemError, fmt.Sprintf("invoke consumer <%s> <%s> Exception: %v", group, clientID, err))
		}
		out := wire.NewResponse(r.Cmd, resp.ResponseCode(), resp.Remark)
		out.Ext = resp.Ext
		out.Body = resp.Body
		return out
	})
}

// callClient sends a server-initiated request to a client and waits up
// to timeout for the answer.
func (b *Broker) callClient(conn *transport.Conn, req *wire.Command, timeout time.Duration) (*wire.Command, error) {
	ctx, cancel := b.ctx(timeout)
	defer cancel()
	return conn.Invoke(ctx, req)
}

// deferReply runs answer on its own goroutine and writes its response to
// r when done, so a handler that waits for a client does not hold a
// worker of its executor class. It returns nil, the handler's "reply
// deferred" result.
func (b *Broker) deferReply(r *transport.Request, answer func() *wire.Command) *wire.Command {
	go func() {
		var resp *wire.Command
		defer func() {
			if p := recover(); p != nil {
				b.log.Error("BUG: deferred handler panicked", "code", r.Cmd.Code, "remote", r.Conn.RemoteAddr(),
					"panic", p, "stack", string(debug.Stack()))
				resp = wire.NewResponse(r.Cmd, wire.SystemError, fmt.Sprintf("%v", p))
			}
			if err := r.Conn.Reply(r.Cmd, resp); err != nil {
				b.log.Debug("deferred reply not written", "code", r.Cmd.Code, "remote", r.Conn.RemoteAddr(), "err", err)
			}
		}()
		resp = answer()
	}()
	return nil
}

// findConsumer returns the connection of the client clientID in group (the
// most recently heard from when it has several), or nil.
func (t *clientTable) findConsumer(group, clientID string) *transport.Conn {
	t.mu.RLock()
	defer t.mu.RUnlock()
	g := t.consumers[group]
	if g == nil {
		return nil
	}
	var best *clientChannel
	for _, ch := range g.channels {
		if ch.clientID == clientID && !ch.conn.Closed() && (best == nil || ch.lastUpdate.After(best.lastUpdate)) {
			best = ch
		}
	}
	if best == nil {
		return nil
	}
	return best.conn
}
