package store

import (
	"errors"
	"fmt"
	"math"
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
	// OSPageCacheBusyTimeOutMills is how long one append may hold the
	// append lock before the store counts as congested (1 s); see
	// Store.OSPageCacheBusy.
	OSPageCacheBusyTimeOutMills time.Duration `conf:"osPageCacheBusyTimeOutMills"`
	// MaxMessageSize limits a message body (4 MiB); a record may exceed it
	// by 64 KiB of header, topic and properties.
	MaxMessageSize int `conf:"maxMessageSize"`
	// MessageDelayLevel is the delay table of SCHEDULE_TOPIC_XXXX queues,
	// used to recompute their tag codes (delivery times) on recovery.
	MessageDelayLevel string `conf:"messageDelayLevel"`
	// CheckCRCOnRecover verifies body CRCs while recovering (true).
	CheckCRCOnRecover bool `conf:"checkCRCOnRecover"`

	// MessageIndexEnable turns the index/ files on (true).
	MessageIndexEnable bool `conf:"messageIndexEnable"`
	// MaxHashSlotNum (5,000,000) and MaxIndexNum (20,000,000) size an
	// index file: 40 + slots*4 + entries*20 bytes. Changing them makes
	// existing index files unreadable.
	MaxHashSlotNum int `conf:"maxHashSlotNum"`
	MaxIndexNum    int `conf:"maxIndexNum"`
	// MaxMsgsNumBatch caps what one QueryMessage returns (64).
	MaxMsgsNumBatch int `conf:"maxMsgsNumBatch"`
	// DefaultQueryMaxNum is what QUERY_MESSAGE asks for when it looks up a
	// unique key (32).
	DefaultQueryMaxNum int `conf:"defaultQueryMaxNum"`

	// FileReservedTime is how many hours a commit-log segment is kept
	// after its last modification (72).
	FileReservedTime int `conf:"fileReservedTime"`
	// DeleteWhen lists the hours (local time, ';'-separated, "04") at which
	// expired segments are deleted when the disk is not under pressure.
	DeleteWhen string `conf:"deleteWhen"`
	// DiskMaxUsedSpaceRatio (75, clamped to 10..95): above this percentage
	// of disk use expired segments are deleted at any hour.
	DiskMaxUsedSpaceRatio int `conf:"diskMaxUsedSpaceRatio"`
	// DiskSpaceCleanForciblyRatio (85, clamped to 30..85): above it the
	// oldest segments are deleted even before they expire.
	DiskSpaceCleanForciblyRatio int `conf:"diskSpaceCleanForciblyRatio"`
	// DiskSpaceWarningLevelRatio (90, clamped to 35..90): above it the disk
	// counts as full and Put answers PutServiceNotAvailable until use falls
	// to DiskSpaceCleanForciblyRatio again.
	DiskSpaceWarningLevelRatio int `conf:"diskSpaceWarningLevelRatio"`
	// CleanFileForciblyEnable allows deleting unexpired segments under disk
	// pressure (true).
	CleanFileForciblyEnable bool `conf:"cleanFileForciblyEnable"`
	// CleanResourceInterval is the period of the retention check (10 s).
	CleanResourceInterval time.Duration `conf:"cleanResourceInterval"`
	// DeleteCommitLogFilesInterval is the pause between two segment
	// deletions (100 ms).
	DeleteCommitLogFilesInterval time.Duration `conf:"deleteCommitLogFilesInterval"`
	// DeleteFileBatchMax is the most segments one check deletes (10).
	DeleteFileBatchMax int `conf:"deleteFileBatchMax"`
	// DiskUsage reports the used fraction (0..1) of the file system that
	// holds path. Nil means statfs, rounded up to whole percents as Java
	// does; tests replace it to simulate a full disk.
	DiskUsage func(path string) (float64, error)

	// MaxMappedConsumeQueueFiles bounds how many consume-queue files are
	// mapped at once (16384; Booster only). Files are mapped on first use
	// and the coldest are unmapped past the bound, so tens of thousands of
	// queues cost neither file descriptors nor mappings beyond it (Linux
	// allows 65530 mappings per process by default). Queues written in
	// turn beyond the bound pay a map and unmap each (about 30 µs instead
	// of 3 µs per message).
	MaxMappedConsumeQueueFiles int `conf:"maxMappedConsumeQueueFiles"`
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
		OSPageCacheBusyTimeOutMills:       time.Second,
		MaxMessageSize:                    4 << 20,
		MessageDelayLevel:                 "1s 5s 10s 30s 1m 2m 3m 4m 5m 6m 7m 8m 9m 10m 20m 30m 1h 2h",
		CheckCRCOnRecover:                 true,
		MessageIndexEnable:                true,
		MaxHashSlotNum:                    5_000_000,
		MaxIndexNum:                       20_000_000,
		MaxMsgsNumBatch:                   64,
		DefaultQueryMaxNum:                32,
		FileReservedTime:                  72,
		DeleteWhen:                        "04",
		DiskMaxUsedSpaceRatio:             75,
		DiskSpaceCleanForciblyRatio:       85,
		DiskSpaceWarningLevelRatio:        90,
		CleanFileForciblyEnable:           true,
		CleanResourceInterval:             10 * time.Second,
		DeleteCommitLogFilesInterval:      100 * time.Millisecond,
		DeleteFileBatchMax:                10,
		MaxMappedConsumeQueueFiles:        16384,
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
		{"cleanResourceInterval", c.CleanResourceInterval},
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
	if c.MaxHashSlotNum <= 0 || c.MaxIndexNum <= 0 ||
		indexHeaderSize+int64(c.MaxHashSlotNum)*indexSlotSize+int64(c.MaxIndexNum)*indexEntrySize > math.MaxInt32 {
		errs = append(errs, fmt.Errorf("maxHashSlotNum %d and maxIndexNum %d must be positive and give an index file under 2 GiB", c.MaxHashSlotNum, c.MaxIndexNum))
	}
	if c.MaxMsgsNumBatch <= 0 || c.DefaultQueryMaxNum <= 0 {
		errs = append(errs, errors.New("maxMsgsNumBatch and defaultQueryMaxNum must be positive"))
	}
	if c.FileReservedTime < 0 {
		errs = append(errs, fmt.Errorf("fileReservedTime must not be negative, got %d", c.FileReservedTime))
	}
	if _, err := ParseDeleteWhen(c.DeleteWhen); err != nil {
		errs = append(errs, err)
	}
	if c.DeleteCommitLogFilesInterval < 0 || c.DeleteFileBatchMax <= 0 {
		errs = append(errs, errors.New("deleteCommitLogFilesInterval must not be negative and deleteFileBatchMax must be positive"))
	}
	if c.MaxMappedConsumeQueueFiles <= 0 {
		errs = append(errs, fmt.Errorf("maxMappedConsumeQueueFiles must be positive, got %d", c.MaxMappedConsumeQueueFiles))
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

// ParseDeleteWhen parses deleteWhen: hours of the day separated by ';'.
func ParseDeleteWhen(s string) ([]int, error) {
	var hours []int
	for _, f := range strings.Split(s, ";") {
		h, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || h < 0 || h > 23 {
			return nil, fmt.Errorf("deleteWhen: bad hour %q in %q", f, s)
		}
		hours = append(hours, h)
	}
	return hours, nil
}

// clampRatio applies Java's bounds to a disk ratio setting.
func clampRatio(v, lo, hi int) int { return min(max(v, lo), hi) }

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
