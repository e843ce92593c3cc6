// Package ha will hold master/slave replication: its own framing, the
// master push loop, the slave report loop, and waiters for sync-replication
// acknowledgements (see the high-availability issue). It is empty until
// then; brokers run as standalone masters.
package ha
