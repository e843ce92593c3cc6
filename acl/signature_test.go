package acl

import (
	"context"
	"encoding/binary"
	"io"
	"net"
	"net/netip"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"
	"github.com/apache/rocketmq-client-go/v2/rlog"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
)

// captureClientFrames runs a fake NameServer and broker on one port, lets
// the official Go client with creds send one message through it, and
// returns every request frame it signed (route query, send with its body, heartbeats if one was due).
func captureClientFrames(t *testing.T, creds primitive.Credentials) []*wire.Command {
	t.Helper()
	rlog.SetLogLevel("fatal")
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	addr := ln.Addr().String()
	frames := make(chan *wire.Command, 64)
	sent := make(chan struct{}, 1)
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveFake(c, addr, frames, sent)
		}
	}()
	p, err := producer.NewDefaultProducer(
		producer.WithNameServer([]string{addr}),
		producer.WithGroupName("acl-sig-producer"),
		producer.WithCredentials(creds),
		producer.WithRetry(0),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Shutdown() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	msg := primitive.NewMessage("SigTopic", []byte("body signed with the ext fields")).WithTag("TagA").WithKeys([]string{"k1"})
	_, _ = p.SendSync(ctx, msg) // the fake answers SYSTEM_ERROR
	select {
	case <-sent:
	case <-ctx.Done():
		t.Fatal("the client sent no message")
	}
	var out []*wire.Command
	for {
		select {
		case c := <-frames:
			out = append(out, c)
		default:
			return out
		}
	}
}

func serveFake(c net.Conn, addr string, frames chan<- *wire.Command, sent chan<- struct{}) {
	defer c.Close()
	for {
		var n [4]byte
		if _, err := io.ReadFull(c, n[:]); err != nil {
			return
		}
		frame := make([]byte, 4+binary.BigEndian.Uint32(n[:]))
		copy(frame, n[:])
		if _, err := io.ReadFull(c, frame[4:]); err != nil {
			return
		}
		var req wire.Command
		if err := wire.Decode(frame, &req, false); err != nil || req.IsResponse() {
			continue
		}
		select {
		case frames <- &req:
		default:
		}
		resp := wire.NewResponse(&req, wire.Success, "")
		switch req.RequestCode() {
		case wire.GetRouteinfoByTopic:
			route := codec.TopicRouteData{
				BrokerDatas: []codec.BrokerData{{BrokerName: "fake", Cluster: "c", BrokerAddrs: map[int64]string{0: addr}}},
				QueueDatas:  []codec.QueueData{{BrokerName: "fake", Perm: 6, ReadQueueNums: 1, WriteQueueNums: 1}},
			}
			resp.Body = codec.Encode(&route)
		case wire.SendMessage, wire.SendMessageV2, wire.SendBatchMessage:
			resp = wire.NewResponse(&req, wire.SystemError, "fake broker")
		}
		if _, err := c.Write(resp.AppendFrame(nil)); err != nil {
			return
		}
		if resp.Code == int32(wire.SystemError) {
			select {
			case sent <- struct{}{}:
			default:
			}
		}
	}
}

// TestSignatureMatchesGoClient checks Signature against the signatures the
// official Go client put on real requests, with and without a body.
func TestSignatureMatchesGoClient(t *testing.T) {
	creds := primitive.Credentials{AccessKey: "goclient-ak", SecretKey: "goclient-secret-1"}
	frames := captureClientFrames(t, creds)
	seen := map[wire.RequestCode]bool{}
	for _, f := range frames {
		sig, ok := f.Ext.Get(SignatureField)
		if !ok {
			t.Errorf("%v: no Signature", f.RequestCode())
			continue
		}
		if ak := f.ExtValue(AccessKeyField); ak != creds.AccessKey {
			t.Errorf("%v: AccessKey %q", f.RequestCode(), ak)
		}
		if got := Signature(f, creds.SecretKey); got != sig {
			t.Errorf("%v: Signature %q, the client signed %q", f.RequestCode(), got, sig)
		}
		if got := Signature(f, "another-secret"); got == sig {
			t.Errorf("%v: a wrong secret gives the same signature", f.RequestCode())
		}
		seen[f.RequestCode()] = true
	}
	for _, code := range []wire.RequestCode{wire.GetRouteinfoByTopic, wire.SendMessage} {
		if !seen[code] {
			t.Errorf("no %v captured (got %v)", code, seen)
		}
	}
	// The captured send passes Check for an account with PUB on the topic
	// and fails for one without.
	cfg, err := Parse([]byte(`
accounts:
  - accessKey: goclient-ak
    secretKey: goclient-secret-1
    topicPerms: [SigTopic=PUB]
`))
	if err != nil {
		t.Fatal(err)
	}
	remote := netip.MustParseAddr("10.0.0.1")
	for _, f := range frames {
		if f.RequestCode() == wire.SendMessage {
			if err := cfg.Check(f, remote); err != nil {
				t.Errorf("signed send refused: %v", err)
			}
			f.Body = append(f.Body, 'x')
			if err := cfg.Check(f, remote); err == nil || err.(*Error).Msg != "Check signature failed for accessKey=goclient-ak" {
				t.Errorf("tampered body: %v", err)
			}
		}
	}
}

// TestSignatureVector pins Apache's content rule on a hand-made request:
// sorted keys, Signature left out, a repeated key counted once with its
// last value, body last.
func TestSignatureVector(t *testing.T) {
	cmd := &wire.Command{Code: 10, Version: 479, Ext: wire.Fields{
		{Key: "topic", Value: "T"}, {Key: AccessKeyField, Value: "rocketmq2"},
		{Key: SignatureField, Value: "ignored"}, {Key: "b", Value: "1"}, {Key: "b", Value: "2"},
	}, Body: []byte("hi")}
	// HmacSHA1("12345678", "rocketmq2" + "2" + "T" + "hi"), Base64.
	want := hmacB64("12345678", "rocketmq22Thi")
	if got := Signature(cmd, "12345678"); got != want {
		t.Fatalf("Signature = %s, want %s", got, want)
	}
	old := &wire.Command{Version: versionV4_9_3, Ext: wire.Fields{{Key: uniqueKeyQueryField, Value: "true"}, {Key: "k", Value: "v"}}}
	if got, want := Signature(old, "12345678"), hmacB64("12345678", "v"); got != want {
		t.Errorf("V4_9_3 request: %s, want %s (without _UNIQUE_KEY_QUERY)", got, want)
	}
	old.Version = versionV4_9_3 + 1
	if got, want := Signature(old, "12345678"), hmacB64("12345678", "truev"); got != want {
		t.Errorf("newer request: %s, want %s (with _UNIQUE_KEY_QUERY)", got, want)
	}
}
