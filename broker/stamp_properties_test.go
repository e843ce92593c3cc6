package broker

import (
	"testing"
	"time"

	"github.com/booster-mq/booster/codec"
)

// The 4.9 Java client sends properties without a trailing separator; the
// broker's own properties must not run into the last one.
func TestStampProperties(t *testing.T) {
	b := &Broker{}
	cfg := DefaultConfig()
	b.cfg.Store(&cfg)
	for _, in := range []string{
		"WAIT\x01true\x02TAGS\x01TagA",
		"WAIT\x01true\x02TAGS\x01TagA\x02",
		"TAGS\x01TagA\x02CLUSTER\x01Other\x02MSG_REGION\x01x\x02UNIQ_KEY\x01ABC\x02",
		"",
	} {
		got := codec.ParseProperties(b.stampProperties(in, time.Now()))
		if in != "" && got["TAGS"] != "TagA" {
			t.Errorf("%q: TAGS = %q", in, got["TAGS"])
		}
		if got["CLUSTER"] != "DefaultCluster" || got["MSG_REGION"] != "DefaultRegion" || got["TRACE_ON"] != "true" || len(got["UNIQ_KEY"]) == 0 {
			t.Errorf("%q: %v", in, got)
		}
	}
}
