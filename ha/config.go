package ha

import (
	"errors"
	"fmt"
	"time"
)

// Config is the replication part of broker.conf (Java's MessageStoreConfig
// ha* keys); the broker fills it from its own configuration.
type Config struct {
	// ListenAddr is where a master accepts slaves: bindAddress and
	// haListenPort (listenPort + 1 by default).
	ListenAddr string
	// Sync makes WaitAck wait for a slave (brokerRole SYNC_MASTER).
	Sync bool
	// HeartbeatInterval is haSendHeartbeatInterval (5 s): the longest a
	// side stays silent.
	HeartbeatInterval time.Duration
	// HousekeepingInterval is haHousekeepingInterval (20 s): a connection
	// silent for that long is dropped.
	HousekeepingInterval time.Duration
	// TransferBatchSize is haTransferBatchSize (32 KiB), the largest frame.
	TransferBatchSize int
	// MaxGapNotInSync is haMaxGapNotInSync (5.x) / haSlaveFallbehindMax
	// (4.x), 256 MiB: a slave further behind does not count for sync sends.
	MaxGapNotInSync int64
	// SlaveTimeout is slaveTimeout (3 s), a sync send's wait for an ack.
	SlaveTimeout time.Duration
	// ReconnectInterval is how long a slave waits before dialling again
	// (Booster: 1 s; Java waits 5 s).
	ReconnectInterval time.Duration
}

// DefaultConfig returns Apache's defaults (no listen address).
func DefaultConfig() Config {
	return Config{
		HeartbeatInterval:    5 * time.Second,
		HousekeepingInterval: 20 * time.Second,
		TransferBatchSize:    32 << 10,
		MaxGapNotInSync:      256 << 20,
		SlaveTimeout:         3 * time.Second,
		ReconnectInterval:    time.Second,
	}
}

// Validate reports every problem of c at once.
func (c *Config) Validate() error {
	var errs []error
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"haSendHeartbeatInterval", c.HeartbeatInterval},
		{"haHousekeepingInterval", c.HousekeepingInterval},
		{"slaveTimeout", c.SlaveTimeout},
		{"reconnect interval", c.ReconnectInterval},
	} {
		if d.v <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive, got %v", d.name, d.v))
		}
	}
	if c.TransferBatchSize <= 0 || c.TransferBatchSize > maxFrameBody {
		errs = append(errs, fmt.Errorf("haTransferBatchSize %d must be in 1..%d", c.TransferBatchSize, maxFrameBody))
	}
	if c.MaxGapNotInSync <= 0 {
		errs = append(errs, fmt.Errorf("haMaxGapNotInSync must be positive, got %d", c.MaxGapNotInSync))
	}
	if c.HousekeepingInterval > 0 && c.HousekeepingInterval <= c.HeartbeatInterval {
		errs = append(errs, errors.New("haHousekeepingInterval must exceed haSendHeartbeatInterval"))
	}
	return errors.Join(errs...)
}
