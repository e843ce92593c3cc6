package command

// brokerConsumeStats (BrokerConsumeStatsSubCommad): every group's queues
// on one broker (GET_BROKER_CONSUME_STATS, -o true for order topics
// only), with broker offset, consumer offset, diff and the store time of
// the last consumed message. As in Java, only queues something was
// consumed from (a last time) and with a diff of at least -l are printed;
// the total diff covers every queue. -t is the request timeout in ms
// (Java's default: 50 s).

import (
	"fmt"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

// brokerConsumeRow is one printed queue of brokerConsumeStats.
type brokerConsumeRow struct {
	Topic          string `json:"topic"`
	Group          string `json:"group"`
	BrokerName     string `json:"brokerName"`
	QueueID        int32  `json:"queueId"`
	BrokerOffset   int64  `json:"brokerOffset"`
	ConsumerOffset int64  `json:"consumerOffset"`
	Diff           int64  `json:"diff"`
	LastTimestamp  int64  `json:"lastTimestamp"`
}

func brokerConsumeStats() spec {
	return spec{
		name:  "brokerConsumeStats",
		usage: "Fetch broker consume stats data.",
		flags: []cli.Flag{
			strFlag("brokerAddr", "b", "Broker address"),
			strFlag("timeoutMillis", "t", "request timeout Millis"),
			strFlag("level", "l", "threshold of print diff"),
			strFlag("order", "o", "order topic"),
		},
		required: []string{"b"},
		json:     true,
		run: func(x *ctx) error {
			timeout, level := int64(50000), int64(0)
			var err error
			if x.IsSet("t") {
				if timeout, err = x.int64Flag("t"); err != nil {
					return err
				}
			}
			if x.IsSet("l") {
				if level, err = x.int64Flag("l"); err != nil {
					return err
				}
			}
			addr := x.trimmed("b")
			resp, err := x.adm.callTimeout(addr, admin.Request(wire.GetBrokerConsumeStats, "isOrder", fmt.Sprint(javaBool(x.String("o")))),
				time.Duration(timeout)*time.Millisecond)
			if err != nil {
				return err
			}
			var list struct {
				ConsumeStatsList []map[string][]struct {
					OffsetTable map[string]admin.OffsetWrapper `json:"offsetTable"`
				} `json:"consumeStatsList"`
				TotalDiff int64 `json:"totalDiff"`
			}
			if err := admin.Decode(resp.Body, &list); err != nil {
				return err
			}
			rows := []brokerConsumeRow{}
			for _, groups := range list.ConsumeStatsList {
				for _, group := range sortedKeys(groups) {
					for _, cs := range groups[group] {
						offs, err := admin.DecodeMQMap(cs.OffsetTable)
						if err != nil {
							return err
						}
						mqs := make([]mqKey, 0, len(offs))
						for mq := range offs {
							mqs = append(mqs, mq)
						}
						sortMQs(mqs)
						for _, mq := range mqs {
							o := offs[mq]
							diff := o.BrokerOffset - o.ConsumerOffset
							if diff < level || o.LastTimestamp <= 0 {
								continue
							}
							rows = append(rows, brokerConsumeRow{Topic: mq.Topic, Group: group, BrokerName: mq.BrokerName, QueueID: mq.QueueID,
								BrokerOffset: o.BrokerOffset, ConsumerOffset: o.ConsumerOffset, Diff: diff, LastTimestamp: o.LastTimestamp})
						}
					}
				}
			}
			if x.json() {
				return printJSON(x, map[string]any{"queues": rows, "diffTotal": list.TotalDiff})
			}
			x.printf("%-64s  %-64s  %-32s  %-4s  %-20s  %-20s  %-20s  %s\n",
				"#Topic", "#Group", "#Broker Name", "#QID", "#Broker Offset", "#Consumer Offset", "#Diff", "#LastTime")
			for _, r := range rows {
				x.printf("%-64s  %-64s  %-32s  %-4d  %-20d  %-20d  %-20d  %s\n", frontStringAtLeast(r.Topic, 64), r.Group,
					frontStringAtLeast(r.BrokerName, 32), r.QueueID, r.BrokerOffset, r.ConsumerOffset, r.Diff, formatDate(r.LastTimestamp))
			}
			x.printf("\nDiff Total: %d\n", list.TotalDiff)
			return nil
		},
	}
}
