// Package testcluster starts a NameServer and a broker for tests: in
// process by default, as a booster subprocess when BOOSTER_TEST_BINARY
// names the binary, or not at all when BOOSTER_TEST_NAMESRV names an
// external NameServer (Apache RocketMQ, to prove a test's expectations are
// Apache's own).
package testcluster

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/booster-mq/booster/broker"
	"github.com/booster-mq/booster/console"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/namesrv"
	"github.com/booster-mq/booster/proxy"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// Cluster is a running NameServer and broker.
type Cluster struct {
	// NamesrvAddr is the NameServer address clients use.
	NamesrvAddr string
	// BrokerAddr is the broker's advertised address ("" when external).
	BrokerAddr string
	// External is set when the cluster is someone else's NameServer.
	External bool

	t      testing.TB
	dir    string
	extra  map[string]string
	ns     *namesrv.Server
	broker *broker.Broker
	grpc   *proxy.Server
	con    *console.Server
	proc   *process
	everUp bool // the broker has registered once: its ports are the clients'
	nsPort int
	bPort  int
}

// Option adjusts the broker config (as broker.conf keys).
type Option func(map[string]string)

// WithConf sets a broker.conf key.
func WithConf(key, value string) Option { return func(m map[string]string) { m[key] = value } }

// Start starts a cluster and stops it at the end of the test.
func Start(t testing.TB, opts ...Option) *Cluster {
	t.Helper()
	if addr := os.Getenv("BOOSTER_TEST_NAMESRV"); addr != "" {
		return &Cluster{NamesrvAddr: addr, External: true, t: t}
	}
	c := &Cluster{t: t, dir: t.TempDir(), extra: map[string]string{}}
	for _, o := range opts {
		o(c.extra)
	}
	c.pickPorts()
	c.start()
	t.Cleanup(c.Stop)
	return c
}

// pickPorts chooses the NameServer's and the broker's ports.
func (c *Cluster) pickPorts() {
	c.nsPort = testutil.FreePort(c.t, 0)
	c.bPort = testutil.FreePort(c.t, 2)
	c.NamesrvAddr = fmt.Sprintf("127.0.0.1:%d", c.nsPort)
	c.BrokerAddr = fmt.Sprintf("127.0.0.1:%d", c.bPort)
}

func (c *Cluster) conf() map[string]string {
	m := map[string]string{
		"brokerClusterName":        "DefaultCluster",
		"brokerName":               "broker-a",
		"brokerIP1":                "127.0.0.1",
		"bindAddress":              "127.0.0.1",
		"listenPort":               fmt.Sprint(c.bPort),
		"namesrvAddr":              c.NamesrvAddr,
		"storePathRootDir":         filepath.Join(c.dir, "store"),
		"mappedFileSizeCommitLog":  fmt.Sprint(64 << 20),
		"registerNameServerPeriod": "10000",
		"grpcServerPort":           "0", // tests that want gRPC pass a free port
		"consolePort":              "0", // tests of the web console pass a free port
	}
	for k, v := range c.extra {
		m[k] = v
	}
	return m
}

func (c *Cluster) start() {
	t := c.t
	if bin := os.Getenv("BOOSTER_TEST_BINARY"); bin != "" {
		c.startProcess(bin)
		return
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if os.Getenv("BOOSTER_TEST_LOG") != "" {
		log = slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))
	}
	if c.ns == nil {
		ncfg := namesrv.DefaultConfig()
		ncfg.BindAddress = "127.0.0.1"
		ncfg.ListenPort = c.nsPort
		ncfg.KvConfigPath = filepath.Join(c.dir, "kvConfig.json")
		c.ns = namesrv.New(ncfg, log)
		if err := c.ns.Start(); err != nil {
			t.Fatalf("start namesrv: %v", err)
		}
	}
	bcfg := broker.DefaultConfig()
	for k, v := range c.conf() {
		if _, err := bcfg.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	// A restart in one process can race the previous gnet engine's last
	// socket closes (the port still bound); retry a few times before
	// failing.
	var b *broker.Broker
	for attempt := 1; ; attempt++ {
		var err error
		b, err = broker.New(bcfg, log)
		if err != nil {
			t.Fatalf("new broker: %v", err)
		}
		if err = b.Start(); err == nil {
			break
		}
		_ = b.Close()
		if attempt == 5 {
			t.Fatalf("start broker: %v", err)
		}
		t.Logf("start broker (attempt %d): %v; retrying", attempt, err)
		time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
	}
	c.broker = b
	gs, err := proxy.StartFor(b, log)
	if err != nil {
		t.Fatalf("start grpc endpoint: %v", err)
	}
	c.grpc = gs
	c.con, err = console.Start(console.Config{Host: "127.0.0.1", Port: bcfg.ConsolePort, Namesrv: []string{c.NamesrvAddr}}, log)
	if err != nil {
		t.Fatalf("start console: %v", err)
	}
	c.waitRegistered(nil)
}

// startProcess runs `booster standalone -c conf` as a subprocess. On the
// first start a process that exits at once because another test took one
// of its ports between FreePort's check and its bind is started again on
// fresh ports.
func (c *Cluster) startProcess(bin string) {
	for attempt := 1; ; attempt++ {
		p := c.spawn(bin)
		up, exitErr := c.waitRegistered(p)
		if up {
			return
		}
		if c.everUp || attempt == 3 || !strings.Contains(p.tail.String(), "address already in use") {
			c.t.Fatalf("booster standalone exited before registering (%v); its last log lines:\n%s", exitErr, p.tail.String())
		}
		c.t.Logf("booster standalone lost a port race (attempt %d); retrying on other ports", attempt)
		c.pickPorts()
	}
}

// spawn writes broker.conf and starts the subprocess; its stderr goes to
// a tail kept for failure reports.
func (c *Cluster) spawn(bin string) *process {
	t := c.t
	conf := filepath.Join(c.dir, "broker.conf")
	var sb strings.Builder
	for k, v := range c.conf() {
		fmt.Fprintf(&sb, "%s=%s\n", k, v)
	}
	if err := os.WriteFile(conf, []byte(sb.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin, "standalone", "-c", conf)
	out, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	p := &process{cmd: cmd, exited: make(chan struct{}), tail: &logTail{}}
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			p.tail.add(sc.Text())
			if os.Getenv("BOOSTER_TEST_LOG") != "" {
				fmt.Fprintln(os.Stderr, "booster:", sc.Text())
			}
		}
		p.err = cmd.Wait() // after the last read, as StderrPipe requires
		close(p.exited)
	}()
	c.proc = p
	return p
}

// process is a booster subprocess.
type process struct {
	cmd    *exec.Cmd
	tail   *logTail
	exited chan struct{} // closed once it has exited; err is its Wait error
	err    error
}

// logTail keeps the last lines a process logged.
type logTail struct {
	mu    sync.Mutex
	lines []string
}

func (l *logTail) add(line string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.lines) == 40 {
		l.lines = append(l.lines[:0], l.lines[1:]...)
	}
	l.lines = append(l.lines, line)
}

func (l *logTail) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Join(l.lines, "\n")
}

// registered reports whether the NameServer routes TBW102 to a broker.
func (c *Cluster) registered() bool {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	cl, err := transport.Dial(ctx, c.NamesrvAddr)
	if err != nil {
		return false
	}
	defer cl.Close()
	resp, err := cl.Invoke(ctx, wire.NewRequest(wire.GetRouteinfoByTopic, wire.Field{Key: "topic", Value: "TBW102"}))
	return err == nil && resp.ResponseCode() == wire.Success
}

// waitRegistered polls the NameServer until the broker's route is there.
// With a subprocess p it returns early, up false, when p exits; a timeout
// fails the test with the subprocess's last log lines.
func (c *Cluster) waitRegistered(p *process) (up bool, exitErr error) {
	const timeout = 20 * time.Second
	deadline := time.Now().Add(timeout)
	for !c.registered() {
		if p != nil {
			select {
			case <-p.exited:
				return false, p.err
			default:
			}
		}
		if time.Now().After(deadline) {
			tail := ""
			if p != nil {
				tail = "; its last log lines:\n" + p.tail.String()
			}
			c.t.Fatalf("timed out after %v waiting for the broker to register with the NameServer%s", timeout, tail)
		}
		time.Sleep(20 * time.Millisecond)
	}
	c.everUp = true
	return true, nil
}

// StopBroker stops the broker (cleanly, or with SIGKILL for a subprocess
// when kill is set), keeping its store.
func (c *Cluster) StopBroker(kill bool) {
	if c.con != nil {
		_ = c.con.Close()
		c.con = nil
	}
	if c.grpc != nil {
		c.grpc.Close()
		c.grpc = nil
	}
	if c.broker != nil {
		if err := c.broker.Close(); err != nil {
			c.t.Errorf("close broker: %v", err)
		}
		c.broker = nil
	}
	if c.proc != nil {
		sig := syscall.SIGTERM
		if kill {
			sig = syscall.SIGKILL
		}
		_ = c.proc.cmd.Process.Signal(sig)
		<-c.proc.exited
		c.proc = nil
	}
}

// RestartBroker stops the broker and starts it again on the same store and
// ports.
func (c *Cluster) RestartBroker() {
	if c.External {
		c.t.Skip("cannot restart an external cluster")
	}
	c.StopBroker(false)
	c.start()
}

// Stop stops everything.
func (c *Cluster) Stop() {
	c.StopBroker(false)
	if c.ns != nil {
		c.ns.Close()
		c.ns = nil
	}
}

// CanRestart reports whether RestartBroker works for this target.
func (c *Cluster) CanRestart() bool { return !c.External }

// Broker returns the in-process broker, or nil when the broker runs as a
// subprocess or is external.
func (c *Cluster) Broker() *broker.Broker { return c.broker }

// PID returns the process id of the broker subprocess, or 0 when the
// broker runs in process or is external.
func (c *Cluster) PID() int {
	if c.proc == nil {
		return 0
	}
	return c.proc.cmd.Process.Pid
}
