package command

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestLoadCredentials(t *testing.T) {
	home := t.TempDir()
	env := map[string]string{}
	getenv := func(k string) string { return env[k] }
	if ak, sk := loadCredentials(home, getenv); ak != "" || sk != "" {
		t.Fatalf("no tools.yml: %q %q", ak, sk)
	}
	if err := os.MkdirAll(filepath.Join(home, "conf"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(home, toolsFile), []byte("accessKey: rocketmq2\nsecretKey: 12345678\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if ak, sk := loadCredentials(home, getenv); ak != "rocketmq2" || sk != "12345678" {
		t.Fatalf("tools.yml: %q %q", ak, sk)
	}
	env["ROCKETMQ_ACCESS_KEY"], env["ROCKETMQ_SECRET_KEY"] = "from-env", "env-secret"
	if ak, sk := loadCredentials(home, getenv); ak != "from-env" || sk != "env-secret" {
		t.Fatalf("environment: %q %q", ak, sk)
	}
}

func TestSignedRequestsReachACLBroker(t *testing.T) {
	t.Parallel()
	home := t.TempDir()
	file := filepath.Join(home, "conf", "plain_acl.yml")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	yml := "globalWhiteRemoteAddresses:\naccounts:\n  - accessKey: admin-account\n    secretKey: admin-secret\n    admin: true\n"
	if err := os.WriteFile(file, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	c := testcluster.Start(t, testcluster.WithConf("aclEnable", "true"), testcluster.WithConf("rocketmqHome", home))
	if c.External {
		t.Skip("needs a broker with this test's plain_acl.yml")
	}
	run := func(ak, sk string, args ...string) (string, string, int) {
		var out, errOut bytes.Buffer
		env := Env{Stdout: &out, Stderr: &errOut, Timeout: 5 * time.Second, BodyDir: t.TempDir(), WorkDir: t.TempDir(), AccessKey: ak, SecretKey: sk}
		code := Run(append([]string{args[0], "-n", c.NamesrvAddr}, args[1:]...), env)
		return out.String(), errOut.String(), code
	}
	out, errOut, code := run("admin-account", "admin-secret", "updateTopic", "-b", c.BrokerAddr, "-t", "SignedTopic")
	if code != 0 || !strings.Contains(out, "create topic to "+c.BrokerAddr+" success.") {
		t.Fatalf("signed updateTopic: %d %q %q", code, out, errOut)
	}
	if out, errOut, code = run("admin-account", "admin-secret", "updateAclConfig", "-b", c.BrokerAddr, "-a", "other-account", "-s", "other-secret"); code != 0 {
		t.Fatalf("signed updateAclConfig: %q %q", out, errOut)
	}
	_, errOut, code = run("", "", "updateTopic", "-b", c.BrokerAddr, "-t", "UnsignedTopic")
	if code != 1 || !strings.Contains(errOut, "No accessKey is configured") {
		t.Errorf("unsigned updateTopic: %d %q", code, errOut)
	}
	_, errOut, code = run("admin-account", "wrong-secret", "updateTopic", "-b", c.BrokerAddr, "-t", "UnsignedTopic")
	if code != 1 || !strings.Contains(errOut, "Check signature failed for accessKey=admin-account") {
		t.Errorf("wrong secret: %d %q", code, errOut)
	}
	// A non-admin account may not change the ACL.
	_, errOut, code = run("other-account", "other-secret", "deleteAclConfig", "-b", c.BrokerAddr, "-a", "admin-account")
	if code != 1 || !strings.Contains(errOut, "AclException") {
		t.Errorf("non-admin deleteAclConfig: %d %q", code, errOut)
	}
}
