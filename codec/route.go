package codec

import (
	"encoding/json"
	"sort"
)

// DataVersion is Java's DataVersion: a counter bumped on every change.
type DataVersion struct {
	Counter      int64 `json:"counter"`
	StateVersion int64 `json:"stateVersion"`
	Timestamp    int64 `json:"timestamp"`
}

// TopicConfig is Java's TopicConfig as the broker persists and registers it.
type TopicConfig struct {
	Attributes      map[string]string `json:"attributes"`
	Order           bool              `json:"order"`
	Perm            int               `json:"perm"`
	ReadQueueNums   int               `json:"readQueueNums"`
	TopicFilterType string            `json:"topicFilterType"`
	TopicName       string            `json:"topicName"`
	TopicSysFlag    int               `json:"topicSysFlag"`
	WriteQueueNums  int               `json:"writeQueueNums"`
}

// TopicConfigSerializeWrapper is the topic table a broker registers and
// keeps in config/topics.json.
type TopicConfigSerializeWrapper struct {
	DataVersion                DataVersion                `json:"dataVersion"`
	MappingDataVersion         *DataVersion               `json:"mappingDataVersion,omitempty"`
	TopicConfigTable           map[string]*TopicConfig    `json:"topicConfigTable"`
	TopicQueueMappingDetailMap map[string]json.RawMessage `json:"topicQueueMappingDetailMap,omitempty"`
	TopicQueueMappingInfoMap   map[string]json.RawMessage `json:"topicQueueMappingInfoMap,omitempty"`
}

// RegisterBrokerBody is the body of REGISTER_BROKER (uncompressed form).
type RegisterBrokerBody struct {
	FilterServerList            []string                    `json:"filterServerList"`
	TopicConfigSerializeWrapper TopicConfigSerializeWrapper `json:"topicConfigSerializeWrapper"`
}

// QueueData is one broker's queues of a topic in a route.
type QueueData struct {
	BrokerName     string `json:"brokerName"`
	Perm           int    `json:"perm"`
	ReadQueueNums  int    `json:"readQueueNums"`
	TopicSysFlag   int    `json:"topicSysFlag"`
	WriteQueueNums int    `json:"writeQueueNums"`
}

// BrokerData is one broker group: its name, cluster and addresses by id.
// brokerAddrs is written with quoted numeric keys and no whitespace: the Go
// client splits that object's raw text on ',' and ':'.
type BrokerData struct {
	BrokerAddrs        map[int64]string `json:"brokerAddrs"`
	BrokerName         string           `json:"brokerName"`
	Cluster            string           `json:"cluster"`
	EnableActingMaster bool             `json:"enableActingMaster"`
	ZoneName           string           `json:"zoneName,omitempty"`
}

// Clone returns a deep copy.
func (b *BrokerData) Clone() BrokerData {
	c := *b
	c.BrokerAddrs = make(map[int64]string, len(b.BrokerAddrs))
	for k, v := range b.BrokerAddrs {
		c.BrokerAddrs[k] = v
	}
	return c
}

// MasterAddr returns the address of broker id 0, or "".
func (b *BrokerData) MasterAddr() string { return b.BrokerAddrs[0] }

// TopicRouteData is the body of GET_ROUTEINFO_BY_TOPIC. brokerAddrs and
// queueDatas are always present (the Go client panics without them).
type TopicRouteData struct {
	BrokerDatas       []BrokerData        `json:"brokerDatas"`
	FilterServerTable map[string][]string `json:"filterServerTable"`
	OrderTopicConf    string              `json:"orderTopicConf,omitempty"`
	QueueDatas        []QueueData         `json:"queueDatas"`
}

// Sort orders broker and queue data by broker name, as Java does.
func (t *TopicRouteData) Sort() {
	sort.Slice(t.BrokerDatas, func(i, j int) bool { return t.BrokerDatas[i].BrokerName < t.BrokerDatas[j].BrokerName })
	sort.Slice(t.QueueDatas, func(i, j int) bool { return t.QueueDatas[i].BrokerName < t.QueueDatas[j].BrokerName })
}

// ClusterInfo is the body of GET_BROKER_CLUSTER_INFO.
type ClusterInfo struct {
	BrokerAddrTable  map[string]*BrokerData `json:"brokerAddrTable"`
	ClusterAddrTable map[string][]string    `json:"clusterAddrTable"`
}

// TopicList is the body of the topic-list requests.
type TopicList struct {
	BrokerAddr string   `json:"brokerAddr,omitempty"`
	TopicList  []string `json:"topicList"`
}

// KVTable is Java's KVTable body.
type KVTable struct {
	Table map[string]string `json:"table"`
}

// Encode marshals a JSON body. Bodies are plain data and never fail to
// marshal; a failure is a programming error reported as an empty object.
func Encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		return []byte("{}")
	}
	return b
}

// SubscriptionGroupConfig is Java's SubscriptionGroupConfig.
type SubscriptionGroupConfig struct {
	Attributes                     map[string]string `json:"attributes"`
	BrokerID                       int64             `json:"brokerId"`
	ConsumeBroadcastEnable         bool              `json:"consumeBroadcastEnable"`
	ConsumeEnable                  bool              `json:"consumeEnable"`
	ConsumeFromMinEnable           bool              `json:"consumeFromMinEnable"`
	ConsumeMessageOrderly          bool              `json:"consumeMessageOrderly"`
	ConsumeTimeoutMinute           int               `json:"consumeTimeoutMinute"`
	GroupName                      string            `json:"groupName"`
	GroupSysFlag                   int               `json:"groupSysFlag"`
	NotifyConsumerIdsChangedEnable bool              `json:"notifyConsumerIdsChangedEnable"`
	RetryMaxTimes                  int               `json:"retryMaxTimes"`
	RetryQueueNums                 int               `json:"retryQueueNums"`
	WhichBrokerWhenConsumeSlowly   int64             `json:"whichBrokerWhenConsumeSlowly"`
}

// NewSubscriptionGroupConfig returns Java's defaults for a group.
func NewSubscriptionGroupConfig(group string) SubscriptionGroupConfig {
	return SubscriptionGroupConfig{
		Attributes: map[string]string{}, ConsumeBroadcastEnable: true, ConsumeEnable: true,
		ConsumeFromMinEnable: true, ConsumeTimeoutMinute: 15, GroupName: group,
		NotifyConsumerIdsChangedEnable: true, RetryMaxTimes: 16, RetryQueueNums: 1,
		WhichBrokerWhenConsumeSlowly: 1,
	}
}

// SubscriptionGroupWrapper is config/subscriptionGroup.json and the body of
// GET_ALL_SUBSCRIPTIONGROUP_CONFIG.
type SubscriptionGroupWrapper struct {
	DataVersion            DataVersion                         `json:"dataVersion"`
	ForbiddenTable         map[string]map[string]int           `json:"forbiddenTable"`
	SubscriptionGroupTable map[string]*SubscriptionGroupConfig `json:"subscriptionGroupTable"`
}
