package broker

// Read and maintenance accessors the admin handlers (admin_*.go) need on
// the broker's tables, kept apart from the tables' own files. Every
// accessor takes the table's own lock and returns copies.

import (
	"sort"
	"strings"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
)

// dataVersion returns the topic table's data version.
func (t *topicTable) dataVersion() codec.DataVersion {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.version
}

// wrapper returns a snapshot of the group table (GET_ALL_SUBSCRIPTIONGROUP_CONFIG).
func (g *groupTable) wrapper() codec.SubscriptionGroupWrapper {
	g.mu.RLock()
	defer g.mu.RUnlock()
	w := codec.SubscriptionGroupWrapper{DataVersion: g.version, ForbiddenTable: map[string]map[string]int{},
		SubscriptionGroupTable: make(map[string]*codec.SubscriptionGroupConfig, len(g.groups))}
	for k, v := range g.groups {
		c := *v
		w.SubscriptionGroupTable[k] = &c
	}
	return w
}

// put creates or replaces a group's config, bumps the data version and
// persists (SubscriptionGroupManager.updateSubscriptionGroupConfig).
func (g *groupTable) put(c codec.SubscriptionGroupConfig) error {
	if c.Attributes == nil {
		c.Attributes = map[string]string{}
	}
	g.mu.Lock()
	g.groups[c.GroupName] = &c
	g.bumpLocked()
	g.mu.Unlock()
	return g.persist()
}

// remove deletes a group's config; it reports whether it existed.
func (g *groupTable) remove(group string) (bool, error) {
	g.mu.Lock()
	_, ok := g.groups[group]
	if ok {
		delete(g.groups, group)
		g.bumpLocked()
	}
	g.mu.Unlock()
	if !ok {
		return false, nil
	}
	return true, g.persist()
}

func (g *groupTable) bumpLocked() {
	g.version.Counter++
	g.version.Timestamp = time.Now().UnixMilli()
}

// groupsOfTopic returns the groups with a committed offset of topic,
// sorted (ConsumerOffsetManager.whichGroupByTopic).
func (o *offsetTable) groupsOfTopic(topic string) []string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	var out []string
	for key := range o.offsets {
		if t, g, ok := splitOffsetKey(key); ok && t == topic {
			out = append(out, g)
		}
	}
	sort.Strings(out)
	return out
}

// topicsOfGroup returns the topics group has committed offsets of, sorted
// (ConsumerOffsetManager.whichTopicByConsumer).
func (o *offsetTable) topicsOfGroup(group string) []string {
	o.mu.RLock()
	defer o.mu.RUnlock()
	var out []string
	for key := range o.offsets {
		if t, g, ok := splitOffsetKey(key); ok && g == group {
			out = append(out, t)
		}
	}
	sort.Strings(out)
	return out
}

// removeGroup drops every offset of group (DELETE_SUBSCRIPTIONGROUP with
// cleanOffset).
func (o *offsetTable) removeGroup(group string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for key := range o.offsets {
		if _, g, ok := splitOffsetKey(key); ok && g == group {
			delete(o.offsets, key)
			o.dirty = true
		}
	}
}

// snapshot returns a copy of every offset by "topic@group" and the data
// version of the last write (GET_ALL_CONSUMER_OFFSET).
func (o *offsetTable) snapshot() (map[string]map[int32]int64, codec.DataVersion) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	out := make(map[string]map[int32]int64, len(o.offsets))
	for key, qs := range o.offsets {
		m := make(map[int32]int64, len(qs))
		for q, off := range qs {
			m[q] = off
		}
		out[key] = m
	}
	return out, o.version
}

// splitOffsetKey splits "topic@group". Topic names cannot contain '@';
// group names are not checked by every client, so the first '@' splits.
func splitOffsetKey(key string) (topic, group string, ok bool) {
	return strings.Cut(key, "@")
}

// connInfo is one client connection as the admin bodies list it (Java's
// Connection).
type connInfo struct {
	ClientAddr string `json:"clientAddr"`
	ClientID   string `json:"clientId"`
	Language   string `json:"language"`
	Version    int32  `json:"version"`
}

func (ch *clientChannel) info() connInfo {
	return connInfo{ClientAddr: ch.conn.RemoteAddr().String(), ClientID: ch.clientID,
		Language: compat.LanguageName(ch.language), Version: ch.version}
}

// consumerGroupView is a copy of one online consumer group.
type consumerGroupView struct {
	consumeType      string
	messageModel     string
	consumeFromWhere string
	subs             map[string]codec.SubscriptionData
	conns            []connInfo
}

// consumerGroup returns a copy of an online consumer group, connections
// sorted by client id then address.
func (t *clientTable) consumerGroup(group string) (consumerGroupView, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	g := t.consumers[group]
	if g == nil {
		return consumerGroupView{}, false
	}
	v := consumerGroupView{consumeType: g.consumeType, messageModel: g.messageModel, consumeFromWhere: g.consumeFromWhere,
		subs: make(map[string]codec.SubscriptionData, len(g.subs))}
	for topic, s := range g.subs {
		v.subs[topic] = s.SubscriptionData
	}
	for _, ch := range g.channels {
		v.conns = append(v.conns, ch.info())
	}
	sortConns(v.conns)
	return v, true
}

// producerGroup returns the connections of a producer group; ok is false
// when the group has none.
func (t *clientTable) producerGroup(group string) ([]connInfo, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	m := t.producers[group]
	if len(m) == 0 {
		return nil, false
	}
	out := make([]connInfo, 0, len(m))
	for _, ch := range m {
		out = append(out, ch.info())
	}
	sortConns(out)
	return out, true
}

func sortConns(c []connInfo) {
	sort.Slice(c, func(i, j int) bool {
		if c[i].ClientID != c[j].ClientID {
			return c[i].ClientID < c[j].ClientID
		}
		return c[i].ClientAddr < c[j].ClientAddr
	})
}

// groupsSubscribing returns the online groups subscribed to topic, sorted
// (ConsumerManager.queryTopicConsumeByWho).
func (t *clientTable) groupsSubscribing(topic string) []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	var out []string
	for name, g := range t.consumers {
		if _, ok := g.subs[topic]; ok {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// subscriptionCount returns how many topics an online group subscribes to
// (ConsumerManager.findSubscriptionDataCount).
func (t *clientTable) subscriptionCount(group string) int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if g := t.consumers[group]; g != nil {
		return len(g.subs)
	}
	return 0
}
