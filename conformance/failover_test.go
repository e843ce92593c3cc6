package conformance

// Automatic failover with real processes: a booster NameServer with the
// controller embedded (enableControllerInNamesrv) and two brokers of one
// broker set in controller mode with SYNC replication, as subprocesses on
// 127.0.0.1. Under produce load from the official Go client the master is
// killed with SIGKILL; the controller elects the slave, producers go on,
// every acknowledged message is read back exactly once from the new
// master, and the old master, restarted, rejoins as a slave whose log is
// cut back to the new master's (anything it wrote that was never
// acknowledged is dropped). Needs BOOSTER_TEST_BINARY (make conformance
// sets it). -failover.rounds=N repeats the kill and rejoin N times
// (alternating masters) with longer load: the soak.

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/primitive"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

var (
	failoverRounds = flag.Int("failover.rounds", 1, "kill -9 / rejoin rounds of TestFailoverControllerKillMaster (soak: 5 or more)")
	failoverLoad   = flag.Duration("failover.load", 2*time.Second, "produce load before and after each kill")
)

// foCluster is a NameServer with an embedded controller plus the brokers
// of broker set "broker-fo" in controller mode.
type foCluster struct {
	*haCluster
	ctlAddr string
}

func newFailoverCluster(t *testing.T) *foCluster {
	t.Helper()
	c := newHAClusterNoNamesrv(t)
	nsPort, ctlPort := testutil.FreePort(t, 0), testutil.FreePort(t, 2)
	c.nsAddr = fmt.Sprintf("127.0.0.1:%d", nsPort)
	fc := &foCluster{haCluster: c, ctlAddr: fmt.Sprintf("127.0.0.1:%d", ctlPort)}
	ns := c.start("namesrv", "namesrv", map[string]string{
		"listenPort": strconv.Itoa(nsPort), "bindAddress": "127.0.0.1",
		"kvConfigPath":              filepath.Join(c.dir, "kvConfig.json"),
		"enableControllerInNamesrv": "true",
		"controllerPeers":           "n0-" + fc.ctlAddr, "controllerSelfId": "n0",
		"controllerStorePath":         filepath.Join(c.dir, "controller"),
		"scanNotActiveBrokerInterval": "500", "brokerHeartbeatTimeoutMills": "3000",
	})
	ns.addr = c.nsAddr
	ns.waitUp()
	t.Cleanup(c.stopAll)
	fc.waitLeader()
	return fc
}

// waitLeader waits until the controller says it is the raft leader.
func (c *foCluster) waitLeader() {
	c.t.Helper()
	eventually(c.t, 20*time.Second, "controller leader", func() (bool, string) {
		resp, err := foInvoke(c.ctlAddr, wire.NewRequest(wire.ControllerGetMetadataInfo))
		if err != nil {
			return false, err.Error()
		}
		return resp.ExtValue("isLeader") == "true", "isLeader=" + resp.ExtValue("isLeader")
	})
}

// newHAClusterNoNamesrv is newHACluster's set-up without its NameServer.
func newHAClusterNoNamesrv(t *testing.T) *haCluster {
	t.Helper()
	bin := os.Getenv("BOOSTER_TEST_BINARY")
	if bin == "" {
		t.Skip("needs the booster binary: set BOOSTER_TEST_BINARY (make conformance does)")
	}
	if os.Getenv("BOOSTER_TEST_NAMESRV") != "" {
		t.Skip("runs its own NameServer and brokers")
	}
	return &haCluster{t: t, bin: bin, dir: t.TempDir()}
}

// broker starts a controller-mode broker of broker-fo (SYNC replication,
// haListenPort the default listenPort + 1).
func (c *foCluster) broker(name string) *haProc {
	c.t.Helper()
	port := testutil.FreePort(c.t, 2)
	p := c.start(name, "broker", map[string]string{
		"brokerClusterName": "FOCluster", "brokerName": "broker-fo", "brokerRole": "SYNC_MASTER",
		"brokerIP1": "127.0.0.1", "bindAddress": "127.0.0.1", "listenPort": strconv.Itoa(port),
		"namesrvAddr": c.nsAddr, "storePathRootDir": filepath.Join(c.dir, name),
		"mappedFileSizeCommitLog": strconv.Itoa(64 << 20), "registerNameServerPeriod": "10000",
		"slaveSyncInterval": "1000", "flushConsumerOffsetInterval": "1000", "grpcServerPort": "0", "consolePort": "0",
		"enableControllerMode": "true", "controllerAddr": c.ctlAddr,
		"brokerHeartbeatInterval": "200", "controllerHeartBeatTimeoutMills": "3000",
	})
	p.addr = fmt.Sprintf("127.0.0.1:%d", port)
	p.waitUp()
	return p
}

// foInvoke sends one request on a fresh connection.
func foInvoke(addr string, req *wire.Command) (*wire.Command, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	cl, err := transport.Dial(ctx, addr)
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	return cl.Invoke(ctx, req)
}

// replica is the controller's view of broker-fo.
func (c *foCluster) replica() (master string, epoch int, set []int64, err error) {
	resp, err := foInvoke(c.ctlAddr, wire.NewRequest(wire.ControllerGetReplicaInfo, wire.Field{Key: "brokerName", Value: "broker-fo"}))
	if err != nil {
		return "", 0, nil, err
	}
	if resp.ResponseCode() != wire.Success {
		return "", 0, nil, fmt.Errorf("%v %s", resp.ResponseCode(), resp.Remark)
	}
	var body struct {
		SyncStateSet []int64 `json:"syncStateSet"`
	}
	_ = json.Unmarshal(resp.Body, &body)
	epoch, _ = strconv.Atoi(resp.ExtValue("masterEpoch"))
	return resp.ExtValue("masterAddress"), epoch, body.SyncStateSet, nil
}

// waitInSync waits until the controller names a master whose SyncStateSet
// holds both replicas, and returns the master's address and epoch.
func (c *foCluster) waitInSync(what string) (string, int) {
	c.t.Helper()
	var master string
	var epoch int
	eventually(c.t, 30*time.Second, what, func() (bool, string) {
		m, e, set, err := c.replica()
		if err != nil {
			return false, err.Error()
		}
		master, epoch = m, e
		return m != "" && len(set) == 2, fmt.Sprintf("master %q epoch %d SyncStateSet %v", m, e, set)
	})
	return master, epoch
}

// masterRoute is the address the NameServer routes topic's brokerId 0 to
// and the topic's write queue count.
func (c *foCluster) masterRoute(topic string) (string, int) {
	resp, err := foInvoke(c.nsAddr, wire.NewRequest(wire.GetRouteinfoByTopic, wire.Field{Key: "topic", Value: topic}))
	if err != nil || resp.ResponseCode() != wire.Success {
		return "", 0
	}
	var rd codec.TopicRouteData
	if json.Unmarshal(codec.QuoteNumericKeys(resp.Body), &rd) != nil || len(rd.BrokerDatas) == 0 {
		return "", 0
	}
	queues := 0
	for _, q := range rd.QueueDatas {
		queues = max(queues, int(q.WriteQueueNums))
	}
	return rd.BrokerDatas[0].BrokerAddrs[0], queues
}

// foLedger records what the producers were told.
type foLedger struct {
	mu      sync.Mutex
	acked   []string
	other   map[string]int
	errs    int
	lastOK  time.Time
	killed  time.Time // the last kill; firstOK is the first SEND_OK of a send begun after it
	firstOK time.Time
	seq     atomic.Int64
	running atomic.Bool
}

// produce sends from workers goroutines until stop is closed.
func (l *foLedger) produce(h *harness, topic string, workers int, stop <-chan struct{}, wg *sync.WaitGroup) {
	p := h.newProducer()
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				body := fmt.Sprintf("fo-%d-%07d-%s", w, l.seq.Add(1), strings.Repeat("y", 100))
				began := time.Now()
				ctx, cancel := context.WithTimeout(context.Background(), 2*sendTimeout)
				res, err := p.SendSync(ctx, primitive.NewMessage(topic, []byte(body)))
				cancel()
				l.mu.Lock()
				switch {
				case err != nil:
					l.errs++
				case res.Status == primitive.SendOK:
					l.acked = append(l.acked, body)
					l.lastOK = time.Now()
					if !l.killed.IsZero() && l.firstOK.IsZero() && began.After(l.killed) {
						l.firstOK = l.lastOK
					}
				default:
					l.other[fmt.Sprint(res.Status)]++
				}
				l.mu.Unlock()
				if err != nil {
					time.Sleep(20 * time.Millisecond)
				}
			}
		}()
	}
}

func (l *foLedger) snapshot() (acked int, lastOK time.Time, errs int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.acked), l.lastOK, l.errs
}

// bodies counts the messages of topic on the broker at addr, by body.
func foBodies(t *testing.T, addr, topic string, queues int) map[string]int {
	t.Helper()
	cl := scDial(t, addr)
	out := map[string]int{}
	for q := range queues {
		for _, m := range scPullRange(t, cl, topic, int32(q), 0).records {
			out[string(m.Body)]++
		}
	}
	return out
}

func TestFailoverControllerKillMaster(t *testing.T) {
	c := newFailoverCluster(t)
	procs := map[string]*haProc{}
	for _, name := range []string{"fo-a", "fo-b"} {
		p := c.broker(name)
		procs[p.addr] = p
	}
	masterAddr, epoch := c.waitInSync("a master with both replicas in sync")
	t.Logf("controller: master %s, epoch %d", masterAddr, epoch)

	h := &harness{t: t, ns: primitive.NamesrvAddr{c.nsAddr}, suffix: fmt.Sprintf("%d_%d", time.Now().UnixNano(), clientSeq.Add(1))}
	topic := h.name("failover")
	eventually(t, 30*time.Second, "TBW102 routed to the master", func() (bool, string) {
		a, _ := c.masterRoute("TBW102")
		return a == masterAddr, "master in route: " + a
	})
	sendSync(t, h.newProducer(), primitive.NewMessage(topic, []byte("first")))
	var queues int
	eventually(t, 30*time.Second, "topic routed", func() (bool, string) {
		var a string
		a, queues = c.masterRoute(topic)
		return a == masterAddr && queues > 0, "route master " + a
	})

	l := &foLedger{other: map[string]int{}}
	probes := []string{}
	for round := 1; round <= *failoverRounds; round++ {
		master := procs[masterAddr]
		var slave *haProc
		for a, p := range procs {
			if a != masterAddr {
				slave = p
			}
		}
		// The slave must have the topic before it can take over.
		eventually(t, 30*time.Second, "slave has the topic", func() (bool, string) {
			resp, err := foInvoke(slave.addr, wire.NewRequest(wire.GetTopicConfig, wire.Field{Key: "topic", Value: topic}))
			if err != nil {
				return false, err.Error()
			}
			return resp.ResponseCode() == wire.Success, resp.Remark
		})

		stop := make(chan struct{})
		var wg sync.WaitGroup
		l.produce(h, topic, 4, stop, &wg)
		// Replication lag under load: the master's commit-log end minus the
		// slave's, sampled while producing.
		mc, sc := scDial(t, master.addr), scDial(t, slave.addr)
		var lags []int64
		for end := time.Now().Add(*failoverLoad); time.Now().Before(end); time.Sleep(100 * time.Millisecond) {
			m, s := maxPhyOffset(t, mc), maxPhyOffset(t, sc)
			lags = append(lags, max(m-s, 0))
		}
		slices.Sort(lags)
		before, _, _ := l.snapshot()
		t.Logf("round %d: replication lag under load (SYNC, 4 senders, %d samples): median %d B, max %d B; %d SEND_OK so far",
			round, len(lags), lags[len(lags)/2], lags[len(lags)-1], before)

		// kill -9 the master under load.
		killed := time.Now()
		l.mu.Lock()
		l.killed, l.firstOK = killed, time.Time{}
		l.mu.Unlock()
		master.stop(true)

		// Probe: the first SEND_OK through the route the NameServer gives.
		var failover time.Duration
		for n := 0; ; n++ {
			if time.Since(killed) > 30*time.Second {
				t.Fatalf("round %d: no master took writes within 30 s of the kill", round)
			}
			addr, _ := c.masterRoute(topic)
			if addr != "" && addr != master.addr {
				body := fmt.Sprintf("probe-%d-%d", round, n)
				resp, err := foInvoke(addr, scSendRequest(topic, queues, n%queues, scProps(codec.PropertyWaitStoreMsgOK, "true"), []byte(body)))
				if err == nil && resp.ResponseCode() == wire.Success {
					failover = time.Since(killed)
					probes = append(probes, body)
					break
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
		newMaster, newEpoch, _, err := c.replica()
		if err != nil || newMaster != slave.addr || newEpoch <= epoch {
			t.Fatalf("round %d: controller names %q epoch %d (%v), want %s after epoch %d", round, newMaster, newEpoch, err, slave.addr, epoch)
		}
		// The Go producer goes on once its route refresh (30 s in the Go
		// client) shows the new master.
		eventually(t, 60*time.Second, "the Go producer sends again", func() (bool, string) {
			l.mu.Lock()
			defer l.mu.Unlock()
			return !l.firstOK.IsZero(), "no SEND_OK for a send begun after the kill"
		})
		_, _, errs := l.snapshot()
		l.mu.Lock()
		resumed := l.firstOK
		l.mu.Unlock()
		t.Logf("round %d: failover time (kill -9 → first SEND_OK through the NameServer's route): %v; Go producer sending again after %v (its route refresh); %d send errors so far",
			round, failover.Round(time.Millisecond), resumed.Sub(killed).Round(time.Millisecond), errs)
		time.Sleep(*failoverLoad)

		// The old master rejoins as a slave while the load goes on.
		master.restart()
		masterAddr, epoch = c.waitInSync("the old master back in the SyncStateSet")
		if masterAddr != slave.addr {
			t.Fatalf("round %d: master is %s after the rejoin, want %s", round, masterAddr, slave.addr)
		}
		time.Sleep(*failoverLoad / 2)
		close(stop)
		wg.Wait()

		// Every acknowledged message is on the new master exactly once, and
		// the rejoined replica holds the same messages (its unacknowledged
		// tail was cut).
		l.mu.Lock()
		acked := append(slices.Clone(l.acked), probes...)
		l.mu.Unlock()
		onMaster := foBodies(t, slave.addr, topic, queues)
		var missing, dup []string
		for _, b := range acked {
			switch onMaster[b] {
			case 0:
				missing = append(missing, b[:min(len(b), 16)])
			case 1:
			default:
				dup = append(dup, b[:min(len(b), 16)])
			}
		}
		if len(missing) > 0 || len(dup) > 0 {
			t.Fatalf("round %d: of %d acknowledged messages %d are missing on the new master (%v) and %d duplicated (%v)",
				round, len(acked), len(missing), head(missing, 5), len(dup), head(dup, 5))
		}
		eventually(t, 30*time.Second, "the rejoined replica caught up", func() (bool, string) {
			m, s := maxPhyOffset(t, scDial(t, slave.addr)), maxPhyOffset(t, scDial(t, master.addr))
			return m == s, fmt.Sprintf("master %d, rejoined %d", m, s)
		})
		onRejoined := foBodies(t, master.addr, topic, queues)
		if len(onRejoined) != len(onMaster) {
			t.Fatalf("round %d: the rejoined replica has %d distinct messages, the master %d", round, len(onRejoined), len(onMaster))
		}
		for b, n := range onMaster {
			if onRejoined[b] != n {
				t.Fatalf("round %d: message %.16s: %d on the master, %d on the rejoined replica", round, b, n, onRejoined[b])
			}
		}
		t.Logf("round %d: %d acknowledged messages read back exactly once from the new master (%d stored in all, %d errors, other statuses %v); the rejoined replica serves the same",
			round, len(acked), len(onMaster), l.errs, l.other)
	}
}

// TestFailoverMasterFencedWithoutController runs a stand-alone controller
// (booster controller) and freezes it (SIGSTOP), cutting the master off
// from the controller: after controllerHeartBeatTimeoutMills the master
// refuses writes (14), and once the controller is back a master takes
// writes again.
func TestFailoverMasterFencedWithoutController(t *testing.T) {
	c := newHACluster(t)
	ctlPort := testutil.FreePort(t, 2)
	fc := &foCluster{haCluster: c, ctlAddr: fmt.Sprintf("127.0.0.1:%d", ctlPort)}
	ctl := c.start("controller", "controller", map[string]string{
		"controllerPeers": "n0-" + fc.ctlAddr, "controllerSelfId": "n0",
		"controllerStorePath":         filepath.Join(c.dir, "controller"),
		"scanNotActiveBrokerInterval": "500", "brokerHeartbeatTimeoutMills": "3000",
	})
	ctl.addr = fc.ctlAddr
	ctl.waitUp()
	fc.waitLeader()
	procs := map[string]*haProc{}
	for _, name := range []string{"fence-a", "fence-b"} {
		p := fc.broker(name)
		procs[p.addr] = p
	}
	masterAddr, _ := fc.waitInSync("a master with both replicas in sync")
	topic := fmt.Sprintf("fo_fence_%d", time.Now().UnixNano())
	send := func(addr string, n int) *wire.Command {
		resp, err := foInvoke(addr, scSendRequest(topic, 4, n%4, scProps(codec.PropertyWaitStoreMsgOK, "true"), []byte("fence-"+strconv.Itoa(n))))
		if err != nil {
			return wire.NewResponse(wire.NewRequest(wire.SendMessageV2), wire.SystemError, err.Error())
		}
		return resp
	}
	eventually(t, 10*time.Second, "the master takes writes", func() (bool, string) {
		resp := send(masterAddr, 0)
		return resp.ResponseCode() == wire.Success, resp.Remark
	})

	if err := ctl.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ctl.cmd.Process.Signal(syscall.SIGCONT) })
	frozen := time.Now()
	var fenced time.Duration
	for n := 1; ; n++ {
		resp := send(masterAddr, n)
		if resp.ResponseCode() == wire.ServiceNotAvailable {
			fenced = time.Since(frozen)
			break
		}
		if time.Since(frozen) > 20*time.Second {
			t.Fatalf("the master still answers %v %q 20 s after losing the controller", resp.ResponseCode(), resp.Remark)
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Logf("master fenced %v after the controller froze (controllerHeartBeatTimeoutMills 3000)", fenced.Round(time.Millisecond))
	if fenced < 2*time.Second {
		t.Fatalf("fenced after %v, before the 3 s heartbeat timeout", fenced)
	}

	if err := ctl.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	// Right after the thaw the controller still names the fenced master;
	// its first scan may find every heartbeat stale and elect again, so
	// the master is read afresh on every attempt.
	var master string
	eventually(t, 30*time.Second, "a master takes writes again", func() (bool, string) {
		m, e, set, err := fc.replica()
		if err != nil || m == "" {
			return false, fmt.Sprintf("controller: master %q epoch %d SyncStateSet %v err %v", m, e, set, err)
		}
		master = m
		resp := send(m, 1000)
		return resp.ResponseCode() == wire.Success, fmt.Sprintf("%s (epoch %d): %s", m, e, resp.Remark)
	})
	t.Logf("after the controller came back, %s is master", procs[master].name)
}

// TestFailoverRejoinTruncatesUnacknowledged makes the master write what
// its slave never gets: the slave is frozen (SIGSTOP) and the master
// takes more sync sends than the sockets between them buffer; they are
// stored on the master and answered FLUSH_SLAVE_TIMEOUT. Then the master
// is killed and the slave thawed and elected; the old master, restarted,
// rejoins as a slave and cuts what the new master does not have off its
// log, so both serve the same messages.
func TestFailoverRejoinTruncatesUnacknowledged(t *testing.T) {
	c := newFailoverCluster(t)
	procs := map[string]*haProc{}
	for _, name := range []string{"tr-a", "tr-b"} {
		p := c.broker(name)
		procs[p.addr] = p
	}
	masterAddr, epoch := c.waitInSync("a master with both replicas in sync")
	master := procs[masterAddr]
	var slave *haProc
	for a, p := range procs {
		if a != masterAddr {
			slave = p
		}
	}
	topic := fmt.Sprintf("fo_trunc_%d", time.Now().UnixNano())
	send := func(addr, body string) *wire.Command {
		resp, err := foInvoke(addr, scSendRequest(topic, 4, len(body)%4, scProps(codec.PropertyWaitStoreMsgOK, "true"), []byte(body)))
		if err != nil {
			return wire.NewResponse(wire.NewRequest(wire.SendMessageV2), wire.SystemError, err.Error())
		}
		return resp
	}
	var acked []string
	for i := range 20 {
		body := fmt.Sprintf("acked-%02d", i)
		eventually(t, 10*time.Second, "SEND_OK for "+body, func() (bool, string) {
			resp := send(masterAddr, body)
			return resp.ResponseCode() == wire.Success, fmt.Sprint(resp.ResponseCode(), " ", resp.Remark)
		})
		acked = append(acked, body)
	}
	eventually(t, 20*time.Second, "slave has the topic and every acknowledged message", func() (bool, string) {
		resp, err := foInvoke(slave.addr, wire.NewRequest(wire.GetTopicConfig, wire.Field{Key: "topic", Value: topic}))
		if err != nil || resp.ResponseCode() != wire.Success {
			return false, "no topic on the slave"
		}
		return len(foBodies(t, slave.addr, topic, 4)) == len(acked), "messages missing on the slave"
	})

	if err := slave.cmd.Process.Signal(syscall.SIGSTOP); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if slave.cmd != nil {
			_ = slave.cmd.Process.Signal(syscall.SIGCONT)
		}
	})
	var wg sync.WaitGroup
	codes := make([]wire.ResponseCode, 32)
	for i := range codes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i] = send(masterAddr, fmt.Sprintf("unacked-%02d-%s", i, strings.Repeat("z", 1<<20))).ResponseCode()
		}()
	}
	wg.Wait()
	for i, code := range codes {
		if code == wire.Success {
			t.Fatalf("unacked-%02d: SEND_OK without the frozen slave", i)
		}
	}
	stored := maxPhyOffset(t, scDial(t, masterAddr))
	master.stop(true)
	if err := slave.cmd.Process.Signal(syscall.SIGCONT); err != nil {
		t.Fatal(err)
	}
	eventually(t, 30*time.Second, "the thawed slave elected", func() (bool, string) {
		m, e, _, err := c.replica()
		if err != nil {
			return false, err.Error()
		}
		return m == slave.addr && e > epoch, fmt.Sprintf("master %q epoch %d", m, e)
	})
	promotedAt := maxPhyOffset(t, scDial(t, slave.addr))
	if promotedAt >= stored {
		t.Fatalf("the slave had %d bytes, the master %d: nothing to truncate", promotedAt, stored)
	}
	eventually(t, 10*time.Second, "the new master takes writes", func() (bool, string) {
		resp := send(slave.addr, "after-failover")
		return resp.ResponseCode() == wire.Success, resp.Remark
	})
	acked = append(acked, "after-failover")

	master.restart()
	c.waitInSync("the old master back in the SyncStateSet")
	eventually(t, 20*time.Second, "the rejoined replica caught up", func() (bool, string) {
		m, s := maxPhyOffset(t, scDial(t, slave.addr)), maxPhyOffset(t, scDial(t, master.addr))
		return m == s, fmt.Sprintf("master %d, rejoined %d", m, s)
	})
	onMaster, onRejoined := foBodies(t, slave.addr, topic, 4), foBodies(t, master.addr, topic, 4)
	for _, b := range acked {
		if onMaster[b] != 1 || onRejoined[b] != 1 {
			t.Fatalf("%s stored %d times on the new master, %d on the rejoined replica", b, onMaster[b], onRejoined[b])
		}
	}
	unacked := 0
	for b, n := range onMaster {
		if onRejoined[b] != n {
			t.Fatalf("%.10s: %d on the new master, %d on the rejoined replica", b, n, onRejoined[b])
		}
		if strings.HasPrefix(b, "unacked-") {
			unacked++
		}
	}
	if len(onRejoined) != len(onMaster) {
		t.Fatalf("the rejoined replica has %d messages, the new master %d", len(onRejoined), len(onMaster))
	}
	t.Logf("old master wrote %d bytes, the slave had %d when promoted (%d of %d unacknowledged messages); the rejoined replica cut %d bytes",
		stored, promotedAt, unacked, len(codes), stored-promotedAt)
}

// TestFailoverControllerGroup runs three stand-alone controllers (one raft
// group over TCP): followers answer CONTROLLER_NOT_LEADER, brokers find
// the leader, and after kill -9 of the controller leader the new leader
// still elects a new master when the master dies.
func TestFailoverControllerGroup(t *testing.T) {
	c := newHACluster(t)
	var peers []string
	var addrs []string
	for i := range 3 {
		a := fmt.Sprintf("127.0.0.1:%d", testutil.FreePort(t, 2))
		addrs = append(addrs, a)
		peers = append(peers, fmt.Sprintf("n%d-%s", i, a))
	}
	ctls := map[string]*haProc{}
	for i, a := range addrs {
		p := c.start(fmt.Sprintf("controller-%d", i), "controller", map[string]string{
			"controllerPeers": strings.Join(peers, ";"), "controllerSelfId": fmt.Sprintf("n%d", i),
			"controllerStorePath":         filepath.Join(c.dir, "controllers"),
			"scanNotActiveBrokerInterval": "500", "brokerHeartbeatTimeoutMills": "3000",
		})
		p.addr = a
		ctls[a] = p
	}
	for _, p := range ctls {
		p.waitUp()
	}
	leader := func() string {
		for _, a := range addrs {
			if p := ctls[a]; p.cmd == nil {
				continue
			}
			if resp, err := foInvoke(a, wire.NewRequest(wire.ControllerGetMetadataInfo)); err == nil && resp.ExtValue("isLeader") == "true" {
				return a
			}
		}
		return ""
	}
	var lead string
	eventually(t, 30*time.Second, "a controller leader", func() (bool, string) {
		lead = leader()
		return lead != "", "no leader yet"
	})
	fc := &foCluster{haCluster: c, ctlAddr: strings.Join(addrs, ";")}
	procs := map[string]*haProc{}
	for _, name := range []string{"grp-a", "grp-b"} {
		p := fc.broker(name)
		procs[p.addr] = p
	}
	fc.ctlAddr = lead
	masterAddr, epoch := fc.waitInSync("a master with both replicas in sync")
	for _, a := range addrs {
		if a == lead {
			continue
		}
		resp, err := foInvoke(a, wire.NewRequest(wire.ControllerGetReplicaInfo, wire.Field{Key: "brokerName", Value: "broker-fo"}))
		if err != nil || resp.ResponseCode() != wire.ControllerNotLeader {
			t.Fatalf("follower %s answered %v %v, want CONTROLLER_NOT_LEADER", a, resp, err)
		}
	}

	// The controller leader dies; another takes over with the same state.
	ctls[lead].stop(true)
	eventually(t, 30*time.Second, "a new controller leader", func() (bool, string) {
		l := leader()
		fc.ctlAddr = l
		return l != "" && l != lead, "no new leader yet"
	})
	m, e, set, err := fc.replica()
	if err != nil || m != masterAddr || e != epoch || len(set) != 2 {
		t.Fatalf("after the controller failover: master %q epoch %d set %v (%v), want %s epoch %d", m, e, set, err, masterAddr, epoch)
	}

	// The broker master dies; the new controller leader promotes the slave.
	procs[masterAddr].stop(true)
	eventually(t, 30*time.Second, "the slave promoted by the new controller leader", func() (bool, string) {
		m, e, _, err := fc.replica()
		if err != nil {
			return false, err.Error()
		}
		return m != "" && m != masterAddr && e > epoch, fmt.Sprintf("master %q epoch %d", m, e)
	})
	t.Logf("controller leader %s killed; the new leader %s promoted the slave", lead, fc.ctlAddr)
}

// TestFailoverJavaMQAdminReadsController runs Apache's mqadmin
// getControllerMetaData and getSyncStateSet against the controller
// embedded in the NameServer: the bytes of CONTROLLER_GET_METADATA_INFO
// and CONTROLLER_GET_SYNC_STATE_DATA as Apache's tools read them.
func TestFailoverJavaMQAdminReadsController(t *testing.T) {
	cp := javaMQAdminClasspath(t)
	c := newFailoverCluster(t)
	var addrs []string
	for _, name := range []string{"mq-a", "mq-b"} {
		addrs = append(addrs, c.broker(name).addr)
	}
	master, _ := c.waitInSync("a master with both replicas in sync")
	j := startJavaMQAdmin(t, cp, c.nsAddr)
	out, errOut, err := j.try(0, "getControllerMetaData", "-a", c.ctlAddr)
	if err != nil || !strings.Contains(out, "ControllerLeaderAddress\t"+c.ctlAddr) {
		t.Fatalf("getControllerMetaData: %v\n%s\n%s", err, out, errOut)
	}
	t.Logf("getControllerMetaData:\n%s", out)
	out, errOut, err = j.try(0, "getSyncStateSet", "-a", c.ctlAddr, "-b", "broker-fo")
	if err != nil {
		t.Fatalf("getSyncStateSet: %v\n%s", err, errOut)
	}
	for _, a := range append(addrs, master) {
		if !strings.Contains(out, a) {
			t.Fatalf("getSyncStateSet does not name %s:\n%s\n%s", a, out, errOut)
		}
	}
	t.Logf("getSyncStateSet:\n%s", out)
}

// foApacheLib is the directory of Apache RocketMQ 5.x jars that
// scripts/apache/start.sh keeps (BOOSTER_APACHE_CACHE, else
// ~/.cache/booster-apache/5.3.3), or "" when it or java is missing.
func foApacheLib() string {
	cache := os.Getenv("BOOSTER_APACHE_CACHE")
	if cache == "" {
		home, err := os.UserHomeDir()
		if err != nil {
			return ""
		}
		cache = filepath.Join(home, ".cache", "booster-apache", "5.3.3")
	}
	lib := filepath.Join(cache, "lib")
	if _, err := os.Stat(filepath.Join(lib)); err != nil {
		return ""
	}
	if _, err := exec.LookPath(javaBinary()); err != nil {
		return ""
	}
	return lib
}

// TestFailoverApacheBrokersWithBoosterController runs two Apache RocketMQ
// 5.3.3 brokers in controller mode (AutoSwitchHA replication between them)
// against Booster's controller embedded in a Booster NameServer: they
// register, the master reports its SyncStateSet, and after kill -9 of the
// master Booster's controller promotes the slave, which takes sends.
// Needs the jars scripts/apache/start.sh downloads and a JDK.
func TestFailoverApacheBrokersWithBoosterController(t *testing.T) {
	lib := foApacheLib()
	if lib == "" {
		t.Skip("needs Apache RocketMQ 5.3.3 jars (scripts/apache/start.sh fetches them) and java")
	}
	c := newFailoverCluster(t)
	procs := map[string]*exec.Cmd{}
	for i := range 2 {
		port := testutil.FreePort(t, 2)
		dir := filepath.Join(c.dir, fmt.Sprintf("apache-%d", i))
		if err := os.MkdirAll(dir, 0o755); err != nil {
			t.Fatal(err)
		}
		conf := strings.Join([]string{
			"brokerClusterName=FOCluster", "brokerName=broker-fo", "brokerRole=SLAVE",
			"brokerIP1=127.0.0.1", "brokerIP2=127.0.0.1", "bindAddress=127.0.0.1",
			"listenPort=" + strconv.Itoa(port), "namesrvAddr=" + c.nsAddr,
			"storePathRootDir=" + filepath.Join(dir, "store"), "storePathCommitLog=" + filepath.Join(dir, "store", "commitlog"),
			"mappedFileSizeCommitLog=" + strconv.Itoa(64<<20), "autoCreateTopicEnable=true",
			"enableControllerMode=true", "controllerAddr=" + c.ctlAddr,
		}, "\n") + "\n"
		if err := os.WriteFile(filepath.Join(dir, "broker.conf"), []byte(conf), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command(javaBinary(), "-Xms128m", "-Xmx384m", "-Duser.home="+dir, "-Drocketmq.home.dir="+dir,
			"--add-opens=java.base/java.nio=ALL-UNNAMED", "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
			"--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
			"-cp", filepath.Join(lib, "*"), "org.apache.rocketmq.broker.BrokerStartup", "-c", filepath.Join(dir, "broker.conf"))
		cmd.Env = append(os.Environ(), "ROCKETMQ_HOME="+dir)
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		addr := fmt.Sprintf("127.0.0.1:%d", port)
		procs[addr] = cmd
		t.Cleanup(func() {
			if cmd.ProcessState == nil {
				_ = cmd.Process.Kill()
				_ = cmd.Wait()
			}
			if t.Failed() {
				if b, err := os.ReadFile(filepath.Join(dir, "logs", "rocketmqlogs", "broker.log")); err == nil {
					t.Logf("%s broker.log (tail):\n%s", addr, b[max(0, len(b)-4000):])
				}
			}
		})
	}
	master, epoch := c.waitInSync("the Apache brokers registered, a master elected, both in sync")
	t.Logf("Booster controller: Apache broker %s is master (epoch %d), SyncStateSet of two", master, epoch)

	killed := time.Now()
	_ = procs[master].Process.Kill()
	_ = procs[master].Wait()
	var newMaster string
	eventually(t, 30*time.Second, "the other Apache broker promoted", func() (bool, string) {
		m, e, _, err := c.replica()
		if err != nil {
			return false, err.Error()
		}
		newMaster = m
		return m != "" && m != master && e > epoch, fmt.Sprintf("master %q epoch %d", m, e)
	})
	topic := fmt.Sprintf("fo_apache_%d", time.Now().UnixNano())
	eventually(t, 30*time.Second, "the promoted Apache broker takes sends", func() (bool, string) {
		resp, err := foInvoke(newMaster, scSendRequest(topic, 4, 0, scProps(codec.PropertyWaitStoreMsgOK, "true"), []byte("after failover")))
		if err != nil {
			return false, err.Error()
		}
		return resp.ResponseCode() == wire.Success, fmt.Sprint(resp.ResponseCode(), " ", resp.Remark)
	})
	t.Logf("kill -9 of the Apache master → the promoted Apache broker took a send after %v", time.Since(killed).Round(time.Millisecond))
}
