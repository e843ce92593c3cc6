// Package admin is the client side of the RocketMQ admin protocol over
// wire/transport: what Java's DefaultMQAdminExt asks the NameServers and
// brokers (cluster info, topic routes, runtime info, topic and consume
// stats, connection lists), shared by mqadmin and the web console.
//
// A Client keeps one connection per address, dialed on first use (over
// TLS when configured), and signs every request when an ACL account is
// set (AclClientRPCHook). Answers with a code other than SUCCESS are
// *CodeError values; bodies are decoded with Java's fastjson quirks
// normalised (codec.NormalizeFastJSON).
//
// Concurrency: a Client is safe for concurrent use.
//
// Imports: wire, wire/transport, codec, compat, acl; never broker,
// namesrv or store.
package admin
