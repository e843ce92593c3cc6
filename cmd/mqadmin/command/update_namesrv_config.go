package command

// updateNamesrvConfig (UpdateNamesrvConfigCommand): UPDATE_NAMESRV_CONFIG
// with one key=value on every NameServer.

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func updateNamesrvConfig() spec {
	return spec{
		name:  "updateNamesrvConfig",
		usage: "Update configs of name server.",
		flags: []cli.Flag{
			strFlag("key", "k", "config key"),
			strFlag("value", "v", "config value"),
		},
		required: []string{"k", "v"},
		run: func(x *ctx) error {
			key, value := x.trimmed("k"), x.trimmed("v")
			req := admin.Request(wire.UpdateNamesrvConfig)
			req.Body = []byte(key + "=" + value + "\n")
			if err := x.adm.nsEach(req); err != nil {
				return err
			}
			servers := ""
			if x.IsSet("namesrvAddr") {
				servers = "[" + strings.Join(x.adm.namesrv, ", ") + "]"
			}
			x.printf("update name server config success!%s\n%s : %s\n", servers, key, value)
			return nil
		},
	}
}
