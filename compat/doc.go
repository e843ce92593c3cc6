// Package compat holds the Java behaviours that RocketMQ bytes depend on:
// String.hashCode (tag codes in consume queues), 20-digit offset file names,
// fixed topic names, version and language enums, and the Java-properties
// reader used for broker.conf and namesrv.conf.
//
// It imports only the standard library. Every function is pinned by a table
// of values computed by the Java classes it mirrors.
package compat
