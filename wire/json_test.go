package wire

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
)

// jsonHeaderSeeds are header shapes real clients send (see testdata/fuzz
// for frames captured from the official Go client).
var jsonHeaderSeeds = []string{
	`{"code":105,"extFields":{"topic":"T"},"flag":0,"language":"JAVA","opaque":3,"serializeTypeCurrentRPC":"JSON","version":479}`,
	`{"code":105,"language":"GO","version":317,"opaque":3,"flag":0,"remark":"","extFields":{"topic":"T"}}`,
	"{\"code\":105,\"extFields\":{\"AccessKey\":\"\",\"queueId\":0,\"x\":false,\"n\":null,\"o\":{\"a\":[1,2]}},\"flag\":0,\"language\":\"CPP\",\"opaque\":3,\"remark\":\"\",\"version\":333}\n",
	`{"code":1,"remark":"\u00e9\ud83d\ude00\ud800x\"\\\/\b\f\n\r\t","extFields":null}`,
	`{}`,
}

// jsonDepth returns the deepest nesting of objects and arrays in b
// (ignoring brackets inside strings).
func jsonDepth(b []byte) int {
	depth, deepest, inStr := 0, 0, false
	for i := 0; i < len(b); i++ {
		switch c := b[i]; {
		case inStr && c == '\\':
			i++
		case c == '"':
			inStr = !inStr
		case inStr:
		case c == '{' || c == '[':
			depth++
			deepest = max(deepest, depth)
		case c == '}' || c == ']':
			depth--
		}
	}
	return deepest
}

// validUTF8 replaces every byte of an invalid UTF-8 sequence by U+FFFD, as
// encoding/json does.
func validUTF8(s string) string { return string([]rune(s)) }

// FuzzJSONHeader is a differential fuzz of the hand-written RemotingCommand
// scanner against encoding/json: every header encoding/json reads as a
// RemotingCommand (numbers in int32 range, a string remark, an extFields
// object) the scanner must read to the same code, flag, opaque, version,
// remark and ext fields (last duplicate wins, as in Java's HashMap). The
// scanner is more lenient than encoding/json (numeric strings, C++ literal
// ext values), so only that direction is checked; whatever it accepts must
// survive an encode/decode round trip.
func FuzzJSONHeader(f *testing.F) {
	for _, s := range jsonHeaderSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, h []byte) {
		var c Command
		err := decodeJSONHeader(h, &c)
		if err == nil {
			again := c.appendJSONHeader(nil)
			var d Command
			if err := decodeJSONHeader(again, &d); err != nil {
				t.Fatalf("re-decode of %q: %v", again, err)
			}
			if d.Code != c.Code || d.Flag != c.Flag || d.Opaque != c.Opaque || d.Version != c.Version ||
				d.Remark != validUTF8(c.Remark) || len(d.Ext) != len(c.Ext) {
				t.Fatalf("unstable: %+v vs %+v", c, d)
			}
		}
		if !json.Valid(h) || jsonDepth(h) > 64 {
			return
		}
		var ref struct {
			Code      *int32                     `json:"code"`
			Flag      *int32                     `json:"flag"`
			Opaque    *int32                     `json:"opaque"`
			Version   *int32                     `json:"version"`
			Remark    *string                    `json:"remark"`
			ExtFields map[string]json.RawMessage `json:"extFields"`
		}
		if bytes.TrimSpace(h)[0] != '{' || json.Unmarshal(h, &ref) != nil {
			return
		}
		if hasCaseFold(h) || bytes.Count(h, []byte(`"extFields"`)) > 1 {
			// encoding/json matches keys case-insensitively ("CODE")
			// and merges a repeated extFields object; Java's fastjson
			// and the scanner do neither.
			return
		}
		if err != nil {
			t.Fatalf("encoding/json reads %q, the scanner fails: %v", h, err)
		}
		eq := func(name string, p *int32, got int32) {
			if p != nil && *p != got {
				t.Fatalf("%q: %s %d, encoding/json %d", h, name, got, *p)
			}
		}
		eq("code", ref.Code, c.Code)
		eq("flag", ref.Flag, c.Flag)
		eq("opaque", ref.Opaque, c.Opaque)
		eq("version", ref.Version, c.Version)
		if ref.Remark != nil && *ref.Remark != validUTF8(c.Remark) {
			t.Fatalf("%q: remark %q, encoding/json %q", h, c.Remark, *ref.Remark)
		}
		got := map[string]string{}
		for _, fl := range c.Ext {
			got[validUTF8(fl.Key)] = validUTF8(fl.Value)
		}
		for k, raw := range ref.ExtFields {
			want := string(raw)
			switch {
			case want == "null":
				want = ""
			case raw[0] == '"':
				if json.Unmarshal(raw, &want) != nil {
					return
				}
			}
			v, ok := got[k]
			if !ok {
				t.Fatalf("%q: ext %q missing", h, k)
			}
			if v != want {
				t.Fatalf("%q: ext %q = %q, encoding/json %q", h, k, v, want)
			}
		}
		if len(got) != len(ref.ExtFields) {
			t.Fatalf("%q: %d distinct ext fields, encoding/json %d", h, len(got), len(ref.ExtFields))
		}
	})
}

// hasCaseFold reports whether h has a top-level-looking key that differs
// from a RemotingCommand field only in case.
func hasCaseFold(h []byte) bool {
	s := string(h)
	for _, k := range []string{"code", "flag", "opaque", "version", "remark", "extfields"} {
		ls := strings.ToLower(s)
		if strings.Count(ls, `"`+k+`"`) != strings.Count(s, `"`+canonical(k)+`"`) {
			return true
		}
	}
	return false
}

func canonical(k string) string {
	if k == "extfields" {
		return "extFields"
	}
	return k
}

func TestJSONHeaderDuplicateExtLastWins(t *testing.T) {
	var c Command
	if err := decodeJSONHeader([]byte(`{"code":1,"extFields":{"topic":"a","topic":"b"}}`), &c); err != nil {
		t.Fatal(err)
	}
	if v := c.ExtValue("topic"); v != "b" {
		t.Fatalf("duplicate ext field: got %q, want the last value as Java's HashMap keeps", v)
	}
}
