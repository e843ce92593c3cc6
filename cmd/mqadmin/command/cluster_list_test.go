package command

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestClusterList(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	send(t, c, "ClT", 0, "x", "", "")
	matchLines(t, ok(t, c, "clusterList"),
		q(fmt.Sprintf("%-22s  %-22s  %-4s  %-22s %-16s  %16s  %30s  %-22s  %-11s  %-12s  %-8s  %-10s", "#Cluster Name", "#Broker Name", "#BID", "#Addr",
			"#Version", "#InTPS(LOAD)", "#OutTPS(LOAD)", "#Timer(Progress)", "#PCWait(ms)", "#Hour", "#SPACE", "#ACTIVATED")),
		`DefaultCluster {10}broker-a {16}0 {5}`+q(c.BrokerAddr)+` +V5_3_3 {12} +\d+\.\d\d\(0,0ms\)  +0\.00\(0,0ms\|0,0ms\)  0-0\(0\.0w, 0\.0, 0\.0\) +0  0\.\d\d +0\.\d{4} +true`)
	matchLines(t, ok(t, c, "clusterList", "-m", "-c", "DefaultCluster"),
		q(fmt.Sprintf("%-16s  %-32s %14s %14s %14s %14s", "#Cluster Name", "#Broker Name", "#InTotalYest", "#OutTotalYest", "#InTotalToday", "#OutTotalToday")),
		`DefaultCluster {4}broker-a {25} {13}0 {14}0 {14}1 {14}0`)
	var rows []clusterRow
	if err := json.Unmarshal([]byte(ok(t, c, "clusterList", "--json")), &rows); err != nil || len(rows) != 1 ||
		rows[0].Addr != c.BrokerAddr || rows[0].Runtime["brokerVersionDesc"] != "V5_3_3" {
		t.Errorf("--json: %+v %v", rows, err)
	}
}
