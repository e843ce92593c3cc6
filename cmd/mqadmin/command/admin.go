package command

// The admin client: what Java's DefaultMQAdminExt does for the
// subcommands, over one connection per address.

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// admin holds the connections of one mqadmin run. It is used by one
// goroutine.
type admin struct {
	namesrv []string
	timeout time.Duration
	conns   map[string]*transport.Client
	// tls, when set, is used for every connection (--tls).
	tls *tls.Config
	// accessKey and secretKey sign every request when set.
	accessKey, secretKey string
}

func newAdmin(namesrv []string, timeout time.Duration) *admin {
	return &admin{namesrv: namesrv, timeout: timeout, conns: map[string]*transport.Client{}}
}

func (a *admin) close() {
	for _, c := range a.conns {
		c.Close()
	}
}

// codeError is a response with an unexpected code (Java's
// MQBrokerException / MQClientException text).
type codeError struct {
	addr   string
	code   wire.ResponseCode
	remark string
}

func (e *codeError) Error() string {
	if e.addr == "" {
		return fmt.Sprintf("CODE: %d DESC: %s", int32(e.code), oneLine(e.remark))
	}
	return fmt.Sprintf("CODE: %d DESC: %s (%s)", int32(e.code), oneLine(e.remark), e.addr)
}

// responseCode returns the code of a codeError in err's chain, or -1.
func responseCode(err error) wire.ResponseCode {
	var ce *codeError
	if errors.As(err, &ce) {
		return ce.code
	}
	return -1
}

// conn returns the connection to addr, dialing it if needed.
func (a *admin) conn(addr string) (*transport.Client, error) {
	if c := a.conns[addr]; c != nil && c.Err() == nil {
		return c, nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), a.timeout)
	defer cancel()
	c, err := transport.DialTLS(ctx, addr, a.tls)
	if err != nil {
		return nil, fmt.Errorf("connect to %s failed: %w", addr, err)
	}
	a.conns[addr] = c
	return c, nil
}

// invoke sends req to addr and waits for the response.
func (a *admin) invoke(addr string, req *wire.Command, timeout time.Duration) (*wire.Command, error) {
	c, err := a.conn(addr)
	if err != nil {
		return nil, err
	}
	sign(req, a.accessKey, a.secretKey)
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	resp, err := c.Invoke(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("%v to %s: %w", wire.RequestCode(req.Code), addr, err)
	}
	return resp, nil
}

// call sends req to addr and turns any code but SUCCESS into a codeError.
func (a *admin) call(addr string, req *wire.Command) (*wire.Command, error) {
	return a.callTimeout(addr, req, a.timeout)
}

func (a *admin) callTimeout(addr string, req *wire.Command, timeout time.Duration) (*wire.Command, error) {
	resp, err := a.invoke(addr, req, timeout)
	if err != nil {
		return nil, err
	}
	if resp.ResponseCode() != wire.Success {
		return resp, &codeError{addr: addr, code: resp.ResponseCode(), remark: resp.Remark}
	}
	return resp, nil
}

// nsCall sends req to the NameServers in order until one answers (Java
// keeps to one NameServer while it is reachable).
func (a *admin) nsCall(req *wire.Command) (*wire.Command, error) {
	if len(a.namesrv) == 0 {
		return nil, errNoNamesrv
	}
	var lastErr error
	for _, addr := range a.namesrv {
		resp, err := a.call(addr, cloneRequest(req))
		if err == nil || responseCode(err) >= 0 {
			return resp, err
		}
		lastErr = err
	}
	return nil, lastErr
}

// cloneRequest copies a request so it can be sent again.
func cloneRequest(req *wire.Command) *wire.Command {
	c := *req
	c.Ext = append(wire.Fields(nil), req.Ext...)
	return &c
}

// request builds a request from alternating ext keys and values.
func request(code wire.RequestCode, kv ...string) *wire.Command {
	req := wire.NewRequest(code)
	for i := 0; i+1 < len(kv); i += 2 {
		req.SetExt(kv[i], kv[i+1])
	}
	return req
}

// decode unmarshals a body written by Booster or by Java's fastjson.
func decode(body []byte, v any) error {
	if err := json.Unmarshal(codec.NormalizeFastJSON(body), v); err != nil {
		return fmt.Errorf("cannot decode response body: %w", err)
	}
	return nil
}

// route returns a topic's route (GET_ROUTEINFO_BY_TOPIC).
func (a *admin) route(topic string) (*codec.TopicRouteData, error) {
	resp, err := a.nsCall(request(wire.GetRouteinfoByTopic, "topic", topic))
	if err != nil {
		return nil, err
	}
	var rd codec.TopicRouteData
	if err := decode(resp.Body, &rd); err != nil {
		return nil, err
	}
	rd.Sort()
	return &rd, nil
}

// clusterInfo returns every broker group and cluster (GET_BROKER_CLUSTER_INFO).
func (a *admin) clusterInfo() (*codec.ClusterInfo, error) {
	resp, err := a.nsCall(request(wire.GetBrokerClusterInfo))
	if err != nil {
		return nil, err
	}
	var ci codec.ClusterInfo
	if err := decode(resp.Body, &ci); err != nil {
		return nil, err
	}
	return &ci, nil
}

// errNoCluster is CommandUtil's ERROR_MESSAGE.
var errNoCluster = errors.New("Make sure the specified clusterName exists or the name server connected to is correct.") //nolint:staticcheck // Java's words

// brokerGroups returns the broker groups of a cluster, sorted by name.
func (a *admin) brokerGroups(cluster string) ([]*codec.BrokerData, error) {
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
func (a *admin) masters(cluster string) ([]string, error) {
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
func (a *admin) allAddrs(cluster string) ([]string, error) {
	groups, err := a.brokerGroups(cluster)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, bd := range groups {
		for _, id := range brokerIDs(bd) {
			out = append(out, bd.BrokerAddrs[id])
		}
	}
	return out, nil
}

// brokerIDs returns a group's broker ids, ascending.
func brokerIDs(bd *codec.BrokerData) []int64 {
	ids := make([]int64, 0, len(bd.BrokerAddrs))
	for id := range bd.BrokerAddrs {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// selectAddr is BrokerData.selectBrokerAddr: the master, else the lowest id.
func selectAddr(bd *codec.BrokerData) string {
	if addr := bd.MasterAddr(); addr != "" {
		return addr
	}
	if ids := brokerIDs(bd); len(ids) > 0 {
		return bd.BrokerAddrs[ids[0]]
	}
	return ""
}

// brokerNameOf returns the name of the broker group an address belongs to.
func (a *admin) brokerNameOf(addr string) (string, error) {
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

// decodeMQMap decodes a fastjson map keyed by MessageQueue objects (after
// codec.NormalizeFastJSON the keys are strings holding the object).
func decodeMQMap[V any](raw map[string]V) (map[mqKey]V, error) {
	out := make(map[mqKey]V, len(raw))
	for k, v := range raw {
		var mq mqKey
		if err := json.Unmarshal([]byte(k), &mq); err != nil {
			return nil, fmt.Errorf("bad MessageQueue key %q: %w", k, err)
		}
		out[mq] = v
	}
	return out, nil
}

// topicOffset is one queue of a TopicStatsTable.
type topicOffset struct {
	LastUpdateTimestamp int64 `json:"lastUpdateTimestamp"`
	MaxOffset           int64 `json:"maxOffset"`
	MinOffset           int64 `json:"minOffset"`
}

// topicStatsTable is a TopicStatsTable.
type topicStatsTable struct {
	offsets map[mqKey]topicOffset
	putTps  float64
}

// topicStatsOf asks one broker for a topic's queue offsets (GET_TOPIC_STATS_INFO).
func (a *admin) topicStatsOf(addr, topic string) (*topicStatsTable, error) {
	resp, err := a.call(addr, request(wire.GetTopicStatsInfo, "topic", topic))
	if err != nil {
		return nil, err
	}
	var raw struct {
		OffsetTable map[string]topicOffset `json:"offsetTable"`
		TopicPutTps float64                `json:"topicPutTps"`
	}
	if err := decode(resp.Body, &raw); err != nil {
		return nil, err
	}
	m, err := decodeMQMap(raw.OffsetTable)
	if err != nil {
		return nil, err
	}
	return &topicStatsTable{offsets: m, putTps: raw.TopicPutTps}, nil
}

// examineTopicStats merges the stats of every broker of a topic's route.
func (a *admin) examineTopicStats(topic string) (*topicStatsTable, error) {
	rd, err := a.route(topic)
	if err != nil {
		return nil, err
	}
	out, err := a.routeTopicStats(rd, topic)
	if err != nil {
		return nil, err
	}
	if len(out.offsets) == 0 {
		return nil, fmt.Errorf("Not found the topic stats info") //nolint:staticcheck // Java's words
	}
	return out, nil
}

// routeTopicStats merges a topic's stats from every broker of a route
// (the topic's own, or a cluster's for topicStatus -c).
func (a *admin) routeTopicStats(rd *codec.TopicRouteData, topic string) (*topicStatsTable, error) {
	out := &topicStatsTable{offsets: map[mqKey]topicOffset{}}
	for i := range rd.BrokerDatas {
		addr := selectAddr(&rd.BrokerDatas[i])
		if addr == "" {
			continue
		}
		ts, err := a.topicStatsOf(addr, topic)
		if err != nil {
			return nil, err
		}
		for k, v := range ts.offsets {
			out.offsets[k] = v
		}
		out.putTps += ts.putTps
	}
	return out, nil
}

// offsetWrapper is one queue of a ConsumeStats.
type offsetWrapper struct {
	BrokerOffset   int64 `json:"brokerOffset"`
	ConsumerOffset int64 `json:"consumerOffset"`
	LastTimestamp  int64 `json:"lastTimestamp"`
	PullOffset     int64 `json:"pullOffset"`
}

// consumeStats is a ConsumeStats.
type consumeStats struct {
	offsets    map[mqKey]offsetWrapper
	consumeTps float64
}

func (s *consumeStats) diffTotal() int64 {
	var n int64
	for _, o := range s.offsets {
		n += o.BrokerOffset - o.ConsumerOffset
	}
	return n
}

// consumeStatsOf asks one broker for a group's offsets (GET_CONSUME_STATS).
func (a *admin) consumeStatsOf(addr, group, topic string) (*consumeStats, error) {
	req := request(wire.GetConsumeStats, "consumerGroup", group)
	if topic != "" {
		req.SetExt("topic", topic)
	}
	resp, err := a.callTimeout(addr, req, 3*a.timeout)
	if err != nil {
		return nil, err
	}
	var raw struct {
		ConsumeTps  float64                  `json:"consumeTps"`
		OffsetTable map[string]offsetWrapper `json:"offsetTable"`
	}
	if err := decode(resp.Body, &raw); err != nil {
		return nil, err
	}
	m, err := decodeMQMap(raw.OffsetTable)
	if err != nil {
		return nil, err
	}
	return &consumeStats{offsets: m, consumeTps: raw.ConsumeTps}, nil
}

// examineConsumeStats is DefaultMQAdminExtImpl.examineConsumeStats: the
// route of %RETRY%group (then of topic), GET_CONSUME_STATS on each broker,
// merged. An empty result is an error naming why (consumer offline, or
// broadcasting).
func (a *admin) examineConsumeStats(group, topic string) (*consumeStats, error) {
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
	out := &consumeStats{offsets: map[mqKey]offsetWrapper{}}
	for i := range rd.BrokerDatas {
		addr := selectAddr(&rd.BrokerDatas[i])
		if addr == "" {
			continue
		}
		cs, err := a.consumeStatsOf(addr, group, topic)
		if err != nil {
			return nil, err
		}
		for k, v := range cs.offsets {
			out.offsets[k] = v
		}
		out.consumeTps += cs.consumeTps
	}
	if len(out.offsets) == 0 {
		cc, err := a.examineConsumerConnection(group)
		if err != nil {
			return nil, &codeError{code: wire.ConsumerNotOnline,
				remark: "Not found the consumer group consume stats, because return offset table is empty, maybe the consumer not online"}
		}
		if cc.MessageModel == "BROADCASTING" {
			return nil, &codeError{code: wire.BroadcastConsumption,
				remark: "Not found the consumer group consume stats, because return offset table is empty, the consumer is under the broadcast mode"}
		}
	}
	return out, nil
}

// connection is one client connection (Java's Connection).
type connection struct {
	ClientAddr string `json:"clientAddr"`
	ClientID   string `json:"clientId"`
	Language   string `json:"language"`
	Version    int    `json:"version"`
}

// subscriptionData is the part of SubscriptionData mqadmin prints.
type subscriptionData struct {
	Topic     string   `json:"topic"`
	SubString string   `json:"subString"`
	TagsSet   []string `json:"tagsSet"`
}

// consumerConn is Java's ConsumerConnection.
type consumerConn struct {
	ConnectionSet     []connection                `json:"connectionSet"`
	ConsumeFromWhere  string                      `json:"consumeFromWhere"`
	ConsumeType       string                      `json:"consumeType"`
	MessageModel      string                      `json:"messageModel"`
	SubscriptionTable map[string]subscriptionData `json:"subscriptionTable"`
}

// consumerConnectionOf asks one broker (GET_CONSUMER_CONNECTION_LIST).
func (a *admin) consumerConnectionOf(addr, group string) (*consumerConn, error) {
	resp, err := a.call(addr, request(wire.GetConsumerConnectionList, "consumerGroup", group))
	if err != nil {
		return nil, err
	}
	var cc consumerConn
	if err := decode(resp.Body, &cc); err != nil {
		return nil, err
	}
	if len(cc.ConnectionSet) == 0 {
		return nil, &codeError{addr: addr, code: wire.ConsumerNotOnline, remark: "Not found the consumer group connection"}
	}
	sort.Slice(cc.ConnectionSet, func(i, j int) bool { return cc.ConnectionSet[i].ClientID < cc.ConnectionSet[j].ClientID })
	return &cc, nil
}

// examineConsumerConnection asks a broker of %RETRY%group's route.
func (a *admin) examineConsumerConnection(group string) (*consumerConn, error) {
	rd, err := a.route(compat.RetryTopic(group))
	if err != nil {
		return nil, err
	}
	if len(rd.BrokerDatas) == 0 {
		return nil, fmt.Errorf("no broker in the route of %s", compat.RetryTopic(group))
	}
	return a.consumerConnectionOf(selectAddr(&rd.BrokerDatas[0]), group)
}

// queryTopicConsumeByWho asks a broker of the topic's route for the
// groups consuming it (QUERY_TOPIC_CONSUME_BY_WHO).
func (a *admin) queryTopicConsumeByWho(topic string) ([]string, error) {
	rd, err := a.route(topic)
	if err != nil {
		return nil, err
	}
	if len(rd.BrokerDatas) == 0 {
		return nil, fmt.Errorf("no broker in the route of %s", topic)
	}
	resp, err := a.call(selectAddr(&rd.BrokerDatas[0]), request(wire.QueryTopicConsumeByWho, "topic", topic))
	if err != nil {
		return nil, err
	}
	var gl struct {
		GroupList []string `json:"groupList"`
	}
	if err := decode(resp.Body, &gl); err != nil {
		return nil, err
	}
	sort.Strings(gl.GroupList)
	return gl.GroupList, nil
}

// topicList fetches every topic from the NameServer (GET_ALL_TOPIC_LIST_FROM_NAMESERVER).
func (a *admin) topicList() ([]string, error) {
	resp, err := a.nsCall(request(wire.GetAllTopicListFromNameserver))
	if err != nil {
		return nil, err
	}
	var tl codec.TopicList
	if err := decode(resp.Body, &tl); err != nil {
		return nil, err
	}
	sort.Strings(tl.TopicList)
	return tl.TopicList, nil
}

// kvTable decodes a KVTable body.
func kvTable(resp *wire.Command) (map[string]string, error) {
	var kv codec.KVTable
	if err := decode(resp.Body, &kv); err != nil {
		return nil, err
	}
	return kv.Table, nil
}

// nsEach sends req to every NameServer (Java's putKVConfigValue); it
// returns the first failure after trying them all.
func (a *admin) nsEach(req *wire.Command) error {
	if len(a.namesrv) == 0 {
		return errNoNamesrv
	}
	var first error
	for _, addr := range a.namesrv {
		if _, err := a.call(addr, cloneRequest(req)); err != nil && first == nil {
			first = err
		}
	}
	return first
}

// kvConfig reads a NameServer KV value; ok is false when it is absent.
func (a *admin) kvConfig(namespace, key string) (value string, ok bool, err error) {
	resp, err := a.nsCall(request(wire.GetKvConfig, "namespace", namespace, "key", key))
	if responseCode(err) == wire.QueryNotFound {
		return "", false, nil
	}
	if err != nil {
		return "", false, err
	}
	return resp.ExtValue("value"), true, nil
}

// properties fetches a configuration as Java properties text
// (GET_BROKER_CONFIG, GET_NAMESRV_CONFIG).
func (a *admin) properties(addr string, code wire.RequestCode) ([]compat.Property, error) {
	resp, err := a.call(addr, request(code))
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
