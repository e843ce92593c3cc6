package broker_test

import (
	"math"
	"strconv"
	"testing"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

func queryMessageReq(topic, key string, maxNum int, begin, end int64, uniq bool) *wire.Command {
	req := wire.NewRequest(wire.QueryMessage,
		wire.Field{Key: "topic", Value: topic}, wire.Field{Key: "key", Value: key},
		wire.Field{Key: "maxNum", Value: strconv.Itoa(maxNum)},
		wire.Field{Key: "beginTimestamp", Value: strconv.FormatInt(begin, 10)},
		wire.Field{Key: "endTimestamp", Value: strconv.FormatInt(end, 10)})
	if uniq {
		req.Ext = append(req.Ext, wire.Field{Key: "_UNIQUE_KEY_QUERY", Value: "true"})
	}
	return req
}

// queryRecords splits a QUERY_MESSAGE body into records.
func queryRecords(t *testing.T, body []byte) []codec.Message {
	t.Helper()
	var out []codec.Message
	for len(body) > 0 {
		m, n, err := codec.DecodeRecord(body)
		if err != nil {
			t.Fatalf("body: %v", err)
		}
		out = append(out, m)
		body = body[n:]
	}
	return out
}

// QUERY_MESSAGE by KEYS and by UNIQ_KEY (the msgId lookup), in both
// serializations, the caps on maxNum and QUERY_NOT_FOUND.
func TestQueryMessageRaw(t *testing.T) {
	c := testcluster.Start(t)
	for _, st := range []wire.SerializeType{wire.JSON, wire.RocketMQ} {
		cl := dial(t, c.BrokerAddr, st)
		topic := "QueryTopic" + strconv.Itoa(int(st))
		var uniq []string
		for i := range 40 {
			props := string(codec.AppendProperty(nil, codec.PropertyKeys, "order-"+strconv.Itoa(i%2)+" shared"))
			resp := invoke(t, cl, sendV2(topic, i%4, props, []byte("m"+strconv.Itoa(i))))
			if resp.ResponseCode() != wire.Success {
				t.Fatalf("send: %s", resp.Remark)
			}
			uniq = append(uniq, resp.ExtValue("transactionId")) // the broker-made UNIQ_KEY
		}
		resp := invoke(t, cl, queryMessageReq(topic, "order-1", 64, 0, math.MaxInt64, false))
		if resp.ResponseCode() != wire.Success || resp.Serialize != st {
			t.Fatalf("query: %d %s", resp.Code, resp.Remark)
		}
		msgs := queryRecords(t, resp.Body)
		if len(msgs) != 20 {
			t.Fatalf("%d records for order-1", len(msgs))
		}
		for k, m := range msgs {
			if string(m.Body) != "m"+strconv.Itoa(2*k+1) || m.Topic != topic {
				t.Fatalf("record %d: %q in %s", k, m.Body, m.Topic)
			}
		}
		ts, _ := strconv.ParseInt(resp.ExtValue("indexLastUpdateTimestamp"), 10, 64)
		phy, _ := strconv.ParseInt(resp.ExtValue("indexLastUpdatePhyoffset"), 10, 64)
		if ts <= 0 || phy < msgs[len(msgs)-1].CommitLogOffset {
			t.Fatalf("index last update %d / %d", ts, phy)
		}
		// maxNum is capped at maxMsgsNumBatch (64).
		if resp := invoke(t, cl, queryMessageReq(topic, "shared", 1000, 0, math.MaxInt64, false)); len(queryRecords(t, resp.Body)) != 40 {
			t.Fatal("shared: not every message")
		}
		if resp := invoke(t, cl, queryMessageReq(topic, "shared", 5, 0, math.MaxInt64, false)); len(queryRecords(t, resp.Body)) != 5 {
			t.Fatal("shared: maxNum 5 not honoured")
		}
		// A unique-key query asks for defaultQueryMaxNum whatever maxNum says.
		resp = invoke(t, cl, queryMessageReq(topic, uniq[7], 1, 0, math.MaxInt64, true))
		msgs = queryRecords(t, resp.Body)
		if resp.ResponseCode() != wire.Success || len(msgs) != 1 || string(msgs[0].Body) != "m7" ||
			codec.ParseProperties(msgs[0].Properties)[codec.PropertyUniqKey] != uniq[7] {
			t.Fatalf("uniq query: %d, %d records", resp.Code, len(msgs))
		}
		if resp := invoke(t, cl, queryMessageReq(topic, "shared", 1, 0, math.MaxInt64, true)); len(queryRecords(t, resp.Body)) != 32 {
			t.Fatal("unique-key query did not ask for 32")
		}
		resp = invoke(t, cl, queryMessageReq(topic, "nope", 32, 0, math.MaxInt64, false))
		if resp.ResponseCode() != wire.QueryNotFound || len(resp.Body) != 0 ||
			resp.ExtValue("indexLastUpdateTimestamp") != "0" || resp.ExtValue("indexLastUpdatePhyoffset") != "0" {
			t.Fatalf("unknown key: %d %q %+v", resp.Code, resp.Remark, resp.Ext)
		}
		// Out of the time range.
		if resp := invoke(t, cl, queryMessageReq(topic, "order-1", 32, 0, 1000, false)); resp.ResponseCode() != wire.QueryNotFound {
			t.Fatalf("old range: %d", resp.Code)
		}
	}
	// A missing required field.
	cl := dial(t, c.BrokerAddr, wire.JSON)
	req := wire.NewRequest(wire.QueryMessage, wire.Field{Key: "topic", Value: "T"})
	if resp := invoke(t, cl, req); resp.ResponseCode() != wire.SystemError {
		t.Fatalf("missing key: %d", resp.Code)
	}
}
