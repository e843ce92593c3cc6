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
//  2. Ext version is the configuration's DataVersion JSON. Booster's
//     configuration never changes at runtime, so its counter stays 0.
//
// 25 header: none. Body: Java properties text.
//  1. An empty body changes nothing and answers SUCCESS.
//  2. Text that does not parse → SYSTEM_ERROR "string2Properties error".
//  3. A key in the black list → NO_PERMISSION "Can not update config in
//     black list." (Java's code and remark), nothing applied. This request
//     was the vector of CVE-2023-33246 (rocketmqHome pointed at an
//     attacker's command): Java's list (configBlackList, brokerConfigPath,
//     rocketmqHome) is extended with every key naming a file or directory.
//  4. Any other key → SYSTEM_ERROR "Can not update config at runtime: k1,
//     k2 (restart the broker with them in broker.conf)", nothing applied.
//     Booster reads its configuration without synchronization on the send
//     and pull paths, so no key is runtime-updatable yet; unlike Java, which
//     ignores unknown keys and applies the rest, nothing is applied
//     silently.
//
// Responses: SUCCESS; NO_PERMISSION; SYSTEM_ERROR.

import (
	"bytes"
	"slices"
	"sort"
	"strings"

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
	props := b.cfg.Properties()
	sort.SliceStable(props, func(i, j int) bool { return props[i].Key < props[j].Key })
	var buf bytes.Buffer
	_ = compat.WriteProperties(&buf, props) // a bytes.Buffer does not fail
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = buf.Bytes()
	resp.SetExt("version", string(codec.Encode(codec.DataVersion{})))
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
	var keys []string
	for _, p := range props {
		if slices.Contains(configBlackList[:], p.Key) {
			b.log.Warn("update broker config: black-listed key refused", "key", p.Key, "remote", r.Conn.RemoteAddr())
			return wire.NewResponse(r.Cmd, wire.NoPermission, "Can not update config in black list.")
		}
		keys = append(keys, p.Key)
	}
	if len(keys) == 0 {
		return wire.NewResponse(r.Cmd, wire.Success, "")
	}
	b.log.Info("update broker config refused: not runtime-updatable", "keys", keys, "remote", r.Conn.RemoteAddr())
	return wire.NewResponse(r.Cmd, wire.SystemError,
		"Can not update config at runtime: "+strings.Join(keys, ", ")+" (restart the broker with them in broker.conf)")
}
