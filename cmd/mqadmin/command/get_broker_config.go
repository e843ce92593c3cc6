package command

// getBrokerConfig (GetBrokerConfigCommand): a broker's configuration
// (GET_BROKER_CONFIG) as "key=  value" lines under a banner, for one
// broker (-b) or every master and its slaves of a cluster (-c).

import (
	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func getBrokerConfig() spec {
	return spec{
		name:  "getBrokerConfig",
		usage: "Get broker config by cluster or special broker.",
		flags: []cli.Flag{
			strFlag("brokerAddr", "b", "get which broker"),
			strFlag("clusterName", "c", "get which cluster"),
		},
		json: true,
		run: func(x *ctx) error {
			if err := x.oneOf("b", "c"); err != nil {
				return err
			}
			type target struct{ banner, addr string }
			var targets []target
			if x.IsSet("b") {
				addr := x.trimmed("b")
				targets = append(targets, target{"============" + addr + "============\n", addr})
			} else {
				groups, err := x.adm.brokerGroups(x.trimmed("c"))
				if err != nil {
					return err
				}
				for _, bd := range groups {
					master := bd.MasterAddr()
					if master == "" {
						continue
					}
					targets = append(targets, target{"============Master: " + master + "============\n", master})
					for _, id := range admin.BrokerIDs(bd) {
						if id != 0 {
							slave := bd.BrokerAddrs[id]
							targets = append(targets, target{"============My Master: " + master + "=====Slave: " + slave + "============\n", slave})
						}
					}
				}
			}
			all := map[string]map[string]string{}
			for _, t := range targets {
				props, err := x.adm.properties(t.addr, wire.GetBrokerConfig)
				if err != nil {
					return err
				}
				if x.json() {
					all[t.addr] = propertyMap(props)
					continue
				}
				x.printf("%s", t.banner)
				if len(props) == 0 {
					x.printf("Broker[%s] has no config property!\n", t.addr)
					continue
				}
				printProperties(x, props)
				x.printf("\n")
			}
			if x.json() {
				return printJSON(x, all)
			}
			return nil
		},
	}
}
