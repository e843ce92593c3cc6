package command

// clusterAclConfigVersion (ClusterAclConfigVersionListSubCommand):
// GET_BROKER_CLUSTER_ACL_INFO of one broker (-b) or every master of a
// cluster (-c, with a header line): one row per ACL file with its
// dataVersion counter and last update time.

import (
	"sort"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
)

func clusterACLConfigVersion() spec {
	return spec{
		name:  "clusterAclConfigVersion",
		usage: "List all of acl config version information in cluster.",
		flags: []cli.Flag{
			strFlag("brokerAddr", "b", "query acl config version for which broker"),
			strFlag("clusterName", "c", "query acl config version for specified cluster"),
		},
		run: func(x *ctx) error {
			const row = "%-16s  %-22s  %-22s  %-20s  %-22s  %-22s\n"
			addrs, err := aclTargets(x, false)
			if err != nil {
				return err
			}
			if !x.IsSet("b") {
				x.printf(row, "#Cluster Name", "#Broker Name", "#Broker Addr", "#AclFilePath", "#AclConfigVersionNum", "#AclLastUpdateTime")
			}
			for _, addr := range addrs {
				resp, err := x.adm.call(addr, admin.Request(wire.GetBrokerClusterAclInfo))
				if err != nil {
					return err
				}
				versions := map[string]codec.DataVersion{}
				if all := resp.ExtValue("allAclFileVersion"); all != "" {
					if err := admin.Decode([]byte(all), &versions); err != nil {
						return err
					}
				}
				files := make([]string, 0, len(versions))
				for f := range versions {
					files = append(files, f)
				}
				sort.Strings(files)
				for _, f := range files {
					v := versions[f]
					x.printf(row, resp.ExtValue("clusterName"), resp.ExtValue("brokerName"), resp.ExtValue("brokerAddr"),
						f, strconv.FormatInt(v.Counter, 10), formatDate(v.Timestamp))
				}
			}
			if x.IsSet("b") {
				x.printf("get broker's plain access config version success. Address:%s \n", x.trimmed("b"))
			} else {
				x.printf("get cluster's plain access config version success.\n")
			}
			return nil
		},
	}
}
