package acl

import (
	"cmp"
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"fmt"
	"hash"
	"net/netip"
	"slices"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
)

// Ext fields of a signed request (Apache's SessionCredentials).
const (
	// AccessKeyField names the account.
	AccessKeyField = "AccessKey"
	// SignatureField is Base64(HmacSHA1(secretKey, content)).
	SignatureField = "Signature"
	// SecurityTokenField is an optional token; it is signed like any field.
	SecurityTokenField = "SecurityToken"
	// uniqueKeyQueryField is MixAll.UNIQUE_MSG_QUERY_FLAG, left out of the
	// content of requests from V4_9_3 and older.
	uniqueKeyQueryField = "_UNIQUE_KEY_QUERY"
	// versionV4_9_3 is MQVersion.Version.V4_9_3's ordinal.
	versionV4_9_3 = 399
	// traceTopic is TopicValidator.RMQ_SYS_TRACE_TOPIC: sending to it needs
	// a valid signature only.
	traceTopic = "RMQ_SYS_TRACE_TOPIC"
)

// Error is a refusal. Its message is the one Apache's AclException carries.
type Error struct{ Msg string }

func (e *Error) Error() string { return "acl: " + e.Msg }

// Remark is the remark of Apache's SYSTEM_ERROR answer to a refused
// request: the exception's class and message (Apache appends the Java
// stack frame that threw it).
func (e *Error) Remark() string { return "org.apache.rocketmq.acl.common.AclException: " + e.Msg }

func refuse(format string, args ...any) *Error { return &Error{Msg: fmt.Sprintf(format, args...)} }

// adminCodes need an admin account (Permission.ADMIN_CODE).
var adminCodes = map[wire.RequestCode]bool{
	wire.UpdateAndCreateTopic:             true,
	wire.UpdateBrokerConfig:               true,
	wire.DeleteTopicInBroker:              true,
	wire.UpdateAndCreateSubscriptiongroup: true,
	wire.DeleteSubscriptiongroup:          true,
	// Booster also keeps the ACL admin codes to admin accounts; Apache
	// 4.9/5.x lets any account with a valid signature use them.
	wire.UpdateAndCreateAclConfig:     true,
	wire.DeleteAclConfig:              true,
	wire.GetBrokerClusterAclInfo:      true,
	wire.UpdateGlobalWhiteAddrsConfig: true,
	wire.GetBrokerClusterAclConfig:    true,
}

// need is one resource a request touches: a topic, or a group as its
// retry topic "%RETRY%group".
type need struct {
	resource string
	perm     Perm
}

// Needs returns the resources cmd touches and the permission each needs
// (PlainAccessResource.parse, plus the pop codes Apache's ACL 1.0 left
// unchecked). A resource named twice keeps its last permission.
func Needs(cmd *wire.Command) ([]string, []Perm, error) {
	ns, err := needs(cmd)
	names, perms := make([]string, len(ns)), make([]Perm, len(ns))
	for i, n := range ns {
		names[i], perms[i] = n.resource, n.perm
	}
	return names, perms, err
}

func needs(cmd *wire.Command) ([]need, error) {
	var ns []need
	add := func(resource string, ok bool, p Perm) {
		if !ok {
			return // Java's null resource
		}
		for i := range ns {
			if ns[i].resource == resource {
				ns[i].perm = p
				return
			}
		}
		ns = append(ns, need{resource, p})
	}
	group := func(key string, p Perm) {
		g, ok := cmd.Ext.Get(key)
		add(compat.RetryTopic(g), ok, p)
	}
	topic := func(key string, p Perm) {
		t, ok := cmd.Ext.Get(key)
		add(t, ok, p)
	}
	sent := func(topicKey, groupKey string) {
		if t, _ := cmd.Ext.Get(topicKey); compat.IsRetryTopic(t) {
			group(groupKey, Sub)
		} else {
			topic(topicKey, Pub)
		}
	}
	switch cmd.RequestCode() {
	case wire.SendMessage:
		sent("topic", "group") // Apache reads "group", which SEND_MESSAGE does not have
	case wire.SendMessageV2, wire.SendBatchMessage:
		sent("b", "a")
	case wire.ConsumerSendMsgBack:
		group("group", Sub)
	case wire.PullMessage,
		// Booster: Apache's ACL 1.0 checks no pop code.
		wire.PopMessage, wire.PeekMessage, wire.Notification, wire.AckMessage, wire.ChangeMessageInvisibletime:
		topic("topic", Sub)
		group("consumerGroup", Sub)
	case wire.QueryMessage:
		topic("topic", Sub)
	case wire.HeartBeat:
		hb, err := codec.DecodeHeartbeat(cmd.Body)
		if err != nil {
			return nil, refuse("heartbeat body: %v", err)
		}
		for _, c := range hb.ConsumerDataSet {
			add(compat.RetryTopic(c.GroupName), true, Sub)
			for _, s := range c.SubscriptionDataSet {
				add(s.Topic, true, Sub)
			}
		}
	case wire.UnregisterClient, wire.GetConsumerListByGroup:
		group("consumerGroup", Sub)
	case wire.UpdateConsumerOffset:
		group("consumerGroup", Sub)
		topic("topic", Sub)
	}
	return ns, nil
}

// Signature returns Base64(HmacSHA1(secretKey, content)) of cmd, the
// signature Apache's broker expects: the values of cmd's ext fields
// sorted by key (a repeated key counts once, with its last value),
// without Signature (and _UNIQUE_KEY_QUERY from V4_9_3 and older), then
// the body.
func Signature(cmd *wire.Command, secretKey string) string {
	fields := make([]wire.Field, 0, len(cmd.Ext))
	for _, f := range cmd.Ext {
		if f.Key == SignatureField || (f.Key == uniqueKeyQueryField && cmd.Version <= versionV4_9_3) {
			continue
		}
		fields = append(fields, f)
	}
	slices.SortStableFunc(fields, func(a, b wire.Field) int { return cmp.Compare(a.Key, b.Key) })
	var content []byte
	for i, f := range fields {
		if i+1 < len(fields) && fields[i+1].Key == f.Key {
			continue // a later value of the same key wins
		}
		content = append(content, f.Value...)
	}
	mac := hmac.New(func() hash.Hash { return sha1.New() }, []byte(secretKey))
	mac.Write(content)
	mac.Write(cmd.Body)
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// Check decides whether cmd, arriving from remote, may run
// (PlainPermissionManager.validate). It returns nil or an *Error.
func (c *Config) Check(cmd *wire.Command, remote netip.Addr) error {
	ns, err := needs(cmd)
	if err != nil {
		return err // Apache parses the request before it validates
	}
	if c.globallyWhite(remote) {
		return nil
	}
	ak, ok := cmd.Ext.Get(AccessKeyField)
	if !ok {
		return refuse("No accessKey is configured")
	}
	a, ok := c.accounts[ak]
	if !ok {
		return refuse("No acl config for %s", ak)
	}
	if a.white != nil && a.white(remote) {
		return nil
	}
	sig, _ := cmd.Ext.Get(SignatureField)
	if !hmac.Equal([]byte(sig), []byte(Signature(cmd, a.SecretKey))) {
		return refuse("Check signature failed for accessKey=%s", ak)
	}
	for _, n := range ns {
		if n.resource == traceTopic && n.perm == Pub {
			return nil
		}
	}
	if adminCodes[cmd.RequestCode()] && !a.Admin {
		return refuse("Need admin permission for request code=%d, but accessKey=%s is not", cmd.Code, ak)
	}
	if len(a.perms) == 0 && a.Admin {
		return nil
	}
	for _, n := range ns {
		isGroup := compat.IsRetryTopic(n.resource)
		owned, listed := a.perms[n.resource]
		if !listed {
			owned = a.DefaultTopicPerm
			if isGroup {
				owned = a.DefaultGroupPerm
			}
		}
		if !owned.allows(n.perm) {
			if isGroup {
				return refuse("No default permission for group:%s", n.resource[len(compat.RetryGroupTopicPrefix):])
			}
			return refuse("No default permission for topic:%s", n.resource)
		}
	}
	return nil
}
