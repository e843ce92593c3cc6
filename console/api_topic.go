package console

// GET /api/topics: every topic the NameServer knows, with its kind
// (normal, retry, dlq, system).
// GET /api/topic?topic=T: a topic's route, its queues with min and max
// offsets (GET_TOPIC_STATS_INFO on each broker of the route) and the
// groups consuming it (QUERY_TOPIC_CONSUME_BY_WHO).
// POST /api/topic {"topic","cluster","readQueueNums","writeQueueNums","perm"}:
// UPDATE_AND_CREATE_TOPIC on every master of the cluster ("" = all).
// GET /api/dlq: every %DLQ% topic with its group and message count.

import (
	"context"
	"encoding/json"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
)

// topicRow is one topic of /api/topics.
type topicRow struct {
	Topic string `json:"topic"`
	Kind  string `json:"kind"`
}

// topicKind classifies a topic for the page: the NameServer's system
// topics (cluster and broker names), Java's, and the reply topics are
// "system".
func topicKind(topic string, system map[string]bool) string {
	switch {
	case compat.IsRetryTopic(topic):
		return "retry"
	case strings.HasPrefix(topic, compat.DLQGroupTopicPrefix):
		return "dlq"
	case system[topic] || javaSystemTopic(topic) || strings.HasPrefix(topic, "rmq_sys_") || strings.HasPrefix(topic, "RMQ_SYS_") ||
		strings.HasSuffix(topic, "_REPLY_TOPIC"):
		return "system"
	}
	return "normal"
}

// javaSystemTopic reports whether topic is in TopicValidator's system set.
func javaSystemTopic(topic string) bool {
	switch topic {
	case "TBW102", "SCHEDULE_TOPIC_XXXX", "BenchmarkTest", "RMQ_SYS_TRANS_HALF_TOPIC", "RMQ_SYS_TRACE_TOPIC",
		"RMQ_SYS_TRANS_OP_HALF_TOPIC", "TRANS_CHECK_MAX_TIME_TOPIC", "SELF_TEST_TOPIC", "OFFSET_MOVED_EVENT":
		return true
	}
	return false
}

// systemTopics is GET_SYSTEM_TOPIC_LIST_FROM_NS (an empty set when the
// NameServer does not answer it).
func (s *Server) systemTopics(ctx context.Context) map[string]bool {
	out := map[string]bool{}
	resp, err := s.cli.NsCall(ctx, admin.Request(wire.GetSystemTopicListFromNs))
	if err != nil {
		return out
	}
	var tl codec.TopicList
	if admin.Decode(resp.Body, &tl) == nil {
		for _, t := range tl.TopicList {
			out[t] = true
		}
	}
	return out
}

func (s *Server) apiTopics(r *http.Request) (any, error) {
	topics, err := s.cli.TopicList(r.Context())
	if err != nil {
		return nil, err
	}
	system := s.systemTopics(r.Context())
	rows := make([]topicRow, 0, len(topics))
	for _, t := range topics {
		rows = append(rows, topicRow{Topic: t, Kind: topicKind(t, system)})
	}
	return rows, nil
}

// queueRow is one queue of a topic.
type queueRow struct {
	BrokerName          string `json:"brokerName"`
	QueueID             int32  `json:"queueId"`
	MinOffset           int64  `json:"minOffset"`
	MaxOffset           int64  `json:"maxOffset"`
	LastUpdateTimestamp int64  `json:"lastUpdateTimestamp"`
}

// topicView is the answer of /api/topic.
type topicView struct {
	Topic    string            `json:"topic"`
	Route    []codec.QueueData `json:"route"`
	Brokers  []string          `json:"brokers"`
	Queues   []queueRow        `json:"queues"`
	Messages int64             `json:"messages"` // sum of max - min
	Groups   []string          `json:"groups"`
	Errors   []string          `json:"errors,omitempty"`
}

// topicQueues asks every broker of a topic's route for its queues.
func (s *Server) topicQueues(ctx context.Context, topic string) (*topicView, error) {
	rd, err := s.cli.Route(ctx, topic)
	if err != nil {
		return nil, err
	}
	v := &topicView{Topic: topic, Route: rd.QueueDatas, Brokers: []string{}, Queues: []queueRow{}, Groups: []string{}}
	for i := range rd.BrokerDatas {
		bd := &rd.BrokerDatas[i]
		addr := admin.SelectAddr(bd)
		v.Brokers = append(v.Brokers, bd.BrokerName+" "+addr)
		stats, err := s.cli.TopicStats(ctx, addr, topic)
		if err != nil {
			v.Errors = append(v.Errors, err.Error())
			continue
		}
		for mq, o := range stats.Offsets {
			v.Queues = append(v.Queues, queueRow{BrokerName: mq.BrokerName, QueueID: mq.QueueID, MinOffset: o.MinOffset,
				MaxOffset: o.MaxOffset, LastUpdateTimestamp: o.LastUpdateTimestamp})
			v.Messages += o.MaxOffset - o.MinOffset
		}
	}
	sort.Slice(v.Queues, func(i, j int) bool {
		a, b := v.Queues[i], v.Queues[j]
		if a.BrokerName != b.BrokerName {
			return a.BrokerName < b.BrokerName
		}
		return a.QueueID < b.QueueID
	})
	if len(rd.BrokerDatas) > 0 {
		resp, err := s.cli.Call(ctx, admin.SelectAddr(&rd.BrokerDatas[0]), admin.Request(wire.QueryTopicConsumeByWho, "topic", topic))
		if err == nil {
			var gl struct {
				GroupList []string `json:"groupList"`
			}
			if admin.Decode(resp.Body, &gl) == nil && gl.GroupList != nil {
				sort.Strings(gl.GroupList)
				v.Groups = gl.GroupList
			}
		}
	}
	return v, nil
}

func (s *Server) apiTopic(r *http.Request) (any, error) {
	topic := strings.TrimSpace(r.URL.Query().Get("topic"))
	if topic == "" {
		return nil, badRequest("topic is required")
	}
	return s.topicQueues(r.Context(), topic)
}

// topicForm is the body of POST /api/topic.
type topicForm struct {
	Topic          string `json:"topic"`
	Cluster        string `json:"cluster"`
	ReadQueueNums  int    `json:"readQueueNums"`
	WriteQueueNums int    `json:"writeQueueNums"`
	Perm           int    `json:"perm"`
}

// updateResult names the brokers an update reached.
type updateResult struct {
	Updated []string `json:"updated"`
}

func (s *Server) apiUpdateTopic(r *http.Request) (any, error) {
	var f topicForm
	if err := json.NewDecoder(http.MaxBytesReader(nil, r.Body, 1<<16)).Decode(&f); err != nil {
		return nil, badRequest("bad form: %v", err)
	}
	f.Topic = strings.TrimSpace(f.Topic)
	if err := compat.ValidateTopic(f.Topic); err != nil {
		return nil, badRequest("%v", err)
	}
	if f.ReadQueueNums <= 0 || f.WriteQueueNums <= 0 || f.ReadQueueNums > 1024 || f.WriteQueueNums > 1024 {
		return nil, badRequest("queue numbers must be between 1 and 1024")
	}
	if f.Perm == 0 {
		f.Perm = compat.PermRead | compat.PermWrite
	}
	if f.Perm&^(compat.PermRead|compat.PermWrite|compat.PermInherit) != 0 {
		return nil, badRequest("perm %d is not a combination of 2 (write), 4 (read) and 1 (inherit)", f.Perm)
	}
	masters, err := s.cli.masters(r.Context(), f.Cluster)
	if err != nil {
		return nil, err
	}
	res := updateResult{Updated: []string{}}
	for _, addr := range masters {
		req := admin.Request(wire.UpdateAndCreateTopic, "topic", f.Topic, "defaultTopic", compat.AutoCreateTopicKey,
			"readQueueNums", strconv.Itoa(f.ReadQueueNums), "writeQueueNums", strconv.Itoa(f.WriteQueueNums),
			"perm", strconv.Itoa(f.Perm), "topicFilterType", "SINGLE_TAG", "topicSysFlag", "0", "order", "false")
		if _, err := s.cli.Call(r.Context(), addr, req); err != nil {
			return nil, err
		}
		res.Updated = append(res.Updated, addr)
	}
	s.log.Info("topic updated", "topic", f.Topic, "brokers", res.Updated, "read", f.ReadQueueNums, "write", f.WriteQueueNums, "perm", f.Perm)
	return res, nil
}

// dlqRow is one dead-letter topic.
type dlqRow struct {
	Topic    string `json:"topic"`
	Group    string `json:"group"`
	Queues   int    `json:"queues"`
	Messages int64  `json:"messages"`
	Error    string `json:"error,omitempty"`
}

func (s *Server) apiDLQ(r *http.Request) (any, error) {
	topics, err := s.cli.TopicList(r.Context())
	if err != nil {
		return nil, err
	}
	rows := []dlqRow{}
	for _, t := range topics {
		if !strings.HasPrefix(t, compat.DLQGroupTopicPrefix) {
			continue
		}
		row := dlqRow{Topic: t, Group: strings.TrimPrefix(t, compat.DLQGroupTopicPrefix)}
		if v, err := s.topicQueues(r.Context(), t); err != nil {
			row.Error = err.Error()
		} else {
			row.Queues, row.Messages = len(v.Queues), v.Messages
		}
		rows = append(rows, row)
	}
	return rows, nil
}
