package broker

// CONSUME_MESSAGE_DIRECTLY (309) from admin tools (mqadmin
// queryMsgById/consumeMessage with a client id), relayed to one client,
// mirroring Java's AdminBrokerProcessor.consumeMessageDirectly.
//
// Header: consumerGroup*, clientId, msgId (the offset msg id of a message
// stored here), topic, brokerName, topicSysFlag, groupSysFlag.
//
// Behaviour:
//  1. The broker sets brokerName to its own name and, when it knows them,
//     topicSysFlag (of topic) and groupSysFlag (of consumerGroup).
//  2. The message at the commit-log offset inside msgId becomes the body:
//     one raw record, as the client decodes it.
//  3. The request is relayed to the client as GET_CONSUMER_RUNNING_INFO
//     is (consumer_running_info.go); the client consumes the message with
//     its listener and answers ConsumeMessageDirectlyResult, which goes
//     back untouched.
//
// Response: the client's; 207 CONSUME_MSG_TIMEOUT after 10 s; 1 when the
// client is offline or the message cannot be found.
//
// Versions: Java relays with an empty body when msgId names another host
// or no message; the Go client then indexes an empty message list and
// panics, so Booster answers 1 instead.

import (
	"fmt"
	"strconv"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) consumeMessageDirectly(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	group := rd.String("consumerGroup", true)
	clientID := rd.String("clientId", false)
	msgID := rd.String("msgId", false)
	topic := rd.String("topic", false)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	r.Cmd.SetExt("brokerName", b.conf().BrokerName)
	if tc, ok := b.topics.get(topic); ok && topic != "" {
		r.Cmd.SetExt("topicSysFlag", strconv.Itoa(tc.TopicSysFlag))
	}
	if sg, ok := b.groups.get(group); ok {
		r.Cmd.SetExt("groupSysFlag", strconv.Itoa(sg.GroupSysFlag))
	}
	_, off, err := codec.DecodeOffsetMsgID(msgID)
	if err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, fmt.Sprintf("bad msgId %q: %v", msgID, err))
	}
	rec, err := b.store.LookupMessage(off)
	if err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, fmt.Sprintf("can not find message by msgId %s: %v", msgID, err))
	}
	return b.callConsumer(r, group, clientID, rec)
}
