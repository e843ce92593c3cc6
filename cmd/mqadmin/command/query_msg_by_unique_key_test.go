package command

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestQueryMsgByUniqueKey(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "QuT", 2)
	first := sendUniq(t, c, "QuT", 1, "first", "UNIQ-QU", "kq")
	sendUniq(t, c, "QuT", 0, "second", "UNIQ-QU", "") // a resend: same unique key
	cs := onlineConsumer(t, c, "QuG", "QuT")
	cs.commit("QuT", 1, 1)
	waitRoute(t, c, "%RETRY%QuG")

	var out, errOut bytes.Buffer
	dir := t.TempDir()
	run := func(args ...string) string {
		t.Helper()
		out.Reset()
		errOut.Reset()
		if code := Run(append([]string{"queryMsgByUniqueKey", "-n", c.NamesrvAddr}, args...),
			Env{Stdout: &out, Stderr: &errOut, Timeout: defaultTestTimeout, BodyDir: dir}); code != 0 {
			t.Fatalf("exit %d: %s", code, errOut.String())
		}
		return out.String()
	}
	ts := `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}`
	l := func(label string) string { return q(fmt.Sprintf("%-20s ", label)) }
	detail := func(tags, keys string, qid int, body string) []string {
		return []string{
			l("Topic:") + "QuT",
			l("Tags:") + q("["+tags+"]"),
			l("Keys:") + q("["+keys+"]"),
			l("Queue ID:") + fmt.Sprint(qid),
			l("Queue Offset:") + "0",
			l("CommitLog Offset:") + `\d+`,
			l("Reconsume Times:") + "0",
			l("Born Timestamp:") + ts,
			l("Store Timestamp:") + ts,
			l("Born Host:") + `127\.0\.0\.1:\d+`,
			l("Store Host:") + q(c.BrokerAddr),
			l("System Flag:") + "0",
			l("Properties:") + `\{.*UNIQ_KEY=UNIQ-QU.*\}`,
			l("Message Body Path:") + q(body),
		}
	}
	// The earliest copy only; the track line has no line break, as in Java.
	got := run("-t", "QuT", "-i", "UNIQ-QU")
	want := append(detail("null", "kq", 1, filepath.Join(dir, "UNIQ-QU")), ``, ``,
		q("MessageTrack [consumerGroup=QuG, trackType=CONSUMED, exceptionDesc=null]"))
	matchLines(t, got, want...)
	if strings.HasSuffix(got, "\n") {
		t.Errorf("output ends with a line break: %q", got)
	}
	if b, err := os.ReadFile(filepath.Join(dir, "UNIQ-QU")); err != nil || string(b) != "first" {
		t.Errorf("body file: %q %v", b, err)
	}

	// -a: both copies, the second body file suffixed _1.
	got = run("-t", "QuT", "-i", "UNIQ-QU", "-a", "-c", "DefaultCluster")
	parts := strings.SplitAfter(got, "exceptionDesc=null]")
	if len(parts) != 3 || parts[2] != "" {
		t.Fatalf("-a output:\n%s", got)
	}
	matchLines(t, parts[1], append(detail("null", "null", 0, filepath.Join(dir, "UNIQ-QU_1")), ``, ``,
		q("MessageTrack [consumerGroup=QuG, trackType=NOT_CONSUME_YET, exceptionDesc=null]"))...)
	if b, err := os.ReadFile(filepath.Join(dir, "UNIQ-QU_1")); err != nil || string(b) != "second" {
		t.Errorf("second body file: %q %v", b, err)
	}

	fails(t, c, "CODE: 208", "queryMsgByUniqueKey", "-t", "QuT", "-i", "NOPE")
	fails(t, c, "missing required option -t (--topic)", "queryMsgByUniqueKey", "-i", first)
	// -g/-d push the message to a client; a client that is not online fails.
	r := fails(t, c, "CODE: 1", "queryMsgByUniqueKey", "-t", "QuT", "-i", "UNIQ-QU", "-g", "QuG", "-d", "10.9.9.9@nobody")
	matchLines(t, r.out, q("get consumer runtime info for 10.9.9.9@nobody client failed "),
		q("get consumer info failed or this 10.9.9.9@nobody client is not push consumer, not support direct push "))
}
