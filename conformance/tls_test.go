package conformance

import (
	"bytes"
	"context"
	"crypto/tls"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"

	"github.com/booster-mq/booster/broker"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/namesrv"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// TestTLS runs the official Go client with WithTls(true) (it trusts any
// server certificate, so the self-signed one of tls.test.mode.enable
// serves) against a NameServer and broker in each tls.server.mode:
//   - permissive (Apache's default): TLS and plaintext clients both send
//     and consume;
//   - enforcing (NameServer and broker; the broker registers over TLS):
//     TLS clients work, a plaintext connection is closed and logged;
//   - disabled (broker): a TLS handshake is closed and logged, plaintext
//     works.
//
// The Go client's WithTls writes a process-wide default that every client
// reads when it connects, so each client here sets it explicitly, and the
// test puts it back to plaintext at the end.
func TestTLS(t *testing.T) {
	if os.Getenv("BOOSTER_TEST_NAMESRV") != "" {
		t.Skip("needs a Booster this test configures (tls.server.mode)")
	}
	t.Cleanup(func() {
		_, _ = producer.NewDefaultProducer(producer.WithTls(false), producer.WithNameServer(primitive.NamesrvAddr{"127.0.0.1:1"}), producer.WithInstanceName(instanceName("tls-reset")))
	})
	t.Run("permissive", func(t *testing.T) {
		tc := startTLSCluster(t, "permissive", "permissive")
		tc.produceAndConsume(t, true)
		tc.produceAndConsume(t, false)
	})
	t.Run("enforcing", func(t *testing.T) {
		tc := startTLSCluster(t, "enforcing", "enforcing")
		tc.produceAndConsume(t, true)
		for _, addr := range []string{tc.nsAddr, tc.brokerAddr} {
			refusedPlaintext(t, addr)
		}
		tc.waitLog(t, "plaintext connection and tls.server.mode is enforcing")
		// The plaintext Go client cannot even get a route.
		h := tc.harness(t)
		p := h.newProducer(producer.WithTls(false), producer.WithRetry(0))
		ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
		defer cancel()
		if res, err := p.SendSync(ctx, primitive.NewMessage(h.name("tls_plain"), []byte("must-not-be-stored"))); err == nil {
			t.Errorf("plaintext send to an enforcing cluster succeeded: %v", res)
		}
	})
	t.Run("disabled", func(t *testing.T) {
		tc := startTLSCluster(t, "permissive", "disabled")
		tc.produceAndConsume(t, false)
		h := tc.harness(t)
		topic := h.name("tls_disabled")
		createTopic(t, tc.nsAddr, topic)
		p := h.newProducer(producer.WithTls(true), producer.WithRetry(0))
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if res, err := p.SendSync(ctx, primitive.NewMessage(topic, []byte("must-not-be-stored"))); err == nil {
			t.Errorf("TLS send to a broker with TLS disabled succeeded: %v", res)
		}
		tc.waitLog(t, "starts a TLS handshake and tls.server.mode is disabled")
	})
}

// tlsCluster is a NameServer and a broker in given TLS modes, logging into
// logs.
type tlsCluster struct {
	nsAddr, brokerAddr string
	logs               *lockedBuffer
}

func startTLSCluster(t *testing.T, nsMode, brokerMode string) *tlsCluster {
	t.Helper()
	dir := t.TempDir()
	logs := &lockedBuffer{}
	log := slog.New(slog.NewTextHandler(logs, nil))
	nsPort, bPort := testutil.FreePort(t, 0), testutil.FreePort(t, 2)
	ncfg := namesrv.DefaultConfig()
	ncfg.BindAddress, ncfg.ListenPort = "127.0.0.1", nsPort
	ncfg.KvConfigPath = filepath.Join(dir, "kvConfig.json")
	ncfg.ServerMode = nsMode
	ncfg.ConfigFile = ""
	ns := namesrv.New(ncfg, log)
	if err := ns.Start(); err != nil {
		t.Fatalf("start namesrv: %v", err)
	}
	t.Cleanup(ns.Close)
	tc := &tlsCluster{nsAddr: fmt.Sprintf("127.0.0.1:%d", nsPort), brokerAddr: fmt.Sprintf("127.0.0.1:%d", bPort), logs: logs}
	bcfg := broker.DefaultConfig()
	for k, v := range map[string]string{
		"brokerIP1":               "127.0.0.1",
		"bindAddress":             "127.0.0.1",
		"listenPort":              fmt.Sprint(bPort),
		"namesrvAddr":             tc.nsAddr,
		"storePathRootDir":        filepath.Join(dir, "store"),
		"mappedFileSizeCommitLog": fmt.Sprint(64 << 20),
		"grpcServerPort":          "0",
		"consolePort":             "0",
		"tls.server.mode":         brokerMode,
		"tls.config.file":         "",
	} {
		if _, err := bcfg.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	b, err := broker.New(bcfg, log)
	if err != nil {
		t.Fatalf("new broker: %v", err)
	}
	if err := b.Start(); err != nil {
		t.Fatalf("start broker: %v", err)
	}
	t.Cleanup(func() { _ = b.Close() })
	testutil.Eventually(t, 10*time.Second, "broker registered with NameServer", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		cl, err := transport.DialTLS(ctx, tc.nsAddr, insecureTLS(nsMode))
		if err != nil {
			return false
		}
		defer cl.Close()
		resp, err := cl.Invoke(ctx, wire.NewRequest(wire.GetRouteinfoByTopic, wire.Field{Key: "topic", Value: "TBW102"}))
		return err == nil && resp.ResponseCode() == wire.Success
	})
	return tc
}

// insecureTLS returns the client TLS settings of the Go client's
// WithTls(true) for an enforcing server, nil otherwise.
func insecureTLS(mode string) *tls.Config {
	if mode != "enforcing" {
		return nil
	}
	c := transport.DefaultTLSConfig()
	c.Enable = true
	cfg, _ := c.ClientTLS()
	return cfg
}

func (tc *tlsCluster) harness(t *testing.T) *harness {
	return &harness{t: t, ns: primitive.NamesrvAddr{tc.nsAddr}, suffix: fmt.Sprintf("%d_%d", time.Now().UnixNano(), clientSeq.Add(1))}
}

// produceAndConsume sends and consumes a few messages, over TLS or not.
func (tc *tlsCluster) produceAndConsume(t *testing.T, useTLS bool) {
	t.Helper()
	h := tc.harness(t)
	topic, group := h.name("tls_topic"), h.name("tls_group")
	p := h.newProducer(producer.WithTls(useTLS))
	var want []string
	for i := range 5 {
		body := fmt.Sprintf("tls=%v-%d", useTLS, i)
		sendSync(t, p, primitive.NewMessage(topic, []byte(body)))
		want = append(want, body)
	}
	col := &collector{}
	h.startPush(group, topic, consumer.MessageSelector{}, col, consumer.WithTls(useTLS))
	col.waitAll(t, fmt.Sprintf("the consumer (TLS %v) to receive every message", useTLS), want)
}

// waitLog waits for a log line containing s.
func (tc *tlsCluster) waitLog(t *testing.T, s string) {
	t.Helper()
	testutil.Eventually(t, 10*time.Second, "log line "+s, func() bool { return strings.Contains(tc.logs.String(), s) })
}

// refusedPlaintext expects a plaintext remoting request to addr to fail
// with a closed connection.
func refusedPlaintext(t *testing.T, addr string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl, err := transport.Dial(ctx, addr)
	if err != nil {
		return
	}
	defer cl.Close()
	resp, err := cl.Invoke(ctx, wire.NewRequest(wire.GetBrokerClusterInfo))
	if err == nil {
		t.Errorf("%s answered a plaintext request in enforcing mode: code %d", addr, resp.Code)
	}
	select {
	case <-cl.Done():
	case <-ctx.Done():
		t.Errorf("%s kept a plaintext connection open in enforcing mode", addr)
	}
}

// createTopic creates topic on every broker of DefaultCluster through the
// NameServer's route, in plaintext.
func createTopic(t *testing.T, nsAddr, topic string) {
	t.Helper()
	h := &harness{t: t, ns: primitive.NamesrvAddr{nsAddr}}
	p := h.newProducer(producer.WithTls(false))
	sendSync(t, p, primitive.NewMessage(topic, []byte("create")))
}

// lockedBuffer is a goroutine-safe log sink.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}
