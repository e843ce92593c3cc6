// Package ha is classic master/slave replication of the commit log, on the
// wire protocol of Apache RocketMQ's DefaultHAService (4.x and the 5.x
// default mode), so a Booster slave can follow a Java master and the
// other way round.
//
// # Wire protocol (raw TCP on the master's haListenPort, big-endian)
//
//	slave → master   [long maxPhyOffset]              8 bytes
//	master → slave   [long phyOffset][int size][size bytes of commit log]
//
// The slave's reports are its commit-log end (MaxPhyOffset, which may end
// inside a record). The first one fixes where the master starts: 0 means
// "the beginning of your newest segment" (a fresh slave gets no older
// history), anything else that offset. Every later one is an
// acknowledgement. The slave reports after each batch of frames it has
// applied and at least every HeartbeatInterval.
//
// The master sends frames of at most TransferBatchSize bytes, never
// spanning two segments; they may cut records anywhere, and a segment's
// blank end marker and the unused bytes after it travel like records. When
// idle it sends a frame with size 0 (a heartbeat naming the next offset)
// every HeartbeatInterval. The slave drops the connection when a frame's
// offset is not its own end (unless its log is empty), and either side
// drops it after HousekeepingInterval without traffic.
//
// # Sync replication
//
// A SYNC_MASTER's Put (with WAIT=true) waits in WaitAck until the highest
// offset any slave acknowledged covers the end of its messages. Waiters
// sit in one list; each acknowledgement releases every waiter it covers,
// so one round trip to the slave serves all the producers that wrote
// meanwhile (the group commit of store/flush.go, with the slave in place
// of the disk). With no slave connected, or the best slave more than
// MaxGapNotInSync bytes behind, Put answers SLAVE_NOT_AVAILABLE at once;
// after SlaveTimeout, FLUSH_SLAVE_TIMEOUT. Both still mean the messages are
// stored on the master (Apache 4.x semantics).
//
// # Controller mode
//
// With a controller (package controller), a slave opens each connection
// with the epoch handshake (handshake.go): it names its brokerId and epoch
// table, and cuts its log at the point where it stops agreeing with the
// master's before reporting. The master then knows its slaves by brokerId
// and, once given the SyncStateSet (SetSyncStateSet), a sync send waits
// until every slave of the set has acknowledged it (Apache 5's
// allAckInSyncStateSet), succeeding at once when the set is the master
// alone and answering FLUSH_SLAVE_TIMEOUT after SlaveTimeout otherwise.
//
// # Concurrency
//
//   - Master: one accept goroutine; per slave a reader goroutine (reports)
//     and a writer goroutine (frames). The writer reads published bytes
//     from the store without locks (store.ReadCommitLog holds the segment)
//     and is woken by Appended, which Put calls after every append; it
//     gathers up to maxWriteBatch bytes of frames into one writev.
//   - The connection list is a copy-on-write snapshot, so Appended takes
//     no lock. waitMu guards the waiter list and is a leaf lock.
//   - Slave: one goroutine dials and reads frames, appends them with
//     store.AppendReplica (which dispatches whole records to the slave's
//     consume queues and index) and reports; a second one sends the
//     periodic report. wmu serialises writes to the connection.
//
// Package ha imports store, codec and compat only: a few long-lived bulk
// streams need stdlib net, not an event loop.
package ha
