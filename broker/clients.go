package broker

import (
	"fmt"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/filter"
	"github.com/booster-mq/booster/wire/transport"
)

// clientChannel is one client connection seen in a heartbeat.
type clientChannel struct {
	conn       *transport.Conn
	clientID   string
	language   byte
	version    int32
	lastUpdate time.Time
}

// subscription is a consumer group's subscription to one topic, with the
// tag set parsed, or the SQL92 expression compiled, for broker-side
// filtering.
type subscription struct {
	codec.SubscriptionData
	all   bool
	codes map[int32]struct{}
	// sql is the compiled expression of a non-TAG subscription; sqlErr
	// says why it did not compile.
	sql    *filter.Expression
	sqlErr error
}

func newSubscription(sd codec.SubscriptionData) *subscription {
	s := &subscription{SubscriptionData: sd}
	if isTagExpression(sd.ExpressionType) {
		s.all, s.codes = parseTagExpression(sd.SubString)
	} else {
		s.all = true // the consume queue's tag codes do not filter
		s.sql, s.sqlErr = compileExpression(sd.ExpressionType, sd.SubString)
	}
	if s.ExpressionType == "" {
		s.ExpressionType = "TAG"
	}
	return s
}

// isTagExpression reports whether an expression type is TAG (or unset).
func isTagExpression(t string) bool { return t == "" || strings.EqualFold(t, "TAG") }

// compileExpression compiles a non-TAG subscription expression; SQL92 is
// the only such type.
func compileExpression(exprType, expr string) (*filter.Expression, error) {
	if !strings.EqualFold(exprType, "SQL92") {
		return nil, fmt.Errorf("unsupported expression type %q", exprType)
	}
	return filter.Parse(expr)
}

// matchProperties evaluates a SQL92 subscription against a message's
// properties string.
func (s *subscription) matchProperties(props string) bool {
	return s.sql.Match(func(key string) (string, bool) { return codec.PropertyValue(props, key) })
}

// parseTagExpression splits "a || b" into tag hash codes; "" and "*" match all.
func parseTagExpression(expr string) (bool, map[int32]struct{}) {
	expr = strings.TrimSpace(expr)
	if expr == "" || expr == "*" {
		return true, nil
	}
	codes := map[int32]struct{}{}
	for _, tag := range strings.Split(expr, "||") {
		if tag = strings.TrimSpace(tag); tag != "" {
			codes[compat.JavaStringHash(tag)] = struct{}{}
		}
	}
	if len(codes) == 0 {
		return true, nil
	}
	return false, codes
}

// match reports whether a consume-queue tag code passes the filter.
func (s *subscription) match(tagsCode int64) bool {
	if s == nil || s.all {
		return true
	}
	_, ok := s.codes[int32(tagsCode)]
	return ok
}

// consumerGroup is the live state of one consumer group (Java's
// ConsumerGroupInfo).
type consumerGroup struct {
	name             string
	consumeType      string
	messageModel     string
	consumeFromWhere string
	subs             map[string]*subscription
	channels         map[uint64]*clientChannel
}

// clientTable tracks producer and consumer connections (Java's
// ConsumerManager and ProducerManager). Safe for concurrent use.
type clientTable struct {
	mu        sync.RWMutex
	consumers map[string]*consumerGroup
	producers map[string]map[uint64]*clientChannel
}

func newClientTable() *clientTable {
	return &clientTable{consumers: map[string]*consumerGroup{}, producers: map[string]map[uint64]*clientChannel{}}
}

// registerConsumer records a heartbeat of one consumer group and reports
// whether the set of clients changed.
func (t *clientTable) registerConsumer(cd *codec.ConsumerData, ch clientChannel, keepSubs bool) (changed bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	g := t.consumers[cd.GroupName]
	if g == nil {
		g = &consumerGroup{name: cd.GroupName, subs: map[string]*subscription{}, channels: map[uint64]*clientChannel{}}
		t.consumers[cd.GroupName] = g
	}
	g.consumeType = string(cd.ConsumeType)
	g.messageModel = string(cd.MessageModel)
	g.consumeFromWhere = string(cd.ConsumeFromWhere)
	old, ok := g.channels[ch.conn.ID()]
	if !ok || old.clientID != ch.clientID {
		changed = true
	}
	c := ch
	g.channels[ch.conn.ID()] = &c
	if !keepSubs {
		seen := map[string]bool{}
		for _, sd := range cd.SubscriptionDataSet {
			seen[sd.Topic] = true
			if cur, ok := g.subs[sd.Topic]; ok && cur.SubString == sd.SubString && cur.ExpressionType == sd.ExpressionType && int64(cur.SubVersion) >= int64(sd.SubVersion) {
				continue
			}
			g.subs[sd.Topic] = newSubscription(sd)
		}
		for topic := range g.subs {
			if !seen[topic] {
				delete(g.subs, topic)
			}
		}
	}
	return changed
}

// registerProducer records a producer group's connection.
func (t *clientTable) registerProducer(group string, ch clientChannel) {
	t.mu.Lock()
	defer t.mu.Unlock()
	m := t.producers[group]
	if m == nil {
		m = map[uint64]*clientChannel{}
		t.producers[group] = m
	}
	c := ch
	m[ch.conn.ID()] = &c
}

// unregisterConsumer removes a client from a group; it reports whether
// the group's client set changed.
func (t *clientTable) unregisterConsumer(group string, connID uint64) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	g := t.consumers[group]
	if g == nil {
		return false
	}
	if _, ok := g.channels[connID]; !ok {
		return false
	}
	delete(g.channels, connID)
	if len(g.channels) == 0 {
		delete(t.consumers, group)
	}
	return true
}

// unregisterProducer removes a producer connection from a group.
func (t *clientTable) unregisterProducer(group string, connID uint64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if m := t.producers[group]; m != nil {
		delete(m, connID)
		if len(m) == 0 {
			delete(t.producers, group)
		}
	}
}

// dropConn removes a connection everywhere and returns the consumer
// groups whose client set changed.
func (t *clientTable) dropConn(connID uint64) []string {
	t.mu.Lock()
	defer t.mu.Unlock()
	var changed []string
	for name, g := range t.consumers {
		if _, ok := g.channels[connID]; ok {
			delete(g.channels, connID)
			if len(g.channels) == 0 {
				delete(t.consumers, name)
			} else {
				changed = append(changed, name)
			}
		}
	}
	for group, m := range t.producers {
		delete(m, connID)
		if len(m) == 0 {
			delete(t.producers, group)
		}
	}
	return changed
}

// expire drops channels not heard from within ttl and returns the consumer
// groups that changed and the connections that went quiet.
func (t *clientTable) expire(ttl time.Duration, now time.Time) (groups []string, conns []*transport.Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for name, g := range t.consumers {
		n := len(g.channels)
		for id, ch := range g.channels {
			if now.Sub(ch.lastUpdate) > ttl {
				delete(g.channels, id)
				conns = append(conns, ch.conn)
			}
		}
		if len(g.channels) == 0 {
			delete(t.consumers, name)
		} else if len(g.channels) != n {
			groups = append(groups, name)
		}
	}
	for group, m := range t.producers {
		for id, ch := range m {
			if now.Sub(ch.lastUpdate) > ttl {
				delete(m, id)
				conns = append(conns, ch.conn)
			}
		}
		if len(m) == 0 {
			delete(t.producers, group)
		}
	}
	return groups, conns
}

// consumerIDs returns the client ids of a group, sorted.
func (t *clientTable) consumerIDs(group string) []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	g := t.consumers[group]
	if g == nil {
		return nil
	}
	seen := map[string]bool{}
	ids := make([]string, 0, len(g.channels))
	for _, ch := range g.channels {
		if !seen[ch.clientID] {
			seen[ch.clientID] = true
			ids = append(ids, ch.clientID)
		}
	}
	sort.Strings(ids)
	return ids
}

// consumerConns returns the live connections of a group.
func (t *clientTable) consumerConns(group string) []*transport.Conn {
	t.mu.RLock()
	defer t.mu.RUnlock()
	g := t.consumers[group]
	if g == nil {
		return nil
	}
	out := make([]*transport.Conn, 0, len(g.channels))
	for _, ch := range g.channels {
		out = append(out, ch.conn)
	}
	return out
}

// subscription returns a group's subscription of topic.
func (t *clientTable) subscription(group, topic string) (*subscription, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	g := t.consumers[group]
	if g == nil {
		return nil, false
	}
	s, ok := g.subs[topic]
	return s, ok
}

// groupExists reports whether any client of group is online.
func (t *clientTable) groupOnline(group string) bool {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.consumers[group] != nil
}
