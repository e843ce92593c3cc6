package transport

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
)

func startEcho(t testing.TB) (string, *Server) {
	t.Helper()
	return startEchoWith(t, nil)
}

// startEchoWith starts the echo server with its config adjusted by adjust.
func startEchoWith(t testing.TB, adjust func(*ServerConfig), logs ...*slog.Logger) (string, *Server) {
	t.Helper()
	echo := func(r *Request) *wire.Command {
		resp := wire.NewResponse(r.Cmd, wire.Success, "")
		resp.Ext = append(resp.Ext, wire.Field{Key: "echo", Value: r.Cmd.ExtValue("v")})
		resp.Body = r.Cmd.Body
		return resp
	}
	router := NewRouter([]Route{
		{Code: wire.SendMessage, Handler: echo, Class: Send},
		{Code: wire.GetRouteinfoByTopic, Handler: echo, Class: Inline},
		{Code: wire.HeartBeat, Handler: func(r *Request) *wire.Command { panic("boom") }, Class: Heartbeat},
	})
	cfg := DefaultServerConfig("test")
	if adjust != nil {
		adjust(&cfg)
	}
	log := slog.New(slog.DiscardHandler)
	if len(logs) > 0 {
		log = logs[0]
	}
	srv := NewServer(cfg, router, log)
	addr := fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t, 0))
	if err := srv.Start(addr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return addr, srv
}

func TestServerAnswersInBothSerializations(t *testing.T) {
	addr, _ := startEcho(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for _, st := range []wire.SerializeType{wire.JSON, wire.RocketMQ} {
		cl, err := Dial(ctx, addr)
		if err != nil {
			t.Fatal(err)
		}
		cl.Serialize = st
		var wg sync.WaitGroup
		for i := 0; i < 50; i++ {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				code := wire.SendMessage
				if i%2 == 0 {
					code = wire.GetRouteinfoByTopic
				}
				req := wire.NewRequest(code, wire.Field{Key: "v", Value: fmt.Sprint(i)})
				req.Body = []byte(fmt.Sprint("body", i))
				resp, err := cl.Invoke(ctx, req)
				if err != nil {
					t.Error(err)
					return
				}
				if resp.Serialize != st || resp.ExtValue("echo") != fmt.Sprint(i) || string(resp.Body) != fmt.Sprint("body", i) || resp.Version == 0 {
					t.Errorf("bad response %+v", resp)
				}
			}(i)
		}
		wg.Wait()
		cl.Close()
	}
}

func TestServerUnknownCodeAndPanic(t *testing.T) {
	addr, _ := startEcho(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl, err := Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	resp, err := cl.Invoke(ctx, wire.NewRequest(wire.RequestCode(999)))
	if err != nil || resp.ResponseCode() != wire.RequestCodeNotSupported || resp.Remark != " request type 999 not supported" {
		t.Fatalf("%+v %v", resp, err)
	}
	resp, err = cl.Invoke(ctx, wire.NewRequest(wire.HeartBeat))
	if err != nil || resp.ResponseCode() != wire.SystemError {
		t.Fatalf("%+v %v", resp, err)
	}
	// Still serving after both.
	if _, err := cl.Invoke(ctx, wire.NewRequest(wire.GetRouteinfoByTopic)); err != nil {
		t.Fatal(err)
	}
}

func TestBadFrameClosesOnlyThatConnection(t *testing.T) {
	addr, _ := startEcho(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	good, err := Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer good.Close()
	for _, junk := range [][]byte{{0x7f, 0xff, 0xff, 0xff}, []byte("GET / HTTP/1.1\r\n\r\n"), {0, 0, 0, 8, 0, 0, 0, 4, '{', '{', '{', '{'}} {
		bad, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		bad.Write(junk)
		bad.SetReadDeadline(time.Now().Add(3 * time.Second))
		if _, err := bad.Read(make([]byte, 1)); err == nil {
			t.Fatalf("connection sending %q not closed", junk)
		}
		bad.Close()
		if _, err := good.Invoke(ctx, wire.NewRequest(wire.GetRouteinfoByTopic)); err != nil {
			t.Fatal(err)
		}
	}
}

func TestServerInitiatedInvoke(t *testing.T) {
	addr, srv := startEcho(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl, err := Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	cl.OnRequest = func(c *wire.Command) *wire.Command {
		r := wire.NewResponse(c, wire.Success, "client says hi")
		return r
	}
	if _, err := cl.Invoke(ctx, wire.NewRequest(wire.GetRouteinfoByTopic)); err != nil {
		t.Fatal(err)
	}
	conns := srv.Conns()
	if len(conns) != 1 {
		t.Fatalf("%d conns", len(conns))
	}
	resp, err := conns[0].Invoke(ctx, wire.NewRequest(wire.GetConsumerRunningInfo))
	if err != nil || resp.Remark != "client says hi" {
		t.Fatalf("%+v %v", resp, err)
	}
}

func TestRouterRejectsDuplicates(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("duplicate accepted")
		}
	}()
	h := func(*Request) *wire.Command { return nil }
	NewRouter([]Route{{Code: 10, Handler: h, Class: Send}, {Code: 10, Handler: h, Class: Send}})
}

// TestBatchedResponsesArriveWhole drives many concurrent requests with
// bodies up to 96 KiB through one connection, so responses gather in the
// connection's batch and overflow the socket into gnet's outbound buffer;
// every response must arrive once, whole, matched to its request.
func TestBatchedResponsesArriveWhole(t *testing.T) {
	addr, _ := startEcho(t)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cl, err := Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var wg sync.WaitGroup
	for g := range 64 {
		wg.Go(func() {
			for i := range 20 {
				v := fmt.Sprint(g, "/", i)
				body := make([]byte, (g*7919+i*104729)%(96<<10))
				for j := range body {
					body[j] = byte(g + i + j)
				}
				req := wire.NewRequest(wire.SendMessage, wire.Field{Key: "v", Value: v})
				req.Body = body
				resp, err := cl.Invoke(ctx, req)
				if err != nil {
					t.Error(err)
					return
				}
				if resp.ExtValue("echo") != v || string(resp.Body) != string(body) {
					t.Errorf("response to %s: echo %q, %d body bytes (want %d)", v, resp.ExtValue("echo"), len(resp.Body), len(body))
					return
				}
			}
		})
	}
	wg.Wait()
}

// A port another process holds fails Start with the bind error, not the
// EBADF gnet reports for it.
func TestStartOnTakenPortSaysSo(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	srv := NewServer(DefaultServerConfig("test"), NewRouter(nil), slog.New(slog.DiscardHandler))
	err = srv.Start(l.Addr().String())
	if err == nil {
		srv.Stop()
		t.Fatal("Start on a taken port succeeded")
	}
	if !errors.Is(err, syscall.EADDRINUSE) {
		t.Fatalf("Start on a taken port: %v, want address already in use", err)
	}
}
