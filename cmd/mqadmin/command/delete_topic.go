package command

// deleteTopic (DeleteTopicSubCommand): DELETE_TOPIC_IN_BROKER on every
// master of the cluster, then DELETE_TOPIC_IN_NAMESRV (with the cluster
// name) on every NameServer.

import (
	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func deleteTopic() spec {
	return spec{
		name:  "deleteTopic",
		usage: "Delete topic from broker and NameServer.",
		flags: []cli.Flag{
			strFlag("topic", "t", "topic name"),
			strFlag("clusterName", "c", "delete topic from which cluster"),
		},
		required: []string{"t", "c"},
		run: func(x *ctx) error {
			topic, cluster := x.trimmed("t"), x.trimmed("c")
			masters, err := x.adm.masters(cluster)
			if err != nil {
				return err
			}
			for _, addr := range masters {
				if _, err := x.adm.call(addr, admin.Request(wire.DeleteTopicInBroker, "topic", topic)); err != nil {
					return err
				}
			}
			x.printf("delete topic [%s] from cluster [%s] success.\n", topic, cluster)
			if err := x.adm.nsEach(admin.Request(wire.DeleteTopicInNamesrv, "topic", topic, "clusterName", cluster)); err != nil {
				return err
			}
			x.printf("delete topic [%s] from NameServer success.\n", topic)
			return nil
		},
	}
}
