package ha

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestCatchUpLogsStartProgressAndEnd(t *testing.T) {
	var buf bytes.Buffer
	p := catchUp{log: slog.New(slog.NewTextHandler(&buf, nil)), remote: "10.0.0.3:40000"}
	t0 := time.Now()
	p.report(0, 100<<20, t0)                         // 100 MiB behind: starts
	p.report(10<<20, 100<<20, t0.Add(time.Second))   // inside the interval: quiet
	p.report(50<<20, 100<<20, t0.Add(3*time.Second)) // half way
	p.report(100<<20, 100<<20, t0.Add(5*time.Second))
	p.report(100<<20, 100<<20, t0.Add(9*time.Second)) // in step: quiet
	out := buf.String()
	if n := strings.Count(out, "msg=\"slave catching up\""); n != 2 {
		t.Fatalf("%d progress lines, want 2:\n%s", n, out)
	}
	for _, want := range []string{"percent=50", "msg=\"slave caught up\"", "copied=104857600", "elapsed=5s"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %s:\n%s", want, out)
		}
	}
}

func TestCatchUpQuietWhenInStep(t *testing.T) {
	var buf bytes.Buffer
	p := catchUp{log: slog.New(slog.NewTextHandler(&buf, nil))}
	for i := range 100 {
		p.report(int64(i)<<20, int64(i)<<20+4096, time.Now())
	}
	if buf.Len() != 0 {
		t.Fatalf("logged a slave that keeps up:\n%s", buf.String())
	}
}
