package conformance

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"

	"github.com/booster-mq/booster/internal/testcluster"
)

// TestACLAdminWithMQAdmin changes accounts with bin/mqadmin (signed with
// an admin account from ROCKETMQ_ACCESS_KEY/ROCKETMQ_SECRET_KEY, as
// Apache's mqadmin signs with tools.yml) and watches the Go client's
// access follow: updateAclConfig grants an account PUB on a topic,
// getAclConfig shows it, updateAclConfig -t takes it away again,
// deleteAclConfig removes the account, and clusterAclConfigVersion counts
// the changes.
func TestACLAdminWithMQAdmin(t *testing.T) {
	if os.Getenv("BOOSTER_TEST_NAMESRV") != "" {
		t.Skip("needs a Booster this test configures (aclEnable=true and its own plain_acl.yml)")
	}
	run := fmt.Sprintf("%d_%d", time.Now().UnixNano(), clientSeq.Add(1))
	topic := "cf_acladm_topic_" + run
	app := primitive.Credentials{AccessKey: "acl-app-account", SecretKey: "acl-app-secret"}
	home := t.TempDir()
	file := filepath.Join(home, "conf", "plain_acl.yml")
	yml := fmt.Sprintf(`globalWhiteRemoteAddresses:
accounts:
  - accessKey: acl-ops-admin
    secretKey: acl-ops-secret
    admin: true
  - accessKey: %s
    secretKey: %s
    defaultTopicPerm: DENY
    defaultGroupPerm: SUB
`, app.AccessKey, app.SecretKey)
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, testcluster.WithConf("aclEnable", "true"), testcluster.WithConf("rocketmqHome", home))
	mq := newMQAdmin(h)
	admin := func(args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, mq.bin, append([]string{args[0], "-n", h.c.NamesrvAddr}, args[1:]...)...)
		var out, errOut bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &errOut
		cmd.Env = append(os.Environ(), "NAMESRV_ADDR=", "ROCKETMQ_HOME="+t.TempDir(),
			"ROCKETMQ_ACCESS_KEY=acl-ops-admin", "ROCKETMQ_SECRET_KEY=acl-ops-secret")
		if err := cmd.Run(); err != nil || errOut.Len() > 0 {
			t.Fatalf("mqadmin %s: %v\nstdout:\n%s\nstderr:\n%s", strings.Join(args, " "), err, out.String(), errOut.String())
		}
		return out.String()
	}
	// The topic exists (created by the admin), the app account may not send.
	admin("updateTopic", "-c", "DefaultCluster", "-t", topic)
	p := h.newProducer(producer.WithCredentials(app), producer.WithRetry(0))
	send := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), sendTimeout)
		defer cancel()
		_, err := p.SendSync(ctx, primitive.NewMessage(topic, []byte("acl-admin")))
		return err
	}
	if err := send(); err == nil || !strings.Contains(err.Error(), "No default permission for topic:"+topic) {
		t.Fatalf("send before the grant: %v", err)
	}

	admin("updateAclConfig", "-c", "DefaultCluster", "-a", app.AccessKey, "-s", app.SecretKey, "-t", topic+"=PUB")
	if err := send(); err != nil {
		t.Fatalf("send after updateAclConfig granted PUB: %v", err)
	}
	if out := admin("getAclConfig", "-b", h.c.BrokerAddr); !strings.Contains(out, "topicPerms        : ["+topic+"=PUB]") {
		t.Errorf("getAclConfig:\n%s", out)
	}

	admin("updateAclConfig", "-b", h.c.BrokerAddr, "-a", app.AccessKey, "-s", app.SecretKey, "-t", topic+"=SUB")
	if err := send(); err == nil || !strings.Contains(err.Error(), "No default permission for topic:"+topic) {
		t.Errorf("send after updateAclConfig took PUB away: %v", err)
	}

	admin("deleteAclConfig", "-c", "DefaultCluster", "-a", app.AccessKey)
	if err := send(); err == nil || !strings.Contains(err.Error(), "No acl config for "+app.AccessKey) {
		t.Errorf("send after deleteAclConfig: %v", err)
	}
	out := admin("clusterAclConfigVersion", "-b", h.c.BrokerAddr)
	if !strings.Contains(out, file) || !strings.Contains(out, "  3  ") {
		t.Errorf("clusterAclConfigVersion after three changes:\n%s", out)
	}
}
