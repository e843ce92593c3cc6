package bench

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
)

// The side-by-side comparison (bench/compare.sh) leaves one file per broker
// and workload in a directory, named <broker>-<workload>.json (or .log)
// with broker "apache" or "booster". CompareTable reads them back.
// Workloads:
//
//	startup       Startup (FirstSend)
//	rss-idle      {"rss_kib": N, "rss_anon_kib": N}
//	p1k p4k       Summary: 64 sync senders of 1 KiB / 4 KiB, ASYNC_FLUSH
//	async1k       Summary: async sends of 1 KiB
//	backlog       Summary: consumer draining a backlog from the first offset
//	e2e           Summary: RunE2E at a fixed rate
//	gop1k         Summary: as p1k through the official Go client
//	q10k          Summary: 64 sync senders of 1 KiB over a 10,000-queue topic
//	sync-p1k      Summary: as p1k under SYNC_FLUSH
//	ha-async-p1k  Summary: as p1k on an ASYNC_MASTER with one slave
//	ha-sync-p1k   Summary: as p1k on a SYNC_MASTER with one slave
//	apache-producer.log  output of Apache's benchmark Producer (ParseJavaProducerLog)
//	apache-consumer.log  output of Apache's benchmark Consumer (ParseJavaConsumerLog)
//	goclient-producer/*.log  output of rocketmq-client-go's benchmark producer,
//	                         one file per process (ParseGoProducerLog, SumToolReports)
//
// RSS under load is the largest RSSAnonMaxKiB (and RSSMaxKiB) of the
// ASYNC_FLUSH summaries without a slave.

// compareBrokers returns the brokers of a comparison, in column order.
func compareBrokers() [2]string { return [2]string{"apache", "booster"} }

// compareRow is one line of the table: a value per broker.
type compareRow struct {
	label string
	unit  string
	vals  [2]float64 // NaN: missing
	goal  string
}

// toolReport reads <broker>-<name>.log with parse.
func (d *compareData) toolReport(broker, name string, parse func(io.Reader) (ToolReport, bool)) *ToolReport {
	f, err := os.Open(filepath.Join(d.dir, broker+"-"+name+".log"))
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			d.warnings = append(d.warnings, err.Error())
		}
		d.missing = append(d.missing, broker+"-"+name)
		return nil
	}
	defer f.Close()
	rep, ok := parse(f)
	if !ok {
		d.warnings = append(d.warnings, fmt.Sprintf("%s-%s.log: no periodic report (a run shorter than the program's first report?)", broker, name))
		return nil
	}
	if rep.Failed > 0 {
		d.warnings = append(d.warnings, fmt.Sprintf("%s %s: %.0f failed sends", broker, name, rep.Failed))
	}
	return &rep
}

// toolReports reads every <broker>-<name>/*.log with parse and sums the
// reports (SumToolReports).
func (d *compareData) toolReports(broker, name string, parse func(io.Reader) (ToolReport, bool)) *ToolReport {
	files, _ := filepath.Glob(filepath.Join(d.dir, broker+"-"+name, "*.log"))
	if len(files) == 0 {
		d.missing = append(d.missing, broker+"-"+name)
		return nil
	}
	var reps []ToolReport
	for _, fn := range files {
		f, err := os.Open(fn)
		if err != nil {
			d.warnings = append(d.warnings, err.Error())
			continue
		}
		if r, ok := parse(f); ok {
			reps = append(reps, r)
		}
		f.Close()
	}
	if len(reps) == 0 {
		d.warnings = append(d.warnings, fmt.Sprintf("%s-%s: no process reported", broker, name))
		return nil
	}
	if len(reps) < len(files) {
		d.warnings = append(d.warnings, fmt.Sprintf("%s %s: %d of %d processes reported", broker, name, len(reps), len(files)))
	}
	sum := SumToolReports(reps)
	if sum.Failed > 0 {
		d.warnings = append(d.warnings, fmt.Sprintf("%s %s: %.0f failed sends", broker, name, sum.Failed))
	}
	return &sum
}

// compareData holds everything loaded from the directory.
type compareData struct {
	dir      string
	missing  []string
	warnings []string
}

func (d *compareData) summary(broker, name string) *Summary {
	var s Summary
	if !d.load(broker, name, &s) {
		return nil
	}
	if s.Errors > 0 {
		w := fmt.Sprintf("%s %s: %d failed messages (of %d ok)", broker, name, s.Errors, s.Total)
		if len(s.ErrorSamples) > 0 {
			w += ", e.g. " + s.ErrorSamples[0]
		}
		d.warnings = append(d.warnings, w)
	}
	return &s
}

func (d *compareData) load(broker, name string, v any) bool {
	b, err := os.ReadFile(filepath.Join(d.dir, broker+"-"+name+".json"))
	if err != nil {
		if !errors.Is(err, os.ErrNotExist) {
			d.warnings = append(d.warnings, err.Error())
		}
		d.missing = append(d.missing, broker+"-"+name)
		return false
	}
	if err := json.Unmarshal(b, v); err != nil {
		d.warnings = append(d.warnings, fmt.Sprintf("%s-%s.json: %v", broker, name, err))
		return false
	}
	return true
}

// CompareTable prints the comparison table of the results in dir.
func CompareTable(dir string, w io.Writer) error {
	d := &compareData{dir: dir}
	nan := math.NaN()
	tps := func(name string) [2]float64 {
		var v [2]float64
		for i, b := range compareBrokers() {
			v[i] = nan
			if s := d.summary(b, name); s != nil {
				v[i] = s.TPS
			}
		}
		return v
	}
	p99 := func(name string) [2]float64 {
		var v [2]float64
		for i, b := range compareBrokers() {
			v[i] = nan
			if s := d.summary(b, name); s != nil && s.Latency.Count > 0 {
				v[i] = s.Latency.P99
			}
		}
		return v
	}
	backlog := "backlog"
	for _, b := range compareBrokers() {
		if s := d.summary(b, "backlog"); s != nil && s.Config["count"] != "" {
			backlog = "backlog of " + s.Config["count"]
			break
		}
	}
	many := "many queues"
	for _, b := range compareBrokers() {
		if s := d.summary(b, "q10k"); s != nil && s.Config["queues"] != "" {
			many = s.Config["queues"] + " queues"
			break
		}
	}
	rate := ""
	for _, b := range compareBrokers() {
		if s := d.summary(b, "e2e"); s != nil && s.Config["rate"] != "" {
			rate = " at " + s.Config["rate"] + " msg/s"
			break
		}
	}
	tool := func(name string, parse func(io.Reader) (ToolReport, bool), field func(*ToolReport) float64) [2]float64 {
		var v [2]float64
		for i, b := range compareBrokers() {
			v[i] = nan
			if r := d.toolReport(b, name, parse); r != nil {
				v[i] = field(r)
			}
		}
		return v
	}
	tools := func(name string, parse func(io.Reader) (ToolReport, bool), field func(*ToolReport) float64) [2]float64 {
		var v [2]float64
		for i, b := range compareBrokers() {
			v[i] = nan
			if r := d.toolReports(b, name, parse); r != nil {
				v[i] = field(r)
			}
		}
		return v
	}
	toolTPS := func(r *ToolReport) float64 { return r.TPS }
	toolAvg := func(r *ToolReport) float64 { return r.AvgMillis }
	var syncRatio, haRatio, rssIdle, anonIdle, rssLoad, anonLoad, startup [2]float64
	async1, sync1 := tps("p1k"), tps("sync-p1k")
	haAsync, haSync := tps("ha-async-p1k"), tps("ha-sync-p1k")
	for i, b := range compareBrokers() {
		syncRatio[i] = sync1[i] / async1[i]
		haRatio[i] = haSync[i] / haAsync[i]
		rssIdle[i], anonIdle[i], rssLoad[i], anonLoad[i], startup[i] = nan, nan, nan, nan, nan
		var idle struct {
			RSSKiB     int64 `json:"rss_kib"`
			RSSAnonKiB int64 `json:"rss_anon_kib"`
		}
		if d.load(b, "rss-idle", &idle) {
			rssIdle[i] = float64(idle.RSSKiB) / 1024
			if idle.RSSAnonKiB > 0 {
				anonIdle[i] = float64(idle.RSSAnonKiB) / 1024
			}
		}
		for _, name := range []string{"p1k", "p4k", "async1k", "backlog", "e2e", "gop1k", "q10k"} {
			if s := d.summary(b, name); s != nil {
				rssLoad[i] = maxKnown(rssLoad[i], s.RSSMaxKiB)
				anonLoad[i] = maxKnown(anonLoad[i], s.RSSAnonMaxKiB)
			}
		}
		var st Startup
		if d.load(b, "startup", &st) {
			startup[i] = st.Millis
		}
	}
	rows := []compareRow{
		{label: "produce 1 KiB, 64 sync senders", unit: "msg/s", vals: tps("p1k"), goal: ">= 2x"},
		{label: "  p99 send latency", unit: "ms", vals: p99("p1k"), goal: "<= 0.5x"},
		{label: "produce 4 KiB, 64 sync senders", unit: "msg/s", vals: tps("p4k"), goal: ">= 2x"},
		{label: "  p99 send latency", unit: "ms", vals: p99("p4k"), goal: "<= 0.5x"},
		{label: "async send 1 KiB", unit: "msg/s", vals: tps("async1k"), goal: ">= 2x"},
		{label: "  p99 send latency", unit: "ms", vals: p99("async1k"), goal: "<= 0.5x"},
		{label: "consume from a " + backlog, unit: "msg/s", vals: tps("backlog"), goal: ">= 2x"},
		{label: "end-to-end p99" + rate, unit: "ms", vals: p99("e2e"), goal: "<= 0.5x"},
		{label: "  delivered", unit: "msg/s", vals: tps("e2e"), goal: ""},
		{label: many + ", 1 KiB, 64 sync senders", unit: "msg/s", vals: tps("q10k"), goal: ">= 2x"},
		{label: "  p99 send latency", unit: "ms", vals: p99("q10k"), goal: "<= 0.5x"},
		{label: "SYNC_FLUSH 1 KiB, 64 sync senders", unit: "msg/s", vals: sync1, goal: ">= 2x"},
		{label: "  p99 send latency", unit: "ms", vals: p99("sync-p1k"), goal: "<= 0.5x"},
		{label: "SYNC_FLUSH / ASYNC_FLUSH throughput", unit: "ratio", vals: syncRatio, goal: "Booster >= 0.5"},
		{label: "ASYNC_MASTER + 1 slave, 1 KiB, 64 sync senders", unit: "msg/s", vals: haAsync, goal: ">= 2x"},
		{label: "SYNC_MASTER + 1 slave, 1 KiB, 64 sync senders", unit: "msg/s", vals: haSync, goal: ">= 2x"},
		{label: "  p99 send latency", unit: "ms", vals: p99("ha-sync-p1k"), goal: "<= 0.5x"},
		{label: "SYNC_MASTER / ASYNC_MASTER throughput", unit: "ratio", vals: haRatio, goal: "Booster >= 0.5"},
		{label: "Go client (bench --client=go), 1 KiB, 64 sync", unit: "msg/s", vals: tps("gop1k"), goal: ">= 2x"},
		{label: "  p99 send latency", unit: "ms", vals: p99("gop1k"), goal: "<= 0.5x"},
		{label: "Apache benchmark Producer, 1 KiB, 64 threads", unit: "msg/s",
			vals: tool("apache-producer", ParseJavaProducerLog, toolTPS), goal: ">= 2x"},
		{label: "  average send RT", unit: "ms", vals: tool("apache-producer", ParseJavaProducerLog, toolAvg), goal: "<= 0.5x"},
		{label: "Apache benchmark Consumer (during the Producer)", unit: "msg/s",
			vals: tool("apache-consumer", ParseJavaConsumerLog, toolTPS), goal: ""},
		{label: "Go client benchmark producer, 1000 B, 64 procs", unit: "msg/s",
			vals: tools("goclient-producer", ParseGoProducerLog, toolTPS), goal: ">= 2x"},
		{label: "  average send RT", unit: "ms", vals: tools("goclient-producer", ParseGoProducerLog, toolAvg), goal: "<= 0.5x"},
		{label: "broker RssAnon idle (anonymous memory)", unit: "MiB", vals: anonIdle, goal: ""},
		{label: "broker RssAnon under load (peak)", unit: "MiB", vals: anonLoad, goal: "<= 0.1x"},
		{label: "broker VmRSS idle (with mapped files)", unit: "MiB", vals: rssIdle, goal: ""},
		{label: "broker VmRSS under load (peak, with mapped files)", unit: "MiB", vals: rssLoad, goal: ""},
		{label: "broker start to first send", unit: "ms", vals: startup, goal: "Booster < 100 ms"},
	}
	writeCompareTable(w, rows)
	// A file is read once per row that uses it; report each problem once.
	seen := map[string]bool{}
	var notes []string
	for _, b := range compareBrokers() {
		var names []string
		for _, m := range d.missing {
			if name, ok := strings.CutPrefix(m, b+"-"); ok && !seen["m"+m] {
				seen["m"+m] = true
				names = append(names, name)
			}
		}
		if len(names) > 0 {
			notes = append(notes, fmt.Sprintf("missing %s results: %s", b, strings.Join(names, ", ")))
		}
	}
	for _, m := range d.warnings {
		if !seen["w"+m] {
			seen["w"+m] = true
			notes = append(notes, "warning: "+m)
		}
	}
	for _, n := range notes {
		if _, err := fmt.Fprintln(w, n); err != nil {
			return err
		}
	}
	return nil
}

// maxKnown returns the larger of cur (NaN: none yet) and kib in MiB; a
// zero kib (not sampled) leaves cur alone.
func maxKnown(cur float64, kib int64) float64 {
	if kib <= 0 {
		return cur
	}
	v := float64(kib) / 1024
	if math.IsNaN(cur) || v > cur {
		return v
	}
	return cur
}

func formatValue(v float64, unit string) string {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return "n/a"
	case unit == "ratio":
		return fmt.Sprintf("%.2f", v)
	case unit == "msg/s" || v >= 1000:
		return fmt.Sprintf("%.0f", v)
	case v >= 10:
		return fmt.Sprintf("%.1f", v)
	default:
		return fmt.Sprintf("%.2f", v)
	}
}

func writeCompareTable(w io.Writer, rows []compareRow) {
	var b strings.Builder
	fmt.Fprintf(&b, "%-50s %-6s %12s %12s %15s  %s\n", "workload", "unit", "Apache", "Booster", "Booster/Apache", "goal")
	fmt.Fprintf(&b, "%s\n", strings.Repeat("-", 50+1+6+1+12+1+12+1+15+2+16))
	for _, r := range rows {
		ratio := r.vals[1] / r.vals[0]
		rs := "n/a"
		if !math.IsNaN(ratio) && !math.IsInf(ratio, 0) {
			rs = fmt.Sprintf("%.2fx", ratio)
		}
		fmt.Fprintf(&b, "%-50s %-6s %12s %12s %15s  %s\n", r.label, r.unit,
			formatValue(r.vals[0], r.unit), formatValue(r.vals[1], r.unit), rs, r.goal)
	}
	_, _ = io.WriteString(w, b.String())
}
