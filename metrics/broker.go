package metrics

import (
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// MessageType is the message_type label of rocketmq_messages_in_total
// (Apache's TopicMessageType, lower-cased).
type MessageType uint8

// Message types.
const (
	Normal MessageType = iota
	FIFO
	Delay
	Transaction
)

var messageTypeNames = [...]string{"normal", "fifo", "delay", "transaction"}

// String returns the label value.
func (t MessageType) String() string {
	if int(t) < len(messageTypeNames) {
		return messageTypeNames[t]
	}
	return "unspecified"
}

// messageSizeBuckets are Apache's rocketmq_message_size buckets, in bytes.
var messageSizeBuckets = []float64{1 << 10, 4 << 10, 512 << 10, 1 << 20, 2 << 20, 4 << 20}

// Broker is a broker's metrics. Put, Get and RPC().Observe are called on
// the request path; everything else is read from a BrokerState when
// Prometheus scrapes. A nil *Broker ignores every call.
type Broker struct {
	reg   *prometheus.Registry
	rpc   *RPC
	state BrokerState

	in, inBytes   *prometheus.CounterVec
	size          *prometheus.HistogramVec
	out, outBytes *prometheus.CounterVec

	// mu guards puts and gets, the prepared children of each label set;
	// a label set is added once and never removed.
	mu   sync.RWMutex
	puts map[putKey]*putSeries
	gets map[getKey]*getSeries
}

type putKey struct {
	topic string
	typ   MessageType
}

type putSeries struct {
	msgs, bytes prometheus.Counter
	size        prometheus.Observer
}

type getKey struct{ topic, group string }

type getSeries struct{ msgs, bytes prometheus.Counter }

// NewBroker returns a broker's metrics, with the scrape-time gauges read
// from state (which may be nil in tests of the counters alone).
func NewBroker(n Node, c *ExporterConfig, names CodeNames, state BrokerState) *Broker {
	cl := constLabels(n, c)
	inLabels := []string{"topic", "message_type", "is_system"}
	outLabels := []string{"topic", "consumer_group", "is_system"}
	m := &Broker{
		reg:   newRegistry(),
		rpc:   newRPC(cl, names),
		state: state,
		in: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rocketmq_messages_in_total",
			Help: "Messages stored by sends, per topic (retry and DLQ topics excluded).", ConstLabels: cl}, inLabels),
		inBytes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rocketmq_throughput_in_total",
			Help: "Bytes of stored commit-log records from sends, per topic.", ConstLabels: cl}, inLabels),
		size: prometheus.NewHistogramVec(prometheus.HistogramOpts{Name: "rocketmq_message_size",
			Help: "Size of stored messages in bytes (one observation per send: bytes over messages).", Buckets: messageSizeBuckets, ConstLabels: cl}, inLabels),
		out: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rocketmq_messages_out_total",
			Help: "Messages handed to consumers by pulls, per topic and group (retry and DLQ topics excluded).", ConstLabels: cl}, outLabels),
		outBytes: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "rocketmq_throughput_out_total",
			Help: "Bytes of commit-log records handed to consumers by pulls, per topic and group.", ConstLabels: cl}, outLabels),
		puts: map[putKey]*putSeries{},
		gets: map[getKey]*getSeries{},
	}
	m.reg.MustRegister(m.rpc.hist, m.in, m.inBytes, m.size, m.out, m.outBytes)
	if state != nil {
		m.reg.MustRegister(newBrokerCollector(n, cl, state))
	}
	return m
}

// Gatherer is what the endpoint serves.
func (m *Broker) Gatherer() prometheus.Gatherer { return m.reg }

// RPC returns the broker's rocketmq_rpc_latency (nil on a nil *Broker).
func (m *Broker) RPC() *RPC {
	if m == nil {
		return nil
	}
	return m.rpc
}

// Put counts one stored send of msgs messages totalling bytes record
// bytes to topic. Retry and DLQ topics are not counted, as in Apache.
func (m *Broker) Put(topic string, typ MessageType, msgs int, bytes int64) {
	if m == nil || msgs <= 0 || retryOrDLQ(topic) {
		return
	}
	s := series(&m.mu, m.puts, putKey{topic: topic, typ: typ}, m.newPutSeries)
	s.msgs.Add(float64(msgs))
	s.bytes.Add(float64(bytes))
	s.size.Observe(float64(bytes / int64(msgs)))
}

// series returns the prepared children of key k in cache, made by create
// on first use under mu's write lock (later uses take only the read lock).
func series[K comparable, S any](mu *sync.RWMutex, cache map[K]*S, k K, create func(K) *S) *S {
	mu.RLock()
	s := cache[k]
	mu.RUnlock()
	if s != nil {
		return s
	}
	mu.Lock()
	defer mu.Unlock()
	if s := cache[k]; s != nil {
		return s
	}
	s = create(k)
	cache[k] = s
	return s
}

// newPutSeries prepares the children of one put label set.
func (m *Broker) newPutSeries(k putKey) *putSeries {
	sys := "false"
	if m.state != nil && m.state.IsSystemTopic(k.topic) {
		sys = "true"
	}
	lv := []string{k.topic, k.typ.String(), sys}
	return &putSeries{msgs: m.in.WithLabelValues(lv...), bytes: m.inBytes.WithLabelValues(lv...), size: m.size.WithLabelValues(lv...)}
}

// Get counts msgs messages totalling bytes handed to group from topic by
// one pull. Retry and DLQ topics are not counted, as in Apache.
func (m *Broker) Get(topic, group string, msgs int, bytes int64) {
	if m == nil || msgs <= 0 || retryOrDLQ(topic) {
		return
	}
	s := series(&m.mu, m.gets, getKey{topic: topic, group: group}, m.newGetSeries)
	s.msgs.Add(float64(msgs))
	s.bytes.Add(float64(bytes))
}

// newGetSeries prepares the children of one get label set.
func (m *Broker) newGetSeries(k getKey) *getSeries {
	sys := "false"
	if m.state != nil && (m.state.IsSystemTopic(k.topic) || m.state.IsSystemGroup(k.group)) {
		sys = "true"
	}
	return &getSeries{msgs: m.out.WithLabelValues(k.topic, k.group, sys), bytes: m.outBytes.WithLabelValues(k.topic, k.group, sys)}
}

// retryOrDLQ is Apache's BrokerMetricsManager.isRetryOrDlqTopic.
func retryOrDLQ(topic string) bool {
	return strings.HasPrefix(topic, "%RETRY%") || strings.HasPrefix(topic, "%DLQ%")
}

// BrokerState is what a broker's scrape reads. Every method must be safe
// to call concurrently with the broker's work.
type BrokerState interface {
	// IsSystemTopic and IsSystemGroup decide the is_system label.
	IsSystemTopic(topic string) bool
	IsSystemGroup(group string) bool
	// Permission is brokerPermission.
	Permission() int
	// TopicCount and GroupCount are the topic and subscription-group
	// config tables' sizes.
	TopicCount() int
	GroupCount() int
	// ConsumerQueues calls fn for every queue of every topic a group has
	// committed offsets of, with the store times looked up.
	ConsumerQueues(fn func(*QueueState))
	// Connections calls fn for every producer and consumer connection.
	Connections(fn func(*Connection))
	// GroupClients returns how many clients of a consumer group are
	// online and its message model (CLUSTERING, BROADCASTING; empty when
	// none is online).
	GroupClients(group string) (online int, messageModel string)
	// Storage returns the store's sizes and offsets.
	Storage() Storage
	// Processors calls fn for each executor with its queued requests.
	Processors(fn func(name string, queued int))
}

// QueueState is one consumer group's position in one queue.
type QueueState struct {
	Topic   string
	Group   string
	QueueID int32
	// BrokerOffset is the queue's max offset, ConsumerOffset the group's
	// committed offset, PullOffset the next offset its pulls asked for
	// (at least ConsumerOffset).
	BrokerOffset, ConsumerOffset, PullOffset int64
	// ConsumeTime and PullTime are the store times (ms) of the messages
	// at ConsumerOffset and PullOffset, 0 when there is none.
	ConsumeTime, PullTime int64
}

// Connection is one client connection seen by heartbeat.
type Connection struct {
	Producer bool
	// Group is the consumer group (empty for producers).
	Group string
	// Language and Version are Apache's labels: "java", "v5_3_3".
	Language, Version string
	// ConsumeMode is "push", "pull" or "pop" (consumers).
	ConsumeMode string
}

// Storage is the store's state at a scrape.
type Storage struct {
	// UsedBytes is the used space of the file system holding the store
	// root (Apache's rocketmq_storage_size); -1 when unknown.
	UsedBytes int64
	// CommitLogMin, CommitLogMax and Flushed are commit-log offsets;
	// Dispatched is how far consume queues are built.
	CommitLogMin, CommitLogMax, Flushed, Dispatched int64
	// ConsumeQueueBytes is the consume-queue units held, times 20.
	ConsumeQueueBytes int64
	// TopicOffsets is the sum of each topic's queue max offsets.
	TopicOffsets map[string]int64
	// EarliestMessageTime is the store time (ms) of the oldest message, 0
	// when the store is empty.
	EarliestMessageTime int64
	// Slaves lists the HA slaves' acknowledged offsets (a master).
	Slaves []SlaveState
}

// SlaveState is one HA slave seen by a master.
type SlaveState struct {
	Addr      string
	AckOffset int64
}

// brokerCollector computes the gauges at scrape time.
type brokerCollector struct {
	state BrokerState
	node  Node

	permission, topics, groups           *prometheus.Desc
	lag, lagLatency, inflight, queueing  *prometheus.Desc
	ready, queueLag                      *prometheus.Desc
	producers, consumers                 *prometheus.Desc
	storageSize, flushBehind, dispBehind *prometheus.Desc
	reserveTime, commitLog, consumeQueue *prometheus.Desc
	slaveBehind, watermark               *prometheus.Desc

	// rocketmq-exporter's names (per broker; the exporter adds brokers up).
	groupDiff, groupRetryDiff, producerOffset, consumerOffset *prometheus.Desc
}

func newBrokerCollector(n Node, cl prometheus.Labels, state BrokerState) *brokerCollector {
	d := func(name, help string, labels ...string) *prometheus.Desc {
		return prometheus.NewDesc(name, help, labels, cl)
	}
	lagLabels := []string{"consumer_group", "topic", "is_retry", "is_system"}
	storeLabels := []string{"storage_type", "storage_medium"}
	return &brokerCollector{
		state:        state,
		node:         n,
		permission:   d("rocketmq_broker_permission", "brokerPermission (2 write, 4 read, 6 both)."),
		topics:       d("rocketmq_topic_number", "Topics in the broker's topic config table."),
		groups:       d("rocketmq_consumer_group_number", "Subscription groups in the broker's table."),
		lag:          d("rocketmq_consumer_lag_messages", "Messages stored but not yet committed by the group.", lagLabels...),
		lagLatency:   d("rocketmq_consumer_lag_latency", "Age in ms of the oldest message the group has not committed.", lagLabels...),
		inflight:     d("rocketmq_consumer_inflight_messages", "Messages pulled but not yet committed by the group.", lagLabels...),
		queueing:     d("rocketmq_consumer_queueing_latency", "Age in ms of the oldest message the group has not pulled.", lagLabels...),
		ready:        d("rocketmq_consumer_ready_messages", "Messages stored but not yet pulled by the group.", lagLabels...),
		queueLag:     d("booster_consumer_queue_lag_messages", "Per-queue lag: queue max offset minus the group's committed offset (Booster).", "consumer_group", "topic", "queue_id"),
		producers:    d("rocketmq_producer_connections", "Producer connections.", "language", "version", "protocol_type"),
		consumers:    d("rocketmq_consumer_connections", "Consumer connections.", "consumer_group", "language", "version", "consume_mode", "protocol_type", "is_system"),
		storageSize:  d("rocketmq_storage_size", "Used bytes of the file system holding the store.", storeLabels...),
		flushBehind:  d("rocketmq_storage_flush_behind_bytes", "Commit-log bytes written but not yet flushed.", storeLabels...),
		dispBehind:   d("rocketmq_storage_dispatch_behind_bytes", "Commit-log bytes not yet dispatched to consume queues.", storeLabels...),
		reserveTime:  d("rocketmq_storage_message_reserve_time", "Age in ms of the oldest stored message.", storeLabels...),
		commitLog:    d("booster_storage_commitlog_bytes", "Commit-log bytes held (max minus min offset) (Booster)."),
		consumeQueue: d("booster_storage_consumequeue_bytes", "Consume-queue bytes held, 20 per unit (Booster)."),
		slaveBehind:  d("booster_ha_slave_behind_bytes", "Commit-log bytes a slave has not acknowledged (Booster).", "slave"),
		watermark:    d("rocketmq_processor_watermark", "Requests waiting in an executor's queue.", "processor"),

		groupDiff:      d("rocketmq_group_diff", "GroupDiff (rocketmq-exporter): the group's lag on this broker.", "group", "topic", "countOfOnlineConsumers", "msgModel"),
		groupRetryDiff: d("rocketmq_group_retrydiff", "GroupRetryDiff (rocketmq-exporter): the group's lag of its retry topic.", "group", "topic", "countOfOnlineConsumers", "msgModel"),
		producerOffset: d("rocketmq_producer_offset", "TopicOffset (rocketmq-exporter): the sum of the topic's queue max offsets.", "broker", "topic"),
		consumerOffset: d("rocketmq_consumer_offset", "GroupConsumeTotalOffset (rocketmq-exporter): the sum of the group's committed offsets.", "broker", "topic", "group"),
	}
}

// Describe sends every descriptor.
func (c *brokerCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.permission, c.topics, c.groups, c.lag, c.lagLatency, c.inflight,
		c.queueing, c.ready, c.queueLag, c.producers, c.consumers, c.storageSize, c.flushBehind, c.dispBehind,
		c.reserveTime, c.commitLog, c.consumeQueue, c.slaveBehind, c.watermark,
		c.groupDiff, c.groupRetryDiff, c.producerOffset, c.consumerOffset} {
		ch <- d
	}
}

// lagAgg is one group and topic's sums over its queues.
type lagAgg struct {
	lag, inflight, ready     int64
	oldestConsume, oldestPul int64
	committed                int64
}

// Collect reads the broker's state.
func (c *brokerCollector) Collect(ch chan<- prometheus.Metric) {
	gauge := func(d *prometheus.Desc, v float64, lv ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, lv...)
	}
	s := c.state
	nodeID := c.node.ID
	now := time.Now().UnixMilli()
	gauge(c.permission, float64(s.Permission()))
	gauge(c.topics, float64(s.TopicCount()))
	gauge(c.groups, float64(s.GroupCount()))

	aggs := map[getKey]*lagAgg{}
	s.ConsumerQueues(func(q *QueueState) {
		k := getKey{topic: q.Topic, group: q.Group}
		a := aggs[k]
		if a == nil {
			a = &lagAgg{}
			aggs[k] = a
		}
		lag := max(0, q.BrokerOffset-q.ConsumerOffset)
		pull := max(q.PullOffset, q.ConsumerOffset)
		a.lag += lag
		a.committed += q.ConsumerOffset
		a.inflight += max(0, pull-q.ConsumerOffset)
		a.ready += max(0, q.BrokerOffset-pull)
		if lag > 0 && q.ConsumeTime > 0 && (a.oldestConsume == 0 || q.ConsumeTime < a.oldestConsume) {
			a.oldestConsume = q.ConsumeTime
		}
		if q.BrokerOffset > pull && q.PullTime > 0 && (a.oldestPul == 0 || q.PullTime < a.oldestPul) {
			a.oldestPul = q.PullTime
		}
		gauge(c.queueLag, float64(lag), q.Group, q.Topic, strconv.Itoa(int(q.QueueID)))
	})
	for k, a := range aggs {
		lv := []string{k.group, k.topic, strconv.FormatBool(strings.HasPrefix(k.topic, "%RETRY%")),
			strconv.FormatBool(s.IsSystemTopic(k.topic) || s.IsSystemGroup(k.group))}
		gauge(c.lag, float64(a.lag), lv...)
		gauge(c.inflight, float64(a.inflight), lv...)
		gauge(c.ready, float64(a.ready), lv...)
		gauge(c.lagLatency, float64(since(now, a.oldestConsume)), lv...)
		gauge(c.queueing, float64(since(now, a.oldestPul)), lv...)

		online, model := s.GroupClients(k.group)
		diff := c.groupDiff
		if strings.HasPrefix(k.topic, "%RETRY%") {
			diff = c.groupRetryDiff
		}
		gauge(diff, float64(a.lag), k.group, k.topic, strconv.Itoa(online), model)
		gauge(c.consumerOffset, float64(a.committed), nodeID, k.topic, k.group)
	}

	type prodKey struct{ lang, ver string }
	type consKey struct{ group, lang, ver, mode string }
	prods, cons := map[prodKey]int{}, map[consKey]int{}
	s.Connections(func(cn *Connection) {
		if cn.Producer {
			prods[prodKey{cn.Language, cn.Version}]++
		} else {
			cons[consKey{cn.Group, cn.Language, cn.Version, cn.ConsumeMode}]++
		}
	})
	for k, n := range prods {
		gauge(c.producers, float64(n), k.lang, k.ver, "remoting")
	}
	for k, n := range cons {
		gauge(c.consumers, float64(n), k.group, k.lang, k.ver, k.mode, "remoting", strconv.FormatBool(s.IsSystemGroup(k.group)))
	}

	st := s.Storage()
	for topic, off := range st.TopicOffsets {
		if !retryOrDLQ(topic) {
			gauge(c.producerOffset, float64(off), nodeID, topic)
		}
	}
	if st.UsedBytes >= 0 {
		gauge(c.storageSize, float64(st.UsedBytes), "local", "disk")
	}
	gauge(c.flushBehind, float64(max(0, st.CommitLogMax-st.Flushed)), "local", "disk")
	gauge(c.dispBehind, float64(max(0, st.CommitLogMax-st.Dispatched)), "local", "disk")
	if st.EarliestMessageTime > 0 {
		gauge(c.reserveTime, float64(since(now, st.EarliestMessageTime)), "local", "disk")
	}
	gauge(c.commitLog, float64(max(0, st.CommitLogMax-st.CommitLogMin)))
	gauge(c.consumeQueue, float64(st.ConsumeQueueBytes))
	for _, sl := range st.Slaves {
		behind := st.CommitLogMax - max(sl.AckOffset, 0)
		gauge(c.slaveBehind, float64(max(0, behind)), sl.Addr)
	}
	s.Processors(func(name string, queued int) { gauge(c.watermark, float64(queued), name) })
}

// since is now minus t in ms, 0 when t is unset or in the future.
func since(now, t int64) int64 {
	if t <= 0 || t > now {
		return 0
	}
	return now - t
}
