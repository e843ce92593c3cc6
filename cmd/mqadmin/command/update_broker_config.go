package command

// updateBrokerConfig (UpdateBrokerConfigSubCommand): UPDATE_BROKER_CONFIG
// with one key=value on a broker (-b), every master of a cluster (-c), or
// with -a every master and slave.

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func updateBrokerConfig() spec {
	return spec{
		name:  "updateBrokerConfig",
		usage: "Update broker's config.",
		flags: []cli.Flag{
			strFlag("brokerAddr", "b", "update which broker"),
			strFlag("clusterName", "c", "update which cluster"),
			strFlag("updateAllBroker", "a", "update all brokers include slave"),
			strFlag("key", "k", "config key"),
			strFlag("value", "v", "config value"),
		},
		required: []string{"k", "v"},
		run: func(x *ctx) error {
			if err := x.oneOf("b", "c"); err != nil {
				return err
			}
			req := func() *wire.Command {
				r := admin.Request(wire.UpdateBrokerConfig)
				r.Body = []byte(x.trimmed("k") + "=" + x.trimmed("v") + "\n")
				return r
			}
			if x.IsSet("b") {
				addr := x.trimmed("b")
				if _, err := x.adm.call(addr, req()); err != nil {
					return err
				}
				x.printf("update broker config success, %s\n", addr)
				return nil
			}
			var addrs []string
			var err error
			if x.IsSet("a") {
				addrs, err = x.adm.allAddrs(x.trimmed("c"))
			} else {
				addrs, err = x.adm.masters(x.trimmed("c"))
			}
			if err != nil {
				return err
			}
			var errs []error
			for _, addr := range addrs {
				if _, err := x.adm.call(addr, req()); err != nil {
					errs = append(errs, fmt.Errorf("broker %s: %w", addr, err))
					continue
				}
				x.printf("update broker config success, %s\n", addr)
			}
			return errors.Join(errs...)
		},
	}
}
