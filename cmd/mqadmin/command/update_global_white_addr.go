package command

// updateGlobalWhiteAddr (UpdateGlobalWhiteAddrSubCommand):
// UPDATE_GLOBAL_WHITE_ADDRS_CONFIG on one broker (-b) or every master and
// slave of a cluster (-c); -p names the ACL file (Booster's broker has
// one, so it may be left out).

import (
	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func updateGlobalWhiteAddr() spec {
	return spec{
		name:  "updateGlobalWhiteAddr",
		usage: "Update global white address for acl Config File in broker.",
		flags: []cli.Flag{
			strFlag("brokerAddr", "b", "update global white address to which broker"),
			strFlag("clusterName", "c", "update global white address to which cluster"),
			strFlag("globalWhiteRemoteAddresses", "g", "set globalWhiteRemoteAddress list,eg: 10.10.103.*,192.168.0.*"),
			strFlag("aclFileFullPath", "p", "update global white address of specified acl file,eg: /xxx/plain_test.yml"),
		},
		required: []string{"g"},
		run: func(x *ctx) error {
			req := func() *wire.Command {
				r := admin.Request(wire.UpdateGlobalWhiteAddrsConfig, "globalWhiteAddrs", x.trimmed("g"))
				if x.IsSet("p") {
					r.SetExt("aclFileFullPath", x.trimmed("p"))
				}
				return r
			}
			return aclEach(x, req, "update global white remote addresses to %s success.\n")
		},
	}
}
