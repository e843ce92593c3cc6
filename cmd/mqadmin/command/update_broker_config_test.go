package command

import (
	"regexp"
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

// Booster refuses path keys (CVE-2023-33246) and keys fixed at start,
// and applies runtime keys at once.
func TestUpdateBrokerConfig(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	fails(t, c, "CODE: 16 DESC: Can not update config in black list.", "updateBrokerConfig", "-b", c.BrokerAddr, "-k", "rocketmqHome", "-v", "/tmp")
	r := fails(t, c, "CODE: 1 DESC: Can not update config at runtime: listenPort", "updateBrokerConfig", "-c", "DefaultCluster", "-k", "listenPort", "-v", "1")
	if r.out != "" {
		t.Errorf("stdout %q", r.out)
	}
	out := ok(t, c, "updateBrokerConfig", "-c", "DefaultCluster", "-k", "autoCreateTopicEnable", "-v", "false")
	matchLines(t, out, q("update broker config success, "+c.BrokerAddr))
	if got := ok(t, c, "getBrokerConfig", "-b", c.BrokerAddr); !strings.Contains(got, "autoCreateTopicEnable") || !regexp.MustCompile(`autoCreateTopicEnable\s*=\s*false`).MatchString(got) {
		t.Errorf("getBrokerConfig after the update:\n%s", got)
	}
	fails(t, c, "missing required option -v (--value)", "updateBrokerConfig", "-b", c.BrokerAddr, "-k", "x")
}
