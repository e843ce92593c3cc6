// Package transport carries remoting frames: a gnet event-loop server with a
// frozen route table and executor classes, per-connection state with
// server-initiated requests, and a small blocking client used for
// broker→NameServer calls, tools and tests.
//
// Concurrency: OnTraffic only splits frames, decodes envelopes and
// dispatches. Handlers of the Inline class run on the event loop and must
// not block; every other class runs on its own bounded worker pool.
// Responses from workers leave through gnet's AsyncWrite/AsyncWritev.
package transport
