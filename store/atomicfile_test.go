package store

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestWriteFileAtomic(t *testing.T) {
	path := filepath.Join(t.TempDir(), "config", "topics.json")
	if _, err := ReadFileWithBak(path); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("missing file: %v", err)
	}
	if err := WriteFileAtomic(path, []byte("v1")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(path + ".bak"); !os.IsNotExist(err) {
		t.Fatal("backup of nothing written")
	}
	if err := WriteFileAtomic(path, []byte("v2")); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(path + ".bak"); string(b) != "v1" {
		t.Fatalf("backup holds %q", b)
	}
	if b, err := ReadFileWithBak(path); err != nil || string(b) != "v2" {
		t.Fatalf("read %q %v", b, err)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Fatal("tmp file left")
	}
	// A lost or emptied file falls back to the backup.
	if err := os.WriteFile(path, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	if b, err := ReadFileWithBak(path); err != nil || string(b) != "v1" {
		t.Fatalf("empty file: %q %v", b, err)
	}
	os.Remove(path)
	if b, err := ReadFileWithBak(path); err != nil || string(b) != "v1" {
		t.Fatalf("missing file: %q %v", b, err)
	}
}
