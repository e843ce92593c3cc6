package bench

import (
	"bufio"
	"io"
	"regexp"
	"strconv"
	"strings"
)

// Other programs' benchmark logs, read by CompareTable. Each program
// reports over a sliding window of its last ten one-second snapshots
// (about 9 s), so the last report of a run is its steady state:
//
//	Apache's org.apache.rocketmq.example.benchmark.Producer (-ri 1000):
//	  Current Time: ... | Send TPS: 41234 | Max RT(ms): 210 | Average RT(ms):   1.523 | Send Failed: 0 | Response Failed: 0
//	Apache's org.apache.rocketmq.example.benchmark.Consumer (-ri 1000):
//	  Current Time: ... | Consume TPS: 40999 | AVG(B2C) RT(ms):   3.101 | AVG(S2C) RT(ms):   2.950 | MAX(B2C) RT(ms): 88 | ...
//	rocketmq-client-go's benchmark program, `producer` command (a logrus
//	line every 10 s and one when it is stopped):
//	  time="..." level=info msg="Benchmark Producer Snapshot" averageRt=1.52 maxRt=210 responseFailed=0 sendFailed=0 sendTps=41234 total=400000

// ToolReport is the last periodic report found in a benchmark program's
// log.
type ToolReport struct {
	// TPS is the send TPS (producers) or consume TPS (consumers).
	TPS float64
	// AvgMillis is the average send RT (producers) or the average
	// born-to-consume time (Apache's Consumer), in ms.
	AvgMillis float64
	// MaxMillis is the largest RT the program saw, in ms (producers).
	MaxMillis float64
	// Failed counts the failed sends of the last report.
	Failed float64
	// Reports counts the periodic reports in the log.
	Reports int
}

var (
	javaProducerLine = regexp.MustCompile(`Send TPS: (\d+) \| Max RT\(ms\): (\d+) \| Average RT\(ms\):\s*([0-9.,NaN]+) \| Send Failed: (\d+)`)
	javaConsumerLine = regexp.MustCompile(`Consume TPS: (\d+) \| AVG\(B2C\) RT\(ms\):\s*([0-9.,NaN]+)`)
	goProducerLine   = regexp.MustCompile(`Benchmark Producer Snapshot`)
	logrusField      = regexp.MustCompile(`\b(\w+)=("[^"]*"|\S+)`)
)

// toolNumber parses a number as Java's or logrus' formatting prints it
// (a decimal comma under some locales, NaN when nothing was sent).
func toolNumber(s string) float64 {
	v, err := strconv.ParseFloat(strings.ReplaceAll(strings.Trim(s, `"`), ",", "."), 64)
	if err != nil {
		return 0
	}
	return v
}

// ParseJavaProducerLog reads the output of Apache's benchmark Producer and
// returns its last report; ok is false when the log has none (a run
// shorter than the ten snapshots the first report needs).
func ParseJavaProducerLog(r io.Reader) (rep ToolReport, ok bool) {
	return lastToolReport(r, func(line string, rep *ToolReport) bool {
		m := javaProducerLine.FindStringSubmatch(line)
		if m == nil {
			return false
		}
		*rep = ToolReport{TPS: toolNumber(m[1]), MaxMillis: toolNumber(m[2]), AvgMillis: toolNumber(m[3]), Failed: toolNumber(m[4])}
		return true
	})
}

// ParseJavaConsumerLog reads the output of Apache's benchmark Consumer and
// returns its last report.
func ParseJavaConsumerLog(r io.Reader) (rep ToolReport, ok bool) {
	return lastToolReport(r, func(line string, rep *ToolReport) bool {
		m := javaConsumerLine.FindStringSubmatch(line)
		if m == nil {
			return false
		}
		*rep = ToolReport{TPS: toolNumber(m[1]), AvgMillis: toolNumber(m[2])}
		return true
	})
}

// ParseGoProducerLog reads the output of rocketmq-client-go's benchmark
// program (`producer` command) and returns its last snapshot.
func ParseGoProducerLog(r io.Reader) (rep ToolReport, ok bool) {
	return lastToolReport(r, func(line string, rep *ToolReport) bool {
		if !goProducerLine.MatchString(line) {
			return false
		}
		*rep = ToolReport{}
		for _, m := range logrusField.FindAllStringSubmatch(line, -1) {
			switch m[1] {
			case "sendTps":
				rep.TPS = toolNumber(m[2])
			case "averageRt":
				rep.AvgMillis = toolNumber(m[2])
			case "maxRt":
				rep.MaxMillis = toolNumber(m[2])
			case "sendFailed":
				rep.Failed = toolNumber(m[2])
			}
		}
		return true
	})
}

// lastToolReport returns the last line that parse accepts.
func lastToolReport(r io.Reader, parse func(string, *ToolReport) bool) (ToolReport, bool) {
	var last ToolReport
	n := 0
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var rep ToolReport
		if parse(sc.Text(), &rep) {
			last = rep
			n++
		}
	}
	last.Reports = n
	return last, n > 0
}

// SumToolReports combines the last reports of several processes that ran
// side by side over the same span (one sender each): the TPS and failures
// add up, the average RT is weighted by each process's TPS, and the max
// RT is the largest. Reports counts the processes.
func SumToolReports(reps []ToolReport) ToolReport {
	var sum ToolReport
	var weighted float64
	for _, r := range reps {
		sum.TPS += r.TPS
		sum.Failed += r.Failed
		sum.MaxMillis = max(sum.MaxMillis, r.MaxMillis)
		if r.TPS > 0 {
			weighted += r.AvgMillis * r.TPS
		}
	}
	if sum.TPS > 0 {
		sum.AvgMillis = weighted / sum.TPS
	}
	sum.Reports = len(reps)
	return sum
}
