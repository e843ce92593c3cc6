package broker

import (
	"encoding/json"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/store"
)

// topicTable is the broker's topic configuration (Java's
// TopicConfigManager), persisted as config/topics.json.
//
// All methods are safe for concurrent use; configs handed out are copies.
type topicTable struct {
	path string
	// pmu serialises persist: a snapshot and its write happen as one, so an
	// older snapshot never lands after a newer one.
	pmu sync.Mutex

	mu      sync.RWMutex
	topics  map[string]*codec.TopicConfig
	version codec.DataVersion
}

func newTopicTable(root string) *topicTable {
	return &topicTable{
		path:    filepath.Join(root, "config", "topics.json"),
		topics:  map[string]*codec.TopicConfig{},
		version: codec.DataVersion{Timestamp: time.Now().UnixMilli()},
	}
}

// load reads config/topics.json (or its .bak) if present.
func (t *topicTable) load() error {
	var w codec.TopicConfigSerializeWrapper
	if found, err := readConfigFile(t.path, &w); !found {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for name, tc := range w.TopicConfigTable {
		if tc.TopicName == "" {
			tc.TopicName = name
		}
		t.topics[name] = tc
	}
	t.version = w.DataVersion
	return nil
}

// persist writes the table atomically.
func (t *topicTable) persist() error {
	t.pmu.Lock()
	defer t.pmu.Unlock()
	w := t.wrapper()
	data, err := json.MarshalIndent(w, "", "\t")
	if err != nil {
		return err
	}
	return store.WriteFileAtomic(t.path, data)
}

// get returns a copy of the config of topic.
func (t *topicTable) get(topic string) (codec.TopicConfig, bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	tc, ok := t.topics[topic]
	if !ok {
		return codec.TopicConfig{}, false
	}
	return *tc, true
}

// put stores tc, bumps the data version and persists. It reports whether
// anything changed.
func (t *topicTable) put(tc codec.TopicConfig) (bool, error) {
	if tc.TopicFilterType == "" {
		tc.TopicFilterType = "SINGLE_TAG"
	}
	if tc.Attributes == nil {
		tc.Attributes = map[string]string{}
	}
	t.mu.Lock()
	if old, ok := t.topics[tc.TopicName]; ok && sameTopic(old, &tc) {
		t.mu.Unlock()
		return false, nil
	}
	t.topics[tc.TopicName] = &tc
	t.bumpLocked()
	t.mu.Unlock()
	return true, t.persist()
}

// putIfAbsent creates tc unless the topic exists; it returns the config in
// force and whether it was created.
func (t *topicTable) putIfAbsent(tc codec.TopicConfig) (codec.TopicConfig, bool, error) {
	t.mu.Lock()
	if old, ok := t.topics[tc.TopicName]; ok {
		t.mu.Unlock()
		return *old, false, nil
	}
	if tc.TopicFilterType == "" {
		tc.TopicFilterType = "SINGLE_TAG"
	}
	if tc.Attributes == nil {
		tc.Attributes = map[string]string{}
	}
	t.topics[tc.TopicName] = &tc
	t.bumpLocked()
	t.mu.Unlock()
	return tc, true, t.persist()
}

// remove deletes a topic; it reports whether it existed.
func (t *topicTable) remove(topic string) (bool, error) {
	t.mu.Lock()
	_, ok := t.topics[topic]
	if ok {
		delete(t.topics, topic)
		t.bumpLocked()
	}
	t.mu.Unlock()
	if !ok {
		return false, nil
	}
	return true, t.persist()
}

// touch bumps the data version, so that the NameServers take the next
// registration's topics (with a changed brokerPermission applied).
func (t *topicTable) touch() {
	t.mu.Lock()
	t.bumpLocked()
	t.mu.Unlock()
}

func (t *topicTable) bumpLocked() {
	t.version.Counter++
	t.version.Timestamp = time.Now().UnixMilli()
}

// wrapper returns a snapshot for registration and persistence.
func (t *topicTable) wrapper() codec.TopicConfigSerializeWrapper {
	t.mu.RLock()
	defer t.mu.RUnlock()
	w := codec.TopicConfigSerializeWrapper{
		DataVersion:      t.version,
		TopicConfigTable: make(map[string]*codec.TopicConfig, len(t.topics)),
	}
	for k, v := range t.topics {
		c := *v
		w.TopicConfigTable[k] = &c
	}
	return w
}

// names returns the sorted topic names.
func (t *topicTable) names() []string {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make([]string, 0, len(t.topics))
	for k := range t.topics {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func sameTopic(a, b *codec.TopicConfig) bool {
	if a.Perm != b.Perm || a.ReadQueueNums != b.ReadQueueNums || a.WriteQueueNums != b.WriteQueueNums ||
		a.Order != b.Order || a.TopicSysFlag != b.TopicSysFlag || a.TopicFilterType != b.TopicFilterType || len(a.Attributes) != len(b.Attributes) {
		return false
	}
	for k, v := range a.Attributes {
		if b.Attributes[k] != v {
			return false
		}
	}
	return true
}

// systemTopics are the topics a broker creates by itself at start
// (TopicConfigManager's constructor), given its config.
func systemTopics(c *Config) []codec.TopicConfig {
	rw := compat.PermRead | compat.PermWrite
	topic := func(name string, queues, perm int) codec.TopicConfig {
		return codec.TopicConfig{TopicName: name, ReadQueueNums: queues, WriteQueueNums: queues, Perm: perm}
	}
	out := []codec.TopicConfig{
		topic(compat.SelfTestTopic, 1, rw),
		topic(compat.OffsetMovedEvent, 1, rw),
		topic(compat.ScheduleTopic, 18, rw),
		topic(compat.TransHalfTopic, 1, rw),
		topic(compat.TransOpHalfTopic, 1, rw),
		topic(c.BrokerClusterName+compat.ReplyTopicSuffix, 1, rw),
	}
	if c.AutoCreateTopicEnable {
		out = append(out, topic(compat.AutoCreateTopicKey, c.DefaultTopicQueueNums, rw|compat.PermInherit))
	}
	if c.TimerWheelEnable {
		out = append(out, topic(timerTopic, 1, rw))
	}
	clusterPerm := compat.PermInherit
	if c.ClusterTopicEnable {
		clusterPerm |= rw
	}
	out = append(out, topic(c.BrokerClusterName, 16, clusterPerm))
	brokerPerm := compat.PermInherit
	if c.BrokerTopicEnable {
		brokerPerm |= rw
	}
	out = append(out, topic(c.BrokerName, 1, brokerPerm))
	if c.TraceTopicEnable {
		out = append(out, topic(c.MsgTraceTopicName, 1, rw))
	}
	return out
}
