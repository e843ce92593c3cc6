package command

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestTopicStatus(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "StT", 2)
	send(t, c, "StT", 1, "a", "", "")
	send(t, c, "StT", 1, "b", "", "")
	ts := `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}`
	for _, args := range [][]string{{"topicStatus", "-t", "StT"}, {"topicStatus", "-t", "StT", "-c", "DefaultCluster"}} {
		matchLines(t, ok(t, c, args...),
			q(fmt.Sprintf("%-32s  %-4s  %-20s  %-20s    %s", "#Broker Name", "#QID", "#Min Offset", "#Max Offset", "#Last Updated")),
			`broker-a {26}0 {5}0 {21}0 {23}`,
			`broker-a {26}1 {5}0 {21}2 {23}`+ts,
			``,
			`Topic Put TPS: \d+\.\d+`)
	}
	var j struct {
		OffsetTable []queueStatusRow
	}
	if err := json.Unmarshal([]byte(ok(t, c, "topicStatus", "-t", "StT", "--json")), &j); err != nil || len(j.OffsetTable) != 2 || j.OffsetTable[1].MaxOffset != 2 {
		t.Errorf("--json: %+v %v", j, err)
	}
	fails(t, c, "CODE: 17", "topicStatus", "-t", "Nope")
}
