package broker

// INVOKE_BROKER_TO_GET_CONSUMER_STATUS (223) from admin tools, answered by
// asking each client with GET_CONSUMER_STATUS_FROM_CLIENT (221), mirroring
// Java's AdminBrokerProcessor.getConsumerStatus and
// Broker2Client.getConsumeStatus.
//
// Header: topic*, group*, clientAddr (a client id: only that client is
// asked).
//
// Behaviour:
//  1. Nobody of the group online answers 1 "No Any Consumer online in the
//     consumer group: [g]".
//  2. Each client (or the one named) is sent 221 with topic and group and
//     given 5 s; the clients are asked in parallel, off the admin workers.
//  3. A client's answer {"messageQueueTable":{{mq}:offset}} is fastjson
//     with MessageQueue keys (the Go client writes the key fields in its
//     own order); it becomes consumerTable[clientId]. Clients that fail,
//     time out or answer unreadably are left out, as in Java.
//
// Response: 0 with body GetConsumerStatusBody
// {"consumerTable":{"clientId":{{mq}:offset}},"messageQueueTable":{}}, in
// fastjson's form; 1 as above.
//
// Versions: Java asks the clients one after another and answers 1 for
// clients older than V3_0_7.

import (
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// consumerStatusTimeout is how long a client gets to answer 221.
const consumerStatusTimeout = 5 * time.Second

func (b *Broker) getConsumerStatus(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	topic := rd.String("topic", true)
	group := rd.String("group", true)
	only := rd.String("clientAddr", false)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	channels := b.clients.consumerChannels(group)
	if len(channels) == 0 {
		return wire.NewResponse(r.Cmd, wire.SystemError, fmt.Sprintf("No Any Consumer online in the consumer group: [%s]", group))
	}
	if only != "" {
		var picked []clientChannel
		for _, ch := range channels {
			if ch.clientID == only {
				picked = append(picked[:0], ch)
			}
		}
		channels = picked
	}
	return b.deferReply(r, func() *wire.Command {
		var (
			mu    sync.Mutex
			wg    sync.WaitGroup
			table = map[string]map[codec.MessageQueue]int64{}
		)
		for _, ch := range channels {
			wg.Add(1)
			go func() {
				defer wg.Done()
				m, err := b.clientConsumerStatus(ch.conn, topic, group)
				if err != nil {
					b.log.Warn("get consumer status from client", "group", group, "client", ch.clientID, "remote", ch.conn.RemoteAddr(), "err", err)
					return
				}
				mu.Lock()
				table[ch.clientID] = m
				mu.Unlock()
			}()
		}
		wg.Wait()
		resp := wire.NewResponse(r.Cmd, wire.Success, "")
		resp.Body = encodeConsumerStatusBody(table)
		return resp
	})
}

// clientConsumerStatus asks one client for its offsets of topic (221).
func (b *Broker) clientConsumerStatus(conn *transport.Conn, topic, group string) (map[codec.MessageQueue]int64, error) {
	resp, err := b.callClient(conn, wire.NewRequest(wire.GetConsumerStatusFromClient,
		wire.Field{Key: "group", Value: group}, wire.Field{Key: "topic", Value: topic}), consumerStatusTimeout)
	if err != nil {
		return nil, err
	}
	if resp.ResponseCode() != wire.Success {
		return nil, fmt.Errorf("client answered %d: %s", resp.Code, resp.Remark)
	}
	if len(resp.Body) == 0 {
		return nil, fmt.Errorf("client answered without a body")
	}
	return decodeMQOffsetMap(resp.Body, "messageQueueTable")
}

// encodeConsumerStatusBody returns Java's GetConsumerStatusBody with the
// per-client tables, client ids sorted.
func encodeConsumerStatusBody(table map[string]map[codec.MessageQueue]int64) []byte {
	ids := make([]string, 0, len(table))
	for id := range table {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	b := append(make([]byte, 0, 64+len(table)*256), `{"consumerTable":{`...)
	for i, id := range ids {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendJSONString(b, id)
		b = append(b, ':')
		b = appendMQOffsetMap(b, table[id])
	}
	return append(b, `},"messageQueueTable":{}}`...)
}
