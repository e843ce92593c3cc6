package console_test

import (
	"crypto/tls"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/booster-mq/booster/broker"
	"github.com/booster-mq/booster/console"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/internal/testutil"
)

// apiClient calls a console's JSON API.
type apiClient struct {
	t    *testing.T
	base string
}

// get decodes the answer of a GET into v and returns the status.
func (a apiClient) get(path string, v any) int {
	a.t.Helper()
	resp, err := http.Get(a.base + path)
	if err != nil {
		a.t.Fatal(err)
	}
	return a.decode(resp, v)
}

// post sends body as JSON and decodes the answer into v.
func (a apiClient) post(path, body string, v any) int {
	a.t.Helper()
	resp, err := http.Post(a.base+path, "application/json", strings.NewReader(body))
	if err != nil {
		a.t.Fatal(err)
	}
	return a.decode(resp, v)
}

func (a apiClient) decode(resp *http.Response, v any) int {
	a.t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		a.t.Fatal(err)
	}
	if got := resp.Header.Get("Content-Type"); got != "application/json" {
		a.t.Errorf("Content-Type %q", got)
	}
	if err := json.Unmarshal(b, v); err != nil {
		a.t.Fatalf("%s: %v", b, err)
	}
	return resp.StatusCode
}

func TestAPI(t *testing.T) {
	f := startFixture(t, false)
	srv := console.New(console.Config{Namesrv: []string{f.c.NamesrvAddr}}, nil)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	api := apiClient{t: t, base: ts.URL + "/api/"}

	t.Run("cluster", func(t *testing.T) {
		var v struct {
			Namesrv  []string
			Clusters []struct {
				Name    string
				Brokers []struct {
					BrokerName, Addr, Version, Error string
					BrokerID                         int64
					PutTotal                         int64 `json:"msgPutTotalTodayNow"`
				}
			}
		}
		equal(t, api.get("cluster", &v), http.StatusOK)
		if len(v.Clusters) != 1 || v.Clusters[0].Name != "DefaultCluster" || len(v.Clusters[0].Brokers) != 1 {
			t.Fatalf("clusters %+v", v.Clusters)
		}
		b := v.Clusters[0].Brokers[0]
		if b.BrokerName != "broker-a" || b.Addr != f.c.BrokerAddr || b.BrokerID != 0 || b.Error != "" || b.Version == "" || b.PutTotal < fixSent {
			t.Errorf("broker %+v", b)
		}
	})

	t.Run("stats", func(t *testing.T) {
		var v struct {
			Time    int64
			Brokers []struct {
				Broker   string
				PutTotal int64
				RTTMs    float64 `json:"rttMs"`
			}
		}
		equal(t, api.get("stats", &v), http.StatusOK)
		if len(v.Brokers) != 1 || v.Brokers[0].Broker != "broker-a:0" || v.Brokers[0].PutTotal < fixSent || v.Brokers[0].RTTMs <= 0 {
			t.Errorf("stats %+v", v)
		}
		if d := time.Since(time.UnixMilli(v.Time)); d < 0 || d > time.Minute {
			t.Errorf("time %d", v.Time)
		}
	})

	t.Run("topics", func(t *testing.T) {
		var rows []struct{ Topic, Kind string }
		equal(t, api.get("topics", &rows), http.StatusOK)
		kinds := map[string]string{}
		for _, r := range rows {
			kinds[r.Topic] = r.Kind
		}
		for topic, kind := range map[string]string{fixTopic: "normal", fixDLQ: "dlq", "TBW102": "system"} {
			if kinds[topic] != kind {
				t.Errorf("%s: kind %q, want %q (all: %v)", topic, kinds[topic], kind, kinds)
			}
		}
	})

	t.Run("topic", func(t *testing.T) {
		var v struct {
			Topic  string
			Queues []struct {
				BrokerName           string
				QueueID              int32
				MinOffset, MaxOffset int64
			}
			Messages int64
			Groups   []string
			Errors   []string
		}
		equal(t, api.get("topic?topic="+fixTopic, &v), http.StatusOK)
		if len(v.Queues) != fixQueues || v.Messages != fixSent || len(v.Errors) != 0 {
			t.Fatalf("topic %+v", v)
		}
		// Messages went to queues 0 and 1 alternately: 3 and 2.
		equal(t, v.Queues[0].MaxOffset, int64(3))
		equal(t, v.Queues[1].MaxOffset, int64(2))
		equal(t, v.Queues[3].BrokerName, "broker-a")

		var e struct{ Error string }
		equal(t, api.get("topic", &e), http.StatusBadRequest)
		if e.Error == "" {
			t.Error("no error text")
		}
		equal(t, api.get("topic?topic=NoSuchTopic", &e), http.StatusBadGateway)
	})

	t.Run("groups", func(t *testing.T) {
		var rows []struct {
			Group    string
			System   bool
			Clients  int
			LagTotal int64
		}
		equal(t, api.get("groups", &rows), http.StatusOK)
		found := false
		for _, r := range rows {
			if r.Group == fixGroup {
				found = true
				// 3+2 messages, offset 1 committed on the two used queues.
				if r.Clients != 1 || r.LagTotal != 3 || r.System {
					t.Errorf("group %+v", r)
				}
			}
		}
		if !found {
			t.Errorf("%s not in %+v", fixGroup, rows)
		}
	})

	t.Run("group", func(t *testing.T) {
		var v struct {
			Queues []struct {
				Topic                             string
				QueueID                           int32
				BrokerOffset, ConsumerOffset, Lag int64
				Client                            string
			}
			LagTotal   int64
			Connection struct {
				ConnectionSet []struct{ ClientID string }
				MessageModel  string
			}
			Config struct{ GroupName string }
		}
		equal(t, api.get("group?group="+fixGroup, &v), http.StatusOK)
		equal(t, v.LagTotal, int64(3))
		equal(t, v.Config.GroupName, fixGroup)
		equal(t, v.Connection.MessageModel, "CLUSTERING")
		if len(v.Connection.ConnectionSet) != 1 || v.Connection.ConnectionSet[0].ClientID != fixClient {
			t.Errorf("connections %+v", v.Connection)
		}
		lag := map[int32]int64{}
		owner := map[int32]string{}
		for _, q := range v.Queues {
			if q.Topic == fixTopic {
				lag[q.QueueID] = q.Lag
				owner[q.QueueID] = q.Client
			}
		}
		if owner[0] != fixClient || owner[1] != fixClient || owner[2] != "" {
			t.Errorf("queue owners %v", owner)
		}
		if lag[0] != 2 || lag[1] != 1 {
			t.Errorf("lag per queue %v (queues %+v)", lag, v.Queues)
		}
	})

	type msg struct {
		MsgID, OffsetMsgID, Topic, Keys, Tags, Body, BrokerName string
		QueueOffset                                             int64
		ReconsumeTimes                                          int32
	}
	t.Run("message by offset id", func(t *testing.T) {
		var msgs []msg
		equal(t, api.get("message?id="+f.ids[2], &msgs), http.StatusOK)
		if len(msgs) != 1 || msgs[0].OffsetMsgID != f.ids[2] || msgs[0].MsgID != f.uniq[2] || msgs[0].Body != "hello console 3" ||
			msgs[0].Tags != "TagA" || msgs[0].BrokerName != "broker-a" {
			t.Errorf("messages %+v", msgs)
		}
	})
	t.Run("message by unique key", func(t *testing.T) {
		var msgs []msg
		equal(t, api.get("message?topic="+fixTopic+"&id="+f.uniq[3], &msgs), http.StatusOK)
		if len(msgs) != 1 || msgs[0].OffsetMsgID != f.ids[3] || msgs[0].Keys != "order-4" {
			t.Errorf("messages %+v", msgs)
		}
	})
	t.Run("message by key", func(t *testing.T) {
		var msgs []msg
		equal(t, api.get("message?topic="+fixTopic+"&key=order-5", &msgs), http.StatusOK)
		if len(msgs) != 1 || msgs[0].Body != "hello console 5" {
			t.Errorf("messages %+v", msgs)
		}
		equal(t, api.get("message?topic="+fixTopic+"&key=no-such-key", &msgs), http.StatusOK)
		equal(t, len(msgs), 0)
		var e struct{ Error string }
		equal(t, api.get("message?key=order-5", &e), http.StatusBadRequest)
		equal(t, api.get("message", &e), http.StatusBadRequest)
	})

	t.Run("newest messages", func(t *testing.T) {
		var msgs []msg
		equal(t, api.get("messages?topic="+url.QueryEscape(fixDLQ), &msgs), http.StatusOK)
		if len(msgs) != 1 || msgs[0].MsgID != f.uniq[0] || msgs[0].Body != "hello console 1" || msgs[0].ReconsumeTimes != 1 || msgs[0].Topic != fixDLQ {
			t.Errorf("DLQ messages %+v", msgs)
		}
		equal(t, api.get("messages?topic="+fixTopic+"&max=2", &msgs), http.StatusOK)
		if len(msgs) != 2 || msgs[0].Body != "hello console 5" || msgs[1].Body != "hello console 4" {
			t.Errorf("newest of %s: %+v", fixTopic, msgs)
		}
		var e struct{ Error string }
		equal(t, api.get("messages?topic="+fixTopic+"&max=0", &e), http.StatusBadRequest)
		equal(t, api.get("messages", &e), http.StatusBadRequest)
	})

	t.Run("dlq", func(t *testing.T) {
		var rows []struct {
			Topic, Group string
			Queues       int
			Messages     int64
			Error        string
		}
		equal(t, api.get("dlq", &rows), http.StatusOK)
		if len(rows) != 1 || rows[0].Topic != fixDLQ || rows[0].Group != fixGroup || rows[0].Messages != 1 || rows[0].Queues != 1 {
			t.Errorf("dlq %+v", rows)
		}
	})

	t.Run("update topic", func(t *testing.T) {
		var e struct{ Error string }
		equal(t, api.post("topic", `{"topic":"","readQueueNums":1,"writeQueueNums":1}`, &e), http.StatusBadRequest)
		equal(t, api.post("topic", `{"topic":"bad topic","readQueueNums":1,"writeQueueNums":1}`, &e), http.StatusBadRequest)
		equal(t, api.post("topic", `{"topic":"T","readQueueNums":0,"writeQueueNums":1}`, &e), http.StatusBadRequest)
		equal(t, api.post("topic", `{"topic":"T","readQueueNums":1,"writeQueueNums":1,"perm":8}`, &e), http.StatusBadRequest)
		equal(t, api.post("topic", `not json`, &e), http.StatusBadRequest)
		equal(t, api.post("topic", `{"topic":"T","cluster":"NoCluster","readQueueNums":1,"writeQueueNums":1}`, &e), http.StatusBadGateway)

		var res struct{ Updated []string }
		equal(t, api.post("topic", `{"topic":"MadeByAPI","cluster":"DefaultCluster","readQueueNums":3,"writeQueueNums":2,"perm":6}`, &res), http.StatusOK)
		if len(res.Updated) != 1 || res.Updated[0] != f.c.BrokerAddr {
			t.Errorf("updated %v", res.Updated)
		}
		testutil.Eventually(t, 10*time.Second, "MadeByAPI's queues", func() bool {
			var v struct{ Queues []struct{} }
			return api.get("topic?topic=MadeByAPI", &v) == http.StatusOK && len(v.Queues) == 3
		})
	})

	t.Run("update group", func(t *testing.T) {
		var e struct{ Error string }
		equal(t, api.post("group", `{"group":""}`, &e), http.StatusBadRequest)
		equal(t, api.post("group", `{"group":"G","retryMaxTimes":99}`, &e), http.StatusBadRequest)
		var res struct{ Updated []string }
		equal(t, api.post("group", `{"group":"MadeByAPI_G","consumeBroadcastEnable":false,"retryMaxTimes":3}`, &res), http.StatusOK)
		equal(t, len(res.Updated), 1)
		var v struct {
			Config struct {
				GroupName              string
				RetryMaxTimes          int
				ConsumeBroadcastEnable bool
				ConsumeEnable          bool
			}
		}
		equal(t, api.get("group?group="+url.QueryEscape("MadeByAPI_G"), &v), http.StatusOK)
		if v.Config.GroupName != "MadeByAPI_G" || v.Config.RetryMaxTimes != 3 || v.Config.ConsumeBroadcastEnable || !v.Config.ConsumeEnable {
			t.Errorf("config %+v", v.Config)
		}
	})

	t.Run("cross-site post", func(t *testing.T) {
		body := `{"topic":"CrossSite","readQueueNums":1,"writeQueueNums":1}`
		for _, h := range []map[string]string{
			{"Content-Type": "application/json", "Sec-Fetch-Site": "cross-site"},
			{"Content-Type": "application/json", "Origin": "http://evil.example"},
			{"Content-Type": "text/plain"},
		} {
			req, _ := http.NewRequest(http.MethodPost, api.base+"topic", strings.NewReader(body))
			for k, v := range h {
				req.Header.Set(k, v)
			}
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != http.StatusForbidden && resp.StatusCode != http.StatusUnsupportedMediaType {
				t.Errorf("%v: status %d", h, resp.StatusCode)
			}
		}
		var v struct{ Queues []struct{} }
		if api.get("topic?topic=CrossSite", &v) == http.StatusOK {
			t.Error("a cross-site POST created a topic")
		}
	})

	t.Run("page", func(t *testing.T) {
		for path, want := range map[string]string{"/": "<title>Booster console</title>", "/app.js": "function route()", "/style.css": ".modal"} {
			resp, err := http.Get(ts.URL + path)
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
				t.Errorf("%s: %d, missing %q", path, resp.StatusCode, want)
			}
		}
	})
}

// TestStartOff checks that port 0 turns the console off.
func TestStartOff(t *testing.T) {
	s, err := console.Start(console.Config{}, nil)
	if s != nil || err != nil {
		t.Fatalf("Start with port 0 = %v, %v", s, err)
	}
	equal(t, s.Addr(), "")
	noError(t, s.Close())
}

// TestStartPortTaken checks that a busy port is an error naming the key.
func TestStartPortTaken(t *testing.T) {
	port := testutil.FreePort(t, 0)
	s, err := console.Start(console.Config{Host: "127.0.0.1", Port: port}, nil)
	noError(t, err)
	defer s.Close()
	if _, err := console.Start(console.Config{Host: "127.0.0.1", Port: port}, nil); err == nil || !strings.Contains(err.Error(), "consolePort") {
		t.Errorf("second Start: %v", err)
	}
}

// TestAPIOverTLS checks the console against a broker that only speaks TLS.
func TestAPIOverTLS(t *testing.T) {
	c := testcluster.Start(t, testcluster.WithConf("tls.server.mode", "enforcing"))
	if c.External {
		t.Skip("needs a Booster broker")
	}
	srv := console.New(console.Config{Namesrv: []string{c.NamesrvAddr}, TLS: &tls.Config{InsecureSkipVerify: true}}, nil) //nolint:gosec // the test broker's self-signed certificate
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	api := apiClient{t: t, base: ts.URL + "/api/"}
	var v struct {
		Clusters []struct {
			Brokers []struct{ Version, Error string }
		}
	}
	equal(t, api.get("cluster", &v), http.StatusOK)
	if len(v.Clusters) != 1 || len(v.Clusters[0].Brokers) != 1 || v.Clusters[0].Brokers[0].Error != "" || v.Clusters[0].Brokers[0].Version == "" {
		t.Errorf("clusters %+v", v.Clusters)
	}
}

// TestAPITwoBrokers checks that the console shows the whole cluster: a
// second broker registered with the same NameServer is listed, and a topic
// created through the API lands on both.
func TestAPITwoBrokers(t *testing.T) {
	c := testcluster.Start(t)
	if c.External {
		t.Skip("needs an in-process cluster")
	}
	port := testutil.FreePort(t, 2)
	cfg := broker.DefaultConfig()
	for k, v := range map[string]string{
		"brokerName": "broker-b", "brokerIP1": "127.0.0.1", "bindAddress": "127.0.0.1", "listenPort": strconv.Itoa(port),
		"namesrvAddr": c.NamesrvAddr, "storePathRootDir": t.TempDir(), "mappedFileSizeCommitLog": strconv.Itoa(64 << 20),
		"grpcServerPort": "0", "consolePort": "0",
	} {
		if _, err := cfg.Set(k, v); err != nil {
			t.Fatal(err)
		}
	}
	b, err := broker.New(cfg, slog.New(slog.DiscardHandler))
	noError(t, err)
	noError(t, b.Start())
	t.Cleanup(func() { _ = b.Close() })

	srv := console.New(console.Config{Namesrv: []string{c.NamesrvAddr}}, nil)
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(func() { ts.Close(); _ = srv.Close() })
	api := apiClient{t: t, base: ts.URL + "/api/"}

	type clusters struct {
		Clusters []struct {
			Name    string
			Brokers []struct{ BrokerName, Addr, Error string }
		}
	}
	testutil.Eventually(t, 10*time.Second, "two brokers listed", func() bool {
		var v clusters
		return api.get("cluster", &v) == http.StatusOK && len(v.Clusters) == 1 && len(v.Clusters[0].Brokers) == 2
	})
	var v clusters
	api.get("cluster", &v)
	for i, name := range []string{"broker-a", "broker-b"} {
		if got := v.Clusters[0].Brokers[i]; got.BrokerName != name || got.Error != "" {
			t.Errorf("broker %d: %+v", i, got)
		}
	}

	var res struct{ Updated []string }
	equal(t, api.post("topic", `{"topic":"Spread","cluster":"DefaultCluster","readQueueNums":2,"writeQueueNums":2}`, &res), http.StatusOK)
	equal(t, len(res.Updated), 2)
	testutil.Eventually(t, 10*time.Second, "Spread on both brokers", func() bool {
		var tv struct {
			Queues []struct{ BrokerName string }
		}
		if api.get("topic?topic=Spread", &tv) != http.StatusOK || len(tv.Queues) != 4 {
			return false
		}
		return tv.Queues[0].BrokerName == "broker-a" && tv.Queues[3].BrokerName == "broker-b"
	})
}
