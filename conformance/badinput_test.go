package conformance

import (
	"bufio"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/primitive"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// Settings of the bad-input cluster: connections idle for 2 s are closed
// (so stalled and idle clients go away within the test), pulls are short
// polls (a long-polled consumer connection would be idle for 15 s), bodies
// are capped at 64 KiB and a peer may leave 1 MiB of responses unread.
const (
	badIdleSeconds   = 2
	badMaxMessage    = 64 << 10
	badMaxPending    = 1 << 20
	badIdleConnCount = 2000
)

// resourceUse is what the server holds, for the before/after comparison.
type resourceUse struct {
	goroutines int     // in process only
	heapMB     float64 // in process: live heap after a GC
	rssMB      float64 // subprocess: VmRSS
	anonMB     float64 // subprocess: RssAnon (VmRSS less mapped store files)
	threads    int     // subprocess
	fds        int     // open descriptors of the server's process
}

func (r resourceUse) String() string {
	if r.rssMB > 0 {
		return fmt.Sprintf("VmRSS %.1f MiB (RssAnon %.1f MiB), %d threads, %d fds", r.rssMB, r.anonMB, r.threads, r.fds)
	}
	return fmt.Sprintf("%d goroutines, heap %.1f MiB, %d fds", r.goroutines, r.heapMB, r.fds)
}

func countFDs(pid string) int {
	ents, _ := os.ReadDir("/proc/" + pid + "/fd")
	return len(ents)
}

// measure reads the server's resource use: runtime stats in process,
// /proc/PID/status for a subprocess.
func measure(t *testing.T, c *testcluster.Cluster) resourceUse {
	t.Helper()
	if pid := c.PID(); pid != 0 {
		var r resourceUse
		f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			fields := strings.Fields(sc.Text())
			if len(fields) < 2 {
				continue
			}
			n, _ := strconv.Atoi(fields[1])
			switch fields[0] {
			case "VmRSS:":
				r.rssMB = float64(n) / 1024
			case "RssAnon:":
				r.anonMB = float64(n) / 1024
			case "Threads:":
				r.threads = n
			}
		}
		r.fds = countFDs(strconv.Itoa(pid))
		return r
	}
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return resourceUse{goroutines: runtime.NumGoroutine(), heapMB: float64(ms.HeapAlloc) / (1 << 20), fds: countFDs("self")}
}

// rawFrame builds a request frame.
func rawFrame(code wire.RequestCode, ser wire.SerializeType, opaque int32, body []byte, kv ...string) []byte {
	c := wire.NewRequest(code)
	c.Serialize, c.Opaque, c.Body = ser, opaque, body
	for i := 0; i+1 < len(kv); i += 2 {
		c.Ext = append(c.Ext, wire.Field{Key: kv[i], Value: kv[i+1]})
	}
	return c.AppendFrame(nil)
}

// envelope builds the 8-byte prefix of a frame by hand.
func envelope(total int32, meta uint32, rest ...byte) []byte {
	b := binary.BigEndian.AppendUint32(nil, uint32(total))
	b = binary.BigEndian.AppendUint32(b, meta)
	return append(b, rest...)
}

func dialRaw(t *testing.T, addr string) net.Conn {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 10*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

// readResponse reads frames from c up to the first response (skipping
// requests the server sends, such as NOTIFY_CONSUMER_IDS_CHANGED).
func readResponse(c net.Conn) (*wire.Command, error) {
	for {
		cmd, err := readFrame(c)
		if err != nil || cmd.IsResponse() {
			return cmd, err
		}
	}
}

// readFrame reads one frame from c.
func readFrame(c net.Conn) (*wire.Command, error) {
	_ = c.SetReadDeadline(time.Now().Add(30 * time.Second))
	var hdr [4]byte
	if _, err := io.ReadFull(c, hdr[:]); err != nil {
		return nil, err
	}
	n := binary.BigEndian.Uint32(hdr[:])
	if n > wire.MaxFrameSize {
		return nil, fmt.Errorf("response frame of %d bytes", n)
	}
	frame := make([]byte, 4+n)
	copy(frame, hdr[:])
	if _, err := io.ReadFull(c, frame[4:]); err != nil {
		return nil, err
	}
	var cmd wire.Command
	if err := wire.Decode(frame, &cmd, false); err != nil {
		return nil, err
	}
	return &cmd, nil
}

// closedByServer reads c until the server closes it (EOF or reset) and
// reports how many bytes came first; it fails when c is still open after
// a minute.
func closedByServer(t *testing.T, c net.Conn, what string) int64 {
	t.Helper()
	_ = c.SetReadDeadline(time.Now().Add(time.Minute))
	n, err := io.Copy(io.Discard, c)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("%s: the server kept the connection open", what)
	}
	return n
}

// badCase is one hostile request and what the server must do with it.
type badCase struct {
	name  string
	bytes []byte
	// close: the server closes the connection; otherwise it answers
	// code with a remark containing remark, and keeps serving.
	close  bool
	code   wire.ResponseCode
	remark string
	// silent: no answer at all (oneway requests, stray responses); the
	// connection keeps serving.
	silent bool
}

func badCases(topic string) []badCase {
	big := make([]byte, badMaxMessage+1)
	send := func(ser wire.SerializeType, body []byte, kv ...string) []byte {
		base := []string{"a", "bad_pg", "b", topic, "c", "TBW102", "d", "4", "e", "0", "f", "0", "g", "1700000000000", "h", "0"}
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		var out []string
		for i := 0; i+1 < len(base); i += 2 {
			if v, ok := m[base[i]]; ok {
				if v != "<drop>" {
					out = append(out, base[i], v)
				}
				continue
			}
			out = append(out, base[i], base[i+1])
		}
		return rawFrame(wire.SendMessageV2, ser, 7, body, out...)
	}
	pull := func(kv ...string) []byte {
		base := []string{"consumerGroup", "bad_cg", "topic", topic, "queueId", "0", "queueOffset", "0", "maxMsgNums", "1",
			"sysFlag", "4", "commitOffset", "0", "suspendTimeoutMillis", "0", "subscription", "*", "subVersion", "0", "expressionType", "TAG"}
		m := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		var out []string
		for i := 0; i+1 < len(base); i += 2 {
			v, ok := m[base[i]]
			if !ok {
				v = base[i+1]
			}
			if v != "<drop>" {
				out = append(out, base[i], v)
			}
		}
		return rawFrame(wire.PullMessage, wire.JSON, 8, nil, out...)
	}
	badBatch := codec.AppendBatchEntry(nil, 0, []byte("x"), "")
	badBatch = badBatch[:len(badBatch)-2]
	jsonHdr := func(h string) []byte {
		return append(envelope(int32(4+len(h)), uint32(len(h))), h...)
	}
	return []badCase{
		// The envelope: Java's NettyDecoder closes the channel on any decode error.
		{name: "negative frame length", bytes: envelope(-1, 0), close: true},
		{name: "frame length 0", bytes: envelope(0, 0), close: true},
		{name: "frame length 3 (below the 4-byte header length)", bytes: envelope(3, 0), close: true},
		{name: "frame length 16 MiB + 1", bytes: envelope(wire.MaxFrameSize+1, 0), close: true},
		{name: "frame length 2^31-1", bytes: envelope(1<<31-1, 0), close: true},
		{name: "header length larger than the frame", bytes: envelope(10, 100, make([]byte, 6)...), close: true},
		{name: "header length 16M-1 in a small frame", bytes: envelope(20, 0xFFFFFF, make([]byte, 16)...), close: true},
		{name: "unknown serialize type 5", bytes: envelope(6, 5<<24|2, '{', '}'), close: true},
		{name: "serialize type 0xFF", bytes: envelope(6, 0xFF<<24|2, '{', '}'), close: true},
		{name: "invalid JSON header", bytes: jsonHdr(`{"code":10,"opaque":`), close: true},
		{name: "JSON header that is not an object", bytes: jsonHdr(`[1,2,3]`), close: true},
		{name: "JSON header with a bad escape", bytes: jsonHdr(`{"code":10,"remark":"\x"}`), close: true},
		{name: "JSON header with trailing garbage", bytes: jsonHdr(`{"code":10}xyz`), close: true},
		{name: "JSON header nested 100 deep", bytes: jsonHdr(`{"x":` + strings.Repeat("[", 100) + strings.Repeat("]", 100) + `}`), close: true},
		{name: "ROCKETMQ header shorter than 21 bytes", bytes: envelope(14, 1<<24|10, make([]byte, 10)...), close: true},
		{name: "ROCKETMQ header with remark length past the header", bytes: envelope(25, 1<<24|21, append(make([]byte, 13), 0x7f, 0, 0, 0, 0, 0, 0, 0)...), close: true},
		{name: "HTTP request", bytes: []byte("GET / HTTP/1.1\r\nHost: x\r\n\r\n"), close: true},
		{name: "TLS ClientHello", bytes: []byte{0x16, 0x03, 0x01, 0x00, 0xa5, 0x01, 0x00, 0x00, 0xa1, 0x03, 0x03}, close: true},
		// Request codes: Java answers REQUEST_CODE_NOT_SUPPORTED and keeps the channel.
		{name: "unknown request code 9999", bytes: rawFrame(9999, wire.JSON, 1, nil), code: wire.RequestCodeNotSupported, remark: " request type 9999 not supported"},
		{name: "negative request code -5", bytes: rawFrame(-5, wire.JSON, 1, nil), code: wire.RequestCodeNotSupported, remark: "not supported"},
		{name: "unknown request code 9999 (ROCKETMQ header)", bytes: rawFrame(9999, wire.RocketMQ, 1, nil), code: wire.RequestCodeNotSupported, remark: " request type 9999 not supported"},
		{name: "unknown POP-range code 200099", bytes: rawFrame(200099, wire.JSON, 1, nil), code: wire.RequestCodeNotSupported, remark: "not supported"},
		// Required ext fields: Java's decodeCommandCustomHeader throws, answered SYSTEM_ERROR.
		{name: "SEND_MESSAGE_V2 without defaultTopic (c)", bytes: send(wire.JSON, []byte("x"), "c", "<drop>"), code: wire.SystemError, remark: "the custom field <c> is null"},
		{name: "SEND_MESSAGE_V2 without topic (b), ROCKETMQ header", bytes: send(wire.RocketMQ, []byte("x"), "b", "<drop>"), code: wire.SystemError, remark: "the custom field <b> is null"},
		{name: "SEND_MESSAGE without any header", bytes: rawFrame(wire.SendMessage, wire.JSON, 2, []byte("x")), code: wire.SystemError, remark: "the custom field <producerGroup> is null"},
		{name: "SEND_MESSAGE_V2 queueId \"abc\"", bytes: send(wire.JSON, []byte("x"), "e", "abc"), code: wire.SystemError, remark: "the custom field <e> is not a number"},
		{name: "SEND_MESSAGE_V2 queueId 2^32+1 (beyond int32)", bytes: send(wire.JSON, []byte("x"), "e", "4294967297"), code: wire.SystemError, remark: "the custom field <e> is not a number"},
		{name: "SEND_MESSAGE_V2 queueId 99 (beyond the topic's queues)", bytes: send(wire.JSON, []byte("x"), "e", "99"), code: wire.SystemError, remark: "request queueId[99] is illegal"},
		{name: "PULL_MESSAGE without queueId", bytes: pull("queueId", "<drop>"), code: wire.SystemError, remark: "the custom field <queueId> is null"},
		{name: "PULL_MESSAGE queueOffset \"NaN\"", bytes: pull("queueOffset", "NaN"), code: wire.SystemError, remark: "the custom field <queueOffset> is not a number"},
		{name: "PULL_MESSAGE queueId -1", bytes: pull("queueId", "-1"), code: wire.SystemError, remark: "queueId[-1] is illegal"},
		{name: "HEART_BEAT with a body that is not JSON", bytes: rawFrame(wire.HeartBeat, wire.JSON, 3, []byte("{not json")), code: wire.SystemError},
		{name: "HEART_BEAT without a body", bytes: rawFrame(wire.HeartBeat, wire.JSON, 3, nil), code: wire.SystemError},
		{name: "UNREGISTER_CLIENT without clientID", bytes: rawFrame(wire.UnregisterClient, wire.JSON, 4, nil), code: wire.SystemError, remark: "the custom field <clientID> is null"},
		{name: "GET_CONSUMER_LIST_BY_GROUP without consumerGroup", bytes: rawFrame(wire.GetConsumerListByGroup, wire.JSON, 5, nil), code: wire.SystemError, remark: "the custom field <consumerGroup> is null"},
		{name: "QUERY_CONSUMER_OFFSET without its header", bytes: rawFrame(wire.QueryConsumerOffset, wire.JSON, 6, nil), code: wire.SystemError, remark: "is null"},
		{name: "UPDATE_AND_CREATE_TOPIC without topic", bytes: rawFrame(wire.UpdateAndCreateTopic, wire.JSON, 6, nil), code: wire.SystemError, remark: "is null"},
		// Bodies and names.
		{name: "SEND_MESSAGE_V2 body of maxMessageSize+1", bytes: send(wire.JSON, big), code: wire.MessageIllegal, remark: "exceeds the maximum"},
		{name: "SEND_BATCH_MESSAGE with a truncated batch body", bytes: rawFrame(wire.SendBatchMessage, wire.JSON, 9, badBatch,
			"a", "bad_pg", "b", topic, "c", "TBW102", "d", "4", "e", "0", "f", "0", "g", "1", "h", "0"), code: wire.MessageIllegal, remark: "bad batch body"},
		{name: "SEND_MESSAGE_V2 to topic \"bad topic!\"", bytes: send(wire.JSON, []byte("x"), "b", "bad topic!"), code: wire.InvalidParameter,
			remark: "The specified topic contains illegal characters, allowing only ^[%|a-zA-Z0-9_-]+$"},
		{name: "SEND_MESSAGE_V2 to a 128-character topic", bytes: send(wire.JSON, []byte("x"), "b", strings.Repeat("t", 128)), code: wire.InvalidParameter,
			remark: "The specified topic is longer than topic max length."},
		{name: "SEND_MESSAGE_V2 to topic \"../../etc\"", bytes: send(wire.JSON, []byte("x"), "b", "../../etc"), code: wire.InvalidParameter, remark: "illegal characters"},
		{name: "PULL_MESSAGE for group \"bad group!\"", bytes: pull("consumerGroup", "bad group!"), code: wire.SubscriptionGroupNotExist, remark: "subscription group [bad group!] does not exist"},
		{name: "PULL_MESSAGE for a 300-character group", bytes: pull("consumerGroup", strings.Repeat("g", 300)), code: wire.SubscriptionGroupNotExist, remark: "does not exist"},
		{name: "PULL_MESSAGE from a topic that does not exist", bytes: pull("topic", "no_such_topic_badinput"), code: wire.TopicNotExist, remark: "not exist"},
		{name: "oneway request with unknown code 9999", bytes: func() []byte {
			c := wire.NewRequest(9999)
			c.Flag, c.Opaque = wire.FlagOneway, 11
			return c.AppendFrame(nil)
		}(), silent: true},
		{name: "a response nobody asked for (flag 1, opaque 12345)", bytes: func() []byte {
			c := wire.NewResponse(&wire.Command{Opaque: 12345}, wire.Success, "")
			return c.AppendFrame(nil)
		}(), silent: true},
		{name: "SEND_MESSAGE_V2 with a 15 MiB body (legal frame)", bytes: send(wire.JSON, make([]byte, 15<<20)), code: wire.MessageIllegal, remark: "exceeds the maximum"},
		{name: "HEART_BEAT of consumer group \"bad group!\"", bytes: rawFrame(wire.HeartBeat, wire.JSON, 3,
			[]byte(`{"clientID":"bad@1","consumerDataSet":[{"groupName":"bad group!","consumeType":"CONSUME_PASSIVELY","messageModel":"CLUSTERING","subscriptionDataSet":[]}]}`)), code: wire.Success},
	}
}

// TestBadInput sends every hostile input in badCases (each on its own
// connection, then checks the server answered as Apache would or closed
// that connection alone), thousands of idle connections, a client that
// stalls half-way through a frame and one that never reads its responses,
// while the official Go client produces and consumes in parallel; then it
// checks that every message the Go client got acknowledged was consumed,
// and that the server's goroutines, memory and descriptors are back to
// their baseline.
func TestBadInput(t *testing.T) {
	h := newHarness(t,
		testcluster.WithConf("serverChannelMaxIdleTimeSeconds", strconv.Itoa(badIdleSeconds)),
		testcluster.WithConf("longPollingEnable", "false"),
		testcluster.WithConf("shortPollingTimeMills", "200"),
		testcluster.WithConf("maxMessageSize", strconv.Itoa(badMaxMessage)),
		testcluster.WithConf("serverMaxPendingWriteBytes", strconv.Itoa(badMaxPending)),
	)
	if h.c.External {
		t.Skip("needs a Booster with the bad-input settings")
	}
	addr := h.c.BrokerAddr

	// A normal producer and consumer run through everything below.
	topic := h.name("t")
	p := h.newProducer()
	sendSync(t, p, primitive.NewMessage(topic, []byte("warm-up")))
	col := &collector{}
	h.startPush(h.name("cg"), topic, subAll, col)
	col.waitAll(t, "the warm-up message", []string{"warm-up"})

	before := measure(t, h.c)
	t.Logf("baseline: %v", before)

	var (
		acked   []string
		ackMu   sync.Mutex
		sendErr atomic.Int64
		stop    = make(chan struct{})
		wg      sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			body := fmt.Sprintf("normal-%05d-%s", i, strings.Repeat("p", i%97))
			ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
			res, err := p.SendSync(ctx, primitive.NewMessage(topic, []byte(body)).WithTag("T"))
			cancel()
			if err != nil || res.Status != primitive.SendOK {
				sendErr.Add(1)
				continue
			}
			ackMu.Lock()
			acked = append(acked, body)
			ackMu.Unlock()
		}
	}()

	t.Run("hostile frames", func(t *testing.T) {
		for _, bc := range badCases(topic) {
			c := dialRaw(t, addr)
			if _, err := c.Write(bc.bytes); err != nil {
				t.Fatalf("%s: write: %v", bc.name, err)
			}
			if bc.close {
				n := closedByServer(t, c, bc.name)
				if n != 0 {
					t.Errorf("%s: %d bytes came back before the close", bc.name, n)
				}
				t.Logf("%-58s -> connection closed", bc.name)
				continue
			}
			if bc.silent {
				if _, err := c.Write(rawFrame(9998, wire.JSON, 99, nil)); err != nil {
					t.Fatalf("%s: connection unusable afterwards: %v", bc.name, err)
				}
				if resp, err := readResponse(c); err != nil || resp.Opaque != 99 {
					t.Errorf("%s: want no answer and the connection serving; got %v %+v", bc.name, err, resp)
				}
				t.Logf("%-58s -> no answer, connection kept", bc.name)
				continue
			}
			resp, err := readResponse(c)
			if err != nil {
				t.Errorf("%s: no response: %v", bc.name, err)
				continue
			}
			if resp.ResponseCode() != bc.code || !strings.Contains(resp.Remark, bc.remark) || !resp.IsResponse() {
				t.Errorf("%s: got %d %v %q, want %d %v with %q", bc.name, resp.Code, resp.ResponseCode(), resp.Remark, int32(bc.code), bc.code, bc.remark)
			}
			// The connection still serves.
			if _, err := c.Write(rawFrame(9998, wire.JSON, 99, nil)); err != nil {
				t.Errorf("%s: connection unusable afterwards: %v", bc.name, err)
			} else if again, err := readResponse(c); err != nil || again.Opaque != 99 {
				t.Errorf("%s: connection unusable afterwards: %v %+v", bc.name, err, again)
			}
			t.Logf("%-58s -> %d %v %q", bc.name, resp.Code, resp.ResponseCode(), abbrev(resp.Remark))
		}
	})

	t.Logf("before %s: %v", "idle connections", measure(t, h.c))
	t.Run("idle connections", func(t *testing.T) {
		n := badIdleConnCount
		var rl syscall.Rlimit
		if syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl) == nil && rl.Cur < uint64(2*n+1000) {
			rl.Cur = min(rl.Max, uint64(2*n+1000))
			_ = syscall.Setrlimit(syscall.RLIMIT_NOFILE, &rl)
			_ = syscall.Getrlimit(syscall.RLIMIT_NOFILE, &rl)
			n = min(n, (int(rl.Cur)-1000)/2)
		}
		conns := make([]net.Conn, 0, n)
		for i := 0; i < n; i++ {
			c, err := net.DialTimeout("tcp", addr, 10*time.Second)
			if err != nil {
				t.Fatalf("dial %d: %v", i, err)
			}
			conns = append(conns, c)
		}
		defer func() {
			for _, c := range conns {
				c.Close()
			}
		}()
		// One request on the last of them: the server still answers.
		if _, err := conns[n-1].Write(rawFrame(9997, wire.JSON, 1, nil)); err != nil {
			t.Fatal(err)
		}
		if resp, err := readResponse(conns[n-1]); err != nil || resp.ResponseCode() != wire.RequestCodeNotSupported {
			t.Fatalf("request on connection %d of %d: %v %+v", n, n, err, resp)
		}
		during := measure(t, h.c)
		t.Logf("%d idle connections open: %v", n, during)
		var closed int
		for _, c := range conns {
			closedByServer(t, c, "idle connection")
			closed++
		}
		t.Logf("%-58s -> all %d closed by the server after the %d s idle timeout", fmt.Sprintf("%d idle connections", n), closed, badIdleSeconds)
	})

	t.Logf("before %s: %v", "half a frame then a stall", measure(t, h.c))
	t.Run("half a frame then a stall", func(t *testing.T) {
		c := dialRaw(t, addr)
		frame := rawFrame(wire.SendMessageV2, wire.JSON, 1, make([]byte, 4000), "a", "pg", "b", topic)
		if _, err := c.Write(frame[:len(frame)/2]); err != nil {
			t.Fatal(err)
		}
		closedByServer(t, c, "stalled half frame")
		t.Logf("%-58s -> connection closed after the %d s idle timeout", "half a frame, then nothing", badIdleSeconds)
	})

	t.Logf("before %s: %v", "client that never reads", measure(t, h.c))
	t.Run("client that never reads", func(t *testing.T) {
		// 40 messages of 60 KiB: each pull answers up to 256 KiB.
		cl, err := transport.Dial(context.Background(), addr)
		if err != nil {
			t.Fatal(err)
		}
		defer cl.Close()
		bigTopic := h.name("big")
		for i := 0; i < 40; i++ {
			req := wire.NewRequest(wire.SendMessageV2,
				wire.Field{Key: "a", Value: "pg"}, wire.Field{Key: "b", Value: bigTopic}, wire.Field{Key: "c", Value: "TBW102"},
				wire.Field{Key: "d", Value: "1"}, wire.Field{Key: "e", Value: "0"}, wire.Field{Key: "f", Value: "0"},
				wire.Field{Key: "g", Value: "1700000000000"}, wire.Field{Key: "h", Value: "0"})
			req.Body = make([]byte, 60<<10)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			resp, err := cl.Invoke(ctx, req)
			cancel()
			if err != nil || resp.ResponseCode() != wire.Success {
				t.Fatalf("seed big message %d: %v %+v", i, err, resp)
			}
		}
		// A small receive buffer keeps the kernel from soaking up the
		// responses the client never reads.
		d := net.Dialer{Control: func(_, _ string, rc syscall.RawConn) error {
			return rc.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
		}}
		c, err := d.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		defer c.Close()
		const pulls = 2000
		pullFrame := rawFrame(wire.PullMessage, wire.JSON, 1, nil, "consumerGroup", h.name("cg"), "topic", bigTopic, "queueId", "0",
			"queueOffset", "0", "maxMsgNums", "32", "sysFlag", "4", "commitOffset", "0", "suspendTimeoutMillis", "0",
			"subscription", "*", "subVersion", "0", "expressionType", "TAG")
		go func() {
			for i := 0; i < pulls; i++ {
				if _, err := c.Write(pullFrame); err != nil {
					return
				}
			}
		}()
		// Nothing is read until the server has given up on the client.
		got := closedByServer(t, c, "client that never reads")
		if full := int64(pulls) * (256 << 10); got >= full {
			t.Fatalf("read %d bytes, all %d pull responses: the server never gave up", got, pulls)
		}
		t.Logf("%-58s -> connection closed after %d of ~%d MiB of responses", fmt.Sprintf("%d pipelined pulls, responses never read", pulls), got>>20, pulls/4)
	})

	t.Logf("after the bad inputs: %v", measure(t, h.c))
	close(stop)
	wg.Wait()
	ackMu.Lock()
	want := append([]string(nil), acked...)
	ackMu.Unlock()
	t.Logf("normal producer: %d messages acknowledged, %d sends failed", len(want), sendErr.Load())
	if len(want) == 0 {
		t.Fatal("the normal producer got nothing acknowledged")
	}
	col.waitAll(t, "every acknowledged message", want)
	first, _ := col.byBody()
	for _, b := range want {
		if m := first[b]; m.Topic != topic || m.GetTags() != "T" {
			t.Errorf("%s: topic %q tag %q", b, m.Topic, m.GetTags())
		}
	}

	// Back to baseline once the server has closed everything.
	var after resourceUse
	ok, status := poll(consumeWait, 500*time.Millisecond, func() (bool, string) {
		after = measure(t, h.c)
		if after.rssMB > 0 {
			// The mapped commit log counts in VmRSS as it fills; the
			// server's own memory is RssAnon.
			return after.fds <= before.fds+10 && after.anonMB <= before.anonMB+256, after.String()
		}
		return after.goroutines <= before.goroutines+20 && after.heapMB <= before.heapMB+64 && after.fds <= before.fds+10, after.String()
	})
	t.Logf("after: %v (baseline %v)", after, before)
	if !ok {
		t.Errorf("resources did not return to baseline %v: %s", before, status)
	}
}
