package bench

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"sync"
	"time"
)

// recorder is one worker's share of the measurements of the current
// interval. mu guards everything; the worker holds it for one Record, the
// reporter once per interval to drain it.
type recorder struct {
	mu     sync.Mutex
	lat    *Histogram
	ok     uint64 // messages that succeeded
	errors uint64 // messages that failed
	bytes  uint64 // body bytes of the messages that succeeded
}

// recorders is a fixed set of recorders that workers share by index, so
// that thousands of workers (one per queue) need only a few histograms.
type recorders []*recorder

func newRecorders(n int) recorders {
	rs := make(recorders, max(n, 1))
	for i := range rs {
		rs[i] = &recorder{lat: NewHistogram()}
	}
	return rs
}

// get returns the recorder of worker i.
func (rs recorders) get(i int) *recorder { return rs[i%len(rs)] }

// add records msgs messages of size bytes each, measured at lat
// (lat < 0: no latency sample, as for oneway sends).
func (r *recorder) add(msgs int, size int, lat time.Duration) {
	r.mu.Lock()
	r.ok += uint64(msgs)
	r.bytes += uint64(msgs * size)
	if lat >= 0 {
		r.lat.Record(lat)
	}
	r.mu.Unlock()
}

// fail records msgs failed messages.
func (r *recorder) fail(msgs int) {
	r.mu.Lock()
	r.errors += uint64(msgs)
	r.mu.Unlock()
}

// drain moves r's counts into into and empties r.
func (r *recorder) drain(into *interval) {
	r.mu.Lock()
	into.lat.Merge(r.lat)
	into.ok += r.ok
	into.errors += r.errors
	into.bytes += r.bytes
	r.lat.Reset()
	r.ok, r.errors, r.bytes = 0, 0, 0
	r.mu.Unlock()
}

// interval is what all recorders collected over one report period.
type interval struct {
	lat    *Histogram
	ok     uint64
	errors uint64
	bytes  uint64
}

// Latency is a latency summary in milliseconds.
type Latency struct {
	Count uint64  `json:"count"`
	Avg   float64 `json:"avg_ms"`
	P50   float64 `json:"p50_ms"`
	P99   float64 `json:"p99_ms"`
	P999  float64 `json:"p999_ms"`
	Max   float64 `json:"max_ms"`
}

func ms(d time.Duration) float64 { return float64(d.Nanoseconds()) / 1e6 }

// LatencyOf summarises h.
func LatencyOf(h *Histogram) Latency {
	return Latency{
		Count: h.Count(),
		Avg:   ms(h.Mean()),
		P50:   ms(h.Quantile(0.50)),
		P99:   ms(h.Quantile(0.99)),
		P999:  ms(h.Quantile(0.999)),
		Max:   ms(h.Max()),
	}
}

// Interval is one line of the periodic report.
type Interval struct {
	// Second is the end of the interval, in seconds since the run started.
	Second  float64 `json:"t"`
	TPS     float64 `json:"tps"`
	MiBps   float64 `json:"mib_per_s"`
	Errors  uint64  `json:"errors"`
	Latency Latency `json:"latency"`
	// RSSKiB and RSSAnonKiB are the watched process's VmRSS and RssAnon
	// at the end of the interval.
	RSSKiB     int64 `json:"rss_kib,omitempty"`
	RSSAnonKiB int64 `json:"rss_anon_kib,omitempty"`
}

// Summary is the result of one run.
type Summary struct {
	// Kind is the workload: producer, consumer or e2e.
	Kind string `json:"kind"`
	// Client is "wire" (Booster's remoting client) or "go" (rocketmq-client-go).
	Client string `json:"client"`
	// Config echoes the settings of the run.
	Config map[string]string `json:"config"`
	// Seconds is the measured time (after the warm-up intervals).
	Seconds float64 `json:"seconds"`
	// Messages counts the messages that succeeded (sent, or received) after
	// the warm-up; Total counts them over the whole run.
	Messages uint64  `json:"messages"`
	Total    uint64  `json:"total"`
	Errors   uint64  `json:"errors"`
	TPS      float64 `json:"tps"`
	MiBps    float64 `json:"mib_per_s"`
	// Latency is the send latency (producer) or end-to-end latency
	// (consumer, e2e) after the warm-up.
	Latency Latency `json:"latency"`
	// Send is the send latency of an e2e run.
	Send *Latency `json:"send,omitempty"`
	// Sent is what the producer of an e2e run sent in total.
	Sent uint64 `json:"sent,omitempty"`
	// ErrorSamples holds the first distinct error texts (at most
	// maxErrorSamples).
	ErrorSamples []string `json:"error_samples,omitempty"`
	// RSSMaxKiB and RSSLastKiB are the watched process's peak and last
	// sampled VmRSS (0 when no process is watched).
	RSSMaxKiB  int64 `json:"rss_max_kib,omitempty"`
	RSSLastKiB int64 `json:"rss_last_kib,omitempty"`
	// RSSAnonMaxKiB is the peak sampled RssAnon: resident anonymous memory,
	// without the mapped commit log's page-cache pages that VmRSS counts.
	RSSAnonMaxKiB int64      `json:"rss_anon_max_kib,omitempty"`
	Intervals     []Interval `json:"intervals"`
}

// maxErrorSamples caps Summary.ErrorSamples.
const maxErrorSamples = 5

// errorSamples keeps the first distinct error texts of a run. Safe for
// concurrent use; errors are rare, so one mutex is enough.
type errorSamples struct {
	mu   sync.Mutex
	seen []string
}

func (e *errorSamples) add(err error) {
	msg := err.Error()
	e.mu.Lock()
	defer e.mu.Unlock()
	if len(e.seen) < maxErrorSamples && !slices.Contains(e.seen, msg) {
		e.seen = append(e.seen, msg)
	}
}

func (e *errorSamples) list() []string {
	e.mu.Lock()
	defer e.mu.Unlock()
	return slices.Clone(e.seen)
}

// reporter drains the recorders every period, prints a line per period and
// accumulates the summary. It runs on one goroutine (run); the fields are
// read after run returns.
type reporter struct {
	recs    recorders
	period  time.Duration
	warmup  time.Duration
	out     io.Writer // per-interval lines; nil: none
	watch   int       // pid whose VmRSS and RssAnon are sampled; 0: none
	label   string    // "send" or "e2e", for the line header
	start   time.Time
	from    time.Time // start of the measured span: the end of the warm-up's last interval
	total   *interval // after the warm-up
	all     uint64    // ok messages over the whole run
	errs    uint64
	rssMax  int64
	rssLast int64
	anonMax int64
	lines   []Interval
	header  bool
}

func newReporter(recs recorders, period, warmup time.Duration, out io.Writer, watch int, label string) *reporter {
	if period <= 0 {
		period = time.Second
	}
	return &reporter{recs: recs, period: period, warmup: warmup, out: out, watch: watch, label: label,
		total: &interval{lat: NewHistogram()}}
}

// run reports every period until stop is closed, then once more for the
// remainder; done is closed when it has.
func (r *reporter) run(stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	r.start = time.Now()
	r.from = r.start
	t := time.NewTicker(r.period)
	defer t.Stop()
	cur := &interval{lat: NewHistogram()}
	last := r.start
	for {
		select {
		case now := <-t.C:
			r.tick(cur, last, now)
			last = now
		case <-stop:
			if now := time.Now(); now.Sub(last) > r.period/10 {
				r.tick(cur, last, now)
			} else {
				// a sliver: fold it into the totals without a line
				r.collect(cur)
				r.account(cur, now)
			}
			return
		}
	}
}

func (r *reporter) collect(cur *interval) {
	cur.lat.Reset()
	cur.ok, cur.errors, cur.bytes = 0, 0, 0
	for _, rec := range r.recs {
		rec.drain(cur)
	}
}

// account adds cur to the totals when it ends after the warm-up.
func (r *reporter) account(cur *interval, end time.Time) {
	r.all += cur.ok
	r.errs += cur.errors
	if end.Sub(r.start) <= r.warmup {
		r.from = end
		return
	}
	r.total.lat.Merge(cur.lat)
	r.total.ok += cur.ok
	r.total.errors += cur.errors
	r.total.bytes += cur.bytes
}

func (r *reporter) tick(cur *interval, from, now time.Time) {
	r.collect(cur)
	r.account(cur, now)
	secs := now.Sub(from).Seconds()
	line := Interval{
		Second:  now.Sub(r.start).Seconds(),
		TPS:     float64(cur.ok) / secs,
		MiBps:   float64(cur.bytes) / secs / (1 << 20),
		Errors:  cur.errors,
		Latency: LatencyOf(cur.lat),
	}
	if r.watch > 0 {
		if kib, anon, err := processMemory(r.watch); err == nil {
			line.RSSKiB, line.RSSAnonKiB = kib, anon
			r.rssLast = kib
			r.rssMax = max(r.rssMax, kib)
			r.anonMax = max(r.anonMax, anon)
		}
	}
	r.lines = append(r.lines, line)
	if r.out != nil {
		if !r.header {
			r.header = true
			fmt.Fprintln(r.out, lineHeader(r.label, r.watch > 0))
		}
		fmt.Fprintln(r.out, formatLine(&line, r.watch > 0))
	}
}

// summary builds the Summary of a run that ended at end. Whole intervals
// are left out as warm-up, so the measured span starts at the end of the
// last one that ended within the warm-up.
func (r *reporter) summary(kind, client string, config map[string]string, end time.Time) *Summary {
	secs := end.Sub(r.from).Seconds()
	s := &Summary{
		Kind: kind, Client: client, Config: config,
		Seconds:   secs,
		Messages:  r.total.ok,
		Total:     r.all,
		Errors:    r.errs,
		Latency:   LatencyOf(r.total.lat),
		RSSMaxKiB: r.rssMax, RSSLastKiB: r.rssLast,
		RSSAnonMaxKiB: r.anonMax,
		Intervals:     r.lines,
	}
	if secs > 0 {
		s.TPS = float64(r.total.ok) / secs
		s.MiBps = float64(r.total.bytes) / secs / (1 << 20)
	}
	if s.Intervals == nil {
		s.Intervals = []Interval{}
	}
	return s
}

func lineHeader(label string, rss bool) string {
	h := fmt.Sprintf("%8s %10s %8s %7s | %-8s %9s %9s %9s %9s %9s", "time(s)", "TPS", "MiB/s", "errors", label+"(ms)", "avg", "p50", "p99", "p999", "max")
	if rss {
		h += fmt.Sprintf(" %9s", "RSS(MiB)")
	}
	return h
}

func formatLine(l *Interval, rss bool) string {
	s := fmt.Sprintf("%8.1f %10.0f %8.2f %7d | %-8s %9.3f %9.3f %9.3f %9.3f %9.3f", l.Second, l.TPS, l.MiBps, l.Errors, "",
		l.Latency.Avg, l.Latency.P50, l.Latency.P99, l.Latency.P999, l.Latency.Max)
	if rss {
		s += fmt.Sprintf(" %9.1f", float64(l.RSSKiB)/1024)
	}
	return s
}

// WriteText prints the summary for people.
func (s *Summary) WriteText(w io.Writer) error {
	var b []byte
	b = fmt.Appendf(b, "--- %s summary (%s client): %d messages in %.1f s", s.Kind, s.Client, s.Messages, s.Seconds)
	if s.Total != s.Messages {
		b = fmt.Appendf(b, " (%d including warm-up)", s.Total)
	}
	b = fmt.Appendf(b, ", %d errors\n", s.Errors)
	b = fmt.Appendf(b, "TPS %.0f, %.2f MiB/s\n", s.TPS, s.MiBps)
	name := "send"
	if s.Kind != "producer" {
		name = "end-to-end"
	}
	b = appendLatency(b, name, &s.Latency)
	if s.Send != nil {
		b = appendLatency(b, "send", s.Send)
	}
	if s.Sent > 0 {
		b = fmt.Appendf(b, "sent %d, received %d\n", s.Sent, s.Total)
	}
	for _, e := range s.ErrorSamples {
		b = fmt.Appendf(b, "error: %s\n", e)
	}
	if s.RSSMaxKiB > 0 {
		b = fmt.Appendf(b, "watched RSS: max %.1f MiB, last %.1f MiB; anonymous (RssAnon) max %.1f MiB\n",
			float64(s.RSSMaxKiB)/1024, float64(s.RSSLastKiB)/1024, float64(s.RSSAnonMaxKiB)/1024)
	}
	_, err := w.Write(b)
	return err
}

func appendLatency(b []byte, name string, l *Latency) []byte {
	return fmt.Appendf(b, "%s latency (ms): avg %.3f  p50 %.3f  p99 %.3f  p999 %.3f  max %.3f  (%d samples)\n",
		name, l.Avg, l.P50, l.P99, l.P999, l.Max, l.Count)
}

// WriteJSON prints the summary as one indented JSON document.
func (s *Summary) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(s)
}

// configMap renders key/value pairs for Summary.Config.
func configMap(kv ...any) map[string]string {
	m := make(map[string]string, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		k := fmt.Sprint(kv[i])
		switch v := kv[i+1].(type) {
		case string:
			m[k] = v
		case int:
			m[k] = strconv.Itoa(v)
		default:
			m[k] = fmt.Sprint(v)
		}
	}
	return m
}
