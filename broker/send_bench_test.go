package broker

import (
	"net/netip"
	"strconv"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// benchServerPath runs what the server does for one request frame, minus
// the socket: decode, the routed handler, encode the answer.
func benchServerPath(b *testing.B, code wire.RequestCode, frame func(i int) []byte) {
	br, err := New(testBrokerConfig(b.TempDir()), nil)
	if err != nil {
		b.Fatal(err)
	}
	defer br.Close()
	if _, _, err := br.topics.putIfAbsent(codec.TopicConfig{TopicName: "BenchTopic", ReadQueueNums: 4, WriteQueueNums: 4, Perm: 6}); err != nil {
		b.Fatal(err)
	}
	h := transport.NewRouter(br.routes()).Handler(code)
	conn := br.server.NewLocalConn(netip.MustParseAddrPort("127.0.0.1:40000"), br.storeHost, func([]byte) {})
	out := make([]byte, 0, 4096)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		cmd := new(wire.Command)
		if err := wire.Decode(frame(i), cmd, false); err != nil {
			b.Fatal(err)
		}
		resp := h(&transport.Request{Cmd: cmd, Conn: conn, Arrived: time.Now()})
		if resp == nil || resp.ResponseCode() != wire.Success {
			b.Fatalf("answer %+v", resp)
		}
		out = resp.AppendFrame(out[:0])
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
			benchServerPath(b, wire.SendMessageV2, func(int) []byte { return f })
		})
	}
}
