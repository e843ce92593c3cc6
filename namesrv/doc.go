// Package namesrv is Booster's NameServer: brokers register their topics
// here, clients ask it where a topic's queues are, and operators keep a
// small KV table in it. It answers the same request codes, with the same
// response codes, remarks and bodies, as Apache RocketMQ's NameServer
// (namesrv module, 5.3.3), so the official clients, brokers and mqadmin
// work against it unchanged.
//
// Every request code it answers is a row of the route table in routes.go;
// each handler file is named after its Java request and opens with what it
// does. Everything else gets REQUEST_CODE_NOT_SUPPORTED from the transport.
//
// # State
//
// Route tables (routeTable, Java's RouteInfoManager), all in memory:
//
//	topics         topic → brokerName → QueueData{perm, read/writeQueueNums, topicSysFlag}
//	brokers        brokerName → BrokerData{cluster, brokerAddrs{id → "ip:port"}, zone, acting master}
//	clusters       cluster → {brokerName}
//	live           (cluster, brokerAddr) → {lastUpdate, timeout, DataVersion, connection, haServerAddr}
//	filterServers  (cluster, brokerAddr) → filter server addresses
//
// A route (GET_ROUTEINFO_BY_TOPIC) is the topic's QueueData plus the
// BrokerData of each broker group named in them. Only a master's (id 0)
// topic table, or a 5.x group's lowest-id slave's, defines QueueData;
// slaves only add their address. A broker process is removed when its
// heartbeat timeout passes without a registration or heartbeat (scanned
// every scanNotActiveBrokerInterval) and as soon as the connection it
// registered on closes. Removing a group's last address removes the group,
// its QueueData everywhere, topics left empty and, if empty, its cluster.
//
// KV table (kvStore, Java's KVConfigManager): namespace → key → value,
// written through to kvConfigPath on every change as Java's
// {"configTable":{namespace:{key:value}}}, atomically, with the previous
// version kept as kvConfigPath.bak. Namespace ORDER_TOPIC_CONFIG feeds
// orderTopicConf in routes and the REGISTER_BROKER response.
//
// # Concurrency
//
// Handlers run on the transport's Admin worker pool. routeTable has one
// RWMutex over all route tables: queries take the read lock, changes the
// write lock; a broker's lastUpdate is atomic so heartbeats need only the
// read lock. kvStore has its own RWMutex and holds it across the file
// write. No code path holds both locks. The configuration is an immutable
// snapshot behind an atomic pointer, replaced whole by UPDATE_NAMESRV_CONFIG.
// The expiry scan is one goroutine per Server; connection-close callbacks
// come from the transport. There is no package-level mutable state: several
// Servers can run in one process.
//
// namesrv imports wire, wire/transport, codec and compat.
package namesrv
