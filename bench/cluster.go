package bench

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// Errors of the wire-level cluster client.
var (
	// ErrTopicNotExist is the NameServer's TOPIC_NOT_EXIST for a route.
	ErrTopicNotExist = errors.New("bench: topic route not found")
	// ErrNoQueues means a route has no queue with the needed permission.
	ErrNoQueues = errors.New("bench: no usable queue in the route")
)

// Permission bits of a topic (PermName).
const (
	permRead  = 4
	permWrite = 2
)

// queue is one message queue and the master that serves it.
type queue struct {
	broker string
	addr   string
	id     int32
}

// cluster is a wire-level view of a RocketMQ cluster: NameServer lookups,
// a few connections per broker, topic creation. Safe for concurrent use;
// mu guards conns.
type cluster struct {
	namesrv   []string
	serialize wire.SerializeType
	perBroker int // connections per broker
	timeout   time.Duration

	mu    sync.Mutex
	conns map[string][]*transport.Client
}

func newCluster(namesrv string, serialize wire.SerializeType, perBroker int, timeout time.Duration) *cluster {
	var ns []string
	for a := range strings.SplitSeq(namesrv, ";") {
		if a = strings.TrimSpace(a); a != "" {
			ns = append(ns, a)
		}
	}
	return &cluster{namesrv: ns, serialize: serialize, perBroker: max(perBroker, 1), timeout: timeout,
		conns: map[string][]*transport.Client{}}
}

// close closes every broker connection.
func (c *cluster) close() {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, cs := range c.conns {
		for _, cl := range cs {
			if cl != nil {
				_ = cl.Close()
			}
		}
	}
	clear(c.conns)
}

// client returns connection i (mod the per-broker count) to addr, dialing
// it on first use or after it broke.
func (c *cluster) client(ctx context.Context, addr string, i int) (*transport.Client, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	cs := c.conns[addr]
	if cs == nil {
		cs = make([]*transport.Client, c.perBroker)
		c.conns[addr] = cs
	}
	i %= len(cs)
	if cl := cs[i]; cl != nil && cl.Err() == nil {
		return cl, nil
	}
	dctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	cl, err := transport.Dial(dctx, addr)
	if err != nil {
		return nil, err
	}
	cl.Serialize = c.serialize
	cs[i] = cl
	return cl, nil
}

// invokeOnce sends req on a short-lived connection to addr.
func (c *cluster) invokeOnce(ctx context.Context, addr string, req *wire.Command) (*wire.Command, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	cl, err := transport.Dial(ctx, addr)
	if err != nil {
		return nil, err
	}
	defer cl.Close()
	cl.Serialize = c.serialize
	return cl.Invoke(ctx, req)
}

// nsInvoke asks the NameServers in order until one answers.
func (c *cluster) nsInvoke(ctx context.Context, code wire.RequestCode, ext ...wire.Field) (*wire.Command, error) {
	if len(c.namesrv) == 0 {
		return nil, errors.New("bench: no NameServer address")
	}
	var lastErr error
	for _, addr := range c.namesrv {
		resp, err := c.invokeOnce(ctx, addr, wire.NewRequest(code, ext...))
		if err == nil {
			return resp, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

// decodeBody reads a JSON body written by Booster or by Java's fastjson.
func decodeBody(b []byte, v any) error {
	return json.Unmarshal(codec.QuoteNumericKeys(b), v)
}

// route returns the route of topic, or ErrTopicNotExist.
func (c *cluster) route(ctx context.Context, topic string) (*codec.TopicRouteData, error) {
	resp, err := c.nsInvoke(ctx, wire.GetRouteinfoByTopic, wire.Field{Key: "topic", Value: topic})
	if err != nil {
		return nil, err
	}
	switch resp.ResponseCode() {
	case wire.Success:
	case wire.TopicNotExist:
		return nil, fmt.Errorf("%w: %s", ErrTopicNotExist, topic)
	default:
		return nil, fmt.Errorf("bench: route of %s: %v %s", topic, resp.ResponseCode(), resp.Remark)
	}
	var rd codec.TopicRouteData
	if err := decodeBody(resp.Body, &rd); err != nil {
		return nil, fmt.Errorf("bench: route of %s: %w", topic, err)
	}
	rd.Sort()
	return &rd, nil
}

// queues lists the queues of a route that have permission perm on a
// broker with a master, in broker then id order; limit > 0 caps the
// queues taken per broker (the auto-create path uses 4).
func queues(rd *codec.TopicRouteData, perm, limit int) ([]queue, error) {
	var out []queue
	for _, qd := range rd.QueueDatas {
		if qd.Perm&perm == 0 {
			continue
		}
		addr := ""
		for i := range rd.BrokerDatas {
			if rd.BrokerDatas[i].BrokerName == qd.BrokerName {
				addr = rd.BrokerDatas[i].MasterAddr()
			}
		}
		if addr == "" {
			continue
		}
		n := qd.WriteQueueNums
		if perm == permRead {
			n = qd.ReadQueueNums
		}
		if limit > 0 {
			n = min(n, limit)
		}
		for id := range n {
			out = append(out, queue{broker: qd.BrokerName, addr: addr, id: int32(id)})
		}
	}
	if len(out) == 0 {
		return nil, ErrNoQueues
	}
	return out, nil
}

// defaultTopicQueueNums is the client's default queue count for a topic
// created on first send (DefaultMQProducer.defaultTopicQueueNums).
const defaultTopicQueueNums = 4

// writeQueues resolves the queues a producer sends to. A topic without a
// route is sent through the auto-create template (TBW102), as the clients
// do; autoCreate reports that.
func (c *cluster) writeQueues(ctx context.Context, topic string) (qs []queue, autoCreate bool, err error) {
	rd, err := c.route(ctx, topic)
	if errors.Is(err, ErrTopicNotExist) {
		rd, err = c.route(ctx, compat.AutoCreateTopicKey)
		if err != nil {
			return nil, false, err
		}
		qs, err = queues(rd, permWrite, defaultTopicQueueNums)
		return qs, true, err
	}
	if err != nil {
		return nil, false, err
	}
	qs, err = queues(rd, permWrite, 0)
	return qs, false, err
}

// masters lists the master addresses of every broker the NameServer knows.
func (c *cluster) masters(ctx context.Context) ([]string, error) {
	resp, err := c.nsInvoke(ctx, wire.GetBrokerClusterInfo)
	if err != nil {
		return nil, err
	}
	if resp.ResponseCode() != wire.Success {
		return nil, fmt.Errorf("bench: cluster info: %v %s", resp.ResponseCode(), resp.Remark)
	}
	var ci codec.ClusterInfo
	if err := decodeBody(resp.Body, &ci); err != nil {
		return nil, fmt.Errorf("bench: cluster info: %w", err)
	}
	var out []string
	for _, bd := range ci.BrokerAddrTable {
		if a := bd.MasterAddr(); a != "" {
			out = append(out, a)
		}
	}
	slices.Sort(out)
	if len(out) == 0 {
		return nil, errors.New("bench: the NameServer knows no broker master")
	}
	return out, nil
}

// createTopic creates (or updates) topic with n read and write queues on
// every master, then waits until the NameServer's route shows them all.
func (c *cluster) createTopic(ctx context.Context, topic string, n int) error {
	addrs, err := c.masters(ctx)
	if err != nil {
		return err
	}
	for _, addr := range addrs {
		req := wire.NewRequest(wire.UpdateAndCreateTopic,
			wire.Field{Key: "topic", Value: topic},
			wire.Field{Key: "defaultTopic", Value: compat.AutoCreateTopicKey},
			wire.Field{Key: "readQueueNums", Value: strconv.Itoa(n)},
			wire.Field{Key: "writeQueueNums", Value: strconv.Itoa(n)},
			wire.Field{Key: "perm", Value: "6"},
			wire.Field{Key: "topicFilterType", Value: "SINGLE_TAG"},
			wire.Field{Key: "topicSysFlag", Value: "0"},
			wire.Field{Key: "order", Value: "false"},
		)
		resp, err := c.invokeOnce(ctx, addr, req)
		if err != nil {
			return fmt.Errorf("bench: create topic %s on %s: %w", topic, addr, err)
		}
		if resp.ResponseCode() != wire.Success {
			return fmt.Errorf("bench: create topic %s on %s: %v %s", topic, addr, resp.ResponseCode(), resp.Remark)
		}
	}
	// The broker registers the change with the NameServer asynchronously.
	deadline := time.Now().Add(60 * time.Second)
	for {
		rd, err := c.route(ctx, topic)
		if err == nil {
			qs, qerr := queues(rd, permWrite, 0)
			if qerr == nil && len(qs) == n*len(addrs) {
				return nil
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("bench: topic %s with %d queues on %d brokers did not appear in the route within 60 s", topic, n, len(addrs))
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}
