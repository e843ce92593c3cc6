// Package broker is a RocketMQ broker: topic and subscription-group
// configuration, consumer offsets, client (producer and consumer) tables,
// the send and pull paths with long polling, registration with the
// NameServers, and the broker's single route table (routes.go).
//
// Request path: transport decodes a frame and dispatches it by code to a
// handler on its executor class (send, pull, heartbeat, admin). Handlers
// read typed ext fields through codec, call the store, and return the
// response; pull responses with messages are written by the handler itself
// as a vectored write of the mapped commit-log records, and suspended pulls
// (long polling) are answered later by pullHold.
//
// Metadata lives under storePathRootDir/config in Java's file names and
// JSON shapes (topics.json, consumerOffset.json, subscriptionGroup.json),
// written atomically.
//
// Concurrency: every table (topicTable, offsetTable, groupTable,
// clientTable, pullHold) guards itself with its own mutex; no handler
// holds two of them at once. Lock order where it matters: pullHold.mu is
// never held while calling the store or writing to a connection.
package broker
