package namesrv

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/booster-mq/booster/wire"
)

func TestDefaultConfig(t *testing.T) {
	c := DefaultConfig()
	home, _ := os.UserHomeDir()
	if c.ListenPort != 9876 || c.BindAddress != "0.0.0.0" || c.ScanNotActiveBrokerInterval != 5*time.Second ||
		c.OrderMessageEnable || !c.ReturnOrderTopicConfigToBroker || !c.EnableAllTopicList || !c.EnableTopicList ||
		c.DeleteTopicWithBrokerRegistration || c.KvConfigPath != filepath.Join(home, "namesrv", "kvConfig.json") {
		t.Fatalf("defaults %+v", c)
	}
	if err := c.Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestConfigSetAndValidate(t *testing.T) {
	c := DefaultConfig()
	for k, v := range map[string]string{
		"listenPort": "19876", "scanNotActiveBrokerInterval": "250", "orderMessageEnable": "true",
		"kvConfigPath": "/tmp/kv.json", "bindAddress": "127.0.0.1", "clusterTest": "true",
	} {
		if known, err := c.Set(k, v); !known || err != nil {
			t.Fatalf("Set(%s): %v %v", k, known, err)
		}
	}
	if c.ListenPort != 19876 || c.ScanNotActiveBrokerInterval != 250*time.Millisecond || !c.OrderMessageEnable ||
		c.KvConfigPath != "/tmp/kv.json" || c.BindAddress != "127.0.0.1" {
		t.Fatalf("after Set: %+v", c)
	}
	if known, _ := c.Set("rocketmqHome", "/x"); known {
		t.Fatal("unknown key reported known")
	}
	if _, err := c.Set("listenPort", "abc"); err == nil {
		t.Fatal("bad number accepted")
	}
	bad := Config{ListenPort: 70000}
	err := bad.Validate()
	if err == nil {
		t.Fatal("invalid config accepted")
	}
	for _, want := range []string{"listenPort", "bindAddress", "kvConfigPath", "scanNotActiveBrokerInterval"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("Validate does not report %s: %v", want, err)
		}
	}
	if New(bad, nil).Start() == nil {
		t.Fatal("Start accepted an invalid config")
	}
}

func TestGetNamesrvConfig(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	s := startWith(t, cfg)
	cl := dial(t, s.Addr(), wire.JSON)
	resp := call(t, cl, wire.GetNamesrvConfig, nil)
	expectCode(t, resp, wire.Success, "")
	want := fmt.Sprintf("bindAddress=127.0.0.1\nclusterTest=false\ndeleteTopicWithBrokerRegistration=false\n"+
		"enableAllTopicList=true\nenableTopicList=true\nkvConfigPath=%s\nlistenPort=%d\norderMessageEnable=false\n"+
		"returnOrderTopicConfigToBroker=true\nscanNotActiveBrokerInterval=5000\n", cfg.KvConfigPath, cfg.ListenPort)
	if string(resp.Body) != want {
		t.Fatalf("config body\n got %q\nwant %q", resp.Body, want)
	}
}

func TestUpdateNamesrvConfig(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	update := func(body string) *wire.Command {
		t.Helper()
		return call(t, cl, wire.UpdateNamesrvConfig, []byte(body))
	}
	// CVE-2023-37582: the KV file may not be pointed elsewhere.
	expectCode(t, update("kvConfigPath=/etc/passwd\n"), wire.NoPermission, "Can not update config in black list.")
	expectCode(t, update("enableTopicList=false\nconfigStorePath=/tmp/x\n"), wire.NoPermission, "Can not update config in black list.")
	expectCode(t, update("listenPort=1\nnoSuchKey=1\n"), wire.SystemError, "Can not update config at runtime: listenPort, noSuchKey")
	expectCode(t, update("enableTopicList=maybe\nenableAllTopicList=false\n"), wire.SystemError, "")
	if !s.config().EnableTopicList || !s.config().EnableAllTopicList {
		t.Fatal("rejected update partly applied")
	}
	expectCode(t, update(""), wire.Success, "")
	expectCode(t, update("enableAllTopicList=false\n"), wire.Success, "")
	expectCode(t, call(t, cl, wire.GetAllTopicListFromNameserver, nil), wire.SystemError, "disable")
	if body := string(call(t, cl, wire.GetNamesrvConfig, nil).Body); !strings.Contains(body, "\nenableAllTopicList=false\n") {
		t.Fatalf("config body after update %q", body)
	}
}
