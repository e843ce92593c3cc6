package broker

import (
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// newBenchBroker is an unstarted broker with topic BenchTopic (4 queues).
func newBenchBroker(b *testing.B) *Broker {
	br, err := New(testBrokerConfig(b.TempDir()), nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { br.Close() })
	if _, _, err := br.topics.putIfAbsent(codec.TopicConfig{TopicName: "BenchTopic", ReadQueueNums: 4, WriteQueueNums: 4, Perm: 6}); err != nil {
		b.Fatal(err)
	}
	return br
}

// benchServerPath runs what the server does for one request frame, minus
// the socket: decode, the routed handler, encode the answer (an answer the
// handler wrote itself, as a pull does, goes to the connection's sink).
func benchServerPath(b *testing.B, br *Broker, code wire.RequestCode, frame func(i int) []byte) {
	h := transport.NewRouter(br.routes()).Handler(code)
	written := 0
	conn := br.server.NewLocalConn(netip.MustParseAddrPort("127.0.0.1:40000"), br.storeHost, func(f []byte) { written++ })
	out := make([]byte, 0, 4096)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := new(wire.Command)
		if err := wire.Decode(frame(i), cmd, false); err != nil {
			b.Fatal(err)
		}
		resp := h(&transport.Request{Cmd: cmd, Conn: conn, Arrived: time.Now()})
		switch {
		case resp == nil && written == i+1:
		case resp == nil || resp.ResponseCode() != wire.Success:
			b.Fatalf("answer %+v", resp)
		default:
			written++
			out = resp.AppendFrame(out[:0])
		}
	}
}

func sendFrame(st wire.SerializeType) []byte {
	props := string(codec.AppendProperty(codec.AppendProperty(codec.AppendProperty(nil, codec.PropertyTags, "TagA"),
		codec.PropertyUniqKey, "7F0000010F2A18B4AAC26B2A9F6B0000"), codec.PropertyWaitStoreMsgOK, "true"))
	req := wire.NewRequest(wire.SendMessageV2,
		wire.Field{Key: "a", Value: "bench_pg"}, wire.Field{Key: "b", Value: "BenchTopic"}, wire.Field{Key: "c", Value: "TBW102"},
		wire.Field{Key: "d", Value: "4"}, wire.Field{Key: "e", Value: "1"}, wire.Field{Key: "f", Value: "0"},
		wire.Field{Key: "g", Value: strconv.FormatInt(time.Now().UnixMilli(), 10)}, wire.Field{Key: "h", Value: "0"},
		wire.Field{Key: "i", Value: props}, wire.Field{Key: "j", Value: "0"}, wire.Field{Key: "k", Value: "false"})
	req.Serialize = st
	req.Body = make([]byte, 1024)
	return req.AppendFrame(nil)
}

// BenchmarkSendMessageV2 is a 1 KiB SEND_MESSAGE_V2 through decode, the
// send handler (ASYNC_FLUSH store) and the encoded answer.
func BenchmarkSendMessageV2(b *testing.B) {
	for _, st := range []wire.SerializeType{wire.JSON, wire.RocketMQ} {
		b.Run(st.String(), func(b *testing.B) {
			f := sendFrame(st)
			benchServerPath(b, newBenchBroker(b), wire.SendMessageV2, func(int) []byte { return f })
		})
	}
}

// BenchmarkPullMessage is a PULL_MESSAGE of 32 stored 1 KiB messages
// through decode, the pull handler and the vectored answer (records
// straight from the mapped commit log); one op is one pull.
func BenchmarkPullMessage(b *testing.B) {
	br := newBenchBroker(b)
	const batch = 32
	host := netip.MustParseAddrPort("127.0.0.1:10911")
	put := func(n int) {
		for range n {
			m := &codec.Message{Topic: "BenchTopic", QueueID: 0, Body: make([]byte, 1024), BornTimestamp: time.Now().UnixMilli(),
				BornHost: host, StoreHost: host, Properties: string(codec.AppendProperty(nil, codec.PropertyTags, "TagA")), TagsCode: compat.TagsCode("TagA")}
			if res := br.store.Put([]*codec.Message{m}, false); !res.Status.Stored() {
				b.Fatalf("put: %v", res.Status)
			}
		}
	}
	const stored = 64 * batch
	put(stored)
	frames := make([][]byte, stored/batch)
	for i := range frames {
		req := wire.NewRequest(wire.PullMessage,
			wire.Field{Key: "consumerGroup", Value: "bench_cg"}, wire.Field{Key: "topic", Value: "BenchTopic"},
			wire.Field{Key: "queueId", Value: "0"}, wire.Field{Key: "queueOffset", Value: strconv.Itoa(i * batch)},
			wire.Field{Key: "maxMsgNums", Value: strconv.Itoa(batch)}, wire.Field{Key: "sysFlag", Value: "4"},
			wire.Field{Key: "commitOffset", Value: "0"}, wire.Field{Key: "suspendTimeoutMillis", Value: "0"},
			wire.Field{Key: "subscription", Value: "TagA"}, wire.Field{Key: "subVersion", Value: "0"})
		frames[i] = req.AppendFrame(nil)
	}
	benchServerPath(b, br, wire.PullMessage, func(i int) []byte { return frames[i%len(frames)] })
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "msgs/s")
}
