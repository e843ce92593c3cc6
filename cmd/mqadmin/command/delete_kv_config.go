package command

// deleteKvConfig (DeleteKvConfigCommand): DELETE_KV_CONFIG on every NameServer.

import (
	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func deleteKvConfig() spec {
	return spec{
		name:  "deleteKvConfig",
		usage: "Delete KV config.",
		flags: []cli.Flag{
			strFlag("namespace", "s", "set the namespace"),
			strFlag("key", "k", "set the key name"),
		},
		required: []string{"s", "k"},
		run: func(x *ctx) error {
			if err := x.adm.nsEach(admin.Request(wire.DeleteKvConfig, "namespace", x.trimmed("s"), "key", x.trimmed("k"))); err != nil {
				return err
			}
			x.printf("delete kv config from namespace success.\n")
			return nil
		},
	}
}
