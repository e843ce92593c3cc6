package command

import (
	"os"
	"strings"
	"testing"
)

func TestUpdateAclConfig(t *testing.T) {
	t.Parallel()
	c, file := startACLCluster(t)
	out := ok(t, c, "updateAclConfig", "-b", c.BrokerAddr, "-a", "second-account", "-s", "second-secret", "-i", "DENY", "-t", "T1=PUB,T2=SUB", "-m", "false")
	want := "create or update plain access config to " + c.BrokerAddr + " success.\n" +
		"PlainAccessConfig{accessKey='second-account', whiteRemoteAddress='null', admin=false, defaultTopicPerm='DENY', defaultGroupPerm='null', topicPerms=[T1=PUB, T2=SUB], groupPerms=null}"
	if out != want {
		t.Errorf("output:\n%q\nwant\n%q", out, want)
	}
	data, _ := os.ReadFile(file)
	if !strings.Contains(string(data), "second-account") || !strings.Contains(string(data), "T2=SUB") {
		t.Errorf("file:\n%s", data)
	}
	out = ok(t, c, "updateAclConfig", "-c", "DefaultCluster", "-a", "second-account", "-s", "second-secret-2")
	if !strings.HasPrefix(out, "create or update plain access config to "+c.BrokerAddr+" success.\n") {
		t.Errorf("-c output:\n%s", out)
	}
	fails(t, c, "CODE: 209 DESC: The accessKey=short and secretKey=second-secret cannot be null and length should longer than 6",
		"updateAclConfig", "-b", c.BrokerAddr, "-a", "short", "-s", "second-secret")
	fails(t, c, "missing required option -s (--secretKey)", "updateAclConfig", "-b", c.BrokerAddr, "-a", "second-account")
}
