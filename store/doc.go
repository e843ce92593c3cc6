// Package store is the message store: a commit log of fixed-size mapped
// segments, one consume queue per topic queue and hash-indexed key files,
// in Java RocketMQ's on-disk layout, so a Booster broker and a Java broker
// can open each other's storePathRootDir.
//
// # Directory
//
//	<RootDir>/
//	  commitlog/00000000000000000000     segments of MappedFileSizeCommitLog
//	           00000000001073741824      bytes, named by their start offset
//	  consumequeue/<topic>/<queueId>/00000000000000000000
//	                                      files of 300000 units (6,000,000 B),
//	                                      named by their start byte offset
//	  index/20250102043000123             index files (420,000,040 B, sparse),
//	                                      named yyyyMMddHHmmssSSS at creation
//	  checkpoint                          one 4 KiB page
//	  abort                               present while open (holds the pid)
//	  lock                                flock'ed while open
//	  epochFileCheckpoint                 controller mode: "<epoch> <startOffset>"
//	                                      lines (epoch.go; written by the broker)
//
// # Commit-log record (all integers big-endian, IPv4 hosts, V1 magic)
//
//	 0  TOTALSIZE        int   whole record, these 4 bytes included
//	 4  MAGICCODE        int   0xDAA320A7 (V1) / 0xDAA320AB (V2: topic > 127 B)
//	 8  BODYCRC          int   crc32(body) & 0x7FFFFFFF
//	12  QUEUEID          int
//	16  FLAG             int
//	20  QUEUEOFFSET      long  patched under the append lock
//	28  PHYSICALOFFSET   long  the record's own offset, patched under the lock
//	36  SYSFLAG          int   0x10 / 0x20: born / store host is IPv6
//	40  BORNTIMESTAMP    long
//	48  BORNHOST         4+4   address + int port (16+4 when IPv6)
//	56  STORETIMESTAMP   long  patched under the lock
//	64  STOREHOST        4+4
//	72  RECONSUMETIMES   int
//	76  PREPAREDTXOFFSET long
//	84  BODYLEN, BODY    int + n
//	    TOPICLEN, TOPIC  byte (V1) or short (V2) + m
//	    PROPLEN, PROPS   short + p          TOTALSIZE = 91 + n + m + p
//
// A segment ends with the blank marker [int freeBytes][int 0xCBD43194]
// when the next batch plus 8 bytes would not fit; readers move on to the
// next segment there. A batch never spans segments.
//
// # Consume-queue unit (20 bytes; unit k at byte k*20)
//
//	0  commitLogOffset  long
//	8  size             int
//	12 tagsCode         long  String.hashCode of TAGS, or the delivery time
//	                          for SCHEDULE_TOPIC_XXXX
//
// A queue whose first file does not start at its first entry is padded
// with (0, 0x7FFFFFFF, 0) units. PREPARED and ROLLBACK transaction records
// get no unit.
//
// # Index file (Java's IndexFile; slots 5,000,000 and entries 20,000,000)
//
//	header  40 B   beginTimestamp, endTimestamp, beginPhyOffset,
//	               endPhyOffset (longs), hashSlotCount, indexCount (ints;
//	               indexCount is the next entry number and starts at 1)
//	slots   4 B    number of the newest entry whose keyHash % slots is it
//	entry   20 B   keyHash int, phyOffset long, timeDiff int (seconds since
//	               beginTimestamp), prevIndex int (older entry, same slot)
//
// keyHash is abs(String.hashCode("topic#key")), 0 for MIN_VALUE. Every
// record but ROLLBACK ones gets an entry for its UNIQ_KEY and one per
// non-empty KEYS token (split on single spaces). A full file starts a new
// one that continues from its end offset and time. Files are created
// sparse: the header and slots are allocated at once, entries 4 MiB at a
// time ahead of the writer (a write fault into an unallocated page of a
// full disk would be SIGBUS).
//
// # Checkpoint (4096 bytes)
//
//	0  physicMsgTimestamp  long  store time of the newest flushed record
//	8  logicsMsgTimestamp  long  same, for consume queues (thorough flushes)
//	16 indexMsgTimestamp   long  same, for index files (every queue flush)
//
// # Concurrency
//
//   - Store.mu is the one append lock. Put encodes and checksums records
//     before taking it; under it, it picks (or rolls) the segment, assigns
//     queue offsets, patches offsets and the store time into the encoded
//     records, copies the batch into the mapping and writes the consume
//     units. Queue creation and deletion also happen under it.
//   - Publication is by atomics in this order: commit-log bytes, then
//     commitLog.wrote, then the consume units, then consumeQueue.max.
//     A reader that loads a queue's max first sees every unit below it and
//     every record those units point at, complete.
//   - Readers take no lock except cqMu (read side) for the queue map. File
//     lists are copy-on-write snapshots. Every mapped file is
//     reference-counted: readers hold the segments their slices point
//     into, and a file is unmapped only after its last holder releases.
//   - Flushers (one for the commit log, one for consume queues and the
//     checkpoint) never take the append lock. They msync the dirty
//     page-aligned range between the flushed and published offsets.
//     SYNC_FLUSH is group commit: waiters register a target offset and kick
//     the flusher; one msync covers every waiter it reaches. Waiters are
//     pooled, so a sync Put allocates nothing.
//   - Index entries are written under the append lock after the consume
//     units (keys are hashed before it). A reader searches without locks:
//     it loads a slot atomically, and the entry it names and the chain
//     below it are complete and immutable.
//   - Replication (replica.go): a master's Put calls Replication.Appended
//     after every append and, when it waits, Replication.WaitAck after the
//     flush wait, outside the append lock. A slave's AppendReplica copies
//     the master's bytes under the append lock, publishes wrote (which may
//     then end inside a record), and dispatches each whole record to its
//     consume queue and the index with recovery's dispatchRecord,
//     publishing units as Put does; replPos (under the lock) is where the
//     next whole record starts. ReadCommitLog hands out held segment
//     slices like GetMessages.
//   - The first failed flush fences the store: Put answers
//     PutServiceNotAvailable from then on and Close leaves the abort file
//     so the next Open recovers as after a crash.
//   - TruncateTo (a slave rejoining after a failover) cuts the log and the
//     consume queues with recovery's functions, holding the consume-queue
//     flusher's lock and then the append lock (truncate.go).
//   - A spare segment is created (ftruncate + fallocate + mmap) by a
//     background goroutine before the current one fills up.
//   - Consume-queue files are mapped on first use and their descriptors
//     closed at once; a CLOCK cache keeps at most MaxMappedConsumeQueueFiles
//     mapped and unmaps the coldest (reference counts keep a mapping alive
//     for whoever holds it). So 50,000 queues cost neither 50,000
//     descriptors nor 50,000 of the kernel's 65,530 mappings. A dirty file
//     that was unmapped is synced through a descriptor, or with one
//     syncfs when there are many.
//
// # Retention
//
// A cleaner runs every CleanResourceInterval (see retention.go): it
// deletes the oldest expired segments (FileReservedTime hours after their
// last modification) at a DeleteWhen hour or when disk use is over
// DiskMaxUsedSpaceRatio, unexpired ones over DiskSpaceCleanForciblyRatio,
// at most DeleteFileBatchMax per run and never the segment being written.
// Then each queue's min offset moves to its first unit whose record still
// exists (a pull below it gets OffsetTooSmall with the new min) and the
// consume-queue and index files wholly below are deleted. Over
// DiskSpaceWarningLevelRatio Put answers PutServiceNotAvailable
// (ErrDiskFull) until use is back at DiskSpaceCleanForciblyRatio.
//
// # Recovery
//
// Open scans the last three segments after a clean stop, or all of them
// when the abort file says the last run crashed, and cuts the log at the
// first record whose magic, lengths, PHYSICALOFFSET or body CRC is wrong;
// after a crash it also drops the last record when it ends in a zero byte
// (its tail pages were lost: the CRC covers only the body, so zeros from
// inside the properties on pass every other check). Stale bytes after the
// cut are zeroed. Consume-queue units at or past the
// new end are dropped. Records without a unit are indexed again: after a
// crash from the newest segment whose first record predates the
// checkpoint (the oldest of its three timestamps) by 3 s, else from the
// highest offset any queue has indexed. After a crash the index file that
// holds that point keeps only its entries below it (up to the first torn
// entry), its slots are rebuilt, newer index files are deleted, and the
// records from there on are indexed again.
package store
