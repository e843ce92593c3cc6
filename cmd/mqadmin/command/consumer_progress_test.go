package command

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestConsumerProgress(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "CpT", 2)
	for i := 0; i < 3; i++ {
		send(t, c, "CpT", 1, "m", "", "")
	}
	cs := onlineConsumer(t, c, "CpG", "CpT")
	cs.commit("CpT", 1, 2)
	waitRoute(t, c, "%RETRY%CpG")

	ts := `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`
	matchLines(t, ok(t, c, "consumerProgress", "-g", "CpG"),
		q(fmt.Sprintf("%-64s  %-32s  %-4s  %-20s  %-20s  %-20s %-20s%s", "#Topic", "#Broker Name", "#QID", "#Broker Offset", "#Consumer Offset", "#Diff", "#Inflight", "#LastTime")),
		q(fmt.Sprintf("%-64s  %-32s  %-4d  %-20d  %-20d  %-20d %-20d %s", "CpT", "broker-a", 0, 0, 0, 0, 0, "N/A")),
		q(fmt.Sprintf("%-64s  %-32s  %-4d  %-20d  %-20d  %-20d %-20d ", "CpT", "broker-a", 1, 3, 2, 1, 0))+ts,
		``,
		q("Consume TPS: 0.00"),
		q("Consume Diff Total: 1"),
		q("Consume Inflight Total: 0"))
	// -s true: the client owning each queue (not reported by Booster yet: N/A).
	out := ok(t, c, "consumerProgress", "-g", "CpG", "-t", "CpT", "-s", "true")
	matchLines(t, out,
		q(fmt.Sprintf("%-64s  %-32s  %-4s  %-20s  %-20s  %-20s %-20s %-20s%s", "#Topic", "#Broker Name", "#QID", "#Broker Offset", "#Consumer Offset", "#Client IP", "#Diff", "#Inflight", "#LastTime")),
		q(fmt.Sprintf("%-64s  %-32s  %-4d  %-20d  %-20d  %-20s %-20d %-20d %s", "CpT", "broker-a", 0, 0, 0, "N/A", 0, 0, "N/A")),
		q(fmt.Sprintf("%-64s  %-32s  %-4d  %-20d  %-20d  %-20s %-20d %-20d ", "CpT", "broker-a", 1, 3, 2, "N/A", 1, 0))+ts,
		``, `Consume TPS: 0\.00`, `Consume Diff Total: 1`, `Consume Inflight Total: 0`)

	matchLines(t, ok(t, c, "consumerProgress"),
		q(fmt.Sprintf("%-64s  %-6s  %-24s %-5s  %-14s  %-7s  %s", "#Group", "#Count", "#Version", "#Type", "#Model", "#TPS", "#Diff Total")),
		q(fmt.Sprintf("%-64s  %-6d  %-24s %-5s  %-14s  %-7d  %d", "CpG", 1, "V4_5_2", "PUSH", "CLUSTERING", 0, 1)))

	var rows []groupRow
	if err := json.Unmarshal([]byte(ok(t, c, "consumerProgress", "--json")), &rows); err != nil || len(rows) != 1 || rows[0].DiffTotal != 1 {
		t.Errorf("--json: %+v %v", rows, err)
	}
	fails(t, c, "CODE: 17", "consumerProgress", "-g", "NoSuchGroup")
}
