package conformance

// Raw remoting helpers for the crash and store-compatibility tests: they
// talk to a broker with wire/transport directly (SEND_MESSAGE_V2,
// SEND_BATCH_MESSAGE, PULL_MESSAGE, QUERY_MESSAGE), so the set of
// acknowledged messages is exactly the set of code-0 answers (no client
// retries) and every pulled record is checked byte for byte with
// codec.ViewRecord and its body CRC.

import (
	"bytes"
	"compress/zlib"
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// scDial connects to addr; the connection is closed when the test ends.
func scDial(t testing.TB, addr string) *transport.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl, err := transport.Dial(ctx, addr)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	t.Cleanup(func() { cl.Close() })
	return cl
}

// scProps encodes key/value pairs as a properties string.
func scProps(kv ...string) string {
	var b []byte
	for i := 0; i+1 < len(kv); i += 2 {
		b = codec.AppendProperty(b, kv[i], kv[i+1])
	}
	return string(b)
}

// scSendRequest is a SEND_MESSAGE_V2 request (header fields a-m, as the Java
// client's SendMessageRequestHeaderV2) for a topic created from TBW102 with
// queues queues.
func scSendRequest(topic string, queues, queueID int, props string, body []byte) *wire.Command {
	req := wire.NewRequest(wire.SendMessageV2,
		wire.Field{Key: "a", Value: "booster_sc_producer"}, wire.Field{Key: "b", Value: topic},
		wire.Field{Key: "c", Value: "TBW102"}, wire.Field{Key: "d", Value: strconv.Itoa(queues)},
		wire.Field{Key: "e", Value: strconv.Itoa(queueID)}, wire.Field{Key: "f", Value: "0"},
		wire.Field{Key: "g", Value: strconv.FormatInt(time.Now().UnixMilli(), 10)},
		wire.Field{Key: "h", Value: "0"}, wire.Field{Key: "i", Value: props},
		wire.Field{Key: "j", Value: "0"}, wire.Field{Key: "k", Value: "false"})
	req.Body = body
	return req
}

// scBatchRequest is a SEND_BATCH_MESSAGE request whose entries are bodies
// with the matching properties.
func scBatchRequest(topic string, queues, queueID int, bodies [][]byte, props []string) *wire.Command {
	var body []byte
	for i := range bodies {
		body = codec.AppendBatchEntry(body, 0, bodies[i], props[i])
	}
	req := scSendRequest(topic, queues, queueID, scProps(codec.PropertyWaitStoreMsgOK, "true"), body)
	req.Code = int32(wire.SendBatchMessage)
	req.Ext = append(req.Ext, wire.Field{Key: "m", Value: "true"})
	return req
}

// scAck is what a code-0 SEND answer says about where the messages went.
type scAck struct {
	queueID     int32
	queueOffset int64   // of the first message
	phys        []int64 // commit-log offset of each message, from msgId
}

// scParseAck decodes a successful SEND answer for n messages.
func scParseAck(resp *wire.Command, n int) (scAck, error) {
	var a scAck
	q, err := strconv.ParseInt(resp.ExtValue("queueId"), 10, 32)
	if err != nil {
		return a, fmt.Errorf("queueId %q: %v", resp.ExtValue("queueId"), err)
	}
	a.queueID = int32(q)
	if a.queueOffset, err = strconv.ParseInt(resp.ExtValue("queueOffset"), 10, 64); err != nil {
		return a, fmt.Errorf("queueOffset %q: %v", resp.ExtValue("queueOffset"), err)
	}
	ids := strings.Split(resp.ExtValue("msgId"), ",")
	if len(ids) != n {
		return a, fmt.Errorf("msgId %q names %d messages, sent %d", resp.ExtValue("msgId"), len(ids), n)
	}
	for _, id := range ids {
		_, off, err := codec.DecodeOffsetMsgID(id)
		if err != nil {
			return a, fmt.Errorf("msgId %q: %v", id, err)
		}
		a.phys = append(a.phys, off)
	}
	return a, nil
}

// scPullRequest is a non-suspending PULL_MESSAGE with subscription "*".
func scPullRequest(group, topic string, queueID int32, offset int64) *wire.Command {
	return scPullRequestSub(group, topic, queueID, offset, "*")
}

// scPullRequestSub is a non-suspending PULL_MESSAGE with a TAG
// subscription carried in the request.
func scPullRequestSub(group, topic string, queueID int32, offset int64, sub string) *wire.Command {
	return wire.NewRequest(wire.PullMessage,
		wire.Field{Key: "consumerGroup", Value: group}, wire.Field{Key: "topic", Value: topic},
		wire.Field{Key: "queueId", Value: strconv.Itoa(int(queueID))},
		wire.Field{Key: "queueOffset", Value: strconv.FormatInt(offset, 10)},
		wire.Field{Key: "maxMsgNums", Value: "32"}, wire.Field{Key: "sysFlag", Value: "4"},
		wire.Field{Key: "commitOffset", Value: "0"}, wire.Field{Key: "suspendTimeoutMillis", Value: "0"},
		wire.Field{Key: "subscription", Value: sub}, wire.Field{Key: "subVersion", Value: "0"},
		wire.Field{Key: "expressionType", Value: "TAG"})
}

// scDecodeRecords splits a PULL or QUERY body into records, insisting that
// each one is whole (codec.ViewRecord: magic, lengths adding up to
// TOTALSIZE) and that its body CRC matches.
func scDecodeRecords(b []byte) ([]codec.Message, error) {
	var out []codec.Message
	for pos := 0; pos < len(b); {
		m, n, err := codec.DecodeRecord(b[pos:])
		if err != nil {
			return out, fmt.Errorf("record at byte %d of %d: %w", pos, len(b), err)
		}
		if crc := codec.BodyCRC(m.Body); crc != m.BodyCRC {
			return out, fmt.Errorf("record at byte %d (%s/%d offset %d, commit log %d): body CRC %d, stored %d",
				pos, m.Topic, m.QueueID, m.QueueOffset, m.CommitLogOffset, crc, m.BodyCRC)
		}
		m.Body = append([]byte(nil), m.Body...)
		out = append(out, m)
		pos += n
	}
	return out, nil
}

// scQueueRead is a queue read from some offset to its end.
type scQueueRead struct {
	records  []codec.Message
	min, max int64
}

// scPullRange reads queueID of topic from offset from to the queue's max
// offset with raw pulls. It fails the test on a record that is not whole
// and on a pull answer other than FOUND / NO_NEW_MSG.
func scPullRange(t testing.TB, cl *transport.Client, topic string, queueID int32, from int64) scQueueRead {
	t.Helper()
	var r scQueueRead
	r.max = -1
	off := from
	for guard := 0; ; guard++ {
		if guard > 1_000_000 {
			t.Fatalf("pull %s/%d: no end after a million pulls", topic, queueID)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		resp, err := cl.Invoke(ctx, scPullRequest("booster_sc_reader", topic, queueID, off))
		cancel()
		if err != nil {
			t.Fatalf("pull %s/%d at %d: %v", topic, queueID, off, err)
		}
		next, _ := strconv.ParseInt(resp.ExtValue("nextBeginOffset"), 10, 64)
		r.min, _ = strconv.ParseInt(resp.ExtValue("minOffset"), 10, 64)
		r.max, _ = strconv.ParseInt(resp.ExtValue("maxOffset"), 10, 64)
		switch resp.ResponseCode() {
		case wire.Success:
			recs, err := scDecodeRecords(resp.Body)
			if err != nil {
				t.Fatalf("pull %s/%d at %d served a broken record: %v", topic, queueID, off, err)
			}
			if len(recs) == 0 {
				t.Fatalf("pull %s/%d at %d: FOUND with an empty body", topic, queueID, off)
			}
			r.records = append(r.records, recs...)
			if next <= off {
				t.Fatalf("pull %s/%d at %d: nextBeginOffset %d does not advance", topic, queueID, off, next)
			}
			off = next
		case wire.PullNotFound, wire.PullRetryImmediately, wire.PullOffsetMoved:
			if off < r.max {
				t.Fatalf("pull %s/%d at %d: code %v (%s) below maxOffset %d", topic, queueID, off,
					resp.ResponseCode(), resp.Remark, r.max)
			}
			return r
		default:
			t.Fatalf("pull %s/%d at %d: code %v %s", topic, queueID, off, resp.ResponseCode(), resp.Remark)
		}
		if off >= r.max {
			return r
		}
	}
}

// scPullFiltered reads queueID of topic from offset 0 to its end with a
// TAG subscription and returns the records the broker let through (whole,
// with matching body CRCs).
func scPullFiltered(t testing.TB, cl *transport.Client, topic string, queueID int32, sub string) []codec.Message {
	t.Helper()
	var out []codec.Message
	for off, guard := int64(0), 0; guard < 100000; guard++ {
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		resp, err := cl.Invoke(ctx, scPullRequestSub("booster_sc_filter_reader", topic, queueID, off, sub))
		cancel()
		if err != nil {
			t.Fatalf("pull %s/%d at %d (%s): %v", topic, queueID, off, sub, err)
		}
		next, _ := strconv.ParseInt(resp.ExtValue("nextBeginOffset"), 10, 64)
		switch resp.ResponseCode() {
		case wire.Success:
			recs, err := scDecodeRecords(resp.Body)
			if err != nil {
				t.Fatalf("pull %s/%d at %d (%s) served a broken record: %v", topic, queueID, off, sub, err)
			}
			out = append(out, recs...)
		case wire.PullNotFound, wire.PullRetryImmediately, wire.PullOffsetMoved:
		default:
			t.Fatalf("pull %s/%d at %d (%s): code %v %s", topic, queueID, off, sub, resp.ResponseCode(), resp.Remark)
		}
		if next <= off {
			return out
		}
		off = next
	}
	t.Fatalf("pull %s/%d (%s): no end", topic, queueID, sub)
	return nil
}

// scQuery runs QUERY_MESSAGE for key under topic over all time and returns
// the records served (every one checked whole), or nil on QUERY_NOT_FOUND.
func scQuery(t testing.TB, cl *transport.Client, topic, key string) []codec.Message {
	t.Helper()
	req := wire.NewRequest(wire.QueryMessage,
		wire.Field{Key: "topic", Value: topic}, wire.Field{Key: "key", Value: key},
		wire.Field{Key: "maxNum", Value: "32"}, wire.Field{Key: "beginTimestamp", Value: "0"},
		wire.Field{Key: "endTimestamp", Value: strconv.FormatInt(time.Now().Add(time.Hour).UnixMilli(), 10)})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	resp, err := cl.Invoke(ctx, req)
	if err != nil {
		t.Fatalf("query %s#%s: %v", topic, key, err)
	}
	switch resp.ResponseCode() {
	case wire.QueryNotFound:
		return nil
	case wire.Success:
	default:
		t.Fatalf("query %s#%s: code %v %s", topic, key, resp.ResponseCode(), resp.Remark)
	}
	recs, err := scDecodeRecords(resp.Body)
	if err != nil {
		t.Fatalf("query %s#%s served a broken record: %v", topic, key, err)
	}
	return recs
}

// scPlainBody is a record's body, inflated when the sysflag says the
// producer compressed it (zlib, flag 0x1).
func scPlainBody(t testing.TB, m codec.Message) string {
	if m.SysFlag&1 == 0 {
		return string(m.Body)
	}
	zr, err := zlib.NewReader(bytes.NewReader(m.Body))
	if err != nil {
		t.Fatalf("%s offset %d: compressed body: %v", m.Topic, m.QueueOffset, err)
	}
	b, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("%s offset %d: compressed body: %v", m.Topic, m.QueueOffset, err)
	}
	return string(b)
}

// scCommittedOffsets asks the broker at addr for group's committed offset
// of queues 0..queues-1 of topic with raw QUERY_CONSUMER_OFFSET (-1 when
// it has none). Unlike a pull consumer of the group it does not join the
// group, so running members see no NOTIFY_CONSUMER_IDS_CHANGED.
func scCommittedOffsets(t testing.TB, addr, group, topic string, queues int) map[int]int64 {
	t.Helper()
	cl := scDial(t, addr)
	defer cl.Close()
	out := map[int]int64{}
	for q := 0; q < queues; q++ {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		resp, err := cl.Invoke(ctx, wire.NewRequest(wire.QueryConsumerOffset,
			wire.Field{Key: "consumerGroup", Value: group}, wire.Field{Key: "topic", Value: topic},
			wire.Field{Key: "queueId", Value: strconv.Itoa(q)}, wire.Field{Key: "setZeroIfNotFound", Value: "false"}))
		cancel()
		if err != nil {
			t.Fatalf("QUERY_CONSUMER_OFFSET %s %s/%d: %v", group, topic, q, err)
		}
		switch resp.ResponseCode() {
		case wire.Success:
			off, err := strconv.ParseInt(resp.ExtValue("offset"), 10, 64)
			if err != nil {
				t.Fatalf("QUERY_CONSUMER_OFFSET %s %s/%d: offset %q", group, topic, q, resp.ExtValue("offset"))
			}
			out[q] = off
		case wire.QueryNotFound:
			out[q] = -1
		default:
			t.Fatalf("QUERY_CONSUMER_OFFSET %s %s/%d: code %v %s", group, topic, q, resp.ResponseCode(), resp.Remark)
		}
	}
	return out
}

// scHasKey reports whether a record's KEYS property holds key.
func scHasKey(m codec.Message, key string) bool {
	keys, _ := codec.PropertyValue(m.Properties, codec.PropertyKeys)
	for _, k := range strings.Split(keys, " ") {
		if k == key {
			return true
		}
	}
	return false
}
