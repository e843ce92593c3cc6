package command

// brokerStatus (BrokerStatusSubCommand): every runtime statistic of a
// broker (GET_BROKER_RUNTIME_INFO), sorted by key; with -c, of every
// master and slave of a cluster, each line prefixed by the address.

import (
	"errors"
	"fmt"
	"sort"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func brokerStatus() spec {
	return spec{
		name:  "brokerStatus",
		usage: "Fetch broker runtime status data.",
		flags: []cli.Flag{
			strFlag("brokerAddr", "b", "Broker address"),
			strFlag("clusterName", "c", "which cluster"),
		},
		json: true,
		run: func(x *ctx) error {
			if err := x.oneOf("b", "c"); err != nil {
				return err
			}
			addrs := []string{x.trimmed("b")}
			if !x.IsSet("b") {
				var err error
				if addrs, err = x.adm.allAddrs(x.trimmed("c")); err != nil {
					return err
				}
			}
			all := map[string]map[string]string{}
			var errs []error
			for _, addr := range addrs {
				resp, err := x.adm.call(addr, admin.Request(wire.GetBrokerRuntimeInfo))
				var m map[string]string
				if err == nil {
					m, err = admin.KVTable(resp)
				}
				if err != nil {
					if !x.IsSet("b") {
						errs = append(errs, fmt.Errorf("broker %s: %w", addr, err))
						continue
					}
					return err
				}
				all[addr] = m
				if x.json() {
					continue
				}
				keys := make([]string, 0, len(m))
				for k := range m {
					keys = append(keys, k)
				}
				sort.Strings(keys)
				for _, k := range keys {
					if x.IsSet("b") {
						x.printf("%-32s: %s\n", k, m[k])
					} else {
						x.printf("%-24s %-32s: %s\n", addr, k, m[k])
					}
				}
			}
			if x.json() {
				if x.IsSet("b") {
					return printJSON(x, all[addrs[0]])
				}
				if err := printJSON(x, all); err != nil {
					return err
				}
			}
			return errors.Join(errs...)
		},
	}
}
