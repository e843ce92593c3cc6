package command

import (
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestQueryMsgByOffset(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "QoT", 1)
	send(t, c, "QoT", 0, "first", "", "")
	id := send(t, c, "QoT", 0, "second", "T2", "")
	out := ok(t, c, "queryMsgByOffset", "-t", "QoT", "-b", "broker-a", "-i", "0", "-o", "1", "-f", "UTF-8")
	for _, want := range []string{"OffsetID:            " + id + "\n", "Queue Offset:        1\n", "Tags:                [T2]\n",
		"Keys:                [null]\n", "Message Body:        second\n", "MAX_OFFSET=2", "\n\nWARN: No Consumer"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if out := ok(t, c, "queryMsgByOffset", "-t", "QoT", "-b", "broker-a", "-i", "0", "-o", "5"); out != "" {
		t.Errorf("past the end: %q", out)
	}
}
