package broker

// GET_BROKER_CONFIG (26) and UPDATE_BROKER_CONFIG (25): mqadmin
// getBrokerConfig and updateBrokerConfig.
//
// Mirrors AdminBrokerProcessor.getBrokerConfig / updateBrokerConfig and
// Configuration.getAllConfigsFormatString (Apache RocketMQ 5.3.3).
//
// 26 header: none.
//  1. The body is Java properties text, one "key=value\n" per broker.conf
//     key Booster knows, sorted by key (Java sorts with a TreeMap);
//     durations in milliseconds.
//  2. Ext version is the configuration's DataVersion JSON: its counter
//     goes up with every update that changed something.
//
// 25 header: none. Body: Java properties text.
//  1. An empty body changes nothing and answers SUCCESS.
//  2. Text that does not parse → SYSTEM_ERROR "string2Properties error".
//  3. A key in the black list → NO_PERMISSION "Can not update config in
//     black list." (Java's code and remark), nothing applied. This request
//     was the vector of CVE-2023-33246 (rocketmqHome pointed at an
//     attacker's command): Java's list (configBlackList, brokerConfigPath,
//     rocketmqHome) is extended with every key naming a file or directory.
//  4. A key that only takes effect at start (ports, names, roles, store
//     layout and flushing) → SYSTEM_ERROR "Can not update config at
//     runtime: k1, k2 (restart the broker with them in broker.conf)";
//     an unknown key or a bad value → SYSTEM_ERROR naming it. Nothing is
//     applied then. Java sets such fields anyway, where they do nothing
//     until a restart that forgets them; Booster says so instead.
//  5. Otherwise every key is applied at once, as one new configuration
//     (readers see the old or the new one, never a mix). A changed
//     brokerPermission or namesrvAddr re-registers with the NameServers at
//     once; connections to NameServers no longer listed are closed, which
//     drops the broker from them. Like Java, the change lasts until the
//     broker restarts (Java's persisted copy is not read back at start).
//
// Responses: SUCCESS; NO_PERMISSION; SYSTEM_ERROR.

import (
	"bytes"
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// configBlackList are the keys UPDATE_BROKER_CONFIG refuses with
// NO_PERMISSION: Java's defaults and every path-like key.
var configBlackList = [...]string{
	"configBlackList", "brokerConfigPath", "rocketmqHome",
	"storePathRootDir", "storePathCommitLog", "storePathConsumeQueue", "storePathIndex",
	"storePathDLedgerCommitLog", "storePathEpochFile", "storePathBrokerIdentity",
	"storeCheckpoint", "abortFile", "kvConfigPath", "configStorePath",
}

func (b *Broker) getBrokerConfig(r *transport.Request) *wire.Command {
	props := b.conf().Properties()
	// Apache reads the tls.* keys as system properties, not broker config;
	// leaving them out also keeps the key passwords out of the answer.
	props = slices.DeleteFunc(props, func(p compat.Property) bool { return strings.HasPrefix(p.Key, "tls.") })
	sort.SliceStable(props, func(i, j int) bool { return props[i].Key < props[j].Key })
	var buf bytes.Buffer
	_ = compat.WriteProperties(&buf, props) // a bytes.Buffer does not fail
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = buf.Bytes()
	resp.SetExt("version", string(codec.Encode(codec.DataVersion{Counter: b.cfgVersion.Load(), Timestamp: b.cfgTime.Load()})))
	return resp
}

func (b *Broker) updateBrokerConfig(r *transport.Request) *wire.Command {
	if len(r.Cmd.Body) == 0 {
		return wire.NewResponse(r.Cmd, wire.Success, "")
	}
	props, err := compat.ReadProperties(bytes.NewReader(r.Cmd.Body))
	if err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, "string2Properties error")
	}
	for _, p := range props {
		if slices.Contains(configBlackList[:], p.Key) {
			b.log.Warn("update broker config: black-listed key refused", "key", p.Key, "remote", r.Conn.RemoteAddr())
			return wire.NewResponse(r.Cmd, wire.NoPermission, "Can not update config in black list.")
		}
	}
	changed, err := b.updateConfig(props)
	if err != nil {
		b.log.Info("update broker config refused", "err", err, "remote", r.Conn.RemoteAddr())
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	if len(changed) > 0 {
		b.log.Info("broker config updated", "keys", changed, "remote", r.Conn.RemoteAddr())
	}
	return wire.NewResponse(r.Cmd, wire.Success, "")
}

// runtimeKeys are the broker.conf keys UPDATE_BROKER_CONFIG applies while
// the broker runs: each is read from the current configuration at every
// use. Every other key is fixed at start.
var runtimeKeys = [...]string{
	"namesrvAddr", "brokerPermission", "autoCreateTopicEnable", "autoCreateSubscriptionGroup",
	"registerBrokerTimeoutMills", "longPollingEnable", "shortPollingTimeMills",
	"enablePropertyFilter", "filterSupportRetry", "rejectTransactionMessage",
	"transactionTimeOut", "transactionCheckMax", "timerMaxDelaySec",
	"storeReplyMessageEnable", "transferMsgByHeap", "defaultMessageRequestMode",
	"defaultPopShareQueueNum", "popFromRetryProbability", "popPollingSize", "maxPopPollingSize",
}

// updateConfig applies props to a copy of the configuration and swaps it
// in, all or nothing. It returns the keys whose value changed.
func (b *Broker) updateConfig(props []compat.Property) ([]string, error) {
	b.cfgMu.Lock()
	defer b.cfgMu.Unlock()
	cur := b.conf()
	next := *cur
	var static []string
	for _, p := range props {
		if !slices.Contains(runtimeKeys[:], p.Key) {
			static = append(static, p.Key)
			continue
		}
		if _, err := next.Set(p.Key, p.Value); err != nil {
			return nil, fmt.Errorf("%s: %v", p.Key, err)
		}
	}
	if len(static) > 0 {
		return nil, fmt.Errorf("Can not update config at runtime: %s (restart the broker with them in broker.conf)", strings.Join(static, ", "))
	}
	if err := next.Validate(); err != nil {
		return nil, err
	}
	old, now := propertyMap(cur), propertyMap(&next)
	var changed []string
	for _, p := range props {
		if old[p.Key] != now[p.Key] && !slices.Contains(changed, p.Key) {
			changed = append(changed, p.Key)
		}
	}
	if len(changed) == 0 {
		return nil, nil
	}
	b.cfg.Store(&next)
	b.cfgVersion.Add(1)
	b.cfgTime.Store(time.Now().UnixMilli())
	if slices.Contains(changed, "namesrvAddr") {
		b.dropNameServers(next.NamesrvAddrs())
	}
	if slices.Contains(changed, "namesrvAddr") || slices.Contains(changed, "brokerPermission") {
		b.topics.touch()
		b.triggerRegister()
	}
	return changed, nil
}

func propertyMap(c *Config) map[string]string {
	m := map[string]string{}
	for _, p := range c.Properties() {
		m[p.Key] = p.Value
	}
	return m
}
