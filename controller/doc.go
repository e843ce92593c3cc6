// Package controller is Booster's RocketMQ 5 controller: it keeps, for
// every broker set (cluster and brokerName), the registered replicas, the
// master, the master epoch and the SyncStateSet, and elects a new master
// from the live members of the SyncStateSet when the master's heartbeats
// stop (Apache's controller mode, with hashicorp/raft in place of
// DLedger).
//
// It runs embedded in a NameServer (enableControllerInNamesrv=true) or
// alone (booster controller -c controller.conf). Each controller serves
// the remoting requests on its controllerPeers address; raft runs on the
// same host, port + 1.
//
// State: the replicated state machine (fsm.go) changes only through raft
// log entries, JSON commands applied in order on every controller, and is
// snapshotted as JSON. Liveness (heartbeat.go) is kept apart, per
// controller, as Apache keeps it: brokers heartbeat to every controller.
// Elections are decided by the leader (who alone acts on liveness) and
// proposed as a command naming the expected old master and epoch, so a
// stale decision is fenced by the state machine.
//
// On disk (controllerStorePath/<selfId>): raft.db (bbolt: the raft log
// and stable store) and snapshots/.
//
// Imports: wire, wire/transport, codec, compat, hashicorp/raft.
package controller
