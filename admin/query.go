package admin

// The admin queries both mqadmin and the console make, with Java's body
// types.

import (
	"context"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
)

// Decode reads a body written by Booster or by Java's fastjson.
func Decode(body []byte, v any) error {
	if err := json.Unmarshal(codec.NormalizeFastJSON(body), v); err != nil {
		return fmt.Errorf("cannot decode response body: %w", err)
	}
	return nil
}

// DecodeMQMap decodes the keys of a fastjson map keyed by MessageQueue
// objects (after codec.NormalizeFastJSON the keys are strings holding the
// object).
func DecodeMQMap[V any](raw map[string]V) (map[codec.MessageQueue]V, error) {
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

// BrokerIDs returns a broker group's ids, ascending.
func BrokerIDs(bd *codec.BrokerData) []int64 {
	ids := make([]int64, 0, len(bd.BrokerAddrs))
	for id := range bd.BrokerAddrs {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids
}

// SelectAddr is BrokerData.selectBrokerAddr: the master, else the lowest
// id; "" for an empty group.
func SelectAddr(bd *codec.BrokerData) string {
	if addr := bd.MasterAddr(); addr != "" {
		return addr
	}
	if ids := BrokerIDs(bd); len(ids) > 0 {
		return bd.BrokerAddrs[ids[0]]
	}
	return ""
}

// ClusterInfo returns every broker group and cluster (GET_BROKER_CLUSTER_INFO).
func (c *Client) ClusterInfo(ctx context.Context) (*codec.ClusterInfo, error) {
	resp, err := c.NsCall(ctx, Request(wire.GetBrokerClusterInfo))
	if err != nil {
		return nil, err
	}
	var ci codec.ClusterInfo
	if err := Decode(resp.Body, &ci); err != nil {
		return nil, err
	}
	return &ci, nil
}

// Route returns a topic's route, sorted (GET_ROUTEINFO_BY_TOPIC).
func (c *Client) Route(ctx context.Context, topic string) (*codec.TopicRouteData, error) {
	resp, err := c.NsCall(ctx, Request(wire.GetRouteinfoByTopic, "topic", topic))
	if err != nil {
		return nil, err
	}
	var rd codec.TopicRouteData
	if err := Decode(resp.Body, &rd); err != nil {
		return nil, err
	}
	rd.Sort()
	return &rd, nil
}

// TopicList returns every topic the NameServer knows, sorted
// (GET_ALL_TOPIC_LIST_FROM_NAMESERVER).
func (c *Client) TopicList(ctx context.Context) ([]string, error) {
	resp, err := c.NsCall(ctx, Request(wire.GetAllTopicListFromNameserver))
	if err != nil {
		return nil, err
	}
	var tl codec.TopicList
	if err := Decode(resp.Body, &tl); err != nil {
		return nil, err
	}
	sort.Strings(tl.TopicList)
	return tl.TopicList, nil
}

// KVTable decodes a KVTable body.
func KVTable(resp *wire.Command) (map[string]string, error) {
	var kv codec.KVTable
	if err := Decode(resp.Body, &kv); err != nil {
		return nil, err
	}
	return kv.Table, nil
}

// RuntimeInfo returns a broker's runtime KVTable (GET_BROKER_RUNTIME_INFO).
func (c *Client) RuntimeInfo(ctx context.Context, addr string) (map[string]string, error) {
	resp, err := c.Call(ctx, addr, Request(wire.GetBrokerRuntimeInfo))
	if err != nil {
		return nil, err
	}
	return KVTable(resp)
}

// TopicOffset is one queue of a TopicStatsTable.
type TopicOffset struct {
	LastUpdateTimestamp int64 `json:"lastUpdateTimestamp"`
	MaxOffset           int64 `json:"maxOffset"`
	MinOffset           int64 `json:"minOffset"`
}

// TopicStats is Java's TopicStatsTable.
type TopicStats struct {
	Offsets map[codec.MessageQueue]TopicOffset
	PutTps  float64
}

// TopicStats asks one broker for a topic's queue offsets (GET_TOPIC_STATS_INFO).
func (c *Client) TopicStats(ctx context.Context, addr, topic string) (*TopicStats, error) {
	resp, err := c.Call(ctx, addr, Request(wire.GetTopicStatsInfo, "topic", topic))
	if err != nil {
		return nil, err
	}
	var raw struct {
		OffsetTable map[string]TopicOffset `json:"offsetTable"`
		TopicPutTps float64                `json:"topicPutTps"`
	}
	if err := Decode(resp.Body, &raw); err != nil {
		return nil, err
	}
	m, err := DecodeMQMap(raw.OffsetTable)
	if err != nil {
		return nil, err
	}
	return &TopicStats{Offsets: m, PutTps: raw.TopicPutTps}, nil
}

// OffsetWrapper is one queue of a ConsumeStats.
type OffsetWrapper struct {
	BrokerOffset   int64 `json:"brokerOffset"`
	ConsumerOffset int64 `json:"consumerOffset"`
	LastTimestamp  int64 `json:"lastTimestamp"`
	PullOffset     int64 `json:"pullOffset"`
}

// ConsumeStats is Java's ConsumeStats.
type ConsumeStats struct {
	Offsets    map[codec.MessageQueue]OffsetWrapper
	ConsumeTps float64
}

// DiffTotal is the lag summed over the queues.
func (s *ConsumeStats) DiffTotal() int64 {
	var n int64
	for _, o := range s.Offsets {
		n += o.BrokerOffset - o.ConsumerOffset
	}
	return n
}

// ConsumeStats asks one broker for a group's offsets, of one topic when
// topic is set (GET_CONSUME_STATS). Like Java's admin it waits three
// timeouts for the answer.
func (c *Client) ConsumeStats(ctx context.Context, addr, group, topic string) (*ConsumeStats, error) {
	req := Request(wire.GetConsumeStats, "consumerGroup", group)
	if topic != "" {
		req.SetExt("topic", topic)
	}
	resp, err := c.CallTimeout(ctx, addr, req, 3*c.cfg.Timeout)
	if err != nil {
		return nil, err
	}
	var raw struct {
		ConsumeTps  float64                  `json:"consumeTps"`
		OffsetTable map[string]OffsetWrapper `json:"offsetTable"`
	}
	if err := Decode(resp.Body, &raw); err != nil {
		return nil, err
	}
	m, err := DecodeMQMap(raw.OffsetTable)
	if err != nil {
		return nil, err
	}
	return &ConsumeStats{Offsets: m, ConsumeTps: raw.ConsumeTps}, nil
}

// Connection is one client connection (Java's Connection).
type Connection struct {
	ClientAddr string `json:"clientAddr"`
	ClientID   string `json:"clientId"`
	Language   string `json:"language"`
	Version    int    `json:"version"`
}

// ConsumerConnectionOf asks one broker for a group's connections
// (GET_CONSUMER_CONNECTION_LIST) and decodes the body into v, a
// ConsumerConnection shape of the caller's choosing.
func (c *Client) ConsumerConnectionOf(ctx context.Context, addr, group string, v any) error {
	resp, err := c.Call(ctx, addr, Request(wire.GetConsumerConnectionList, "consumerGroup", group))
	if err != nil {
		return err
	}
	return Decode(resp.Body, v)
}

// SortConnections orders connections by client id.
func SortConnections(cs []Connection) {
	sort.Slice(cs, func(i, j int) bool { return cs[i].ClientID < cs[j].ClientID })
}

// SubscriptionGroups returns a broker's subscription groups
// (GET_ALL_SUBSCRIPTIONGROUP_CONFIG).
func (c *Client) SubscriptionGroups(ctx context.Context, addr string) (map[string]*codec.SubscriptionGroupConfig, error) {
	resp, err := c.Call(ctx, addr, Request(wire.GetAllSubscriptiongroupConfig))
	if err != nil {
		return nil, err
	}
	var w codec.SubscriptionGroupWrapper
	if err := Decode(resp.Body, &w); err != nil {
		return nil, err
	}
	return w.SubscriptionGroupTable, nil
}
