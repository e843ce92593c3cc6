package command

// queryMsgByKey (QueryMsgByKeySubCommand): the messages whose KEYS
// property holds a key, looked up in the index files of every broker of
// the topic's route (QUERY_MESSAGE), optionally between two store times
// (-b/-e, milliseconds) and on one cluster's brokers (-c). Prints
// "#Message ID #QID #Offset" rows; --json prints them as a list.

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
)

// keyRow is one message queryMsgByKey found.
type keyRow struct {
	MsgID       string `json:"msgId"`
	QueueID     int32  `json:"queueId"`
	QueueOffset int64  `json:"queueOffset"`
}

func queryMsgByKey() spec {
	return spec{
		name:  "queryMsgByKey",
		usage: "Query Message by Key.",
		flags: []cli.Flag{
			strFlag("topic", "t", "Topic name"),
			strFlag("msgKey", "k", "Message Key"),
			strFlag("beginTimestamp", "b", "Begin timestamp(ms). default:0, eg:1676730526212"),
			strFlag("endTimestamp", "e", "End timestamp(ms). default:Long.MAX_VALUE, eg:1676730526212"),
			strFlag("maxNum", "m", "The maximum number of messages returned by the query, default:64"),
			strFlag("cluster", "c", "Cluster name or lmq parent topic, lmq is used to find the route."),
		},
		required: []string{"t", "k"},
		json:     true,
		run: func(x *ctx) error {
			q := msgQuery{topic: x.trimmed("t"), key: x.trimmed("k"), cluster: x.trimmed("c"), maxNum: 64, end: math.MaxInt64}
			var err error
			if x.IsSet("b") {
				if q.begin, err = x.int64Flag("b"); err != nil {
					return err
				}
			}
			if x.IsSet("e") {
				if q.end, err = x.int64Flag("e"); err != nil {
					return err
				}
			}
			if x.IsSet("m") {
				if q.maxNum, err = x.intFlag("m"); err != nil {
					return err
				}
			}
			msgs, err := x.adm.queryMessages(q)
			if err != nil {
				return err
			}
			rows := make([]keyRow, 0, len(msgs))
			for _, m := range msgs {
				rows = append(rows, keyRow{MsgID: m.msgID(), QueueID: m.QueueID, QueueOffset: m.QueueOffset})
			}
			if x.json() {
				return printJSON(x, rows)
			}
			x.printf("%-50s %4s %40s\n", "#Message ID", "#QID", "#Offset")
			for _, r := range rows {
				x.printf("%-50s %4d %40d\n", r.MsgID, r.QueueID, r.QueueOffset)
			}
			return nil
		},
	}
}

// int64Flag parses a long option.
func (x *ctx) int64Flag(name string) (int64, error) {
	v, err := strconv.ParseInt(x.trimmed(name), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("option %s: %q is not a number", flagLabel(x.Command.Flags, name), x.String(name))
	}
	return v, nil
}

// msgQuery is one MQAdminImpl.queryMessage call.
type msgQuery struct {
	topic, key string
	cluster    string // only brokers of this cluster when set
	maxNum     int
	begin, end int64
	uniq       bool // key is a unique key (msgId), not a KEYS entry
}

// queryMessages is MQAdminImpl.queryMessage: QUERY_MESSAGE on every
// broker of the topic's route (of q.cluster only, when set), keeping the
// hits whose key really matches (the index holds hashes): for a unique
// key the message id, else one of the space-separated KEYS, on the topic.
// Brokers are asked in broker-name order; a broker that fails is skipped,
// and its error is returned only when no message is found.
func (a *adminExt) queryMessages(q msgQuery) ([]*message, error) {
	rd, err := a.route(q.topic)
	if err != nil {
		return nil, err
	}
	var out []*message
	var errs []error
	asked := 0
	for i := range rd.BrokerDatas {
		bd := &rd.BrokerDatas[i]
		if q.cluster != "" && q.cluster != bd.Cluster {
			continue
		}
		addr := admin.SelectAddr(bd)
		if addr == "" {
			continue
		}
		asked++
		req := admin.Request(wire.QueryMessage, "topic", q.topic, "key", q.key, "maxNum", strconv.Itoa(q.maxNum),
			"beginTimestamp", strconv.FormatInt(q.begin, 10), "endTimestamp", strconv.FormatInt(q.end, 10))
		if q.uniq {
			req.SetExt("_UNIQUE_KEY_QUERY", "true")
		}
		resp, err := a.callTimeout(addr, req, 3*a.timeout)
		switch {
		case admin.ResponseCode(err) == wire.QueryNotFound:
			continue
		case admin.ResponseCode(err) == wire.RequestCodeNotSupported:
			errs = append(errs, fmt.Errorf("broker %s cannot look messages up by key (QUERY_MESSAGE is not supported): %w", addr, err))
			continue
		case err != nil:
			errs = append(errs, err)
			continue
		}
		msgs, err := decodeMessages(resp.Body)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		for _, m := range msgs {
			if q.matches(m) {
				out = append(out, m)
			}
		}
	}
	if len(out) > 0 {
		return out, nil
	}
	if asked == 0 {
		return nil, &codeError{Code: wire.TopicNotExist, Remark: "The topic[" + q.topic + "] not matched route info"}
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return nil, &codeError{Code: wire.NoMessage, Remark: "query message by key finished, but no message."}
}

// matches is the client-side filter of MQAdminImpl.queryMessage.
func (q msgQuery) matches(m *message) bool {
	if q.uniq {
		return m.msgID() == q.key
	}
	keys, ok := m.props[codec.PropertyKeys]
	if !ok || m.Topic != q.topic {
		return false
	}
	for _, k := range strings.Split(keys, " ") {
		if k == q.key {
			return true
		}
	}
	return false
}
