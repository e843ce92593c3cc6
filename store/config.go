package store

import (
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Flush disk types (broker.conf flushDiskType).
const (
	AsyncFlush = "ASYNC_FLUSH"
	SyncFlush  = "SYNC_FLUSH"
)

// cqUnitSize is the size of one consume-queue unit:
// [long commitLogOffset][int size][long tagsCode].
const cqUnitSize = 20

// Config is the store part of broker.conf (Java's MessageStoreConfig). The
// conf tags are the Java keys; durations are milliseconds there.
type Config struct {
	// RootDir holds consumequeue/, checkpoint, abort and lock.
	RootDir string `conf:"storePathRootDir"`
	// CommitLogDir defaults to RootDir/commitlog.
	CommitLogDir string `conf:"storePathCommitLog"`
	// MappedFileSizeCommitLog is the commit-log segment size (1 GiB).
	MappedFileSizeCommitLog int64 `conf:"mappedFileSizeCommitLog"`
	// MappedFileSizeConsumeQueue is the consume-queue file size (300000
	// units of 20 bytes); Open rounds it up to a multiple of 20 like Java.
	MappedFileSizeConsumeQueue int64 `conf:"mappedFileSizeConsumeQueue"`
	// FlushDiskType is AsyncFlush (default) or SyncFlush.
	FlushDiskType string `conf:"flushDiskType"`
	// FlushIntervalCommitLog is the async flusher period (500 ms).
	FlushIntervalCommitLog time.Duration `conf:"flushIntervalCommitLog"`
	// FlushCommitLogLeastPages is how many dirty 4 KiB pages make an
	// async flush worth doing (4).
	FlushCommitLogLeastPages int `conf:"flushCommitLogLeastPages"`
	// FlushCommitLogThoroughInterval forces a flush of any dirty bytes (10 s).
	FlushCommitLogThoroughInterval time.Duration `conf:"flushCommitLogThoroughInterval"`
	// FlushIntervalConsumeQueue is the consume-queue flusher period (1 s).
	FlushIntervalConsumeQueue time.Duration `conf:"flushIntervalConsumeQueue"`
	// FlushConsumeQueueLeastPages (2) and FlushConsumeQueueThoroughInterval
	// (60 s) play the same roles for consume queues.
	FlushConsumeQueueLeastPages       int           `conf:"flushConsumeQueueLeastPages"`
	FlushConsumeQueueThoroughInterval time.Duration `conf:"flushConsumeQueueThoroughInterval"`
	// SyncFlushTimeout bounds a SYNC_FLUSH wait (5 s); past it Put answers
	// PutFlushDiskTimeout (the message is stored).
	SyncFlushTimeout time.Duration `conf:"syncFlushTimeout"`
	// MaxMessageSize limits a message body (4 MiB); a record may exceed it
	// by 64 KiB of header, topic and properties.
	MaxMessageSize int `conf:"maxMessageSize"`
	// MessageDelayLevel is the delay table of SCHEDULE_TOPIC_XXXX queues,
	// used to recompute their tag codes (delivery times) on recovery.
	MessageDelayLevel string `conf:"messageDelayLevel"`
	// CheckCRCOnRecover verifies body CRCs while recovering (true).
	CheckCRCOnRecover bool `conf:"checkCRCOnRecover"`
}

// DefaultConfig returns Java's defaults for a store rooted at root.
func DefaultConfig(root string) Config {
	return Config{
		RootDir:                           root,
		CommitLogDir:                      filepath.Join(root, "commitlog"),
		MappedFileSizeCommitLog:           1 << 30,
		MappedFileSizeConsumeQueue:        300000 * cqUnitSize,
		FlushDiskType:                     AsyncFlush,
		FlushIntervalCommitLog:            500 * time.Millisecond,
		FlushCommitLogLeastPages:          4,
		FlushCommitLogThoroughInterval:    10 * time.Second,
		FlushIntervalConsumeQueue:         time.Second,
		FlushConsumeQueueLeastPages:       2,
		FlushConsumeQueueThoroughInterval: 60 * time.Second,
		SyncFlushTimeout:                  5 * time.Second,
		MaxMessageSize:                    4 << 20,
		MessageDelayLevel:                 "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h",
		CheckCRCOnRecover:                 true,
	}
}

// minSegmentSize keeps segments page-aligned and big enough for a record.
const minSegmentSize = 4096

// Validate reports every problem of c at once.
func (c *Config) Validate() error {
	var errs []error
	if c.RootDir == "" {
		errs = append(errs, errors.New("storePathRootDir is empty"))
	}
	if c.MappedFileSizeCommitLog < minSegmentSize || c.MappedFileSizeCommitLog%minSegmentSize != 0 ||
		c.MappedFileSizeCommitLog > 1<<31-1 {
		errs = append(errs, fmt.Errorf("mappedFileSizeCommitLog %d must be a multiple of 4096 between 4096 and 2^31-1", c.MappedFileSizeCommitLog))
	}
	if c.MappedFileSizeConsumeQueue < cqUnitSize || c.MappedFileSizeConsumeQueue > 1<<31-1 {
		errs = append(errs, fmt.Errorf("mappedFileSizeConsumeQueue %d out of range", c.MappedFileSizeConsumeQueue))
	}
	if c.FlushDiskType != AsyncFlush && c.FlushDiskType != SyncFlush {
		errs = append(errs, fmt.Errorf("flushDiskType %q is neither %s nor %s", c.FlushDiskType, AsyncFlush, SyncFlush))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{
		{"flushIntervalCommitLog", c.FlushIntervalCommitLog},
		{"flushCommitLogThoroughInterval", c.FlushCommitLogThoroughInterval},
		{"flushIntervalConsumeQueue", c.FlushIntervalConsumeQueue},
		{"flushConsumeQueueThoroughInterval", c.FlushConsumeQueueThoroughInterval},
		{"syncFlushTimeout", c.SyncFlushTimeout},
	} {
		if d.v <= 0 {
			errs = append(errs, fmt.Errorf("%s must be positive, got %v", d.name, d.v))
		}
	}
	if c.FlushCommitLogLeastPages < 0 || c.FlushConsumeQueueLeastPages < 0 {
		errs = append(errs, errors.New("flush least pages must not be negative"))
	}
	if c.MaxMessageSize <= 0 {
		errs = append(errs, fmt.Errorf("maxMessageSize must be positive, got %d", c.MaxMessageSize))
	}
	if _, err := ParseDelayLevels(c.MessageDelayLevel); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// ParseDelayLevels parses Java's messageDelayLevel ("1s 5s 10s ... 2h";
// units s, m, h, d). Level n (from 1) is element n-1.
func ParseDelayLevels(s string) ([]time.Duration, error) {
	var out []time.Duration
	for _, f := range strings.Fields(s) {
		unit := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour}[f[len(f)-1]]
		n, err := strconv.ParseInt(f[:len(f)-1], 10, 64)
		if unit == 0 || err != nil || n < 0 {
			return nil, fmt.Errorf("messageDelayLevel: bad level %q", f)
		}
		out = append(out, time.Duration(n)*unit)
	}
	return out, nil
}

// normalized fills derived defaults.
func (c Config) normalized() Config {
	if c.CommitLogDir == "" {
		c.CommitLogDir = filepath.Join(c.RootDir, "commitlog")
	}
	if r := c.MappedFileSizeConsumeQueue % cqUnitSize; r != 0 {
		c.MappedFileSizeConsumeQueue += cqUnitSize - r
	}
	return c
}
