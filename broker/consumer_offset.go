package broker

import (
	"encoding/json"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/store"
)

// offsetTable holds committed consumer offsets (Java's
// ConsumerOffsetManager), keyed "topic@group", persisted as
// config/consumerOffset.json and flushed periodically.
type offsetTable struct {
	path string
	// pmu serialises persist: a snapshot and its write happen as one, so an
	// older snapshot never lands after a newer one.
	pmu sync.Mutex

	mu      sync.RWMutex
	offsets map[string]map[int32]int64
	dirty   bool
	version codec.DataVersion
}

type offsetFile struct {
	DataVersion codec.DataVersion           `json:"dataVersion"`
	OffsetTable map[string]map[string]int64 `json:"offsetTable"`
}

func newOffsetTable(root string) *offsetTable {
	return &offsetTable{path: filepath.Join(root, "config", "consumerOffset.json"), offsets: map[string]map[int32]int64{}}
}

func offsetKey(topic, group string) string { return topic + "@" + group }

func (o *offsetTable) load() error {
	var f offsetFile
	if found, err := readConfigFile(o.path, &f); !found {
		return err
	}
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
	o.version = f.DataVersion
	return nil
}

// persist writes the table if it changed since the last write.
func (o *offsetTable) persist() error {
	o.pmu.Lock()
	defer o.pmu.Unlock()
	o.mu.Lock()
	if !o.dirty {
		o.mu.Unlock()
		return nil
	}
	o.dirty = false
	o.version.Counter++
	o.version.Timestamp = time.Now().UnixMilli()
	f := offsetFile{DataVersion: o.version, OffsetTable: make(map[string]map[string]int64, len(o.offsets))}
	for key, qs := range o.offsets {
		m := make(map[string]int64, len(qs))
		for q, off := range qs {
			m[strconv.Itoa(int(q))] = off
		}
		f.OffsetTable[key] = m
	}
	o.mu.Unlock()
	data, err := json.MarshalIndent(f, "", "\t")
	if err != nil {
		return err
	}
	return store.WriteFileAtomic(o.path, data)
}

// commit records a group's offset of one queue.
func (o *offsetTable) commit(topic, group string, queueID int32, offset int64) {
	key := offsetKey(topic, group)
	o.mu.Lock()
	m := o.offsets[key]
	if m == nil {
		m = map[int32]int64{}
		o.offsets[key] = m
	}
	if m[queueID] != offset {
		m[queueID] = offset
		o.dirty = true
	} else if _, ok := m[queueID]; !ok {
		m[queueID] = offset
		o.dirty = true
	}
	o.mu.Unlock()
}

// query returns a group's committed offset of one queue.
func (o *offsetTable) query(topic, group string, queueID int32) (int64, bool) {
	o.mu.RLock()
	defer o.mu.RUnlock()
	off, ok := o.offsets[offsetKey(topic, group)][queueID]
	return off, ok
}

// removeTopic drops every group's offsets of topic.
func (o *offsetTable) removeTopic(topic string) {
	o.mu.Lock()
	defer o.mu.Unlock()
	for key := range o.offsets {
		if strings.HasPrefix(key, topic+"@") {
			delete(o.offsets, key)
			o.dirty = true
		}
	}
}
