package broker

import (
	"time"

	"github.com/booster-mq/booster/wire/transport"
)

// RemotingConfig holds the broker.conf keys of the remoting server and its
// flow control (Java's NettyServerConfig and BrokerConfig's fast-failure
// keys), plus Booster's own caps. It is embedded in Config, so its keys
// are Config's.
type RemotingConfig struct {
	// ServerChannelMaxIdleTimeSeconds closes a connection without reads or
	// writes for this long (120); 0 never.
	ServerChannelMaxIdleTimeSeconds int `conf:"serverChannelMaxIdleTimeSeconds"`
	// ChannelExpiredTimeout drops a producer or consumer whose heartbeat
	// is older than this (120000 ms) from its group and closes its
	// connection; the clients are scanned every 10 s (more often when the
	// timeout is under 40 s).
	ChannelExpiredTimeout time.Duration `conf:"channelExpiredTimeout"`
	// BrokerFastFailureEnable answers requests that waited too long in an
	// executor queue SYSTEM_BUSY [TIMEOUT_CLEAN_QUEUE] (true), and sends
	// SYSTEM_BUSY while the store is congested (osPageCacheBusyTimeOutMills).
	BrokerFastFailureEnable bool `conf:"brokerFastFailureEnable"`
	// WaitTimeMillsIn*Queue are those waits, per executor.
	WaitTimeMillsInSendQueue        time.Duration `conf:"waitTimeMillsInSendQueue"`
	WaitTimeMillsInPullQueue        time.Duration `conf:"waitTimeMillsInPullQueue"`
	WaitTimeMillsInHeartbeatQueue   time.Duration `conf:"waitTimeMillsInHeartbeatQueue"`
	WaitTimeMillsInTransactionQueue time.Duration `conf:"waitTimeMillsInTransactionQueue"`
	WaitTimeMillsInAdminBrokerQueue time.Duration `conf:"waitTimeMillsInAdminBrokerQueue"`
	// ServerMaxConnections caps open client connections (Booster key; 0:
	// the open-file limit less 1024 descriptors kept for the store).
	ServerMaxConnections int `conf:"serverMaxConnections"`
	// ServerMaxPendingWriteBytes closes a connection whose peer leaves more
	// response bytes than this unread (Booster key; 64 MiB).
	ServerMaxPendingWriteBytes int `conf:"serverMaxPendingWriteBytes"`
}

// DefaultRemotingConfig returns Apache's defaults.
func DefaultRemotingConfig() RemotingConfig {
	return RemotingConfig{
		ServerChannelMaxIdleTimeSeconds: 120,
		ChannelExpiredTimeout:           120 * time.Second,
		BrokerFastFailureEnable:         true,
		WaitTimeMillsInSendQueue:        200 * time.Millisecond,
		WaitTimeMillsInPullQueue:        5 * time.Second,
		WaitTimeMillsInHeartbeatQueue:   31 * time.Second,
		WaitTimeMillsInTransactionQueue: 3 * time.Second,
		WaitTimeMillsInAdminBrokerQueue: 5 * time.Second,
		ServerMaxPendingWriteBytes:      64 << 20,
	}
}

// syncSendWorkers is the send pool of a SYNC_FLUSH or SYNC_MASTER broker.
const syncSendWorkers = 128

// serverConfig is the remoting server's configuration.
func (b *Broker) serverConfig() transport.ServerConfig {
	c := b.conf().RemotingConfig
	sc := transport.DefaultServerConfig("broker")
	sc.IdleTimeout = time.Duration(c.ServerChannelMaxIdleTimeSeconds) * time.Second
	if c.ServerMaxConnections > 0 {
		sc.MaxConns = c.ServerMaxConnections
	}
	sc.MaxPendingWrite = c.ServerMaxPendingWriteBytes
	waits := map[transport.Class]time.Duration{
		transport.Send:      c.WaitTimeMillsInSendQueue,
		transport.Pull:      c.WaitTimeMillsInPullQueue,
		transport.Heartbeat: c.WaitTimeMillsInHeartbeatQueue,
		transport.Txn:       c.WaitTimeMillsInTransactionQueue,
		transport.Admin:     c.WaitTimeMillsInAdminBrokerQueue,
	}
	for class, wait := range waits {
		if !c.BrokerFastFailureEnable {
			wait = 0
		}
		sc.Pools[class].MaxWait = wait
	}
	if c.BrokerFastFailureEnable {
		sc.Busy = b.store.OSPageCacheBusy
	}
	// Java's put completes asynchronously and frees its send thread; a
	// Booster send worker waits for the group commit or the slave's ack,
	// so the sync modes get more workers, lest those waits count as time
	// in the queue of the sends behind them.
	if cfg := b.conf(); cfg.FlushDiskType == "SYNC_FLUSH" || cfg.BrokerRole == "SYNC_MASTER" {
		sc.Pools[transport.Send].Workers = syncSendWorkers
	}
	return sc
}

// clientScanPeriod is how often clients are checked for expired
// heartbeats: every 10 s as in Java, or a quarter of a shorter timeout.
func (c *RemotingConfig) clientScanPeriod() time.Duration {
	return min(10*time.Second, max(c.ChannelExpiredTimeout/4, 10*time.Millisecond))
}

// Server returns the broker's remoting server (tests hold its executors).
func (b *Broker) Server() *transport.Server { return b.server }
