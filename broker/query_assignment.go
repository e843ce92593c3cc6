package broker

// QUERY_ASSIGNMENT (400), mirroring Java's QueryAssignmentProcessor
// (server-side rebalance; sent by Java push consumers with
// setClientRebalance(false)).
//
// Body (QueryAssignmentRequestBody):
// {"topic","consumerGroup","clientId","strategyName","messageModel"}.
//
// Behaviour:
//  1. The mode is the topic and group's message request mode
//     (message_request_mode.go).
//  2. The topic's queues are the readable queues of its route from the
//     NameServer (every broker's, cached 10 s; this broker's own topic
//     config when no NameServer answers), sorted by topic, broker, queue id.
//  3. BROADCASTING: every queue. CLUSTERING: the group's online client ids
//     (sorted) share them by strategyName, AVG (AllocateMessageQueueAveragely)
//     or AVG_BY_CIRCLE; POP mode gives each client every queue as
//     (topic, broker, -1) when popShareQueueNum <= 0 or >= clients-1, else
//     its own share plus those of the popShareQueueNum clients after it
//     (one queue each when there are more clients than queues).
//  4. No route, no client, an unknown strategy or a client not in the group:
//     the body has no assignment set (null), which the client skips.
//
// Response body: {"messageQueueAssignments":[{"messageQueue":{"brokerName","queueId","topic"},"mode":"POP"}]}.

import (
	"context"
	"encoding/json"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// routeCacheTTL is how long a topic's queues from the NameServer are reused.
const routeCacheTTL = 10 * time.Second

type queryAssignmentBody struct {
	Topic         string `json:"topic"`
	ConsumerGroup string `json:"consumerGroup"`
	ClientID      string `json:"clientId"`
	StrategyName  string `json:"strategyName"`
	MessageModel  string `json:"messageModel"`
}

type messageQueueAssignment struct {
	MessageQueue codec.MessageQueue `json:"messageQueue"`
	Mode         string             `json:"mode"`
}

type queryAssignmentResponse struct {
	MessageQueueAssignments []messageQueueAssignment `json:"messageQueueAssignments,omitempty"`
}

// subscribeRoutes caches the readable queues of topics (Java's
// TopicRouteInfoManager). Safe for concurrent use.
type subscribeRoutes struct {
	mu sync.Mutex
	m  map[string]routeEntry
}

type routeEntry struct {
	at  time.Time
	mqs []codec.MessageQueue
}

func (b *Broker) queryAssignment(r *transport.Request) *wire.Command {
	req := r.Cmd
	var body queryAssignmentBody
	if err := json.Unmarshal(req.Body, &body); err != nil {
		return wire.NewResponse(req, wire.SystemError, "bad QueryAssignmentRequestBody: "+err.Error())
	}
	mode := b.messageRequestMode(body.Topic, body.ConsumerGroup)
	mqs := b.assign(&body, mode)
	resp := wire.NewResponse(req, wire.Success, "")
	var out queryAssignmentResponse
	if mqs != nil {
		out.MessageQueueAssignments = make([]messageQueueAssignment, 0, len(mqs))
		for _, mq := range mqs {
			out.MessageQueueAssignments = append(out.MessageQueueAssignments, messageQueueAssignment{MessageQueue: mq, Mode: string(mode.Mode)})
		}
		if len(out.MessageQueueAssignments) == 0 {
			resp.Body = []byte(`{"messageQueueAssignments":[]}`)
			return resp
		}
	}
	resp.Body = codec.Encode(out)
	return resp
}

// assign returns the queues of the requesting client, or nil for "no
// valid result".
func (b *Broker) assign(body *queryAssignmentBody, mode requestModeBody) []codec.MessageQueue {
	mqAll := b.subscribeQueues(body.Topic)
	if mqAll == nil {
		return nil
	}
	if strings.EqualFold(body.MessageModel, "BROADCASTING") || body.MessageModel == "0" {
		return mqAll
	}
	cidAll := b.clients.consumerIDs(body.ConsumerGroup)
	if len(cidAll) == 0 {
		b.log.Warn("query assignment: no client of the group online", "group", body.ConsumerGroup, "topic", body.Topic)
		return nil
	}
	alloc := allocateStrategy(body.StrategyName)
	if alloc == nil {
		b.log.Warn("query assignment: unsupported strategy", "strategy", body.StrategyName, "group", body.ConsumerGroup)
		return nil
	}
	if mode.Mode == requestModePop {
		return allocate4Pop(alloc, body.ClientID, mqAll, cidAll, mode.PopShareQueueNum)
	}
	return alloc(body.ClientID, mqAll, cidAll)
}

// allocateFunc allocates the queues of one client.
type allocateFunc func(cid string, mqAll []codec.MessageQueue, cidAll []string) []codec.MessageQueue

// allocateStrategy returns the server-side AllocateMessageQueueStrategy
// of a name, or nil.
func allocateStrategy(name string) allocateFunc {
	switch name {
	case "AVG":
		return allocateAveragely
	case "AVG_BY_CIRCLE":
		return allocateByCircle
	}
	return nil
}

// allocateAveragely is AllocateMessageQueueAveragely: contiguous blocks,
// the first clients taking one extra queue each.
func allocateAveragely(cid string, mqAll []codec.MessageQueue, cidAll []string) []codec.MessageQueue {
	index := slices.Index(cidAll, cid)
	if index < 0 || len(mqAll) == 0 {
		return []codec.MessageQueue{}
	}
	n, c := len(mqAll), len(cidAll)
	mod := n % c
	size := n / c
	switch {
	case n <= c:
		size = 1
	case mod > 0 && index < mod:
		size++
	}
	start := index*size + mod
	if mod > 0 && index < mod {
		start = index * size
	}
	out := []codec.MessageQueue{}
	for i := 0; i < min(size, n-start); i++ {
		out = append(out, mqAll[start+i])
	}
	return out
}

// allocateByCircle is AllocateMessageQueueAveragelyByCircle: queue i goes
// to client i mod clients.
func allocateByCircle(cid string, mqAll []codec.MessageQueue, cidAll []string) []codec.MessageQueue {
	index := slices.Index(cidAll, cid)
	out := []codec.MessageQueue{}
	if index < 0 {
		return out
	}
	for i := index; i < len(mqAll); i += len(cidAll) {
		out = append(out, mqAll[i])
	}
	return out
}

// allocate4Pop is QueryAssignmentProcessor.allocate4Pop.
func allocate4Pop(alloc allocateFunc, cid string, mqAll []codec.MessageQueue, cidAll []string, share int) []codec.MessageQueue {
	var out []codec.MessageQueue
	switch {
	case share <= 0 || share >= len(cidAll)-1:
		for _, mq := range mqAll {
			out = append(out, codec.MessageQueue{Topic: mq.Topic, BrokerName: mq.BrokerName, QueueID: -1})
		}
	case len(cidAll) <= len(mqAll):
		out = alloc(cid, mqAll, cidAll)
		if index := slices.Index(cidAll, cid); index >= 0 {
			for i := 1; i <= share; i++ {
				out = append(out, alloc(cidAll[(index+i)%len(cidAll)], mqAll, cidAll)...)
			}
		}
	default:
		out = []codec.MessageQueue{}
		if index := slices.Index(cidAll, cid); index >= 0 {
			out = append(out, mqAll[index%len(mqAll)])
		}
	}
	// The Java result is a set.
	slices.SortFunc(out, compareMessageQueue)
	return slices.Compact(out)
}

// compareMessageQueue is MessageQueue.compareTo: topic, broker, queue id.
func compareMessageQueue(a, b codec.MessageQueue) int {
	if c := strings.Compare(a.Topic, b.Topic); c != 0 {
		return c
	}
	if c := strings.Compare(a.BrokerName, b.BrokerName); c != 0 {
		return c
	}
	return int(a.QueueID) - int(b.QueueID)
}

// subscribeQueues returns the readable queues of a topic across the
// cluster, or nil when the topic is unknown.
func (b *Broker) subscribeQueues(topic string) []codec.MessageQueue {
	now := time.Now()
	b.subRoutes.mu.Lock()
	e, ok := b.subRoutes.m[topic]
	b.subRoutes.mu.Unlock()
	if ok && now.Sub(e.at) < routeCacheTTL {
		return e.mqs
	}
	mqs, found := b.routeQueues(topic)
	if !found {
		mqs = b.localQueues(topic)
	}
	b.subRoutes.mu.Lock()
	if b.subRoutes.m == nil {
		b.subRoutes.m = map[string]routeEntry{}
	}
	if mqs == nil {
		delete(b.subRoutes.m, topic)
	} else {
		b.subRoutes.m[topic] = routeEntry{at: now, mqs: mqs}
	}
	b.subRoutes.mu.Unlock()
	return mqs
}

// routeQueues asks the NameServers for a topic's route; found is false
// when none of them answered it.
func (b *Broker) routeQueues(topic string) ([]codec.MessageQueue, bool) {
	for _, addr := range b.conf().NamesrvAddrs() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		cl, err := b.nsClient(ctx, addr)
		if err != nil {
			cancel()
			continue
		}
		resp, err := cl.Invoke(ctx, wire.NewRequest(wire.GetRouteinfoByTopic, wire.Field{Key: "topic", Value: topic}))
		cancel()
		if err != nil || resp.ResponseCode() != wire.Success {
			continue
		}
		var route codec.TopicRouteData
		if err := json.Unmarshal(codec.QuoteNumericKeys(resp.Body), &route); err != nil {
			continue
		}
		var mqs []codec.MessageQueue
		for _, qd := range route.QueueDatas {
			if qd.Perm&compat.PermRead == 0 {
				continue
			}
			for i := range qd.ReadQueueNums {
				mqs = append(mqs, codec.MessageQueue{Topic: topic, BrokerName: qd.BrokerName, QueueID: int32(i)})
			}
		}
		slices.SortFunc(mqs, compareMessageQueue)
		return mqs, len(mqs) > 0
	}
	return nil, false
}

// localQueues is this broker's readable queues of a topic.
func (b *Broker) localQueues(topic string) []codec.MessageQueue {
	tc, ok := b.topics.get(topic)
	if !ok || tc.Perm&compat.PermRead == 0 || b.conf().BrokerPermission&compat.PermRead == 0 {
		return nil
	}
	mqs := make([]codec.MessageQueue, 0, tc.ReadQueueNums)
	for i := range tc.ReadQueueNums {
		mqs = append(mqs, codec.MessageQueue{Topic: topic, BrokerName: b.conf().BrokerName, QueueID: int32(i)})
	}
	return mqs
}
