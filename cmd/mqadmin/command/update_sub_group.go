package command

// updateSubGroup (UpdateSubGroupSubCommand): create or update a
// subscription group (UPDATE_AND_CREATE_SUBSCRIPTIONGROUP) on one broker
// (-b) or every master of a cluster (-c), then print the config as Java's
// SubscriptionGroupConfig.toString does (without a final newline, as Java).

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
)

// retryPolicy is Java's GroupRetryPolicy.
type retryPolicy struct {
	Type                   string `json:"type"`
	ExponentialRetryPolicy *struct {
		Initial    int64 `json:"initial"`
		Max        int64 `json:"max"`
		Multiplier int64 `json:"multiplier"`
	} `json:"exponentialRetryPolicy,omitempty"`
	CustomizedRetryPolicy *struct {
		Next []int64 `json:"next"`
	} `json:"customizedRetryPolicy,omitempty"`
}

func (p *retryPolicy) String() string {
	exp, cust := "null", "null"
	if e := p.ExponentialRetryPolicy; e != nil {
		exp = fmt.Sprintf("ExponentialRetryPolicy{initial=%d, max=%d, multiplier=%d}", e.Initial, e.Max, e.Multiplier)
	}
	if c := p.CustomizedRetryPolicy; c != nil {
		next := make([]string, len(c.Next))
		for i, n := range c.Next {
			next[i] = strconv.FormatInt(n, 10)
		}
		cust = "CustomizedRetryPolicy{next=[" + strings.Join(next, ", ") + "]}"
	}
	return fmt.Sprintf("GroupRetryPolicy{type=%s, exponentialRetryPolicy=%s, customizedRetryPolicy=%s}", p.Type, exp, cust)
}

// subscriptionGroupConfig is Java's SubscriptionGroupConfig: Booster's
// codec type plus the retry policy Java's updateSubGroup sends.
type subscriptionGroupConfig struct {
	codec.SubscriptionGroupConfig
	GroupRetryPolicy retryPolicy `json:"groupRetryPolicy"`

	attrKeys []string
}

func (c *subscriptionGroupConfig) String() string {
	return fmt.Sprintf("SubscriptionGroupConfig{groupName=%s, consumeEnable=%t, consumeFromMinEnable=%t, consumeBroadcastEnable=%t, "+
		"consumeMessageOrderly=%t, retryQueueNums=%d, retryMaxTimes=%d, groupRetryPolicy=%s, brokerId=%d, whichBrokerWhenConsumeSlowly=%d, "+
		"notifyConsumerIdsChangedEnable=%t, groupSysFlag=%d, consumeTimeoutMinute=%d, subscriptionDataSet=null, attributes=%s}",
		c.GroupName, c.ConsumeEnable, c.ConsumeFromMinEnable, c.ConsumeBroadcastEnable, c.ConsumeMessageOrderly, c.RetryQueueNums,
		c.RetryMaxTimes, &c.GroupRetryPolicy, c.BrokerID, c.WhichBrokerWhenConsumeSlowly, c.NotifyConsumerIdsChangedEnable,
		c.GroupSysFlag, c.ConsumeTimeoutMinute, javaMapString(javaHashOrder(c.attrKeys, 16), c.Attributes))
}

func updateSubGroup() spec {
	return spec{
		name:  "updateSubGroup",
		usage: "Update or create subscription group.",
		flags: []cli.Flag{
			strFlag("brokerAddr", "b", "create subscription group to which broker"),
			strFlag("clusterName", "c", "create subscription group to which cluster"),
			strFlag("groupName", "g", "consumer group name"),
			strFlag("consumeEnable", "s", "consume enable"),
			strFlag("consumeFromMinEnable", "m", "from min offset"),
			strFlag("consumeBroadcastEnable", "d", "broadcast"),
			strFlag("consumeMessageOrderly", "o", "consume message orderly"),
			strFlag("retryQueueNums", "q", "retry queue nums"),
			strFlag("retryMaxTimes", "r", "retry max times"),
			strFlag("groupRetryPolicy", "p", `the json string of retry policy ( exp: {"type":"EXPONENTIAL","exponentialRetryPolicy":{"initial":5000,"max":7200000,"multiplier":2}} {"type":"CUSTOMIZED","customizedRetryPolicy":{"next":[1000,5000,10000]}} )`),
			strFlag("brokerId", "i", "consumer from which broker id"),
			strFlag("whichBrokerWhenConsumeSlowly", "w", "which broker id when consume slowly"),
			strFlag("notifyConsumerIdsChanged", "a", "notify consumerId changed"),
			strFlag("attributes", "", "attribute(+a=b,+c=d,-e)"),
		},
		required: []string{"g"},
		run:      runUpdateSubGroup,
	}
}

func runUpdateSubGroup(x *ctx) error {
	if err := x.oneOf("b", "c"); err != nil {
		return err
	}
	// Java's updateSubGroup starts from the defaults but turns broadcast
	// and consume-from-min off.
	c := subscriptionGroupConfig{SubscriptionGroupConfig: codec.NewSubscriptionGroupConfig(x.trimmed("g")),
		GroupRetryPolicy: retryPolicy{Type: "CUSTOMIZED"}}
	c.ConsumeBroadcastEnable, c.ConsumeFromMinEnable = false, false
	for flag, dst := range map[string]*bool{"s": &c.ConsumeEnable, "m": &c.ConsumeFromMinEnable, "d": &c.ConsumeBroadcastEnable,
		"o": &c.ConsumeMessageOrderly, "a": &c.NotifyConsumerIdsChangedEnable} {
		if x.IsSet(flag) {
			*dst = javaBool(x.String(flag))
		}
	}
	for flag, dst := range map[string]*int{"q": &c.RetryQueueNums, "r": &c.RetryMaxTimes} {
		if x.IsSet(flag) {
			v, err := x.intFlag(flag)
			if err != nil {
				return err
			}
			*dst = v
		}
	}
	for flag, dst := range map[string]*int64{"i": &c.BrokerID, "w": &c.WhichBrokerWhenConsumeSlowly} {
		if x.IsSet(flag) {
			v, err := x.intFlag(flag)
			if err != nil {
				return err
			}
			*dst = int64(v)
		}
	}
	if x.IsSet("p") {
		var p retryPolicy
		if err := json.Unmarshal([]byte(x.trimmed("p")), &p); err != nil {
			return fmt.Errorf("groupRetryPolicy: %w", err)
		}
		c.GroupRetryPolicy = p
	}
	if x.IsSet("attributes") {
		a, err := parseAttributes(x.trimmed("attributes"))
		if err != nil {
			return err
		}
		c.Attributes, c.attrKeys = a.m, a.keys
	}
	body, err := json.Marshal(&c)
	if err != nil {
		return err
	}
	send := func(addr string) error {
		req := admin.Request(wire.UpdateAndCreateSubscriptiongroup)
		req.Body = body
		_, err := x.adm.call(addr, req)
		return err
	}
	if x.IsSet("b") {
		addr := x.trimmed("b")
		if err := send(addr); err != nil {
			return err
		}
		x.printf("create subscription group to %s success.\n", addr)
		x.printf("%s", &c)
		return nil
	}
	masters, err := x.adm.masters(x.trimmed("c"))
	if err != nil {
		return err
	}
	var errs []error
	for _, addr := range masters {
		if err := send(addr); err != nil {
			errs = append(errs, fmt.Errorf("broker %s: %w", addr, err))
			continue
		}
		x.printf("create subscription group to %s success.\n", addr)
	}
	x.printf("%s", &c)
	return errors.Join(errs...)
}
