package broker_test

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/namesrv"
	"github.com/booster-mq/booster/wire"
)

func TestGetBrokerConfig(t *testing.T) {
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	resp := call(t, cl, adminReq(wire.GetBrokerConfig), wire.Success)
	lines := strings.Split(strings.TrimSuffix(string(resp.Body), "\n"), "\n")
	if !sort.StringsAreSorted(lines) {
		t.Errorf("properties not sorted by key:\n%s", resp.Body)
	}
	for _, want := range []string{"brokerName=broker-a", "brokerClusterName=DefaultCluster", "autoCreateTopicEnable=true"} {
		if !strings.Contains("\n"+string(resp.Body), "\n"+want+"\n") {
			t.Errorf("no %q in\n%s", want, resp.Body)
		}
	}
	var v codec.DataVersion
	if err := json.Unmarshal([]byte(resp.ExtValue("version")), &v); err != nil {
		t.Errorf("ext version %q: %v", resp.ExtValue("version"), err)
	}
}

// updateConfigReq is an UPDATE_BROKER_CONFIG request with body.
func updateConfigReq(body string) *wire.Command {
	req := adminReq(wire.UpdateBrokerConfig)
	req.Body = []byte(body)
	return req
}

// UPDATE_BROKER_CONFIG refuses path keys with NO_PERMISSION (the
// CVE-2023-33246 vector), keys fixed at start and bad values with
// SYSTEM_ERROR, and then changes nothing.
func TestUpdateBrokerConfigRefused(t *testing.T) {
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	before := string(call(t, cl, adminReq(wire.GetBrokerConfig), wire.Success).Body)
	for _, body := range []string{"rocketmqHome=/tmp/x\n", "storePathRootDir=/tmp/x\n", "brokerPermission=4\nbrokerConfigPath=/etc/passwd\n", "configBlackList=\n"} {
		r := call(t, cl, updateConfigReq(body), wire.NoPermission)
		if r.Remark != "Can not update config in black list." {
			t.Errorf("%q: remark %q", body, r.Remark)
		}
	}
	for body, key := range map[string]string{
		"brokerPermission=4\nlistenPort=1\n": "listenPort",
		"brokerName=other\n":                 "brokerName",
		"noSuchKey=1\n":                      "noSuchKey",
		"brokerPermission=x\n":               "brokerPermission",
		"shortPollingTimeMills=-\n":          "shortPollingTimeMills",
	} {
		r := call(t, cl, updateConfigReq(body), wire.SystemError)
		if !strings.Contains(r.Remark, key) {
			t.Errorf("%q: remark %q does not name %s", body, r.Remark, key)
		}
	}
	call(t, cl, adminReq(wire.UpdateBrokerConfig), wire.Success)
	if after := string(call(t, cl, adminReq(wire.GetBrokerConfig), wire.Success).Body); after != before {
		t.Errorf("config changed:\n%s", after)
	}
}

// A runtime key takes effect at once: brokerPermission=4 (read only)
// reaches the NameServer's routes, bumps the config's data version, and
// restoring it makes the broker writable again.
func TestUpdateBrokerConfigApplies(t *testing.T) {
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	ns := dial(t, c.NamesrvAddr, wire.JSON)
	createTopic(t, cl, "PermTopic", 2)
	perm := func() int {
		resp, err := ns.Invoke(t.Context(), wire.NewRequest(wire.GetRouteinfoByTopic, wire.Field{Key: "topic", Value: "PermTopic"}))
		if err != nil || resp.ResponseCode() != wire.Success {
			return -1
		}
		var route codec.TopicRouteData
		if err := json.Unmarshal(codec.QuoteNumericKeys(resp.Body), &route); err != nil || len(route.QueueDatas) == 0 {
			return -1
		}
		return route.QueueDatas[0].Perm
	}
	waitPerm := func(want int) {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for perm() != want {
			if time.Now().After(deadline) {
				t.Fatalf("route perm %d, want %d", perm(), want)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitPerm(6)
	call(t, cl, updateConfigReq("brokerPermission=4\n"), wire.Success)
	waitPerm(4)
	resp := call(t, cl, adminReq(wire.GetBrokerConfig), wire.Success)
	if !strings.Contains(string(resp.Body), "\nbrokerPermission=4\n") {
		t.Errorf("getBrokerConfig after update:\n%s", resp.Body)
	}
	var v codec.DataVersion
	if err := json.Unmarshal([]byte(resp.ExtValue("version")), &v); err != nil || v.Counter != 1 {
		t.Errorf("ext version %q: %v, want counter 1", resp.ExtValue("version"), err)
	}
	// The same value again changes nothing.
	call(t, cl, updateConfigReq("brokerPermission=4\n"), wire.Success)
	resp = call(t, cl, adminReq(wire.GetBrokerConfig), wire.Success)
	if err := json.Unmarshal([]byte(resp.ExtValue("version")), &v); err != nil || v.Counter != 1 {
		t.Errorf("ext version %q after a no-op update, want counter 1", resp.ExtValue("version"))
	}
	call(t, cl, updateConfigReq("brokerPermission=6\n"), wire.Success)
	waitPerm(6)
}

// A new namesrvAddr takes effect without a restart: the broker registers
// with the new NameServer at once and leaves the old one.
func TestUpdateBrokerConfigNamesrvAddr(t *testing.T) {
	c := testcluster.Start(t)
	ncfg := namesrv.DefaultConfig()
	ncfg.BindAddress = "127.0.0.1"
	ncfg.ListenPort = testutil.FreePort(t, 0)
	ncfg.KvConfigPath = filepath.Join(t.TempDir(), "kvConfig.json")
	ns2 := namesrv.New(ncfg, nil)
	if err := ns2.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ns2.Close)
	addr2 := fmt.Sprintf("127.0.0.1:%d", ncfg.ListenPort)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	call(t, cl, updateConfigReq("namesrvAddr="+addr2+"\n"), wire.Success)
	brokers := func(addr string) int {
		resp, err := dial(t, addr, wire.JSON).Invoke(t.Context(), wire.NewRequest(wire.GetBrokerClusterInfo))
		if err != nil || resp.ResponseCode() != wire.Success {
			return -1
		}
		var info codec.ClusterInfo
		if err := json.Unmarshal(codec.QuoteNumericKeys(resp.Body), &info); err != nil {
			return -1
		}
		return len(info.BrokerAddrTable)
	}
	deadline := time.Now().Add(5 * time.Second)
	for brokers(addr2) != 1 || brokers(c.NamesrvAddr) != 0 {
		if time.Now().After(deadline) {
			t.Fatalf("brokers registered: new NameServer %d (want 1), old %d (want 0)", brokers(addr2), brokers(c.NamesrvAddr))
		}
		time.Sleep(50 * time.Millisecond)
	}
}
