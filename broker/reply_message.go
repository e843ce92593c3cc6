package broker

// SEND_REPLY_MESSAGE (324, long header names, sent by the Go client) and
// SEND_REPLY_MESSAGE_V2 (325, a-n names, Java), and the
// PUSH_REPLY_MESSAGE_TO_CLIENT (326) they cause, mirroring Java's
// ReplyMessageProcessor (messages-and-store.md §10).
//
// Request-reply: a requester sends a normal message carrying
// CORRELATION_ID, REPLY_TO_CLIENT (its client id) and TTL; the broker adds
// CLUSTER. The consumer answers with a message to <CLUSTER>_REPLY_TOPIC
// (created at start, one queue) with MSG_TYPE=reply, which arrives here.
//
// Header: SendMessageRequestHeader (V1 for 324, V2 for 325).
//
// Behaviour:
//  1. The send checks apply (send_message.go behaviour 1-4: role,
//     permission, topic name, body size, topic existence or auto-creation,
//     queue id); queueId < 0 picks a queue.
//  2. With storeReplyMessageEnable (default true) the reply is stored in
//     its topic like any message.
//  3. The producer channel whose heartbeat carried the client id in
//     REPLY_TO_CLIENT gets PUSH_REPLY_MESSAGE_TO_CLIENT, synchronously with
//     10 s to answer (off the send workers): header producerGroup, topic,
//     defaultTopic, defaultTopicQueueNums, queueId (as requested), sysFlag,
//     bornTimestamp, flag, properties (plus PUSH_REPLY_TIME), reconsumeTimes,
//     unitMode, bornHost and storeHost as "ip:port", storeTimestamp; body
//     the reply body as sent (still compressed if sysFlag says so).
//  4. A push answered 0 makes the response 0; no REPLY_TO_CLIENT, no such
//     producer, a failed or late push make it 1 with Java's remark.
//
// Response ext: msgId, queueId, queueOffset and MSG_REGION, TRACE_ON; msgId
// is the stored message's offset id, or "0" with queueOffset 0 when the
// reply was not stored (Java sets "0" so clients can decode the answer).
//
// Versions: Java pushes first and stores second; Booster stores first so
// the store's answer is known before the deferred push. Java's stored
// reply keeps the properties as sent; so does Booster's (plus UNIQ_KEY and
// CLUSTER when missing, which every Booster send adds).

import (
	"fmt"
	"strconv"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) sendReplyMessage(r *transport.Request) *wire.Command {
	req := r.Cmd
	h, queueID, resp := b.acceptSend(r)
	if resp != nil {
		return resp
	}
	m := b.newMessage(r, &h, queueID, h.Flag, req.Body, h.Properties, time.Now())
	var stored *store.PutResult
	if b.conf().StoreReplyMessageEnable {
		res := b.store.Put([]*codec.Message{m}, true)
		stored = &res
	}
	replyTo, _ := codec.PropertyValue(h.Properties, codec.PropertyReplyToClient)
	return b.deferReply(r, func() *wire.Command {
		code, remark := wire.Success, ""
		if err := b.pushReply(r, &h, replyTo); err != nil {
			code, remark = wire.SystemError, err.Error()
			b.log.Warn("push reply message failed", "replyTo", replyTo, "topic", h.Topic, "err", err)
		}
		resp := wire.NewResponse(req, code, remark)
		msgID, offset := "0", int64(0)
		if stored != nil && (stored.Status == store.PutOK || stored.Status == store.PutFlushDiskTimeout) && len(stored.Offsets) > 0 {
			msgID = codec.OffsetMsgID(b.storeHost, stored.Offsets[0].CommitLogOffset)
			offset = stored.Offsets[0].QueueOffset
		} else if stored != nil {
			b.log.Warn("store reply message failed", "topic", h.Topic, "status", stored.Status, "err", stored.Err)
		}
		if code == wire.Success || msgID != "0" {
			resp.Ext = append(resp.Ext,
				wire.Field{Key: "msgId", Value: msgID},
				wire.Field{Key: "queueId", Value: strconv.Itoa(int(queueID))},
				wire.Field{Key: "queueOffset", Value: strconv.FormatInt(offset, 10)})
		}
		resp.Ext = append(resp.Ext,
			wire.Field{Key: codec.PropertyMsgRegion, Value: compat.DefaultRegion},
			wire.Field{Key: codec.PropertyTraceSwitch, Value: "true"})
		return resp
	})
}

// pushReply hands a reply to the requester's producer channel (326).
func (b *Broker) pushReply(r *transport.Request, h *codec.SendMessageRequestHeader, replyTo string) error {
	if replyTo == "" {
		return fmt.Errorf("reply message properties[%s] is null", codec.PropertyReplyToClient)
	}
	conn := b.clients.findProducer(replyTo)
	if conn == nil {
		return fmt.Errorf("push reply message fail, channel of <%s> not found.", replyTo)
	}
	now := time.Now().UnixMilli()
	// Java re-encodes the properties; appending to them as sent must first
	// close the last pair, which the 4.9 Java client leaves without its
	// separator (else its value would swallow PUSH_REPLY_TIME).
	dst := []byte(codec.RemoveProperties(h.Properties, codec.PropertyPushReplyTime))
	if len(dst) > 0 && dst[len(dst)-1] != codec.PropertySeparator {
		dst = append(dst, codec.PropertySeparator)
	}
	props := string(codec.AppendProperty(dst, codec.PropertyPushReplyTime, strconv.FormatInt(now, 10)))
	push := wire.NewRequest(wire.PushReplyMessageToClient,
		wire.Field{Key: "bornHost", Value: r.Conn.RemoteAddr().String()},
		wire.Field{Key: "bornTimestamp", Value: strconv.FormatInt(h.BornTimestamp, 10)},
		wire.Field{Key: "defaultTopic", Value: h.DefaultTopic},
		wire.Field{Key: "defaultTopicQueueNums", Value: strconv.Itoa(int(h.DefaultTopicQueueNums))},
		wire.Field{Key: "flag", Value: strconv.Itoa(int(h.Flag))},
		wire.Field{Key: "producerGroup", Value: h.ProducerGroup},
		wire.Field{Key: "properties", Value: props},
		wire.Field{Key: "queueId", Value: strconv.Itoa(int(h.QueueID))},
		wire.Field{Key: "reconsumeTimes", Value: strconv.Itoa(int(h.ReconsumeTimes))},
		wire.Field{Key: "storeHost", Value: b.storeHost.String()},
		wire.Field{Key: "storeTimestamp", Value: strconv.FormatInt(now, 10)},
		wire.Field{Key: "sysFlag", Value: strconv.Itoa(int(h.SysFlag))},
		wire.Field{Key: "topic", Value: h.Topic},
		wire.Field{Key: "unitMode", Value: strconv.FormatBool(h.UnitMode)})
	push.Body = r.Cmd.Body
	resp, err := b.callClient(conn, push, callClientTimeout)
	if err != nil {
		return fmt.Errorf("push reply message to %sfail.: %w", replyTo, err)
	}
	if resp.ResponseCode() != wire.Success {
		return fmt.Errorf("push reply message to %sfail.", replyTo)
	}
	return nil
}

// findProducer returns the connection of the producer client clientID in
// any group (ProducerManager.findChannel): the most recently heard from
// when it has several.
func (t *clientTable) findProducer(clientID string) *transport.Conn {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var best *clientChannel
	for _, m := range t.producers {
		for _, ch := range m {
			if ch.clientID == clientID && !ch.conn.Closed() && (best == nil || ch.lastUpdate.After(best.lastUpdate)) {
				best = ch
			}
		}
	}
	if best == nil {
		return nil
	}
	return best.conn
}
