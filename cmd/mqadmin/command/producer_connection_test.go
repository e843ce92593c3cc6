package command

import (
	"fmt"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestProducerConnection(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	cs := onlineConsumer(t, c, "PcG", "PcT") // its heartbeat names producer group PcG_P
	matchLines(t, ok(t, c, "producerConnection", "-g", "PcG_P", "-t", "TBW102"),
		q(fmt.Sprintf("%04d  %-32s %-22s %-8s %s", 1, "10.1.2.3@77", cs.conn.LocalAddr().String(), "GO", "V4_5_2")))
	fails(t, c, "CODE: 1 DESC: the producer group[NoProducers] not exist", "producerConnection", "-g", "NoProducers", "-t", "TBW102")
}
