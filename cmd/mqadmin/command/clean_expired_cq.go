package command

// cleanExpiredCQ (CleanExpiredCQSubCommand): CLEAN_EXPIRED_CONSUMEQUEUE on
// one broker (-b), every broker of a cluster (-c) or of every cluster.
// Prints "success" or "false" without a newline, as Java does.

import (
	"sort"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func cleanExpiredCQ() spec {
	return spec{
		name:  "cleanExpiredCQ",
		usage: "Clean expired ConsumeQueue on broker.",
		flags: []cli.Flag{
			strFlag("brokerAddr", "b", "Broker address"),
			strFlag("cluster", "c", "clustername"),
		},
		run: func(x *ctx) error {
			var addrs []string
			switch {
			case x.IsSet("b"):
				addrs = []string{x.trimmed("b")}
			case x.IsSet("c"):
				var err error
				if addrs, err = x.adm.allAddrs(x.trimmed("c")); err != nil {
					return err
				}
			default:
				ci, err := x.adm.clusterInfo()
				if err != nil {
					return err
				}
				clusters := make([]string, 0, len(ci.ClusterAddrTable))
				for c := range ci.ClusterAddrTable {
					clusters = append(clusters, c)
				}
				sort.Strings(clusters)
				for _, c := range clusters {
					a, err := x.adm.allAddrs(c)
					if err != nil {
						return err
					}
					addrs = append(addrs, a...)
				}
			}
			ok := true
			for _, addr := range addrs {
				if _, err := x.adm.call(addr, admin.Request(wire.CleanExpiredConsumequeue)); err != nil {
					if admin.ResponseCode(err) < 0 {
						return err
					}
					ok = false
				}
			}
			if ok {
				x.printf("success")
			} else {
				x.printf("false")
			}
			return nil
		},
	}
}
