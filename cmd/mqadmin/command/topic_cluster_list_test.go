package command

import (
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestTopicClusterList(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	matchLines(t, ok(t, c, "topicClusterList", "-t", "TBW102"), "DefaultCluster")
	matchLines(t, ok(t, c, "topicClusterList", "-t", "TBW102", "--json"), `\[`, `  "DefaultCluster"`, `\]`)
	fails(t, c, "CODE: 17", "topicClusterList", "-t", "Nope")
}
