package broker

// The broker side of REGISTER_BROKER (103) and UNREGISTER_BROKER (104),
// mirroring Java's BrokerOuterAPI.registerBrokerAll:
//  1. The broker registers with every NameServer at start, every
//     registerNameServerPeriod (30 s, clamped to 10-60 s), at once after
//     any topic change (triggerRegister), and again 1 s (doubling up to the
//     period) after a registration that failed. A topic a send auto-creates
//     is registered alone before the send is answered (registerCreated).
//  2. The body is the uncompressed RegisterBrokerBody with the whole topic
//     table and its DataVersion; the header carries brokerName, brokerAddr,
//     clusterName, haServerAddr, brokerId, heartbeatTimeoutMillis and the
//     body's CRC32.
//  3. Each NameServer keeps one long-lived connection: the NameServer drops
//     a broker as soon as that connection closes.
//  4. On Close the broker sends UNREGISTER_BROKER to every NameServer.

import (
	"context"
	"hash/crc32"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// triggerRegister asks the registration loop to register now.
func (b *Broker) triggerRegister() {
	select {
	case b.registerNow <- struct{}{}:
	default:
	}
}

func (b *Broker) registerLoop() {
	defer b.wg.Done()
	period := time.Duration(min(max(b.conf().RegisterNameServerPeriod, 10000), 60000)) * time.Millisecond
	t := time.NewTicker(period)
	defer t.Stop()
	// A registration that failed is tried again after 1 s, doubling up to
	// the period, so a broker started before its NameServer (or one that
	// timed out) is routable within about a second of the NameServer's start.
	retry := time.NewTimer(0)
	defer retry.Stop()
	backoff := time.Second
	for {
		if b.registerAll() {
			retry.Stop()
			backoff = time.Second
		} else {
			retry.Reset(backoff)
			backoff = min(2*backoff, period)
		}
		select {
		case <-b.stop:
			return
		case <-t.C:
		case <-retry.C:
		case <-b.registerNow:
		}
	}
}

// nsClient returns a live connection to a NameServer, dialing if needed.
func (b *Broker) nsClient(ctx context.Context, addr string) (*transport.Client, error) {
	b.nsMu.Lock()
	c := b.ns[addr]
	b.nsMu.Unlock()
	if c != nil && c.Err() == nil {
		return c, nil
	}
	c, err := b.conf().TLSConfig.Dial(ctx, addr)
	if err != nil {
		return nil, err
	}
	b.nsMu.Lock()
	defer b.nsMu.Unlock()
	if old := b.ns[addr]; old != nil {
		if old.Err() == nil {
			// Another registration dialed meanwhile: keep its connection,
			// since closing one makes the NameServer drop the broker.
			c.Close()
			return old, nil
		}
		old.Close()
	}
	b.ns[addr] = c
	return c, nil
}

// dropNameServers closes the connections to NameServers not in keep.
func (b *Broker) dropNameServers(keep []string) {
	b.nsMu.Lock()
	defer b.nsMu.Unlock()
	for addr, c := range b.ns {
		if !slices.Contains(keep, addr) {
			c.Close()
			delete(b.ns, addr)
		}
	}
}

func (b *Broker) registerHeader() []wire.Field {
	return []wire.Field{
		{Key: "brokerName", Value: b.conf().BrokerName},
		{Key: "brokerAddr", Value: b.Addr()},
		{Key: "clusterName", Value: b.conf().BrokerClusterName},
		{Key: "brokerId", Value: strconv.FormatInt(b.conf().BrokerID, 10)},
	}
}

// registerAll registers the topic table with every NameServer in
// parallel; false when one of them did not take it.
func (b *Broker) registerAll() bool {
	if !b.controllerReady() {
		return true // nothing to do until the controller names a role, which triggers a registration
	}
	return b.registerTable(b.topics.wrapper(), time.Duration(b.conf().RegisterBrokerTimeoutMills)*time.Millisecond)
}

// createdTopicRegisterTimeout bounds how long a send that created its
// topic waits for the NameServers before it is answered anyway.
const createdTopicRegisterTimeout = time.Second

// registerCreated registers a topic a send has just created, alone, with
// every NameServer before the send is answered, as Java's
// createTopicInSendMessageMethod does (registerIncrementBrokerData): a
// client that sends and then starts a consumer of the topic finds its
// route. The whole table follows from the registration loop. The one-topic
// table carries the table's state version but a DataVersion no full
// registration has (timestamp 0), so the NameServer takes the next full
// table as changed instead of skipping topics another change touched.
func (b *Broker) registerCreated(tc codec.TopicConfig) {
	defer b.triggerRegister()
	if !b.controllerReady() {
		return
	}
	v := b.topics.dataVersion()
	w := codec.TopicConfigSerializeWrapper{
		DataVersion:      codec.DataVersion{StateVersion: v.StateVersion, Counter: v.Counter},
		TopicConfigTable: map[string]*codec.TopicConfig{tc.TopicName: &tc},
	}
	b.registerTable(w, min(createdTopicRegisterTimeout, time.Duration(b.conf().RegisterBrokerTimeoutMills)*time.Millisecond))
}

// registerTable sends REGISTER_BROKER with the topic table w to every
// NameServer in parallel and reports whether each took it.
func (b *Broker) registerTable(w codec.TopicConfigSerializeWrapper, timeout time.Duration) bool {
	addrs := b.conf().NamesrvAddrs()
	if len(addrs) == 0 {
		return true
	}
	if b.conf().BrokerPermission&compat.PermWrite == 0 || b.conf().BrokerPermission&compat.PermRead == 0 {
		for _, tc := range w.TopicConfigTable {
			tc.Perm &= b.conf().BrokerPermission
		}
	}
	body := codec.Encode(codec.RegisterBrokerBody{FilterServerList: []string{}, TopicConfigSerializeWrapper: w})
	crc := int32(crc32.ChecksumIEEE(body) & 0x7FFFFFFF) // UtilAll.crc32 masks the sign bit
	var wg sync.WaitGroup
	var failed atomic.Bool
	for _, addr := range addrs {
		wg.Add(1)
		go func(addr string) {
			defer wg.Done()
			ok := false
			defer func() {
				if !ok {
					failed.Store(true)
				}
			}()
			ctx, cancel := b.ctx(timeout)
			defer cancel()
			c, err := b.nsClient(ctx, addr)
			if err != nil {
				b.log.Warn("register broker: cannot reach NameServer", "namesrv", addr, "err", err)
				return
			}
			req := wire.NewRequest(wire.RegisterBroker, append(b.registerHeader(),
				wire.Field{Key: "haServerAddr", Value: b.conf().HAAddr()},
				wire.Field{Key: "heartbeatTimeoutMillis", Value: "120000"},
				wire.Field{Key: "enableActingMaster", Value: "false"},
				wire.Field{Key: "compressed", Value: "false"},
				wire.Field{Key: "bodyCrc32", Value: strconv.FormatInt(int64(crc), 10)},
			)...)
			req.Body = body
			resp, err := c.Invoke(ctx, req)
			if err != nil {
				b.log.Warn("register broker failed", "namesrv", addr, "err", err)
				return
			}
			if resp.ResponseCode() != wire.Success {
				b.log.Warn("register broker refused", "namesrv", addr, "code", resp.ResponseCode(), "remark", resp.Remark)
				return
			}
			ok = true
			b.registered(resp)
		}(addr)
	}
	wg.Wait()
	return !failed.Load()
}

// unregisterAll tells every NameServer the broker is going away.
func (b *Broker) unregisterAll() {
	for _, addr := range b.conf().NamesrvAddrs() {
		ctx, cancel := b.ctx(3 * time.Second)
		if c, err := b.nsClient(ctx, addr); err == nil {
			if _, err := c.Invoke(ctx, wire.NewRequest(wire.UnregisterBroker, b.registerHeader()...)); err != nil {
				b.log.Warn("unregister broker failed", "namesrv", addr, "err", err)
			}
		}
		cancel()
	}
}
