// Package transport carries remoting frames: a gnet event-loop server with a
// frozen route table and executor classes, per-connection state with
// server-initiated requests, and a small blocking client used for
// broker→NameServer calls, tools and tests.
//
// Concurrency: OnTraffic only splits frames, decodes envelopes and
// dispatches. Handlers of the Inline class run on the event loop and must
// not block; every other class runs on its own bounded worker pool fed by a
// workQueue. Responses from workers leave through gnet's
// AsyncWrite/AsyncWritev.
//
// Flow control and dead peers, as Java's NettyRemotingServer and
// BrokerFastFailure do it: a sweeper goroutine looks at the queue heads
// every 10 ms and answers requests older than their class's MaxWait
// SYSTEM_BUSY [TIMEOUT_CLEAN_QUEUE] (and every queued send while
// ServerConfig.Busy reports a congested store), and closes connections
// without reads or writes for IdleTimeout. A full queue answers
// [OVERLOAD] at once. Accepted sockets carry TCP keepalive; a connection
// past MaxConns is closed on accept; one whose peer leaves more than
// MaxPendingWrite bytes unread is closed from the event loop (checked after
// each write, where gnet's outbound buffer may be read). gnet stops its
// engine when accept fails (EMFILE); the server then starts a new one.
// Stop refuses new requests, runs the queued ones and writes their
// responses, and only then closes the connections.
//
// TLS (tls.go, tls_config.go): ServerConfig.TLSMode is Apache's
// tls.server.mode. A connection's first byte decides whether it is TLS
// (0x16); a TLS connection is served by one goroutine that runs
// crypto/tls over an in-memory net.Conn fed from OnTraffic and dispatches
// the decrypted frames itself, so its Inline handlers run on that
// goroutine, not on the loop. DialTLS and TLSConfig.Dial are the
// client side.
package transport
