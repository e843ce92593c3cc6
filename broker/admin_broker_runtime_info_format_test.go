package broker

import (
	"testing"
	"time"
)

// runtime reads as Java's MessageFormat writes it.
func TestFormatRuntime(t *testing.T) {
	for _, c := range []struct {
		d    time.Duration
		want string
	}{
		{0, "[ 0 days, 0 hours, 0 minutes, 0 seconds ]"},
		{3*time.Minute + 26*time.Second + 900*time.Millisecond, "[ 0 days, 0 hours, 3 minutes, 26 seconds ]"},
		{1234*24*time.Hour + 5*time.Hour, "[ 1,234 days, 5 hours, 0 minutes, 0 seconds ]"},
	} {
		if got := formatRuntime(c.d); got != c.want {
			t.Errorf("formatRuntime(%v) = %q, want %q", c.d, got, c.want)
		}
	}
}
