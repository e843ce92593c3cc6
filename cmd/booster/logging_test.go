package main

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

func TestNewLoggerLevelsAndFormats(t *testing.T) {
	var buf bytes.Buffer
	log, err := newLogger(&buf, "WARN", "json")
	if err != nil {
		t.Fatal(err)
	}
	log.Info("hidden")
	log.Warn("shown", "topic", "T")
	var rec map[string]any
	if err := json.Unmarshal(bytes.TrimSpace(buf.Bytes()), &rec); err != nil {
		t.Fatalf("not one JSON line: %q: %v", buf.String(), err)
	}
	if rec["msg"] != "shown" || rec["level"] != "WARN" || rec["topic"] != "T" {
		t.Fatalf("record %v", rec)
	}

	buf.Reset()
	log, err = newLogger(&buf, "debug", "text")
	if err != nil {
		t.Fatal(err)
	}
	log.Debug("detail", "n", 1)
	if !strings.Contains(buf.String(), "level=DEBUG msg=detail n=1") {
		t.Fatalf("text line %q", buf.String())
	}

	for _, bad := range [][2]string{{"loud", "text"}, {"info", "xml"}} {
		if _, err := newLogger(&buf, bad[0], bad[1]); err == nil {
			t.Errorf("newLogger(%q, %q) accepted", bad[0], bad[1])
		}
	}
}
