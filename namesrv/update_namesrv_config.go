package namesrv

// UPDATE_NAMESRV_CONFIG (318): mqadmin updateNamesrvConfig changes settings
// at runtime.
//
// Mirrors DefaultRequestProcessor.updateConfig (Apache RocketMQ 5.3.3). This
// request was the vector of CVE-2023-37582 (kvConfigPath pointed at any
// file, then written through PUT_KV_CONFIG), so it is gated.
//
// Header: none. Body: Java properties text ("key=value\n").
//
// Behaviour:
//  1. An empty body changes nothing.
//  2. Text that does not parse → SYSTEM_ERROR "string2Properties error".
//  3. Any of configBlackList, configStorePath, kvConfigPath, rocketmqHome →
//     NO_PERMISSION "Can not update config in black list." (Java's code and
//     remark; nothing is applied).
//  4. Any key that is not runtime-updatable (see dynamicKeys: listenPort,
//     bindAddress, scanNotActiveBrokerInterval, and keys Booster does not
//     have, which Java would ignore) → SYSTEM_ERROR naming them; nothing is
//     applied.
//  5. Otherwise every value is parsed and applied together, or none is
//     (SYSTEM_ERROR naming the bad value). Unlike Java, the change is not
//     written to a namesrv.properties file.
//
// Responses: SUCCESS; NO_PERMISSION; SYSTEM_ERROR.

import (
	"bytes"
	"slices"
	"strings"

	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) updateNamesrvConfig(r *transport.Request) *wire.Command {
	if len(r.Cmd.Body) == 0 {
		return success(r.Cmd)
	}
	props, err := compat.ReadProperties(bytes.NewReader(r.Cmd.Body))
	if err != nil {
		return failure(r.Cmd, wire.SystemError, "string2Properties error")
	}
	var static []string
	for _, p := range props {
		if blackListed(p.Key) {
			s.log.Warn("update namesrv config: black-listed key refused", "key", p.Key, "remote", r.Conn.RemoteAddr())
			return failure(r.Cmd, wire.NoPermission, "Can not update config in black list.")
		}
		if !slices.Contains(dynamicKeys[:], p.Key) {
			static = append(static, p.Key)
		}
	}
	if len(static) > 0 {
		return failure(r.Cmd, wire.SystemError, "Can not update config at runtime: "+strings.Join(static, ", "))
	}

	s.cfgMu.Lock()
	defer s.cfgMu.Unlock()
	next := *s.config()
	for _, p := range props {
		if _, err := next.Set(p.Key, p.Value); err != nil {
			return failure(r.Cmd, wire.SystemError, err.Error())
		}
	}
	s.cfg.Store(&next)
	s.log.Info("namesrv config updated", "properties", string(r.Cmd.Body), "remote", r.Conn.RemoteAddr())
	return success(r.Cmd)
}
