// Package conformance holds no production code: its tests drive the official
// Apache RocketMQ Go client (github.com/apache/rocketmq-client-go/v2) against
// a Booster NameServer and broker started by internal/testcluster, and check
// that the client sees what it would see against Apache RocketMQ itself.
//
// The same tests run against a real Apache RocketMQ cluster when
// BOOSTER_TEST_NAMESRV names its NameServer (tests that must restart the
// broker skip then), which is how their expectations are kept honest; every
// test uses topic and group names that are unique per run so reruns against a
// persistent cluster do not collide. BOOSTER_TEST_CLIENT_LOG sets the Go
// client's log level (default "error").
package conformance
