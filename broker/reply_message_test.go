package broker_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

// replyProps is a reply's properties as consumer.CreateReplyMessage makes
// them.
func replyProps(replyTo string) string {
	var p []byte
	p = codec.AppendProperty(p, codec.PropertyMessageType, "reply")
	p = codec.AppendProperty(p, codec.PropertyCorrelationID, "corr-1")
	p = codec.AppendProperty(p, codec.PropertyReplyToClient, replyTo)
	p = codec.AppendProperty(p, codec.PropertyMessageTTL, "3")
	return string(p)
}

// sendReply is a SEND_REPLY_MESSAGE (324) as the Go client sends it.
func sendReply(topic, props string, body []byte) *wire.Command {
	req := adminReq(wire.SendReplyMessage, "producerGroup", "ReplierPG", "topic", topic, "defaultTopic", "TBW102",
		"defaultTopicQueueNums", "4", "queueId", "0", "sysFlag", "0", "bornTimestamp", strconv.FormatInt(time.Now().UnixMilli(), 10),
		"flag", "0", "properties", props, "reconsumeTimes", "0", "unitMode", "false", "batch", "false", "bname", "broker-a")
	req.Body = body
	return req
}

// A reply reaches the requester's producer channel with Java's header,
// is stored, and answers with the stored message's id.
func TestSendReplyMessagePushesToRequester(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	replier := dial(t, c.BrokerAddr, wire.JSON)
	requester := newFakeClient(t, c.BrokerAddr, 9, "10.0.0.1@requester", "", "", "RequesterPG", func(req *wire.Command) *wire.Command {
		return wire.NewResponse(req, wire.Success, "")
	})
	const topic = "DefaultCluster_REPLY_TOPIC"

	resp := call(t, replier, sendReply(topic, replyProps("10.0.0.1@requester"), []byte("pong")), wire.Success)
	host, off, err := codec.DecodeOffsetMsgID(resp.ExtValue("msgId"))
	if err != nil || host.String() != c.BrokerAddr || resp.ExtValue("queueId") != "0" || resp.ExtValue("queueOffset") != "0" ||
		resp.ExtValue("MSG_REGION") == "" || resp.ExtValue("TRACE_ON") == "" {
		t.Fatalf("response ext %v (msgId: %v %v)", resp.Ext, host, err)
	}
	push := requester.next(t, wire.PushReplyMessageToClient)
	if string(push.Body) != "pong" || push.IsOneway() {
		t.Errorf("push body %q flag %d", push.Body, push.Flag)
	}
	props := codec.ParseProperties(push.ExtValue("properties"))
	if props[codec.PropertyCorrelationID] != "corr-1" || props[codec.PropertyPushReplyTime] == "" {
		t.Errorf("pushed properties %v", props)
	}
	for k, v := range map[string]string{"topic": topic, "producerGroup": "ReplierPG", "queueId": "0", "sysFlag": "0", "flag": "0",
		"storeHost": c.BrokerAddr, "defaultTopic": "TBW102", "unitMode": "false", "reconsumeTimes": "0"} {
		if got := push.ExtValue(k); got != v {
			t.Errorf("push header %s = %q, want %q", k, got, v)
		}
	}
	for _, k := range []string{"bornHost", "bornTimestamp", "storeTimestamp"} {
		if push.ExtValue(k) == "" {
			t.Errorf("push header lacks %s: %v", k, push.Ext)
		}
	}
	rec, _, err := codec.DecodeRecord(call(t, replier, adminReq(wire.ViewMessageById, "offset", strconv.FormatInt(off, 10)), wire.Success).Body)
	if err != nil || string(rec.Body) != "pong" || rec.Topic != topic {
		t.Errorf("stored reply: %+v %v", rec, err)
	}

	// The Java client's V2 header.
	v2 := sendV2(topic, 0, replyProps("10.0.0.1@requester"), []byte("pong2"))
	v2.Code = int32(wire.SendReplyMessageV2)
	call(t, replier, v2, wire.Success)
	if push := requester.next(t, wire.PushReplyMessageToClient); string(push.Body) != "pong2" {
		t.Errorf("V2 push body %q", push.Body)
	}

	// Nobody to push to.
	resp = call(t, replier, sendReply(topic, replyProps("10.0.0.9@gone"), []byte("lost")), wire.SystemError)
	if want := "push reply message fail, channel of <10.0.0.9@gone> not found."; resp.Remark != want {
		t.Errorf("remark %q, want %q", resp.Remark, want)
	}
	resp = call(t, replier, sendReply(topic, string(codec.AppendProperty(nil, codec.PropertyMessageType, "reply")), []byte("x")), wire.SystemError)
	if want := "reply message properties[REPLY_TO_CLIENT] is null"; resp.Remark != want {
		t.Errorf("remark %q, want %q", resp.Remark, want)
	}
	// A requester that refuses the push.
	newFakeClient(t, c.BrokerAddr, 9, "10.0.0.2@refuses", "", "", "RequesterPG", func(req *wire.Command) *wire.Command {
		return wire.NewResponse(req, wire.SystemError, "no")
	})
	call(t, replier, sendReply(topic, replyProps("10.0.0.2@refuses"), []byte("x")), wire.SystemError)
}

// With storeReplyMessageEnable=false the reply is only pushed, and the
// answer carries msgId "0".
func TestSendReplyMessageWithoutStore(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t, testcluster.WithConf("storeReplyMessageEnable", "false"))
	replier := dial(t, c.BrokerAddr, wire.JSON)
	newFakeClient(t, c.BrokerAddr, 9, "10.0.0.1@requester", "", "", "RequesterPG", func(req *wire.Command) *wire.Command {
		return wire.NewResponse(req, wire.Success, "")
	})
	resp := call(t, replier, sendReply("DefaultCluster_REPLY_TOPIC", replyProps("10.0.0.1@requester"), []byte("pong")), wire.Success)
	if resp.ExtValue("msgId") != "0" || resp.ExtValue("queueOffset") != "0" {
		t.Errorf("response ext %v", resp.Ext)
	}
	max := call(t, replier, adminReq(wire.GetMaxOffset, "topic", "DefaultCluster_REPLY_TOPIC", "queueId", "0"), wire.Success)
	if max.ExtValue("offset") != "0" {
		t.Errorf("reply topic holds %s messages, want none", max.ExtValue("offset"))
	}
}

// The 4.9 Java client sends properties without the separator after the
// last pair; PUSH_REPLY_TIME added for the push must not merge into that
// pair's value (the requester would miss its CORRELATION_ID and time out).
func TestSendReplyMessageWithoutTrailingSeparator(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	replier := dial(t, c.BrokerAddr, wire.JSON)
	requester := newFakeClient(t, c.BrokerAddr, 9, "10.0.0.1@requester", "", "", "RequesterPG", func(req *wire.Command) *wire.Command {
		return wire.NewResponse(req, wire.Success, "")
	})
	var p []byte
	p = codec.AppendProperty(p, codec.PropertyMessageType, "reply")
	p = codec.AppendProperty(p, codec.PropertyReplyToClient, "10.0.0.1@requester")
	p = codec.AppendProperty(p, codec.PropertyMessageTTL, "3")
	p = codec.AppendProperty(p, codec.PropertyCorrelationID, "corr-1")
	props := string(p[:len(p)-1])

	for _, code := range []wire.RequestCode{wire.SendReplyMessage, wire.SendReplyMessageV2} {
		req := sendReply("DefaultCluster_REPLY_TOPIC", props, []byte("pong"))
		if code == wire.SendReplyMessageV2 {
			req = sendV2("DefaultCluster_REPLY_TOPIC", 0, props, []byte("pong"))
			req.Code = int32(code)
		}
		call(t, replier, req, wire.Success)
		push := requester.next(t, wire.PushReplyMessageToClient)
		got := codec.ParseProperties(push.ExtValue("properties"))
		if got[codec.PropertyCorrelationID] != "corr-1" || got[codec.PropertyMessageTTL] != "3" {
			t.Errorf("%d: pushed properties %q", code, push.ExtValue("properties"))
		}
		if _, err := strconv.ParseInt(got[codec.PropertyPushReplyTime], 10, 64); err != nil {
			t.Errorf("%d: PUSH_REPLY_TIME %q", code, got[codec.PropertyPushReplyTime])
		}
	}
}
