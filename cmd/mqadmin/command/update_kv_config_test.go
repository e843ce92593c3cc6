package command

import (
	"testing"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/internal/testcluster"
	"github.com/booster-mq/booster/wire"
)

func TestUpdateKvConfig(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	matchLines(t, ok(t, c, "updateKvConfig", "-s", "NS", "-k", "k1", "-v", "v1"), q("create or update kv config to namespace success."))
	if v := invoke(t, dial(t, c.NamesrvAddr), admin.Request(wire.GetKvConfig, "namespace", "NS", "key", "k1")).ExtValue("value"); v != "v1" {
		t.Errorf("value %q", v)
	}
	fails(t, c, "missing required option -v (--value)", "updateKvConfig", "-s", "NS", "-k", "k1")
}
