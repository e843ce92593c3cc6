package broker

// UPDATE_AND_CREATE_TOPIC (17), DELETE_TOPIC_IN_BROKER (215) and
// GET_TOPIC_CONFIG (351), mirroring Java's AdminBrokerProcessor.
//
// 17 header: topic*, defaultTopic*, readQueueNums*, writeQueueNums*, perm*,
// topicFilterType*, topicSysFlag, order*, attributes (+k=v,...), force.
//  1. The name is validated (29 INVALID_PARAMETER... Java answers 1 with the
//     validator's text for illegal names); system topics cannot be changed.
//  2. The config is stored, persisted and registered with the NameServers
//     at once.
//
// 215 header: topic*. Removes the topic config, its consume queues and
// offsets, then re-registers.
//
// 351 header: topic*. Body TopicConfig JSON; 17 when absent.

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) updateAndCreateTopic(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	tc := codec.TopicConfig{
		TopicName:       rd.String("topic", true),
		ReadQueueNums:   int(rd.Int32("readQueueNums", true)),
		WriteQueueNums:  int(rd.Int32("writeQueueNums", true)),
		Perm:            int(rd.Int32("perm", true)),
		TopicFilterType: rd.String("topicFilterType", false),
		TopicSysFlag:    int(rd.Int32("topicSysFlag", false)),
		Order:           rd.Bool("order", false),
		Attributes:      parseAttributes(rd.String("attributes", false)),
	}
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	if err := compat.ValidateTopic(tc.TopicName); err != nil {
		return wire.NewResponse(r.Cmd, wire.InvalidParameter, err.Error())
	}
	if tc.TopicName == b.conf().BrokerClusterName || tc.TopicName == compat.AutoCreateTopicKey && !b.conf().AutoCreateTopicEnable {
		return wire.NewResponse(r.Cmd, wire.SystemError, fmt.Sprintf("The topic[%s] is conflict with system topic.", tc.TopicName))
	}
	if tc.ReadQueueNums <= 0 || tc.WriteQueueNums <= 0 {
		return wire.NewResponse(r.Cmd, wire.InvalidParameter, "readQueueNums and writeQueueNums must be positive")
	}
	changed, err := b.topics.put(tc)
	if err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	if changed {
		b.log.Info("topic created or updated", "topic", tc.TopicName, "read", tc.ReadQueueNums, "write", tc.WriteQueueNums, "perm", tc.Perm, "remote", r.Conn.RemoteAddr())
		b.triggerRegister()
	}
	return wire.NewResponse(r.Cmd, wire.Success, "")
}

// parseAttributes reads "+k=v,+k2=v2" (a leading '-' deletes, ignored here).
func parseAttributes(s string) map[string]string {
	m := map[string]string{}
	for _, kv := range strings.Split(s, ",") {
		kv = strings.TrimSpace(kv)
		if !strings.HasPrefix(kv, "+") {
			continue
		}
		if k, v, ok := strings.Cut(kv[1:], "="); ok {
			m[k] = v
		}
	}
	return m
}

func (b *Broker) deleteTopicInBroker(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	topic := rd.String("topic", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	if _, err := b.topics.remove(topic); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	b.offsets.removeTopic(topic)
	if err := b.store.DeleteTopic(topic); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	b.triggerRegister()
	return wire.NewResponse(r.Cmd, wire.Success, "")
}

func (b *Broker) getTopicConfig(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	topic := rd.String("topic", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	tc, ok := b.topics.get(topic)
	if !ok {
		return wire.NewResponse(r.Cmd, wire.TopicNotExist, "No topic in this broker. topic: "+topic)
	}
	body, err := json.Marshal(struct {
		TopicConfig codec.TopicConfig `json:"topicConfig"`
	}{tc})
	if err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = body
	return resp
}
