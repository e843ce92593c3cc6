package broker_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/booster-mq/booster/acl"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

// signedReq signs req with an account's keys, as the clients do.
func signedReq(req *wire.Command, accessKey, secretKey string) *wire.Command {
	req.SetExt("AccessKey", accessKey)
	req.SetExt(acl.SignatureField, acl.Signature(req, secretKey))
	return req
}

// startACLBroker runs a broker with aclEnable=true and plain_acl.yml.
func startACLBroker(t *testing.T, yml string) (*testcluster.Cluster, string) {
	t.Helper()
	home := t.TempDir()
	file := filepath.Join(home, "conf", "plain_acl.yml")
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	c := testcluster.Start(t, testcluster.WithConf("aclEnable", "true"), testcluster.WithConf("rocketmqHome", home))
	if c.External {
		t.Skip("needs a broker this test configures")
	}
	return c, file
}

const adminACL = `globalWhiteRemoteAddresses:
accounts:
  - accessKey: admin-account
    secretKey: admin-secret
    admin: true
  - accessKey: plain-account
    secretKey: plain-secret
    defaultTopicPerm: PUB|SUB
    defaultGroupPerm: SUB
`

func TestACLAdminCodes(t *testing.T) {
	c, file := startACLBroker(t, adminACL)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	admin := func(req *wire.Command) *wire.Command { return signedReq(req, "admin-account", "admin-secret") }

	// A non-admin account may not touch the ACL (Booster's rule).
	resp := invoke(t, cl, signedReq(adminReq(wire.GetBrokerClusterAclConfig), "plain-account", "plain-secret"))
	if resp.ResponseCode() != wire.SystemError || !strings.Contains(resp.Remark, "AclException") {
		t.Fatalf("non-admin GET_BROKER_CLUSTER_ACL_CONFIG: %v %s", resp.ResponseCode(), resp.Remark)
	}

	// Create an account, then change one field of it.
	call(t, cl, admin(adminReq(wire.UpdateAndCreateAclConfig, "accessKey", "new-account", "secretKey", "new-secret",
		"admin", "false", "defaultTopicPerm", "DENY", "defaultGroupPerm", "SUB", "topicPerms", "OrdersTopic=PUB, AuditTopic=SUB", "whiteRemoteAddress", "")), wire.Success)
	call(t, cl, admin(adminReq(wire.UpdateAndCreateAclConfig, "accessKey", "new-account", "secretKey", "new-secret-2", "admin", "false")), wire.Success)
	var body struct {
		GlobalWhiteAddrs   []string           `json:"globalWhiteAddrs"`
		PlainAccessConfigs []acl.AccessConfig `json:"plainAccessConfigs"`
	}
	decodeBody(t, call(t, cl, admin(adminReq(wire.GetBrokerClusterAclConfig)), wire.Success), &body)
	if len(body.PlainAccessConfigs) != 3 || body.GlobalWhiteAddrs == nil {
		t.Fatalf("config: %+v", body)
	}
	got := body.PlainAccessConfigs[2]
	if got.AccessKey != "new-account" || got.SecretKey != "new-secret-2" || got.DefaultTopicPerm != "DENY" ||
		strings.Join(got.TopicPerms, ";") != "OrdersTopic=PUB;AuditTopic=SUB" {
		t.Errorf("account: %+v", got)
	}

	// The new account's keys work at once.
	call(t, cl, signedReq(adminReq(wire.GetMaxOffset, "topic", "OrdersTopic", "queueId", "0"), "new-account", "new-secret-2"), wire.Success)
	resp = invoke(t, cl, signedReq(adminReq(wire.GetMaxOffset, "topic", "OrdersTopic", "queueId", "0"), "new-account", "new-secret"))
	if !strings.Contains(resp.Remark, "Check signature failed") {
		t.Errorf("old secret: %v %s", resp.ResponseCode(), resp.Remark)
	}

	// Refusals in Apache's words.
	resp = call(t, cl, admin(adminReq(wire.UpdateAndCreateAclConfig, "accessKey", "short", "secretKey", "x")), wire.UpdateAndCreateAclConfigFailed)
	if !strings.Contains(resp.Remark, "cannot be null and length should longer than 6") {
		t.Errorf("short keys: %s", resp.Remark)
	}
	call(t, cl, admin(adminReq(wire.UpdateAndCreateAclConfig, "accessKey", "new-account", "secretKey", "new-secret", "topicPerms", "T=ALL")), wire.UpdateAndCreateAclConfigFailed)
	resp = call(t, cl, admin(adminReq(wire.DeleteAclConfig, "accessKey", "nobody-here")), wire.DeleteAclConfigFailed)
	testEqual(t, resp.Remark, "The accessKey[nobody-here] corresponding to accessConfig has been deleted failed.")
	resp = call(t, cl, admin(adminReq(wire.DeleteAclConfig)), wire.SystemError)
	testEqual(t, resp.Remark, "missing required field: the custom field <accessKey> is null")

	// Delete, global white list, version.
	call(t, cl, admin(adminReq(wire.DeleteAclConfig, "accessKey", "new-account")), wire.Success)
	call(t, cl, admin(adminReq(wire.UpdateGlobalWhiteAddrsConfig, "globalWhiteAddrs", "10.1.1.*,192.168.0.1", "aclFileFullPath", file)), wire.Success)
	call(t, cl, admin(adminReq(wire.UpdateGlobalWhiteAddrsConfig, "globalWhiteAddrs", "10.1.1.*", "aclFileFullPath", "/tmp/other.yml")), wire.UpdateGlobalWhiteAddrsConfigFailed)
	resp = call(t, cl, admin(adminReq(wire.GetBrokerClusterAclInfo)), wire.Success)
	testEqual(t, resp.ExtValue("brokerName"), "broker-a")
	testEqual(t, resp.ExtValue("clusterName"), "DefaultCluster")
	testEqual(t, resp.ExtValue("brokerAddr"), c.BrokerAddr)
	if !strings.HasPrefix(resp.ExtValue("version"), `{"counter":4,"stateVersion":0,"timestamp":`) ||
		!strings.Contains(resp.ExtValue("allAclFileVersion"), file) {
		t.Errorf("version %q, all %q", resp.ExtValue("version"), resp.ExtValue("allAclFileVersion"))
	}
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(data), "new-account") || !strings.Contains(string(data), "10.1.1.*") {
		t.Errorf("file:\n%s", data)
	}
}

func TestACLAdminCodesWithACLDisabled(t *testing.T) {
	c := testcluster.Start(t)
	if c.External {
		t.Skip("needs an in-process broker")
	}
	cl := dial(t, c.BrokerAddr, wire.JSON)
	for code, want := range map[wire.RequestCode]wire.ResponseCode{
		wire.UpdateAndCreateAclConfig:     wire.UpdateAndCreateAclConfigFailed,
		wire.DeleteAclConfig:              wire.DeleteAclConfigFailed,
		wire.GetBrokerClusterAclInfo:      wire.SystemError,
		wire.UpdateGlobalWhiteAddrsConfig: wire.UpdateGlobalWhiteAddrsConfigFailed,
		wire.GetBrokerClusterAclConfig:    wire.SystemError,
	} {
		resp := call(t, cl, adminReq(code, "accessKey", "some-account", "secretKey", "some-secret", "globalWhiteAddrs", "*"), want)
		testEqual(t, resp.Remark, "ACL is not enabled (aclEnable=false)")
	}
}

func testEqual[T comparable](t *testing.T, got, want T) {
	t.Helper()
	if got != want {
		t.Errorf("got %v, want %v", got, want)
	}
}
