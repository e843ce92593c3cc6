package bench

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// errNoProc is returned where /proc cannot answer (not Linux, or the
// process is gone).
var errNoProc = errors.New("bench: process information not available")

// ProcessRSS returns the VmRSS of process pid in KiB, read from
// /proc/PID/status (Linux only). VmRSS counts anonymous memory and the
// resident pages of mapped files, such as a broker's commit log.
func ProcessRSS(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, fmt.Errorf("%w: %w", errNoProc, err)
	}
	return parseStatusKiB(b, "VmRSS:")
}

// ProcessRSSAnon returns the RssAnon of process pid in KiB, read from
// /proc/PID/status (Linux only): the resident anonymous memory (heap,
// stacks, a JVM's heap and direct buffers), without the page-cache pages
// of mapped files that VmRSS also counts. It is the figure to compare
// between a Go broker and a JVM broker whose commit logs are both mapped.
func ProcessRSSAnon(pid int) (int64, error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, fmt.Errorf("%w: %w", errNoProc, err)
	}
	return parseStatusKiB(b, "RssAnon:")
}

// processMemory returns VmRSS and RssAnon (KiB) from one read of
// /proc/PID/status.
func processMemory(pid int) (rss, anon int64, err error) {
	b, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/status")
	if err != nil {
		return 0, 0, fmt.Errorf("%w: %w", errNoProc, err)
	}
	if rss, err = parseStatusKiB(b, "VmRSS:"); err != nil {
		return 0, 0, err
	}
	if anon, err = parseStatusKiB(b, "RssAnon:"); err != nil {
		return 0, 0, err
	}
	return rss, anon, nil
}

// parseStatusKiB finds "key   N kB" in a /proc/PID/status text.
func parseStatusKiB(status []byte, key string) (int64, error) {
	for line := range bytes.SplitSeq(status, []byte{'\n'}) {
		if rest, ok := bytes.CutPrefix(line, []byte(key)); ok {
			f := strings.Fields(string(rest))
			if len(f) == 0 {
				break
			}
			return strconv.ParseInt(f[0], 10, 64)
		}
	}
	return 0, fmt.Errorf("%w: no %s line", errNoProc, key)
}

// clockTicks is USER_HZ, the unit of /proc/PID/stat's starttime; it is 100
// on every Linux architecture Go supports.
const clockTicks = 100

// ProcessAge returns how long ago process pid started, from
// /proc/PID/stat's starttime and /proc/uptime (resolution 10 ms).
func ProcessAge(pid int) (time.Duration, error) {
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return 0, fmt.Errorf("%w: %w", errNoProc, err)
	}
	up, err := os.ReadFile("/proc/uptime")
	if err != nil {
		return 0, fmt.Errorf("%w: %w", errNoProc, err)
	}
	return processAge(stat, up)
}

// processAge computes the age from the texts of /proc/PID/stat and
// /proc/uptime.
func processAge(stat, uptime []byte) (time.Duration, error) {
	// The command name (field 2) is in parentheses and may hold spaces;
	// the fields after the last ')' start with field 3 (state).
	i := bytes.LastIndexByte(stat, ')')
	if i < 0 {
		return 0, fmt.Errorf("%w: malformed stat", errNoProc)
	}
	f := strings.Fields(string(stat[i+1:]))
	const startField = 22 - 3 // field 22, counted from field 3
	if len(f) <= startField {
		return 0, fmt.Errorf("%w: short stat", errNoProc)
	}
	ticks, err := strconv.ParseInt(f[startField], 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%w: starttime: %w", errNoProc, err)
	}
	u := strings.Fields(string(uptime))
	if len(u) == 0 {
		return 0, fmt.Errorf("%w: malformed uptime", errNoProc)
	}
	secs, err := strconv.ParseFloat(u[0], 64)
	if err != nil {
		return 0, fmt.Errorf("%w: uptime: %w", errNoProc, err)
	}
	age := time.Duration(secs*float64(time.Second)) - time.Duration(ticks)*time.Second/clockTicks
	return max(age, 0), nil
}
