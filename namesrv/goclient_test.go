package namesrv

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/apache/rocketmq-client-go/v2/admin"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"
	"github.com/apache/rocketmq-client-go/v2/rlog"

	"github.com/booster-mq/booster/wire"
)

// The official Go client parses route bodies by splitting brokerAddrs'
// raw text and decodes topic lists with strict encoding/json
// (remoting.md §5.2, §7.4): these tests prove it reads ours.

func TestGoAdminReadsRouteAndTopicList(t *testing.T) {
	rlog.SetLogLevel("error")
	s := startServer(t, nil)
	cl := dial(t, s.Addr(), wire.JSON)
	brokerA().register(t, cl)
	slave := brokerA()
	slave.id, slave.addr = 1, "127.0.0.1:10921"
	slave.register(t, cl)

	adm, err := admin.NewAdmin(admin.WithResolver(primitive.NewPassthroughResolver([]string{s.Addr()})))
	if err != nil {
		t.Fatal(err)
	}
	defer adm.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	tl, err := adm.FetchAllTopicList(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got := slices.Sorted(slices.Values(tl.TopicList)); !slices.Equal(got, []string{"TBW102", "TopicA"}) {
		t.Fatalf("topic list %v", tl.TopicList)
	}

	mqs, err := adm.FetchPublishMessageQueues(ctx, "TopicA")
	if err != nil {
		t.Fatal(err)
	}
	if len(mqs) != 4 {
		t.Fatalf("%d publish queues: %v", len(mqs), mqs)
	}
	for i, mq := range mqs {
		if mq.Topic != "TopicA" || mq.BrokerName != "broker-a" || mq.QueueId != i {
			t.Fatalf("queue %d: %+v", i, mq)
		}
	}
	clusters, err := adm.FetchClusterList("TopicA")
	if err != nil || !slices.Equal(clusters, []string{"DefaultCluster"}) {
		t.Fatalf("clusters %v %v", clusters, err)
	}
	if _, err := adm.FetchClusterList("Nope"); err == nil {
		t.Fatal("route of an unknown topic did not fail")
	}
}

func TestGoProducerStartsAndFailsCleanlyOnUnknownTopic(t *testing.T) {
	rlog.SetLogLevel("error")
	s := startServer(t, nil)
	p, err := producer.NewDefaultProducer(
		producer.WithNsResolver(primitive.NewPassthroughResolver([]string{s.Addr()})),
		producer.WithGroupName("booster-namesrv-test"),
		producer.WithInstanceName("booster-namesrv-producer-"+t.Name()),
		producer.WithRetry(1),
	)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(); err != nil {
		t.Fatal(err)
	}
	defer p.Shutdown()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, err = p.SendSync(ctx, primitive.NewMessage("NoSuchTopic", []byte("hello")))
	if err == nil || !strings.Contains(err.Error(), "route info not found") {
		t.Fatalf("send to unknown topic: %v", err)
	}
}
