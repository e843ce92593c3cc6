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
			key := x.trimmed("a")
			req := func() *wire.Command { return admin.Request(wire.DeleteAclConfig, "accessKey", key) }
			if err := aclEach(x, req, "delete plain access config account from %s success.\n"); err != nil {
				return err
			}
			x.printf("account's accessKey is:%s", key)
			return nil
		},
	}
}
