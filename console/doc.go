// Package console is Booster's web console: one page (HTML, CSS and
// JavaScript embedded from static/, no build step) and the JSON API it
// calls, served with net/http on the broker's consolePort.
//
// The console asks the cluster what an admin tool would, over the
// remoting protocol: the NameServers for clusters, brokers, topics and
// routes, and each broker for runtime info, queue offsets, consumer
// offsets, connections, subscription groups and messages. So it shows
// every broker the NameServers know, Booster's or Apache's, not only the
// one it runs beside.
//
// API (every answer is JSON; an error is {"error": text} with 400 for bad
// input and 502 when the cluster failed):
//
//	GET  /api/cluster               clusters, brokers, runtime summary
//	GET  /api/stats                 one sample per broker for the live charts
//	GET  /api/topics                every topic and its kind
//	GET  /api/topic?topic=T         route, queues with offsets, consuming groups
//	POST /api/topic                 create or update a topic on a cluster's masters
//	GET  /api/groups                subscription groups with clients and lag
//	GET  /api/group?group=G         lag per queue, connected clients, config
//	POST /api/group                 create or update a group on a cluster's masters
//	GET  /api/message?id=I[&topic=T] a message by id (offset id or unique key)
//	GET  /api/message?topic=T&key=K messages by key
//	GET  /api/messages?topic=T&max=N the newest messages of a topic
//	GET  /api/dlq                   dead-letter topics with message counts
//
// The page asks for confirmation before it sends a POST.
//
// Concurrency: HTTP handlers run concurrently; the remoting connection
// pool (admin.Client) guards itself, and there is no other shared state.
//
// Imports: admin, codec, wire, wire/transport and compat (no broker or NameServer
// package: the console is a remoting client).
package console
