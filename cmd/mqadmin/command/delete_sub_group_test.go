package command

import (
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestDeleteSubGroup(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	ok(t, c, "updateSubGroup", "-b", c.BrokerAddr, "-g", "DelG")
	matchLines(t, ok(t, c, "deleteSubGroup", "-b", c.BrokerAddr, "-g", "DelG", "-r", "true"),
		q("delete subscription group [DelG] from broker ["+c.BrokerAddr+"] success."))
	matchLines(t, ok(t, c, "deleteSubGroup", "-c", "DefaultCluster", "-g", "DelG"),
		q("delete subscription group [DelG] from broker ["+c.BrokerAddr+"] in cluster [DefaultCluster] success."))
	fails(t, c, "missing required option -g (--groupName)", "deleteSubGroup", "-b", c.BrokerAddr)
}
