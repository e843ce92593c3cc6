package controller

import (
	"errors"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/booster-mq/booster/compat"
)

// Config is the controller's configuration: the keys of Apache's
// ControllerConfig that apply, with Booster keys for the raft group where
// Apache's name DLedger (controllerDLegerPeers, controllerDLegerSelfId).
type Config struct {
	// Peers is controllerPeers: "n0-127.0.0.1:9878;n1-127.0.0.1:9880;...",
	// each controller's id and remoting address (the address brokers name
	// in controllerAddr). Raft traffic goes to the same host, port + 1.
	Peers string `conf:"controllerPeers"`
	// SelfID is controllerSelfId, this controller's id in Peers.
	SelfID string `conf:"controllerSelfId"`
	// StorePath is controllerStorePath, the directory of the raft log,
	// stable store and snapshots.
	StorePath string `conf:"controllerStorePath"`
	// ScanNotActiveBrokerInterval is how often the leader looks for
	// masters whose heartbeats stopped (5 s; milliseconds in properties).
	ScanNotActiveBrokerInterval time.Duration `conf:"scanNotActiveBrokerInterval"`
	// BrokerHeartbeatTimeout is brokerHeartbeatTimeoutMills, a replica's
	// liveness timeout when its heartbeat names none (10 s).
	BrokerHeartbeatTimeout time.Duration `conf:"brokerHeartbeatTimeoutMills"`
	// EnableElectUncleanMaster lets a replica outside the SyncStateSet
	// become master when no member is alive (may lose messages).
	EnableElectUncleanMaster bool `conf:"enableElectUncleanMaster"`
	// ThreadPoolNums is controllerThreadPoolNums, the request workers.
	ThreadPoolNums int `conf:"controllerThreadPoolNums"`
	// RequestQueueCapacity is controllerRequestThreadPoolQueueCapacity.
	RequestQueueCapacity int `conf:"controllerRequestThreadPoolQueueCapacity"`
	// BindAddress is the host the remoting and raft ports listen on
	// (default: the host of this controller's peer address).
	BindAddress string `conf:"controllerBindAddress"`
}

// DefaultConfig returns Apache's defaults; Peers and SelfID have none.
func DefaultConfig() Config {
	home, err := os.UserHomeDir()
	if err != nil {
		home = "."
	}
	return Config{
		StorePath:                   filepath.Join(home, "controller"),
		ScanNotActiveBrokerInterval: 5 * time.Second,
		BrokerHeartbeatTimeout:      10 * time.Second,
		ThreadPoolNums:              16,
		RequestQueueCapacity:        50000,
	}
}

// Set assigns the field whose key is key from its properties-file text;
// known is false for keys Config does not have.
func (c *Config) Set(key, value string) (known bool, err error) {
	return compat.SetConf(c, key, value)
}

// Peer is one member of the controller group.
type Peer struct {
	// ID is the peer's id (n0, n1, ...).
	ID string
	// Addr is its remoting address.
	Addr string
}

// RaftAddr is the peer's raft address: the remoting host, port + 1.
func (p Peer) RaftAddr() string {
	host, port, err := net.SplitHostPort(p.Addr)
	if err != nil {
		return p.Addr
	}
	n, _ := strconv.Atoi(port)
	return net.JoinHostPort(host, strconv.Itoa(n+1))
}

// ParsePeers reads a controllerPeers value.
func ParsePeers(s string) ([]Peer, error) {
	var out []Peer
	for part := range strings.SplitSeq(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		id, addr, ok := strings.Cut(part, "-")
		if !ok || id == "" {
			return nil, fmt.Errorf("controllerPeers: %q is not id-host:port", part)
		}
		if _, port, err := net.SplitHostPort(addr); err != nil || port == "" {
			return nil, fmt.Errorf("controllerPeers: %q: bad address", part)
		}
		for _, p := range out {
			if p.ID == id {
				return nil, fmt.Errorf("controllerPeers: id %q appears twice", id)
			}
		}
		out = append(out, Peer{ID: id, Addr: addr})
	}
	if len(out) == 0 {
		return nil, errors.New("controllerPeers is empty")
	}
	return out, nil
}

// self returns this controller's peer entry.
func (c *Config) self(peers []Peer) (Peer, bool) {
	for _, p := range peers {
		if p.ID == c.SelfID {
			return p, true
		}
	}
	return Peer{}, false
}

// Validate reports every problem of c at once.
func (c *Config) Validate() error {
	var errs []error
	peers, err := ParsePeers(c.Peers)
	if err != nil {
		errs = append(errs, err)
	} else if _, ok := c.self(peers); !ok {
		errs = append(errs, fmt.Errorf("controllerSelfId %q is not in controllerPeers", c.SelfID))
	}
	if c.StorePath == "" {
		errs = append(errs, errors.New("controllerStorePath is empty"))
	}
	if c.ScanNotActiveBrokerInterval <= 0 {
		errs = append(errs, fmt.Errorf("scanNotActiveBrokerInterval %v must be positive", c.ScanNotActiveBrokerInterval))
	}
	if c.BrokerHeartbeatTimeout <= 0 {
		errs = append(errs, fmt.Errorf("brokerHeartbeatTimeoutMills %v must be positive", c.BrokerHeartbeatTimeout))
	}
	if c.ThreadPoolNums <= 0 || c.RequestQueueCapacity <= 0 {
		errs = append(errs, errors.New("controllerThreadPoolNums and controllerRequestThreadPoolQueueCapacity must be positive"))
	}
	return errors.Join(errs...)
}
