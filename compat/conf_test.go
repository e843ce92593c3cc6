package compat

import (
	"reflect"
	"testing"
	"time"
)

// confInner is embedded in confProbe: its keys are confProbe's.
type confInner struct {
	E int `conf:"e"`
}

// confProbe has one field of every kind SetConf handles.
type confProbe struct {
	confInner
	S  string        `conf:"s"`
	B  bool          `conf:"b"`
	I  int           `conf:"i"`
	I3 int32         `conf:"i32"`
	I6 int64         `conf:"i64"`
	D  time.Duration `conf:"d"`
	F  float64       `conf:"f"`
}

func TestSetConfRejectsOverflow(t *testing.T) {
	for key, v := range map[string]string{"i32": "2147483648", "d": "9223372036854775807", "i64": "9223372036854775808"} {
		var p confProbe
		if known, err := SetConf(&p, key, v); !known || err == nil {
			t.Errorf("SetConf(%s=%s) = %v, %v; want an error (got %+v)", key, v, known, err, p)
		}
	}
	var p confProbe
	if _, err := SetConf(&p, "d", "1500"); err != nil || p.D != 1500*time.Millisecond {
		t.Fatalf("d=1500: %v %v", p.D, err)
	}
	if known, err := SetConf(&p, "e", "7"); !known || err != nil || p.E != 7 {
		t.Fatalf("embedded e=7: %v %v %+v", known, err, p)
	}
	if props := ConfProperties(&p); props[0].Key != "e" || props[0].Value != "7" || len(props) != 8 {
		t.Fatalf("ConfProperties: %+v", props)
	}
}

// FuzzSetConf sets one key of every kind from fuzzed text: no panic, and a
// value it accepts, printed back by ConfProperties, sets the same value
// again (what GET_BROKER_CONFIG shows is what the broker runs with).
func FuzzSetConf(f *testing.F) {
	for _, v := range []string{"true", "FALSE", "1", " 42 ", "-1", "2147483648", "9223372036854775807", "1e3", "NaN", "0x10", "", "abc"} {
		f.Add(uint8(0), v)
	}
	keys := []string{"s", "b", "i", "i32", "i64", "d", "f", "e"}
	f.Fuzz(func(t *testing.T, k uint8, value string) {
		key := keys[int(k)%len(keys)]
		var p confProbe
		known, err := SetConf(&p, key, value)
		if !known {
			t.Fatalf("key %s unknown", key)
		}
		if err != nil {
			return
		}
		var printed string
		for _, pr := range ConfProperties(&p) {
			if pr.Key == key {
				printed = pr.Value
			}
		}
		var q confProbe
		if _, err := SetConf(&q, key, printed); err != nil {
			t.Fatalf("%s=%q printed as %q, which does not set: %v", key, value, printed, err)
		}
		if !reflect.DeepEqual(p, q) && !(key == "f" && p.F != p.F) {
			t.Fatalf("%s=%q gives %+v; printed %q gives %+v", key, value, p, printed, q)
		}
	})
}
