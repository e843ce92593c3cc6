package command

// updateTopic (UpdateTopicSubCommand): create or update a topic on one
// broker (-b) or on every master of a cluster (-c), with
// UPDATE_AND_CREATE_TOPIC; -o true also writes the order config to the
// NameServers (PUT_KV_CONFIG, namespace ORDER_TOPIC_CONFIG).
//
// Output: "create topic to <addr> success." per broker, then the
// TopicConfig as Java's toString prints it.

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

// topicConfig is what updateTopic sends and prints.
type topicConfig struct {
	name              string
	read, write, perm int
	sysFlag           int
	order             bool
	attrs             attributes
}

// String is TopicConfig.toString.
func (tc *topicConfig) String() string {
	return fmt.Sprintf("TopicConfig [topicName=%s, readQueueNums=%d, writeQueueNums=%d, perm=%s, topicFilterType=SINGLE_TAG, topicSysFlag=%d, order=%t, attributes=%s]",
		tc.name, tc.read, tc.write, perm2String(tc.perm), tc.sysFlag, tc.order, tc.attrs)
}

func (tc *topicConfig) request() *wire.Command {
	req := admin.Request(wire.UpdateAndCreateTopic, "topic", tc.name, "defaultTopic", "TBW102",
		"readQueueNums", strconv.Itoa(tc.read), "writeQueueNums", strconv.Itoa(tc.write), "perm", strconv.Itoa(tc.perm),
		"topicFilterType", "SINGLE_TAG", "topicSysFlag", strconv.Itoa(tc.sysFlag), "order", strconv.FormatBool(tc.order))
	if len(tc.attrs.keys) > 0 {
		req.SetExt("attributes", tc.attrs.header())
	}
	return req
}

// orderTopicConfig is NamesrvUtil.NAMESPACE_ORDER_TOPIC_CONFIG.
const orderTopicConfig = "ORDER_TOPIC_CONFIG"

func updateTopic() spec {
	return spec{
		name:  "updateTopic",
		usage: "Update or create topic.",
		flags: []cli.Flag{
			strFlag("brokerAddr", "b", "create topic to which broker"),
			strFlag("clusterName", "c", "create topic to which cluster"),
			strFlag("attributes", "a", "attribute(+a=b,+c=d,-e)"),
			strFlag("topic", "t", "topic name"),
			strFlag("readQueueNums", "r", "set read queue nums"),
			strFlag("writeQueueNums", "w", "set write queue nums"),
			strFlag("perm", "p", "set topic's permission(2|4|6), intro[2:W 4:R; 6:RW]"),
			strFlag("order", "o", "set topic's order(true|false)"),
			strFlag("unit", "u", "is unit topic (true|false)"),
			strFlag("hasUnitSub", "s", "has unit sub (true|false)"),
		},
		required: []string{"t"},
		run:      runUpdateTopic,
	}
}

func runUpdateTopic(x *ctx) error {
	if err := x.oneOf("b", "c"); err != nil {
		return err
	}
	tc := topicConfig{name: x.trimmed("t"), read: 8, write: 8, perm: 6}
	var err error
	for _, f := range []struct {
		name string
		dst  *int
	}{{"r", &tc.read}, {"w", &tc.write}, {"p", &tc.perm}} {
		if x.IsSet(f.name) {
			if *f.dst, err = x.intFlag(f.name); err != nil {
				return err
			}
		}
	}
	if x.IsSet("a") {
		if tc.attrs, err = parseAttributes(x.trimmed("a")); err != nil {
			return err
		}
	}
	if javaBool(x.String("u")) {
		tc.sysFlag |= 1 // TopicSysFlag.FLAG_UNIT
	}
	if javaBool(x.String("s")) {
		tc.sysFlag |= 2 // TopicSysFlag.FLAG_UNIT_SUB
	}
	tc.order = javaBool(x.String("o"))

	if x.IsSet("b") {
		addr := x.trimmed("b")
		if _, err := x.adm.call(addr, tc.request()); err != nil {
			return err
		}
		if tc.order {
			name, err := x.adm.brokerNameOf(addr)
			if err != nil {
				return err
			}
			conf := name + ":" + strconv.Itoa(tc.write)
			if err := x.mergeOrderConf(tc.name, name, conf); err != nil {
				return err
			}
			x.printf("set broker orderConf. isOrder=%t, orderConf=[%s]\n", tc.order, conf)
		}
		x.printf("create topic to %s success.\n", addr)
		x.printf("%s\n", &tc)
		return nil
	}
	cluster := x.trimmed("c")
	groups, err := x.adm.brokerGroups(cluster)
	if err != nil {
		return err
	}
	var confs []string
	for _, bd := range groups {
		confs = append(confs, bd.BrokerName+":"+strconv.Itoa(tc.write))
		addr := bd.MasterAddr()
		if addr == "" {
			continue
		}
		if _, err := x.adm.call(addr, tc.request()); err != nil {
			return err
		}
		x.printf("create topic to %s success.\n", addr)
	}
	if tc.order {
		conf := strings.Join(confs, ";")
		if err := x.adm.nsEach(admin.Request(wire.PutKvConfig, "namespace", orderTopicConfig, "key", tc.name, "value", conf)); err != nil {
			return err
		}
		x.printf("set cluster orderConf. isOrder=%t, orderConf=[%s]\n", tc.order, conf)
	}
	x.printf("%s\n", &tc)
	return nil
}

// mergeOrderConf replaces broker's entry in a topic's order config
// (createOrUpdateOrderConf with isCluster=false).
func (x *ctx) mergeOrderConf(topic, broker, conf string) error {
	old, _, err := x.adm.kvConfig(orderTopicConfig, topic)
	if err != nil {
		return err
	}
	var parts []string
	for _, p := range strings.Split(old, ";") {
		if name, _, _ := strings.Cut(p, ":"); p != "" && name != broker {
			parts = append(parts, p)
		}
	}
	parts = append(parts, conf)
	return x.adm.nsEach(admin.Request(wire.PutKvConfig, "namespace", orderTopicConfig, "key", topic, "value", strings.Join(parts, ";")))
}
