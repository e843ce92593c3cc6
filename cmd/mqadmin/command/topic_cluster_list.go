package command

// topicClusterList (TopicClusterSubCommand): the clusters holding the
// broker group of a topic's route (its first broker, as Java does).

import (
	"github.com/urfave/cli/v2"
)

func topicClusterList() spec {
	return spec{
		name:     "topicClusterList",
		usage:    "Get cluster info for topic.",
		flags:    []cli.Flag{strFlag("topic", "t", "topic name")},
		required: []string{"t"},
		json:     true,
		run: func(x *ctx) error {
			ci, err := x.adm.clusterInfo()
			if err != nil {
				return err
			}
			rd, err := x.adm.route(x.trimmed("t"))
			if err != nil {
				return err
			}
			clusters := []string{}
			if len(rd.BrokerDatas) > 0 {
				clusters = clustersOf(ci.ClusterAddrTable, rd.BrokerDatas[0].BrokerName)
			}
			if x.json() {
				return printJSON(x, clusters)
			}
			for _, c := range clusters {
				x.printf("%s\n", c)
			}
			return nil
		},
	}
}
