// Package bench is Booster's load generator, the engine of `booster bench`:
// producers and consumers modelled on Apache RocketMQ's benchmark Producer
// and Consumer, pointed at any NameServer (Booster's or Apache's).
//
// A producer run (RunProducer) keeps Threads senders busy (sync or oneway)
// or Inflight sends outstanding (async), optionally paced to Rate messages
// per second, with bodies of Size bytes, Batch messages per send, for a
// Duration or a Count. A consumer run (RunConsumer) pulls every queue of
// the topic with one long-polling pull outstanding per queue, as a push
// consumer does. RunE2E runs both in one process for end-to-end latency;
// every message carries its send time in the PropertySendTime property.
// FirstSend measures the time from a broker's start to its first
// acknowledged send, and CompareTable prints the side-by-side table of
// bench/compare.sh (`make compare`). ParseJavaProducerLog,
// ParseJavaConsumerLog and ParseGoProducerLog read the periodic reports of
// Apache's benchmark Producer and Consumer and of rocketmq-client-go's
// benchmark program, which the comparison runs besides.
//
// Two client implementations: ClientWire speaks the remoting protocol
// through Booster's own wire/transport client (codec headers and records),
// so the client is cheap and never the bottleneck; ClientGo drives the
// official rocketmq-client-go/v2 instead.
//
// # Measurements
//
// Latencies go into a log-linear Histogram (HdrHistogram's scheme: exact
// below 256 ns, then 128 sub-buckets per power of two, < 0.8 % error).
// Each worker records into one of a fixed set of recorders under that
// recorder's mutex; a reporter goroutine drains them every Interval, prints
// one line (TPS, MiB/s, errors, avg/p50/p99/p999/max in ms and, with
// WatchPID, the broker's VmRSS) and accumulates the Summary, leaving out
// the first Warmup. With WatchPID it also keeps the peak RssAnon: the
// broker's resident anonymous memory, which leaves out the page-cache
// pages of its mapped commit log that VmRSS counts.
//
// # Concurrency
//
// The Run functions may run concurrently with each other; nothing here
// has package-level state. The per-interval lines go to Common.Out.
//
// Imports: codec, compat, wire, wire/transport and the official Go client.
package bench
