package command

// getAclConfig (GetAccessConfigSubCommand): GET_BROKER_CLUSTER_ACL_CONFIG
// of one broker (-b) or every master of a cluster (-c), printed as Java
// prints it: the global white list, then every PlainAccessConfig field by
// reflection (the serialVersionUID first, as Java's getDeclaredFields
// lists it), blank for nulls.

import (
	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

// plainAccessConfigSerialVersionUID is the static field Java prints first.
const plainAccessConfigSerialVersionUID = "-4517357000307227637"

// aclConfigBody is GetBrokerClusterAclConfigResponseBody; absent fields
// stay nil, which Java prints blank.
type aclConfigBody struct {
	GlobalWhiteAddrs   []string `json:"globalWhiteAddrs"`
	PlainAccessConfigs []struct {
		AccessKey          *string   `json:"accessKey"`
		SecretKey          *string   `json:"secretKey"`
		WhiteRemoteAddress *string   `json:"whiteRemoteAddress"`
		Admin              bool      `json:"admin"`
		DefaultTopicPerm   *string   `json:"defaultTopicPerm"`
		DefaultGroupPerm   *string   `json:"defaultGroupPerm"`
		TopicPerms         *[]string `json:"topicPerms"`
		GroupPerms         *[]string `json:"groupPerms"`
	} `json:"plainAccessConfigs"`
}

func getACLConfig() spec {
	return spec{
		name:  "getAclConfig",
		usage: "List all of acl config information in cluster.",
		flags: []cli.Flag{
			strFlag("brokerAddr", "b", "query acl config version for which broker"),
			strFlag("clusterName", "c", "query acl config version for specified cluster"),
		},
		run: func(x *ctx) error {
			addrs, err := aclTargets(x, false)
			if err != nil {
				return err
			}
			for _, addr := range addrs {
				resp, err := x.adm.call(addr, admin.Request(wire.GetBrokerClusterAclConfig))
				if err != nil {
					return err
				}
				var body aclConfigBody
				if err := admin.Decode(resp.Body, &body); err != nil {
					return err
				}
				x.printf("\n%-20s: %s\n\n", "globalWhiteRemoteAddresses", javaList(orEmpty(body.GlobalWhiteAddrs)))
				x.printf("accounts:\n")
				for _, a := range body.PlainAccessConfigs {
					field := func(name, value string) { x.printf("%-1s %-18s: %s\n", "", name, value) }
					str := func(p *string) string {
						if p == nil {
							return ""
						}
						return *p
					}
					list := func(p *[]string) string {
						if p == nil {
							return ""
						}
						return javaList(orEmpty(*p))
					}
					field("serialVersionUID", plainAccessConfigSerialVersionUID)
					field("accessKey", str(a.AccessKey))
					field("secretKey", str(a.SecretKey))
					field("whiteRemoteAddress", str(a.WhiteRemoteAddress))
					field("admin", boolText(a.Admin))
					field("defaultTopicPerm", str(a.DefaultTopicPerm))
					field("defaultGroupPerm", str(a.DefaultGroupPerm))
					field("topicPerms", list(a.TopicPerms))
					field("groupPerms", list(a.GroupPerms))
					x.printf("\n")
				}
			}
			return nil
		},
	}
}

// orEmpty turns nil into an empty list (Java's lists here are never null).
func orEmpty(l []string) []string {
	if l == nil {
		return []string{}
	}
	return l
}
