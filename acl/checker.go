package acl

import (
	"fmt"
	"net/netip"
	"os"
	"sync"
	"sync/atomic"
	"time"

	"github.com/booster-mq/booster/wire"
)

// Checker checks requests against a plain_acl.yml and re-reads it when it
// changes (Apache's AclFileWatchService).
//
// Concurrency: Check may run on any goroutine and never locks: the config
// is swapped whole behind an atomic pointer. Reload and the edits
// (edit.go) hold editMu, so a file is read, changed and loaded by one
// goroutine at a time.
type Checker struct {
	path   string
	cur    atomic.Pointer[loaded]
	editMu sync.Mutex
}

type loaded struct {
	cfg     *Config
	modTime time.Time
	size    int64
}

// NewChecker loads the file at path.
func NewChecker(path string) (*Checker, error) {
	k := &Checker{path: path}
	if _, err := k.Reload(); err != nil {
		return nil, err
	}
	return k, nil
}

// Path is the file the checker reads.
func (k *Checker) Path() string { return k.path }

// Reload re-reads the file if its modification time or size changed and
// reports whether it did. On an error the previous config stays.
func (k *Checker) Reload() (bool, error) {
	k.editMu.Lock()
	defer k.editMu.Unlock()
	st, err := os.Stat(k.path)
	if err != nil {
		return false, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	if old := k.cur.Load(); old != nil && old.modTime.Equal(st.ModTime()) && old.size == st.Size() {
		return false, nil
	}
	cfg, err := Load(k.path)
	if err != nil {
		return false, err
	}
	k.cur.Store(&loaded{cfg: cfg, modTime: st.ModTime(), size: st.Size()})
	return true, nil
}

// load reads the file whatever its modification time; editMu is held.
func (k *Checker) load() error {
	st, err := os.Stat(k.path)
	if err != nil {
		return fmt.Errorf("%w: %w", ErrConfig, err)
	}
	cfg, err := Load(k.path)
	if err != nil {
		return err
	}
	k.cur.Store(&loaded{cfg: cfg, modTime: st.ModTime(), size: st.Size()})
	return nil
}

// Check decides whether cmd from remote may run; see Config.Check.
func (k *Checker) Check(cmd *wire.Command, remote netip.Addr) error {
	return k.cur.Load().cfg.Check(cmd, remote)
}
