package command

// updateKvConfig (UpdateKvConfigCommand): PUT_KV_CONFIG on every NameServer.

import (
	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func updateKvConfig() spec {
	return spec{
		name:  "updateKvConfig",
		usage: "Create or update KV config.",
		flags: []cli.Flag{
			strFlag("namespace", "s", "set the namespace"),
			strFlag("key", "k", "set the key name"),
			strFlag("value", "v", "set the key value"),
		},
		required: []string{"s", "k", "v"},
		run: func(x *ctx) error {
			if err := x.adm.nsEach(admin.Request(wire.PutKvConfig, "namespace", x.trimmed("s"), "key", x.trimmed("k"), "value", x.trimmed("v"))); err != nil {
				return err
			}
			x.printf("create or update kv config to namespace success.\n")
			return nil
		},
	}
}
