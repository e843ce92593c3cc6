package broker

// SET_MESSAGE_REQUEST_MODE (401) and GET_ALL_MESSAGE_REQUEST_MODE (402),
// mirroring Java's QueryAssignmentProcessor.setMessageRequestMode,
// AdminBrokerProcessor.getAllMessageRequestMode and MessageRequestModeManager.
//
// SET body (SetMessageRequestModeRequestBody):
// {"topic":"T","consumerGroup":"G","mode":"PULL"|"POP","popShareQueueNum":0}
//  1. 16 for a %RETRY% topic ("retry topic is not allowed to set mode"),
//     17 for an unknown topic, 26 for an unknown group (auto-created when
//     autoCreateSubscriptionGroup).
//  2. The mode is stored per topic and group and persisted at once in
//     config/messageRequestMode.json, in Java's layout:
//     {"messageRequestModeMap":{"T":{"G":{"consumerGroup":"G","mode":"POP","popShareQueueNum":0,"topic":"T"}}}}
//
// GET_ALL body: that file's JSON.
//
// QUERY_ASSIGNMENT (query_assignment.go) reads the mode; without one a
// topic gets defaultMessageRequestMode (PULL; retry topics always PULL)
// and, in POP mode, defaultPopShareQueueNum.

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"strings"
	"sync"

	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// Message request modes (MessageRequestMode).
const (
	requestModePull = "PULL"
	requestModePop  = "POP"
)

// requestMode is a MessageRequestMode, read from its name or ordinal.
type requestMode string

// UnmarshalJSON accepts "PULL"/"POP" and fastjson's ordinals 0/1.
func (m *requestMode) UnmarshalJSON(b []byte) error {
	switch s := strings.Trim(string(b), `"`); strings.ToUpper(s) {
	case requestModePull, "0":
		*m = requestModePull
	case requestModePop, "1":
		*m = requestModePop
	default:
		return fmt.Errorf("unknown message request mode %s", b)
	}
	return nil
}

// requestModeBody is SetMessageRequestModeRequestBody.
type requestModeBody struct {
	ConsumerGroup    string      `json:"consumerGroup"`
	Mode             requestMode `json:"mode"`
	PopShareQueueNum int         `json:"popShareQueueNum"`
	Topic            string      `json:"topic"`
}

type requestModeFile struct {
	MessageRequestModeMap map[string]map[string]requestModeBody `json:"messageRequestModeMap"`
}

// requestModeTable is MessageRequestModeManager. Safe for concurrent use.
type requestModeTable struct {
	path string
	mu   sync.Mutex
	m    map[string]map[string]requestModeBody
}

func newRequestModeTable(root string) *requestModeTable {
	return &requestModeTable{path: filepath.Join(root, "config", "messageRequestMode.json"), m: map[string]map[string]requestModeBody{}}
}

func (t *requestModeTable) load() error {
	var f requestModeFile
	if found, err := readConfigFile(t.path, &f); !found {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	for topic, groups := range f.MessageRequestModeMap {
		m := make(map[string]requestModeBody, len(groups))
		for g, body := range groups {
			m[g] = body
		}
		t.m[topic] = m
	}
	return nil
}

// encode returns the table in Java's file layout.
func (t *requestModeTable) encode() []byte {
	t.mu.Lock()
	f := requestModeFile{MessageRequestModeMap: make(map[string]map[string]requestModeBody, len(t.m))}
	for topic, groups := range t.m {
		m := make(map[string]requestModeBody, len(groups))
		for g, body := range groups {
			m[g] = body
		}
		f.MessageRequestModeMap[topic] = m
	}
	t.mu.Unlock()
	data, _ := json.Marshal(f)
	return data
}

func (t *requestModeTable) set(body requestModeBody) error {
	t.mu.Lock()
	m := t.m[body.Topic]
	if m == nil {
		m = map[string]requestModeBody{}
		t.m[body.Topic] = m
	}
	m[body.ConsumerGroup] = body
	t.mu.Unlock()
	return store.WriteFileAtomic(t.path, t.encode())
}

func (t *requestModeTable) get(topic, group string) (requestModeBody, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	body, ok := t.m[topic][group]
	return body, ok
}

// messageRequestMode returns the mode in force for a topic and group.
func (b *Broker) messageRequestMode(topic, group string) requestModeBody {
	if body, ok := b.modes.get(topic, group); ok {
		return body
	}
	body := requestModeBody{Topic: topic, ConsumerGroup: group, Mode: requestModePull}
	if !compat.IsRetryTopic(topic) && strings.EqualFold(b.conf().DefaultMessageRequestMode, requestModePop) {
		body.Mode = requestModePop
		body.PopShareQueueNum = b.conf().DefaultPopShareQueueNum
	}
	return body
}

func (b *Broker) setMessageRequestMode(r *transport.Request) *wire.Command {
	req := r.Cmd
	var body requestModeBody
	if err := json.Unmarshal(req.Body, &body); err != nil {
		return wire.NewResponse(req, wire.SystemError, "bad SetMessageRequestModeRequestBody: "+err.Error())
	}
	if body.Mode == "" {
		body.Mode = requestModePull
	}
	if compat.IsRetryTopic(body.Topic) {
		return wire.NewResponse(req, wire.NoPermission, "retry topic is not allowed to set mode")
	}
	if _, ok := b.topics.get(body.Topic); !ok {
		return wire.NewResponse(req, wire.TopicNotExist, "topic["+body.Topic+"] not exist")
	}
	_, ok, err := b.groups.getOrCreate(body.ConsumerGroup, b.conf().AutoCreateSubscriptionGroup)
	if err != nil {
		return wire.NewResponse(req, wire.SystemError, err.Error())
	}
	if !ok {
		return wire.NewResponse(req, wire.SubscriptionGroupNotExist, "subscription group does not exist")
	}
	if err := b.modes.set(body); err != nil {
		return wire.NewResponse(req, wire.SystemError, err.Error())
	}
	b.log.Info("message request mode set", "topic", body.Topic, "group", body.ConsumerGroup,
		"mode", string(body.Mode), "popShareQueueNum", body.PopShareQueueNum, "remote", r.Conn.RemoteAddr())
	return wire.NewResponse(req, wire.Success, "")
}

func (b *Broker) getAllMessageRequestMode(r *transport.Request) *wire.Command {
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = b.modes.encode()
	return resp
}
