// Package metrics is Booster's Prometheus endpoint: the series a RocketMQ
// 5 broker exports through its OpenTelemetry Prometheus exporter
// (metricsExporterType=PROM), under the same names and labels, served by
// prometheus/client_golang on metricsPromExporterHost:metricsPromExporterPort
// at /metrics.
//
// Two kinds of series:
//
//   - Counters and histograms updated on the request path (messages and
//     bytes in and out per topic, message size, RPC latency). Each label
//     set's prometheus child is looked up once and cached in a map keyed
//     by comparable structs of strings and ints, read under an RWMutex,
//     so the send and pull paths pay one read-locked map lookup and an
//     atomic add per request, with no allocation.
//   - Gauges (lag, in-flight messages, connections, topics, groups,
//     storage, executor queues) computed at scrape time by a
//     prometheus.Collector reading a BrokerState the broker implements.
//
// Every series carries the node labels Apache adds to all of them:
// cluster, node_type ("broker" or "namesrv"), node_id (the broker name or
// the NameServer's address), plus the metricsLabel pairs and
// aggregation="delta" when metricsInDelta is set.
//
// Concurrency: Broker and RPC are safe for concurrent use; a nil *Broker
// or *RPC ignores every call, so callers need no "enabled" checks. There
// is no package-level state: each Broker or NameServer owns its registry.
//
// Imports: the standard library and prometheus/client_golang only.
package metrics
