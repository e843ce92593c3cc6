package broker

// A slave's copy of its master's metadata, mirroring Java's
// SlaveSynchronize. Not a request handler: a loop on the slave that calls
// the master every slaveSyncInterval (10 s, as 4.x; 5.x: 60 s), and at
// once when it learns a new master address:
//  1. GET_ALL_TOPIC_CONFIG (21): when the DataVersion differs, the topic
//     table is replaced by the master's and persisted.
//  2. GET_ALL_CONSUMER_OFFSET (43): every topic@group entry of the master
//     replaces the slave's (Java's putAll), persisted. Offsets committed
//     on the slave while the master was away are first sent to the master
//     (UPDATE_CONSUMER_OFFSET) where they are ahead of its own: Apache
//     overwrites them and relies on the consumer committing again.
//  3. GET_ALL_DELAY_OFFSET (45): the body is written as
//     config/delayOffset.json.
//  4. GET_ALL_SUBSCRIPTIONGROUP_CONFIG (201): like topics.
// Nothing is synced while the NameServer reports no live master. Until a
// slave has learnt its master's HA address it registers every second.

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strconv"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) slaveSyncLoop() {
	defer b.wg.Done()
	t := time.NewTicker(b.conf().SlaveSyncInterval)
	defer t.Stop()
	// Until the slave knows its master, it registers every second (a
	// slave that registered before its master would otherwise wait a whole
	// registerNameServerPeriod to learn the master's HA address).
	ask := time.NewTicker(time.Second)
	defer ask.Stop()
	var c *transport.Client
	var cAddr string
	defer func() {
		if c != nil {
			c.Close()
		}
	}()
	for {
		select {
		case <-b.stop:
			return
		case <-t.C:
		case <-b.slaveSyncNow:
		case <-ask.C:
			if b.haSlave.MasterAddr() == "" && b.ctl == nil {
				b.triggerRegister()
			}
			continue
		}
		addr := b.MasterAddr()
		if addr == "" || addr == b.Addr() {
			continue
		}
		if c != nil && (c.Err() != nil || cAddr != addr) {
			c.Close()
			c = nil
		}
		if c == nil {
			ctx, cancel := b.ctx(3 * time.Second)
			var err error
			c, err = b.conf().TLSConfig.Dial(ctx, addr)
			cancel()
			if err != nil {
				b.log.Warn("slave sync: cannot reach master", "master", addr, "err", err)
				c = nil
				continue
			}
			cAddr = addr
		}
		if err := b.syncFromMaster(c); err != nil {
			b.log.Warn("slave sync from master failed", "master", addr, "err", err)
		}
	}
}

// masterCall invokes code on the master and returns the body.
func (b *Broker) masterCall(c *transport.Client, code wire.RequestCode, fields ...wire.Field) ([]byte, error) {
	ctx, cancel := b.ctx(3 * time.Second)
	defer cancel()
	resp, err := c.Invoke(ctx, wire.NewRequest(code, fields...))
	if err != nil {
		return nil, err
	}
	if resp.ResponseCode() != wire.Success {
		return nil, fmt.Errorf("%v answered %v %s", code, resp.ResponseCode(), resp.Remark)
	}
	return resp.Body, nil
}

// syncFromMaster runs one round of Java's syncAll.
func (b *Broker) syncFromMaster(c *transport.Client) error {
	body, err := b.masterCall(c, wire.GetAllTopicConfig)
	if err != nil {
		return err
	}
	var tw codec.TopicConfigSerializeWrapper
	if err := json.Unmarshal(codec.QuoteNumericKeys(body), &tw); err != nil {
		return fmt.Errorf("topic config: %w", err)
	}
	if b.topics.replaceAll(tw) {
		if err := b.topics.persist(); err != nil {
			return err
		}
		b.log.Info("slave: topic config updated from master", "topics", len(tw.TopicConfigTable))
		b.triggerRegister()
	}

	b.pushSlaveOffsets(c)
	if body, err = b.masterCall(c, wire.GetAllConsumerOffset); err != nil {
		return err
	}
	var of offsetFile
	if err := json.Unmarshal(codec.QuoteNumericKeys(body), &of); err != nil {
		return fmt.Errorf("consumer offsets: %w", err)
	}
	b.offsets.putAll(of)
	if err := b.offsets.persist(); err != nil {
		return err
	}

	if body, err = b.masterCall(c, wire.GetAllDelayOffset); err != nil {
		return err
	}
	if len(body) > 0 {
		path := filepath.Join(b.conf().StorePathRootDir, "config", "delayOffset.json")
		if err := store.WriteFileAtomic(path, body); err != nil {
			return err
		}
	}

	if body, err = b.masterCall(c, wire.GetAllSubscriptiongroupConfig); err != nil {
		return err
	}
	var gw codec.SubscriptionGroupWrapper
	if err := json.Unmarshal(codec.QuoteNumericKeys(body), &gw); err != nil {
		return fmt.Errorf("subscription groups: %w", err)
	}
	if b.groups.replaceAll(gw) {
		b.log.Info("slave: subscription groups updated from master", "groups", len(gw.SubscriptionGroupTable))
		return b.groups.persist()
	}
	return nil
}

// pushSlaveOffsets sends the master the offsets consumers committed on
// this slave since the last sync, where they are ahead of the master's
// (best effort: a refused one is logged and dropped).
func (b *Broker) pushSlaveOffsets(c *transport.Client) {
	b.slaveCommitsMu.Lock()
	commits := b.slaveCommits
	b.slaveCommits = nil
	b.slaveCommitsMu.Unlock()
	for key, qs := range commits {
		topic, group, ok := splitOffsetKey(key)
		if !ok {
			continue
		}
		for q, off := range qs {
			if cur, ok := b.masterOffset(c, topic, group, q); ok && cur >= off {
				continue
			}
			_, err := b.masterCall(c, wire.UpdateConsumerOffset,
				wire.Field{Key: "consumerGroup", Value: group}, wire.Field{Key: "topic", Value: topic},
				wire.Field{Key: "queueId", Value: strconv.Itoa(int(q))}, wire.Field{Key: "commitOffset", Value: strconv.FormatInt(off, 10)})
			if err != nil {
				b.log.Warn("slave: cannot push a consumer offset committed here to the master", "topic", topic,
					"group", group, "queueId", q, "offset", off, "err", err)
				continue
			}
			b.log.Info("slave: pushed a consumer offset committed here to the master", "topic", topic, "group", group, "queueId", q, "offset", off)
		}
	}
}

// masterOffset asks the master for a group's committed offset.
func (b *Broker) masterOffset(c *transport.Client, topic, group string, q int32) (int64, bool) {
	ctx, cancel := b.ctx(3 * time.Second)
	defer cancel()
	resp, err := c.Invoke(ctx, wire.NewRequest(wire.QueryConsumerOffset,
		wire.Field{Key: "consumerGroup", Value: group}, wire.Field{Key: "topic", Value: topic},
		wire.Field{Key: "queueId", Value: strconv.Itoa(int(q))}))
	if err != nil || resp.ResponseCode() != wire.Success {
		return 0, false
	}
	off, err := strconv.ParseInt(resp.ExtValue("offset"), 10, 64)
	return off, err == nil
}

// noteSlaveCommit remembers an offset a consumer committed on this slave.
func (b *Broker) noteSlaveCommit(topic, group string, q int32, off int64) {
	key := offsetKey(topic, group)
	b.slaveCommitsMu.Lock()
	defer b.slaveCommitsMu.Unlock()
	if b.slaveCommits == nil {
		b.slaveCommits = map[string]map[int32]int64{}
	}
	m := b.slaveCommits[key]
	if m == nil {
		m = map[int32]int64{}
		b.slaveCommits[key] = m
	}
	m[q] = max(m[q], off)
}

// replaceAll makes the table the master's when its data version differs
// (SlaveSynchronize.syncTopicConfig); it reports whether it did.
func (t *topicTable) replaceAll(w codec.TopicConfigSerializeWrapper) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.version == w.DataVersion {
		return false
	}
	t.topics = make(map[string]*codec.TopicConfig, len(w.TopicConfigTable))
	for name, tc := range w.TopicConfigTable {
		if tc == nil {
			continue
		}
		if tc.TopicName == "" {
			tc.TopicName = name
		}
		t.topics[name] = tc
	}
	t.version = w.DataVersion
	return true
}

// replaceAll makes the table the master's when its data version differs.
func (g *groupTable) replaceAll(w codec.SubscriptionGroupWrapper) bool {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.version == w.DataVersion {
		return false
	}
	g.groups = make(map[string]*codec.SubscriptionGroupConfig, len(w.SubscriptionGroupTable))
	for name, c := range w.SubscriptionGroupTable {
		if c != nil {
			g.groups[name] = c
		}
	}
	g.version = w.DataVersion
	return true
}

// putAll replaces each topic@group entry the master has (Java's putAll on
// the offset table).
func (o *offsetTable) putAll(f offsetFile) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for key, qs := range f.OffsetTable {
		m := make(map[int32]int64, len(qs))
		for q, off := range qs {
			if id, err := strconv.ParseInt(q, 10, 32); err == nil {
				m[int32(id)] = off
			}
		}
		o.offsets[key] = m
	}
	o.dirty = true
}
