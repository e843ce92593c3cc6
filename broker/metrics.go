package broker

// The broker's side of the Prometheus endpoint (package metrics):
// metricsExporterType=PROM starts it on metricsPromExporterHost (brokerIP1
// when empty, as in Apache's BrokerMetricsManager) and
// metricsPromExporterPort.
//
// Behaviour:
//  1. Sends count rocketmq_messages_in_total, rocketmq_throughput_in_total
//     (stored record bytes) and rocketmq_message_size per topic and
//     message type (countPut, one call in send_message.go); pulls that
//     return messages count rocketmq_messages_out_total and
//     rocketmq_throughput_out_total per topic and group (countPull, one
//     call in pull_message.go). Retry and DLQ topics are left out, as in
//     Apache.
//  2. Every routed request whose handler answers records
//     rocketmq_rpc_latency from its arrival; a pull that writes its
//     messages itself records it in countPull, with is_long_polling for
//     re-runs of a parked pull.
//  3. Gauges are read when Prometheus scrapes (metricsState): lag per
//     group and topic as GET_CONSUME_STATS computes it, connections from
//     the heartbeat tables, sizes and offsets from the store, executor
//     queue lengths from the transport.
//  4. The settings are read once, when the broker is created;
//     UPDATE_BROKER_CONFIG changes to them apply after a restart.

import (
	"net"
	"strings"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/metrics"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// brokerMetrics is the broker's metrics and their endpoint; both are nil
// unless metricsExporterType=PROM.
type brokerMetrics struct {
	m   *metrics.Broker
	srv *metrics.Server
}

// codeNames are Apache's request_code and response_code label values:
// the lower-cased Java constant name, or the number for an unknown code.
var codeNames = metrics.CodeNames{
	Request:  func(c int32) string { return strings.ToLower(wire.RequestCode(c).String()) },
	Response: func(c int32) string { return strings.ToLower(wire.ResponseCode(c).String()) },
}

// initMetrics creates the broker's metrics when the config asks for them.
func (b *Broker) initMetrics() {
	c := b.conf()
	if !c.Prometheus() {
		return
	}
	node := metrics.Node{Cluster: c.BrokerClusterName, Type: metrics.NodeBroker, ID: c.BrokerName}
	b.obs.m = metrics.NewBroker(node, &c.ExporterConfig, codeNames, metricsState{b})
}

// startMetrics starts the endpoint.
func (b *Broker) startMetrics() error {
	if b.obs.m == nil {
		return nil
	}
	host := b.conf().PromHost
	if host == "" {
		host = b.conf().AdvertisedIP()
	}
	srv, err := metrics.Serve(host, b.conf().PromPort, b.obs.m.Gatherer(), b.log)
	if err != nil {
		return err
	}
	b.obs.srv = srv
	return nil
}

// stopMetrics stops the endpoint.
func (b *Broker) stopMetrics() error { return b.obs.srv.Close() }

// MetricsAddr is the Prometheus endpoint's address, or nil when it is off.
func (b *Broker) MetricsAddr() net.Addr {
	if b.obs.srv == nil {
		return nil
	}
	return b.obs.srv.Addr()
}

// timedRoutes wraps each handler to record rocketmq_rpc_latency; routes
// are returned as they are when metrics are off.
func (b *Broker) timedRoutes(routes []transport.Route) []transport.Route {
	rpc := b.obs.m.RPC()
	if rpc == nil {
		return routes
	}
	return transport.ObserveRoutes(routes, func(req, resp int32, oneway bool, d time.Duration) {
		rpc.Observe(req, resp, false, oneway, d)
	})
}

// countPut counts a send's stored messages.
func (b *Broker) countPut(h *codec.SendMessageRequestHeader, res *store.PutResult) {
	if b.obs.m == nil || !res.Status.Stored() {
		return
	}
	var bytes int64
	for i := range res.Offsets {
		bytes += int64(res.Offsets[i].Size)
	}
	b.obs.m.Put(h.Topic, messageType(h), len(res.Offsets), bytes)
}

// messageType is Apache's TopicMessageType.parseFromMessageProperty.
func messageType(h *codec.SendMessageRequestHeader) metrics.MessageType {
	p := h.Properties
	if v, ok := codec.PropertyValue(p, codec.PropertyTransactionPrepared); ok && v == "true" {
		return metrics.Transaction
	}
	for _, k := range [...]string{codec.PropertyDelayLevel, codec.PropertyTimerDeliverMS, codec.PropertyTimerDelaySec, codec.PropertyTimerDelayMS} {
		if _, ok := codec.PropertyValue(p, k); ok {
			return metrics.Delay
		}
	}
	if _, ok := codec.PropertyValue(p, codec.PropertyShardingKey); ok {
		return metrics.FIFO
	}
	return metrics.Normal
}

// countPull counts the messages a pull returns, and its latency when it
// writes them itself.
func (b *Broker) countPull(r *transport.Request, h *codec.PullMessageRequestHeader, res *store.GetResult, firstPass bool) {
	if b.obs.m == nil {
		return
	}
	b.obs.m.Get(h.Topic, h.ConsumerGroup, len(res.Records), int64(res.Bytes))
	if !r.Cmd.IsOneway() { // timedRoutes records oneway requests
		b.obs.m.RPC().Observe(r.Cmd.Code, int32(wire.Success), !firstPass, false, time.Since(r.Arrived))
	}
}

// metricsState is the broker as metrics.BrokerState.
type metricsState struct{ b *Broker }

// IsSystemTopic is TopicValidator.isSystemTopic: the system topic set,
// the rmq_sys_ prefix, and the cluster- and broker-name topics.
func (s metricsState) IsSystemTopic(topic string) bool {
	for _, t := range systemTopicSet {
		if t == topic {
			return true
		}
	}
	c := s.b.conf()
	return strings.HasPrefix(topic, "rmq_sys_") || topic == c.BrokerClusterName || topic == c.BrokerName
}

// IsSystemGroup is MixAll.isSysConsumerGroup.
func (metricsState) IsSystemGroup(group string) bool { return strings.HasPrefix(group, "CID_RMQ_SYS_") }

func (s metricsState) Permission() int { return s.b.conf().BrokerPermission }
func (s metricsState) TopicCount() int { return len(s.b.topics.names()) }
func (s metricsState) GroupCount() int { return len(s.b.groups.names()) }

// ConsumerQueues walks every read queue of every topic a group has
// committed offsets of, as GET_CONSUME_STATS does.
func (s metricsState) ConsumerQueues(fn func(*metrics.QueueState)) {
	b := s.b
	offsets, _ := b.offsets.snapshot()
	var q metrics.QueueState
	for key, queues := range offsets {
		topic, group, ok := strings.Cut(key, "@")
		if !ok {
			continue
		}
		tc, ok := b.topics.get(topic)
		if !ok {
			continue
		}
		for i := 0; i < tc.ReadQueueNums; i++ {
			id := int32(i)
			q = metrics.QueueState{Topic: topic, Group: group, QueueID: id, BrokerOffset: b.store.MaxOffset(topic, id)}
			q.ConsumerOffset = max(0, queues[id])
			q.PullOffset = q.ConsumerOffset
			if off, ok := b.pulled.get(topic, group, id); ok && off > q.PullOffset {
				q.PullOffset = off
			}
			if q.BrokerOffset > q.ConsumerOffset {
				q.ConsumeTime = max(0, b.storeTimeAt(topic, id, q.ConsumerOffset))
			}
			if q.BrokerOffset > q.PullOffset {
				q.PullTime = max(0, b.storeTimeAt(topic, id, q.PullOffset))
			}
			fn(&q)
		}
	}
}

// consumeModes maps heartbeat consumeType to Apache's consume_mode label.
var consumeModes = map[string]string{"CONSUME_ACTIVELY": "pull", "CONSUME_PASSIVELY": "push", "CONSUME_POP": "pop"}

// Connections walks the heartbeat tables.
func (s metricsState) Connections(fn func(*metrics.Connection)) {
	t := s.b.clients
	t.mu.RLock()
	defer t.mu.RUnlock()
	for _, chans := range t.producers {
		for _, ch := range chans {
			fn(&metrics.Connection{Producer: true, Language: strings.ToLower(compat.LanguageName(ch.language)),
				Version: strings.ToLower(compat.VersionDesc(int(ch.version)))})
		}
	}
	for name, g := range t.consumers {
		mode := consumeModes[g.consumeType]
		for _, ch := range g.channels {
			fn(&metrics.Connection{Group: name, Language: strings.ToLower(compat.LanguageName(ch.language)),
				Version: strings.ToLower(compat.VersionDesc(int(ch.version))), ConsumeMode: mode})
		}
	}
}

// GroupClients reads a consumer group's heartbeat state.
func (s metricsState) GroupClients(group string) (int, string) {
	t := s.b.clients
	t.mu.RLock()
	defer t.mu.RUnlock()
	g := t.consumers[group]
	if g == nil || len(g.channels) == 0 {
		return 0, ""
	}
	return len(g.channels), g.messageModel
}

// Storage reads the store's sizes and offsets.
func (s metricsState) Storage() metrics.Storage {
	b := s.b
	st := metrics.Storage{UsedBytes: -1, CommitLogMin: b.store.MinPhyOffset(), CommitLogMax: b.store.MaxPhyOffset(),
		Flushed: b.store.FlushedPhyOffset(), EarliestMessageTime: max(0, b.earliestMessageTime())}
	// Consume queues are built in the append path, so nothing waits for
	// dispatch.
	st.Dispatched = st.CommitLogMax
	if total, free, ok := diskSpace(b.conf().StorePathRootDir); ok {
		st.UsedBytes = total - free
	}
	st.TopicOffsets = map[string]int64{}
	for _, topic := range b.store.Topics() {
		for _, id := range b.store.QueueIDs(topic) {
			maxOff := b.store.MaxOffset(topic, id)
			st.ConsumeQueueBytes += 20 * max(0, maxOff-b.store.MinOffset(topic, id))
			st.TopicOffsets[topic] += maxOff
		}
	}
	if b.haMaster != nil {
		for _, sl := range b.haMaster.Slaves() {
			st.Slaves = append(st.Slaves, metrics.SlaveState{Addr: sl.Addr, AckOffset: sl.AckOffset})
		}
	}
	return st
}

// processorNames are Apache's processor labels of Booster's executors.
var processorNames = [...]struct {
	class transport.Class
	name  string
}{
	{transport.Send, "send"}, {transport.Pull, "pull"}, {transport.Heartbeat, "heartbeat"},
	{transport.Admin, "admin"}, {transport.Txn, "transaction"},
}

// Processors reads the executor queues.
func (s metricsState) Processors(fn func(string, int)) {
	for _, p := range processorNames {
		fn(p.name, s.b.server.QueueSize(p.class))
	}
}
