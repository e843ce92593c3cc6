package command

import (
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestDeleteTopic(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "DelT", 2)
	out := ok(t, c, "deleteTopic", "-t", "DelT", "-c", "DefaultCluster")
	matchLines(t, out, q("delete topic [DelT] from cluster [DefaultCluster] success."), q("delete topic [DelT] from NameServer success."))
	fails(t, c, "CODE: 17", "topicRoute", "-t", "DelT")
	fails(t, c, "missing required option -c (--clusterName)", "deleteTopic", "-t", "DelT")
}
