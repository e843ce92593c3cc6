package broker

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/metrics"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire/transport"
)

// Config holds a broker's settings under their broker.conf keys.
type Config struct {
	// RemotingConfig holds the server and flow-control keys
	// (server_config.go).
	RemotingConfig
	// ExporterConfig holds the metrics keys (metricsExporterType, ...;
	// broker/metrics.go).
	metrics.ExporterConfig
	// ControllerModeConfig holds the controller-mode keys
	// (enableControllerMode, controllerAddr, ...; controller_config.go).
	ControllerModeConfig
	// TLSConfig holds Apache's TLS keys (tls.server.mode, ...; wire/transport/tls_config.go).
	transport.TLSConfig

	BrokerClusterName           string        `conf:"brokerClusterName"`
	BrokerName                  string        `conf:"brokerName"`
	BrokerID                    int64         `conf:"brokerId"`
	NamesrvAddr                 string        `conf:"namesrvAddr"`
	BrokerIP1                   string        `conf:"brokerIP1"`
	BrokerIP2                   string        `conf:"brokerIP2"`
	ListenHost                  string        `conf:"bindAddress"`
	ListenPort                  int           `conf:"listenPort"`
	HAListenPort                int           `conf:"haListenPort"`
	GrpcServerPort              int           `conf:"grpcServerPort"` // the RocketMQ 5 gRPC endpoint (Apache proxy's key); 0 disables it
	ConsolePort                 int           `conf:"consolePort"`    // the web console (package console; a Booster key); 0 disables it
	StorePathRootDir            string        `conf:"storePathRootDir"`
	StorePathCommitLog          string        `conf:"storePathCommitLog"`
	MappedFileSizeCommitLog     int64         `conf:"mappedFileSizeCommitLog"`
	MappedFileSizeConsumeQueue  int64         `conf:"mappedFileSizeConsumeQueue"`
	FlushDiskType               string        `conf:"flushDiskType"`
	FlushIntervalCommitLog      int           `conf:"flushIntervalCommitLog"`
	FlushCommitLogLeastPages    int           `conf:"flushCommitLogLeastPages"`
	SyncFlushTimeout            int           `conf:"syncFlushTimeout"`
	BrokerRole                  string        `conf:"brokerRole"`
	BrokerPermission            int           `conf:"brokerPermission"`
	AutoCreateTopicEnable       bool          `conf:"autoCreateTopicEnable"`
	AutoCreateSubscriptionGroup bool          `conf:"autoCreateSubscriptionGroup"`
	DefaultTopicQueueNums       int           `conf:"defaultTopicQueueNums"`
	ClusterTopicEnable          bool          `conf:"clusterTopicEnable"`
	BrokerTopicEnable           bool          `conf:"brokerTopicEnable"`
	TraceTopicEnable            bool          `conf:"traceTopicEnable"`
	MsgTraceTopicName           string        `conf:"msgTraceTopicName"`
	RegisterNameServerPeriod    int           `conf:"registerNameServerPeriod"`
	RegisterBrokerTimeoutMills  int           `conf:"registerBrokerTimeoutMills"`
	MaxMessageSize              int           `conf:"maxMessageSize"`
	LongPollingEnable           bool          `conf:"longPollingEnable"`
	ShortPollingTimeMills       int           `conf:"shortPollingTimeMills"`
	FileReservedTime            int           `conf:"fileReservedTime"`
	DeleteWhen                  string        `conf:"deleteWhen"`
	MessageDelayLevel           string        `conf:"messageDelayLevel"`
	EnablePropertyFilter        bool          `conf:"enablePropertyFilter"`
	FlushConsumerOffsetInterval time.Duration `conf:"flushConsumerOffsetInterval"`
	// FilterSupportRetry also applies a group's SQL92 filter to its retry
	// messages (by their RETRY_TOPIC).
	FilterSupportRetry bool `conf:"filterSupportRetry"`
	// RejectTransactionMessage refuses transactional sends (16).
	RejectTransactionMessage bool `conf:"rejectTransactionMessage"`
	// TransactionTimeOut is how old a half message must be before the
	// producer is asked about it.
	TransactionTimeOut time.Duration `conf:"transactionTimeOut"`
	// TransactionCheckMax is how often a half message is checked before
	// it moves to TRANS_CHECK_MAX_TIME_TOPIC.
	TransactionCheckMax int `conf:"transactionCheckMax"`
	// TransactionCheckInterval is the period of the transaction check
	// service (30 s as in 5.1+; 60 s in 4.x).
	TransactionCheckInterval time.Duration `conf:"transactionCheckInterval"`
	// FlushDelayOffsetInterval is how often delayOffset.json and the
	// timer progress are written.
	FlushDelayOffsetInterval time.Duration `conf:"flushDelayOffsetInterval"`
	TimerWheelEnable         bool          `conf:"timerWheelEnable"`
	TimerMaxDelaySec         int           `conf:"timerMaxDelaySec"`
	// RebalanceLockMaxLiveTime is how long an orderly queue lock lives
	// without renewal (a JVM system property in Java).
	RebalanceLockMaxLiveTime time.Duration `conf:"rocketmq.broker.rebalance.lockMaxLiveTime"`
	// StoreReplyMessageEnable also stores request-reply answers in
	// <cluster>_REPLY_TOPIC after pushing them to the requester.
	StoreReplyMessageEnable bool `conf:"storeReplyMessageEnable"`
	// TransferMsgByHeap is accepted for compatibility; Booster always
	// writes pull bodies straight from the mapped commit log.
	TransferMsgByHeap bool `conf:"transferMsgByHeap"`
	// DefaultMessageRequestMode is the QUERY_ASSIGNMENT mode (PULL or POP)
	// of a topic and group without SET_MESSAGE_REQUEST_MODE.
	DefaultMessageRequestMode string `conf:"defaultMessageRequestMode"`
	// DefaultPopShareQueueNum goes with a default POP mode (-1: every
	// client pops every queue).
	DefaultPopShareQueueNum int `conf:"defaultPopShareQueueNum"`
	// PopFromRetryProbability is the percentage of pops that read the pop
	// retry topic before the topic itself.
	PopFromRetryProbability int `conf:"popFromRetryProbability"`
	// PopPollingSize and MaxPopPollingSize bound the parked pops per
	// polling key and in all (POLLING_FULL beyond).
	PopPollingSize    int `conf:"popPollingSize"`
	MaxPopPollingSize int `conf:"maxPopPollingSize"`
	// ReviveQueueNum is the range of the reviveQid in pop handles.
	ReviveQueueNum int `conf:"reviveQueueNum"`
	// HAMasterAddress is the master's HA address for a slave; empty means
	// the one the NameServer returns on registration.
	HAMasterAddress string `conf:"haMasterAddress"`
	// HASendHeartbeatInterval (5000 ms) and HAHousekeepingInterval
	// (20000 ms): HA heartbeat period and idle cut-off.
	HASendHeartbeatInterval int `conf:"haSendHeartbeatInterval"`
	HAHousekeepingInterval  int `conf:"haHousekeepingInterval"`
	// HATransferBatchSize is the largest HA frame (32 KiB).
	HATransferBatchSize int `conf:"haTransferBatchSize"`
	// HAMaxGapNotInSync (5.x) and HASlaveFallbehindMax (4.x), 256 MiB: a
	// slave further behind makes SYNC_MASTER sends answer
	// SLAVE_NOT_AVAILABLE. A key set away from the default wins.
	HAMaxGapNotInSync    int64 `conf:"haMaxGapNotInSync"`
	HASlaveFallbehindMax int64 `conf:"haSlaveFallbehindMax"`
	// SlaveTimeout is how long a SYNC_MASTER send waits for a slave's
	// acknowledgement before FLUSH_SLAVE_TIMEOUT (3000 ms).
	SlaveTimeout int `conf:"slaveTimeout"`
	// SlaveReadEnable lets a master suggest pulling from a slave
	// (whichBrokerWhenConsumeSlowly) when a consumer reads data more than
	// AccessMessageInMemoryMaxRatio percent of RAM behind the head.
	SlaveReadEnable               bool `conf:"slaveReadEnable"`
	AccessMessageInMemoryMaxRatio int  `conf:"accessMessageInMemoryMaxRatio"`
	// SlaveSyncInterval is how often a slave copies topics, consumer
	// offsets, delay offsets and subscription groups from its master
	// (Booster key; Java: 10 s in 4.x, 60 s in 5.x).
	SlaveSyncInterval time.Duration `conf:"slaveSyncInterval"`
	// AclEnable checks every request against the ACL file (acl.go).
	AclEnable bool `conf:"aclEnable"`
	// RocketmqHome is Java's rocketmq.home.dir; empty means $ROCKETMQ_HOME.
	RocketmqHome string `conf:"rocketmqHome"`
	// ACLPlainFile is the ACL file, relative to RocketmqHome unless
	// absolute (Java's system property rocketmq.acl.plain.file).
	ACLPlainFile string `conf:"rocketmq.acl.plain.file"`
	// StoreKeys holds broker.conf keys of the message store (store.Config's
	// conf tags) that the broker passes through: index, retention, flush tuning.
	StoreKeys map[string]string
}

// DefaultConfig returns Apache's defaults, with the store under ./data.
func DefaultConfig() Config {
	return Config{
		RemotingConfig:       DefaultRemotingConfig(),
		ExporterConfig:       metrics.DefaultExporterConfig(),
		ControllerModeConfig: DefaultControllerModeConfig(),
		TLSConfig:            transport.DefaultTLSConfig(),

		BrokerClusterName:           "DefaultCluster",
		BrokerName:                  "broker-a",
		BrokerID:                    0,
		ListenPort:                  10911,
		GrpcServerPort:              8081,
		ConsolePort:                 8082,
		StorePathRootDir:            "data",
		MappedFileSizeCommitLog:     1 << 30,
		MappedFileSizeConsumeQueue:  300000 * 20,
		FlushDiskType:               "ASYNC_FLUSH",
		FlushIntervalCommitLog:      500,
		FlushCommitLogLeastPages:    4,
		SyncFlushTimeout:            5000,
		BrokerRole:                  "ASYNC_MASTER",
		BrokerPermission:            compat.PermRead | compat.PermWrite,
		AutoCreateTopicEnable:       true,
		AutoCreateSubscriptionGroup: true,
		DefaultTopicQueueNums:       8,
		ClusterTopicEnable:          true,
		BrokerTopicEnable:           true,
		MsgTraceTopicName:           "RMQ_SYS_TRACE_TOPIC",
		RegisterNameServerPeriod:    30000,
		RegisterBrokerTimeoutMills:  24000,
		MaxMessageSize:              4 * 1024 * 1024,
		LongPollingEnable:           true,
		ShortPollingTimeMills:       1000,
		FileReservedTime:            72,
		DeleteWhen:                  "04",
		MessageDelayLevel:           "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h",
		FlushConsumerOffsetInterval: 5 * time.Second,
		TransactionTimeOut:          6 * time.Second,
		TransactionCheckMax:         15,
		TransactionCheckInterval:    30 * time.Second,
		FlushDelayOffsetInterval:    10 * time.Second,
		TimerWheelEnable:            true,
		TimerMaxDelaySec:            3 * 24 * 3600,
		RebalanceLockMaxLiveTime:    60 * time.Second,
		TransferMsgByHeap:           true,
		StoreReplyMessageEnable:     true,
		DefaultMessageRequestMode:   "PULL",
		DefaultPopShareQueueNum:     -1,
		PopFromRetryProbability:     20,
		PopPollingSize:              1024,
		MaxPopPollingSize:           100000,
		ReviveQueueNum:              8,

		// Replication.
		HASendHeartbeatInterval:       5000,
		HAHousekeepingInterval:        20000,
		HATransferBatchSize:           32 << 10,
		HAMaxGapNotInSync:             256 << 20,
		HASlaveFallbehindMax:          256 << 20,
		SlaveTimeout:                  3000,
		AccessMessageInMemoryMaxRatio: 40,
		SlaveSyncInterval:             10 * time.Second,

		ACLPlainFile: "conf/plain_acl.yml",
	}
}

// Set applies one broker.conf key. Unknown keys report known=false and
// are not an error.
// Store keys the broker does not read itself (index, retention, flush
// tuning) are checked against store.Config and kept in StoreKeys.
func (c *Config) Set(key, value string) (known bool, err error) {
	if known, err = compat.SetConf(c, key, value); known {
		return known, err
	}
	var probe store.Config
	if known, err = compat.SetConf(&probe, key, value); known && err == nil {
		if c.StoreKeys == nil {
			c.StoreKeys = map[string]string{}
		}
		c.StoreKeys[key] = value
	}
	return known, err
}

// Properties lists the config as broker.conf pairs (GET_BROKER_CONFIG).
func (c *Config) Properties() []compat.Property { return compat.ConfProperties(c) }

// Validate returns every problem with the config, joined.
func (c *Config) Validate() error {
	var errs []error
	if c.BrokerClusterName == "" {
		errs = append(errs, errors.New("brokerClusterName is empty"))
	}
	if c.BrokerName == "" {
		errs = append(errs, errors.New("brokerName is empty"))
	}
	if c.ListenPort <= 2 || c.ListenPort > 65535 {
		errs = append(errs, fmt.Errorf("listenPort %d out of range", c.ListenPort))
	}
	if c.GrpcServerPort < 0 || c.GrpcServerPort > 65535 {
		errs = append(errs, fmt.Errorf("grpcServerPort %d out of range", c.GrpcServerPort))
	}
	if c.ConsolePort < 0 || c.ConsolePort > 65535 {
		errs = append(errs, fmt.Errorf("consolePort %d out of range", c.ConsolePort))
	}
	switch c.FlushDiskType {
	case "ASYNC_FLUSH", "SYNC_FLUSH":
	default:
		errs = append(errs, fmt.Errorf("flushDiskType %q is neither ASYNC_FLUSH nor SYNC_FLUSH", c.FlushDiskType))
	}
	switch c.BrokerRole {
	case "ASYNC_MASTER", "SYNC_MASTER", "SLAVE":
	default:
		errs = append(errs, fmt.Errorf("brokerRole %q is not ASYNC_MASTER, SYNC_MASTER or SLAVE", c.BrokerRole))
	}
	if c.BrokerRole == "SLAVE" && c.BrokerID <= 0 && !c.EnableControllerMode {
		errs = append(errs, fmt.Errorf("a SLAVE's brokerId must be > 0, got %d", c.BrokerID))
	}
	if c.SlaveSyncInterval <= 0 {
		errs = append(errs, errors.New("slaveSyncInterval must be positive"))
	}
	if c.DefaultTopicQueueNums <= 0 {
		errs = append(errs, fmt.Errorf("defaultTopicQueueNums %d must be positive", c.DefaultTopicQueueNums))
	}
	if c.StorePathRootDir == "" {
		errs = append(errs, errors.New("storePathRootDir is empty"))
	}
	if c.MaxMessageSize <= 0 {
		errs = append(errs, errors.New("maxMessageSize must be positive"))
	}
	if levels, err := store.ParseDelayLevels(c.MessageDelayLevel); err != nil {
		errs = append(errs, err)
	} else if len(levels) == 0 {
		errs = append(errs, errors.New("messageDelayLevel has no levels"))
	}
	switch strings.ToUpper(c.DefaultMessageRequestMode) {
	case "PULL", "POP":
	default:
		errs = append(errs, fmt.Errorf("defaultMessageRequestMode %q is neither PULL nor POP", c.DefaultMessageRequestMode))
	}
	if c.PopFromRetryProbability < 0 || c.PopFromRetryProbability > 100 || c.ReviveQueueNum <= 0 {
		errs = append(errs, errors.New("popFromRetryProbability must be 0-100 and reviveQueueNum positive"))
	}
	if c.FlushDelayOffsetInterval <= 0 || c.RebalanceLockMaxLiveTime <= 0 {
		errs = append(errs, errors.New("flushDelayOffsetInterval and rocketmq.broker.rebalance.lockMaxLiveTime must be positive"))
	}
	if c.TransactionCheckInterval <= 0 || c.TransactionTimeOut < 0 || c.TransactionCheckMax <= 0 {
		errs = append(errs, errors.New("transactionCheckInterval and transactionCheckMax must be positive, transactionTimeOut not negative"))
	}
	if err := c.ControllerModeConfig.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.ExporterConfig.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.TLSConfig.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// NamesrvAddrs splits namesrvAddr on ';'.
func (c *Config) NamesrvAddrs() []string {
	var out []string
	for _, a := range strings.Split(c.NamesrvAddr, ";") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// AdvertisedIP is brokerIP1, or 127.0.0.1 when unset (Booster never
// guesses a non-loopback address; set brokerIP1 for remote clients).
func (c *Config) AdvertisedIP() string {
	if c.BrokerIP1 != "" {
		return c.BrokerIP1
	}
	return "127.0.0.1"
}

// Addr is the advertised ip:listenPort.
func (c *Config) Addr() string { return fmt.Sprintf("%s:%d", c.AdvertisedIP(), c.ListenPort) }

// HAAddr is the advertised brokerIP2:haListenPort.
func (c *Config) HAAddr() string {
	ip := c.BrokerIP2
	if ip == "" {
		ip = c.AdvertisedIP()
	}
	port := c.HAListenPort
	if port == 0 {
		port = c.ListenPort + 1
	}
	return fmt.Sprintf("%s:%d", ip, port)
}
