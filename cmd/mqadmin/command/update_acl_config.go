package command

// updateAclConfig (UpdateAccessConfigSubCommand): UPDATE_AND_CREATE_ACL_CONFIG
// on one broker (-b) or every master and slave of a cluster (-c). Options
// left out keep the account's current value; -t and -g replace the whole
// list.

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func updateACLConfig() spec {
	return spec{
		name:  "updateAclConfig",
		usage: "Update acl config yaml file in broker.",
		flags: []cli.Flag{
			strFlag("brokerAddr", "b", "update acl config file to which broker"),
			strFlag("clusterName", "c", "update acl config file to which cluster"),
			strFlag("accessKey", "a", "set accessKey in acl config file"),
			strFlag("secretKey", "s", "set secretKey in acl config file"),
			strFlag("whiteRemoteAddress", "w", "set white ip Address for account in acl config file"),
			strFlag("defaultTopicPerm", "i", "set default topicPerm in acl config file"),
			strFlag("defaultGroupPerm", "u", "set default GroupPerm in acl config file"),
			strFlag("topicPerms", "t", "set topicPerms list,eg: topicA=DENY,topicD=SUB"),
			strFlag("groupPerms", "g", "set groupPerms list,eg: groupD=DENY,groupD=SUB"),
			strFlag("admin", "m", "set admin flag in acl config file"),
		},
		required: []string{"a", "s"},
		run: func(x *ctx) error {
			ac := javaAccessConfig{accessKey: x.trimmed("a"), secretKey: x.trimmed("s"), admin: javaBool(x.String("m"))}
			for name, dst := range map[string]*string{"w": &ac.whiteRemoteAddress, "i": &ac.defaultTopicPerm, "u": &ac.defaultGroupPerm} {
				if x.IsSet(name) {
					v := x.trimmed(name)
					*dst = v
				} else {
					*dst = javaNull
				}
			}
			for name, dst := range map[string]*[]string{"t": &ac.topicPerms, "g": &ac.groupPerms} {
				if x.IsSet(name) {
					*dst = strings.Split(x.trimmed(name), ",")
				}
			}
			req := func() *wire.Command {
				r := admin.Request(wire.UpdateAndCreateAclConfig, "accessKey", ac.accessKey, "secretKey", ac.secretKey, "admin", boolText(ac.admin))
				for k, v := range map[string]string{"whiteRemoteAddress": ac.whiteRemoteAddress, "defaultTopicPerm": ac.defaultTopicPerm, "defaultGroupPerm": ac.defaultGroupPerm} {
					if v != javaNull {
						r.SetExt(k, v)
					}
				}
				if ac.topicPerms != nil {
					r.SetExt("topicPerms", strings.Join(ac.topicPerms, ","))
				}
				if ac.groupPerms != nil {
					r.SetExt("groupPerms", strings.Join(ac.groupPerms, ","))
				}
				return r
			}
			if err := aclEach(x, req, "create or update plain access config to %s success.\n"); err != nil {
				return err
			}
			x.printf("%s", ac.String())
			return nil
		},
	}
}

// javaNull stands for a Java null string in javaAccessConfig.
const javaNull = "\x00null"

// javaAccessConfig is the PlainAccessConfig mqadmin sends, kept to print
// it as Java's toString does.
type javaAccessConfig struct {
	accessKey, secretKey, whiteRemoteAddress string
	admin                                    bool
	defaultTopicPerm, defaultGroupPerm       string
	topicPerms, groupPerms                   []string
}

// String is PlainAccessConfig.toString.
func (a javaAccessConfig) String() string {
	str := func(s string) string {
		if s == javaNull {
			return "null"
		}
		return s
	}
	return "PlainAccessConfig{accessKey='" + a.accessKey + "', whiteRemoteAddress='" + str(a.whiteRemoteAddress) +
		"', admin=" + boolText(a.admin) + ", defaultTopicPerm='" + str(a.defaultTopicPerm) +
		"', defaultGroupPerm='" + str(a.defaultGroupPerm) + "', topicPerms=" + javaList(a.topicPerms) +
		", groupPerms=" + javaList(a.groupPerms) + "}"
}

// javaList is List.toString, "null" for nil.
func javaList(l []string) string {
	if l == nil {
		return "null"
	}
	return "[" + strings.Join(l, ", ") + "]"
}

func boolText(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

// aclTargets insists on -b or -c and returns -b, or with -c the cluster's masters and slaves
// (withSlaves, CommandUtil.fetchMasterAndSlaveAddrByClusterName) or its
// masters only.
func aclTargets(x *ctx, withSlaves bool) ([]string, error) {
	if err := x.oneOf("b", "c"); err != nil {
		return nil, err
	}
	if x.IsSet("b") {
		return []string{x.trimmed("b")}, nil
	}
	if withSlaves {
		return x.adm.allAddrs(x.trimmed("c"))
	}
	return x.adm.masters(x.trimmed("c"))
}

// aclEach sends the request req builds to every target of -b or -c, with
// slaves, printing done (a format taking the address) after each.
func aclEach(x *ctx, req func() *wire.Command, done string) error {
	addrs, err := aclTargets(x, true)
	if err != nil {
		return err
	}
	for _, addr := range addrs {
		if _, err := x.adm.call(addr, req()); err != nil {
			return err
		}
		x.printf(done, addr)
	}
	return nil
}
