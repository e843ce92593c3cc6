package namesrv

// QUERY_DATA_VERSION (322): a broker asks whether its topic table changed
// since its last registration here, to skip a full registration
// (BrokerOuterAPI.needRegister, used when forceRegister is off).
//
// Mirrors DefaultRequestProcessor.queryBrokerTopicConfig (Apache RocketMQ 5.3.3).
//
// Header (QueryDataVersionRequestHeader): brokerName*, brokerAddr*,
// clusterName*, brokerId* (long). Body: the broker's DataVersion JSON.
//
// Behaviour:
//  1. changed = no registration of (clusterName, brokerAddr) is known, no
//     DataVersion was sent, or it differs from the registered one.
//  2. The process's liveness is refreshed.
//  3. The response carries ext changed ("true"/"false") and, when the
//     process is registered, its registered DataVersion as body.
//
// Responses: SUCCESS; SYSTEM_ERROR for a missing header field.

import (
	"encoding/json"
	"strconv"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) queryDataVersion(r *transport.Request) *wire.Command {
	h := codec.NewExtReader(r.Cmd)
	h.String("brokerName", true)
	key := brokerAddrKey{addr: h.String("brokerAddr", true), cluster: h.String("clusterName", true)}
	h.Int64("brokerId", true)
	if err := h.Err(); err != nil {
		return badHeader(r.Cmd, err)
	}
	var dv *codec.DataVersion
	if len(r.Cmd.Body) > 0 {
		var v codec.DataVersion
		if json.Unmarshal(r.Cmd.Body, &v) == nil {
			dv = &v
		}
	}
	changed, current := s.routes.queryDataVersion(key, dv, time.Now())
	resp := success(r.Cmd)
	resp.SetExt("changed", strconv.FormatBool(changed))
	if current != nil {
		resp.Body = encodeJSON(current)
	}
	return resp
}
