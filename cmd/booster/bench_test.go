package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/bench"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

// benchApp is a booster app with only the bench command, writing to out.
func benchApp(out, errOut *bytes.Buffer) *cli.App {
	return &cli.App{Name: "booster", Commands: []*cli.Command{benchCommand()}, Writer: out, ErrWriter: errOut}
}

// parseProducer runs args through the producer flags and returns the
// config they make.
func parseProducer(t *testing.T, args ...string) (bench.ProducerConfig, error) {
	t.Helper()
	var cfg bench.ProducerConfig
	var perr error
	app := &cli.App{Name: "t", Commands: []*cli.Command{{
		Name:  "producer",
		Flags: append(commonFlags(), producerFlags()...),
		Action: func(c *cli.Context) error {
			cfg, perr = producerConfig(c)
			return nil
		},
	}}}
	if err := app.Run(append([]string{"t", "producer"}, args...)); err != nil {
		t.Fatalf("run: %v", err)
	}
	return cfg, perr
}

func TestProducerFlagsFollowApache(t *testing.T) {
	cfg, err := parseProducer(t)
	if err != nil {
		t.Fatal(err)
	}
	// Apache's benchmark Producer defaults: 64 threads, 128 bytes, BenchmarkTest
	if cfg.Threads != 64 || cfg.Size != 128 || cfg.Topic != "BenchmarkTest" || cfg.Mode != bench.Sync ||
		cfg.Namesrv != "127.0.0.1:9876" || cfg.Serialize != wire.RocketMQ || cfg.Client != bench.ClientWire {
		t.Errorf("defaults: %+v", cfg)
	}
	cfg, err = parseProducer(t, "-n", "10.0.0.1:9876;10.0.0.2:9876", "-t", "T", "-w", "8", "-s", "1024", "-b", "16",
		"-q", "5000", "-y", "--rate", "10000", "--queues", "10000", "--duration", "20s", "--warmup", "3s",
		"--ri", "500ms", "--serialize", "json", "--conns", "2", "--inflight", "99", "--client", "go")
	if err != nil {
		t.Fatal(err)
	}
	want := bench.ProducerConfig{
		Common: bench.Common{Namesrv: "10.0.0.1:9876;10.0.0.2:9876", Topic: "T", Client: bench.ClientGo, Serialize: wire.JSON,
			Conns: 2, Count: 5000, Duration: 20 * time.Second, Warmup: 3 * time.Second, Interval: 500 * time.Millisecond},
		Group: "benchmark_producer", Threads: 8, Size: 1024, Batch: 16, Mode: bench.Async, Inflight: 99, Rate: 10000,
		Queues: 10000, SendTimeout: 3 * time.Second,
	}
	cfg.Out = nil
	if fmt.Sprintf("%+v", cfg) != fmt.Sprintf("%+v", want) {
		t.Errorf("parsed\n %+v\nwant\n %+v", cfg, want)
	}
	if _, err := parseProducer(t, "--mode", "turbo", "-w", "0"); err == nil ||
		!strings.Contains(err.Error(), "mode") || !strings.Contains(err.Error(), "threads") {
		t.Errorf("bad flags: err = %v, want mode and threads problems", err)
	}
	if _, err := parseProducer(t, "--serialize", "xml"); err == nil {
		t.Error("--serialize xml accepted")
	}
}

// TestBenchCommandsAgainstCluster runs `booster bench producer` and
// `booster bench consumer` with --json against an in-process cluster and
// checks the consumer receives what the producer sent.
func TestBenchCommandsAgainstCluster(t *testing.T) {
	c := testcluster.Start(t)
	topic := fmt.Sprintf("BenchCmd%d", time.Now().UnixNano())
	run := func(args ...string) *bench.Summary {
		t.Helper()
		var out, errOut bytes.Buffer
		if err := benchApp(&out, &errOut).Run(append([]string{"booster", "bench"}, args...)); err != nil {
			t.Fatalf("bench %v: %v\n%s", args, err, errOut.String())
		}
		var s bench.Summary
		if err := json.Unmarshal(out.Bytes(), &s); err != nil {
			t.Fatalf("bench %v printed no JSON summary: %v\n%s", args, err, out.String())
		}
		return &s
	}
	p := run("producer", "-n", c.NamesrvAddr, "-t", topic, "--queues", "4", "-w", "4", "-s", "512", "-d", "2s", "--json")
	if p.Total == 0 || p.Errors != 0 || p.Kind != "producer" {
		t.Fatalf("producer: %+v", p)
	}
	cs := run("consumer", "-n", c.NamesrvAddr, "-t", topic, "--from", "first", "-g", "bench_cmd", "-q", fmt.Sprint(p.Total), "-d", "60s", "--json")
	if cs.Total != p.Total {
		t.Errorf("consumer received %d, producer sent %d", cs.Total, p.Total)
	}

	var out, errOut bytes.Buffer
	if err := benchApp(&out, &errOut).Run([]string{"booster", "bench", "startup", "-n", c.NamesrvAddr, "--json"}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), `"startup_ms"`) {
		t.Errorf("startup printed %q", out.String())
	}
}

func TestBenchTableCommand(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "booster-startup.json"), []byte(`{"startup_ms": 12.5}`), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	if err := benchApp(&out, &errOut).Run([]string{"booster", "bench", "table", dir}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "broker start to first send") || !strings.Contains(out.String(), "12.5") {
		t.Errorf("table:\n%s", out.String())
	}
	if err := benchApp(&out, &errOut).Run([]string{"booster", "bench", "table"}); err == nil {
		t.Error("table without a directory succeeded")
	}
}
