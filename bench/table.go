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

// The side-by-side comparison (bench/compare.sh) leaves one JSON file per
// broker and workload in a directory, named <broker>-<workload>.json with
// broker "apache" or "booster". CompareTable reads them back. Workloads:
//
//	startup       Startup (FirstSend)
//	rss-idle      {"rss_kib": N}
//	p1k p4k       Summary: 64 sync senders of 1 KiB / 4 KiB, ASYNC_FLUSH
//	async1k       Summary: async sends of 1 KiB
//	backlog       Summary: consumer draining a backlog from the first offset
//	e2e           Summary: RunE2E at a fixed rate
//	q10k          Summary: 64 sync senders of 1 KiB over a 10,000-queue topic
//	sync-p1k      Summary: as p1k under SYNC_FLUSH
//
// RSS under load is the largest RSSMaxKiB of the ASYNC_FLUSH summaries.

// compareBrokers returns the brokers of a comparison, in column order.
func compareBrokers() [2]string { return [2]string{"apache", "booster"} }

// compareRow is one line of the table: a value per broker.
type compareRow struct {
	label string
	unit  string
	vals  [2]float64 // NaN: missing
	goal  string
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
	var syncRatio, rssIdle, rssLoad, startup [2]float64
	async1, sync1 := tps("p1k"), tps("sync-p1k")
	for i, b := range compareBrokers() {
		syncRatio[i] = sync1[i] / async1[i]
		rssIdle[i], rssLoad[i], startup[i] = nan, nan, nan
		var idle struct {
			RSSKiB int64 `json:"rss_kib"`
		}
		if d.load(b, "rss-idle", &idle) {
			rssIdle[i] = float64(idle.RSSKiB) / 1024
		}
		for _, name := range []string{"p1k", "p4k", "async1k", "backlog", "e2e", "q10k"} {
			if s := d.summary(b, name); s != nil && s.RSSMaxKiB > 0 {
				if math.IsNaN(rssLoad[i]) || float64(s.RSSMaxKiB)/1024 > rssLoad[i] {
					rssLoad[i] = float64(s.RSSMaxKiB) / 1024
				}
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
		{label: "broker RSS idle", unit: "MiB", vals: rssIdle, goal: ""},
		{label: "broker RSS under load (peak)", unit: "MiB", vals: rssLoad, goal: "<= 0.1x"},
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
	fmt.Fprintf(&b, "%-46s %-6s %12s %12s %15s  %s\n", "workload", "unit", "Apache", "Booster", "Booster/Apache", "goal")
	fmt.Fprintf(&b, "%s\n", strings.Repeat("-", 46+1+6+1+12+1+12+1+15+2+16))
	for _, r := range rows {
		ratio := r.vals[1] / r.vals[0]
		rs := "n/a"
		if !math.IsNaN(ratio) && !math.IsInf(ratio, 0) {
			rs = fmt.Sprintf("%.2fx", ratio)
		}
		fmt.Fprintf(&b, "%-46s %-6s %12s %12s %15s  %s\n", r.label, r.unit,
			formatValue(r.vals[0], r.unit), formatValue(r.vals[1], r.unit), rs, r.goal)
	}
	_, _ = io.WriteString(w, b.String())
}
