package conformance

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	rocketmq "github.com/apache/rocketmq-client-go/v2"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"

	"github.com/booster-mq/booster/internal/testcluster"
)

// Transaction check settings for these tests: a check pass every second,
// half messages checked once they are two seconds old (Apache: 30 s and
// 6 s), and enough checks to outlast a producer's 30 s heartbeat gap.
var fastTransactionChecks = []testcluster.Option{
	testcluster.WithConf("transactionCheckInterval", "1000"),
	testcluster.WithConf("transactionTimeOut", "2000"),
	testcluster.WithConf("transactionCheckMax", "100"),
}

// txnListener answers the producer's local-transaction questions: exec
// for each message right after its half message is stored, check for the
// broker's check-backs. It records every check-back.
type txnListener struct {
	exec  func(*primitive.Message) primitive.LocalTransactionState
	check func(*primitive.MessageExt) primitive.LocalTransactionState

	mu     sync.Mutex
	checks []checkCall
}

type checkCall struct {
	at  time.Time
	msg *primitive.MessageExt
}

func (l *txnListener) ExecuteLocalTransaction(m *primitive.Message) primitive.LocalTransactionState {
	return l.exec(m)
}

func (l *txnListener) CheckLocalTransaction(m *primitive.MessageExt) primitive.LocalTransactionState {
	l.mu.Lock()
	l.checks = append(l.checks, checkCall{at: time.Now(), msg: m})
	l.mu.Unlock()
	return l.check(m)
}

func (l *txnListener) checked() []checkCall {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]checkCall(nil), l.checks...)
}

func answer(s primitive.LocalTransactionState) func(*primitive.Message) primitive.LocalTransactionState {
	return func(*primitive.Message) primitive.LocalTransactionState { return s }
}

func answerCheck(s primitive.LocalTransactionState) func(*primitive.MessageExt) primitive.LocalTransactionState {
	return func(*primitive.MessageExt) primitive.LocalTransactionState { return s }
}

// newTxnProducer starts a transactional producer of a fresh group that is
// shut down when the test ends.
func (h *harness) newTxnProducer(l *txnListener) (rocketmq.TransactionProducer, string) {
	h.t.Helper()
	group := h.name("tpg")
	p, err := rocketmq.NewTransactionProducer(l,
		producer.WithNameServer(h.ns),
		producer.WithGroupName(group),
		producer.WithInstanceName(instanceName("txn-producer")),
		producer.WithRetry(2),
		producer.WithSendMsgTimeout(sendTimeout),
	)
	if err != nil {
		h.t.Fatalf("new transaction producer: %v", err)
	}
	if err := p.Start(); err != nil {
		h.t.Fatalf("start transaction producer: %v", err)
	}
	h.t.Cleanup(func() { _ = p.Shutdown() })
	return p, group
}

// sendTxn sends one message in a transaction and insists that its half
// message was stored.
func sendTxn(t *testing.T, p rocketmq.TransactionProducer, topic, body string) *primitive.TransactionSendResult {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*sendTimeout)
	defer cancel()
	res, err := p.SendMessageInTransaction(ctx, primitive.NewMessage(topic, []byte(body)).WithTag("txn"))
	if err != nil {
		t.Fatalf("SendMessageInTransaction to %s: %v", topic, err)
	}
	if res.Status != primitive.SendOK {
		t.Fatalf("SendMessageInTransaction to %s: status %v (%s)", topic, res.Status, res)
	}
	return res
}

// ensureTopic creates topic by sending a plain message to it (the
// transactional sends then go to an existing topic, and a push consumer
// can start on it); the plain message's body is returned.
func (h *harness) ensureTopic(topic string) string {
	h.t.Helper()
	body := "plain-" + topic
	sendSync(h.t, h.newProducer(), primitive.NewMessage(topic, []byte(body)))
	return body
}

func TestTransactionCommitDeliversOnce(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fastTransactionChecks...)
	topic := h.name("t")
	plain := h.ensureTopic(topic)
	l := &txnListener{exec: answer(primitive.CommitMessageState), check: answerCheck(primitive.RollbackMessageState)}
	p, group := h.newTxnProducer(l)

	want := []string{plain}
	results := map[string]*primitive.TransactionSendResult{}
	for i := range 5 {
		body := fmt.Sprintf("commit-%d", i)
		res := sendTxn(t, p, topic, body)
		if res.State != primitive.CommitMessageState {
			t.Fatalf("%s: local state %v", body, res.State)
		}
		results[body] = res
		want = append(want, body)
	}
	col := &collector{}
	h.startPush(h.name("cg"), topic, subAll, col)
	col.waitAll(t, "committed messages to arrive", want)
	// Past the transaction timeout and a few check passes: still once each.
	time.Sleep(5 * time.Second)
	first, count := col.byBody()
	for body, res := range results {
		if count[body] != 1 {
			t.Errorf("%s consumed %d times, want once", body, count[body])
		}
		m := first[body]
		if m.MsgId != res.MsgID {
			t.Errorf("%s: consumed MsgId %s, send result said %s", body, m.MsgId, res.MsgID)
		}
		if m.GetProperty(primitive.PropertyTransactionPrepared) != "true" || m.GetProperty(primitive.PropertyProducerGroup) != group {
			t.Errorf("%s: TRAN_MSG %q PGROUP %q, want true and %s", body, m.GetProperty(primitive.PropertyTransactionPrepared),
				m.GetProperty(primitive.PropertyProducerGroup), group)
		}
		if m.TransactionId != res.MsgID {
			t.Errorf("%s: transactionId %q, want the UNIQ_KEY %s", body, m.TransactionId, res.MsgID)
		}
		if m.GetTags() != "txn" || m.Queue.QueueId != res.MessageQueue.QueueId {
			t.Errorf("%s: tags %q queue %d, sent with tag txn to queue %d", body, m.GetTags(), m.Queue.QueueId, res.MessageQueue.QueueId)
		}
	}
	if n := len(l.checked()); n != 0 {
		t.Errorf("%d check-backs for committed transactions", n)
	}
}

func TestTransactionRollbackNeverDelivered(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fastTransactionChecks...)
	topic := h.name("t")
	plain := h.ensureTopic(topic)
	// A check-back would commit: rolled-back messages must never be checked.
	l := &txnListener{exec: answer(primitive.RollbackMessageState), check: answerCheck(primitive.CommitMessageState)}
	p, _ := h.newTxnProducer(l)
	for i := range 3 {
		if res := sendTxn(t, p, topic, fmt.Sprintf("rollback-%d", i)); res.State != primitive.RollbackMessageState {
			t.Fatalf("local state %v", res.State)
		}
	}
	col := &collector{}
	h.startPush(h.name("cg"), topic, subAll, col)
	// The consumer is live: it gets the plain message and one committed
	// after the rollbacks.
	l2 := &txnListener{exec: answer(primitive.CommitMessageState), check: answerCheck(primitive.RollbackMessageState)}
	p2, _ := h.newTxnProducer(l2)
	sendTxn(t, p2, topic, "committed-after")
	col.waitAll(t, "the consumer to be live", []string{plain, "committed-after"})
	// Well past transactionTimeOut plus several check passes.
	time.Sleep(6 * time.Second)
	_, count := col.byBody()
	for i := range 3 {
		if body := fmt.Sprintf("rollback-%d", i); count[body] != 0 {
			t.Errorf("rolled-back %s consumed %d times", body, count[body])
		}
	}
	if n := len(l.checked()); n != 0 {
		t.Errorf("%d check-backs for rolled-back transactions", n)
	}
}

func TestTransactionUnknownResolvedByCheckBack(t *testing.T) {
	t.Parallel()
	h := newHarness(t, fastTransactionChecks...)
	topic := h.name("t")
	plain := h.ensureTopic(topic)
	l := &txnListener{exec: answer(primitive.UnkonwnState), check: answerCheck(primitive.CommitMessageState)}
	p, group := h.newTxnProducer(l)
	sent := time.Now()
	res := sendTxn(t, p, topic, "unknown-then-commit")
	if res.State != primitive.UnkonwnState {
		t.Fatalf("local state %v", res.State)
	}
	col := &collector{}
	h.startPush(h.name("cg"), topic, subAll, col)
	col.waitAll(t, "the checked-back transaction to be delivered", []string{plain, "unknown-then-commit"})
	checks := l.checked()
	if len(checks) == 0 {
		t.Fatal("delivered without a check-back")
	}
	c := checks[0]
	if d := c.at.Sub(sent); d < 2*time.Second {
		t.Errorf("checked %v after the send, before transactionTimeOut (2 s)", d)
	}
	if string(c.msg.Body) != "unknown-then-commit" || c.msg.Topic != topic || c.msg.GetProperty(primitive.PropertyProducerGroup) != group {
		t.Errorf("check-back about %q on %s (PGROUP %q)", c.msg.Body, c.msg.Topic, c.msg.GetProperty(primitive.PropertyProducerGroup))
	}
	if c.msg.TransactionId != res.MsgID {
		t.Errorf("check-back transactionId %q, want %s", c.msg.TransactionId, res.MsgID)
	}
	time.Sleep(3 * time.Second)
	if _, count := col.byBody(); count["unknown-then-commit"] != 1 {
		t.Errorf("consumed %d times, want once", count["unknown-then-commit"])
	}
}

func TestTransactionCheckBackAfterRestart(t *testing.T) {
	t.Parallel()
	opts := append([]testcluster.Option{testcluster.WithConf("transactionTimeOut", "4000")}, fastTransactionChecks[0], fastTransactionChecks[2])
	h := newHarness(t, opts...)
	if !h.c.CanRestart() {
		t.Skip("cannot restart this cluster")
	}
	topic := h.name("t")
	plain := h.ensureTopic(topic)
	l := &txnListener{exec: answer(primitive.UnkonwnState), check: answerCheck(primitive.CommitMessageState)}
	p, _ := h.newTxnProducer(l)
	sendTxn(t, p, topic, "open-across-restart")
	h.c.RestartBroker()
	restarted := time.Now()
	if n := len(l.checked()); n != 0 {
		t.Fatalf("checked %d times before the restart; raise transactionTimeOut", n)
	}
	// The producer heartbeats again within 30 s; then the check finds it.
	col := &collector{}
	h.startPush(h.name("cg"), topic, subAll, col)
	col.waitAll(t, "the transaction to be checked back and delivered after the restart", []string{plain, "open-across-restart"})
	checks := l.checked()
	if len(checks) == 0 || checks[0].at.Before(restarted) {
		t.Fatalf("check-backs %v, want the first after the restart at %v", checks, restarted)
	}
	time.Sleep(3 * time.Second)
	if _, count := col.byBody(); count["open-across-restart"] != 1 {
		t.Errorf("consumed %d times, want once", count["open-across-restart"])
	}
}
