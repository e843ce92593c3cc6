package command

import (
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestConsumeMessage(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "CmT", 2)
	for i := 0; i < 3; i++ {
		send(t, c, "CmT", 0, fmt.Sprintf("q0-%d", i), "TagA", "")
	}
	for i := 0; i < 2; i++ {
		send(t, c, "CmT", 1, fmt.Sprintf("q1-%d", i), "TagB", "")
	}
	mq := func(id int) string {
		return q(fmt.Sprintf("MessageQueue [topic=CmT, brokerName=broker-a, queueId=%d]", id))
	}
	msg := func(body string) string { return `MSGID: \S+ MessageExt \[.*topic='CmT'.*\] BODY: ` + q(body) }

	// Every queue, oldest first, each to its end.
	matchLines(t, ok(t, c, "consumeMessage", "-t", "CmT"),
		"Consume ok", msg("q0-0"), msg("q0-1"), msg("q0-2"),
		mq(0)+" print msg finished. status=NO_NEW_MSG, offset=3",
		"Consume ok", msg("q1-0"), msg("q1-1"),
		mq(1)+" print msg finished. status=NO_NEW_MSG, offset=2")

	// -c 2: Java's arithmetic takes two of queue 0 and stops there.
	matchLines(t, ok(t, c, "consumeMessage", "-t", "CmT", "-c", "2", "-g", "CmG"),
		"The older 2 message of the 0 queue will be provided",
		"Consume ok", msg("q0-0"), msg("q0-1"))

	// One queue, from an offset.
	matchLines(t, ok(t, c, "consumeMessage", "-t", "CmT", "-b", "broker-a", "-i", "0", "-o", "1"),
		"Consume ok", msg("q0-1"), msg("q0-2"),
		mq(0)+" print msg finished. status=NO_NEW_MSG, offset=3")
	matchLines(t, ok(t, c, "consumeMessage", "-t", "CmT", "-b", "broker-a", "-i", "1", "-c", "1"),
		"The oldler 1 message will be provided",
		"Consume ok", msg("q1-0"))
	matchLines(t, ok(t, c, "consumeMessage", "-t", "CmT", "-b", "broker-a", "-i", "1", "-o", "9"),
		mq(1)+" no matched msg, offset=9")

	// Store times: everything was stored between 1 and now.
	now := strconv.FormatInt(time.Now().UnixMilli(), 10)
	if out := ok(t, c, "consumeMessage", "-t", "CmT", "-s", "1", "-e", now); strings.Count(out, "MSGID: ") != 5 {
		t.Errorf("between 1 and now:\n%s", out)
	}
	// -e 1 ends at the queue's first offset, which Java's inclusive
	// range still pulls.
	matchLines(t, ok(t, c, "consumeMessage", "-t", "CmT", "-b", "broker-a", "-i", "0", "-e", "1"),
		"Consume ok", msg("q0-0"))

	fails(t, c, "Please set the brokerName before queueId!", "consumeMessage", "-t", "CmT", "-i", "0")
	fails(t, c, "Please set queueId before offset!", "consumeMessage", "-t", "CmT", "-b", "broker-a", "-o", "0")
	fails(t, c, "Please input a positive messageNumber!", "consumeMessage", "-t", "CmT", "-c", "0")
	fails(t, c, "Please set the beginTimestamp before now!", "consumeMessage", "-t", "CmT", "-s", "99999999999999")
	fails(t, c, "Please make sure that the beginTimestamp is less than or equal to the endTimestamp", "consumeMessage", "-t", "CmT", "-s", "5", "-e", "4")
	fails(t, c, "The broker[broker-z] not exist", "consumeMessage", "-t", "CmT", "-b", "broker-z", "-i", "0")
	fails(t, c, "CODE: 17", "consumeMessage", "-t", "NoSuchTopic")
}
