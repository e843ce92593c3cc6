package command

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestBrokerStatus(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	out := ok(t, c, "brokerStatus", "-b", c.BrokerAddr)
	if !strings.HasPrefix(out, fmt.Sprintf("%-32s: %s\n", "EndTransactionQueueSize", "0")) || !strings.Contains(out, fmt.Sprintf("%-32s: %s\n", "brokerActive", "true")) ||
		!strings.Contains(out, fmt.Sprintf("%-32s: %s\n", "brokerVersionDesc", "V5_3_3")) {
		t.Errorf("-b:\n%s", out)
	}
	out = ok(t, c, "brokerStatus", "-c", "DefaultCluster")
	if !strings.Contains(out, fmt.Sprintf("%-24s %-32s: %s\n", c.BrokerAddr, "brokerVersion", "479")) {
		t.Errorf("-c:\n%s", out)
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(ok(t, c, "brokerStatus", "-b", c.BrokerAddr, "--json")), &m); err != nil || m["brokerActive"] != "true" {
		t.Errorf("--json: %v %v", m, err)
	}
	fails(t, c, "one of -b (--brokerAddr), -c (--clusterName)", "brokerStatus")
	fails(t, c, "connect to 127.0.0.1:1 failed", "brokerStatus", "-b", "127.0.0.1:1")
}
