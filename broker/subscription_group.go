package broker

import (
	"encoding/json"
	"path/filepath"
	"sync"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/store"
)

// groupTable holds subscription group configs (Java's
// SubscriptionGroupManager), persisted as config/subscriptionGroup.json.
type groupTable struct {
	path string
	// pmu serialises persist: a snapshot and its write happen as one, so an
	// older snapshot never lands after a newer one.
	pmu sync.Mutex

	mu      sync.RWMutex
	groups  map[string]*codec.SubscriptionGroupConfig
	version codec.DataVersion
}

func newGroupTable(root string) *groupTable {
	return &groupTable{path: filepath.Join(root, "config", "subscriptionGroup.json"), groups: map[string]*codec.SubscriptionGroupConfig{}}
}

func (g *groupTable) load() error {
	var w codec.SubscriptionGroupWrapper
	if found, err := readConfigFile(g.path, &w); !found {
		return err
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	for name, c := range w.SubscriptionGroupTable {
		g.groups[name] = c
	}
	g.version = w.DataVersion
	return nil
}

func (g *groupTable) persist() error {
	g.pmu.Lock()
	defer g.pmu.Unlock()
	g.mu.RLock()
	w := codec.SubscriptionGroupWrapper{DataVersion: g.version, ForbiddenTable: map[string]map[string]int{},
		SubscriptionGroupTable: make(map[string]*codec.SubscriptionGroupConfig, len(g.groups))}
	for k, v := range g.groups {
		c := *v
		w.SubscriptionGroupTable[k] = &c
	}
	g.mu.RUnlock()
	data, err := json.MarshalIndent(w, "", "\t")
	if err != nil {
		return err
	}
	return store.WriteFileAtomic(g.path, data)
}

// get returns a group's config.
func (g *groupTable) get(group string) (codec.SubscriptionGroupConfig, bool) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	c, ok := g.groups[group]
	if !ok {
		return codec.SubscriptionGroupConfig{}, false
	}
	return *c, true
}

// getOrCreate returns a group's config, creating it with Java's defaults
// when auto is set; ok is false when the group is unknown and auto is off,
// or its name is illegal or longer than 255 (never auto-created, as in
// Java's findSubscriptionGroupConfig).
func (g *groupTable) getOrCreate(group string, auto bool) (codec.SubscriptionGroupConfig, bool, error) {
	if c, ok := g.get(group); ok || !auto || !autoCreatableGroup(group) {
		return c, ok, nil
	}
	g.mu.Lock()
	c, ok := g.groups[group]
	if !ok {
		nc := codec.NewSubscriptionGroupConfig(group)
		c = &nc
		g.groups[group] = c
		g.version.Counter++
		g.version.Timestamp = time.Now().UnixMilli()
	}
	out := *c
	g.mu.Unlock()
	if ok {
		return out, true, nil
	}
	return out, true, g.persist()
}

// autoCreatableGroup reports whether a group name may be auto-created: at
// most 255 characters of [%|a-zA-Z0-9_-].
func autoCreatableGroup(group string) bool {
	if group == "" || len(group) > 255 {
		return false
	}
	for i := 0; i < len(group); i++ {
		if !compat.ValidTopicChar(group[i]) {
			return false
		}
	}
	return true
}
