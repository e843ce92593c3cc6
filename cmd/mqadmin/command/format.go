package command

// Java formatting helpers: the exact text Apache's SubCommands print.

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/booster-mq/booster/compat"
)

// frontStringAtLeast is UtilAll.frontStringAtLeast: s cut to size
// characters.
func frontStringAtLeast(s string, size int) string {
	r := []rune(s)
	if len(r) > size {
		return string(r[:size])
	}
	return s
}

// humanTime2 is UtilAll.timeMillisToHumanString2: "2006-01-02 15:04:05,000"
// in local time.
func humanTime2(ms int64) string {
	return time.UnixMilli(ms).Format("2006-01-02 15:04:05,000")
}

// formatDate is UtilAll.formatDate with YYYY_MM_DD_HH_MM_SS.
func formatDate(ms int64) string {
	return time.UnixMilli(ms).Format("2006-01-02 15:04:05")
}

// javaBool is Boolean.parseBoolean.
func javaBool(s string) bool { return strings.EqualFold(strings.TrimSpace(s), "true") }

// parseTimestamp is PrintMessageSubCommand.timestampFormat: milliseconds,
// or "yyyy-MM-dd#HH:mm:ss:SSS" in local time.
func parseTimestamp(s string) (int64, error) {
	s = strings.TrimSpace(s)
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return ms, nil
	}
	bad := fmt.Errorf("timestamp %q is neither milliseconds nor yyyy-MM-dd#HH:mm:ss:SSS", s)
	i := strings.LastIndexByte(s, ':')
	if i < 0 {
		return 0, bad
	}
	ms, err := strconv.Atoi(s[i+1:])
	if err != nil || ms < 0 || ms > 999 {
		return 0, bad
	}
	t, err := time.ParseInLocation("2006-01-02#15:04:05", s[:i], time.Local)
	if err != nil {
		return 0, bad
	}
	return t.UnixMilli() + int64(ms), nil
}

// perm2String is PermName.perm2String: "RWX" with '-' for missing bits.
func perm2String(perm int) string {
	b := []byte("---")
	if perm&compat.PermRead != 0 {
		b[0] = 'R'
	}
	if perm&compat.PermWrite != 0 {
		b[1] = 'W'
	}
	if perm&compat.PermInherit != 0 {
		b[2] = 'X'
	}
	return string(b)
}

// javaHashOrder returns keys (distinct, in insertion order) in the order a
// java.util.HashMap of the given initial capacity iterates them: by bucket
// (spread String.hashCode & (table size - 1)), insertion order within a
// bucket. The table doubles past 3/4 full, as Java's does.
func javaHashOrder(keys []string, capacity int) []string {
	n := 1
	for n < capacity {
		n <<= 1
	}
	for len(keys) > n*3/4 {
		n <<= 1
	}
	bucket := func(k string) int {
		h := uint32(compat.JavaStringHash(k))
		return int((h ^ h>>16) & uint32(n-1))
	}
	out := append([]string(nil), keys...)
	sort.SliceStable(out, func(i, j int) bool { return bucket(out[i]) < bucket(out[j]) })
	return out
}

// javaMapString renders a map as Java's AbstractMap.toString ("{k=v, k2=v2}")
// with keys in the given order.
func javaMapString(keys []string, m map[string]string) string {
	var sb strings.Builder
	sb.WriteByte('{')
	for i, k := range keys {
		if i > 0 {
			sb.WriteString(", ")
		}
		sb.WriteString(k)
		sb.WriteByte('=')
		sb.WriteString(m[k])
	}
	sb.WriteByte('}')
	return sb.String()
}

// javaDouble is Double.toString for the values mqadmin prints.
func javaDouble(f float64) string {
	if f == float64(int64(f)) && f < 1e7 && f > -1e7 {
		return strconv.FormatInt(int64(f), 10) + ".0"
	}
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// versionDesc is MQVersion.getVersionDesc.
func versionDesc(v int) string { return compat.VersionDesc(v) }

// humanTime is UtilAll.timeMillisToHumanString: "yyyyMMddHHmmssSSS" in
// local time.
func humanTime(ms int64) string {
	t := time.UnixMilli(ms)
	return t.Format("20060102150405") + fmt.Sprintf("%03d", t.Nanosecond()/int(time.Millisecond))
}

// javaFixed is Java's String.format("%.<prec>f", f): the shortest decimal
// that reads back as f, rounded half up (Go's %f rounds the exact binary
// value instead, so 0.125 gives 0.12 where Java prints 0.13).
func javaFixed(f float64, prec int) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "Infinity"
	case math.IsInf(f, -1):
		return "-Infinity"
	}
	s := strconv.FormatFloat(math.Abs(f), 'f', -1, 64)
	whole, frac, _ := strings.Cut(s, ".")
	for len(frac) <= prec {
		frac += "0"
	}
	digits := []byte(whole + frac[:prec])
	if frac[prec] >= '5' {
		i := len(digits) - 1
		for ; i >= 0 && digits[i] == '9'; i-- {
			digits[i] = '0'
		}
		if i < 0 {
			digits = append([]byte{'1'}, digits...)
		} else {
			digits[i]++
		}
	}
	n := len(digits) - prec
	out := string(digits[:n])
	if prec > 0 {
		out += "." + string(digits[n:])
	}
	if math.Signbit(f) {
		out = "-" + out
	}
	return out
}
