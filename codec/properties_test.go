package codec

import (
	"maps"
	"testing"
)

func TestParseProperties(t *testing.T) {
	cases := []struct {
		in   string
		want map[string]string
	}{
		{"", map[string]string{}},
		{"KEYS\x01k1 k2\x02TAGS\x01TagA\x02", map[string]string{"KEYS": "k1 k2", "TAGS": "TagA"}},
		// No trailing separator.
		{"a\x01b", map[string]string{"a": "b"}},
		// Short segments, empty keys and empty values are dropped.
		{"\x02\x02a\x02\x01b\x02c\x01\x02x\x01yz\x02", map[string]string{"x": "yz"}},
		// Split at the first \x01: the value keeps the rest.
		{"k\x01v\x01w\x02", map[string]string{"k": "v\x01w"}},
		// The last duplicate wins.
		{"k\x01one\x02k\x01two\x02", map[string]string{"k": "two"}},
		// No separator at all.
		{"abc\x02", map[string]string{}},
	}
	for _, c := range cases {
		got := ParseProperties(c.in)
		if got == nil || !maps.Equal(got, c.want) {
			t.Errorf("ParseProperties(%q) = %q, want %q", c.in, got, c.want)
		}
		for k, v := range c.want {
			if pv, ok := PropertyValue(c.in, k); !ok || pv != v {
				t.Errorf("PropertyValue(%q, %q) = %q, %v", c.in, k, pv, ok)
			}
		}
	}
	if _, ok := PropertyValue("c\x01\x02", "c"); ok {
		t.Error("empty value found")
	}
}

func TestEncodeProperties(t *testing.T) {
	m := map[string]string{"WAIT": "true", "KEYS": "a b", "TAGS": "t"}
	want := "KEYS\x01a b\x02TAGS\x01t\x02WAIT\x01true\x02"
	if got := EncodeProperties(m); got != want {
		t.Fatalf("got %q", got)
	}
	if got := EncodeProperties(nil); got != "" {
		t.Fatalf("nil map: %q", got)
	}
	if got := string(AppendProperty([]byte("x"), PropertyCluster, "DefaultCluster")); got != "xCLUSTER\x01DefaultCluster\x02" {
		t.Fatalf("AppendProperty: %q", got)
	}
}

func TestRemoveProperties(t *testing.T) {
	s := "DELAY\x013\x02KEYS\x01k\x02TIMER_DELIVER_MS\x0199\x02"
	if got := RemoveProperties(s, PropertyDelayLevel, PropertyTimerDeliverMS); got != "KEYS\x01k\x02" {
		t.Fatalf("got %q", got)
	}
	if got := RemoveProperties(s, "ABSENT"); got != s {
		t.Fatalf("unchanged string rewritten: %q", got)
	}
}

func TestPropertyValueAllocs(t *testing.T) {
	s := "KEYS\x01k1\x02TAGS\x01TagA\x02UNIQ_KEY\x01ABC\x02"
	if n := testing.AllocsPerRun(100, func() { _, _ = PropertyValue(s, PropertyUniqKey) }); n != 0 {
		t.Fatalf("PropertyValue allocates %v times", n)
	}
}

func FuzzParseProperties(f *testing.F) {
	f.Add("KEYS\x01k1 k2\x02TAGS\x01TagA\x02")
	f.Add("k\x01v\x01w\x02\x02\x01x\x02")
	f.Add("")
	f.Fuzz(func(t *testing.T, s string) {
		m := ParseProperties(s)
		for k, v := range m {
			if pv, ok := PropertyValue(s, k); !ok || pv != v {
				t.Fatalf("PropertyValue(%q) = %q, %v; map has %q", k, pv, ok, v)
			}
		}
		enc := EncodeProperties(m)
		m2 := ParseProperties(enc)
		if !maps.Equal(m, m2) {
			t.Fatalf("decode(encode(m)) = %q, want %q", m2, m)
		}
		if EncodeProperties(m2) != enc {
			t.Fatal("encoding not stable")
		}
	})
}

// BenchmarkPropertyValue looks up a key a Go client's message carries and
// one it does not.
func BenchmarkPropertyValue(b *testing.B) {
	props := EncodeProperties(map[string]string{
		PropertyUniqKey: "7F0000010001175A5A1E3F0A2B3C0000", PropertyTags: "TagA", PropertyKeys: "order-42",
		PropertyWaitStoreMsgOK: "true", "MSGREGION": "DefaultRegion", "TRACE_ON": "true",
	})
	for b.Loop() {
		if _, ok := PropertyValue(props, PropertyTags); !ok {
			b.Fatal("no tags")
		}
		if _, ok := PropertyValue(props, PropertyTimerDeliverMS); ok {
			b.Fatal("timer")
		}
	}
}
