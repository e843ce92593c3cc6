package namesrv

import (
	"context"
	"encoding/json"
	"hash/crc32"
	"log/slog"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// testConfig is a configuration on a free 127.0.0.1 port with its KV file
// in a temporary directory.
func testConfig(t *testing.T) Config {
	t.Helper()
	cfg := DefaultConfig()
	cfg.BindAddress = "127.0.0.1"
	cfg.ListenPort = testutil.FreePort(t, 0)
	cfg.KvConfigPath = filepath.Join(t.TempDir(), "namesrv", "kvConfig.json")
	return cfg
}

// startServer starts a NameServer on testConfig, changed by mutate.
func startServer(t *testing.T, mutate func(*Config)) *Server {
	t.Helper()
	cfg := testConfig(t)
	if mutate != nil {
		mutate(&cfg)
	}
	return startWith(t, cfg)
}

func startWith(t *testing.T, cfg Config) *Server {
	t.Helper()
	s := New(cfg, slog.New(slog.DiscardHandler))
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	return s
}

// dial connects a remoting client that sends in serialization st.
func dial(t *testing.T, addr string, st wire.SerializeType) *transport.Client {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl, err := transport.Dial(ctx, addr)
	if err != nil {
		t.Fatal(err)
	}
	cl.Serialize = st
	t.Cleanup(func() { cl.Close() })
	return cl
}

// call sends a request and returns the response, failing the test on a
// transport error.
func call(t *testing.T, cl *transport.Client, code wire.RequestCode, body []byte, ext ...wire.Field) *wire.Command {
	t.Helper()
	req := wire.NewRequest(code, ext...)
	req.Body = body
	return send(t, cl, req)
}

func send(t *testing.T, cl *transport.Client, req *wire.Command) *wire.Command {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cl.Invoke(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Version != 479 || !resp.IsResponse() || resp.Serialize != cl.Serialize {
		t.Fatalf("response envelope: version %d flag %d serialize %v", resp.Version, resp.Flag, resp.Serialize)
	}
	return resp
}

// expectCode fails unless resp has code (and remark, when remark != "").
func expectCode(t *testing.T, resp *wire.Command, code wire.ResponseCode, remark string) {
	t.Helper()
	if resp.ResponseCode() != code || (remark != "" && resp.Remark != remark) {
		t.Fatalf("got code %d remark %q, want %d %q", resp.Code, resp.Remark, code, remark)
	}
}

func f(k, v string) wire.Field { return wire.Field{Key: k, Value: v} }

// fakeBroker describes one broker process registering itself.
type fakeBroker struct {
	cluster, name, addr, ha string
	id                      int64
	topics                  []*codec.TopicConfig
	dv                      codec.DataVersion
	ext                     []wire.Field // extra header fields
}

func topicConfig(name string, queues, perm int) *codec.TopicConfig {
	return &codec.TopicConfig{
		Attributes: map[string]string{}, Perm: perm, ReadQueueNums: queues, WriteQueueNums: queues,
		TopicFilterType: "SINGLE_TAG", TopicName: name,
	}
}

// brokerA is a master of DefaultCluster with TopicA (4 queues) and TBW102.
func brokerA() fakeBroker {
	return fakeBroker{
		cluster: "DefaultCluster", name: "broker-a", addr: "127.0.0.1:10911", ha: "127.0.0.1:10912",
		topics: []*codec.TopicConfig{topicConfig("TopicA", 4, 6), topicConfig("TBW102", 8, 7)},
		dv:     codec.DataVersion{Counter: 1, Timestamp: 1700000000000},
	}
}

func (b fakeBroker) body() []byte {
	table := map[string]*codec.TopicConfig{}
	for _, tc := range b.topics {
		table[tc.TopicName] = tc
	}
	return codec.Encode(codec.RegisterBrokerBody{
		FilterServerList: []string{},
		TopicConfigSerializeWrapper: codec.TopicConfigSerializeWrapper{
			DataVersion:      b.dv,
			TopicConfigTable: table,
		},
	})
}

// request builds the REGISTER_BROKER request a Java broker sends.
func (b fakeBroker) request(body []byte) *wire.Command {
	req := wire.NewRequest(wire.RegisterBroker,
		f("brokerName", b.name), f("brokerAddr", b.addr), f("clusterName", b.cluster),
		f("haServerAddr", b.ha), f("brokerId", strconv.FormatInt(b.id, 10)),
		f("bodyCrc32", strconv.Itoa(int(crc32.ChecksumIEEE(body)&0x7fffffff))),
		f("compressed", "false"))
	req.Ext = append(req.Ext, b.ext...)
	req.Body = body
	return req
}

// register registers b on cl and expects SUCCESS.
func (b fakeBroker) register(t *testing.T, cl *transport.Client) *wire.Command {
	t.Helper()
	resp := send(t, cl, b.request(b.body()))
	expectCode(t, resp, wire.Success, "")
	return resp
}

// route asks for a topic's route and decodes it; ok is false on TOPIC_NOT_EXIST.
func route(t *testing.T, cl *transport.Client, topic string) (rd codec.TopicRouteData, ok bool) {
	t.Helper()
	resp := call(t, cl, wire.GetRouteinfoByTopic, nil, f("topic", topic))
	if resp.ResponseCode() == wire.TopicNotExist {
		return rd, false
	}
	expectCode(t, resp, wire.Success, "")
	if err := json.Unmarshal(resp.Body, &rd); err != nil {
		t.Fatalf("route body %s: %v", resp.Body, err)
	}
	return rd, true
}

// routed reports whether topic has a route, for polling.
func routed(t *testing.T, cl *transport.Client, topic string) bool {
	_, ok := route(t, cl, topic)
	return ok
}

func topicList(t *testing.T, cl *transport.Client, code wire.RequestCode, ext ...wire.Field) codec.TopicList {
	t.Helper()
	resp := call(t, cl, code, nil, ext...)
	expectCode(t, resp, wire.Success, "")
	var tl codec.TopicList
	if err := json.Unmarshal(resp.Body, &tl); err != nil {
		t.Fatalf("topic list %s: %v", resp.Body, err)
	}
	return tl
}
