package command

import (
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestTLSFlag(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t, testcluster.WithConf("tls.server.mode", "enforcing"), testcluster.WithConf("tls.config.file", ""))
	if c.External {
		t.Skip("needs a broker in enforcing mode")
	}
	out := ok(t, c, "getBrokerConfig", "-b", c.BrokerAddr, "--tls")
	if !strings.Contains(out, "brokerName") || strings.Contains(out, "tls.") {
		t.Errorf("getBrokerConfig over TLS (the tls.* keys are no broker config, as in Apache):\n%s", out)
	}
	// The NameServer is permissive: TLS and plaintext both reach it.
	for _, args := range [][]string{{"topicRoute", "-t", "TBW102", "--tls"}, {"topicRoute", "-t", "TBW102"}} {
		if out := ok(t, c, args...); !strings.Contains(out, "broker-a") {
			t.Errorf("%v:\n%s", args, out)
		}
	}
	fails(t, c, "connection closed", "getBrokerConfig", "-b", c.BrokerAddr)
	if out := ok(t, c, "clusterList", "--tls"); !strings.Contains(out, c.BrokerAddr) {
		t.Errorf("clusterList over TLS:\n%s", out)
	}
}
