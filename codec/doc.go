// Package codec holds the formats more than one package reads or writes:
// typed request and response headers (ext fields), the JSON bodies clients
// and tools parse (TopicRouteData, ClusterInfo, HeartbeatData, ...), the
// message properties string and the commit-log message record.
//
// JSON bodies are written to match what fastjson produces in the Java
// broker (alphabetical keys, nulls omitted) and what the Go and C++ clients
// can parse (see the notes on each type).
package codec
