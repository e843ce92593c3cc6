package command

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

// startACLCluster runs a broker with aclEnable=true; mqadmin's host is in
// the global white list, as it sends no credentials.
func startACLCluster(t *testing.T) (*testcluster.Cluster, string) {
	t.Helper()
	home := t.TempDir()
	file := filepath.Join(home, "conf", "plain_acl.yml")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	yml := "globalWhiteRemoteAddresses:\n  - 127.0.0.1\naccounts:\n  - accessKey: first-account\n    secretKey: first-secret\n    defaultTopicPerm: SUB\n"
	if err := os.WriteFile(file, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	c := testcluster.Start(t, testcluster.WithConf("aclEnable", "true"), testcluster.WithConf("rocketmqHome", home))
	if c.External {
		t.Skip("needs a broker with this test's plain_acl.yml")
	}
	return c, file
}
