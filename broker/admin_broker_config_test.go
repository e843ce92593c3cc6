package broker_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

func TestGetBrokerConfig(t *testing.T) {
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	resp := call(t, cl, adminReq(wire.GetBrokerConfig), wire.Success)
	lines := strings.Split(strings.TrimSuffix(string(resp.Body), "\n"), "\n")
	if !sort.StringsAreSorted(lines) {
		t.Errorf("properties not sorted by key:\n%s", resp.Body)
	}
	for _, want := range []string{"brokerName=broker-a", "brokerClusterName=DefaultCluster", "autoCreateTopicEnable=true"} {
		if !strings.Contains("\n"+string(resp.Body), "\n"+want+"\n") {
			t.Errorf("no %q in\n%s", want, resp.Body)
		}
	}
	var v codec.DataVersion
	if err := json.Unmarshal([]byte(resp.ExtValue("version")), &v); err != nil {
		t.Errorf("ext version %q: %v", resp.ExtValue("version"), err)
	}
}

// UPDATE_BROKER_CONFIG refuses path keys with NO_PERMISSION (the
// CVE-2023-33246 vector) and changes nothing at runtime.
func TestUpdateBrokerConfigRefused(t *testing.T) {
	c := testcluster.Start(t)
	cl := dial(t, c.BrokerAddr, wire.JSON)
	update := func(body string) *wire.Command {
		req := adminReq(wire.UpdateBrokerConfig)
		req.Body = []byte(body)
		return req
	}
	for _, body := range []string{"rocketmqHome=/tmp/x\n", "storePathRootDir=/tmp/x\n", "brokerPermission=4\nbrokerConfigPath=/etc/passwd\n", "configBlackList=\n"} {
		r := call(t, cl, update(body), wire.NoPermission)
		if r.Remark != "Can not update config in black list." {
			t.Errorf("%q: remark %q", body, r.Remark)
		}
	}
	r := call(t, cl, update("brokerPermission=4\n"), wire.SystemError)
	if !strings.Contains(r.Remark, "brokerPermission") {
		t.Errorf("remark %q does not name the key", r.Remark)
	}
	call(t, cl, adminReq(wire.UpdateBrokerConfig), wire.Success)
	after := string(call(t, cl, adminReq(wire.GetBrokerConfig), wire.Success).Body)
	if !strings.Contains(after, "\nbrokerPermission=6\n") || strings.Contains(after, "/tmp/x") {
		t.Errorf("config changed:\n%s", after)
	}
}
