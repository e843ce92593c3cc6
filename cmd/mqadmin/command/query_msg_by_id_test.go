package command

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/booster-mq/booster/internal/testcluster"
)

const defaultTestTimeout = 5 * time.Second

func TestQueryMsgByID(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "QmT", 2)
	id := send(t, c, "QmT", 1, "body-1", "TagQ", "key1 key2")
	cs := onlineConsumer(t, c, "QmG", "QmT")
	cs.commit("QmT", 1, 1)
	waitRoute(t, c, "%RETRY%QmG")

	var out, errOut bytes.Buffer
	dir := t.TempDir()
	code := Run([]string{"queryMsgById", "-n", c.NamesrvAddr, "-t", "QmT", "-i", id, "-f", "UTF-8"},
		Env{Stdout: &out, Stderr: &errOut, Timeout: defaultTestTimeout, BodyDir: dir})
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut.String())
	}
	ts := `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3}`
	lines := strings.Split(out.String(), "\n")
	uniq := strings.TrimSuffix(strings.TrimPrefix(lines[13][strings.Index(lines[13], "UNIQ_KEY=")+len("UNIQ_KEY="):], ""), "}")
	uniq = strings.SplitN(uniq, ",", 2)[0]
	l := func(label string) string { return q(fmt.Sprintf("%-20s ", label)) }
	matchLines(t, out.String(),
		l("OffsetID:")+q(id),
		l("Topic:")+"QmT",
		l("Tags:")+q("[TagQ]"),
		l("Keys:")+q("[key1 key2]"),
		l("Queue ID:")+"1",
		l("Queue Offset:")+"0",
		l("CommitLog Offset:")+`\d+`,
		l("Reconsume Times:")+"0",
		l("Born Timestamp:")+ts,
		l("Store Timestamp:")+ts,
		l("Born Host:")+`127\.0\.0\.1:\d+`,
		l("Store Host:")+q(c.BrokerAddr),
		l("System Flag:")+"0",
		l("Properties:")+`\{.*TAGS=TagQ.*\}`,
		l("Message Body Path:")+q(filepath.Join(dir, uniq)),
		l("Message Body:")+"body-1",
		``,
		``,
		q("MessageTrack [consumerGroup=QmG, trackType=CONSUMED, exceptionDesc=null]"))
	if b, err := os.ReadFile(filepath.Join(dir, uniq)); err != nil || string(b) != "body-1" {
		t.Errorf("body file: %q %v", b, err)
	}
	// A unique key is looked up with QUERY_MESSAGE; the output is the same.
	if byKey := ok(t, c, "queryMsgById", "-t", "QmT", "-i", uniq); !strings.HasPrefix(byKey, fmt.Sprintf("%-20s %s\n", "OffsetID:", id)) {
		t.Errorf("by unique key:\n%s", byKey)
	}
}
