package conformance

import (
	"context"
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
	_ "unsafe" // go:linkname to the Go client's header serialization switch

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

// goClientCodecType is the Go client's package-level header serialization
// (0 JSON, 1 ROCKETMQ); it has no public option.
//
//go:linkname goClientCodecType github.com/apache/rocketmq-client-go/v2/internal/remote.codecType
var goClientCodecType byte

// frameTap splits a byte stream into remoting frames and hands each whole
// frame to fn.
type frameTap struct {
	buf []byte
	fn  func(frame []byte)
}

func (f *frameTap) Write(p []byte) (int, error) {
	f.buf = append(f.buf, p...)
	for {
		n, err := wire.FrameLength(f.buf)
		if err != nil || n == 0 || n > len(f.buf) {
			return len(p), nil
		}
		f.fn(append([]byte(nil), f.buf[:n]...))
		f.buf = f.buf[n:]
	}
}

// captureProxy forwards TCP connections from listen to target and taps
// the frames flowing each way.
func captureProxy(t *testing.T, listen, target string, onFrame func(fromClient bool, frame []byte)) {
	t.Helper()
	l, err := net.Listen("tcp", listen)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { l.Close() })
	var mu sync.Mutex
	tap := func(fromClient bool) *frameTap {
		return &frameTap{fn: func(frame []byte) {
			mu.Lock()
			defer mu.Unlock()
			onFrame(fromClient, frame)
		}}
	}
	go func() {
		for {
			in, err := l.Accept()
			if err != nil {
				return
			}
			out, err := net.Dial("tcp", target)
			if err != nil {
				in.Close()
				continue
			}
			go func() {
				_, _ = io.Copy(io.MultiWriter(out, tap(true)), in)
				out.Close()
			}()
			go func() {
				_, _ = io.Copy(io.MultiWriter(in, tap(false)), out)
				in.Close()
			}()
		}
	}()
}

// seedWriter writes Go fuzzing corpus files, at most perKind of each kind.
type seedWriter struct {
	t       *testing.T
	perKind int
	counts  map[string]int
	seen    map[string]bool
	written int
}

// add writes one corpus file for target (a "pkg/FuzzName" path below the
// repository root) named after kind, holding the given Go literals.
func (s *seedWriter) add(target, kind string, literals ...string) {
	key := target + "/" + kind
	body := "go test fuzz v1\n" + strings.Join(literals, "\n") + "\n"
	if s.counts[key] >= s.perKind || s.seen[target+body] {
		return
	}
	s.seen[target+body] = true
	s.counts[key]++
	dir := filepath.Join("..", filepath.Dir(target), "testdata", "fuzz", filepath.Base(target))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		s.t.Fatal(err)
	}
	name := fmt.Sprintf("goclient_%s_%d", kind, s.counts[key])
	if err := os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644); err != nil {
		s.t.Fatal(err)
	}
	s.written++
}

func bytesLit(b []byte) string { return fmt.Sprintf("[]byte(%q)", b) }

// TestCaptureFuzzSeeds regenerates the fuzz seed corpora from real client
// traffic: the official Go client produces (single, batch, async, oneway)
// and consumes (TAG and SQL92 push consumers) through a proxy that records
// every frame, once with JSON headers and once with ROCKETMQ headers, and
// the frames, headers, send/pull headers, heartbeat and batch bodies,
// properties, pulled records and SQL92 expressions become seed files under
// each package's testdata/fuzz (see wire/testdata/fuzz/README.md). It runs
// only with BOOSTER_CAPTURE_SEEDS=1 and in process.
func TestCaptureFuzzSeeds(t *testing.T) {
	if os.Getenv("BOOSTER_CAPTURE_SEEDS") == "" || os.Getenv("BOOSTER_TEST_BINARY") != "" || os.Getenv("BOOSTER_TEST_NAMESRV") != "" {
		t.Skip("set BOOSTER_CAPTURE_SEEDS=1 (in-process cluster) to regenerate the fuzz seeds")
	}
	// The broker advertises 127.0.0.2 and listens on 127.0.0.1; the proxy
	// takes 127.0.0.2 with the same port, so clients reach the broker
	// through it without any address rewriting.
	h := newHarness(t, testcluster.WithConf("brokerIP1", "127.0.0.2"), testcluster.WithConf("enablePropertyFilter", "true"))
	_, port, _ := net.SplitHostPort(h.c.BrokerAddr)
	sw := &seedWriter{t: t, perKind: 2, counts: map[string]int{}, seen: map[string]bool{}}
	onFrame := func(fromClient bool, frame []byte) {
		var cmd wire.Command
		if err := wire.Decode(frame, &cmd, false); err != nil {
			t.Errorf("captured an undecodable frame: %v", err)
			return
		}
		ser := strings.ToLower(cmd.Serialize.String())
		if !fromClient {
			if cmd.IsResponse() && len(cmd.Body) > 0 && cmd.ResponseCode() == wire.Success && cmd.ExtValue("nextBeginOffset") != "" {
				for rest := cmd.Body; len(rest) > 0; {
					_, n, err := codec.DecodeRecord(rest)
					if err != nil {
						break
					}
					sw.add("codec/FuzzDecodeRecord", "pulled_record", bytesLit(rest[:n]))
					rest = rest[n:]
				}
			}
			return
		}
		code := wire.RequestCode(cmd.Code)
		kind := ser + "_" + strings.ToLower(code.String())
		sw.add("wire/FuzzDecode", kind, bytesLit(frame), fmt.Sprintf("int(%d)", 8+len(frame)/3))
		hlen := int(binary.BigEndian.Uint32(frame[4:]) & 0xFFFFFF)
		header := frame[8 : 8+hlen]
		if cmd.Serialize == wire.JSON {
			sw.add("wire/FuzzJSONHeader", kind, bytesLit(header))
		} else {
			sw.add("wire/FuzzBinaryHeader", kind, bytesLit(header))
		}
		switch code {
		case wire.SendMessage, wire.SendMessageV2, wire.SendBatchMessage, wire.PullMessage:
			sw.add("codec/FuzzRequestHeaders", kind, bytesLit(frame))
		case wire.HeartBeat:
			if hb, err := codec.DecodeHeartbeat(cmd.Body); err == nil {
				role := "producer"
				if len(hb.ConsumerDataSet) > 0 {
					role = "consumer"
				}
				sw.add("codec/FuzzDecodeHeartbeat", "heart_beat_"+role, bytesLit(cmd.Body))
				for _, cd := range hb.ConsumerDataSet {
					for _, sd := range cd.SubscriptionDataSet {
						if strings.EqualFold(sd.ExpressionType, "SQL92") {
							sw.add("filter/FuzzParse", "sql92_subscription", fmt.Sprintf("string(%q)", sd.SubString))
						}
					}
				}
			}
		}
		if code == wire.SendBatchMessage {
			sw.add("codec/FuzzDecodeBatch", "batch_body", bytesLit(cmd.Body))
		}
		if props := cmd.ExtValue("properties") + cmd.ExtValue("i"); props != "" && code != wire.PullMessage {
			sw.add("codec/FuzzParseProperties", "send_properties", fmt.Sprintf("string(%q)", props))
		}
	}
	captureProxy(t, "127.0.0.2:"+port, "127.0.0.1:"+port, onFrame)
	nsProxy := fmt.Sprintf("127.0.0.1:%d", freePort(t))
	captureProxy(t, nsProxy, h.c.NamesrvAddr, onFrame)
	h.ns = primitive.NamesrvAddr{nsProxy}

	defer func() { goClientCodecType = 0 }()
	for _, codecType := range []byte{0, 1} {
		goClientCodecType = codecType
		captureWorkload(t, h)
	}
	t.Logf("wrote %d seed files", sw.written)
}

// captureWorkload produces and consumes with the Go client through h.
func captureWorkload(t *testing.T, h *harness) {
	topic := h.name("t")
	p := h.newProducer()
	var want []string
	msg := func(body string, i int) *primitive.Message {
		m := primitive.NewMessage(topic, []byte(body)).WithTag([]string{"TagA", "TagB"}[i%2]).WithKeys([]string{"k-" + body})
		m.WithProperty("a", fmt.Sprint(i*3))
		m.WithProperty("b", "x")
		want = append(want, body)
		return m
	}
	sendSync(t, p, msg("single", 0))
	sendSync(t, p, msg("batch-1", 1), msg("batch-2", 2), msg("batch-3", 3))
	ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
	defer cancel()
	done := make(chan error, 1)
	if err := p.SendAsync(ctx, func(_ context.Context, _ *primitive.SendResult, err error) { done <- err }, msg("async", 4)); err != nil {
		t.Fatal(err)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if err := p.SendOneWay(ctx, msg("oneway", 5)); err != nil {
		t.Fatal(err)
	}
	tags, sql := &collector{}, &collector{}
	th := h.startPush(h.name("cg"), topic, consumer.MessageSelector{Type: consumer.TAG, Expression: "TagA || TagB"}, tags)
	sh := h.startPush(h.name("cg"), topic, consumer.MessageSelector{Type: consumer.SQL92, Expression: "a > 5 AND b = 'x'"}, sql)
	tags.waitAll(t, "TAG consumer", want)
	eventually(t, consumeWait, "SQL92 consumer", func() (bool, string) {
		n := len(sql.all())
		return n >= 3, fmt.Sprintf("%d messages", n)
	})
	_ = th.Shutdown()
	_ = sh.Shutdown()
	_ = p.Shutdown()
	time.Sleep(100 * time.Millisecond) // let the last unregister frames pass the proxy
}

func freePort(t *testing.T) int {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}
