package console

// The console's remoting client: what an admin tool asks the NameServers
// and brokers, over one pooled connection per address (admin.Client),
// plus the few queries only the console makes.

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
)

// client is an admin.Client with the console's own queries. Safe for
// concurrent use.
type client struct {
	*admin.Client
}

// subscription is the part of SubscriptionData the console shows.
type subscription struct {
	Topic     string `json:"topic"`
	SubString string `json:"subString"`
}

// consumerConnection is Java's ConsumerConnection, as the console shows it.
type consumerConnection struct {
	ConnectionSet     []admin.Connection      `json:"connectionSet"`
	ConsumeFromWhere  string                  `json:"consumeFromWhere"`
	ConsumeType       string                  `json:"consumeType"`
	MessageModel      string                  `json:"messageModel"`
	SubscriptionTable map[string]subscription `json:"subscriptionTable"`
}

// consumerConnectionOf is GET_CONSUMER_CONNECTION_LIST on one broker.
func (c client) consumerConnectionOf(ctx context.Context, addr, group string) (*consumerConnection, error) {
	var cc consumerConnection
	if err := c.ConsumerConnectionOf(ctx, addr, group, &cc); err != nil {
		return nil, err
	}
	admin.SortConnections(cc.ConnectionSet)
	return &cc, nil
}

// masters returns the master address of every broker group of a cluster
// ("" = every cluster), by broker name.
func (c client) masters(ctx context.Context, cluster string) ([]string, error) {
	ci, err := c.ClusterInfo(ctx)
	if err != nil {
		return nil, err
	}
	var names []string
	for cl, bns := range ci.ClusterAddrTable {
		if cluster == "" || cl == cluster {
			names = append(names, bns...)
		}
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("cluster %q has no broker", cluster)
	}
	sort.Strings(names)
	var out []string
	for _, n := range names {
		if bd := ci.BrokerAddrTable[n]; bd != nil && bd.MasterAddr() != "" {
			out = append(out, bd.MasterAddr())
		}
	}
	return out, nil
}

// queuesHeld is GET_CONSUMER_RUNNING_INFO relayed by a broker to one
// client: the queues the client holds (the keys of its mqTable).
func (c client) queuesHeld(ctx context.Context, addr, group, clientID string) ([]codec.MessageQueue, error) {
	resp, err := c.Call(ctx, addr, admin.Request(wire.GetConsumerRunningInfo, "consumerGroup", group, "clientId", clientID, "jstackEnable", "false"))
	if err != nil {
		return nil, err
	}
	var info struct {
		MQTable map[string]json.RawMessage `json:"mqTable"`
	}
	if err := admin.Decode(resp.Body, &info); err != nil {
		return nil, err
	}
	m, err := admin.DecodeMQMap(info.MQTable)
	if err != nil {
		return nil, err
	}
	out := make([]codec.MessageQueue, 0, len(m))
	for mq := range m {
		out = append(out, mq)
	}
	return out, nil
}
