package command

// The admin client: what Java's DefaultMQAdminExt does for the
// subcommands, over one connection per address.

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// adminExt is what Java's DefaultMQAdminExt adds to the admin client for
// the subcommands. It is used by one goroutine.
type adminExt struct {
	*admin.Client
	namesrv []string
	timeout time.Duration
}

func newAdmin(namesrv []string, timeout time.Duration) *adminExt {
	return newAdminExt(admin.Config{Namesrv: namesrv, Timeout: timeout})
}

func newAdminExt(cfg admin.Config) *adminExt {
	return &adminExt{Client: admin.New(cfg), namesrv: cfg.Namesrv, timeout: cfg.Timeout}
}

func (a *adminExt) close() { a.Close() }

// codeError is a response with an unexpected code (Java's
// MQBrokerException / MQClientException text).
type codeError = admin.CodeError

// conn returns the connection to addr, dialing it if needed.
func (a *adminExt) conn(addr string) (*transport.Client, error) {
	return a.Conn(context.Background(), addr)
}

// invoke sends req to addr and waits for the response.
func (a *adminExt) invoke(addr string, req *wire.Command, timeout time.Duration) (*wire.Command, error) {
	return a.Invoke(context.Background(), addr, req, timeout)
}

// call sends req to addr and turns any code but SUCCESS into a codeError.
func (a *adminExt) call(addr string, req *wire.Command) (*wire.Command, error) {
	return a.Call(context.Background(), addr, req)
}

func (a *adminExt) callTimeout(addr string, req *wire.Command, timeout time.Duration) (*wire.Command, error) {
	return a.CallTimeout(context.Background(), addr, req, timeout)
}

// nsCall sends req to the NameServers in order until one answers.
func (a *adminExt) nsCall(req *wire.Command) (*wire.Command, error) {
	if len(a.namesrv) == 0 {
		return nil, errNoNamesrv
	}
	return a.NsCall(context.Background(), req)
}

// route returns a topic's route (GET_ROUTEINFO_BY_TOPIC).
func (a *adminExt) route(topic string) (*codec.TopicRouteData, error) {
	if len(a.namesrv) == 0 {
		return nil, errNoNamesrv
	}
	return a.Route(context.Background(), topic)
}

// clusterInfo returns every broker group and cluster (GET_BROKER_CLUSTER_INFO).
func (a *adminExt) clusterInfo() (*codec.ClusterInfo, error) {
	if len(a.namesrv) == 0 {
		return nil, errNoNamesrv
	}
	return a.ClusterInfo(context.Background())
}

// errNoCluster is CommandUtil's ERROR_MESSAGE.
var errNoCluster = errors.New("Make sure the specified clusterName exists or the name server connected to is correct.") //nolint:staticcheck // Java's words

// brokerGroups returns the broker groups of a cluster, sorted by name.
func (a *adminExt) brokerGroups(cluster string) ([]*codec.BrokerData, error) {
	ci, err := a.clusterInfo()
	if err != nil {
		return nil, err
	}
	names, ok := ci.ClusterAddrTable[cluster]
	if !ok {
		return nil, fmt.Errorf("cluster %s: %w", cluster, errNoCluster)
	}
	names = append([]string(nil), names...)
	sort.Strings(names)
	var out []*codec.BrokerData
	for _, n := range names {
		if bd := ci.BrokerAddrTable[n]; bd != nil {
			out = append(out, bd)
		}
	}
	return out, nil
}

// masters returns the master addresses of a cluster
// (CommandUtil.fetchMasterAddrByClusterName), sorted by broker name.
func (a *adminExt) masters(cluster string) ([]string, error) {
	groups, err := a.brokerGroups(cluster)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, bd := range groups {
		if addr := bd.MasterAddr(); addr != "" {
			out = append(out, addr)
		}
	}
	return out, nil
}

// allAddrs returns every master and slave address of a cluster, by broker
// name and id (CommandUtil.fetchMasterAndSlaveAddrByClusterName).
func (a *adminExt) allAddrs(cluster string) ([]string, error) {
	groups, err := a.brokerGroups(cluster)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, bd := range groups {
		for _, id := range admin.BrokerIDs(bd) {
			out = append(out, bd.BrokerAddrs[id])
		}
	}
	return out, nil
}

// brokerNameOf returns the name of the broker group an address belongs to.
func (a *adminExt) brokerNameOf(addr string) (string, error) {
	ci, err := a.clusterInfo()
	if err != nil {
		return "", err
	}
	for name, bd := range ci.BrokerAddrTable {
		for _, v := range bd.BrokerAddrs {
			if v == addr {
				return name, nil
			}
		}
	}
	return "", fmt.Errorf("broker %s: %w", addr, errNoCluster)
}

// mqKey is a MessageQueue as a comparable key.
type mqKey = codec.MessageQueue

// sortMQs orders queues as Java's MessageQueue.compareTo: topic, broker
// name, queue id.
func sortMQs(mqs []mqKey) {
	sort.Slice(mqs, func(i, j int) bool {
		a, b := mqs[i], mqs[j]
		if a.Topic != b.Topic {
			return a.Topic < b.Topic
		}
		if a.BrokerName != b.BrokerName {
			return a.BrokerName < b.BrokerName
		}
		return a.QueueID < b.QueueID
	})
}

// topicStatsOf asks one broker for a topic's queue offsets (GET_TOPIC_STATS_INFO).
func (a *adminExt) topicStatsOf(addr, topic string) (*admin.TopicStats, error) {
	return a.TopicStats(context.Background(), addr, topic)
}

// examineTopicStats merges the stats of every broker of a topic's route.
func (a *adminExt) examineTopicStats(topic string) (*admin.TopicStats, error) {
	rd, err := a.route(topic)
	if err != nil {
		return nil, err
	}
	out, err := a.routeTopicStats(rd, topic)
	if err != nil {
		return nil, err
	}
	if len(out.Offsets) == 0 {
		return nil, fmt.Errorf("Not found the topic stats info") //nolint:staticcheck // Java's words
	}
	return out, nil
}

// routeTopicStats merges a topic's stats from every broker of a route
// (the topic's own, or a cluster's for topicStatus -c).
func (a *adminExt) routeTopicStats(rd *codec.TopicRouteData, topic string) (*admin.TopicStats, error) {
	out := &admin.TopicStats{Offsets: map[mqKey]admin.TopicOffset{}}
	for i := range rd.BrokerDatas {
		addr := admin.SelectAddr(&rd.BrokerDatas[i])
		if addr == "" {
			continue
		}
		ts, err := a.topicStatsOf(addr, topic)
		if err != nil {
			return nil, err
		}
		for k, v := range ts.Offsets {
			out.Offsets[k] = v
		}
		out.PutTps += ts.PutTps
	}
	return out, nil
}

// consumeStatsOf asks one broker for a group's offsets (GET_CONSUME_STATS).
func (a *adminExt) consumeStatsOf(addr, group, topic string) (*admin.ConsumeStats, error) {
	return a.ConsumeStats(context.Background(), addr, group, topic)
}

// examineConsumeStats is DefaultMQAdminExtImpl.examineConsumeStats: the
// route of %RETRY%group (then of topic), GET_CONSUME_STATS on each broker,
// merged. An empty result is an error naming why (consumer offline, or
// broadcasting).
func (a *adminExt) examineConsumeStats(group, topic string) (*admin.ConsumeStats, error) {
	routeTopics := []string{compat.RetryTopic(group)}
	if topic != "" {
		routeTopics = append(routeTopics, topic)
	}
	var rd *codec.TopicRouteData
	var err error
	for _, t := range routeTopics {
		if rd, err = a.route(t); err == nil {
			break
		}
	}
	if err != nil {
		return nil, err
	}
	out := &admin.ConsumeStats{Offsets: map[mqKey]admin.OffsetWrapper{}}
	for i := range rd.BrokerDatas {
		addr := admin.SelectAddr(&rd.BrokerDatas[i])
		if addr == "" {
			continue
		}
		cs, err := a.consumeStatsOf(addr, group, topic)
		if err != nil {
			return nil, err
		}
		for k, v := range cs.Offsets {
			out.Offsets[k] = v
		}
		out.ConsumeTps += cs.ConsumeTps
	}
	if len(out.Offsets) == 0 {
		cc, err := a.examineConsumerConnection(group)
		if err != nil {
			return nil, &codeError{Code: wire.ConsumerNotOnline,
				Remark: "Not found the consumer group consume stats, because return offset table is empty, maybe the consumer not online"}
		}
		if cc.MessageModel == "BROADCASTING" {
			return nil, &codeError{Code: wire.BroadcastConsumption,
				Remark: "Not found the consumer group consume stats, because return offset table is empty, the consumer is under the broadcast mode"}
		}
	}
	return out, nil
}

// subscriptionData is the part of SubscriptionData mqadmin prints.
type subscriptionData struct {
	Topic     string   `json:"topic"`
	SubString string   `json:"subString"`
	TagsSet   []string `json:"tagsSet"`
}

// consumerConn is Java's ConsumerConnection.
type consumerConn struct {
	ConnectionSet     []admin.Connection          `json:"connectionSet"`
	ConsumeFromWhere  string                      `json:"consumeFromWhere"`
	ConsumeType       string                      `json:"consumeType"`
	MessageModel      string                      `json:"messageModel"`
	SubscriptionTable map[string]subscriptionData `json:"subscriptionTable"`
}

// consumerConnectionOf asks one broker (GET_CONSUMER_CONNECTION_LIST).
func (a *adminExt) consumerConnectionOf(addr, group string) (*consumerConn, error) {
	var cc consumerConn
	if err := a.ConsumerConnectionOf(context.Background(), addr, group, &cc); err != nil {
		return nil, err
	}
	if len(cc.ConnectionSet) == 0 {
		return nil, &codeError{Addr: addr, Code: wire.ConsumerNotOnline, Remark: "Not found the consumer group connection"}
	}
	admin.SortConnections(cc.ConnectionSet)
	return &cc, nil
}

// examineConsumerConnection asks a broker of %RETRY%group's route.
func (a *adminExt) examineConsumerConnection(group string) (*consumerConn, error) {
	rd, err := a.route(compat.RetryTopic(group))
	if err != nil {
		return nil, err
	}
	if len(rd.BrokerDatas) == 0 {
		return nil, fmt.Errorf("no broker in the route of %s", compat.RetryTopic(group))
	}
	return a.consumerConnectionOf(admin.SelectAddr(&rd.BrokerDatas[0]), group)
}

// queryTopicConsumeByWho asks a broker of the topic's route for the
// groups consuming it (QUERY_TOPIC_CONSUME_BY_WHO).
func (a *adminExt) queryTopicConsumeByWho(topic string) ([]string, error) {
	rd, err := a.route(topic)
	if err != nil {
		return nil, err
	}
	if len(rd.BrokerDatas) == 0 {
		return nil, fmt.Errorf("no broker in the route of %s", topic)
	}
	resp, err := a.call(admin.SelectAddr(&rd.BrokerDatas[0]), admin.Request(wire.QueryTopicConsumeByWho, "topic", topic))
	if err != nil {
		return nil, err
	}
	var gl struct {
		GroupList []string `json:"groupList"`
	}
	if err := admin.Decode(resp.Body, &gl); err != nil {
		return nil, err
	}
	sort.Strings(gl.GroupList)
	return gl.GroupList, nil
}

// topicList fetches every topic from the NameServer (GET_ALL_TOPIC_LIST_FROM_NAMESERVER).
func (a *adminExt) topicList() ([]string, error) {
	if len(a.namesrv) == 0 {
		return nil, errNoNamesrv
	}
	return a.TopicList(context.Background())
}

// nsEach sends req to every NameServer (Java's putKVConfigValue); it
// returns the first failure after trying them all.
func (a *adminExt) nsEach(req *wire.Command) error {
	if len(a.namesrv) == 0 {
		return errNoNamesrv
	}
	return a.NsEach(context.Background(), req)
}

// kvConfig reads a NameServer KV value; ok is false when it is absent.
func (a *adminExt) kvConfig(namespace, key string) (value string, ok bool, err error) {
	resp, err := a.nsCall(admin.Request(wire.GetKvConfig, "namespace", namespace, "key", key))
	if admin.ResponseCode(err) == wire.QueryNotFound {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return resp.ExtValue("value"), true, nil
}

// properties fetches a configuration as Java properties text
// (GET_BROKER_CONFIG, GET_NAMESRV_CONFIG).
func (a *adminExt) properties(addr string, code wire.RequestCode) ([]compat.Property, error) {
	resp, err := a.call(addr, admin.Request(code))
	if err != nil {
		return nil, err
	}
	return compat.ReadProperties(bytes.NewReader(resp.Body))
}

// printProperties prints a configuration as Java's getAndPrint does.
func printProperties(x *ctx, props []compat.Property) {
	for _, p := range props {
		x.printf("%-50s=  %s\n", p.Key, p.Value)
	}
}

// propertyMap is a configuration for --json.
func propertyMap(props []compat.Property) map[string]string {
	m := make(map[string]string, len(props))
	for _, p := range props {
		m[p.Key] = p.Value
	}
	return m
}
