package command

// Messages as the Java tools see them: decoding pull and view bodies,
// MessageExt.toString, and the pull loop of printMsg, printMsgByQueue and
// queryMsgByOffset (DefaultMQPullConsumer).

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
)

// message is a decoded record (Java's MessageClientExt).
type message struct {
	codec.Message
	brokerName string
	storeSize  int
	propKeys   []string // insertion order
	props      map[string]string
}

// decodeMessages decodes concatenated commit-log records, inflating
// zlib-compressed bodies as the Java client does.
func decodeMessages(body []byte) ([]*message, error) {
	var out []*message
	for len(body) > 0 {
		m, n, err := codec.DecodeRecord(body)
		if err != nil {
			return out, fmt.Errorf("cannot decode message record: %w", err)
		}
		body = body[n:]
		msg := &message{Message: m, storeSize: n, props: map[string]string{}}
		msg.Body = append([]byte(nil), m.Body...)
		if m.SysFlag&codec.SysFlagCompressed != 0 {
			if r, err := zlib.NewReader(bytes.NewReader(m.Body)); err == nil {
				if b, err := io.ReadAll(r); err == nil {
					msg.Body = b
				}
			}
		}
		for _, kv := range strings.Split(m.Properties, string(rune(codec.PropertySeparator))) {
			k, v, ok := strings.Cut(kv, string(rune(codec.NameValueSeparator)))
			if len(kv) < 3 || !ok || k == "" || v == "" {
				continue // Java's string2messageProperties skips these
			}
			msg.setProp(k, v)
		}
		out = append(out, msg)
	}
	return out, nil
}

func (m *message) setProp(k, v string) {
	if _, ok := m.props[k]; !ok {
		m.propKeys = append(m.propKeys, k)
	}
	m.props[k] = v
}

// offsetMsgID is the message's offset id (store host and commit-log offset).
func (m *message) offsetMsgID() string { return codec.OffsetMsgID(m.StoreHost, m.CommitLogOffset) }

// msgID is MessageClientExt.getMsgId: UNIQ_KEY, else the offset id.
func (m *message) msgID() string {
	if id := m.props[codec.PropertyUniqKey]; id != "" {
		return id
	}
	return m.offsetMsgID()
}

// propsString is the properties map's toString (a HashMap of capacity 128,
// as MessageDecoder builds it).
func (m *message) propsString() string {
	return javaMapString(javaHashOrder(m.propKeys, 128), m.props)
}

// javaString is MessageExt.toString.
func (m *message) javaString() string {
	body := make([]string, len(m.Body))
	for i, b := range m.Body {
		body[i] = strconv.Itoa(int(int8(b)))
	}
	txID := "null"
	if javaBool(m.props[codec.PropertyTransactionPrepared]) {
		txID = m.props[codec.PropertyUniqKey]
	}
	broker := m.brokerName
	if broker == "" {
		broker = "null"
	}
	return fmt.Sprintf("MessageExt [brokerName=%s, queueId=%d, storeSize=%d, queueOffset=%d, sysFlag=%d, bornTimestamp=%d, bornHost=/%s, "+
		"storeTimestamp=%d, storeHost=/%s, msgId=%s, commitLogOffset=%d, bodyCRC=%d, reconsumeTimes=%d, preparedTransactionOffset=%d, "+
		"toString()=Message{topic='%s', flag=%d, properties=%s, body=[%s], transactionId='%s'}]",
		broker, m.QueueID, m.storeSize, m.QueueOffset, m.SysFlag, m.BornTimestamp, m.BornHost, m.StoreTimestamp, m.StoreHost,
		m.offsetMsgID(), m.CommitLogOffset, m.BodyCRC, m.ReconsumeTimes, m.PreparedTransactionOffset,
		m.Topic, m.Flag, m.propsString(), strings.Join(body, ", "), txID)
}

// tags is Message.getTags ("" when absent).
func (m *message) tags() string { return m.props[codec.PropertyTags] }

// queueString is MessageQueue.toString.
func queueString(mq mqKey) string {
	return fmt.Sprintf("MessageQueue [topic=%s, brokerName=%s, queueId=%d]", mq.Topic, mq.BrokerName, mq.QueueID)
}

// pullStatus is Java's PullStatus.
type pullStatus string

const (
	pullFound         pullStatus = "FOUND"
	pullNoNewMsg      pullStatus = "NO_NEW_MSG"
	pullNoMatchedMsg  pullStatus = "NO_MATCHED_MSG"
	pullOffsetIllegal pullStatus = "OFFSET_ILLEGAL"
)

// toolsConsumerGroup is MixAll.TOOLS_CONSUMER_GROUP.
const toolsConsumerGroup = "TOOLS_CONSUMER"

// pullResult is one pull's outcome.
type pullResult struct {
	status     pullStatus
	next       int64
	minOffset  int64
	maxOffset  int64
	messages   []*message
	subTagsSet []string
}

// pull reads up to maxNums messages of a queue from offset without
// suspending (DefaultMQPullConsumer.pull), filtering tags as the Java
// client does after the broker's hash-code filter.
func (a *adminExt) pull(addr string, mq mqKey, subExpression string, offset int64, maxNums int) (*pullResult, error) {
	return a.pullAs(addr, toolsConsumerGroup, mq, subExpression, offset, maxNums)
}

// pullAs is pull on behalf of a consumer group.
func (a *adminExt) pullAs(addr, group string, mq mqKey, subExpression string, offset int64, maxNums int) (*pullResult, error) {
	req := admin.Request(wire.PullMessage, "consumerGroup", group, "topic", mq.Topic,
		"queueId", strconv.Itoa(int(mq.QueueID)), "queueOffset", strconv.FormatInt(offset, 10),
		"maxMsgNums", strconv.Itoa(maxNums), "sysFlag", "4", "commitOffset", "0", "suspendTimeoutMillis", "20000",
		"subscription", subExpression, "subVersion", "0", "expressionType", "TAG")
	resp, err := a.invoke(addr, req, a.timeout)
	if err != nil {
		return nil, err
	}
	r := &pullResult{}
	switch resp.ResponseCode() {
	case wire.Success:
		r.status = pullFound
	case wire.PullNotFound:
		r.status = pullNoNewMsg
	case wire.PullRetryImmediately:
		r.status = pullNoMatchedMsg
	case wire.PullOffsetMoved:
		r.status = pullOffsetIllegal
	default:
		return nil, &codeError{Addr: addr, Code: resp.ResponseCode(), Remark: resp.Remark}
	}
	r.next, _ = strconv.ParseInt(resp.ExtValue("nextBeginOffset"), 10, 64)
	r.minOffset, _ = strconv.ParseInt(resp.ExtValue("minOffset"), 10, 64)
	r.maxOffset, _ = strconv.ParseInt(resp.ExtValue("maxOffset"), 10, 64)
	if r.status != pullFound {
		return r, nil
	}
	msgs, err := decodeMessages(resp.Body)
	if err != nil {
		return nil, err
	}
	tags := subscriptionTags(subExpression)
	for _, m := range msgs {
		if len(tags) > 0 && !tags[m.tags()] {
			continue
		}
		m.setProp(codec.PropertyMinOffset, strconv.FormatInt(r.minOffset, 10))
		m.setProp(codec.PropertyMaxOffset, strconv.FormatInt(r.maxOffset, 10))
		m.brokerName = mq.BrokerName
		m.QueueID = mq.QueueID
		r.messages = append(r.messages, m)
	}
	return r, nil
}

// subscriptionTags is the tag set of a TAG expression; nil for "*".
func subscriptionTags(expr string) map[string]bool {
	expr = strings.TrimSpace(expr)
	if expr == "" || expr == "*" {
		return nil
	}
	tags := map[string]bool{}
	for _, t := range strings.Split(expr, "||") {
		if t = strings.TrimSpace(t); t != "" {
			tags[t] = true
		}
	}
	return tags
}

// queueOffset asks a broker for a queue's min or max offset, or the
// offset of a store time (GET_MIN_OFFSET, GET_MAX_OFFSET,
// SEARCH_OFFSET_BY_TIMESTAMP).
func (a *adminExt) queueOffset(addr string, code wire.RequestCode, mq mqKey, kv ...string) (int64, error) {
	args := append([]string{"topic", mq.Topic, "queueId", strconv.Itoa(int(mq.QueueID))}, kv...)
	resp, err := a.call(addr, admin.Request(code, args...))
	if err != nil {
		return 0, err
	}
	return strconv.ParseInt(resp.ExtValue("offset"), 10, 64)
}

func (a *adminExt) minOffset(addr string, mq mqKey) (int64, error) {
	return a.queueOffset(addr, wire.GetMinOffset, mq)
}

func (a *adminExt) maxOffset(addr string, mq mqKey) (int64, error) {
	return a.queueOffset(addr, wire.GetMaxOffset, mq, "committed", "true")
}

func (a *adminExt) searchOffset(addr string, mq mqKey, ts int64) (int64, error) {
	return a.queueOffset(addr, wire.SearchOffsetByTimestamp, mq, "timestamp", strconv.FormatInt(ts, 10))
}

// brokerAddrOf returns the master address of a broker group from a
// topic's route (findBrokerAddressInSubscribe).
func brokerAddrOf(rd *codec.TopicRouteData, brokerName string) (string, error) {
	for i := range rd.BrokerDatas {
		if rd.BrokerDatas[i].BrokerName == brokerName {
			if addr := admin.SelectAddr(&rd.BrokerDatas[i]); addr != "" {
				return addr, nil
			}
		}
	}
	return "", fmt.Errorf("The broker[%s] not exist", brokerName) //nolint:staticcheck // Java's words
}

// queueFlags reads the queue named by -t, a broker-name flag and a
// queue-id flag, and finds the broker's address in the topic's route.
func (x *ctx) queueFlags(brokerFlag, queueFlag string) (mqKey, string, error) {
	qid, err := x.intFlag(queueFlag)
	if err != nil {
		return mqKey{}, "", err
	}
	mq := mqKey{Topic: x.trimmed("t"), BrokerName: x.trimmed(brokerFlag), QueueID: int32(qid)}
	rd, err := x.adm.route(mq.Topic)
	if err != nil {
		return mqKey{}, "", err
	}
	addr, err := brokerAddrOf(rd, mq.BrokerName)
	return mq, addr, err
}

// subscribeQueues is fetchSubscribeMessageQueues: the readable queues of
// a topic's route, sorted.
func subscribeQueues(rd *codec.TopicRouteData, topic string) []mqKey {
	var out []mqKey
	for _, qd := range rd.QueueDatas {
		if qd.Perm&4 == 0 {
			continue
		}
		for i := 0; i < qd.ReadQueueNums; i++ {
			out = append(out, mqKey{Topic: topic, BrokerName: qd.BrokerName, QueueID: int32(i)})
		}
	}
	sortMQs(out)
	return out
}

// offsetRange returns the offsets a print loop covers: [min, max) of the
// queue, narrowed by the -b and -e timestamps when given.
func (x *ctx) offsetRange(addr string, mq mqKey) (int64, int64, error) {
	lo, err := x.adm.minOffset(addr, mq)
	if err != nil {
		return 0, 0, err
	}
	hi, err := x.adm.maxOffset(addr, mq)
	if err != nil {
		return 0, 0, err
	}
	for flag, dst := range map[string]*int64{"b": &lo, "e": &hi} {
		if !x.IsSet(flag) {
			continue
		}
		ts, err := parseTimestamp(x.String(flag))
		if err != nil {
			return 0, 0, err
		}
		if *dst, err = x.adm.searchOffset(addr, mq, ts); err != nil {
			return 0, 0, err
		}
	}
	return lo, hi, nil
}

// bodyString decodes a body in a charset; only UTF-8 (and its aliases)
// and ISO-8859-1 are known.
func bodyString(body []byte, charset string) (string, error) {
	switch strings.ToUpper(strings.ReplaceAll(charset, "_", "-")) {
	case "", "UTF-8", "UTF8":
		return string(bytes.ToValidUTF8(body, []byte("\uFFFD"))), nil
	case "ISO-8859-1", "LATIN1":
		r := make([]rune, len(body))
		for i, b := range body {
			r[i] = rune(b)
		}
		return string(r), nil
	}
	return "", fmt.Errorf("unsupported charset %q (UTF-8 and ISO-8859-1 are)", charset)
}

// forever is the end of time for SEARCH and QUERY requests.
var forever = strconv.FormatInt(math.MaxInt64, 10)

// printFields prints the "Topic:" to "Message Body Path:" lines that
// queryMsgById and queryMsgByUniqueKey share (Java's printMsg).
func printFields(x *ctx, m *message, bodyPath string) {
	orNull := func(k string) string {
		if v, ok := m.props[k]; ok {
			return v
		}
		return "null"
	}
	x.printf("%-20s %s\n", "Topic:", m.Topic)
	x.printf("%-20s %s\n", "Tags:", "["+orNull(codec.PropertyTags)+"]")
	x.printf("%-20s %s\n", "Keys:", "["+orNull(codec.PropertyKeys)+"]")
	x.printf("%-20s %d\n", "Queue ID:", m.QueueID)
	x.printf("%-20s %d\n", "Queue Offset:", m.QueueOffset)
	x.printf("%-20s %d\n", "CommitLog Offset:", m.CommitLogOffset)
	x.printf("%-20s %d\n", "Reconsume Times:", m.ReconsumeTimes)
	x.printf("%-20s %s\n", "Born Timestamp:", humanTime2(m.BornTimestamp))
	x.printf("%-20s %s\n", "Store Timestamp:", humanTime2(m.StoreTimestamp))
	x.printf("%-20s %s\n", "Born Host:", m.BornHost)
	x.printf("%-20s %s\n", "Store Host:", m.StoreHost)
	x.printf("%-20s %d\n", "System Flag:", m.SysFlag)
	x.printf("%-20s %s\n", "Properties:", m.propsString())
	x.printf("%-20s %s\n", "Message Body Path:", bodyPath)
}
