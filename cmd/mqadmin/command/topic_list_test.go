package command

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestTopicList(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "ListT", 1)
	lines := strings.Split(strings.TrimSpace(ok(t, c, "topicList")), "\n")
	if !slices.Contains(lines, "ListT") || !slices.Contains(lines, "TBW102") || !slices.IsSorted(lines) {
		t.Fatalf("topicList:\n%s", strings.Join(lines, "\n"))
	}

	cs := onlineConsumer(t, c, "ListG", "ListT")
	cs.commit("ListT", 0, 0)
	out := ok(t, c, "topicList", "-c")
	if !strings.HasPrefix(out, fmt.Sprintf("%-20s  %-48s  %-48s\n", "#Cluster Name", "#Topic", "#Consumer Group")) {
		t.Errorf("header:\n%s", out)
	}
	want := fmt.Sprintf("%-20s  %-64s  %-64s\n", "DefaultCluster", "ListT", "ListG")
	if !strings.Contains(out, want) {
		t.Errorf("no row %q in\n%s", want, out)
	}
	if strings.Contains(out, "%RETRY%") {
		t.Errorf("retry topics listed:\n%s", out)
	}

	var j struct{ TopicList []string }
	if err := json.Unmarshal([]byte(ok(t, c, "topicList", "--json")), &j); err != nil || !slices.Contains(j.TopicList, "ListT") {
		t.Errorf("--json: %v %v", j, err)
	}
	var rows []topicGroupRow
	if err := json.Unmarshal([]byte(ok(t, c, "topicList", "-c", "--json")), &rows); err != nil ||
		!slices.Contains(rows, topicGroupRow{Cluster: "DefaultCluster", Topic: "ListT", ConsumerGroup: "ListG"}) {
		t.Errorf("-c --json: %v %v", rows, err)
	}
}
