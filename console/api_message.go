package console

// GET /api/message?id=ID[&topic=T]: a message by id. With a topic the id
// is first looked up as a unique key (QUERY_MESSAGE with
// _UNIQUE_KEY_QUERY) on every broker of the topic's route; otherwise, or
// when nothing matches, it is read as an offset id (store host and
// commit-log offset) with VIEW_MESSAGE_BY_ID from the broker it names.
// GET /api/message?topic=T&key=K: the messages whose KEYS hold K
// (QUERY_MESSAGE on every broker of the route, filtered as the Java
// client does: the index holds hashes).

import (
	"bytes"
	"compress/zlib"
	"context"
	"errors"
	"io"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
)

// messageView is one message as the page shows it.
type messageView struct {
	MsgID           string            `json:"msgId"`
	OffsetMsgID     string            `json:"offsetMsgId"`
	Topic           string            `json:"topic"`
	BrokerName      string            `json:"brokerName,omitempty"`
	QueueID         int32             `json:"queueId"`
	QueueOffset     int64             `json:"queueOffset"`
	CommitLogOffset int64             `json:"commitLogOffset"`
	Tags            string            `json:"tags"`
	Keys            string            `json:"keys"`
	BornTimestamp   int64             `json:"bornTimestamp"`
	StoreTimestamp  int64             `json:"storeTimestamp"`
	BornHost        string            `json:"bornHost"`
	StoreHost       string            `json:"storeHost"`
	ReconsumeTimes  int32             `json:"reconsumeTimes"`
	Properties      map[string]string `json:"properties"`
	Body            string            `json:"body"`
	BodyBytes       int               `json:"bodyBytes"`
}

// maxBodyShown bounds the body text sent to the page.
const maxBodyShown = 4096

// decodeMessages decodes concatenated commit-log records, inflating
// compressed bodies.
func decodeMessages(body []byte) ([]messageView, error) {
	var out []messageView
	for len(body) > 0 {
		m, n, err := codec.DecodeRecord(body)
		if err != nil {
			return out, err
		}
		body = body[n:]
		payload := m.Body
		if m.SysFlag&codec.SysFlagCompressed != 0 {
			if zr, err := zlib.NewReader(bytes.NewReader(m.Body)); err == nil {
				if b, err := io.ReadAll(io.LimitReader(zr, 1<<22)); err == nil {
					payload = b
				}
			}
		}
		props := codec.ParseProperties(m.Properties)
		v := messageView{OffsetMsgID: codec.OffsetMsgID(m.StoreHost, m.CommitLogOffset), Topic: m.Topic, QueueID: m.QueueID,
			QueueOffset: m.QueueOffset, CommitLogOffset: m.CommitLogOffset, Tags: props[codec.PropertyTags], Keys: props[codec.PropertyKeys],
			BornTimestamp: m.BornTimestamp, StoreTimestamp: m.StoreTimestamp, BornHost: m.BornHost.String(),
			StoreHost: m.StoreHost.String(), ReconsumeTimes: m.ReconsumeTimes, Properties: props, BodyBytes: len(payload)}
		v.MsgID = props[codec.PropertyUniqKey]
		if v.MsgID == "" {
			v.MsgID = v.OffsetMsgID
		}
		shown := payload[:min(len(payload), maxBodyShown)]
		if utf8.Valid(shown) {
			v.Body = string(shown)
		} else {
			v.Body = "(binary, " + strconv.Itoa(len(payload)) + " bytes)"
		}
		out = append(out, v)
	}
	return out, nil
}

// queryIndex is QUERY_MESSAGE on every broker of a topic's route, keeping
// the hits that really match key (a unique key, or one of the KEYS).
func (s *Server) queryIndex(ctx context.Context, topic, key string, uniq bool) ([]messageView, error) {
	rd, err := s.cli.Route(ctx, topic)
	if err != nil {
		return nil, err
	}
	var out []messageView
	var errs []error
	for i := range rd.BrokerDatas {
		bd := &rd.BrokerDatas[i]
		req := admin.Request(wire.QueryMessage, "topic", topic, "key", key, "maxNum", "32",
			"beginTimestamp", "0", "endTimestamp", strconv.FormatInt(math.MaxInt64, 10))
		if uniq {
			req.SetExt("_UNIQUE_KEY_QUERY", "true")
		}
		resp, err := s.cli.Call(ctx, admin.SelectAddr(bd), req)
		if admin.ResponseCode(err) == wire.QueryNotFound {
			continue
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		msgs, err := decodeMessages(resp.Body)
		if err != nil {
			errs = append(errs, err)
		}
		for _, m := range msgs {
			if m.Topic != topic || (uniq && m.MsgID != key) || (!uniq && !hasKey(m.Keys, key)) {
				continue
			}
			m.BrokerName = bd.BrokerName
			out = append(out, m)
		}
	}
	if len(out) == 0 && len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].StoreTimestamp < out[j].StoreTimestamp })
	return out, nil
}

// hasKey reports whether the space-separated KEYS hold key.
func hasKey(keys, key string) bool {
	for _, k := range strings.Fields(keys) {
		if k == key {
			return true
		}
	}
	return false
}

// byOffsetID reads a message from the broker its offset id names.
func (s *Server) byOffsetID(ctx context.Context, id, topic string) ([]messageView, error) {
	host, off, err := codec.DecodeOffsetMsgID(id)
	if err != nil {
		return nil, err
	}
	addr := host.String()
	resp, err := s.cli.Call(ctx, addr, admin.Request(wire.ViewMessageById, "offset", strconv.FormatInt(off, 10), "topic", topic))
	if err != nil {
		return nil, err
	}
	msgs, err := decodeMessages(resp.Body)
	if err != nil {
		return nil, err
	}
	if ci, err := s.cli.ClusterInfo(ctx); err == nil {
		for name, bd := range ci.BrokerAddrTable {
			for _, a := range bd.BrokerAddrs {
				if a == addr {
					for i := range msgs {
						msgs[i].BrokerName = name
					}
				}
			}
		}
	}
	return msgs, nil
}

func (s *Server) apiMessage(r *http.Request) (any, error) {
	q := r.URL.Query()
	topic, id, key := strings.TrimSpace(q.Get("topic")), strings.TrimSpace(q.Get("id")), strings.TrimSpace(q.Get("key"))
	switch {
	case id != "":
		// A unique key and an offset id look alike (32 hex digits): ask the
		// topic's index first, so a unique key is never dialled as a host.
		if topic != "" {
			msgs, err := s.queryIndex(r.Context(), topic, id, true)
			if err == nil && len(msgs) > 0 {
				return msgs, nil
			}
		}
		msgs, err := s.byOffsetID(r.Context(), id, topic)
		if err != nil {
			if topic == "" {
				return nil, badRequest("message %s: %v (a unique-key id needs the topic)", id, err)
			}
			return nil, err
		}
		return nonNil(msgs), nil
	case key != "":
		if topic == "" {
			return nil, badRequest("a lookup by key needs the topic")
		}
		msgs, err := s.queryIndex(r.Context(), topic, key, false)
		if err != nil {
			return nil, err
		}
		return nonNil(msgs), nil
	}
	return nil, badRequest("give id, or topic and key")
}

// nonNil makes an empty result encode as [].
func nonNil(m []messageView) []messageView {
	if m == nil {
		return []messageView{}
	}
	return m
}

// browseMax bounds the messages /api/messages returns.
const browseMax = 64

// GET /api/messages?topic=T[&max=N]: the newest messages of a topic (a
// dead-letter topic's, say): each queue is pulled (PULL_MESSAGE as
// TOOLS_CONSUMER, without suspending) from N before its max offset, and
// the N newest by store time are returned, newest first.
func (s *Server) apiBrowse(r *http.Request) (any, error) {
	ctx := r.Context()
	topic := strings.TrimSpace(r.URL.Query().Get("topic"))
	if topic == "" {
		return nil, badRequest("topic is required")
	}
	n := 20
	if v := r.URL.Query().Get("max"); v != "" {
		var err error
		if n, err = strconv.Atoi(v); err != nil || n < 1 || n > browseMax {
			return nil, badRequest("max must be between 1 and %d", browseMax)
		}
	}
	rd, err := s.cli.Route(ctx, topic)
	if err != nil {
		return nil, err
	}
	var out []messageView
	for i := range rd.BrokerDatas {
		bd := &rd.BrokerDatas[i]
		addr := admin.SelectAddr(bd)
		stats, err := s.cli.TopicStats(ctx, addr, topic)
		if err != nil {
			return nil, err
		}
		for mq, o := range stats.Offsets {
			from := max(o.MinOffset, o.MaxOffset-int64(n))
			if from >= o.MaxOffset {
				continue
			}
			req := admin.Request(wire.PullMessage, "consumerGroup", "TOOLS_CONSUMER", "topic", topic,
				"queueId", strconv.Itoa(int(mq.QueueID)), "queueOffset", strconv.FormatInt(from, 10),
				"maxMsgNums", strconv.Itoa(n), "sysFlag", "4", "commitOffset", "0", "suspendTimeoutMillis", "0",
				"subscription", "*", "subVersion", "0", "expressionType", "TAG")
			resp, err := s.cli.Call(ctx, addr, req)
			if code := admin.ResponseCode(err); code == wire.PullNotFound || code == wire.PullRetryImmediately || code == wire.PullOffsetMoved {
				continue
			}
			if err != nil {
				return nil, err
			}
			msgs, err := decodeMessages(resp.Body)
			if err != nil {
				return nil, err
			}
			for _, m := range msgs {
				m.BrokerName = bd.BrokerName
				out = append(out, m)
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].StoreTimestamp != out[j].StoreTimestamp {
			return out[i].StoreTimestamp > out[j].StoreTimestamp
		}
		return out[i].CommitLogOffset > out[j].CommitLogOffset
	})
	return nonNil(out[:min(len(out), n)]), nil
}
