package transport

import (
	"context"
	"log/slog"
	"testing"

	"github.com/booster-mq/booster/wire"
)

// benchRoundTrip measures request/response round trips through the event
// loop with many requests in flight on one connection.
func benchRoundTrip(b *testing.B, code wire.RequestCode, body int, dial func(context.Context, string) (*Client, error)) {
	benchRoundTripOn(b, nil, nil, code, body, dial)
}

// benchRoundTripOn is benchRoundTrip on a server adjusted by adjust.
func benchRoundTripOn(b *testing.B, adjust func(*ServerConfig), logs *syncBuffer, code wire.RequestCode, body int, dial func(context.Context, string) (*Client, error)) {
	var addr string
	if logs != nil {
		addr, _ = startEchoWith(b, adjust, slog.New(slog.NewTextHandler(logs, nil)))
	} else {
		addr, _ = startEchoWith(b, adjust)
	}
	ctx := context.Background()
	cl, err := dial(ctx, addr)
	if err != nil {
		b.Fatal(err)
	}
	defer cl.Close()
	payload := make([]byte, body)
	b.SetBytes(int64(2 * body))
	b.ReportAllocs()
	b.SetParallelism(16)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req := wire.NewRequest(code)
			req.Body = payload
			resp, err := cl.Invoke(ctx, req)
			if err != nil || resp.Code != int32(wire.Success) {
				b.Errorf("invoke: %v", err)
				return
			}
		}
	})
}

// BenchmarkServerInline round-trips small requests answered on the loop.
func BenchmarkServerInline(b *testing.B) {
	benchRoundTrip(b, wire.GetRouteinfoByTopic, 64, Dial)
}

// BenchmarkServerWorker round-trips 4 KiB requests answered by a worker.
func BenchmarkServerWorker(b *testing.B) {
	benchRoundTrip(b, wire.SendMessage, 4096, Dial)
}
