package command

import (
	"fmt"
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestUpdateNamesrvConfig(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	matchLines(t, ok(t, c, "updateNamesrvConfig", "-k", "orderMessageEnable", "-v", "true"),
		q("update name server config success!["+c.NamesrvAddr+"]"), q("orderMessageEnable : true"))
	if out := ok(t, c, "getNamesrvConfig"); !strings.Contains(out, fmt.Sprintf("%-50s=  %s\n", "orderMessageEnable", "true")) {
		t.Errorf("not applied:\n%s", out)
	}
	fails(t, c, "CODE: 16", "updateNamesrvConfig", "-k", "kvConfigPath", "-v", "/tmp/x")
}
