package store

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func TestProgressReportsEachIntervalAndEnd(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	p := startProgress(log, "scanning commit log", "bytes", 400)
	p.add(100) // inside the first interval: quiet
	if buf.Len() != 0 {
		t.Fatalf("logged before an interval passed: %s", buf.String())
	}
	p.next = time.Now().Add(-time.Millisecond)
	p.add(100)
	p.end()
	out := buf.String()
	for _, want := range []string{"msg=\"scanning commit log\"", "done=200", "total=400", "percent=50", "msg=\"scanning commit log done\""} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
}

func TestProgressQuickOperationIsQuietAtInfo(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelInfo}))
	p := startProgress(log, "loading consume queues", "topics", 3)
	p.add(3)
	p.end()
	if buf.Len() != 0 {
		t.Fatalf("a quick operation logged at info: %s", buf.String())
	}
}
