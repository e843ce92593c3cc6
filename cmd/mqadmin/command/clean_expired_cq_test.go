package command

import (
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestCleanExpiredCQ(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	for _, args := range [][]string{{"cleanExpiredCQ"}, {"cleanExpiredCQ", "-c", "DefaultCluster"}, {"cleanExpiredCQ", "-b", c.BrokerAddr}} {
		if out := ok(t, c, args...); out != "success" {
			t.Errorf("%v: %q", args, out)
		}
	}
}
