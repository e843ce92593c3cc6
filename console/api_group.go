package console

// GET /api/groups: every subscription group of every master
// (GET_ALL_SUBSCRIPTIONGROUP_CONFIG), with its online clients and total
// lag.
// GET /api/group?group=G: a group's lag per queue (GET_CONSUME_STATS on
// each master), its connected clients and subscriptions
// (GET_CONSUMER_CONNECTION_LIST) and its config.
// POST /api/group {"group","cluster","consumeEnable",...}:
// UPDATE_AND_CREATE_SUBSCRIPTIONGROUP on every master of the cluster.

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
)

// groupRow is one group of /api/groups.
type groupRow struct {
	Group     string  `json:"group"`
	System    bool    `json:"system"`
	Brokers   int     `json:"brokers"` // masters holding its config
	Clients   int     `json:"clients"`
	Model     string  `json:"messageModel,omitempty"`
	LagTotal  int64   `json:"lagTotal"`
	ConsumeTp float64 `json:"consumeTps"`
}

// systemGroup is MixAll.isSysConsumerGroup plus the fixed tool groups.
func systemGroup(g string) bool {
	switch g {
	case "TOOLS_CONSUMER", "FILTERSRV_CONSUMER", "__MONITOR_CONSUMER", "CLIENT_INNER_PRODUCER", "SELF_TEST_C_GROUP",
		"CID_ONS-HTTP-PROXY", "CID_ONSAPI_PERMISSION", "CID_ONSAPI_OWNER", "CID_ONSAPI_PULL", "DEFAULT_CONSUMER":
		return true
	}
	return strings.HasPrefix(g, "CID_RMQ_SYS_")
}

// groupsAtOnce bounds how many groups /api/groups asks about at once.
const groupsAtOnce = 8

func (s *Server) apiGroups(r *http.Request) (any, error) {
	ctx := r.Context()
	masters, err := s.cli.masters(ctx, "")
	if err != nil {
		return nil, err
	}
	byName := map[string]*groupRow{}
	for _, addr := range masters {
		groups, err := s.cli.SubscriptionGroups(ctx, addr)
		if err != nil {
			return nil, err
		}
		for name := range groups {
			g := byName[name]
			if g == nil {
				g = &groupRow{Group: name, System: systemGroup(name)}
				byName[name] = g
			}
			g.Brokers++
		}
	}
	rows := make([]groupRow, 0, len(byName))
	var wg sync.WaitGroup
	var mu sync.Mutex                          // guards rows
	slots := make(chan struct{}, groupsAtOnce) // bounds the groups asked at once
	for _, g := range byName {
		wg.Go(func() {
			slots <- struct{}{}
			defer func() { <-slots }()
			if !g.System {
				lag, _ := s.groupLag(ctx, masters, g.Group)
				for _, q := range lag.Queues {
					g.LagTotal += q.Lag
				}
				g.ConsumeTp = lag.ConsumeTps
				if cc := s.connections(ctx, masters, g.Group); cc != nil {
					g.Clients, g.Model = len(cc.ConnectionSet), cc.MessageModel
				}
			}
			mu.Lock()
			rows = append(rows, *g)
			mu.Unlock()
		})
	}
	wg.Wait()
	sort.Slice(rows, func(i, j int) bool {
		if rows[i].System != rows[j].System {
			return !rows[i].System
		}
		return rows[i].Group < rows[j].Group
	})
	return rows, nil
}

// lagRow is one queue of a group.
type lagRow struct {
	Topic          string `json:"topic"`
	BrokerName     string `json:"brokerName"`
	QueueID        int32  `json:"queueId"`
	BrokerOffset   int64  `json:"brokerOffset"`
	ConsumerOffset int64  `json:"consumerOffset"`
	Lag            int64  `json:"lag"`
	Inflight       int64  `json:"inflight"`
	LastTimestamp  int64  `json:"lastTimestamp"`
	Client         string `json:"client,omitempty"` // the client holding the queue, when it says
}

// groupView is the answer of /api/group.
type groupView struct {
	Group       string                         `json:"group"`
	Queues      []lagRow                       `json:"queues"`
	LagTotal    int64                          `json:"lagTotal"`
	ConsumeTps  float64                        `json:"consumeTps"`
	Connections *consumerConnection            `json:"connection"`
	Config      *codec.SubscriptionGroupConfig `json:"config"`
	Errors      []string                       `json:"errors,omitempty"`
}

// groupLag asks every master for a group's offsets.
func (s *Server) groupLag(ctx context.Context, masters []string, group string) (*groupView, []string) {
	v := &groupView{Group: group, Queues: []lagRow{}}
	var errs []string
	for _, addr := range masters {
		cs, err := s.cli.ConsumeStats(ctx, addr, group, "")
		if err != nil {
			errs = append(errs, err.Error())
			continue
		}
		v.ConsumeTps += cs.ConsumeTps
		for mq, o := range cs.Offsets {
			row := lagRow{Topic: mq.Topic, BrokerName: mq.BrokerName, QueueID: mq.QueueID, BrokerOffset: o.BrokerOffset,
				ConsumerOffset: o.ConsumerOffset, Lag: o.BrokerOffset - o.ConsumerOffset, LastTimestamp: o.LastTimestamp}
			if o.PullOffset > o.ConsumerOffset {
				row.Inflight = o.PullOffset - o.ConsumerOffset
			}
			if row.Lag < 0 {
				row.Lag = 0
			}
			v.Queues = append(v.Queues, row)
			v.LagTotal += row.Lag
		}
	}
	sort.Slice(v.Queues, func(i, j int) bool {
		a, b := v.Queues[i], v.Queues[j]
		if a.Topic != b.Topic {
			return a.Topic < b.Topic
		}
		if a.BrokerName != b.BrokerName {
			return a.BrokerName < b.BrokerName
		}
		return a.QueueID < b.QueueID
	})
	return v, errs
}

// connections returns the first non-empty connection list of a group on
// the masters, or nil when no client is connected.
func (s *Server) connections(ctx context.Context, masters []string, group string) *consumerConnection {
	for _, addr := range masters {
		cc, err := s.cli.consumerConnectionOf(ctx, addr, group)
		if err == nil && len(cc.ConnectionSet) > 0 {
			return cc
		}
	}
	return nil
}

func (s *Server) apiGroup(r *http.Request) (any, error) {
	ctx := r.Context()
	group := strings.TrimSpace(r.URL.Query().Get("group"))
	if group == "" {
		return nil, badRequest("group is required")
	}
	masters, err := s.cli.masters(ctx, "")
	if err != nil {
		return nil, err
	}
	v, errs := s.groupLag(ctx, masters, group)
	v.Errors = errs
	v.Connections = s.connections(ctx, masters, group)
	s.queueOwners(ctx, masters, v)
	for _, addr := range masters {
		groups, err := s.cli.SubscriptionGroups(ctx, addr)
		if err == nil && groups[group] != nil {
			v.Config = groups[group]
			break
		}
	}
	return v, nil
}

// ownerWait bounds how long a group page waits for its clients to say
// which queues they hold.
const ownerWait = 2 * time.Second

// queueOwners fills each queue's Client from the clients' running info,
// asked concurrently through a broker; a client that does not answer in
// ownerWait leaves its queues blank.
func (s *Server) queueOwners(ctx context.Context, masters []string, v *groupView) {
	if v.Connections == nil || len(masters) == 0 {
		return
	}
	ctx, cancel := context.WithTimeout(ctx, ownerWait)
	defer cancel()
	var mu sync.Mutex // guards owner
	owner := map[codec.MessageQueue]string{}
	var wg sync.WaitGroup
	for _, c := range v.Connections.ConnectionSet {
		wg.Go(func() {
			for _, addr := range masters {
				mqs, err := s.cli.queuesHeld(ctx, addr, v.Group, c.ClientID)
				if err != nil {
					continue
				}
				mu.Lock()
				for _, mq := range mqs {
					owner[mq] = c.ClientID
				}
				mu.Unlock()
				return
			}
		})
	}
	wg.Wait()
	for i := range v.Queues {
		q := &v.Queues[i]
		q.Client = owner[codec.MessageQueue{Topic: q.Topic, BrokerName: q.BrokerName, QueueID: q.QueueID}]
	}
}

// groupForm is the body of POST /api/group; absent fields keep Java's
// defaults (codec.NewSubscriptionGroupConfig).
type groupForm struct {
	Group                  string `json:"group"`
	Cluster                string `json:"cluster"`
	ConsumeEnable          *bool  `json:"consumeEnable"`
	ConsumeBroadcastEnable *bool  `json:"consumeBroadcastEnable"`
	ConsumeFromMinEnable   *bool  `json:"consumeFromMinEnable"`
	ConsumeMessageOrderly  *bool  `json:"consumeMessageOrderly"`
	RetryMaxTimes          *int   `json:"retryMaxTimes"`
	RetryQueueNums         *int   `json:"retryQueueNums"`
}

func (s *Server) apiUpdateGroup(r *http.Request) (any, error) {
	var f groupForm
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16)).Decode(&f); err != nil {
		return nil, badRequest("bad form: %v", err)
	}
	f.Group = strings.TrimSpace(f.Group)
	if f.Group == "" || len(f.Group) > 255 || strings.ContainsAny(f.Group, " \t%|") {
		return nil, badRequest("group name %q is not valid", f.Group)
	}
	c := codec.NewSubscriptionGroupConfig(f.Group)
	for dst, src := range map[*bool]*bool{&c.ConsumeEnable: f.ConsumeEnable, &c.ConsumeBroadcastEnable: f.ConsumeBroadcastEnable,
		&c.ConsumeFromMinEnable: f.ConsumeFromMinEnable, &c.ConsumeMessageOrderly: f.ConsumeMessageOrderly} {
		if src != nil {
			*dst = *src
		}
	}
	if f.RetryMaxTimes != nil {
		if *f.RetryMaxTimes < -1 || *f.RetryMaxTimes > 64 {
			return nil, badRequest("retryMaxTimes must be between -1 and 64")
		}
		c.RetryMaxTimes = *f.RetryMaxTimes
	}
	if f.RetryQueueNums != nil {
		if *f.RetryQueueNums < 1 || *f.RetryQueueNums > 64 {
			return nil, badRequest("retryQueueNums must be between 1 and 64")
		}
		c.RetryQueueNums = *f.RetryQueueNums
	}
	body, err := json.Marshal(&c)
	if err != nil {
		return nil, err
	}
	masters, err := s.cli.masters(r.Context(), f.Cluster)
	if err != nil {
		return nil, err
	}
	res := updateResult{Updated: []string{}}
	for _, addr := range masters {
		req := admin.Request(wire.UpdateAndCreateSubscriptiongroup)
		req.Body = body
		if _, err := s.cli.Call(r.Context(), addr, req); err != nil {
			return nil, err
		}
		res.Updated = append(res.Updated, addr)
	}
	s.log.Info("subscription group updated", "group", f.Group, "brokers", res.Updated)
	return res, nil
}
