package command

// deleteSubGroup (DeleteSubscriptionGroupCommand): DELETE_SUBSCRIPTIONGROUP
// on one broker (-b) or every master of a cluster (-c); with -c the
// group's %RETRY% and %DLQ% topics are deleted from the cluster too.

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
)

func deleteSubGroup() spec {
	return spec{
		name:  "deleteSubGroup",
		usage: "Delete subscription group from broker.",
		flags: []cli.Flag{
			strFlag("brokerAddr", "b", "delete subscription group from which broker"),
			strFlag("clusterName", "c", "delete subscription group from which cluster"),
			strFlag("groupName", "g", "subscription group name"),
			strFlag("removeOffset", "r", "remove offset"),
		},
		required: []string{"g"},
		run: func(x *ctx) error {
			if err := x.oneOf("b", "c"); err != nil {
				return err
			}
			group := x.trimmed("g")
			req := func() *wire.Command {
				return admin.Request(wire.DeleteSubscriptiongroup, "groupName", group, "cleanOffset", fmt.Sprint(javaBool(x.String("r"))))
			}
			if x.IsSet("b") {
				addr := x.trimmed("b")
				if _, err := x.adm.call(addr, req()); err != nil {
					return err
				}
				x.printf("delete subscription group [%s] from broker [%s] success.\n", group, addr)
				return nil
			}
			cluster := x.trimmed("c")
			masters, err := x.adm.masters(cluster)
			if err != nil {
				return err
			}
			for _, addr := range masters {
				if _, err := x.adm.call(addr, req()); err != nil {
					return err
				}
				x.printf("delete subscription group [%s] from broker [%s] in cluster [%s] success.\n", group, addr, cluster)
			}
			for _, topic := range []string{compat.RetryTopic(group), compat.DLQTopic(group)} {
				for _, addr := range masters {
					if _, err := x.adm.call(addr, admin.Request(wire.DeleteTopicInBroker, "topic", topic)); err != nil {
						fmt.Fprintf(x.env.Stderr, "mqadmin: deleteSubGroup: delete topic %s from %s: %s\n", topic, addr, admin.OneLine(err.Error()))
					}
				}
				if err := x.adm.nsEach(admin.Request(wire.DeleteTopicInNamesrv, "topic", topic, "clusterName", cluster)); err != nil {
					fmt.Fprintf(x.env.Stderr, "mqadmin: deleteSubGroup: delete topic %s from the NameServer: %s\n", topic, admin.OneLine(err.Error()))
				}
			}
			return nil
		},
	}
}
