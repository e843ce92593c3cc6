// Package proxy serves RocketMQ 5's gRPC API (apache.rocketmq.v2
// MessagingService, the stubs in proxy/v2pb) on a broker, the way Apache's
// proxy does in local mode, so the 5.x official clients (Java, Go, C++, C#,
// Node.js, Python, Rust, PHP) connect to Booster by changing an endpoint.
//
// Every call is translated into the broker's own remoting requests and run
// in-process through broker.Local (broker/grpc_api.go): a gRPC send is a
// SEND_MESSAGE_V2, a receive a POP_MESSAGE, an ack an ACK_MESSAGE. Both
// protocols therefore share the store, message ids (UNIQ_KEY), properties,
// tags, keys, delay, timer, transaction, retry and DLQ semantics: what a
// gRPC client sends a remoting client receives, and the other way round.
//
// Each gRPC client (metadata x-mq-client-id) gets one broker.Session, a
// local connection the broker sees like a socket: producers are registered
// under each topic they publish to (the producer group of gRPC sends, as in
// Apache), so a transaction check-back reaches the client's Telemetry
// stream as a RecoverOrphanedTransactionCommand.
//
// Calls served: QueryRoute, Heartbeat, SendMessage, QueryAssignment,
// ReceiveMessage, AckMessage, ForwardMessageToDeadLetterQueue,
// EndTransaction, Telemetry, NotifyClientTermination,
// ChangeInvisibleDuration, and the pull consumer's GetOffset,
// UpdateOffset, QueryOffset and PullMessage (a PULL_MESSAGE; Apache's
// proxy serves none of these four). Other calls (RecallMessage,
// SyncLiteSubscription) answer gRPC UNIMPLEMENTED.
//
// As in Apache's proxy, a ReceiveMessage pops every queue of the topic
// whatever queue id the request names (the Node.js client always names
// queue 0), and the consumer's retry policy in the settings answer is the
// group's customized backoff (the delay levels), which the Node.js client
// does not implement: its push consumer gets one attempt per FIFO message.
//
// Differences from Apache's proxy: routes list this broker's queues only
// (each broker serves its own gRPC endpoint; Apache's cluster-mode proxy
// fronts every broker); auto_renew receives use a fixed 60 s invisible
// time without background renewal; transaction ids are the half message's
// offset message id (opaque to clients); a receive's attempt_id is
// ignored (a retried receive pops anew); RecallMessage is not served (the
// broker has no RECALL_MESSAGE), so send results carry no recall handle;
// a receive's invisible duration may be below Apache's 10 s minimum
// (minInvisibleTimeMillsForRecv) and its long polling outside Apache's
// 5-20 s bounds (only the call's deadline bounds it).
//
// Concurrency: a Server is safe for concurrent use; its client table is
// guarded by Server.mu, each client's telemetry outbox by client.mu.
//
// It imports broker, codec, compat, wire, proxy/v2pb and gRPC.
package proxy
