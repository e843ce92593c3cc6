package compat

import (
	"strings"
	"testing"
)

// Values printed by java.lang.String.hashCode under JDK 17 jshell.
func TestJavaStringHash(t *testing.T) {
	cases := []struct {
		s    string
		want int32
	}{
		{"", 0},
		{"a", 97},
		{"TagA", 2598919},
		{"TBW102", -1826525782},
		{"hello world", 1794106052},
		{"中文", 646394},
		{"😀", 1772899},
	}
	for _, c := range cases {
		if got := JavaStringHash(c.s); got != c.want {
			t.Errorf("JavaStringHash(%q) = %d, want %d", c.s, got, c.want)
		}
	}
}

func TestOffsetFileName(t *testing.T) {
	if got := OffsetFileName(1073741824); got != "00000000001073741824" {
		t.Fatal(got)
	}
	if v, ok := ParseOffsetFileName("00000000001073741824"); !ok || v != 1073741824 {
		t.Fatal(v, ok)
	}
}

func TestVersionDesc(t *testing.T) {
	for v, want := range map[int]string{317: "V4_5_2", 479: "V5_3_3", 409: "V4_9_8", 413: "V5_0_0", 478: "V5_3_3_SNAPSHOT"} {
		if got := VersionDesc(v); got != want {
			t.Errorf("VersionDesc(%d) = %s, want %s", v, got, want)
		}
	}
}

func TestReadProperties(t *testing.T) {
	in := "# comment\n! also\nbrokerClusterName = DefaultCluster\nbrokerName:broker-a\nlistenPort 10911\nmulti=a\\\n   b\nesc=x\\=y\\u0041\n"
	props, err := ReadProperties(strings.NewReader(in))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"brokerClusterName": "DefaultCluster", "brokerName": "broker-a", "listenPort": "10911", "multi": "ab", "esc": "x=yA"}
	if len(props) != len(want) {
		t.Fatalf("got %v", props)
	}
	for _, p := range props {
		if want[p.Key] != p.Value {
			t.Errorf("%s = %q, want %q", p.Key, p.Value, want[p.Key])
		}
	}
}
