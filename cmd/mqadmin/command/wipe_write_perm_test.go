package command

import (
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestWipeWritePerm(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	matchLines(t, ok(t, c, "wipeWritePerm", "-b", "broker-a"), q("wipe write perm of broker[broker-a] in name server["+c.NamesrvAddr+"] OK, ")+`[1-9]\d*`)
	if route := ok(t, c, "topicRoute", "-t", "TBW102"); !strings.Contains(route, `"perm":5,`) {
		t.Errorf("TBW102 still writable:\n%s", route)
	}
	r := fails(t, nil, "connect to 127.0.0.1:1 failed", "wipeWritePerm", "-n", "127.0.0.1:1", "-b", "broker-a")
	matchLines(t, r.out, q("wipe write perm of broker[broker-a] in name server[127.0.0.1:1] Failed"))
}
