package command

import (
	"slices"
	"strings"
	"testing"
)

func TestRunErrors(t *testing.T) {
	r := mqadmin(t, nil, "noSuchCommand")
	if r.code != 1 || r.err != "mqadmin: The sub command noSuchCommand not exist.\n" {
		t.Errorf("unknown command: %+v", r)
	}
	r = mqadmin(t, nil, "topicList", "--bogus")
	if r.code != 1 || strings.Count(r.err, "\n") != 1 || !strings.Contains(r.err, "bogus") {
		t.Errorf("unknown flag: %+v", r)
	}
	t.Setenv("NAMESRV_ADDR", "")
	fails(t, nil, "no NameServer address: pass -n host:port or set NAMESRV_ADDR", "topicList")
	fails(t, nil, "connect to 127.0.0.1:1 failed", "topicList", "-n", "127.0.0.1:1")
	if r := mqadmin(t, nil, "help", "topicRoute"); r.code != 0 || !strings.Contains(r.out, "--topic value, -t value") {
		t.Errorf("help: %+v", r)
	}
}

func TestEverySpecHasAUniqueName(t *testing.T) {
	var names []string
	for _, s := range specs() {
		if slices.Contains(names, s.name) {
			t.Errorf("duplicate subcommand %s", s.name)
		}
		names = append(names, s.name)
	}
	if len(names) != 42 {
		t.Errorf("%d subcommands", len(names))
	}
}

// The property order Java's MessageExt prints for a message the Java
// producer sent with tags and keys (captured from Apache mqadmin
// queryMsgById against Booster): HashMap(128) bucket order.
func TestJavaHashOrder(t *testing.T) {
	got := javaHashOrder([]string{"KEYS", "TAGS", "WAIT", "UNIQ_KEY", "CLUSTER"}, 128)
	want := []string{"UNIQ_KEY", "CLUSTER", "TAGS", "KEYS", "WAIT"}
	if !slices.Equal(got, want) {
		t.Errorf("got %v, want %v", got, want)
	}
}

func TestFormatHelpers(t *testing.T) {
	if got := perm2String(7); got != "RWX" {
		t.Errorf("perm2String(7) = %q", got)
	}
	if got := perm2String(2); got != "-W-" {
		t.Errorf("perm2String(2) = %q", got)
	}
	if got := frontStringAtLeast("abcdef", 3); got != "abc" {
		t.Errorf("frontStringAtLeast = %q", got)
	}
	if got := javaDouble(0); got != "0.0" {
		t.Errorf("javaDouble(0) = %q", got)
	}
	if _, err := parseTimestamp("2024-01-02#03:04:05:006"); err != nil {
		t.Error(err)
	}
	a, err := parseAttributes("+a=b,-c")
	if err != nil || a.header() == "" || a.String() != "{+a=b, -c=}" && a.String() != "{-c=, +a=b}" {
		t.Errorf("attributes %v %v", a, err)
	}
}
