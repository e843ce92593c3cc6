package command

import (
	"fmt"
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestGetNamesrvConfig(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	out := ok(t, c, "getNamesrvConfig")
	if !strings.HasPrefix(out, "============"+c.NamesrvAddr+"============\n") || !strings.Contains(out, fmt.Sprintf("%-50s=  %s\n", "orderMessageEnable", "false")) {
		t.Errorf("output:\n%s", out)
	}
	fails(t, nil, "no NameServer address", "getNamesrvConfig")
}
