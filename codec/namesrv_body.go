package codec

// BrokerMemberGroup is the addresses of one broker group by broker id
// (Java's BrokerMemberGroup). Java writes brokerAddrs with unquoted numeric
// keys; Booster quotes them, which every reader accepts.
type BrokerMemberGroup struct {
	BrokerAddrs map[int64]string `json:"brokerAddrs"`
	BrokerName  string           `json:"brokerName"`
	Cluster     string           `json:"cluster"`
}

// GetBrokerMemberGroupResponseBody is the body of GET_BROKER_MEMBER_GROUP (901).
type GetBrokerMemberGroupResponseBody struct {
	BrokerMemberGroup BrokerMemberGroup `json:"brokerMemberGroup"`
}
