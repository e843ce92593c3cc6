package command

// topicList (TopicListSubCommand): every topic the NameServer knows
// (GET_ALL_TOPIC_LIST_FROM_NAMESERVER), one per line; with -c, one line
// per (cluster, topic, consumer group), retry and DLQ topics left out.

import (
	"slices"
	"sort"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/compat"
)

// topicGroupRow is one line of topicList -c.
type topicGroupRow struct {
	Cluster       string `json:"cluster"`
	Topic         string `json:"topic"`
	ConsumerGroup string `json:"consumerGroup"`
}

func topicList() spec {
	return spec{
		name:  "topicList",
		usage: "Fetch all topic list from name server.",
		flags: []cli.Flag{boolFlag("clusterModel", "c", "clusterModel")},
		json:  true,
		run: func(x *ctx) error {
			topics, err := x.adm.topicList()
			if err != nil {
				return err
			}
			if !x.Bool("c") {
				if x.json() {
					return printJSON(x, map[string][]string{"topicList": topics})
				}
				for _, t := range topics {
					x.printf("%s\n", t)
				}
				return nil
			}
			ci, err := x.adm.clusterInfo()
			if err != nil {
				return err
			}
			rows := []topicGroupRow{}
			for _, topic := range topics {
				if compat.IsRetryTopic(topic) || strings.HasPrefix(topic, compat.DLQGroupTopicPrefix) {
					continue
				}
				// Java ignores failures here and prints the topic without them.
				cluster := ""
				if rd, err := x.adm.route(topic); err == nil && len(rd.BrokerDatas) > 0 {
					if cs := clustersOf(ci.ClusterAddrTable, rd.BrokerDatas[0].BrokerName); len(cs) > 0 {
						cluster = cs[0]
					}
				}
				groups, _ := x.adm.queryTopicConsumeByWho(topic)
				if len(groups) == 0 {
					groups = []string{""}
				}
				for _, g := range groups {
					rows = append(rows, topicGroupRow{Cluster: cluster, Topic: topic, ConsumerGroup: g})
				}
			}
			if x.json() {
				return printJSON(x, rows)
			}
			x.printf("%-20s  %-48s  %-48s\n", "#Cluster Name", "#Topic", "#Consumer Group")
			for _, r := range rows {
				x.printf("%-20s  %-64s  %-64s\n", frontStringAtLeast(r.Cluster, 20), frontStringAtLeast(r.Topic, 64), frontStringAtLeast(r.ConsumerGroup, 64))
			}
			return nil
		},
	}
}

// clustersOf returns the clusters holding a broker group, sorted.
func clustersOf(clusters map[string][]string, brokerName string) []string {
	out := []string{}
	for c, brokers := range clusters {
		if slices.Contains(brokers, brokerName) {
			out = append(out, c)
		}
	}
	sort.Strings(out)
	return out
}
