package admin

import (
	"context"
	"fmt"
	"log/slog"
	"reflect"
	"testing"
	"time"

	"github.com/booster-mq/booster/acl"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// startServer answers a route, topic stats in fastjson's shapes, and
// TOPIC_NOT_EXIST for the topic "Missing"; every answer echoes the
// request's AccessKey.
func startServer(t *testing.T) string {
	t.Helper()
	answer := func(body string) transport.Handler {
		return func(r *transport.Request) *wire.Command {
			if r.Cmd.ExtValue("topic") == "Missing" {
				return wire.NewResponse(r.Cmd, wire.TopicNotExist, "No topic route info in name server for the topic: Missing\nSee link")
			}
			resp := wire.NewResponse(r.Cmd, wire.Success, "")
			resp.SetExt("seenAccessKey", r.Cmd.ExtValue(acl.AccessKeyField))
			resp.Body = []byte(body)
			return resp
		}
	}
	router := transport.NewRouter([]transport.Route{
		{Code: wire.GetRouteinfoByTopic, Class: transport.Inline, Handler: answer(
			`{"brokerDatas":[{"brokerAddrs":{1:"127.0.0.1:2",0:"127.0.0.1:1"},"brokerName":"b","cluster":"c"}],"queueDatas":[]}`)},
		{Code: wire.GetTopicStatsInfo, Class: transport.Inline, Handler: answer(
			`{"offsetTable":{{"brokerName":"b","queueId":3,"topic":"T"}:{"lastUpdateTimestamp":7,"maxOffset":5,"minOffset":1}},"topicPutTps":2.5}`)},
	})
	srv := transport.NewServer(transport.DefaultServerConfig("test"), router, slog.New(slog.DiscardHandler))
	addr := fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t, 0))
	if err := srv.Start(addr); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return addr
}

func TestNsCallFailsOverAndDecodesFastJSON(t *testing.T) {
	addr := startServer(t)
	dead := fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t, 0))
	c := New(Config{Namesrv: []string{dead, addr}, Timeout: 5 * time.Second})
	defer c.Close()
	rd, err := c.Route(context.Background(), "T")
	noError(t, err)
	equal(t, len(rd.BrokerDatas), 1)
	equal(t, SelectAddr(&rd.BrokerDatas[0]), "127.0.0.1:1")

	// An answer with a code stops the failover and carries Java's text.
	_, err = c.Route(context.Background(), "Missing")
	equal(t, ResponseCode(err), wire.TopicNotExist)
	equal(t, err.Error(), "CODE: 17 DESC: No topic route info in name server for the topic: Missing See link ("+addr+")")
}

func TestTopicStatsDecodesMessageQueueKeys(t *testing.T) {
	addr := startServer(t)
	c := New(Config{Timeout: 5 * time.Second})
	defer c.Close()
	ts, err := c.TopicStats(context.Background(), addr, "T")
	noError(t, err)
	equal(t, ts.PutTps, 2.5)
	equal(t, ts.Offsets[codec.MessageQueue{Topic: "T", BrokerName: "b", QueueID: 3}], TopicOffset{LastUpdateTimestamp: 7, MaxOffset: 5, MinOffset: 1})
}

func TestRequestsAreSignedWithAnAccount(t *testing.T) {
	addr := startServer(t)
	for _, ak := range []string{"", "ak"} {
		c := New(Config{Namesrv: []string{addr}, Timeout: 5 * time.Second, AccessKey: ak, SecretKey: "sk"})
		resp, err := c.NsCall(context.Background(), Request(wire.GetRouteinfoByTopic, "topic", "T"))
		c.Close()
		noError(t, err)
		equal(t, resp.ExtValue("seenAccessKey"), ak)
	}
}

func TestNoNamesrvAndDeadBroker(t *testing.T) {
	c := New(Config{Timeout: time.Second})
	defer c.Close()
	if _, err := c.ClusterInfo(context.Background()); err != ErrNoNamesrv {
		t.Fatalf("ClusterInfo without NameServer: %v", err)
	}
	if err := c.NsEach(context.Background(), Request(wire.PutKvConfig)); err != ErrNoNamesrv {
		t.Fatalf("NsEach without NameServer: %v", err)
	}
	dead := fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t, 0))
	_, err := c.RuntimeInfo(context.Background(), dead)
	equal(t, ResponseCode(err), -1)
}

func TestRequestAndClone(t *testing.T) {
	req := Request(wire.GetKvConfig, "namespace", "NS", "key", "k", "odd")
	equal(t, req.ExtValue("namespace"), "NS")
	equal(t, req.ExtValue("key"), "k")
	equal(t, len(req.Ext), 2)
	c := Clone(req)
	c.SetExt("key", "other")
	equal(t, req.ExtValue("key"), "k")
}

func TestSelectAddrWithoutMaster(t *testing.T) {
	bd := &codec.BrokerData{BrokerAddrs: map[int64]string{3: "c", 2: "b"}}
	equal(t, SelectAddr(bd), "b")
	equal(t, SelectAddr(&codec.BrokerData{}), "")
	equal(t, BrokerIDs(bd), []int64{2, 3})
}

func equal[T any](t *testing.T, got, want T) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("got %#v, want %#v", got, want)
	}
}

func noError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
