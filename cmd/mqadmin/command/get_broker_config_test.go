package command

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestGetBrokerConfig(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	out := ok(t, c, "getBrokerConfig", "-b", c.BrokerAddr)
	if !strings.HasPrefix(out, "============"+c.BrokerAddr+"============\n") || !strings.HasSuffix(out, "\n\n") ||
		!strings.Contains(out, fmt.Sprintf("%-50s=  %s\n", "brokerName", "broker-a")) {
		t.Errorf("-b:\n%s", out)
	}
	out = ok(t, c, "getBrokerConfig", "-c", "DefaultCluster")
	if !strings.HasPrefix(out, "============Master: "+c.BrokerAddr+"============\n") {
		t.Errorf("-c:\n%s", out)
	}
	var m map[string]map[string]string
	if err := json.Unmarshal([]byte(ok(t, c, "getBrokerConfig", "-b", c.BrokerAddr, "--json")), &m); err != nil || m[c.BrokerAddr]["brokerClusterName"] != "DefaultCluster" {
		t.Errorf("--json: %v %v", m, err)
	}
}
