package conformance

// Master/slave replication with real processes: a booster NameServer and
// booster brokers of one broker group (brokerId 0 master, 1 slave) as
// subprocesses on 127.0.0.1, driven by the official Go client and raw
// remoting. Needs BOOSTER_TEST_BINARY (make conformance sets it).

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// haCluster is a NameServer and the brokers of one group, each a booster
// subprocess.
type haCluster struct {
	t      *testing.T
	bin    string
	dir    string
	nsAddr string
	procs  []*haProc
}

// haProc is one booster subprocess.
type haProc struct {
	c    *haCluster
	name string
	args []string
	conf map[string]string
	addr string // remoting address (brokers)
	cmd  *exec.Cmd
	done chan struct{}
}

func newHACluster(t *testing.T) *haCluster {
	t.Helper()
	bin := os.Getenv("BOOSTER_TEST_BINARY")
	if bin == "" {
		t.Skip("needs the booster binary: set BOOSTER_TEST_BINARY (make conformance does)")
	}
	if os.Getenv("BOOSTER_TEST_NAMESRV") != "" {
		t.Skip("runs its own NameServer and brokers")
	}
	c := &haCluster{t: t, bin: bin, dir: t.TempDir()}
	nsPort := testutil.FreePort(t, 0)
	c.nsAddr = fmt.Sprintf("127.0.0.1:%d", nsPort)
	ns := c.start("namesrv", "namesrv", map[string]string{
		"listenPort": strconv.Itoa(nsPort), "bindAddress": "127.0.0.1",
		"kvConfigPath": filepath.Join(c.dir, "kvConfig.json"),
	})
	ns.addr = c.nsAddr
	ns.waitUp()
	t.Cleanup(c.stopAll)
	return c
}

// broker starts a broker of group "broker-ha" with role and id; extra
// keys override the defaults.
func (c *haCluster) broker(name, role string, id int, extra ...string) *haProc {
	c.t.Helper()
	port := testutil.FreePort(c.t, 2)
	conf := map[string]string{
		"brokerClusterName": "HACluster", "brokerName": "broker-ha", "brokerId": strconv.Itoa(id),
		"brokerRole": role, "brokerIP1": "127.0.0.1", "bindAddress": "127.0.0.1",
		"listenPort": strconv.Itoa(port), "haListenPort": strconv.Itoa(testutil.FreePort(c.t, 0)),
		"namesrvAddr": c.nsAddr, "storePathRootDir": filepath.Join(c.dir, name),
		"mappedFileSizeCommitLog": strconv.Itoa(64 << 20), "registerNameServerPeriod": "10000",
		"slaveSyncInterval": "1000", "flushConsumerOffsetInterval": "1000", "grpcServerPort": "0", "consolePort": "0",
	}
	for i := 0; i+1 < len(extra); i += 2 {
		conf[extra[i]] = extra[i+1]
	}
	p := c.start(name, "broker", conf)
	p.addr = fmt.Sprintf("127.0.0.1:%d", port)
	p.waitUp()
	return p
}

func (c *haCluster) start(name, kind string, conf map[string]string) *haProc {
	c.t.Helper()
	path := filepath.Join(c.dir, name+".conf")
	var sb strings.Builder
	for k, v := range conf {
		fmt.Fprintf(&sb, "%s=%s\n", k, v)
	}
	if err := os.WriteFile(path, []byte(sb.String()), 0o644); err != nil {
		c.t.Fatal(err)
	}
	p := &haProc{c: c, name: name, args: []string{kind, "-c", path}, conf: conf}
	p.run()
	c.procs = append(c.procs, p)
	return p
}

func (p *haProc) run() {
	t := p.c.t
	p.cmd = exec.Command(p.c.bin, p.args...)
	out, err := p.cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", p.name, err)
	}
	p.done = make(chan struct{})
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if os.Getenv("BOOSTER_TEST_LOG") != "" {
				fmt.Fprintln(os.Stderr, p.name+":", sc.Text())
			}
		}
	}()
}

// waitUp waits until the process answers on its remoting port.
func (p *haProc) waitUp() {
	testutil.Eventually(p.c.t, 15*time.Second, p.name+" listening", func() bool {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		cl, err := transport.Dial(ctx, p.addr)
		if err != nil {
			return false
		}
		cl.Close()
		return true
	})
}

// stop ends the process with SIGKILL (kill) or SIGTERM and waits for it.
func (p *haProc) stop(kill bool) {
	if p.cmd == nil {
		return
	}
	sig := syscall.SIGTERM
	if kill {
		sig = syscall.SIGKILL
	}
	_ = p.cmd.Process.Signal(sig)
	_ = p.cmd.Wait()
	<-p.done
	p.cmd = nil
}

// restart starts a stopped process again on the same config and store.
func (p *haProc) restart() {
	p.run()
	p.waitUp()
}

func (c *haCluster) stopAll() {
	for i := len(c.procs) - 1; i >= 0; i-- {
		c.procs[i].stop(false)
	}
}

// invoke sends one request to addr on a fresh connection.
func haInvoke(t *testing.T, addr string, req *wire.Command) *wire.Command {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	cl, err := transport.Dial(ctx, addr)
	if err != nil {
		t.Fatalf("dial %s: %v", addr, err)
	}
	defer cl.Close()
	resp, err := cl.Invoke(ctx, req)
	if err != nil {
		t.Fatalf("%v to %s: %v", wire.RequestCode(req.Code), addr, err)
	}
	return resp
}

// routeIDs returns the broker ids the NameServer routes topic to, or nil.
func (c *haCluster) routeIDs(topic string) []int64 {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	cl, err := transport.Dial(ctx, c.nsAddr)
	if err != nil {
		return nil
	}
	defer cl.Close()
	resp, err := cl.Invoke(ctx, wire.NewRequest(wire.GetRouteinfoByTopic, wire.Field{Key: "topic", Value: topic}))
	if err != nil || resp.ResponseCode() != wire.Success {
		return nil
	}
	var rd codec.TopicRouteData
	if json.Unmarshal(codec.QuoteNumericKeys(resp.Body), &rd) != nil {
		return nil
	}
	var ids []int64
	for _, bd := range rd.BrokerDatas {
		for id := range bd.BrokerAddrs {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// waitRoute waits until topic's route lists exactly ids.
func (c *haCluster) waitRoute(topic string, ids ...int64) {
	c.t.Helper()
	eventually(c.t, 30*time.Second, fmt.Sprintf("route of %s lists brokers %v", topic, ids), func() (bool, string) {
		got := c.routeIDs(topic)
		return slices.Equal(got, ids), fmt.Sprintf("route lists %v", got)
	})
}

// maxPhyOffset is commitLogMaxOffset of GET_BROKER_RUNTIME_INFO.
func maxPhyOffset(t *testing.T, cl *transport.Client) int64 {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	resp, err := cl.Invoke(ctx, wire.NewRequest(wire.GetBrokerRuntimeInfo))
	if err != nil || resp.ResponseCode() != wire.Success {
		t.Fatalf("runtime info: %v", err)
	}
	var kv codec.KVTable
	if err := json.Unmarshal(resp.Body, &kv); err != nil {
		t.Fatalf("runtime info body: %v", err)
	}
	v, err := strconv.ParseInt(kv.Table["commitLogMaxOffset"], 10, 64)
	if err != nil {
		t.Fatalf("commitLogMaxOffset %q", kv.Table["commitLogMaxOffset"])
	}
	return v
}

// haLoad sends count messages to topic from workers goroutines with the Go
// client and returns the bodies by send status (errors under "error").
func haLoad(t *testing.T, h *harness, topic, prefix string, workers, count int) (map[primitive.SendStatus][]string, int, time.Duration) {
	t.Helper()
	p := h.newProducer()
	var mu sync.Mutex
	byStatus := map[primitive.SendStatus][]string{}
	errs := 0
	var next atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= count {
					return
				}
				body := fmt.Sprintf("%s-%06d-%s", prefix, i, strings.Repeat("x", 200))
				ctx, cancel := context.WithTimeout(context.Background(), 2*sendTimeout)
				res, err := p.SendSync(ctx, primitive.NewMessage(topic, []byte(body)))
				cancel()
				mu.Lock()
				if err != nil {
					errs++
				} else {
					byStatus[res.Status] = append(byStatus[res.Status], body)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return byStatus, errs, time.Since(start)
}

// slaveBodies reads every queue of topic on the broker at addr with raw
// pulls and returns the bodies it serves.
func slaveBodies(t *testing.T, addr, topic string, queues int) map[string]bool {
	t.Helper()
	cl := scDial(t, addr)
	out := map[string]bool{}
	for q := range queues {
		for _, m := range scPullRange(t, cl, topic, int32(q), 0).records {
			out[string(m.Body)] = true
		}
	}
	return out
}

// TestHASyncMasterReplicatesAndServesFromSlave runs a SYNC_MASTER and a
// slave that learns the master's HA address from the NameServer: the route
// lists both, the slave refuses sends (14), every message the Go producer
// got SEND_OK for is on the slave when the send returns, and after kill -9
// of the master a Go consumer reads every one of them from the slave.
func TestHASyncMasterReplicatesAndServesFromSlave(t *testing.T) {
	c := newHACluster(t)
	master := c.broker("master", "SYNC_MASTER", 0)
	slave := c.broker("slave", "SLAVE", 1)
	h := &harness{t: t, ns: primitive.NamesrvAddr{c.nsAddr}, suffix: fmt.Sprintf("%d_%d", time.Now().UnixNano(), clientSeq.Add(1))}
	c.waitRoute("TBW102", 0, 1)

	topic := h.name("ha_sync")
	// The first send creates the topic (TBW102) on the master; it answers
	// SEND_OK once the slave acknowledged. The slave registers with the
	// NameServer before its HA connection is up; until then the master
	// answers SLAVE_NOT_AVAILABLE (the message is still stored).
	first := h.newProducer()
	eventually(t, 15*time.Second, "the first send answered SEND_OK", func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*sendTimeout)
		defer cancel()
		res, err := first.SendSync(ctx, primitive.NewMessage(topic, []byte("first")))
		if err != nil {
			return false, err.Error()
		}
		return res.Status == primitive.SendOK, fmt.Sprintf("status %v", res.Status)
	})
	c.waitRoute(topic, 0, 1)
	if resp := haInvoke(t, slave.addr, scSendRequest(topic, 4, 0, "", []byte("to the slave"))); resp.ResponseCode() != wire.ServiceNotAvailable {
		t.Fatalf("send to the slave: code %v %s, want 14", resp.ResponseCode(), resp.Remark)
	}

	byStatus, errs, took := haLoad(t, h, topic, "sync", 8, 2000)
	acked := byStatus[primitive.SendOK]
	t.Logf("SYNC_MASTER: %d SEND_OK, %d other statuses, %d errors in %v (%.0f msg/s with 8 senders)",
		len(acked), len(byStatus)-1, errs, took.Round(time.Millisecond), float64(len(acked))/took.Seconds())
	if len(acked) < 1000 {
		t.Fatalf("only %d of 2000 sends were acknowledged: %v", len(acked), statusCounts(byStatus))
	}
	// Every acknowledged message is on the slave (raw pulls from the slave;
	// its topic config is synced from the master).
	eventually(t, 20*time.Second, "slave has the topic", func() (bool, string) {
		resp := haInvoke(t, slave.addr, wire.NewRequest(wire.GetTopicConfig, wire.Field{Key: "topic", Value: topic}))
		return resp.ResponseCode() == wire.Success, resp.Remark
	})
	onSlave := slaveBodies(t, slave.addr, topic, 4)
	var missing []string
	for _, b := range acked {
		if !onSlave[b] {
			missing = append(missing, b[:13])
		}
	}
	if len(missing) > 0 {
		t.Fatalf("%d acknowledged messages are not on the slave: %v", len(missing), head(missing, 5))
	}

	// A consumer that is reading when the master dies goes on from the
	// slave. Its callback holds the first messages until the master is
	// gone, and its small per-queue cache stops it pulling ahead, so most
	// messages can only come from the slave.
	col := &collector{}
	gate := make(chan struct{})
	gated := func(ctx context.Context, msgs ...*primitive.MessageExt) (consumer.ConsumeResult, error) {
		res, err := col.consume(ctx, msgs...)
		<-gate
		return res, err
	}
	haStartPush(t, h, h.name("ha_cg"), topic, gated,
		consumer.WithPullThresholdForQueue(8), consumer.WithPullBatchSize(4), consumer.WithConsumeMessageBatchMaxSize(1))
	eventually(t, consumeWait, "consumer started reading", func() (bool, string) {
		return len(col.all()) > 0, "nothing consumed yet"
	})
	master.stop(true)
	close(gate)
	killedAt := len(col.all())
	c.waitRoute(topic, 1)
	col.waitAll(t, "every acknowledged message, from the slave", acked)
	t.Logf("consumed %d messages before kill -9 of the master, %d after (from the slave)", killedAt, len(col.all())-killedAt)
	if len(col.all())-killedAt < len(acked)/2 {
		t.Fatalf("only %d of %d messages were read after the master died", len(col.all())-killedAt, len(acked))
	}
}

// haStartPush starts a push consumer of group on topic with callback fn
// (startPush with a callback of its own).
func haStartPush(t *testing.T, h *harness, group, topic string,
	fn func(context.Context, ...*primitive.MessageExt) (consumer.ConsumeResult, error), opts ...consumer.Option) {
	t.Helper()
	base := []consumer.Option{
		consumer.WithNameServer(h.ns), consumer.WithGroupName(group),
		consumer.WithInstance(instanceName("push")), consumer.WithConsumerModel(consumer.Clustering),
		consumer.WithConsumeFromWhere(consumer.ConsumeFromFirstOffset),
	}
	pc, err := consumer.NewPushConsumer(append(base, opts...)...)
	if err != nil {
		t.Fatalf("new push consumer: %v", err)
	}
	if err := pc.Subscribe(topic, consumer.MessageSelector{}, fn); err != nil {
		t.Fatalf("subscribe %s: %v", topic, err)
	}
	if err := pc.Start(); err != nil {
		t.Fatalf("start push consumer: %v", err)
	}
	t.Cleanup(func() { _ = shutdownConsumer(pc) })
}

func statusCounts(m map[primitive.SendStatus][]string) map[primitive.SendStatus]int {
	out := map[primitive.SendStatus]int{}
	for k, v := range m {
		out[k] = len(v)
	}
	return out
}

// TestHASyncMasterWithoutSlave: a SYNC_MASTER with no slave stores the
// message but answers SLAVE_NOT_AVAILABLE, which the Go client reports as
// that send status (not an error).
func TestHASyncMasterWithoutSlave(t *testing.T) {
	c := newHACluster(t)
	c.broker("master", "SYNC_MASTER", 0)
	h := &harness{t: t, ns: primitive.NamesrvAddr{c.nsAddr}, suffix: fmt.Sprintf("%d_%d", time.Now().UnixNano(), clientSeq.Add(1))}
	c.waitRoute("TBW102", 0)
	p := h.newProducer()
	topic := h.name("ha_noslave")
	ctx, cancel := context.WithTimeout(context.Background(), 2*sendTimeout)
	defer cancel()
	res, err := p.SendSync(ctx, primitive.NewMessage(topic, []byte("alone")))
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if res.Status != primitive.SendSlaveNotAvailable || res.MsgID == "" || res.OffsetMsgID == "" {
		t.Fatalf("send to a SYNC_MASTER without slave: %s, want SLAVE_NOT_AVAILABLE with ids", res)
	}
	// The message is stored: a consumer reads it.
	col := &collector{}
	h.startPush(h.name("ha_cg"), topic, consumer.MessageSelector{}, col)
	col.waitAll(t, "the message answered SLAVE_NOT_AVAILABLE", []string{"alone"})
}

// TestHAAsyncReplicationLag measures how far an ASYNC_MASTER's slave trails
// under load: bytes behind (sampled) and the time from SEND_OK until the
// message is pullable on the slave (sampled). Figures are logged. It also
// checks the master's suggestWhichBrokerId with slaveReadEnable.
func TestHAAsyncReplicationLag(t *testing.T) {
	c := newHACluster(t)
	master := c.broker("master", "ASYNC_MASTER", 0, "slaveReadEnable", "true", "accessMessageInMemoryMaxRatio", "0")
	slave := c.broker("slave", "SLAVE", 1)
	h := &harness{t: t, ns: primitive.NamesrvAddr{c.nsAddr}, suffix: fmt.Sprintf("%d_%d", time.Now().UnixNano(), clientSeq.Add(1))}
	c.waitRoute("TBW102", 0, 1)
	topic := h.name("ha_async")
	sendSync(t, h.newProducer(), primitive.NewMessage(topic, []byte("first")))
	eventually(t, 20*time.Second, "slave has the topic", func() (bool, string) {
		resp := haInvoke(t, slave.addr, wire.NewRequest(wire.GetTopicConfig, wire.Field{Key: "topic", Value: topic}))
		return resp.ResponseCode() == wire.Success, resp.Remark
	})

	mcl, scl := scDial(t, master.addr), scDial(t, slave.addr)
	stop := make(chan struct{})
	var byteLags []int64
	var timeLags []time.Duration
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { // bytes behind, every 20 ms
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			case <-time.After(20 * time.Millisecond):
			}
			m := maxPhyOffset(t, mcl)
			s := maxPhyOffset(t, scl)
			byteLags = append(byteLags, max(0, m-s))
		}
	}()
	go func() { // every 10 ms a probe with raw remoting, then poll the slave for it
		defer wg.Done()
		pcl := scDial(t, master.addr)
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			case <-time.After(10 * time.Millisecond):
			}
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			resp, err := pcl.Invoke(ctx, scSendRequest(topic, 4, 3, "", []byte("probe-"+strconv.Itoa(i))))
			cancel()
			if err != nil || resp.ResponseCode() != wire.Success {
				continue
			}
			acked := time.Now()
			ack, err := scParseAck(resp, 1)
			if err != nil {
				continue
			}
			for time.Since(acked) < 10*time.Second {
				ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
				r, err := scl.Invoke(ctx, scPullRequest("ha_probe", topic, 3, ack.queueOffset))
				cancel()
				if err == nil && r.ResponseCode() == wire.Success {
					timeLags = append(timeLags, time.Since(acked))
					break
				}
				time.Sleep(200 * time.Microsecond)
			}
		}
	}()
	byStatus, errs, took := haLoad(t, h, topic, "async", 8, 20000)
	close(stop)
	wg.Wait()
	t.Logf("ASYNC_MASTER: %d SEND_OK, %d errors in %v (%.0f msg/s with 8 senders)",
		len(byStatus[primitive.SendOK]), errs, took.Round(time.Millisecond), float64(len(byStatus[primitive.SendOK]))/took.Seconds())
	slices.Sort(byteLags)
	sort.Slice(timeLags, func(i, j int) bool { return timeLags[i] < timeLags[j] })
	if len(byteLags) > 0 {
		t.Logf("replication lag in bytes over %d samples: p50 %d, p99 %d, max %d", len(byteLags),
			byteLags[len(byteLags)/2], byteLags[len(byteLags)*99/100], byteLags[len(byteLags)-1])
	}
	if len(timeLags) > 0 {
		t.Logf("SEND_OK to pullable on the slave over %d probes: p50 %v, p99 %v, max %v", len(timeLags),
			percentile(timeLags, 50), percentile(timeLags, 99), timeLags[len(timeLags)-1])
	}
	acked := byStatus[primitive.SendOK]
	eventually(t, 20*time.Second, "slave caught up", func() (bool, string) {
		m, s := maxPhyOffset(t, mcl), maxPhyOffset(t, scl)
		return m == s, fmt.Sprintf("master %d, slave %d", m, s)
	})
	onSlave := slaveBodies(t, slave.addr, topic, 4)
	for _, b := range acked {
		if !onSlave[b] {
			t.Fatalf("message %s is not on the slave after it caught up", b[:14])
		}
	}

	// slaveReadEnable with a 0 % memory ratio: any backlog makes the master
	// suggest the slave (whichBrokerWhenConsumeSlowly = 1); the slave
	// itself suggests the group's brokerId 0 when nothing lies behind.
	resp := haInvoke(t, master.addr, scPullRequest("ha_suggest", topic, 0, 0))
	if resp.ResponseCode() != wire.Success || resp.ExtValue("suggestWhichBrokerId") != "1" {
		t.Fatalf("pull of a backlog on the master: code %v, suggestWhichBrokerId %q, want 1",
			resp.ResponseCode(), resp.ExtValue("suggestWhichBrokerId"))
	}
}

// TestHASlaveSyncsMetadataAndKeepsOffsets: topics, subscription groups and
// consumer offsets made on the master reach the slave; an offset a
// consumer commits on the slave while the master is down reaches the
// master when it comes back.
func TestHASlaveSyncsMetadataAndKeepsOffsets(t *testing.T) {
	c := newHACluster(t)
	master := c.broker("master", "ASYNC_MASTER", 0)
	slave := c.broker("slave", "SLAVE", 1)
	c.waitRoute("TBW102", 0, 1)
	suffix := strconv.FormatInt(time.Now().UnixNano(), 36)
	topic, group := "ha_meta_"+suffix, "ha_meta_cg_"+suffix
	if resp := haInvoke(t, master.addr, wire.NewRequest(wire.UpdateAndCreateTopic,
		wire.Field{Key: "topic", Value: topic}, wire.Field{Key: "defaultTopic", Value: "TBW102"},
		wire.Field{Key: "readQueueNums", Value: "2"}, wire.Field{Key: "writeQueueNums", Value: "2"},
		wire.Field{Key: "perm", Value: "6"}, wire.Field{Key: "topicFilterType", Value: "SINGLE_TAG"})); resp.ResponseCode() != wire.Success {
		t.Fatalf("create topic: %v %s", resp.ResponseCode(), resp.Remark)
	}
	sg, _ := json.Marshal(codec.NewSubscriptionGroupConfig(group))
	req := wire.NewRequest(wire.UpdateAndCreateSubscriptiongroup)
	req.Body = sg
	if resp := haInvoke(t, master.addr, req); resp.ResponseCode() != wire.Success {
		t.Fatalf("create group: %v %s", resp.ResponseCode(), resp.Remark)
	}
	for i := range 5 {
		if resp := haInvoke(t, master.addr, scSendRequest(topic, 2, 0, "", []byte("m"+strconv.Itoa(i)))); resp.ResponseCode() != wire.Success {
			t.Fatalf("send: %v %s", resp.ResponseCode(), resp.Remark)
		}
	}
	commit := func(addr string, off int64) *wire.Command {
		return haInvoke(t, addr, wire.NewRequest(wire.UpdateConsumerOffset,
			wire.Field{Key: "consumerGroup", Value: group}, wire.Field{Key: "topic", Value: topic},
			wire.Field{Key: "queueId", Value: "0"}, wire.Field{Key: "commitOffset", Value: strconv.FormatInt(off, 10)}))
	}
	if resp := commit(master.addr, 2); resp.ResponseCode() != wire.Success {
		t.Fatalf("commit on the master: %v %s", resp.ResponseCode(), resp.Remark)
	}
	eventually(t, 20*time.Second, "slave has the topic, the group and the offset", func() (bool, string) {
		tc := haInvoke(t, slave.addr, wire.NewRequest(wire.GetTopicConfig, wire.Field{Key: "topic", Value: topic}))
		gc := haInvoke(t, slave.addr, wire.NewRequest(wire.GetSubscriptiongroupConfig, wire.Field{Key: "group", Value: group}))
		off := scCommittedOffsets(t, slave.addr, group, topic, 1)[0]
		return tc.ResponseCode() == wire.Success && gc.ResponseCode() == wire.Success && off == 2,
			fmt.Sprintf("topic %v, group %v, offset %d", tc.ResponseCode(), gc.ResponseCode(), off)
	})

	// The master goes away; a consumer (the Java client does this) commits
	// on the slave.
	master.stop(true)
	c.waitRoute(topic, 1)
	if resp := commit(slave.addr, 5); resp.ResponseCode() != wire.Success {
		t.Fatalf("commit on the slave: %v %s", resp.ResponseCode(), resp.Remark)
	}
	master.restart()
	c.waitRoute(topic, 0, 1)
	eventually(t, 30*time.Second, "the offset committed on the slave reaches the master", func() (bool, string) {
		off := scCommittedOffsets(t, master.addr, group, topic, 1)[0]
		return off == 5, fmt.Sprintf("master has %d", off)
	})
	// And the slave keeps it after syncing from the master again.
	eventually(t, 10*time.Second, "slave keeps the offset", func() (bool, string) {
		off := scCommittedOffsets(t, slave.addr, group, topic, 1)[0]
		return off == 5, fmt.Sprintf("slave has %d", off)
	})
}
