package command

import (
	"fmt"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestConsumerConnection(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	cs := onlineConsumer(t, c, "CcG", "CcT")
	waitRoute(t, c, "%RETRY%CcG")
	want := []string{
		q(fmt.Sprintf("%-36s %-22s %-10s %s", "#ClientId", "#ClientAddr", "#Language", "#Version")),
		q(fmt.Sprintf("%-36s %-22s %-10s %s", "10.1.2.3@77", cs.conn.LocalAddr().String(), "GO", "V4_5_2")),
		``,
		q("Below is subscription:"),
		q(fmt.Sprintf("%-20s %s", "#Topic", "#SubExpression")),
		q(fmt.Sprintf("%-20s %s", "CcT", "*")),
		``,
		q("ConsumeType: CONSUME_PASSIVELY"),
		q("MessageModel: CLUSTERING"),
		q("ConsumeFromWhere: CONSUME_FROM_FIRST_OFFSET"),
	}
	matchLines(t, ok(t, c, "consumerConnection", "-g", "CcG"), want...)
	matchLines(t, ok(t, c, "consumerConnection", "-g", "CcG", "-b", c.BrokerAddr), want...)
	fails(t, c, "CODE: 206 DESC: the consumer group[Nobody] not online", "consumerConnection", "-g", "Nobody", "-b", c.BrokerAddr)
}
