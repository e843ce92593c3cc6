package command

import (
	"os"
	"strings"
	"testing"
)

func TestUpdateGlobalWhiteAddr(t *testing.T) {
	t.Parallel()
	c, file := startACLCluster(t)
	out := ok(t, c, "updateGlobalWhiteAddr", "-b", c.BrokerAddr, "-g", "127.0.0.1,10.10.103.*", "-p", file)
	if want := "update global white remote addresses to " + c.BrokerAddr + " success.\n"; out != want {
		t.Errorf("output %q, want %q", out, want)
	}
	data, _ := os.ReadFile(file)
	if !strings.Contains(string(data), "10.10.103.*") {
		t.Errorf("file:\n%s", data)
	}
	fails(t, c, "CODE: 211", "updateGlobalWhiteAddr", "-c", "DefaultCluster", "-g", "127.0.0.1", "-p", "/elsewhere/plain_acl.yml")
}
