package namesrv

// GET_NAMESRV_CONFIG (319): mqadmin getNamesrvConfig prints the
// configuration.
//
// Mirrors DefaultRequestProcessor.getConfig and
// Configuration.getAllConfigsFormatString (Apache RocketMQ 5.3.3).
//
// Header: none.
//
// Behaviour:
//  1. The body is Java properties text, one "key=value\n" per Config key,
//     sorted by key; durations in milliseconds. Java also lists its
//     NettyServerConfig tuning keys, which Booster does not have.
//
// Responses: SUCCESS.

import (
	"bytes"

	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (s *Server) getNamesrvConfig(r *transport.Request) *wire.Command {
	var buf bytes.Buffer
	_ = compat.WriteProperties(&buf, s.config().Properties())
	resp := success(r.Cmd)
	resp.Body = buf.Bytes()
	return resp
}
