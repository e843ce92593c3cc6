package command

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestClusterRT(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	waitRoute(t, c, "broker-a") // the broker-name topic clusterRT sends to

	matchLines(t, ok(t, c, "clusterRT", "--rounds", "1", "-a", "3", "-s", "16"),
		q(fmt.Sprintf("%-24s  %-24s  %-4s  %-8s  %-8s", "#Cluster Name", "#Broker Name", "#RT", "#successCount", "#failCount")),
		q(fmt.Sprintf("%-24s  %-24s  ", "DefaultCluster", "broker-a"))+`\d+\.\d\d {0,5}  `+q(fmt.Sprintf("%-16d  %-16d", 3, 0)))
	// Two rounds with no pause, as log lines.
	matchLines(t, ok(t, c, "clusterRT", "--rounds", "2", "-i", "0", "-a", "2", "-c", "DefaultCluster", "-p", "true", "-m", "room1"),
		`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\|room1\|DefaultCluster\|broker-a\|\d+`,
		`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\|room1\|DefaultCluster\|broker-a\|\d+`)

	var rows []rtRow
	if err := json.Unmarshal([]byte(ok(t, c, "clusterRT", "--rounds", "1", "-a", "2", "--json")), &rows); err != nil ||
		len(rows) != 1 || rows[0].Cluster != "DefaultCluster" || rows[0].BrokerName != "broker-a" || rows[0].SuccessCount != 2 || rows[0].FailCount != 0 {
		t.Errorf("--json: %+v %v", rows, err)
	}
	// The first send is not timed: one message has no mean.
	matchLines(t, ok(t, c, "clusterRT", "--rounds", "1", "-a", "1"),
		`#Cluster Name.*`,
		q(fmt.Sprintf("%-24s  %-24s  %-8s  %-16d  %-16d", "DefaultCluster", "broker-a", "NaN", 1, 0)))
	fails(t, c, "cluster [Nope] not exist", "clusterRT", "--rounds", "1", "-c", "Nope")
}

func TestJavaFixed(t *testing.T) {
	for _, tc := range []struct {
		f    float64
		prec int
		want string
	}{{0, 2, "0.00"}, {0.125, 2, "0.13"}, {1.005, 2, "1.01"}, {9.995, 2, "10.00"}, {-2.5, 0, "-3"}, {12.3456, 2, "12.35"}, {3, 1, "3.0"}} {
		if got := javaFixed(tc.f, tc.prec); got != tc.want {
			t.Errorf("javaFixed(%v, %d) = %q, want %q", tc.f, tc.prec, got, tc.want)
		}
	}
}
