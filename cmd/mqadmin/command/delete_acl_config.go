package command

// deleteAclConfig (DeleteAccessConfigSubCommand): DELETE_ACL_CONFIG on one
// broker (-b) or every master and slave of a cluster (-c).

import (
	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func deleteACLConfig() spec {
	return spec{
		name:  "deleteAclConfig",
		usage: "Delete Acl Config Account in broker.",
		flags: []cli.Flag{
			strFlag("brokerAddr", "b", "delete acl config account from which broker"),
			strFlag("clusterName", "c", "delete acl config account from which cluster"),
			strFlag("accessKey", "a", "set accessKey in acl config file for deleting which account"),
		},
		required: []string{"a"},
		run: func(x *ctx) error {
			if err := x.oneOf("b", "c"); err != nil {
				return err
			}
			key := x.trimmed("a")
			addrs, err := aclTargets(x, true)
			if err != nil {
				return err
			}
			for _, addr := range addrs {
				if _, err := x.adm.call(addr, admin.Request(wire.DeleteAclConfig, "accessKey", key)); err != nil {
					return err
				}
				x.printf("delete plain access config account from %s success.\n", addr)
			}
			x.printf("account's accessKey is:%s", key)
			return nil
		},
	}
}
