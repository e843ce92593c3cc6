package store

// The epoch file of controller mode (Java's EpochFileCache, file
// epochFileCheckpoint in the store root): which master epoch wrote which
// part of the commit log. Entry i says epoch Epoch started writing at
// StartOffset; it covers the log up to the next entry's start (the last
// one up to the end of the log). A master appends an entry when it takes
// office; a slave copies its master's entries. Two replicas' logs agree up
// to the end of the newest epoch they both have with the same start
// (ConsistentPoint), and a rejoining replica truncates its log there.
//
// File format (text, one entry a line, written atomically):
//
//	<epoch> <startOffset>\n

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// EpochFileName is the epoch file's name in the store root.
const EpochFileName = "epochFileCheckpoint"

// EpochEntry is one epoch's start.
type EpochEntry struct {
	// Epoch is the master epoch.
	Epoch int32
	// StartOffset is the commit-log offset where it started writing.
	StartOffset int64
}

// EpochFile is the persisted epoch table; its methods are safe for
// concurrent use (mu guards entries and the file).
type EpochFile struct {
	path    string
	mu      sync.Mutex
	entries []EpochEntry
}

// OpenEpochFile loads the epoch file at path (empty when missing).
func OpenEpochFile(path string) (*EpochFile, error) {
	f := &EpochFile{path: path}
	data, err := ReadFileWithBak(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	for i, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if line == "" {
			continue
		}
		a, b, ok := strings.Cut(line, " ")
		ep, err1 := strconv.ParseInt(a, 10, 32)
		off, err2 := strconv.ParseInt(b, 10, 64)
		if !ok || err1 != nil || err2 != nil {
			return nil, fmt.Errorf("%s:%d: bad epoch entry %q", path, i+1, line)
		}
		f.entries = append(f.entries, EpochEntry{Epoch: int32(ep), StartOffset: off})
	}
	return f, nil
}

// Entries returns a copy of the table, oldest first.
func (f *EpochFile) Entries() []EpochEntry {
	f.mu.Lock()
	defer f.mu.Unlock()
	return slices.Clone(f.entries)
}

// LastEpoch is the newest epoch, 0 when the table is empty.
func (f *EpochFile) LastEpoch() int32 {
	f.mu.Lock()
	defer f.mu.Unlock()
	if len(f.entries) == 0 {
		return 0
	}
	return f.entries[len(f.entries)-1].Epoch
}

// Append records that epoch starts writing at start. An epoch not newer
// than the last one is ignored; entries starting after start are dropped
// first (their data is gone).
func (f *EpochFile) Append(epoch int32, start int64) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if n := len(f.entries); n > 0 && f.entries[n-1].Epoch >= epoch {
		return nil
	}
	f.entries = slices.DeleteFunc(f.entries, func(e EpochEntry) bool { return e.StartOffset > start })
	f.entries = append(f.entries, EpochEntry{Epoch: epoch, StartOffset: start})
	return f.persistLocked()
}

// Replace installs another replica's table (a slave adopting its master's).
func (f *EpochFile) Replace(entries []EpochEntry) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.entries = slices.Clone(entries)
	return f.persistLocked()
}

func (f *EpochFile) persistLocked() error {
	var b bytes.Buffer
	for _, e := range f.entries {
		b.WriteString(strconv.FormatInt(int64(e.Epoch), 10))
		b.WriteByte(' ')
		b.WriteString(strconv.FormatInt(e.StartOffset, 10))
		b.WriteByte('\n')
	}
	return WriteFileAtomic(f.path, b.Bytes())
}

// ConsistentPoint is the commit-log offset up to which a replica with the
// epoch table local agrees with one with the table remote (Java's
// EpochFileCache.findConsistentPoint): the end of the newest epoch both
// have with the same start, the smaller of the two ends. It returns -1
// when either table is empty (nothing to compare: keep the log) and
// math.MaxInt64 when the tables agree to their ends.
func ConsistentPoint(local, remote []EpochEntry) int64 {
	if len(local) == 0 || len(remote) == 0 {
		return -1
	}
	end := func(t []EpochEntry, i int) int64 {
		if i+1 < len(t) {
			return t[i+1].StartOffset
		}
		return math.MaxInt64
	}
	for i := len(local) - 1; i >= 0; i-- {
		j := slices.IndexFunc(remote, func(e EpochEntry) bool { return e.Epoch == local[i].Epoch })
		if j < 0 || remote[j].StartOffset != local[i].StartOffset {
			continue
		}
		return min(end(local, i), end(remote, j))
	}
	return min(local[0].StartOffset, remote[0].StartOffset)
}
