package broker

// Master/slave replication, the broker's side (Java's BrokerController HA
// wiring; the replication itself is package ha):
//  1. brokerRole ASYNC_MASTER or SYNC_MASTER (brokerId forced to 0, as
//     BrokerStartup does) listens on bindAddress:haListenPort
//     (listenPort + 1) and registers haServerAddr = brokerIP2:haListenPort.
//     A SYNC_MASTER's sends with WAIT=true are acknowledged once a slave
//     has the bytes: 11 SLAVE_NOT_AVAILABLE without a slave in reach, 12
//     FLUSH_SLAVE_TIMEOUT after slaveTimeout; both mean stored.
//  2. brokerRole SLAVE (brokerId > 0) follows haMasterAddress, or the
//     haServerAddr the NameServer returns to its REGISTER_BROKER
//     (updateMasterHAServerAddrPeriodically); its store refuses writes, so
//     sends answer 14. It copies the master's metadata every
//     slaveSyncInterval (slave_synchronize.go) from the masterAddr of the
//     same answer.
//  3. enableControllerMode: the controller names master and slaves at
//     runtime (controller_mode.go); both sides are set up here.
//  4. Pulls: with slaveReadEnable, a master suggests
//     whichBrokerWhenConsumeSlowly (the slave) when the pulled data lies
//     more than accessMessageInMemoryMaxRatio percent of RAM behind the
//     commit log's end, else the group's brokerId; without it, brokerId 0
//     (Apache 4.x PullMessageProcessor; a slave serves pulls either way).

import (
	"net"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/ha"
	"github.com/booster-mq/booster/wire"
)

// isSlave reports brokerRole SLAVE.
func (c *Config) isSlave() bool { return c.BrokerRole == "SLAVE" }

// haConfig is the ha package's view of the configuration.
func (c *Config) haConfig() ha.Config {
	h := ha.DefaultConfig()
	host := c.ListenHost
	if host == "" {
		host = "0.0.0.0"
	}
	port := c.HAListenPort
	if port == 0 {
		port = c.ListenPort + 1
	}
	h.ListenAddr = net.JoinHostPort(host, strconv.Itoa(port))
	h.Sync = c.BrokerRole == "SYNC_MASTER"
	if c.EnableControllerMode { // the controller decides the role; brokerRole only sync or async
		h.Sync = c.BrokerRole != "ASYNC_MASTER"
	}
	h.HeartbeatInterval = time.Duration(c.HASendHeartbeatInterval) * time.Millisecond
	h.HousekeepingInterval = time.Duration(c.HAHousekeepingInterval) * time.Millisecond
	h.TransferBatchSize = c.HATransferBatchSize
	h.MaxGapNotInSync = c.HAMaxGapNotInSync
	if def := DefaultConfig().HAMaxGapNotInSync; c.HAMaxGapNotInSync == def {
		h.MaxGapNotInSync = c.HASlaveFallbehindMax
	}
	h.SlaveTimeout = time.Duration(c.SlaveTimeout) * time.Millisecond
	return h
}

// openHA sets up replication once the store is open: a master's
// replication service, or a slave's follower (which makes the store
// refuse writes).
func (b *Broker) openHA() error {
	cfg := b.conf()
	var err error
	if cfg.EnableControllerMode {
		// Both sides, switched at runtime (controller_mode.go); no writes
		// until the controller names a master.
		if b.haMaster, err = ha.NewMaster(b.store, cfg.haConfig(), b.log); err != nil {
			return err
		}
		if b.haSlave, err = ha.NewSlave(b.store, cfg.haConfig(), b.log); err != nil {
			return err
		}
		return b.openControllerMode()
	}
	if cfg.isSlave() {
		b.haSlave, err = ha.NewSlave(b.store, cfg.haConfig(), b.log)
		return err
	}
	if b.haMaster, err = ha.NewMaster(b.store, cfg.haConfig(), b.log); err != nil {
		return err
	}
	b.store.SetReplication(b.haMaster)
	return nil
}

// startHA listens for slaves, or starts following the master.
func (b *Broker) startHA() error {
	if b.ctl != nil {
		if err := b.haMaster.Start(); err != nil {
			return err
		}
		b.haSlave.Start()
		b.wg.Add(2)
		go b.slaveSyncLoop()
		go b.ctl.loop()
		return nil
	}
	if b.haMaster != nil {
		return b.haMaster.Start()
	}
	if b.haSlave != nil {
		if addr := b.conf().HAMasterAddress; addr != "" {
			b.haSlave.SetMasterAddr(addr)
		}
		b.haSlave.Start()
		b.wg.Add(1)
		go b.slaveSyncLoop()
	}
	return nil
}

// closeHA stops replication before the store closes; waiting sends are
// released with FLUSH_SLAVE_TIMEOUT.
func (b *Broker) closeHA() {
	if b.haMaster != nil {
		b.store.SetReplication(nil)
		_ = b.haMaster.Close()
	}
	if b.haSlave != nil {
		b.haSlave.Close()
	}
}

// registered takes what a NameServer answered to REGISTER_BROKER: a slave
// learns its master's HA address (unless haMasterAddress is set) and its
// remoting address for the metadata sync ("" while the master is down).
func (b *Broker) registered(resp *wire.Command) {
	if b.haSlave == nil || b.ctl != nil { // controller mode: the controller names the master
		return
	}
	if ha := resp.ExtValue("haServerAddr"); ha != "" && b.conf().HAMasterAddress == "" {
		b.haSlave.SetMasterAddr(ha)
	}
	master := resp.ExtValue("masterAddr")
	if old := b.masterAddr.Swap(&master); master != "" && (old == nil || *old != master) {
		select {
		case b.slaveSyncNow <- struct{}{}:
		default:
		}
	}
}

// MasterAddr is, on a slave, the master's remoting address the NameServer
// last reported ("" when none).
func (b *Broker) MasterAddr() string {
	if p := b.masterAddr.Load(); p != nil {
		return *p
	}
	return ""
}

// totalMemory is the machine's RAM in bytes (Java's
// StoreUtil.TOTAL_PHYSICAL_MEMORY_SIZE), 0 when unknown.
func totalMemory() int64 {
	var si unix.Sysinfo_t
	if unix.Sysinfo(&si) != nil {
		return 0
	}
	return int64(si.Totalram) * int64(si.Unit)
}

// suggestBrokerID is the suggestWhichBrokerId of a pull that read up to
// the record at lastPhy (-1 when it read nothing), per Apache 4.x.
func (b *Broker) suggestBrokerID(sg *codec.SubscriptionGroupConfig, lastPhy int64) int64 {
	cfg := b.conf()
	if !cfg.SlaveReadEnable {
		return compat.MasterID
	}
	if lastPhy >= 0 {
		memory := int64(float64(b.memory) * float64(cfg.AccessMessageInMemoryMaxRatio) / 100)
		if b.store.MaxPhyOffset()-lastPhy > memory {
			return sg.WhichBrokerWhenConsumeSlowly
		}
	}
	return sg.BrokerID
}
