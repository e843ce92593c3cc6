package compat

import (
	"strings"
	"testing"
)

// FuzzReadProperties feeds broker.conf text to the Java-properties reader:
// no panic, line numbers rise, and the pairs it reads, written back with
// WriteProperties, read back the same when nothing in them needs escaping.
func FuzzReadProperties(f *testing.F) {
	f.Add("brokerClusterName=DefaultCluster\nbrokerName = broker-a\n# comment\n! bang\nlistenPort:10911\n")
	f.Add("key\\\n  continued=va\\\n lue\nescaped\\ key=\\u0041\\t\\n\\\\\n  \n\tspaced value here")
	f.Add("namesrvAddr=127.0.0.1:9876;127.0.0.2:9876\r\nmessageDelayLevel=1s 5s 10s\r\n")
	f.Add("a=\\u00\nb=\\\\\\\n")
	f.Fuzz(func(t *testing.T, text string) {
		props, err := ReadProperties(strings.NewReader(text))
		if err != nil {
			return
		}
		last := 0
		plain := true
		for _, p := range props {
			if p.Line < last || p.Line < 1 {
				t.Fatalf("line %d after %d", p.Line, last)
			}
			last = p.Line
			if p.Key == "" || strings.ContainsAny(p.Key+p.Value, "\\\n\r\t\f =:#!") || strings.ContainsAny(p.Value[:min(1, len(p.Value))], " ") {
				plain = false
			}
		}
		if !plain {
			return
		}
		var sb strings.Builder
		if err := WriteProperties(&sb, props); err != nil {
			t.Fatal(err)
		}
		again, err := ReadProperties(strings.NewReader(sb.String()))
		if err != nil || len(again) != len(props) {
			t.Fatalf("re-read %q: %d pairs, %v; want %d", sb.String(), len(again), err, len(props))
		}
		for i := range props {
			if again[i].Key != props[i].Key || again[i].Value != props[i].Value {
				t.Fatalf("pair %d: %q=%q, re-read %q=%q", i, props[i].Key, props[i].Value, again[i].Key, again[i].Value)
			}
		}
	})
}
