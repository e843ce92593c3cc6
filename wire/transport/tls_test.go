package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
)

// startTLSEcho starts the echo server in mode with a self-signed
// certificate, logging into logs.
func startTLSEcho(t testing.TB, mode TLSMode, logs *syncBuffer) string {
	t.Helper()
	cfg := DefaultTLSConfig()
	cfg.ServerMode = mode.String()
	srvTLS, err := cfg.ServerTLS()
	if err != nil {
		t.Fatal(err)
	}
	addr, _ := startEchoWith(t, func(c *ServerConfig) {
		c.TLSMode = mode
		c.TLS = srvTLS
	}, slog.New(slog.NewTextHandler(logs, nil)))
	return addr
}

func clientTLS() *tls.Config {
	return &tls.Config{InsecureSkipVerify: true} //nolint:gosec // the test server's certificate is self-signed
}

// roundTrip sends a request of code with body through cl and checks the echo.
func roundTrip(t *testing.T, cl *Client, code wire.RequestCode, body []byte) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req := wire.NewRequest(code, wire.Field{Key: "v", Value: "x"})
	req.Body = body
	resp, err := cl.Invoke(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	equal(t, resp.Code, int32(wire.Success))
	equal(t, resp.ExtValue("echo"), "x")
	if !bytes.Equal(resp.Body, body) {
		t.Fatalf("body: got %d bytes, want %d", len(resp.Body), len(body))
	}
}

func TestTLSPermissiveServesBoth(t *testing.T) {
	var logs syncBuffer
	addr := startTLSEcho(t, TLSPermissive, &logs)
	ctx := context.Background()
	tc, err := DialTLS(ctx, addr, clientTLS())
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	pc, err := Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	big := bytes.Repeat([]byte("0123456789abcdef"), 200_000) // 3.2 MB: many TLS records, split reads
	for _, cl := range []*Client{tc, pc} {
		roundTrip(t, cl, wire.GetRouteinfoByTopic, []byte("inline"))
		roundTrip(t, cl, wire.SendMessage, []byte("worker"))
		roundTrip(t, cl, wire.SendMessage, big)
	}
	// Many requests in flight at once on the TLS connection.
	var wg sync.WaitGroup
	for i := 0; i < 32; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := 0; j < 20; j++ {
				roundTrip(t, tc, wire.SendMessage, bytes.Repeat([]byte{byte(j)}, 1000*j))
			}
		}()
	}
	wg.Wait()
}

func TestTLSEnforcingRefusesPlaintext(t *testing.T) {
	var logs syncBuffer
	addr := startTLSEcho(t, TLSEnforcing, &logs)
	tc, err := DialTLS(context.Background(), addr, clientTLS())
	if err != nil {
		t.Fatal(err)
	}
	defer tc.Close()
	roundTrip(t, tc, wire.SendMessage, []byte("ok"))
	expectClosed(t, addr, wire.NewRequest(wire.GetRouteinfoByTopic).AppendFrame(nil))
	testutil.Eventually(t, 5*time.Second, "the enforcing log line", func() bool {
		return strings.Contains(logs.String(), "plaintext connection and tls.server.mode is enforcing")
	})
}

func TestTLSDisabledRefusesHandshake(t *testing.T) {
	var logs syncBuffer
	addr := startTLSEcho(t, TLSDisabled, &logs)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if c, err := DialTLS(ctx, addr, clientTLS()); err == nil {
		c.Close()
		t.Fatal("TLS handshake succeeded in disabled mode")
	}
	testutil.Eventually(t, 5*time.Second, "the disabled log line", func() bool {
		return strings.Contains(logs.String(), "starts a TLS handshake and tls.server.mode is disabled")
	})
	pc, err := Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer pc.Close()
	roundTrip(t, pc, wire.SendMessage, []byte("plain"))
}

func TestTLSWithoutCertificateClosesHandshake(t *testing.T) {
	var logs syncBuffer
	addr, _ := startEchoWith(t, nil, slog.New(slog.NewTextHandler(&logs, nil)))
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if c, err := DialTLS(ctx, addr, clientTLS()); err == nil {
		c.Close()
		t.Fatal("TLS handshake succeeded without a certificate")
	}
	testutil.Eventually(t, 5*time.Second, "the no-certificate log line", func() bool { return strings.Contains(logs.String(), "no certificate is configured") })
}

func TestTLSGarbageAfterHandshakeIsClosed(t *testing.T) {
	var logs syncBuffer
	addr := startTLSEcho(t, TLSEnforcing, &logs)
	conn, err := tls.Dial("tcp", addr, clientTLS())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = conn.Write([]byte("GET / HTTP/1.1\r\n\r\n"))
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	if _, err := conn.Read(make([]byte, 1)); err == nil {
		t.Fatal("read succeeded after garbage")
	}
	testutil.Eventually(t, 5*time.Second, "the bad-frame log line", func() bool { return strings.Contains(logs.String(), "bad frame") })
}

// expectClosed writes b on a fresh plaintext connection and expects the
// server to close it without answering.
func expectClosed(t *testing.T, addr string, b []byte) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	_, _ = conn.Write(b)
	_ = conn.SetReadDeadline(time.Now().Add(5 * time.Second))
	n, err := conn.Read(make([]byte, 64))
	if err == nil || n > 0 {
		t.Fatalf("read %d bytes, err %v: want a close", n, err)
	}
}

func TestTLSConfigFileOverrides(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "tls.properties")
	if err := os.WriteFile(file, []byte("tls.server.mode=enforcing\ntls.test.mode.enable=false\ntls.server.need.client.auth=require\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c := DefaultTLSConfig()
	c.ConfigFile = file
	r, err := c.Resolve()
	if err != nil {
		t.Fatal(err)
	}
	equal(t, r.Mode(), TLSEnforcing)
	equal(t, r.TestModeEnable, false)
	srv, err := r.ServerTLS()
	if err != nil {
		t.Fatal(err)
	}
	if srv != nil {
		t.Fatal("no certificate and test mode off: want no server TLS")
	}
	cl, err := r.ClientTLS()
	if err != nil || cl == nil {
		t.Fatalf("enforcing server dials with TLS: %v %v", cl, err)
	}
	var sc ServerConfig
	if err := c.Apply(&sc); err == nil || !strings.Contains(err.Error(), "enforcing needs a certificate") {
		t.Fatalf("enforcing without a certificate: %v", err)
	}
	c.ConfigFile = filepath.Join(dir, "missing")
	if _, err := c.Resolve(); err != nil {
		t.Fatal(err)
	}
	c.ServerMode = "strict"
	if c.Validate() == nil {
		t.Fatal("unknown mode accepted")
	}
}

func TestTLSCertificateFiles(t *testing.T) {
	cert, err := SelfSignedCertificate()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	certPath, keyPath := writeKeyPair(t, dir, cert)
	c := DefaultTLSConfig()
	c.TestModeEnable = false
	c.ServerCertPath, c.ServerKeyPath = certPath, keyPath
	c.ServerNeedClientAuth = "optional"
	srv, err := c.ServerTLS()
	if err != nil {
		t.Fatal(err)
	}
	equal(t, len(srv.Certificates), 1)
	equal(t, srv.ClientAuth, tls.VerifyClientCertIfGiven)
	c.ServerKeyPath = certPath
	if _, err := c.ServerTLS(); err == nil {
		t.Fatal("certificate as key accepted")
	}
}

// BenchmarkServerInlineTLS is BenchmarkServerInline over TLS.
func BenchmarkServerInlineTLS(b *testing.B) {
	benchTLS(b, wire.GetRouteinfoByTopic, 64)
}

// BenchmarkServerWorkerTLS is BenchmarkServerWorker over TLS.
func BenchmarkServerWorkerTLS(b *testing.B) {
	benchTLS(b, wire.SendMessage, 4096)
}

func benchTLS(b *testing.B, code wire.RequestCode, body int) {
	var logs syncBuffer
	cfg := DefaultTLSConfig()
	srvTLS, err := cfg.ServerTLS()
	if err != nil {
		b.Fatal(err)
	}
	benchRoundTripOn(b, func(c *ServerConfig) { c.TLS = srvTLS }, &logs, code, body, func(ctx context.Context, addr string) (*Client, error) {
		return DialTLS(ctx, addr, clientTLS())
	})
}

// writeKeyPair writes cert and its key as PEM files in dir.
func writeKeyPair(t *testing.T, dir string, cert tls.Certificate) (certPath, keyPath string) {
	t.Helper()
	der, err := x509.MarshalPKCS8PrivateKey(cert.PrivateKey)
	if err != nil {
		t.Fatal(err)
	}
	certPath, keyPath = filepath.Join(dir, "server.crt"), filepath.Join(dir, "server.key")
	if err := os.WriteFile(certPath, pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Certificate[0]}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(keyPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	return certPath, keyPath
}

func equal[T comparable](t *testing.T, got, want T) {
	t.Helper()
	if got != want {
		t.Fatalf("got %v, want %v", got, want)
	}
}
