package command

import (
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

// Booster refuses path keys (CVE-2023-33246) and changes nothing at runtime.
func TestUpdateBrokerConfig(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	fails(t, c, "CODE: 16 DESC: Can not update config in black list.", "updateBrokerConfig", "-b", c.BrokerAddr, "-k", "rocketmqHome", "-v", "/tmp")
	r := fails(t, c, "CODE: 1 DESC: Can not update config at runtime: brokerPermission", "updateBrokerConfig", "-c", "DefaultCluster", "-k", "brokerPermission", "-v", "4")
	if r.out != "" {
		t.Errorf("stdout %q", r.out)
	}
	fails(t, c, "missing required option -v (--value)", "updateBrokerConfig", "-b", c.BrokerAddr, "-k", "x")
}
