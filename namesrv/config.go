package namesrv

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/metrics"
	"github.com/booster-mq/booster/wire/transport"
)

// Config is the NameServer configuration. Each field's conf tag is the key
// of Apache RocketMQ's NamesrvConfig or NettyServerConfig, as written in a
// namesrv.properties file.
type Config struct {
	// ExporterConfig holds the broker's metrics keys (metricsExporterType,
	// ...), a Booster extension for the NameServer (metrics.go).
	metrics.ExporterConfig
	// TLSConfig holds Apache's TLS keys of the remoting port
	// (tls.server.mode, ...).
	transport.TLSConfig

	// ListenPort is the remoting port (NettyServerConfig.listenPort, 9876
	// as set by NamesrvStartup).
	ListenPort int `conf:"listenPort"`
	// BindAddress is the host to listen on (NettyServerConfig.bindAddress).
	BindAddress string `conf:"bindAddress"`
	// KvConfigPath is the KV config file, Java's JSON
	// {"configTable":{namespace:{key:value}}}.
	KvConfigPath string `conf:"kvConfigPath"`
	// ScanNotActiveBrokerInterval is how often expired brokers are looked
	// for; in properties text it is milliseconds.
	ScanNotActiveBrokerInterval time.Duration `conf:"scanNotActiveBrokerInterval"`
	// OrderMessageEnable adds orderTopicConf (KV namespace
	// ORDER_TOPIC_CONFIG) to routes.
	OrderMessageEnable bool `conf:"orderMessageEnable"`
	// ReturnOrderTopicConfigToBroker answers REGISTER_BROKER with the
	// ORDER_TOPIC_CONFIG namespace.
	ReturnOrderTopicConfigToBroker bool `conf:"returnOrderTopicConfigToBroker"`
	// EnableAllTopicList allows GET_ALL_TOPIC_LIST_FROM_NAMESERVER.
	EnableAllTopicList bool `conf:"enableAllTopicList"`
	// EnableTopicList allows GET_TOPICS_BY_CLUSTER and the unit topic lists.
	EnableTopicList bool `conf:"enableTopicList"`
	// DeleteTopicWithBrokerRegistration drops a master's topics that its
	// registration no longer lists.
	DeleteTopicWithBrokerRegistration bool `conf:"deleteTopicWithBrokerRegistration"`
	// ClusterTest is accepted for compatibility and ignored.
	ClusterTest bool `conf:"clusterTest"`
}

// DefaultConfig returns Apache RocketMQ's NameServer defaults.
func DefaultConfig() Config {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return Config{
		ExporterConfig:                 metrics.DefaultExporterConfig(),
		TLSConfig:                      transport.DefaultTLSConfig(),
		ListenPort:                     9876,
		BindAddress:                    "0.0.0.0",
		KvConfigPath:                   filepath.Join(home, "namesrv", "kvConfig.json"),
		ScanNotActiveBrokerInterval:    5 * time.Second,
		ReturnOrderTopicConfigToBroker: true,
		EnableAllTopicList:             true,
		EnableTopicList:                true,
	}
}

// Validate returns every problem of c, joined, or nil.
func (c *Config) Validate() error {
	var errs []error
	if c.ListenPort <= 0 || c.ListenPort > 65535 {
		errs = append(errs, fmt.Errorf("listenPort %d: must be 1-65535", c.ListenPort))
	}
	if c.BindAddress == "" {
		errs = append(errs, errors.New("bindAddress is empty"))
	}
	if c.KvConfigPath == "" {
		errs = append(errs, errors.New("kvConfigPath is empty"))
	}
	if c.ScanNotActiveBrokerInterval <= 0 {
		errs = append(errs, fmt.Errorf("scanNotActiveBrokerInterval %v: must be positive", c.ScanNotActiveBrokerInterval))
	}
	if err := c.ExporterConfig.Validate(); err != nil {
		errs = append(errs, err)
	}
	if err := c.TLSConfig.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Set assigns the field whose Java key is key from its properties-file text
// (Java's MixAll.properties2Object). known is false for keys Config does not
// have; err reports a value that does not parse. Durations are
// milliseconds, as in Java.
func (c *Config) Set(key, value string) (known bool, err error) {
	return compat.SetConf(c, key, value)
}

// Properties returns c as Java properties sorted by key, like Java's
// Configuration.getAllConfigsFormatString.
func (c *Config) Properties() []compat.Property {
	props := compat.ConfProperties(c)
	if !c.Prometheus() { // Booster's metrics keys show only when in use: Apache's NameServer has none
		props = slices.DeleteFunc(props, func(p compat.Property) bool { return strings.HasPrefix(p.Key, "metrics") })
	}
	// Apache reads the TLS keys as system properties, not as NameServer config.
	props = slices.DeleteFunc(props, func(p compat.Property) bool { return strings.HasPrefix(p.Key, "tls.") })
	slices.SortFunc(props, func(a, b compat.Property) int { return strings.Compare(a.Key, b.Key) })
	return props
}

// dynamicKeys are the keys UPDATE_NAMESRV_CONFIG may change while the
// server runs; the rest need a restart.
var dynamicKeys = [...]string{
	"clusterTest",
	"deleteTopicWithBrokerRegistration",
	"enableAllTopicList",
	"enableTopicList",
	"orderMessageEnable",
	"returnOrderTopicConfigToBroker",
}

// configBlackList are the keys Java's DefaultRequestProcessor refuses to
// update remotely (CVE-2023-37582: kvConfigPath pointed at any file).
var configBlackList = [...]string{"configBlackList", "configStorePath", "kvConfigPath", "rocketmqHome"}

func blackListed(key string) bool { return slices.Contains(configBlackList[:], key) }
