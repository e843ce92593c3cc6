package command

// topicStatus (TopicStatusSubCommand): min and max offset and last update
// time of every queue of a topic (GET_TOPIC_STATS_INFO on each broker of
// its route, or of the route of cluster -c).

import (
	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/codec"
)

// queueStatusRow is one line of topicStatus.
type queueStatusRow struct {
	BrokerName          string `json:"brokerName"`
	QueueID             int32  `json:"queueId"`
	MinOffset           int64  `json:"minOffset"`
	MaxOffset           int64  `json:"maxOffset"`
	LastUpdateTimestamp int64  `json:"lastUpdateTimestamp"`
}

func topicStatus() spec {
	return spec{
		name:  "topicStatus",
		usage: "Examine topic Status info.",
		flags: []cli.Flag{
			strFlag("topic", "t", "topic name"),
			strFlag("cluster", "c", "cluster name or lmq parent topic, lmq is used to find the route."),
		},
		required: []string{"t"},
		json:     true,
		run: func(x *ctx) error {
			topic := x.trimmed("t")
			var stats *admin.TopicStats
			var err error
			if x.IsSet("c") {
				var rd *codec.TopicRouteData
				if rd, err = x.adm.route(x.trimmed("c")); err == nil {
					stats, err = x.adm.routeTopicStats(rd, topic)
				}
			} else {
				stats, err = x.adm.examineTopicStats(topic)
			}
			if err != nil {
				return err
			}
			mqs := make([]mqKey, 0, len(stats.Offsets))
			for mq := range stats.Offsets {
				mqs = append(mqs, mq)
			}
			sortMQs(mqs)
			rows := make([]queueStatusRow, 0, len(mqs))
			for _, mq := range mqs {
				o := stats.Offsets[mq]
				rows = append(rows, queueStatusRow{BrokerName: mq.BrokerName, QueueID: mq.QueueID, MinOffset: o.MinOffset,
					MaxOffset: o.MaxOffset, LastUpdateTimestamp: o.LastUpdateTimestamp})
			}
			if x.json() {
				return printJSON(x, map[string]any{"offsetTable": rows, "topicPutTps": stats.PutTps})
			}
			x.printf("%-32s  %-4s  %-20s  %-20s    %s\n", "#Broker Name", "#QID", "#Min Offset", "#Max Offset", "#Last Updated")
			for _, r := range rows {
				last := ""
				if r.LastUpdateTimestamp > 0 {
					last = humanTime2(r.LastUpdateTimestamp)
				}
				x.printf("%-32s  %-4d  %-20d  %-20d    %s\n", frontStringAtLeast(r.BrokerName, 32), r.QueueID, r.MinOffset, r.MaxOffset, last)
			}
			x.printf("\n")
			x.printf("Topic Put TPS: %s\n", javaDouble(stats.PutTps))
			return nil
		},
	}
}
