package command

// consumerProgress (ConsumerProgressSubCommand): with -g, every queue of a
// group's topics with broker offset, consumer offset, diff, in-flight and
// last consume time (GET_CONSUME_STATS on each broker of %RETRY%group's
// route), plus totals; -s true adds the client each queue is assigned to
// (GET_CONSUMER_RUNNING_INFO through the broker; N/A when unavailable).
// Without -g, one line per group (every %RETRY% topic): clients, version,
// type, model, TPS and total diff.

import (
	"encoding/json"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
)

// progressRow is one queue of consumerProgress -g.
type progressRow struct {
	Topic          string `json:"topic"`
	BrokerName     string `json:"brokerName"`
	QueueID        int32  `json:"queueId"`
	BrokerOffset   int64  `json:"brokerOffset"`
	ConsumerOffset int64  `json:"consumerOffset"`
	ClientIP       string `json:"clientIP,omitempty"`
	Diff           int64  `json:"diff"`
	Inflight       int64  `json:"inflight"`
	LastTimestamp  int64  `json:"lastTimestamp"`
}

// groupRow is one group of consumerProgress without -g.
type groupRow struct {
	Group        string `json:"group"`
	Count        int    `json:"count"`
	Version      string `json:"version"`
	Type         string `json:"type"`
	Model        string `json:"model"`
	ConsumeTps   int    `json:"consumeTps"`
	DiffTotal    int64  `json:"diffTotal"`
	minVersion   int
	consumeType  string
	messageModel string
}

func consumerProgress() spec {
	return spec{
		name:  "consumerProgress",
		usage: "Query consumer's progress, speed.",
		flags: []cli.Flag{
			strFlag("groupName", "g", "consumer group name"),
			strFlag("topicName", "t", "topic name"),
			strFlag("showClientIP", "s", "Show Client IP per Queue"),
			strFlag("cluster", "c", "Cluster name or lmq parent topic, lmq is used to find the route."),
		},
		json: true,
		run: func(x *ctx) error {
			if x.IsSet("g") {
				return groupProgress(x, x.trimmed("g"), x.trimmed("t"), strings.EqualFold(x.String("s"), "true"))
			}
			return allGroupsProgress(x)
		},
	}
}

func groupProgress(x *ctx, group, topic string, showClientIP bool) error {
	cs, err := x.adm.examineConsumeStats(group, topic)
	if err != nil {
		return err
	}
	var owners map[mqKey]string
	if showClientIP {
		owners = x.adm.queueOwners(group)
	}
	mqs := make([]mqKey, 0, len(cs.Offsets))
	for mq := range cs.Offsets {
		mqs = append(mqs, mq)
	}
	sortMQs(mqs)
	rows := make([]progressRow, 0, len(mqs))
	var diffTotal, inflightTotal int64
	for _, mq := range mqs {
		o := cs.Offsets[mq]
		r := progressRow{Topic: mq.Topic, BrokerName: mq.BrokerName, QueueID: mq.QueueID, BrokerOffset: o.BrokerOffset,
			ConsumerOffset: o.ConsumerOffset, Diff: o.BrokerOffset - o.ConsumerOffset, Inflight: o.PullOffset - o.ConsumerOffset,
			LastTimestamp: o.LastTimestamp}
		if showClientIP {
			r.ClientIP = "N/A"
			if ip, ok := owners[mq]; ok {
				r.ClientIP = ip
			}
		}
		diffTotal += r.Diff
		inflightTotal += r.Inflight
		rows = append(rows, r)
	}
	if x.json() {
		return printJSON(x, map[string]any{"offsetTable": rows, "consumeTps": cs.ConsumeTps, "diffTotal": diffTotal, "inflightTotal": inflightTotal})
	}
	if showClientIP {
		x.printf("%-64s  %-32s  %-4s  %-20s  %-20s  %-20s %-20s %-20s%s\n",
			"#Topic", "#Broker Name", "#QID", "#Broker Offset", "#Consumer Offset", "#Client IP", "#Diff", "#Inflight", "#LastTime")
	} else {
		x.printf("%-64s  %-32s  %-4s  %-20s  %-20s  %-20s %-20s%s\n",
			"#Topic", "#Broker Name", "#QID", "#Broker Offset", "#Consumer Offset", "#Diff", "#Inflight", "#LastTime")
	}
	for _, r := range rows {
		last := "N/A"
		if r.LastTimestamp != 0 {
			last = formatDate(r.LastTimestamp)
		}
		topic, broker := frontStringAtLeast(r.Topic, 64), frontStringAtLeast(r.BrokerName, 32)
		if showClientIP {
			x.printf("%-64s  %-32s  %-4d  %-20d  %-20d  %-20s %-20d %-20d %s\n",
				topic, broker, r.QueueID, r.BrokerOffset, r.ConsumerOffset, r.ClientIP, r.Diff, r.Inflight, last)
		} else {
			x.printf("%-64s  %-32s  %-4d  %-20d  %-20d  %-20d %-20d %s\n",
				topic, broker, r.QueueID, r.BrokerOffset, r.ConsumerOffset, r.Diff, r.Inflight, last)
		}
	}
	x.printf("\n")
	x.printf("Consume TPS: %.2f\n", cs.ConsumeTps)
	x.printf("Consume Diff Total: %d\n", diffTotal)
	x.printf("Consume Inflight Total: %d\n", inflightTotal)
	return nil
}

func allGroupsProgress(x *ctx) error {
	topics, err := x.adm.topicList()
	if err != nil {
		return err
	}
	rows := []groupRow{}
	for _, topic := range topics {
		if !compat.IsRetryTopic(topic) {
			continue
		}
		r := groupRow{Group: strings.TrimPrefix(topic, compat.RetryGroupTopicPrefix)}
		// Java ignores both failures: an offline group prints OFFLINE.
		if cs, err := x.adm.examineConsumeStats(r.Group, ""); err == nil {
			r.ConsumeTps, r.DiffTotal = int(cs.ConsumeTps), cs.DiffTotal()
		}
		if cc, err := x.adm.examineConsumerConnection(r.Group); err == nil {
			r.Count = len(cc.ConnectionSet)
			r.consumeType, r.messageModel = cc.ConsumeType, cc.MessageModel
			for i, c := range cc.ConnectionSet {
				if i == 0 || c.Version < r.minVersion {
					r.minVersion = c.Version
				}
			}
		}
		r.Version = "OFFLINE"
		if r.Count > 0 {
			r.Version = versionDesc(r.minVersion)
			r.Type = "PUSH"
			if r.consumeType == "CONSUME_ACTIVELY" {
				r.Type = "PULL"
			} else if r.consumeType == "CONSUME_PASSIVELY" {
				r.Model = r.messageModel
			}
		}
		rows = append(rows, r)
	}
	if x.json() {
		return printJSON(x, rows)
	}
	x.printf("%-64s  %-6s  %-24s %-5s  %-14s  %-7s  %s\n", "#Group", "#Count", "#Version", "#Type", "#Model", "#TPS", "#Diff Total")
	for _, r := range rows {
		x.printf("%-64s  %-6d  %-24s %-5s  %-14s  %-7d  %d\n", frontStringAtLeast(r.Group, 64), r.Count, r.Version, r.Type, r.Model, r.ConsumeTps, r.DiffTotal)
	}
	return nil
}

// queueOwners maps each queue a group's clients hold to the client's IP
// (GET_CONSUMER_RUNNING_INFO per client, relayed by a broker). Failures
// leave queues out, as Java does.
func (a *adminExt) queueOwners(group string) map[mqKey]string {
	out := map[mqKey]string{}
	rd, err := a.route(compat.RetryTopic(group))
	if err != nil || len(rd.BrokerDatas) == 0 {
		return out
	}
	addr := admin.SelectAddr(&rd.BrokerDatas[0])
	cc, err := a.consumerConnectionOf(addr, group)
	if err != nil {
		return out
	}
	for _, c := range cc.ConnectionSet {
		resp, err := a.call(addr, admin.Request(wire.GetConsumerRunningInfo, "consumerGroup", group, "clientId", c.ClientID, "jstackEnable", "false"))
		if err != nil {
			continue
		}
		var info struct {
			MQTable map[string]json.RawMessage `json:"mqTable"`
		}
		if admin.Decode(resp.Body, &info) != nil {
			continue
		}
		mqs, err := admin.DecodeMQMap(info.MQTable)
		if err != nil {
			continue
		}
		ip, _, _ := strings.Cut(c.ClientID, "@")
		for mq := range mqs {
			out[mq] = ip
		}
	}
	return out
}
