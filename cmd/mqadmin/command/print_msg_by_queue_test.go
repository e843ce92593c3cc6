package command

import (
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestPrintMsgByQueue(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "PqT", 1)
	for _, tag := range []string{"A", "B", "B", ""} {
		send(t, c, "PqT", 0, "body"+tag, tag, "")
	}
	matchLines(t, ok(t, c, "printMsgByQueue", "-t", "PqT", "-a", "broker-a", "-i", "0", "-f", "true"),
		`Tag: B {30}Count: 2`, `Tag: A {30}Count: 1`)
	out := ok(t, c, "printMsgByQueue", "-t", "PqT", "-a", "broker-a", "-i", "0", "-p", "true", "-d", "true")
	if strings.Count(out, "MSGID: ") != 4 || !strings.Contains(out, " BODY: bodyB\n") {
		t.Errorf("-p true -d true:\n%s", out)
	}
	if out := ok(t, c, "printMsgByQueue", "-t", "PqT", "-a", "broker-a", "-i", "0", "-b", "0", "-e", "0"); out != "" {
		t.Errorf("empty time range printed %q", out)
	}
	fails(t, c, "The broker[nope] not exist", "printMsgByQueue", "-t", "PqT", "-a", "nope", "-i", "0")
}
