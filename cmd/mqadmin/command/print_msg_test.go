package command

import (
	"fmt"
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestPrintMsg(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "PmT", 2)
	id := send(t, c, "PmT", 0, "hi", "TagA", "")
	send(t, c, "PmT", 0, "other", "TagB", "")
	msg := `MSGID: U[0-9a-f]+ MessageExt \[brokerName=broker-a, queueId=0, storeSize=\d+, queueOffset=%s, sysFlag=0, bornTimestamp=\d+, bornHost=/127\.0\.0\.1:\d+, ` +
		`storeTimestamp=\d+, storeHost=/` + q(c.BrokerAddr) + `, msgId=%s, commitLogOffset=\d+, bodyCRC=-?\d+, reconsumeTimes=0, preparedTransactionOffset=0, ` +
		`toString\(\)=Message\{topic='PmT', flag=0, properties=\{.*MIN_OFFSET=0.*\}, body=\[%s\], transactionId='null'\}\] BODY: %s`
	matchLines(t, ok(t, c, "printMsg", "-t", "PmT", "-s", "TagA"),
		q("minOffset=0, maxOffset=2, MessageQueue [topic=PmT, brokerName=broker-a, queueId=0]"),
		fmt.Sprintf(msg, "0", q(id), "104, 105", "hi"),
		strings.Repeat("-", 56),
		q("minOffset=0, maxOffset=0, MessageQueue [topic=PmT, brokerName=broker-a, queueId=1]"),
		strings.Repeat("-", 56))
	out := ok(t, c, "printMsg", "-t", "PmT", "-d", "false")
	if strings.Count(out, "BODY: NOT PRINT BODY") != 2 {
		t.Errorf("-d false:\n%s", out)
	}
	fails(t, c, "CODE: 17", "printMsg", "-t", "Nope")
}
