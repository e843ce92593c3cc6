package broker_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

const (
	txnHalfTopic = "RMQ_SYS_TRANS_HALF_TOPIC"
	txnOpTopic   = "RMQ_SYS_TRANS_OP_HALF_TOPIC"
)

// txnHeartbeat registers the client's connection as a member of producer
// group pg, the way producers heartbeat.
func txnHeartbeat(t *testing.T, cl *transport.Client, pg string) {
	t.Helper()
	body, _ := json.Marshal(codec.HeartbeatData{ClientID: "txn-client@" + pg, ProducerDataSet: []codec.ProducerData{{GroupName: pg}}})
	req := wire.NewRequest(wire.HeartBeat)
	req.Body = body
	if r := invoke(t, cl, req); r.ResponseCode() != wire.Success {
		t.Fatalf("heartbeat: %d %s", r.Code, r.Remark)
	}
}

// txnSend sends a transactional half message the way the Go producer does
// (TRAN_MSG, PGROUP, sysFlag 4) and returns the SEND response.
func txnSend(t *testing.T, cl *transport.Client, topic string, queueID int, pg, body string, extra ...string) *wire.Command {
	t.Helper()
	props := codec.AppendProperty(nil, codec.PropertyTransactionPrepared, "true")
	props = codec.AppendProperty(props, codec.PropertyProducerGroup, pg)
	props = codec.AppendProperty(props, codec.PropertyUniqKey, fmt.Sprintf("UNIQ%028d", time.Now().UnixNano()))
	props = codec.AppendProperty(props, codec.PropertyTags, "TagT")
	for i := 0; i+1 < len(extra); i += 2 {
		props = codec.AppendProperty(props, extra[i], extra[i+1])
	}
	req := sendV2(topic, queueID, string(props), []byte(body))
	req.SetExt("f", "4") // TRANSACTION_PREPARED_TYPE
	resp := invoke(t, cl, req)
	if resp.ResponseCode() != wire.Success {
		t.Fatalf("send half %s: %d %s", body, resp.Code, resp.Remark)
	}
	return resp
}

// txnEnd sends END_TRANSACTION (unflagged, so the broker answers) for the
// half message a SEND response or a check named.
func txnEnd(t *testing.T, cl *transport.Client, pg string, queueOffset, clOffset int64, kind int, fromCheck bool) *wire.Command {
	t.Helper()
	req := wire.NewRequest(wire.EndTransaction,
		wire.Field{Key: "producerGroup", Value: pg},
		wire.Field{Key: "tranStateTableOffset", Value: strconv.FormatInt(queueOffset, 10)},
		wire.Field{Key: "commitLogOffset", Value: strconv.FormatInt(clOffset, 10)},
		wire.Field{Key: "commitOrRollback", Value: strconv.Itoa(kind)},
		wire.Field{Key: "fromTransactionCheck", Value: strconv.FormatBool(fromCheck)},
		wire.Field{Key: "msgId", Value: "x"})
	return invoke(t, cl, req)
}

// halfOffsets returns the half record's queue and commit-log offsets a
// SEND response names.
func halfOffsets(t *testing.T, resp *wire.Command) (int64, int64) {
	t.Helper()
	q, err := strconv.ParseInt(resp.ExtValue("queueOffset"), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	_, off, err := codec.DecodeOffsetMsgID(resp.ExtValue("msgId"))
	if err != nil {
		t.Fatal(err)
	}
	return q, off
}

// txnPull pulls up to 32 records of a queue from offset with subscription "*".
func txnPull(t *testing.T, cl *transport.Client, topic string, queueID int, offset int64) []codec.Message {
	t.Helper()
	pull := wire.NewRequest(wire.PullMessage,
		wire.Field{Key: "consumerGroup", Value: "txn_reader"}, wire.Field{Key: "topic", Value: topic},
		wire.Field{Key: "queueId", Value: strconv.Itoa(queueID)}, wire.Field{Key: "queueOffset", Value: strconv.FormatInt(offset, 10)},
		wire.Field{Key: "maxMsgNums", Value: "32"}, wire.Field{Key: "sysFlag", Value: "4"},
		wire.Field{Key: "commitOffset", Value: "0"}, wire.Field{Key: "suspendTimeoutMillis", Value: "0"},
		wire.Field{Key: "subscription", Value: "*"}, wire.Field{Key: "subVersion", Value: "0"})
	resp := invoke(t, cl, pull)
	var out []codec.Message
	for b := resp.Body; len(b) > 0; {
		m, n, err := codec.DecodeRecord(b)
		if err != nil {
			t.Fatalf("pull %s: %v", topic, err)
		}
		out = append(out, m)
		b = b[n:]
	}
	return out
}

func TestTransactionHalfCommitRollback(t *testing.T) {
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	const topic, pg = "TxnTopic", "txn_pg"

	// A half message: stored in the half topic, not in the real one.
	resp := txnSend(t, cl, topic, 2, pg, "commit-me")
	if resp.ExtValue("queueId") != "2" || resp.ExtValue("transactionId") == "" {
		t.Fatalf("send response %+v", resp.Ext)
	}
	qOff, clOff := halfOffsets(t, resp)
	halves := txnPull(t, cl, txnHalfTopic, 0, qOff)
	if len(halves) != 1 {
		t.Fatalf("half topic holds %d records at %d", len(halves), qOff)
	}
	h := halves[0]
	p := codec.ParseProperties(h.Properties)
	if h.CommitLogOffset != clOff || h.QueueOffset != qOff || h.SysFlag&codec.SysFlagTransactionMask != 0 ||
		p["REAL_TOPIC"] != topic || p["REAL_QID"] != "2" || p["__transactionId__"] != p["UNIQ_KEY"] || p["PGROUP"] != pg {
		t.Fatalf("half record %+v props %v", h, p)
	}
	if got := txnPull(t, cl, topic, 2, 0); len(got) != 0 {
		t.Fatalf("the real queue shows the uncommitted message: %+v", got)
	}

	// Mismatches are refused with 1.
	for _, bad := range []struct {
		pg     string
		q, off int64
	}{{"other_pg", qOff, clOff}, {pg, qOff + 7, clOff}, {pg, qOff, clOff + 1}} {
		if r := txnEnd(t, cl, bad.pg, bad.q, bad.off, 8, false); r.ResponseCode() != wire.SystemError {
			t.Fatalf("END_TRANSACTION %+v: %d %s, want 1", bad, r.Code, r.Remark)
		}
	}
	// Unknown state: Java answers nothing at all, and nothing changes.
	unknown := wire.NewRequest(wire.EndTransaction,
		wire.Field{Key: "producerGroup", Value: pg},
		wire.Field{Key: "tranStateTableOffset", Value: strconv.FormatInt(qOff, 10)},
		wire.Field{Key: "commitLogOffset", Value: strconv.FormatInt(clOff, 10)},
		wire.Field{Key: "commitOrRollback", Value: "0"}, wire.Field{Key: "msgId", Value: "x"})
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	if r, err := cl.Invoke(ctx, unknown); err == nil {
		t.Fatalf("END_TRANSACTION with state unknown answered %d", r.Code)
	}
	if got := txnPull(t, cl, topic, 2, 0); len(got) != 0 {
		t.Fatalf("unknown state delivered the message")
	}

	// Commit: the real record appears with sysFlag COMMIT.
	if r := txnEnd(t, cl, pg, qOff, clOff, 8, false); r.ResponseCode() != wire.Success {
		t.Fatalf("commit: %d %s", r.Code, r.Remark)
	}
	got := txnPull(t, cl, topic, 2, 0)
	if len(got) != 1 {
		t.Fatalf("after commit the real queue holds %d records", len(got))
	}
	m := got[0]
	mp := codec.ParseProperties(m.Properties)
	if string(m.Body) != "commit-me" || m.SysFlag&codec.SysFlagTransactionMask != codec.SysFlagCommit ||
		m.PreparedTransactionOffset != clOff || m.QueueID != 2 || mp["TRAN_MSG"] != "true" || mp["PGROUP"] != pg ||
		mp["UNIQ_KEY"] != p["UNIQ_KEY"] || mp["TAGS"] != "TagT" || m.BornTimestamp != h.BornTimestamp {
		t.Fatalf("committed record %+v props %v", m, mp)
	}

	// Rollback: nothing in the real queue.
	resp2 := txnSend(t, cl, topic, 2, pg, "roll-me-back")
	q2, cl2 := halfOffsets(t, resp2)
	if r := txnEnd(t, cl, pg, q2, cl2, 12, false); r.ResponseCode() != wire.Success {
		t.Fatalf("rollback: %d %s", r.Code, r.Remark)
	}
	if got := txnPull(t, cl, topic, 2, 0); len(got) != 1 {
		t.Fatalf("after rollback the real queue holds %d records", len(got))
	}

	// Both ended the half message with an op message "<offset>," tagged d.
	ops := txnPull(t, cl, txnOpTopic, 0, 0)
	if len(ops) != 2 || string(ops[0].Body) != fmt.Sprintf("%d,", qOff) || string(ops[1].Body) != fmt.Sprintf("%d,", q2) ||
		codec.ParseProperties(ops[0].Properties)["TAGS"] != "d" {
		t.Fatalf("op messages %+v", ops)
	}

	// A committed record is not a half message.
	if r := txnEnd(t, cl, pg, m.QueueOffset, m.CommitLogOffset, 8, false); r.ResponseCode() != wire.SystemError {
		t.Fatalf("END_TRANSACTION on a committed record: %d, want 1", r.Code)
	}
}

// checkRecorder collects CHECK_TRANSACTION_STATE requests a client gets.
type checkRecorder struct {
	mu     sync.Mutex
	checks []*wire.Command
}

func (r *checkRecorder) onRequest(cmd *wire.Command) *wire.Command {
	if cmd.RequestCode() == wire.CheckTransactionState {
		r.mu.Lock()
		r.checks = append(r.checks, cmd)
		r.mu.Unlock()
	}
	return nil
}

func (r *checkRecorder) all() []*wire.Command {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*wire.Command(nil), r.checks...)
}

func TestTransactionCheckBack(t *testing.T) {
	c := testcluster.Start(t,
		testcluster.WithConf("transactionCheckInterval", "200"),
		testcluster.WithConf("transactionTimeOut", "500"))
	rec := &checkRecorder{}
	cl := dial(t, c.BrokerAddr, wire.JSON)
	cl.OnRequest = rec.onRequest
	const topic, pg = "TxnCheckTopic", "txn_check_pg"
	txnHeartbeat(t, cl, pg)

	resp := txnSend(t, cl, topic, 1, pg, "unknown")
	qOff, clOff := halfOffsets(t, resp)
	start := time.Now()
	testutil.Eventually(t, 10*time.Second, "a CHECK_TRANSACTION_STATE", func() bool { return len(rec.all()) > 0 })
	if waited := time.Since(start); waited < 400*time.Millisecond {
		t.Errorf("checked after %v, before transactionTimeOut", waited)
	}
	chk := rec.all()[0]
	if !chk.IsOneway() {
		t.Errorf("check request not oneway: flag %d", chk.Flag)
	}
	cq, _ := strconv.ParseInt(chk.ExtValue("tranStateTableOffset"), 10, 64)
	cc, _ := strconv.ParseInt(chk.ExtValue("commitLogOffset"), 10, 64)
	if cq <= qOff || cc <= clOff {
		t.Errorf("check names offsets %d/%d, want the re-appended copy after %d/%d", cq, cc, qOff, clOff)
	}
	if _, off, err := codec.DecodeOffsetMsgID(chk.ExtValue("offsetMsgId")); err != nil || off != cc {
		t.Errorf("offsetMsgId %q does not name %d", chk.ExtValue("offsetMsgId"), cc)
	}
	m, _, err := codec.DecodeRecord(chk.Body)
	if err != nil {
		t.Fatal(err)
	}
	p := codec.ParseProperties(m.Properties)
	if m.Topic != topic || m.QueueID != 1 || string(m.Body) != "unknown" || p["PGROUP"] != pg ||
		p["TRANSACTION_CHECK_TIMES"] != "1" || chk.ExtValue("msgId") != p["UNIQ_KEY"] || chk.ExtValue("transactionId") != p["UNIQ_KEY"] {
		t.Fatalf("check body %+v props %v ext %v", m, p, chk.Ext)
	}

	// The producer answers with the check's offsets: committed.
	if r := txnEnd(t, cl, pg, cq, cc, 8, true); r.ResponseCode() != wire.Success {
		t.Fatalf("commit from check: %d %s", r.Code, r.Remark)
	}
	if got := txnPull(t, cl, topic, 1, 0); len(got) != 1 || string(got[0].Body) != "unknown" {
		t.Fatalf("real queue after the checked commit: %+v", got)
	}
	// Once ended, it is not checked again.
	n := len(rec.all())
	time.Sleep(1500 * time.Millisecond)
	if extra := len(rec.all()) - n; extra > 1 { // one may have been in flight
		t.Fatalf("%d more checks after the commit", extra)
	}
}

func TestTransactionCheckMaxMovesToCheckMaxTopic(t *testing.T) {
	c := testcluster.Start(t,
		testcluster.WithConf("transactionCheckInterval", "100"),
		testcluster.WithConf("transactionTimeOut", "200"),
		testcluster.WithConf("transactionCheckMax", "3"))
	rec := &checkRecorder{}
	cl := dial(t, c.BrokerAddr, wire.JSON)
	cl.OnRequest = rec.onRequest
	const pg = "txn_max_pg"
	txnHeartbeat(t, cl, pg)
	txnSend(t, cl, "TxnMaxTopic", 0, pg, "never-answered")
	var moved []codec.Message
	testutil.Eventually(t, 15*time.Second, "the half message to reach TRANS_CHECK_MAX_TIME_TOPIC", func() bool {
		moved = txnPull(t, cl, "TRANS_CHECK_MAX_TIME_TOPIC", 0, 0)
		return len(moved) > 0
	})
	if n := len(rec.all()); n != 3 {
		t.Errorf("%d checks before giving up, want transactionCheckMax = 3", n)
	}
	if p := codec.ParseProperties(moved[0].Properties); string(moved[0].Body) != "never-answered" || p["TRANSACTION_CHECK_TIMES"] != "3" {
		t.Fatalf("moved record %+v props %v", moved[0], p)
	}
	if got := txnPull(t, cl, "TxnMaxTopic", 0, 0); len(got) != 0 {
		t.Fatalf("the abandoned transaction was delivered: %+v", got)
	}
}

// The check service's progress (its offsets under CID_RMQ_SYS_TRANS)
// survives a restart: the first check afterwards continues the count
// instead of starting over from the original half message.
func TestTransactionCheckSurvivesRestart(t *testing.T) {
	c := testcluster.Start(t,
		testcluster.WithConf("transactionCheckInterval", "200"),
		testcluster.WithConf("transactionTimeOut", "1000"))
	rec := &checkRecorder{}
	cl := dial(t, c.BrokerAddr, wire.JSON)
	cl.OnRequest = rec.onRequest
	const topic, pg = "TxnRestartTopic", "txn_restart_pg"
	txnHeartbeat(t, cl, pg)
	// One half message committed at once, one left open.
	r1 := txnSend(t, cl, topic, 0, pg, "done-before")
	q1, c1 := halfOffsets(t, r1)
	if r := txnEnd(t, cl, pg, q1, c1, 8, false); r.ResponseCode() != wire.Success {
		t.Fatal(r.Remark)
	}
	txnSend(t, cl, topic, 0, pg, "open")
	testutil.Eventually(t, 10*time.Second, "a check before the restart", func() bool { return len(rec.all()) > 0 })
	c.RestartBroker()
	before := 0
	for _, chk := range rec.all() {
		m, _, _ := codec.DecodeRecord(chk.Body)
		if string(m.Body) != "open" {
			t.Fatalf("check about %q; only the open transaction should be checked", m.Body)
		}
		n, _ := strconv.Atoi(codec.ParseProperties(m.Properties)["TRANSACTION_CHECK_TIMES"])
		before = max(before, n)
	}

	rec2 := &checkRecorder{}
	cl2 := dial(t, c.BrokerAddr, wire.JSON)
	cl2.OnRequest = rec2.onRequest
	txnHeartbeat(t, cl2, pg)
	testutil.Eventually(t, 15*time.Second, "a check after the restart", func() bool { return len(rec2.all()) > 0 })
	chk := rec2.all()[0]
	m, _, err := codec.DecodeRecord(chk.Body)
	if err != nil || string(m.Body) != "open" {
		t.Fatalf("check after restart about %q (%v)", m.Body, err)
	}
	if n := codec.ParseProperties(m.Properties)["TRANSACTION_CHECK_TIMES"]; n != strconv.Itoa(before+1) {
		t.Fatalf("first check after the restart has TRANSACTION_CHECK_TIMES %s, want %d (the count before was %d)", n, before+1, before)
	}
	cq, _ := strconv.ParseInt(chk.ExtValue("tranStateTableOffset"), 10, 64)
	cc, _ := strconv.ParseInt(chk.ExtValue("commitLogOffset"), 10, 64)
	if r := txnEnd(t, cl2, pg, cq, cc, 8, true); r.ResponseCode() != wire.Success {
		t.Fatalf("commit from check: %d %s", r.Code, r.Remark)
	}
	got := txnPull(t, cl2, topic, 0, 0)
	if len(got) != 2 || string(got[0].Body) != "done-before" || string(got[1].Body) != "open" {
		t.Fatalf("real queue after restart and check: %d records", len(got))
	}
}

func TestRejectTransactionMessage(t *testing.T) {
	c := testcluster.Start(t, testcluster.WithConf("rejectTransactionMessage", "true"))
	cl := dial(t, c.BrokerAddr, wire.JSON)
	props := codec.AppendProperty(codec.AppendProperty(nil, codec.PropertyTransactionPrepared, "true"), codec.PropertyProducerGroup, "pg")
	if r := invoke(t, cl, sendV2("TxnRejected", 0, string(props), []byte("x"))); r.ResponseCode() != wire.NoPermission {
		t.Fatalf("send with rejectTransactionMessage: %d %s, want 16", r.Code, r.Remark)
	}
}
