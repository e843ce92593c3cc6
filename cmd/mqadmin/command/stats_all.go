package command

// statsAll (StatsAllSubCommand): per topic and consumer group, the
// accumulation (total diff, GET_CONSUME_STATS), in/out TPS and messages in
// the last 24 hours (VIEW_BROKER_STATS_DATA on each master; 0 where the
// broker keeps no such statistics, as Java prints when the call fails).

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
)

// statsRow is one line of statsAll.
type statsRow struct {
	Topic         string  `json:"topic"`
	ConsumerGroup string  `json:"consumerGroup"`
	Accumulation  int64   `json:"accumulation"`
	InTPS         float64 `json:"inTps"`
	OutTPS        float64 `json:"outTps"`
	InMsg24Hour   int64   `json:"inMsg24Hour"`
	OutMsg24Hour  int64   `json:"outMsg24Hour"`
}

func statsAll() spec {
	return spec{
		name:  "statsAll",
		usage: "Topic and Consumer tps stats.",
		flags: []cli.Flag{
			boolFlag("activeTopic", "a", "print active topic only"),
			strFlag("topic", "t", "print select topic only"),
		},
		json: true,
		run: func(x *ctx) error {
			topics, err := x.adm.topicList()
			if err != nil {
				return err
			}
			active, only := x.Bool("a"), x.trimmed("t")
			rows := []statsRow{}
			for _, topic := range topics {
				if compat.IsRetryTopic(topic) || strings.HasPrefix(topic, compat.DLQGroupTopicPrefix) || only != "" && topic != only {
					continue
				}
				rows = append(rows, topicStatsRows(x, topic, active)...) // Java skips a topic it cannot read
			}
			if x.json() {
				return printJSON(x, rows)
			}
			x.printf("%-64s  %-64s %12s %11s %11s %14s %14s\n", "#Topic", "#Consumer Group", "#Accumulation", "#InTPS", "#OutTPS", "#InMsg24Hour", "#OutMsg24Hour")
			for _, r := range rows {
				if r.ConsumerGroup == "" {
					x.printf("%-64s  %-64s %12d %11.2f %11s %14d %14s\n", frontStringAtLeast(r.Topic, 64), "", 0, r.InTPS, "", r.InMsg24Hour, "NO_CONSUMER")
					continue
				}
				x.printf("%-64s  %-64s %12d %11.2f %11.2f %14d %14d\n", frontStringAtLeast(r.Topic, 64), frontStringAtLeast(r.ConsumerGroup, 64),
					r.Accumulation, r.InTPS, r.OutTPS, r.InMsg24Hour, r.OutMsg24Hour)
			}
			return nil
		},
	}
}

// topicStatsRows is printTopicDetail: the rows of one topic.
func topicStatsRows(x *ctx, topic string, active bool) []statsRow {
	rd, err := x.adm.route(topic)
	if err != nil {
		return nil
	}
	groups, err := x.adm.queryTopicConsumeByWho(topic)
	if err != nil {
		return nil
	}
	brokerStats := func(name, key string) (tps float64, day int64) {
		for i := range rd.BrokerDatas {
			if addr := rd.BrokerDatas[i].MasterAddr(); addr != "" {
				t, d := x.adm.brokerStatsData(addr, name, key)
				tps += t
				day += d
			}
		}
		return tps, day
	}
	inTPS, inDay := brokerStats("TOPIC_PUT_NUMS", topic)
	var rows []statsRow
	for _, g := range groups {
		outTPS, outDay := brokerStats("GROUP_GET_NUMS", topic+"@"+g)
		var acc int64
		if cs, err := x.adm.examineConsumeStats(g, topic); err == nil {
			acc = max(0, cs.DiffTotal())
		}
		if !active || inDay > 0 || outDay > 0 {
			rows = append(rows, statsRow{Topic: topic, ConsumerGroup: g, Accumulation: acc, InTPS: inTPS, OutTPS: outTPS, InMsg24Hour: inDay, OutMsg24Hour: outDay})
		}
	}
	if len(groups) == 0 && (!active || inDay > 0) {
		rows = append(rows, statsRow{Topic: topic, InTPS: inTPS, InMsg24Hour: inDay})
	}
	return rows
}

// brokerStatsData reads one statistic (VIEW_BROKER_STATS_DATA): the
// minute's TPS and the last 24 hours' sum (day, else hour, else minute);
// zeros when the broker does not answer it.
func (a *adminExt) brokerStatsData(addr, name, key string) (tps float64, sum24h int64) {
	resp, err := a.call(addr, admin.Request(wire.ViewBrokerStatsData, "statsName", name, "statsKey", key))
	if err != nil {
		return 0, 0
	}
	type item struct {
		Sum int64   `json:"sum"`
		Tps float64 `json:"tps"`
	}
	var d struct {
		StatsMinute item `json:"statsMinute"`
		StatsHour   item `json:"statsHour"`
		StatsDay    item `json:"statsDay"`
	}
	if admin.Decode(resp.Body, &d) != nil {
		return 0, 0
	}
	switch {
	case d.StatsDay.Sum != 0:
		sum24h = d.StatsDay.Sum
	case d.StatsHour.Sum != 0:
		sum24h = d.StatsHour.Sum
	default:
		sum24h = d.StatsMinute.Sum
	}
	return d.StatsMinute.Tps, sum24h
}
