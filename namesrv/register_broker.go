package namesrv

// REGISTER_BROKER (103): a broker announces itself and its topic table, at
// start, every registerNameServerPeriod (30 s) and after topic changes.
//
// Mirrors DefaultRequestProcessor.registerBroker and
// RouteInfoManager.registerBroker (namesrv module, Apache RocketMQ 5.3.3).
//
// Header (RegisterBrokerRequestHeader): brokerName*, brokerAddr* ("ip:port"),
// clusterName*, haServerAddr, brokerId* (long), heartbeatTimeoutMillis
// (long), enableActingMaster (bool, absent before 5.0), compressed (bool),
// bodyCrc32 (int); plain ext field __ZONE_NAME.
// Body: RegisterBrokerBody as JSON, or its compressed form when
// compressed=true (codec.DecodeCompressedRegisterBrokerBody). An empty body
// registers the broker with no topics.
//
// Behaviour:
//  1. bodyCrc32 ≠ 0 and ≠ CRC32-IEEE(body) & 0x7fffffff (Java's UtilAll.crc32)
//     → SYSTEM_ERROR "crc32 not match".
//  2. The body is decoded; fastjson's unquoted numeric map keys (static
//     topic mappings) are accepted.
//  3. The broker name joins its cluster; the broker group is created if new;
//     enableActingMaster and the zone name are taken from this request.
//  4. An address registered under another id of the group loses that id
//     (slave switched to master).
//  5. If another address holds this id with a larger stateVersion, the
//     request is ignored (SUCCESS, nothing returned).
//  6. An unknown id registering exactly one topic is an incremental
//     registration before a full one → SYSTEM_ERROR "register broker failed".
//     (A test broker must register zero or at least two topics first.)
//  7. The topic table of a master (id 0), or of the lowest-id slave of a 5.x
//     broker (enableActingMaster present; write perm wiped when it is true),
//     becomes QueueData, for each topic only when the group registers for
//     the first time, the DataVersion differs from the process's previous
//     one, or the topic lacks this group's QueueData. With
//     deleteTopicWithBrokerRegistration, the group's topics the table omits
//     are dropped.
//  8. Liveness is recorded: now, heartbeatTimeoutMillis (default 120 s), the
//     DataVersion, the connection (closing it unregisters the broker), the
//     HA address.
//  9. A slave gets ext masterAddr and haServerAddr of its live master.
//  10. With returnOrderTopicConfigToBroker (default), the body is the KVTable
//     of namespace ORDER_TOPIC_CONFIG, when that namespace exists.
//
// Responses: SUCCESS; SYSTEM_ERROR (crc32, undecodable body, step 6,
// missing header field). Static-topic mapping info is accepted but not
// served in routes (topicQueueMappingByBroker).

import (
	"encoding/json"
	"hash/crc32"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// zoneNameKey is the ext field carrying the broker's zone (MixAll.ZONE_NAME).
const zoneNameKey = "__ZONE_NAME"

func (s *Server) registerBroker(r *transport.Request) *wire.Command {
	req := r.Cmd
	h := codec.NewExtReader(req)
	reg := registration{
		name:         h.String("brokerName", true),
		addr:         h.String("brokerAddr", true),
		cluster:      h.String("clusterName", true),
		haServerAddr: h.String("haServerAddr", false),
		id:           h.Int64("brokerId", true),
		timeout:      time.Duration(h.Int64("heartbeatTimeoutMillis", false)) * time.Millisecond,
		zone:         req.ExtValue(zoneNameKey),
		conn:         r.Conn,
	}
	if h.Has("enableActingMaster") {
		v := h.Bool("enableActingMaster", false)
		reg.actingMaster = &v
	}
	compressed := h.Bool("compressed", false)
	bodyCRC := h.Int32("bodyCrc32", false)
	if err := h.Err(); err != nil {
		return badHeader(req, err)
	}
	if bodyCRC != 0 && int32(crc32.ChecksumIEEE(req.Body)&0x7fffffff) != bodyCRC {
		s.log.Warn("register broker: crc32 not match", "remote", r.Conn.RemoteAddr(), "broker", reg.name)
		return failure(req, wire.SystemError, "crc32 not match")
	}
	body, err := decodeRegisterBrokerBody(req.Body, compressed, req.Version)
	if err != nil {
		return failure(req, wire.SystemError, "Failed to decode RegisterBrokerBody: "+err.Error())
	}
	reg.topics = body.TopicConfigSerializeWrapper
	reg.filterSrvs = body.FilterServerList

	cfg := s.config()
	res, ok := s.routes.register(&reg, cfg.DeleteTopicWithBrokerRegistration, time.Now())
	if !ok {
		return failure(req, wire.SystemError, "register broker failed")
	}
	if res.newProcess {
		s.log.Info("new broker registered", "cluster", reg.cluster, "broker", reg.name, "id", reg.id, "addr", reg.addr, "ha", reg.haServerAddr, "remote", r.Conn.RemoteAddr())
	}

	resp := success(req)
	if res.haServerAddr != "" {
		resp.SetExt("haServerAddr", res.haServerAddr)
	}
	if res.masterAddr != "" {
		resp.SetExt("masterAddr", res.masterAddr)
	}
	if cfg.ReturnOrderTopicConfigToBroker {
		if kv, ok := s.kv.namespace(NamespaceOrderTopicConfig); ok {
			resp.Body = encodeJSON(codec.KVTable{Table: kv})
		}
	}
	return resp
}

// decodeRegisterBrokerBody decodes either form of RegisterBrokerBody.
func decodeRegisterBrokerBody(data []byte, compressed bool, version int32) (*codec.RegisterBrokerBody, error) {
	if len(data) == 0 {
		return &codec.RegisterBrokerBody{}, nil
	}
	if compressed {
		return codec.DecodeCompressedRegisterBrokerBody(data, version)
	}
	var body codec.RegisterBrokerBody
	if err := json.Unmarshal(data, &body); err != nil {
		// Java brokers write Integer-keyed maps (static topic mappings)
		// with bare numeric keys; retry after quoting them.
		body = codec.RegisterBrokerBody{}
		if json.Unmarshal(codec.QuoteNumericKeys(data), &body) != nil {
			return nil, err
		}
	}
	return &body, nil
}
