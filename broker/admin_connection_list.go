package broker

// GET_CONSUMER_CONNECTION_LIST (203) and GET_PRODUCER_CONNECTION_LIST
// (204): mqadmin consumerConnection, producerConnection, consumerProgress
// (group overview) and the message track of queryMsgById.
//
// Mirrors AdminBrokerProcessor.getConsumerConnectionList and
// getProducerConnectionList (Apache RocketMQ 5.3.3).
//
// 203 header: consumerGroup*.
//  1. A group with no client online → CONSUMER_NOT_ONLINE (206) "the
//     consumer group[<g>] not online".
//  2. Body ConsumerConnection: connectionSet [{clientAddr, clientId,
//     language (LanguageCode name), version}], consumeFromWhere,
//     consumeType, messageModel (names, as last heard in a heartbeat) and
//     subscriptionTable {topic: SubscriptionData}. Connections are sorted
//     by client id (Java: a HashSet's order).
//
// 204 header: producerGroup*.
//  1. A group without connections → SYSTEM_ERROR "the producer group[<g>]
//     not exist".
//  2. Body ProducerConnection {"connectionSet":[Connection…]}.
//
// Responses: SUCCESS; CONSUMER_NOT_ONLINE (203); SYSTEM_ERROR.

import (
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// consumerConnection is Java's ConsumerConnection body.
type consumerConnection struct {
	ConnectionSet     []connInfo                        `json:"connectionSet"`
	ConsumeFromWhere  string                            `json:"consumeFromWhere,omitempty"`
	ConsumeType       string                            `json:"consumeType,omitempty"`
	MessageModel      string                            `json:"messageModel,omitempty"`
	SubscriptionTable map[string]codec.SubscriptionData `json:"subscriptionTable"`
}

// producerConnection is Java's ProducerConnection body.
type producerConnection struct {
	ConnectionSet []connInfo `json:"connectionSet"`
}

func (b *Broker) getConsumerConnectionList(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	group := rd.String("consumerGroup", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	g, ok := b.clients.consumerGroup(group)
	if !ok {
		return wire.NewResponse(r.Cmd, wire.ConsumerNotOnline, "the consumer group["+group+"] not online")
	}
	for topic, sd := range g.subs {
		// Java readers call tagsSet.contains(...): never send null sets.
		if sd.TagsSet == nil {
			sd.TagsSet = []string{}
		}
		if sd.CodeSet == nil {
			sd.CodeSet = codec.IntSet{}
		}
		g.subs[topic] = sd
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = codec.Encode(consumerConnection{ConnectionSet: g.conns, ConsumeFromWhere: g.consumeFromWhere,
		ConsumeType: g.consumeType, MessageModel: g.messageModel, SubscriptionTable: g.subs})
	return resp
}

func (b *Broker) getProducerConnectionList(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	group := rd.String("producerGroup", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	conns, ok := b.clients.producerGroup(group)
	if !ok {
		return wire.NewResponse(r.Cmd, wire.SystemError, "the producer group["+group+"] not exist")
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = codec.Encode(producerConnection{ConnectionSet: conns})
	return resp
}
