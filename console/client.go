package console

// The console's remoting client: what an admin tool asks the NameServers
// and brokers, over one pooled connection per address.

import (
	"context"
	"crypto/tls"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// errNoNamesrv is returned when the console has no NameServer to ask.
var errNoNamesrv = errors.New("console: no NameServer address configured")

// codeError is an answer with a code other than SUCCESS.
type codeError struct {
	addr   string
	code   wire.ResponseCode
	remark string
}

func (e *codeError) Error() string {
	return fmt.Sprintf("%s answered code %d: %s", e.addr, int32(e.code), e.remark)
}

// responseCode returns the code of a codeError in err's chain, or -1.
func responseCode(err error) wire.ResponseCode {
	var ce *codeError
	if errors.As(err, &ce) {
		return ce.code
	}
	return -1
}

// client holds one connection per address. Safe for concurrent use: mu
// guards conns; a transport.Client serves concurrent calls itself.
type client struct {
	namesrv []string
	timeout time.Duration
	tls     *tls.Config // nil: plaintext

	mu    sync.Mutex
	conns map[string]*transport.Client
}

func newClient(namesrv []string, timeout time.Duration, tlsConfig *tls.Config) *client {
	return &client{namesrv: namesrv, timeout: timeout, tls: tlsConfig, conns: map[string]*transport.Client{}}
}

func (c *client) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for addr, cl := range c.conns {
		cl.Close()
		delete(c.conns, addr)
	}
}

// conn returns the open connection to addr, dialing when there is none.
func (c *client) conn(ctx context.Context, addr string) (*transport.Client, error) {
	c.mu.Lock()
	cl := c.conns[addr]
	c.mu.Unlock()
	if cl != nil && cl.Err() == nil {
		return cl, nil
	}
	cl, err := transport.DialTLS(ctx, addr, c.tls)
	if err != nil {
		return nil, fmt.Errorf("connect to %s: %w", addr, err)
	}
	c.mu.Lock()
	if old := c.conns[addr]; old != nil && old.Err() == nil {
		c.mu.Unlock()
		cl.Close()
		return old, nil
	}
	c.conns[addr] = cl
	c.mu.Unlock()
	return cl, nil
}

// call sends a request to addr and returns the answer; a code other than
// SUCCESS is a codeError.
func (c *client) call(ctx context.Context, addr string, req *wire.Command) (*wire.Command, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	cl, err := c.conn(ctx, addr)
	if err != nil {
		return nil, err
	}
	resp, err := cl.Invoke(ctx, req)
	if err != nil {
		return nil, fmt.Errorf("%v to %s: %w", wire.RequestCode(req.Code), addr, err)
	}
	if resp.ResponseCode() != wire.Success {
		return resp, &codeError{addr: addr, code: resp.ResponseCode(), remark: resp.Remark}
	}
	return resp, nil
}

// nsCall asks the NameServers in order until one answers.
func (c *client) nsCall(ctx context.Context, code wire.RequestCode, kv ...string) (*wire.Command, error) {
	if len(c.namesrv) == 0 {
		return nil, errNoNamesrv
	}
	var lastErr error
	for _, addr := range c.namesrv {
		resp, err := c.call(ctx, addr, request(code, kv...))
		if err == nil || responseCode(err) >= 0 {
			return resp, err
		}
		lastErr = err
	}
	return nil, lastErr
}

// request builds a request from alternating ext keys and values.
func request(code wire.RequestCode, kv ...string) *wire.Command {
	req := wire.NewRequest(code)
	for i := 0; i+1 < len(kv); i += 2 {
		req.SetExt(kv[i], kv[i+1])
	}
	return req
}

// decode reads a body written by Booster or by Java's fastjson.
func decode(body []byte, v any) error {
	if err := json.Unmarshal(codec.NormalizeFastJSON(body), v); err != nil {
		return fmt.Errorf("cannot decode response body: %w", err)
	}
	return nil
}

// clusterInfo is GET_BROKER_CLUSTER_INFO.
func (c *client) clusterInfo(ctx context.Context) (*codec.ClusterInfo, error) {
	resp, err := c.nsCall(ctx, wire.GetBrokerClusterInfo)
	if err != nil {
		return nil, err
	}
	var ci codec.ClusterInfo
	if err := decode(resp.Body, &ci); err != nil {
		return nil, err
	}
	return &ci, nil
}

// route is GET_ROUTEINFO_BY_TOPIC.
func (c *client) route(ctx context.Context, topic string) (*codec.TopicRouteData, error) {
	resp, err := c.nsCall(ctx, wire.GetRouteinfoByTopic, "topic", topic)
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

// topicList is GET_ALL_TOPIC_LIST_FROM_NAMESERVER, sorted.
func (c *client) topicList(ctx context.Context) ([]string, error) {
	resp, err := c.nsCall(ctx, wire.GetAllTopicListFromNameserver)
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

// runtimeInfo is GET_BROKER_RUNTIME_INFO: a broker's KVTable.
func (c *client) runtimeInfo(ctx context.Context, addr string) (map[string]string, error) {
	resp, err := c.call(ctx, addr, request(wire.GetBrokerRuntimeInfo))
	if err != nil {
		return nil, err
	}
	var kv codec.KVTable
	if err := decode(resp.Body, &kv); err != nil {
		return nil, err
	}
	return kv.Table, nil
}

// queueOffsets is one queue of a TopicStatsTable.
type queueOffsets struct {
	LastUpdateTimestamp int64 `json:"lastUpdateTimestamp"`
	MaxOffset           int64 `json:"maxOffset"`
	MinOffset           int64 `json:"minOffset"`
}

// topicStats is GET_TOPIC_STATS_INFO on one broker.
func (c *client) topicStats(ctx context.Context, addr, topic string) (map[codec.MessageQueue]queueOffsets, error) {
	resp, err := c.call(ctx, addr, request(wire.GetTopicStatsInfo, "topic", topic))
	if err != nil {
		return nil, err
	}
	var raw struct {
		OffsetTable map[string]queueOffsets `json:"offsetTable"`
	}
	if err := decode(resp.Body, &raw); err != nil {
		return nil, err
	}
	return mqMap(raw.OffsetTable)
}

// groupOffsets is one queue of a ConsumeStats.
type groupOffsets struct {
	BrokerOffset   int64 `json:"brokerOffset"`
	ConsumerOffset int64 `json:"consumerOffset"`
	LastTimestamp  int64 `json:"lastTimestamp"`
	PullOffset     int64 `json:"pullOffset"`
}

// consumeStats is GET_CONSUME_STATS on one broker.
func (c *client) consumeStats(ctx context.Context, addr, group string) (map[codec.MessageQueue]groupOffsets, float64, error) {
	resp, err := c.call(ctx, addr, request(wire.GetConsumeStats, "consumerGroup", group))
	if err != nil {
		return nil, 0, err
	}
	var raw struct {
		ConsumeTps  float64                 `json:"consumeTps"`
		OffsetTable map[string]groupOffsets `json:"offsetTable"`
	}
	if err := decode(resp.Body, &raw); err != nil {
		return nil, 0, err
	}
	m, err := mqMap(raw.OffsetTable)
	return m, raw.ConsumeTps, err
}

// mqMap decodes the keys of a map keyed by MessageQueue objects (strings
// holding the object after NormalizeFastJSON).
func mqMap[V any](raw map[string]V) (map[codec.MessageQueue]V, error) {
	out := make(map[codec.MessageQueue]V, len(raw))
	for k, v := range raw {
		var mq codec.MessageQueue
		if err := json.Unmarshal([]byte(k), &mq); err != nil {
			return nil, fmt.Errorf("bad MessageQueue key %q: %w", k, err)
		}
		out[mq] = v
	}
	return out, nil
}

// connection is Java's Connection.
type connection struct {
	ClientAddr string `json:"clientAddr"`
	ClientID   string `json:"clientId"`
	Language   string `json:"language"`
	Version    int    `json:"version"`
}

// subscription is the part of SubscriptionData the console shows.
type subscription struct {
	Topic     string `json:"topic"`
	SubString string `json:"subString"`
}

// consumerConnection is Java's ConsumerConnection.
type consumerConnection struct {
	ConnectionSet     []connection            `json:"connectionSet"`
	ConsumeFromWhere  string                  `json:"consumeFromWhere"`
	ConsumeType       string                  `json:"consumeType"`
	MessageModel      string                  `json:"messageModel"`
	SubscriptionTable map[string]subscription `json:"subscriptionTable"`
}

// consumerConnectionOf is GET_CONSUMER_CONNECTION_LIST on one broker.
func (c *client) consumerConnectionOf(ctx context.Context, addr, group string) (*consumerConnection, error) {
	resp, err := c.call(ctx, addr, request(wire.GetConsumerConnectionList, "consumerGroup", group))
	if err != nil {
		return nil, err
	}
	var cc consumerConnection
	if err := decode(resp.Body, &cc); err != nil {
		return nil, err
	}
	sort.Slice(cc.ConnectionSet, func(i, j int) bool { return cc.ConnectionSet[i].ClientID < cc.ConnectionSet[j].ClientID })
	return &cc, nil
}

// subscriptionGroups is GET_ALL_SUBSCRIPTIONGROUP_CONFIG on one broker.
func (c *client) subscriptionGroups(ctx context.Context, addr string) (map[string]*codec.SubscriptionGroupConfig, error) {
	resp, err := c.call(ctx, addr, request(wire.GetAllSubscriptiongroupConfig))
	if err != nil {
		return nil, err
	}
	var w codec.SubscriptionGroupWrapper
	if err := decode(resp.Body, &w); err != nil {
		return nil, err
	}
	return w.SubscriptionGroupTable, nil
}

// brokerAddr is BrokerData.selectBrokerAddr: the master, else the lowest id.
func brokerAddr(bd *codec.BrokerData) string {
	if addr := bd.MasterAddr(); addr != "" {
		return addr
	}
	var best int64 = -1
	for id := range bd.BrokerAddrs {
		if best < 0 || id < best {
			best = id
		}
	}
	return bd.BrokerAddrs[best]
}

// masters returns the master address of every broker group of a cluster
// ("" = every cluster), by broker name.
func (c *client) masters(ctx context.Context, cluster string) ([]string, error) {
	ci, err := c.clusterInfo(ctx)
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
func (c *client) queuesHeld(ctx context.Context, addr, group, clientID string) ([]codec.MessageQueue, error) {
	resp, err := c.call(ctx, addr, request(wire.GetConsumerRunningInfo, "consumerGroup", group, "clientId", clientID, "jstackEnable", "false"))
	if err != nil {
		return nil, err
	}
	var info struct {
		MQTable map[string]json.RawMessage `json:"mqTable"`
	}
	if err := decode(resp.Body, &info); err != nil {
		return nil, err
	}
	m, err := mqMap(info.MQTable)
	if err != nil {
		return nil, err
	}
	out := make([]codec.MessageQueue, 0, len(m))
	for mq := range m {
		out = append(out, mq)
	}
	return out, nil
}
