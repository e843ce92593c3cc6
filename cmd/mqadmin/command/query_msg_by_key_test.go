package command

import (
	"encoding/json"
	"fmt"
	"strconv"
	"testing"
	"time"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

// sendUniq stores a message with a chosen unique key and keys, as a
// producer resending the same message would.
func sendUniq(t *testing.T, c *testcluster.Cluster, topic string, queueID int, body, uniq, keys string) string {
	t.Helper()
	props := "UNIQ_KEY\x01" + uniq + "\x02"
	if keys != "" {
		props += "KEYS\x01" + keys + "\x02"
	}
	req := admin.Request(wire.SendMessageV2, "a", "pg", "b", topic, "c", "TBW102", "d", "4", "e", strconv.Itoa(queueID),
		"f", "0", "g", strconv.FormatInt(time.Now().UnixMilli(), 10), "h", "0", "i", props)
	req.Body = []byte(body)
	return invoke(t, dial(t, c.BrokerAddr), req).ExtValue("msgId")
}

func TestQueryMsgByKey(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "QkT", 2)
	createTopic(t, c, "QkOther", 1)
	sendUniq(t, c, "QkT", 0, "a", "UNIQA", "k1 k2")
	sendUniq(t, c, "QkT", 1, "b", "UNIQB", "k2")
	sendUniq(t, c, "QkT", 1, "c", "UNIQC", "k3")
	sendUniq(t, c, "QkOther", 0, "d", "UNIQD", "k2") // same key, another topic

	row := func(id string, qid, off int) string { return q(fmt.Sprintf("%-50s %4d %40d", id, qid, off)) }
	matchLines(t, ok(t, c, "queryMsgByKey", "-t", "QkT", "-k", "k2"),
		q(fmt.Sprintf("%-50s %4s %40s", "#Message ID", "#QID", "#Offset")),
		row("UNIQA", 0, 0),
		row("UNIQB", 1, 0))
	matchLines(t, ok(t, c, "queryMsgByKey", "-t", "QkT", "-k", "k3", "-c", "DefaultCluster", "-b", "0", "-m", "5"),
		q(fmt.Sprintf("%-50s %4s %40s", "#Message ID", "#QID", "#Offset")),
		row("UNIQC", 1, 1))

	var rows []keyRow
	if err := json.Unmarshal([]byte(ok(t, c, "queryMsgByKey", "-t", "QkT", "-k", "k1", "--json")), &rows); err != nil ||
		len(rows) != 1 || rows[0] != (keyRow{MsgID: "UNIQA", QueueID: 0, QueueOffset: 0}) {
		t.Errorf("--json: %+v %v", rows, err)
	}

	fails(t, c, "CODE: 208 DESC: query message by key finished, but no message.", "queryMsgByKey", "-t", "QkT", "-k", "nope")
	fails(t, c, "CODE: 208", "queryMsgByKey", "-t", "QkT", "-k", "k2", "-e", "1")
	fails(t, c, "CODE: 17", "queryMsgByKey", "-t", "QkT", "-k", "k2", "-c", "OtherCluster")
	fails(t, c, "CODE: 17", "queryMsgByKey", "-t", "NoSuchTopic", "-k", "k2")
	fails(t, c, "missing required option -k (--msgKey)", "queryMsgByKey", "-t", "QkT")
	fails(t, c, `option -m (--maxNum): "x" is not a number`, "queryMsgByKey", "-t", "QkT", "-k", "k2", "-m", "x")
}
