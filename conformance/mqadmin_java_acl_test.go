package conformance

// Apache's mqadmin 4.9.8 (the last line with the ACL 1.0 subcommands;
// 5.5.0's mqadmin has ACL 2.0 ones instead) and Booster's against one
// ACL-enabled Booster: what one CLI changes in plain_acl.yml the other
// sees, and clusterAclConfigVersion reports the same file and counter.
//
// BOOSTER_TEST_MQADMIN_JAVA_ACL_CP is its classpath
// (TOOLS_VERSION=4.9.8 conformance/java/mqadmin/build.sh; make conformance
// builds it); without it the test skips.

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestMQAdminJavaACLCrossCheck(t *testing.T) {
	cp := os.Getenv("BOOSTER_TEST_MQADMIN_JAVA_ACL_CP")
	if cp == "" {
		t.Skip("set BOOSTER_TEST_MQADMIN_JAVA_ACL_CP to run Apache's 4.9.8 mqadmin (TOOLS_VERSION=4.9.8 conformance/java/mqadmin/build.sh)")
	}
	if os.Getenv("BOOSTER_TEST_NAMESRV") != "" {
		t.Skip("needs a Booster this test configures (aclEnable=true and its own plain_acl.yml)")
	}
	home := t.TempDir()
	file := filepath.Join(home, "conf", "plain_acl.yml")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	// Both CLIs run on this host and send no credentials.
	if err := os.WriteFile(file, []byte("globalWhiteRemoteAddresses:\n  - 127.0.0.1\naccounts:\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	h := newHarness(t, testcluster.WithConf("aclEnable", "true"), testcluster.WithConf("rocketmqHome", home))
	x := &xcheck{h: h, bz: newMQAdmin(h), jv: startJavaMQAdmin(t, cp, h.c.NamesrvAddr), broker: h.c.BrokerAddr, dir: t.TempDir()}
	// 4.9.8's MQAdminStartup configures logback from ROCKETMQ_HOME on
	// every run and stops without it.
	logback := filepath.Join(x.jv.home, "conf", "logback_tools.xml")
	if err := os.MkdirAll(filepath.Dir(logback), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(logback, []byte(`<configuration><root level="OFF"/></configuration>`+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	accounts := func(t *testing.T) string {
		t.Helper()
		out, _ := x.booster(t, "getAclConfig", "-b", x.broker)
		return out
	}

	// Apache's mqadmin creates an account; Booster's sees it.
	jv := x.java(t, "updateAclConfig", "-b", x.broker, "-a", "java-account", "-s", "java-secret", "-i", "DENY", "-t", "T1=PUB,T2=SUB", "-m", "false")
	bz, _ := x.booster(t, "updateAclConfig", "-b", x.broker, "-a", "java-account", "-s", "java-secret", "-i", "DENY", "-t", "T1=PUB,T2=SUB", "-m", "false")
	// The first line agrees; then 4.9.8 prints Object.toString of the
	// account where 5.x (and Booster) print PlainAccessConfig{...}.
	if first := func(s string) string { l, _, _ := strings.Cut(s, "\n"); return l }; first(jv) != first(bz) {
		t.Errorf("updateAclConfig output differs:\nApache's mqadmin:  %q\nBooster's mqadmin: %q", jv, bz)
	}
	out := accounts(t)
	for _, want := range []string{"accessKey         : java-account", "topicPerms        : [T1=PUB, T2=SUB]", "defaultTopicPerm  : DENY"} {
		if !strings.Contains(out, want) {
			t.Errorf("getAclConfig after Apache's updateAclConfig lacks %q:\n%s", want, out)
		}
	}

	// Booster's mqadmin creates one; Apache's deletes it.
	x.booster(t, "updateAclConfig", "-b", x.broker, "-a", "booster-account", "-s", "booster-secret", "-g", "G1=SUB")
	jv = x.java(t, "deleteAclConfig", "-b", x.broker, "-a", "booster-account")
	if !strings.HasPrefix(jv, "delete plain access config account from "+x.broker+" success.") {
		t.Errorf("Apache's deleteAclConfig:\n%s", jv)
	}
	if out := accounts(t); strings.Contains(out, "booster-account") || !strings.Contains(out, "java-account") {
		t.Errorf("getAclConfig after Apache's deleteAclConfig:\n%s", out)
	}

	// The global white list, set by Apache's mqadmin (keeping this host).
	x.java(t, "updateGlobalWhiteAddr", "-b", x.broker, "-g", "127.0.0.1,10.10.103.*")
	if out := accounts(t); !strings.Contains(out, "globalWhiteRemoteAddresses: [127.0.0.1, 10.10.103.*]") {
		t.Errorf("getAclConfig after Apache's updateGlobalWhiteAddr:\n%s", out)
	}

	// Both list the same file and counter (1 create, 1 update, 1 create,
	// 1 delete, 1 white list).
	jv = x.java(t, "clusterAclConfigVersion", "-c", "DefaultCluster")
	bz, _ = x.booster(t, "clusterAclConfigVersion", "-c", "DefaultCluster")
	versionRows := func(out string) [][]string {
		var rs [][]string
		for _, r := range rows(out) {
			if r[0] == "DefaultCluster" {
				rs = append(rs, r)
			}
		}
		return rs
	}
	same(t, "clusterAclConfigVersion rows (cluster, broker, address, file, counter)", pick(versionRows(jv), 7, 0, 1, 2, 3, 4), pick(versionRows(bz), 7, 0, 1, 2, 3, 4))
	if got := pick(versionRows(bz), 7, 3, 4); len(got) != 1 || got[0] != file+" 5" {
		t.Errorf("clusterAclConfigVersion: %v, want %s 5", got, file)
	}
}
