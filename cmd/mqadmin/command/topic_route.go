package command

// topicRoute (TopicRouteSubCommand): a topic's route from the NameServer
// (GET_ROUTEINFO_BY_TOPIC), printed as fastjson's pretty JSON (broker ids
// as bare numbers, as Java prints them), or with -l as a table.

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
)

func topicRoute() spec {
	return spec{
		name:  "topicRoute",
		usage: "Examine topic route info.",
		flags: []cli.Flag{
			strFlag("topic", "t", "topic name"),
			boolFlag("list", "l", "Use list format to print data"),
		},
		required: []string{"t"},
		json:     true,
		run: func(x *ctx) error {
			rd, err := x.adm.route(x.trimmed("t"))
			if err != nil {
				return err
			}
			if x.json() {
				return printJSON(x, rd)
			}
			if !x.Bool("l") {
				raw, err := json.Marshal(rd)
				if err != nil {
					return err
				}
				s, err := fastjsonPretty(raw, map[string]bool{"brokerAddrs": true})
				if err != nil {
					return err
				}
				x.printf("%s\n", s)
				return nil
			}
			const format = "%-45s %-32s %-50s %-10s %-11s %-5s\n"
			x.printf(format, "#ClusterName", "#BrokerName", "#BrokerAddrs", "#ReadQueue", "#WriteQueue", "#Perm")
			read, write := 0, 0
			queues := map[string]bool{}
			for _, qd := range rd.QueueDatas {
				queues[qd.BrokerName] = true
			}
			for i := range rd.BrokerDatas {
				bd := &rd.BrokerDatas[i]
				for _, qd := range rd.QueueDatas {
					if qd.BrokerName != bd.BrokerName {
						continue
					}
					read += qd.ReadQueueNums
					write += qd.WriteQueueNums
					var addrs []string
					for _, id := range admin.BrokerIDs(bd) {
						addrs = append(addrs, fmt.Sprintf("%d=%s", id, bd.BrokerAddrs[id]))
					}
					x.printf(format, bd.Cluster, bd.BrokerName, "{"+strings.Join(addrs, ", ")+"}",
						fmt.Sprint(qd.ReadQueueNums), fmt.Sprint(qd.WriteQueueNums), fmt.Sprint(qd.Perm))
					break
				}
			}
			x.printf("%s\n", strings.Repeat("-", 158))
			x.printf(format, "Total:", fmt.Sprint(len(queues)), "", fmt.Sprint(read), fmt.Sprint(write), "")
			return nil
		},
	}
}
