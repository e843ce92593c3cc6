package command

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestBrokerConsumeStats(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "BcT", 2)
	for i := 0; i < 4; i++ {
		send(t, c, "BcT", 1, fmt.Sprint("m", i), "", "")
	}
	send(t, c, "BcT", 0, "z", "", "")
	cs := onlineConsumer(t, c, "BcG", "BcT")
	cs.commit("BcT", 1, 1)

	head := q(fmt.Sprintf("%-64s  %-64s  %-32s  %-4s  %-20s  %-20s  %-20s  %s",
		"#Topic", "#Group", "#Broker Name", "#QID", "#Broker Offset", "#Consumer Offset", "#Diff", "#LastTime"))
	// Queue 0 has nothing consumed (no last time), so it is not printed;
	// the total still counts it.
	matchLines(t, ok(t, c, "brokerConsumeStats", "-b", c.BrokerAddr),
		head,
		q(fmt.Sprintf("%-64s  %-64s  %-32s  %-4d  %-20d  %-20d  %-20d  ", "BcT", "BcG", "broker-a", 1, 4, 1, 3))+
			`\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`,
		``,
		q("Diff Total: 4"))
	// -l hides queues below the diff; -o true keeps only order topics.
	matchLines(t, ok(t, c, "brokerConsumeStats", "-b", c.BrokerAddr, "-l", "4", "-t", "3000"), head, ``, q("Diff Total: 4"))
	matchLines(t, ok(t, c, "brokerConsumeStats", "-b", c.BrokerAddr, "-o", "true"), head, ``, q("Diff Total: 0"))

	var got struct {
		Queues    []brokerConsumeRow `json:"queues"`
		DiffTotal int64              `json:"diffTotal"`
	}
	if err := json.Unmarshal([]byte(ok(t, c, "brokerConsumeStats", "-b", c.BrokerAddr, "--json")), &got); err != nil ||
		got.DiffTotal != 4 || len(got.Queues) != 1 || got.Queues[0].Group != "BcG" || got.Queues[0].Diff != 3 || got.Queues[0].LastTimestamp <= 0 {
		t.Errorf("--json: %+v %v", got, err)
	}
	fails(t, c, "connect to 127.0.0.1:1 failed", "brokerConsumeStats", "-b", "127.0.0.1:1")
	fails(t, c, "missing required option -b (--brokerAddr)", "brokerConsumeStats")
}
