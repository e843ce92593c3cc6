package bench

import (
	"context"
	"crypto/rand"
	"fmt"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/apache/rocketmq-client-go/v2"
	"github.com/apache/rocketmq-client-go/v2/consumer"
	"github.com/apache/rocketmq-client-go/v2/primitive"
	"github.com/apache/rocketmq-client-go/v2/producer"
)

// instanceName returns a client instance name unique to this client: the
// Go client shares one connection set between clients of the same
// ClientIP@InstanceName.
func instanceName(role string) string {
	return fmt.Sprintf("bench-%s-%d-%s", role, os.Getpid(), rand.Text()[:8])
}

func namesrvList(s string) primitive.NamesrvAddr {
	var out primitive.NamesrvAddr
	for a := range strings.SplitSeq(s, ";") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// goSender sends through the official Go client. Async mode runs Inflight
// workers, each waiting for its SendAsync callback; oneway uses SendOneWay.
type goSender struct {
	cfg  *ProducerConfig
	p    rocketmq.Producer
	body []byte
}

func newGoSender(cfg *ProducerConfig) (*goSender, error) {
	p, err := rocketmq.NewProducer(
		producer.WithNameServer(namesrvList(cfg.Namesrv)),
		producer.WithGroupName(cfg.Group),
		producer.WithInstanceName(instanceName("producer")),
		producer.WithRetry(0),
		producer.WithSendMsgTimeout(cfg.SendTimeout),
		producer.WithDefaultTopicQueueNums(defaultTopicQueueNums),
	)
	if err != nil {
		return nil, err
	}
	if err := p.Start(); err != nil {
		return nil, err
	}
	return &goSender{cfg: cfg, p: p, body: payload(cfg.Size)}, nil
}

func (s *goSender) close() { _ = s.p.Shutdown() }

func (s *goSender) send(ctx context.Context, _ int, k int) error {
	msgs := make([]*primitive.Message, k)
	now := strconv.FormatInt(time.Now().UnixNano(), 10)
	for i := range msgs {
		msgs[i] = primitive.NewMessage(s.cfg.Topic, s.body)
		msgs[i].WithProperty(PropertySendTime, now)
	}
	sctx, cancel := context.WithTimeout(context.Background(), s.cfg.SendTimeout)
	defer cancel()
	switch s.cfg.Mode {
	case Oneway:
		return s.p.SendOneWay(sctx, msgs...)
	case Async:
		errc := make(chan error, 1)
		err := s.p.SendAsync(sctx, func(_ context.Context, res *primitive.SendResult, err error) {
			if err == nil && res.Status != primitive.SendOK {
				err = fmt.Errorf("bench: send status %v", res.Status)
			}
			errc <- err
		}, msgs...)
		if err != nil {
			return err
		}
		select {
		case err := <-errc:
			return err
		case <-sctx.Done():
			return sctx.Err()
		}
	default:
		res, err := s.p.SendSync(sctx, msgs...)
		if err != nil {
			return err
		}
		if res.Status != primitive.SendOK {
			return fmt.Errorf("bench: send status %v", res.Status)
		}
		return nil
	}
}

// goReceiver is the official Go client's push consumer.
type goReceiver struct {
	c rocketmq.PushConsumer
}

func startGoReceiver(cfg *ConsumerConfig, sk *sink) (*goReceiver, error) {
	from := consumer.ConsumeFromLastOffset
	if cfg.From == FromFirst {
		from = consumer.ConsumeFromFirstOffset
	}
	c, err := rocketmq.NewPushConsumer(
		consumer.WithNameServer(namesrvList(cfg.Namesrv)),
		consumer.WithGroupName(cfg.Group),
		consumer.WithInstance(instanceName("consumer")),
		consumer.WithConsumerModel(consumer.Clustering),
		consumer.WithConsumeFromWhere(from),
		consumer.WithPullBatchSize(int32(cfg.PullBatch)),
	)
	if err != nil {
		return nil, err
	}
	var worker atomic.Int64
	err = c.Subscribe(cfg.Topic, consumer.MessageSelector{}, func(_ context.Context, msgs ...*primitive.MessageExt) (consumer.ConsumeResult, error) {
		now := time.Now()
		w := int(worker.Add(1))
		for _, m := range msgs {
			ts, _ := strconv.ParseInt(m.GetProperty(PropertySendTime), 10, 64)
			sk.received(w, len(m.Body), ts, m.BornTimestamp, now)
		}
		return consumer.ConsumeSuccess, nil
	})
	if err != nil {
		return nil, err
	}
	if err := c.Start(); err != nil {
		_ = c.Shutdown()
		return nil, err
	}
	return &goReceiver{c: c}, nil
}

func (r *goReceiver) close() { _ = r.c.Shutdown() }
