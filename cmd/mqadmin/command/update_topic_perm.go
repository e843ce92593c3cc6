package command

// updateTopicPerm (UpdateTopicPermSubCommand): change a topic's
// permission on one master (-b) or on every master of a cluster (-c),
// keeping the queue counts and system flag of the topic's route (its
// first queue data) and sending the whole config again with
// UPDATE_AND_CREATE_TOPIC, as Java does (so the order flag is reset to
// false). With -b, a perm equal to the broker's current one changes
// nothing.

import (
	"errors"
	"strconv"

	"github.com/urfave/cli/v2"
)

func updateTopicPerm() spec {
	return spec{
		name:  "updateTopicPerm",
		usage: "Update topic perm.",
		flags: []cli.Flag{
			strFlag("brokerAddr", "b", "create topic to which broker"),
			strFlag("clusterName", "c", "create topic to which cluster"),
			strFlag("topic", "t", "topic name"),
			strFlag("perm", "p", "set topic's permission(2|4|6), intro[2:W; 4:R; 6:RW]"),
		},
		required: []string{"t", "p"},
		run: func(x *ctx) error {
			if err := x.oneOf("b", "c"); err != nil {
				return err
			}
			topic := x.trimmed("t")
			rd, err := x.adm.route(topic)
			if err != nil {
				return err
			}
			if len(rd.QueueDatas) == 0 {
				return errors.New("the route of " + topic + " has no queues")
			}
			qd := rd.QueueDatas[0]
			perm, err := x.intFlag("p")
			if err != nil {
				return err
			}
			tc := topicConfig{name: topic, read: qd.ReadQueueNums, write: qd.WriteQueueNums, perm: perm, sysFlag: qd.TopicSysFlag}
			if x.IsSet("b") {
				addr := x.trimmed("b")
				brokerName := ""
				for i := range rd.BrokerDatas {
					if rd.BrokerDatas[i].MasterAddr() == addr {
						brokerName = rd.BrokerDatas[i].BrokerName
						break
					}
				}
				if brokerName == "" {
					x.printf("updateTopicPerm error broker not exit or broker is not master!.\n")
					return errors.New("broker " + addr + " is not a master of " + topic + "'s route")
				}
				oldPerm := 0
				for _, d := range rd.QueueDatas {
					if d.BrokerName == brokerName {
						oldPerm = d.Perm
						break
					}
				}
				if oldPerm == perm {
					x.printf("new perm equals to the old one!\n")
					return nil
				}
				if _, err := x.adm.call(addr, tc.request()); err != nil {
					return err
				}
				x.printf("update topic perm from %s to %s in %s success.\n", strconv.Itoa(oldPerm), strconv.Itoa(perm), addr)
				x.printf("%s.\n", &tc)
				return nil
			}
			masters, err := x.adm.masters(x.trimmed("c"))
			if err != nil {
				return err
			}
			for _, addr := range masters {
				if _, err := x.adm.call(addr, tc.request()); err != nil {
					return err
				}
				x.printf("update topic perm from %d to %d in %s success.\n", qd.Perm, perm, addr)
			}
			return nil
		},
	}
}
