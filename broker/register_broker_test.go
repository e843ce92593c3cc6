package broker_test

import (
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/booster-mq/booster/broker"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/namesrv"
	"github.com/booster-mq/booster/wire"
)

// A broker started before its NameServer registers soon after the
// NameServer comes up, without waiting for registerNameServerPeriod.
func TestBrokerStartedBeforeNameServerRegisters(t *testing.T) {
	dir := t.TempDir()
	nsPort, bPort := testutil.FreePort(t, 0), testutil.FreePort(t, 2)
	nsAddr := fmt.Sprintf("127.0.0.1:%d", nsPort)
	cfg := broker.DefaultConfig()
	for k, v := range map[string]string{
		"brokerIP1": "127.0.0.1", "bindAddress": "127.0.0.1", "listenPort": fmt.Sprint(bPort),
		"namesrvAddr": nsAddr, "storePathRootDir": filepath.Join(dir, "store"),
		"mappedFileSizeCommitLog": fmt.Sprint(1 << 20), "grpcServerPort": "0", "consolePort": "0",
		"registerNameServerPeriod": "60000",
	} {
		if _, err := cfg.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	b, err := broker.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = b.Close() })
	time.Sleep(1500 * time.Millisecond) // a failed registration or two

	ncfg := namesrv.DefaultConfig()
	ncfg.BindAddress, ncfg.ListenPort = "127.0.0.1", nsPort
	ncfg.KvConfigPath = filepath.Join(dir, "kvConfig.json")
	ns := namesrv.New(ncfg, nil)
	if err := ns.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns.Close)
	cl := dial(t, nsAddr, wire.JSON)
	// The period is 60 s: only a retry registers the broker within 30 s.
	testutil.Eventually(t, 30*time.Second, "the broker registered after the NameServer's start", func() bool {
		resp, err := cl.Invoke(t.Context(), wire.NewRequest(wire.GetRouteinfoByTopic, wire.Field{Key: "topic", Value: "TBW102"}))
		return err == nil && resp.ResponseCode() == wire.Success
	})
}

// A send that auto-creates its topic is answered only once the NameServer
// routes the topic: a route lookup right after the answer finds it (a
// client that sends and then starts a consumer of the topic needs this).
func TestAutoCreatedTopicRoutableWhenSendAnswered(t *testing.T) {
	c := testcluster.Start(t)
	br, ns := dial(t, c.BrokerAddr, wire.RocketMQ), dial(t, c.NamesrvAddr, wire.JSON)
	for i := range 20 {
		topic := fmt.Sprintf("auto-%d-%d", time.Now().UnixNano(), i)
		if resp := invoke(t, br, sendV2(topic, 0, "", []byte("x"))); resp.ResponseCode() != wire.Success {
			t.Fatalf("send to new topic %s: %v %s", topic, resp.ResponseCode(), resp.Remark)
		}
		resp := invoke(t, ns, wire.NewRequest(wire.GetRouteinfoByTopic, wire.Field{Key: "topic", Value: topic}))
		if resp.ResponseCode() != wire.Success {
			t.Fatalf("route of %s right after the send that created it: %v %s", topic, resp.ResponseCode(), resp.Remark)
		}
	}
}
