package store

import (
	"errors"
	"os"
	"path/filepath"
	"sync"
)

// atomicWriters holds one mutex per path WriteFileAtomic has written:
// concurrent writers of a path would share path+".tmp" and path+".bak"
// (one truncating the tmp file the other is about to rename, the loser's
// rename failing with ENOENT).
var atomicWriters sync.Map // cleaned path -> *sync.Mutex

// WriteFileAtomic replaces path with data so that a crash leaves either the
// old or the new content: it writes path+".tmp", syncs it, keeps the
// current file as path+".bak" (Java's MixAll.string2File), renames the tmp
// file into place and syncs the directory. Calls for the same path are
// serialized; the last call to get its turn wins.
func WriteFileAtomic(path string, data []byte) error {
	mu, _ := atomicWriters.LoadOrStore(filepath.Clean(path), new(sync.Mutex))
	mu.(*sync.Mutex).Lock()
	defer mu.(*sync.Mutex).Unlock()
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := writeSynced(tmp, data); err != nil {
		os.Remove(tmp)
		return err
	}
	if old, err := os.ReadFile(path); err == nil {
		// The backup is a copy, not a rename, so path never goes missing.
		if err := writeSynced(path+".bak", old); err != nil {
			os.Remove(tmp)
			return err
		}
	} else if !errors.Is(err, os.ErrNotExist) {
		os.Remove(tmp)
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return err
	}
	return syncDir(dir)
}

func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// ReadFileWithBak reads path, falling back to path+".bak" when path is
// missing, unreadable or empty (Java's ConfigManager.load then loadBak).
// When neither has content it returns path's error, which satisfies
// errors.Is(err, os.ErrNotExist) if neither file exists; an empty file
// with no backup gives empty data and no error.
func ReadFileWithBak(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err == nil && len(data) > 0 {
		return data, nil
	}
	if bak, berr := os.ReadFile(path + ".bak"); berr == nil && len(bak) > 0 {
		return bak, nil
	}
	return data, err
}
