package command

import (
	"strings"
	"testing"
)

func TestClusterAclConfigVersion(t *testing.T) {
	t.Parallel()
	c, file := startACLCluster(t)
	ok(t, c, "updateAclConfig", "-b", c.BrokerAddr, "-a", "second-account", "-s", "second-secret")
	out := ok(t, c, "clusterAclConfigVersion", "-c", "DefaultCluster")
	date := `\d{4}-\d\d-\d\d \d\d:\d\d:\d\d`
	matchLines(t, out,
		q("#Cluster Name     #Broker Name            #Broker Addr            #AclFilePath          #AclConfigVersionNum    #AclLastUpdateTime    "),
		q("DefaultCluster    broker-a                "+c.BrokerAddr+strings.Repeat(" ", 24-len(c.BrokerAddr))+file+"  1                       ")+date+" *",
		q("get cluster's plain access config version success."),
	)
	out = ok(t, c, "clusterAclConfigVersion", "-b", c.BrokerAddr)
	if !strings.HasSuffix(out, "get broker's plain access config version success. Address:"+c.BrokerAddr+" \n") || strings.Contains(out, "#Cluster") {
		t.Errorf("-b:\n%s", out)
	}
}
