package bench

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

func TestReporterDrainsRecordersIntoSummary(t *testing.T) {
	recs := newRecorders(4)
	var out bytes.Buffer
	rep := newReporter(recs, time.Hour, 0, &out, 0, "send")
	stop, done := make(chan struct{}), make(chan struct{})
	go rep.run(stop, done)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := range 100 {
				recs.get(w).add(1, 10, time.Duration(i+1)*time.Millisecond)
			}
			recs.get(w).fail(2)
			recs.get(w).add(3, 10, -1) // oneway: counted, no latency
		})
	}
	wg.Wait()
	close(stop) // long before the hour: the remainder is folded in without a line
	<-done
	s := rep.summary("producer", ClientWire, map[string]string{"k": "v"}, time.Now())
	equal(t, s.Messages, uint64(8*103))
	equal(t, s.Total, uint64(8*103))
	equal(t, s.Errors, uint64(16))
	equal(t, s.Latency.Count, uint64(800))
	equal(t, s.Latency.Max, 100.0)
	if s.Latency.P50 < 50 || s.Latency.P50 > 51 {
		t.Errorf("p50 = %v ms, want about 50", s.Latency.P50)
	}
	if s.TPS <= 0 || s.MiBps <= 0 {
		t.Errorf("TPS %v, MiB/s %v", s.TPS, s.MiBps)
	}
	equal(t, len(s.Intervals), 0)
	equal(t, out.Len(), 0)
}

func TestReporterTickPrintsALine(t *testing.T) {
	recs := newRecorders(2)
	var out bytes.Buffer
	rep := newReporter(recs, time.Second, 0, &out, os.Getpid(), "e2e")
	rep.start = time.Unix(100, 0)
	recs.get(0).add(1000, 1024, 2*time.Millisecond)
	recs.get(1).fail(3)
	cur := &interval{lat: NewHistogram()}
	rep.tick(cur, time.Unix(100, 0), time.Unix(102, 0))
	equal(t, len(rep.lines), 1)
	l := rep.lines[0]
	equal(t, l.Second, 2.0)
	equal(t, l.TPS, 500.0)
	equal(t, l.Errors, uint64(3))
	equal(t, l.Latency.Max, 2.0)
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	equal(t, len(lines), 2)
	for _, want := range []string{"TPS", "e2e(ms)", "p999", "RSS(MiB)"} {
		if !strings.Contains(lines[0], want) {
			t.Errorf("header %q lacks %q", lines[0], want)
		}
	}
	if f := strings.Fields(lines[1]); len(f) != 11 || f[0] != "2.0" || f[1] != "500" || f[3] != "3" {
		t.Errorf("line %q", lines[1])
	}
}

func TestReporterLeavesWarmupOut(t *testing.T) {
	recs := newRecorders(1)
	rep := newReporter(recs, time.Hour, time.Hour, nil, 0, "send")
	stop, done := make(chan struct{}), make(chan struct{})
	go rep.run(stop, done)
	recs.get(0).add(5, 1, time.Millisecond)
	close(stop)
	<-done
	s := rep.summary("producer", ClientWire, nil, time.Now())
	equal(t, s.Messages, uint64(0))
	equal(t, s.Total, uint64(5))
	equal(t, s.Latency.Count, uint64(0))
}

func TestSummaryOutput(t *testing.T) {
	s := &Summary{Kind: "e2e", Client: ClientWire, Config: map[string]string{"rate": "10000"}, Seconds: 2,
		Messages: 20000, Total: 20000, TPS: 10000, Latency: Latency{Count: 20000, P99: 1.5},
		Send: &Latency{Count: 20000, P99: 0.5}, Sent: 20000, RSSMaxKiB: 2048, RSSLastKiB: 1024, Intervals: []Interval{}}
	var text bytes.Buffer
	if err := s.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"e2e summary", "TPS 10000", "end-to-end latency (ms)", "p99 1.500", "send latency (ms)", "sent 20000, received 20000", "max 2.0 MiB"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text summary lacks %q:\n%s", want, text.String())
		}
	}
	var js bytes.Buffer
	if err := s.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	var back Summary
	if err := json.Unmarshal(js.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	equal(t, back.Latency.P99, 1.5)
	equal(t, back.Send.P99, 0.5)
	equal(t, back.Config["rate"], "10000")
	if !strings.Contains(js.String(), `"p999_ms"`) || !strings.Contains(js.String(), `"tps"`) {
		t.Errorf("JSON field names changed:\n%s", js.String())
	}
}

func TestErrorSamplesKeepFirstDistinct(t *testing.T) {
	var e errorSamples
	for i := range 20 {
		e.add(fmt.Errorf("error %d", i%7))
	}
	got := e.list()
	equal(t, len(got), maxErrorSamples)
	equal(t, got[0], "error 0")
	equal(t, got[4], "error 4")
}

func TestBudget(t *testing.T) {
	b := budget{limit: 10, batch: 4}
	var got []int64
	for {
		k, ok := b.take()
		if !ok {
			break
		}
		got = append(got, k)
	}
	equal(t, len(got), 3)
	equal(t, got[0]+got[1]+got[2], int64(10))
	equal(t, got[2], int64(2))
	u := budget{batch: 1}
	k, ok := u.take()
	equal(t, k, int64(1))
	equal(t, ok, true)
}

func TestPacerSlotsAreSpaced(t *testing.T) {
	// The pacer hands out consecutive slots; the first is due at once. Only
	// the order of slots is checked, not how long the sleeps took.
	p := &pacer{start: time.Now(), every: time.Microsecond}
	ctx := t.Context()
	for range 5 {
		if !p.wait(ctx, 2) {
			t.Fatal("wait failed")
		}
	}
	equal(t, p.n.Load(), int64(10))
}

func TestProcStatus(t *testing.T) {
	status := []byte("Name:\tjava\nVmPeak:\t 9000 kB\nVmRSS:\t  123456 kB\nRssAnon:\t 100 kB\n")
	kib, err := parseStatusKiB(status, "VmRSS:")
	if err != nil {
		t.Fatal(err)
	}
	equal(t, kib, int64(123456))
	if _, err := parseStatusKiB([]byte("Name: x\n"), "VmRSS:"); !errors.Is(err, errNoProc) {
		t.Errorf("missing key: err = %v", err)
	}
	// field 22 (starttime) is 500 ticks = 5 s after boot; uptime 12.34 s
	stat := []byte("42 (a) b) S 1 42 42 0 -1 4194560 0 0 0 0 0 0 0 0 20 0 1 0 500 1000 10 18446744073709551615")
	age, err := processAge(stat, []byte("12.34 20.00\n"))
	if err != nil {
		t.Fatal(err)
	}
	equal(t, age, 7340*time.Millisecond)
	if _, err := processAge([]byte("garbage"), []byte("1.0 1.0")); err == nil {
		t.Error("malformed stat accepted")
	}
}

func TestOwnProcessStats(t *testing.T) {
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("no /proc")
	}
	kib, err := ProcessRSS(os.Getpid())
	if err != nil || kib <= 0 {
		t.Errorf("ProcessRSS(self) = %d, %v", kib, err)
	}
	if _, err := ProcessAge(os.Getpid()); err != nil {
		t.Errorf("ProcessAge(self): %v", err)
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	pc := DefaultProducerConfig()
	if err := pc.Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	pc.Threads, pc.Size, pc.Mode, pc.Client, pc.Topic = 0, 0, "fast", "java", ""
	err := pc.Validate()
	for _, want := range []string{"threads", "size", "mode", "client", "topic"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v; want a %s problem", err, want)
		}
	}
	cc := DefaultConsumerConfig()
	if err := cc.Validate(); err != nil {
		t.Fatalf("defaults invalid: %v", err)
	}
	cc.From, cc.PullBatch = "middle", 0
	err = cc.Validate()
	for _, want := range []string{"from", "pull batch"} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Validate() = %v; want a %s problem", err, want)
		}
	}
}

func TestCompareTable(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, v any) {
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name+".json"), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	sum := func(tps, p99 float64, rss int64) *Summary {
		return &Summary{TPS: tps, Latency: Latency{Count: 10, P99: p99}, RSSMaxKiB: rss, RSSAnonMaxKiB: rss / 2, Config: map[string]string{"count": "5000", "rate": "10000", "queues": "10000"}}
	}
	writeLog := func(name, text string) {
		if err := os.WriteFile(filepath.Join(dir, name+".log"), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("apache-p1k", sum(1000, 10, 2<<20))
	write("booster-p1k", sum(3000, 4, 100<<10))
	write("apache-ha-async-p1k", sum(1000, 10, 0))
	write("apache-ha-sync-p1k", sum(100, 30, 0))
	write("booster-ha-async-p1k", sum(3000, 4, 0))
	write("booster-ha-sync-p1k", sum(2000, 6, 0))
	write("booster-gop1k", sum(1500, 8, 0))
	writeLog("apache-apache-producer", "topic: BenchmarkTest, threadCount: 64\n"+
		"Current Time: 2026-11-25 22:00:01,000 | Send TPS: 900 | Max RT(ms): 50 | Average RT(ms):  70.000 | Send Failed: 0 | Response Failed: 0\n"+
		"Current Time: 2026-11-25 22:00:02,000 | Send TPS: 1000 | Max RT(ms): 50 | Average RT(ms):  64.000 | Send Failed: 0 | Response Failed: 0\n")
	writeLog("booster-apache-producer", "Current Time: 2026-11-25 22:00:01,000 | Send TPS: 2500 | Max RT(ms): 20 | Average RT(ms):  25.600 | Send Failed: 3 | Response Failed: 0\n")
	writeLog("apache-apache-consumer", "Consumer Started.\n")
	if err := os.Mkdir(filepath.Join(dir, "booster-goclient-producer"), 0o755); err != nil {
		t.Fatal(err)
	}
	writeLog("booster-goclient-producer/1", `time="2026-11-25T22:00:00Z" level=info msg="Benchmark Producer Snapshot" averageRt=12.5 maxRt=40 responseFailed=0 sendFailed=0 sendTps=3000 total=50000`+"\n")
	writeLog("booster-goclient-producer/2", `time="2026-11-25T22:00:00Z" level=info msg="Benchmark Producer Snapshot" averageRt=2.5 maxRt=40 responseFailed=0 sendFailed=0 sendTps=2000 total=50000`+"\n")
	writeLog("booster-goclient-producer/3", "producer not started\n")
	write("apache-sync-p1k", sum(500, 20, 0))
	write("booster-sync-p1k", sum(2400, 5, 0))
	write("apache-startup", Startup{Millis: 4000})
	write("booster-startup", Startup{Millis: 25})
	write("booster-rss-idle", map[string]int64{"rss_kib": 10240, "rss_anon_kib": 5120})
	write("apache-q10k", sum(10, 100, 0))
	e := sum(100, 1, 0)
	e.Errors = 7
	e.ErrorSamples = []string{"bench: send: SYSTEM_BUSY [PCBUSY_CLEAN_QUEUE]"}
	write("booster-e2e", e)
	var out bytes.Buffer
	if err := CompareTable(dir, &out); err != nil {
		t.Fatal(err)
	}
	txt := out.String()
	for _, want := range []string{
		"produce 1 KiB, 64 sync senders                     msg/s          1000         3000           3.00x",
		"p99 send latency                                 ms             10.0         4.00           0.40x",
		"SYNC_FLUSH / ASYNC_FLUSH throughput                ratio          0.50         0.80           1.60x",
		"SYNC_MASTER + 1 slave, 1 KiB, 64 sync senders      msg/s           100         2000          20.00x",
		"SYNC_MASTER / ASYNC_MASTER throughput              ratio          0.10         0.67           6.67x",
		"Go client (bench --client=go), 1 KiB, 64 sync      msg/s           n/a         1500             n/a",
		"Apache benchmark Producer, 1 KiB, 64 threads       msg/s          1000         2500           2.50x",
		"average send RT                                  ms             64.0         25.6           0.40x",
		"Go client benchmark producer, 1000 B, 64 procs     msg/s           n/a         5000             n/a",
		"average send RT                                  ms              n/a         8.50             n/a",
		"warning: booster goclient-producer: 2 of 3 processes reported",
		"broker RssAnon under load (peak)                   MiB            1024         50.0           0.05x",
		"broker RssAnon idle (anonymous memory)             MiB             n/a         5.00             n/a",
		"broker VmRSS under load (peak, with mapped files)  MiB            2048        100.0           0.05x",
		"broker VmRSS idle (with mapped files)              MiB             n/a         10.0             n/a",
		"broker start to first send                         ms             4000         25.0           0.01x",
		"end-to-end p99 at 10000 msg/s",
		"10000 queues, 1 KiB",
		"missing apache results:",
		"warning: booster e2e: 7 failed messages (of 0 ok), e.g. bench: send: SYSTEM_BUSY [PCBUSY_CLEAN_QUEUE]",
		"warning: booster apache-producer: 3 failed sends",
		"warning: apache-apache-consumer.log: no periodic report",
	} {
		if !strings.Contains(txt, want) {
			t.Errorf("table lacks %q:\n%s", want, txt)
		}
	}
}

func TestParseToolLogs(t *testing.T) {
	java := "topic: T, threadCount: 64, messageSize: 1024\n" +
		"Current Time: 2026-11-25 22:00:10,001 | Send TPS: 41234 | Max RT(ms): 210 | Average RT(ms):   1.523 | Send Failed: 0 | Response Failed: 0\n" +
		"Current Time: 2026-11-25 22:00:11,001 | Send TPS: 40000 | Max RT(ms): 230 | Average RT(ms):   1,600 | Send Failed: 2 | Response Failed: 0\n"
	r, ok := ParseJavaProducerLog(strings.NewReader(java))
	equal(t, ok, true)
	equal(t, r, ToolReport{TPS: 40000, MaxMillis: 230, AvgMillis: 1.6, Failed: 2, Reports: 2})
	if _, ok := ParseJavaProducerLog(strings.NewReader("topic: T\n")); ok {
		t.Error("a log without reports parsed")
	}
	cons := "Consumer Started.\n" +
		"Current Time: 2026-11-25 22:00:10,001 | Consume TPS: 39999 | AVG(B2C) RT(ms):   3.101 | AVG(S2C) RT(ms):   2.950 | MAX(B2C) RT(ms): 88 | MAX(S2C) RT(ms): 80 | Consume Fail: 0\n"
	r, ok = ParseJavaConsumerLog(strings.NewReader(cons))
	equal(t, ok, true)
	equal(t, r, ToolReport{TPS: 39999, AvgMillis: 3.101, Reports: 1})
	gol := `time="2026-11-25T22:00:10Z" level=warning msg="something else" sendTps=1` + "\n" +
		`time="2026-11-25T22:00:10Z" level=info msg="Benchmark Producer Snapshot" averageRt=1.5234 maxRt=210 responseFailed=0 sendFailed=1 sendTps=41234 total=400000` + "\n"
	r, ok = ParseGoProducerLog(strings.NewReader(gol))
	equal(t, ok, true)
	equal(t, r, ToolReport{TPS: 41234, AvgMillis: 1.5234, MaxMillis: 210, Failed: 1, Reports: 1})
}
