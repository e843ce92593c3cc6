package broker

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/netip"
	"os"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/booster-mq/booster/acl"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/ha"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire/transport"
)

// Broker is one RocketMQ broker: its store, metadata, client tables, the
// remoting server on listenPort and listenPort-2, and the registration
// loop towards the NameServers.
type Broker struct {
	cfg atomic.Pointer[Config]
	// cfgMu serialises configuration updates; cfgVersion and cfgTime are
	// the configuration's data version.
	cfgMu      sync.Mutex
	cfgVersion atomic.Int64
	cfgTime    atomic.Int64
	log        *slog.Logger

	store     *store.Store
	topics    *topicTable
	offsets   *offsetTable
	groups    *groupTable
	clients   *clientTable
	polls     *pullHold
	pop       *popService
	modes     *requestModeTable
	subRoutes subscribeRoutes
	schedule  *scheduleService
	timers    *timerService
	locks     *lockTable
	server    *transport.Server
	storeHost netip.AddrPort

	registerNow chan struct{}
	uniq        uniqKeys
	gets        getStats        // messages handed to consumers (get_stats.go)
	pulled      pullOffsetTable // pull offsets (pull_offsets.go)
	booted      time.Time       // when New opened the broker (runtime info's bootTimestamp)
	obs         brokerMetrics   // Prometheus metrics and endpoint (metrics.go)

	stop    chan struct{}
	wg      sync.WaitGroup
	started atomic.Bool
	closed  atomic.Bool
	nsMu    sync.Mutex
	ns      map[string]*transport.Client

	// Replication (ha_replication.go, slave_synchronize.go): a master has
	// haMaster, a slave haSlave.
	haMaster       *ha.Master
	haSlave        *ha.Slave
	masterAddr     atomic.Pointer[string] // slave: the master's remoting address
	slaveSyncNow   chan struct{}
	slaveCommitsMu sync.Mutex
	slaveCommits   map[string]map[int32]int64 // slave: offsets committed here, by topic@group
	memory         int64                      // total RAM, for suggestWhichBrokerId

	acl *acl.Checker // nil unless aclEnable (acl.go)

	postedSubs subscriptionCache // compiles the subscriptions pulls carry once

	ctl *controllerMode // nil unless enableControllerMode (controller_mode.go)
}

// New opens the broker's store and metadata. Call Start to serve.
func New(cfg Config, log *slog.Logger) (*Broker, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	checker, err := loadACL(&cfg)
	if err != nil {
		return nil, err
	}
	if log == nil {
		log = slog.Default()
	}
	log = log.With("broker", cfg.BrokerName)
	if !cfg.isSlave() && cfg.BrokerID != compat.MasterID {
		log.Warn("a master's brokerId is 0; ignoring the configured one", "brokerId", cfg.BrokerID, "brokerRole", cfg.BrokerRole)
		cfg.BrokerID = compat.MasterID
	}
	ip, err := netip.ParseAddr(cfg.AdvertisedIP())
	if err != nil {
		return nil, fmt.Errorf("brokerIP1 %q: %w", cfg.AdvertisedIP(), err)
	}
	b := &Broker{

		log:         log,
		topics:      newTopicTable(cfg.StorePathRootDir),
		offsets:     newOffsetTable(cfg.StorePathRootDir),
		groups:      newGroupTable(cfg.StorePathRootDir),
		modes:       newRequestModeTable(cfg.StorePathRootDir),
		clients:     newClientTable(),
		storeHost:   netip.AddrPortFrom(ip.Unmap(), uint16(cfg.ListenPort)),
		registerNow: make(chan struct{}, 1),
		stop:        make(chan struct{}),
		ns:          map[string]*transport.Client{},
		booted:      time.Now(),
		acl:         checker,
	}
	b.slaveSyncNow, b.memory = make(chan struct{}, 1), totalMemory()
	b.cfg.Store(&cfg)
	b.uniq.init(ip)
	for _, load := range []func() error{b.topics.load, b.offsets.load, b.groups.load, b.modes.load} {
		if err := load(); err != nil {
			return nil, fmt.Errorf("load config: %w", err)
		}
	}
	for _, tc := range systemTopics(b.conf()) {
		if _, _, err := b.topics.putIfAbsent(tc); err != nil {
			return nil, err
		}
	}
	scfg := store.DefaultConfig(cfg.StorePathRootDir)
	if cfg.StorePathCommitLog != "" {
		scfg.CommitLogDir = cfg.StorePathCommitLog
	}
	scfg.MappedFileSizeCommitLog = cfg.MappedFileSizeCommitLog
	scfg.MappedFileSizeConsumeQueue = cfg.MappedFileSizeConsumeQueue
	scfg.FlushDiskType = cfg.FlushDiskType
	scfg.FlushIntervalCommitLog = time.Duration(cfg.FlushIntervalCommitLog) * time.Millisecond
	scfg.FlushCommitLogLeastPages = cfg.FlushCommitLogLeastPages
	scfg.SyncFlushTimeout = time.Duration(cfg.SyncFlushTimeout) * time.Millisecond
	scfg.MaxMessageSize = cfg.MaxMessageSize
	scfg.MessageDelayLevel = cfg.MessageDelayLevel
	scfg.FileReservedTime = cfg.FileReservedTime
	scfg.DeleteWhen = cfg.DeleteWhen
	for k, v := range cfg.StoreKeys {
		if _, err := compat.SetConf(&scfg, k, v); err != nil {
			return nil, err
		}
	}
	st, err := store.Open(scfg, log)
	if err != nil {
		return nil, fmt.Errorf("open store: %w", err)
	}
	b.store = st
	if err := b.openHA(); err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("replication: %w", err)
	}
	b.polls = newPullHold(b)
	if b.pop, err = newPopService(b); err != nil {
		_ = st.Close()
		return nil, fmt.Errorf("load pop state: %w", err)
	}
	st.SetArrivalHook(b.messageArrived)
	if err := b.openScheduled(); err != nil {
		_ = st.Close()
		return nil, err
	}
	b.initMetrics()
	sc := b.serverConfig()
	if err := b.conf().TLSConfig.Apply(&sc); err != nil {
		_ = st.Close()
		return nil, err
	}
	sc.Rejects = transport.NewRejectLog(log)
	b.server = transport.NewServer(sc, transport.NewRouter(b.timedRoutes(transport.LogRejections(b.aclRoutes(b.routes()), sc.Rejects))), log)
	b.server.OnConnClose(b.connClosed)
	return b, nil
}

// Config returns the broker's configuration.
func (b *Broker) Config() Config { return *b.conf() }

// conf is the current configuration; UPDATE_BROKER_CONFIG swaps it whole,
// so a reader sees one consistent version. Never modify what it returns.
func (b *Broker) conf() *Config { return b.cfg.Load() }

// Addr is the advertised client address (brokerIP1:listenPort).
func (b *Broker) Addr() string { return b.conf().Addr() }

// Start listens on listenPort and listenPort-2 and starts registering with
// the NameServers.
func (b *Broker) Start() error {
	host := b.conf().ListenHost
	if host == "" {
		host = "0.0.0.0"
	}
	addrs := []string{
		net.JoinHostPort(host, strconv.Itoa(b.conf().ListenPort)),
		net.JoinHostPort(host, strconv.Itoa(b.conf().ListenPort-2)),
	}
	if err := b.server.Start(addrs...); err != nil {
		return err
	}
	if err := b.startHA(); err != nil {
		b.server.Stop()
		return fmt.Errorf("HA listen: %w", err)
	}
	if err := b.startMetrics(); err != nil {
		b.server.Stop()
		return err
	}
	b.started.Store(true)
	b.polls.start()
	b.pop.start()
	b.wg.Add(3)
	go b.registerLoop()
	go b.flushLoop()
	go b.scanLoop()
	b.startScheduled()
	b.wg.Add(1)
	go b.transactionCheckLoop()
	b.startACLWatch()
	b.log.Info("broker started", "listen", addrs, "advertised", b.Addr(), "namesrv", b.conf().NamesrvAddr,
		"store", b.conf().StorePathRootDir, "flushDiskType", b.conf().FlushDiskType,
		"brokerRole", b.conf().BrokerRole, "brokerId", b.conf().BrokerID, "ha", b.conf().HAAddr())
	return nil
}

// Close unregisters from the NameServers, stops serving and closes the store.
func (b *Broker) Close() error {
	if b.closed.Swap(true) {
		return nil
	}
	close(b.stop)
	if b.started.Load() {
		b.unregisterAll()
		b.server.Stop()
		b.polls.stop()
		b.pop.stop()
	}
	b.wg.Wait()
	b.closeHA()
	errMetrics := b.stopMetrics()
	b.nsMu.Lock()
	for _, c := range b.ns {
		c.Close()
	}
	b.nsMu.Unlock()
	errs := []error{errMetrics, b.pop.persist(), b.offsets.persist(), b.groups.persist(), b.topics.persist(), b.persistScheduled()}
	if b.store != nil {
		errs = append(errs, b.store.Close())
	}
	return errors.Join(errs...)
}

// flushLoop persists consumer offsets every flushConsumerOffsetInterval.
func (b *Broker) flushLoop() {
	defer b.wg.Done()
	t := time.NewTicker(b.conf().FlushConsumerOffsetInterval)
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
			if err := b.offsets.persist(); err != nil {
				b.log.Error("persist consumer offsets", "err", err)
			}
		}
	}
}

// scanLoop drops clients silent for channelExpiredTimeout (120 s), as
// Java's ClientHousekeepingService does.
func (b *Broker) scanLoop() {
	defer b.wg.Done()
	t := time.NewTicker(b.conf().clientScanPeriod())
	defer t.Stop()
	for {
		select {
		case <-b.stop:
			return
		case now := <-t.C:
			groups, conns := b.clients.expire(b.conf().ChannelExpiredTimeout, now)
			for _, c := range conns {
				b.log.Warn("SCAN: remove expired channel", "remote", c.RemoteAddr(), "channelExpiredTimeout", b.conf().ChannelExpiredTimeout)
				c.Close()
			}
			for _, g := range groups {
				b.notifyConsumerIDsChanged(g)
			}
		}
	}
}

// connClosed forgets a closed client connection.
func (b *Broker) connClosed(c *transport.Conn) {
	for _, g := range b.clients.dropConn(c.ID()) {
		b.notifyConsumerIDsChanged(g)
	}
}

// uniqKeys generates UNIQ_KEY message ids for messages that arrive
// without one, in the Java client's layout.
type uniqKeys struct {
	prefix  [10]byte
	counter atomic.Uint32
}

func (u *uniqKeys) init(ip netip.Addr) {
	a := ip.As4()
	copy(u.prefix[:4], a[:])
	pid := os.Getpid()
	u.prefix[4], u.prefix[5] = byte(pid>>8), byte(pid)
}

const upperHex = "0123456789ABCDEF"

// next returns a new 32-character id.
func (u *uniqKeys) next(now time.Time) string {
	var raw [16]byte
	copy(raw[:], u.prefix[:])
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	ms := uint32(now.Sub(start).Milliseconds())
	raw[10], raw[11], raw[12], raw[13] = byte(ms>>24), byte(ms>>16), byte(ms>>8), byte(ms)
	n := u.counter.Add(1)
	raw[14], raw[15] = byte(n>>8), byte(n)
	var out [32]byte
	for i, c := range raw {
		out[2*i], out[2*i+1] = upperHex[c>>4], upperHex[c&0xF]
	}
	return string(out[:])
}

var errBrokerClosed = errors.New("broker is shutting down")

func (b *Broker) ctx(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}
