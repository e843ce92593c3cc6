package command

import (
	"fmt"
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestStatsAll(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "SaT", 1)
	createTopic(t, c, "SaIdle", 1)
	send(t, c, "SaT", 0, "a", "", "")
	send(t, c, "SaT", 0, "b", "", "")
	cs := onlineConsumer(t, c, "SaG", "SaT")
	cs.commit("SaT", 0, 1)
	waitRoute(t, c, "%RETRY%SaG")
	out := ok(t, c, "statsAll")
	for _, want := range []string{
		fmt.Sprintf("%-64s  %-64s %12s %11s %11s %14s %14s\n", "#Topic", "#Consumer Group", "#Accumulation", "#InTPS", "#OutTPS", "#InMsg24Hour", "#OutMsg24Hour"),
		// In: the broker's TOPIC_PUT_NUMS (2 messages in the last minute); out: GROUP_GET_NUMS (SaG pulled nothing).
		fmt.Sprintf("%-64s  %-64s %12d %11.2f %11.2f %14d %14d\n", "SaT", "SaG", 1, 2.0/60, 0.0, 2, 0),
		fmt.Sprintf("%-64s  %-64s %12d %11.2f %11s %14d %14s\n", "SaIdle", "", 0, 0.0, "", 0, "NO_CONSUMER"),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if out := ok(t, c, "statsAll", "-t", "SaIdle"); strings.Count(out, "\n") != 2 {
		t.Errorf("-t SaIdle:\n%s", out)
	}
	if out := ok(t, c, "statsAll", "-a"); strings.Count(out, "\n") != 2 || !strings.Contains(out, "\nSaT ") {
		t.Errorf("-a (only SaT had messages):\n%s", out)
	}
}
