package namesrv

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testutil"
	"github.com/booster-mq/booster/wire"
)

func TestMetricsEndpoint(t *testing.T) {
	port := testutil.FreePort(t, 0)
	s := startServer(t, func(c *Config) {
		for k, v := range map[string]string{"metricsExporterType": "PROM", "metricsPromExporterPort": strconv.Itoa(port)} {
			if _, err := c.Set(k, v); err != nil {
				t.Fatal(err)
			}
		}
	})
	if s.MetricsAddr() == nil {
		t.Fatal("no metrics endpoint with metricsExporterType=PROM")
	}
	cl := dial(t, s.Addr(), wire.JSON)
	call(t, cl, wire.GetAllTopicListFromNameserver, nil)
	resp, err := http.Get("http://" + s.MetricsAddr().String() + "/metrics")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, want := range []string{
		`request_code="get_all_topic_list_from_nameserver"`,
		`node_type="namesrv"`,
		"rocketmq_namesrv_broker_number{",
		"rocketmq_topic_number{",
	} {
		if !strings.Contains(string(body), want) {
			t.Errorf("scrape lacks %s:\n%.3000s", want, body)
		}
	}
}

func TestMetricsOffByDefault(t *testing.T) {
	if s := startServer(t, nil); s.MetricsAddr() != nil {
		t.Fatalf("metrics endpoint on %v without metricsExporterType", s.MetricsAddr())
	}
}
