package command

import (
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestAddWritePerm(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	ok(t, c, "wipeWritePerm", "-b", "broker-a")
	matchLines(t, ok(t, c, "addWritePerm", "-b", "broker-a"), q("add write perm of broker[broker-a] in name server["+c.NamesrvAddr+"] OK, ")+`[1-9]\d*`)
	if route := ok(t, c, "topicRoute", "-t", "TBW102"); !strings.Contains(route, `"perm":6,`) {
		t.Errorf("TBW102 not read-write again (Java sets PERM_READ|PERM_WRITE):\n%s", route)
	}
}
