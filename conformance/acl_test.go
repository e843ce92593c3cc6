package conformance

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2"
	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"

	"github.com/booster-mq/booster/internal/testcluster"
)

// TestACL runs a broker with aclEnable=true and a plain_acl.yml: the Go
// client with an account's keys produces and consumes; a wrong secret, no
// credentials, or an account without PUB cannot send (Apache's ACL 1.0
// answer: SYSTEM_ERROR with the AclException message, and nothing is
// stored); an account without SUB on the topic cannot pull; a change to
// the file takes effect without a restart.
func TestACL(t *testing.T) {
	if os.Getenv("BOOSTER_TEST_NAMESRV") != "" {
		t.Skip("needs a Booster this test configures (aclEnable=true and its own plain_acl.yml)")
	}
	run := fmt.Sprintf("%d_%d", time.Now().UnixNano(), clientSeq.Add(1))
	topic, group, other := "cf_acl_topic_"+run, "cf_acl_group_"+run, "cf_acl_other_"+run
	rw := primitive.Credentials{AccessKey: "acl-rw-account", SecretKey: "acl-rw-secret"}
	subOnly := primitive.Credentials{AccessKey: "acl-sub-only", SecretKey: "acl-sub-secret"}
	pubOnly := primitive.Credentials{AccessKey: "acl-pub-only", SecretKey: "acl-pub-secret"}
	home := t.TempDir()
	yml := fmt.Sprintf(`globalWhiteRemoteAddresses:
accounts:
  - accessKey: %[1]s
    secretKey: %[2]s
    admin: false
    defaultTopicPerm: DENY
    defaultGroupPerm: DENY
    topicPerms:
      - %[7]s=PUB|SUB
    groupPerms:
      - %[8]s=SUB
  - accessKey: %[3]s
    secretKey: %[4]s
    defaultTopicPerm: SUB
    defaultGroupPerm: SUB
  - accessKey: %[5]s
    secretKey: %[6]s
    defaultTopicPerm: PUB
    defaultGroupPerm: SUB
    topicPerms:
      - %[7]s=PUB
`, rw.AccessKey, rw.SecretKey, subOnly.AccessKey, subOnly.SecretKey, pubOnly.AccessKey, pubOnly.SecretKey, topic, group)
	if err := os.MkdirAll(filepath.Join(home, "conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, "conf", "plain_acl.yml"), []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, testcluster.WithConf("aclEnable", "true"), testcluster.WithConf("rocketmqHome", home))

	// The account with PUB|SUB sends (the topic is auto-created).
	p := h.newProducer(producer.WithCredentials(rw))
	var want []string
	for i := range 8 {
		body := fmt.Sprintf("acl-%d", i)
		sendSync(t, p, primitive.NewMessage(topic, []byte(body)))
		want = append(want, body)
	}

	// Refused senders: wrong secret, no credentials, an account with SUB
	// only, and the right account on a topic it has no PUB on.
	refused := func(name string, opts []producer.Option, to, wantRemark string) {
		t.Helper()
		p := h.newProducer(append([]producer.Option{producer.WithRetry(0)}, opts...)...)
		ctx, cancel := context.WithTimeout(context.Background(), 2*sendTimeout)
		defer cancel()
		res, err := p.SendSync(ctx, primitive.NewMessage(to, []byte("must-not-be-stored")))
		if err == nil {
			t.Errorf("%s: send succeeded: %v", name, res)
			return
		}
		wantErr := "CODE: 1, DESC: org.apache.rocketmq.acl.common.AclException: " + wantRemark
		if !strings.Contains(err.Error(), wantErr) {
			t.Errorf("%s: send error %q, want it to contain %q", name, err, wantErr)
		}
	}
	refused("wrong secret", []producer.Option{producer.WithCredentials(primitive.Credentials{AccessKey: rw.AccessKey, SecretKey: "not-the-secret"})},
		topic, "Check signature failed for accessKey="+rw.AccessKey)
	refused("no credentials", nil, topic, "No accessKey is configured")
	refused("unknown account", []producer.Option{producer.WithCredentials(primitive.Credentials{AccessKey: "nobody-at-all", SecretKey: "whatever-1"})},
		topic, "No acl config for nobody-at-all")
	refused("SUB-only account", []producer.Option{producer.WithCredentials(subOnly)}, topic, "No default permission for topic:"+topic)
	refused("no PUB on the topic", []producer.Option{producer.WithCredentials(rw)}, other, "No default permission for topic:"+other)

	// The broker re-reads the file when it changes: the SUB-only account
	// gets PUB on the other topic.
	granted := strings.Replace(yml, "    defaultTopicPerm: SUB\n", "    defaultTopicPerm: SUB\n    topicPerms:\n      - "+other+"=PUB\n", 1)
	if err := os.WriteFile(filepath.Join(home, "conf", "plain_acl.yml"), []byte(granted), 0o644); err != nil {
		t.Fatal(err)
	}
	pg := h.newProducer(producer.WithCredentials(subOnly), producer.WithRetry(0))
	eventually(t, routeWait, "the changed plain_acl.yml to let the SUB-only account send", func() (bool, string) {
		ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
		defer cancel()
		res, err := pg.SendSync(ctx, primitive.NewMessage(other, []byte("after-reload")))
		if err != nil {
			return false, err.Error()
		}
		return res.Status == primitive.SendOK, res.String()
	})

	// The account consumes everything it sent with a push consumer (its
	// heartbeats, pulls and offset commits are all checked).
	col := &collector{}
	h.startPush(group, topic, consumer.MessageSelector{}, col, consumer.WithCredentials(rw))
	col.waitAll(t, "the ACL account's consumer to receive its messages", want)

	// The store holds exactly what the allowed producer sent.
	pc := aclPullConsumer(t, h, group, topic, rw)
	mqs, err := pc.GetTopicRouteInfo(topic)
	if err != nil {
		t.Fatalf("route of %s: %v", topic, err)
	}
	var stored []string
	for _, mq := range mqs {
		res, err := pc.PullFrom(context.Background(), mq, 0, 32)
		if err != nil {
			t.Fatalf("pull %v with the right account: %v", mq, err)
		}
		for _, m := range res.GetMessageExts() {
			stored = append(stored, string(m.Body))
		}
	}
	sort.Strings(stored)
	sort.Strings(want)
	if strings.Join(stored, ",") != strings.Join(want, ",") {
		t.Errorf("stored %v, want exactly %v", stored, want)
	}

	// Accounts without SUB on the topic (or on the group) pull nothing.
	for _, tc := range []struct {
		name   string
		creds  primitive.Credentials
		group  string
		remark string
	}{
		{"PUB-only on the topic", pubOnly, group, "No default permission for topic:" + topic},
		{"group without SUB", rw, "cf_acl_denied_" + run, "No default permission for group:cf_acl_denied_" + run},
		{"wrong secret", primitive.Credentials{AccessKey: rw.AccessKey, SecretKey: "not-the-secret"}, group, "Check signature failed for accessKey=" + rw.AccessKey},
	} {
		pc := aclPullConsumer(t, h, tc.group, topic, tc.creds)
		res, err := pc.PullFrom(context.Background(), mqs[0], 0, 32)
		wantErr := "unknown Response Code: 1, remark: org.apache.rocketmq.acl.common.AclException: " + tc.remark
		switch {
		case err == nil:
			t.Errorf("%s: pull answered %v with %d messages", tc.name, res.Status, len(res.GetMessageExts()))
		case !strings.Contains(err.Error(), wantErr):
			t.Errorf("%s: pull error %q, want it to contain %q", tc.name, err, wantErr)
		}
	}
}

// aclPullConsumer starts a pull consumer of group with creds that holds no
// queues of its own (PullFrom only).
func aclPullConsumer(t *testing.T, h *harness, group, topic string, creds primitive.Credentials) rocketmq.PullConsumer {
	t.Helper()
	pc, err := consumer.NewPullConsumer(
		consumer.WithNameServer(h.ns),
		consumer.WithGroupName(group),
		consumer.WithInstance(instanceName("acl-pull")),
		consumer.WithRetry(0),
		consumer.WithCredentials(creds),
	)
	if err != nil {
		t.Fatalf("new pull consumer: %v", err)
	}
	if err := pc.Assign(topic, nil); err != nil {
		t.Fatalf("assign %s: %v", topic, err)
	}
	if err := pc.Start(); err != nil {
		t.Fatalf("start pull consumer: %v", err)
	}
	t.Cleanup(func() { _ = shutdownConsumer(pc) })
	return pc
}
