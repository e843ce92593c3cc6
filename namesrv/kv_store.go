package namesrv

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"sync"
)

// NamespaceOrderTopicConfig is the KV namespace holding order-topic queue
// layouts (Java's NamesrvUtil.NAMESPACE_ORDER_TOPIC_CONFIG): key = topic,
// value = "brokerName:queueNum;...".
const NamespaceOrderTopicConfig = "ORDER_TOPIC_CONFIG"

// kvFile is the on-disk form of the KV table, Java's
// KVConfigSerializeWrapper: {"configTable":{namespace:{key:value}}}.
type kvFile struct {
	ConfigTable map[string]map[string]string `json:"configTable"`
}

// kvStore is Java's KVConfigManager: namespaced key/value pairs, written
// through to a JSON file on every change.
//
// Concurrency: mu guards table; writers hold it across the file write, so
// the file always follows the table's order of changes.
type kvStore struct {
	path  string
	mu    sync.RWMutex
	table map[string]map[string]string
}

func newKVStore(path string) *kvStore {
	return &kvStore{path: path, table: map[string]map[string]string{}}
}

// load reads the file; a missing file is an empty table. A file that does
// not parse falls back to Java's .bak copy of the previous version.
func (s *kvStore) load() error {
	table, err := readKVFile(s.path)
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		bak, bakErr := readKVFile(s.path + ".bak")
		if bakErr != nil {
			return fmt.Errorf("load kv config: %w", err)
		}
		table, err = bak, nil
	}
	if err != nil {
		return nil // not there yet
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.table = table
	return nil
}

func readKVFile(path string) (map[string]map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var f kvFile
	if err := json.Unmarshal(b, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if f.ConfigTable == nil {
		f.ConfigTable = map[string]map[string]string{}
	}
	for ns, kv := range f.ConfigTable {
		if kv == nil {
			f.ConfigTable[ns] = map[string]string{}
		}
	}
	return f.ConfigTable, nil
}

// put sets a value and persists the table. The change stays in memory
// even when persisting fails.
func (s *kvStore) put(ns, key, value string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	kv := s.table[ns]
	if kv == nil {
		kv = map[string]string{}
		s.table[ns] = kv
	}
	kv[key] = value
	return s.persistLocked()
}

// delete removes a key (keeping its namespace, as Java does) and persists
// the table.
func (s *kvStore) delete(ns, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if kv := s.table[ns]; kv != nil {
		delete(kv, key)
	}
	return s.persistLocked()
}

func (s *kvStore) get(ns, key string) (string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	v, ok := s.table[ns][key]
	return v, ok
}

// namespace returns a copy of one namespace, or false if it does not exist.
func (s *kvStore) namespace(ns string) (map[string]string, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	kv, ok := s.table[ns]
	if !ok {
		return nil, false
	}
	return maps.Clone(kv), true
}

// persistLocked writes the table: the previous file is copied to .bak (as
// Java's MixAll.string2File does), then the new content replaces the file
// atomically. Caller holds mu.
func (s *kvStore) persistLocked() error {
	content := encodeJSON(kvFile{ConfigTable: s.table})
	if prev, err := os.ReadFile(s.path); err == nil {
		if bytes.Equal(prev, content) {
			return nil
		}
		if err := writeFileAtomic(s.path+".bak", prev); err != nil {
			return err
		}
	}
	return writeFileAtomic(s.path, content)
}

// writeFileAtomic writes data to a temporary file beside path, syncs it,
// renames it over path and syncs the directory.
func writeFileAtomic(path string, data []byte) (err error) {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(dir, filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
