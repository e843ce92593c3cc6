package broker

import (
	"strings"
	"testing"
)

// Like Java's findSubscriptionGroupConfig, a pull or heartbeat never
// auto-creates a group with an illegal or over-long name.
func TestGetOrCreateRefusesIllegalGroups(t *testing.T) {
	g := newGroupTable(t.TempDir())
	for _, name := range []string{"", "bad group!", "../x", strings.Repeat("g", 256), "ü"} {
		if _, ok, err := g.getOrCreate(name, true); ok || err != nil {
			t.Errorf("getOrCreate(%q) created it (err %v)", name, err)
		}
		if _, ok := g.get(name); ok {
			t.Errorf("%q stored", name)
		}
	}
	if _, ok, err := g.getOrCreate("good_group-1|%x", true); !ok || err != nil {
		t.Fatalf("legal group not created: %v", err)
	}
}
