package bench

import (
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/booster-mq/booster/wire"
)

// Mode is how a producer sends: the three send styles of the clients.
type Mode string

// Send modes.
const (
	// Sync waits for each send's response before the next one.
	Sync Mode = "sync"
	// Async keeps up to Inflight sends outstanding.
	Async Mode = "async"
	// Oneway writes sends flagged oneway and expects no response.
	Oneway Mode = "oneway"
)

// Client implementations a benchmark can drive.
const (
	// ClientWire is Booster's own remoting client (wire/transport).
	ClientWire = "wire"
	// ClientGo is the official Go client, rocketmq-client-go/v2.
	ClientGo = "go"
)

// Where a consumer starts.
const (
	// FromFirst starts at each queue's minimum offset (a backlog).
	FromFirst = "first"
	// FromLast starts at each queue's maximum offset (new messages only).
	FromLast = "last"
)

// PropertySendTime is the message property carrying the send time in Unix
// nanoseconds, from which consumers measure end-to-end latency.
const PropertySendTime = "BENCH_SEND_NS"

// Common holds the settings producers and consumers share.
type Common struct {
	// Namesrv is the NameServer address list, ';'-separated.
	Namesrv string
	// Topic is the topic to use.
	Topic string
	// Client is ClientWire or ClientGo.
	Client string
	// Serialize is the header serialization of the wire client.
	Serialize wire.SerializeType
	// Conns is the number of connections per broker (wire client).
	Conns int
	// Count stops the run after this many messages (0: no limit).
	Count int64
	// Duration stops the run after this long (0: no limit).
	Duration time.Duration
	// Warmup is left out of the summary (the per-second lines show it).
	Warmup time.Duration
	// Interval is the report period.
	Interval time.Duration
	// WatchPID, when > 0, is a process (the broker) whose VmRSS is
	// sampled every interval.
	WatchPID int
	// Out receives the per-interval lines (nil: none).
	Out io.Writer
}

// ProducerConfig configures a producer run.
type ProducerConfig struct {
	Common
	// Group is the producer group.
	Group string
	// Threads is the number of senders (sync and oneway).
	Threads int
	// Size is the body size in bytes.
	Size int
	// Batch is the number of messages per send (1: plain sends).
	Batch int
	// Mode is Sync, Async or Oneway.
	Mode Mode
	// Inflight caps the outstanding sends in Async mode.
	Inflight int
	// Rate caps the messages per second over all senders (0: no cap).
	Rate float64
	// Queues, when > 0, makes the run first create the topic with this
	// many queues on every broker.
	Queues int
	// SendTimeout is how long one send may take.
	SendTimeout time.Duration
}

// ConsumerConfig configures a consumer run.
type ConsumerConfig struct {
	Common
	// Group is the consumer group.
	Group string
	// From is FromFirst or FromLast.
	From string
	// PullBatch is the maximum messages per pull.
	PullBatch int
}

// DefaultCommon returns the shared defaults (Apache's benchmark topic).
func DefaultCommon() Common {
	return Common{
		Namesrv:   "127.0.0.1:9876",
		Topic:     "BenchmarkTest",
		Client:    ClientWire,
		Serialize: wire.RocketMQ,
		Conns:     1,
		Interval:  time.Second,
	}
}

// DefaultProducerConfig returns the defaults of Apache's benchmark
// Producer: 64 sync senders of 128-byte messages.
func DefaultProducerConfig() ProducerConfig {
	return ProducerConfig{
		Common:      DefaultCommon(),
		Group:       "benchmark_producer",
		Threads:     64,
		Size:        128,
		Batch:       1,
		Mode:        Sync,
		Inflight:    1024,
		SendTimeout: 3 * time.Second,
	}
}

// DefaultConsumerConfig returns the consumer defaults: group
// benchmark_consumer from the last offset, 32 messages per pull (the
// clients' pullBatchSize).
func DefaultConsumerConfig() ConsumerConfig {
	return ConsumerConfig{
		Common:    DefaultCommon(),
		Group:     "benchmark_consumer",
		From:      FromLast,
		PullBatch: 32,
	}
}

func (c *Common) validate() []error {
	var errs []error
	if strings.TrimSpace(c.Namesrv) == "" {
		errs = append(errs, errors.New("namesrv: empty"))
	}
	if c.Topic == "" {
		errs = append(errs, errors.New("topic: empty"))
	}
	if c.Client != ClientWire && c.Client != ClientGo {
		errs = append(errs, fmt.Errorf("client: %q is neither %q nor %q", c.Client, ClientWire, ClientGo))
	}
	if c.Conns < 1 {
		errs = append(errs, fmt.Errorf("conns: %d < 1", c.Conns))
	}
	if c.Count < 0 {
		errs = append(errs, fmt.Errorf("count: %d < 0", c.Count))
	}
	if c.Duration < 0 || c.Warmup < 0 {
		errs = append(errs, errors.New("duration and warmup must not be negative"))
	}
	if c.Interval <= 0 {
		errs = append(errs, fmt.Errorf("interval: %v must be positive", c.Interval))
	}
	return errs
}

// Validate returns every problem of c, joined, or nil.
func (c *ProducerConfig) Validate() error {
	errs := c.validate()
	if c.Threads < 1 {
		errs = append(errs, fmt.Errorf("threads: %d < 1", c.Threads))
	}
	if c.Size < 1 {
		errs = append(errs, fmt.Errorf("size: %d < 1", c.Size))
	}
	if c.Batch < 1 {
		errs = append(errs, fmt.Errorf("batch: %d < 1", c.Batch))
	}
	switch c.Mode {
	case Sync, Oneway:
	case Async:
		if c.Inflight < 1 {
			errs = append(errs, fmt.Errorf("inflight: %d < 1", c.Inflight))
		}
	default:
		errs = append(errs, fmt.Errorf("mode: %q is not sync, async or oneway", c.Mode))
	}
	if c.Rate < 0 {
		errs = append(errs, fmt.Errorf("rate: %v < 0", c.Rate))
	}
	if c.Queues < 0 {
		errs = append(errs, fmt.Errorf("queues: %d < 0", c.Queues))
	}
	if c.SendTimeout <= 0 {
		errs = append(errs, fmt.Errorf("send timeout: %v must be positive", c.SendTimeout))
	}
	if c.Group == "" {
		errs = append(errs, errors.New("group: empty"))
	}
	return errors.Join(errs...)
}

// Validate returns every problem of c, joined, or nil.
func (c *ConsumerConfig) Validate() error {
	errs := c.validate()
	if c.Group == "" {
		errs = append(errs, errors.New("group: empty"))
	}
	if c.From != FromFirst && c.From != FromLast {
		errs = append(errs, fmt.Errorf("from: %q is neither %q nor %q", c.From, FromFirst, FromLast))
	}
	if c.PullBatch < 1 {
		errs = append(errs, fmt.Errorf("pull batch: %d < 1", c.PullBatch))
	}
	return errors.Join(errs...)
}

// senders is the number of concurrent senders the mode uses.
func (c *ProducerConfig) senders() int {
	if c.Mode == Async {
		return c.Inflight
	}
	return c.Threads
}

func (c *ProducerConfig) configMap() map[string]string {
	return configMap("namesrv", c.Namesrv, "topic", c.Topic, "mode", string(c.Mode), "threads", c.Threads,
		"inflight", c.Inflight, "size", c.Size, "batch", c.Batch, "rate", c.Rate, "queues", c.Queues,
		"count", c.Count, "duration", c.Duration, "warmup", c.Warmup, "serialize", c.Serialize.String(),
		"conns", c.Conns, "group", c.Group)
}

func (c *ConsumerConfig) configMap() map[string]string {
	return configMap("namesrv", c.Namesrv, "topic", c.Topic, "group", c.Group, "from", c.From,
		"count", c.Count, "duration", c.Duration, "warmup", c.Warmup, "pull_batch", c.PullBatch,
		"serialize", c.Serialize.String(), "conns", c.Conns)
}
