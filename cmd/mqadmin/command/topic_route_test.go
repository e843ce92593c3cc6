package command

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/internal/testcluster"
)

func TestTopicRoute(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	createTopic(t, c, "RouteT", 4)
	// fastjson's pretty format, as Java's topicRoute prints it.
	want := "{\n" +
		"\t\"brokerDatas\":[\n" +
		"\t\t{\n" +
		"\t\t\t\"brokerAddrs\":{0:\"" + c.BrokerAddr + "\"\n" +
		"\t\t\t},\n" +
		"\t\t\t\"brokerName\":\"broker-a\",\n" +
		"\t\t\t\"cluster\":\"DefaultCluster\",\n" +
		"\t\t\t\"enableActingMaster\":false\n" +
		"\t\t}\n" +
		"\t],\n" +
		"\t\"filterServerTable\":{},\n" +
		"\t\"queueDatas\":[\n" +
		"\t\t{\n" +
		"\t\t\t\"brokerName\":\"broker-a\",\n" +
		"\t\t\t\"perm\":6,\n" +
		"\t\t\t\"readQueueNums\":4,\n" +
		"\t\t\t\"topicSysFlag\":0,\n" +
		"\t\t\t\"writeQueueNums\":4\n" +
		"\t\t}\n" +
		"\t]\n" +
		"}\n"
	if got := ok(t, c, "topicRoute", "-t", "RouteT"); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}

	out := ok(t, c, "topicRoute", "-t", "RouteT", "-l")
	matchLines(t, out,
		q(fmt.Sprintf("%-45s %-32s %-50s %-10s %-11s %-5s", "#ClusterName", "#BrokerName", "#BrokerAddrs", "#ReadQueue", "#WriteQueue", "#Perm")),
		`DefaultCluster {32}broker-a {25}`+q("{0="+c.BrokerAddr+"}")+` +4 {10}4 {11}6    `,
		strings.Repeat("-", 158),
		`Total: {40}1 {32}`+strings.Repeat(" ", 51)+`4 {10}4 {11} {5}`)

	var rd codec.TopicRouteData
	if err := json.Unmarshal([]byte(ok(t, c, "topicRoute", "-t", "RouteT", "--json")), &rd); err != nil || rd.BrokerDatas[0].BrokerAddrs[0] != c.BrokerAddr {
		t.Errorf("--json: %+v %v", rd, err)
	}
	fails(t, c, "CODE: 17 DESC: No topic route info in name server for the topic: Nope", "topicRoute", "-t", "Nope")
}

func TestFastjsonPretty(t *testing.T) {
	got, err := fastjsonPretty([]byte(`{"a":[],"b":{"x":1,"y":[true,null,"s"]},"m":{"1":"p","2":"q"},"e":{}}`), map[string]bool{"m": true})
	if err != nil {
		t.Fatal(err)
	}
	want := "{\n\t\"a\":[],\n\t\"b\":{\n\t\t\"x\":1,\n\t\t\"y\":[\n\t\t\ttrue,\n\t\t\tnull,\n\t\t\t\"s\"\n\t\t]\n\t},\n\t\"m\":{1:\"p\",2:\"q\"\n\t},\n\t\"e\":{}\n}"
	if got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
