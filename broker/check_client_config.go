package broker

// CHECK_CLIENT_CONFIG (46), mirroring Java's
// ClientManageProcessor.checkClientConfig. Java push consumers send it at
// start for each non-TAG subscription; the Go client never does.
//
// Body: CheckClientRequestBody {clientId, group, subscriptionData, namespace}.
//
// Behaviour:
//  1. No subscription, or a TAG one (expression type empty or TAG): 0.
//  2. enablePropertyFilter=false: 1 SYSTEM_ERROR "The broker does not
//     support consumer to filter message by <type>".
//  3. The expression is compiled as the pull path would compile it; an
//     unknown expression type or a SQL92 syntax error answers 23
//     SUBSCRIPTION_PARSE_FAILED with the parser's message.
//  4. Otherwise 0.
//
// A non-zero answer makes the Java consumer's start fail.

import (
	"encoding/json"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// checkClientRequestBody is CheckClientRequestBody.
type checkClientRequestBody struct {
	ClientID         string                  `json:"clientId"`
	Group            string                  `json:"group"`
	SubscriptionData *codec.SubscriptionData `json:"subscriptionData"`
	Namespace        string                  `json:"namespace"`
}

func (b *Broker) checkClientConfig(r *transport.Request) *wire.Command {
	var body checkClientRequestBody
	if len(r.Cmd.Body) > 0 {
		if err := json.Unmarshal(r.Cmd.Body, &body); err != nil {
			return wire.NewResponse(r.Cmd, wire.SystemError, "bad CheckClientRequestBody: "+err.Error())
		}
	}
	sd := body.SubscriptionData
	if sd == nil || isTagExpression(sd.ExpressionType) {
		return wire.NewResponse(r.Cmd, wire.Success, "")
	}
	if !b.conf().EnablePropertyFilter {
		return wire.NewResponse(r.Cmd, wire.SystemError, "The broker does not support consumer to filter message by "+sd.ExpressionType)
	}
	if _, err := compileExpression(sd.ExpressionType, sd.SubString); err != nil {
		b.log.Warn("client filter expression does not compile", "client", body.ClientID, "group", body.Group,
			"topic", sd.Topic, "expression", sd.SubString, "err", err, "remote", r.Conn.RemoteAddr())
		return wire.NewResponse(r.Cmd, wire.SubscriptionParseFailed, err.Error())
	}
	return wire.NewResponse(r.Cmd, wire.Success, "")
}
