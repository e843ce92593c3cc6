package command

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestSendMessage(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "SendT", 4)
	matchLines(t, ok(t, c, "sendMessage", "-t", "SendT", "-p", "hello", "-k", "k1", "-c", "TagA", "-b", "broker-a", "-i", "2"),
		q(fmt.Sprintf("%-32s  %-4s  %-20s    %s", "#Broker Name", "#QID", "#Send Result", "#MsgId")),
		q(fmt.Sprintf("%-32s  %-4s  %-20s    ", "broker-a", "2", "SEND_OK"))+`[0-9A-F]{32}`)

	// The stored message carries the body, tag, keys and the printed id.
	var row sendRow
	if err := json.Unmarshal([]byte(ok(t, c, "sendMessage", "-t", "SendT", "-p", "second", "-c", "TagB", "--json")), &row); err != nil || row.SendStatus != "SEND_OK" {
		t.Fatalf("--json: %+v %v", row, err)
	}
	adm := newAdmin([]string{c.NamesrvAddr}, defaultTestTimeout)
	defer adm.close()
	m, err := adm.queryMessage("SendT", row.OffsetID)
	if err != nil {
		t.Fatal(err)
	}
	if string(m.Body) != "second" || m.tags() != "TagB" || m.msgID() != row.MsgID || m.QueueID != row.QueueID || m.props["WAIT"] != "true" {
		t.Errorf("stored %+v props %v, sent %+v", m.Message, m.props, row)
	}

	// A topic the NameServer does not know is created through TBW102.
	ok(t, c, "sendMessage", "-t", "SendAutoT", "-p", "x")
	waitRoute(t, c, "SendAutoT")
	fails(t, c, "Broker name must be set if the queue is chosen!", "sendMessage", "-t", "SendT", "-p", "x", "-i", "1")
}
