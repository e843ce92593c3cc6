package command

// sendMessage (SendMessageCommand): send one message (SEND_MESSAGE_V2) to
// a queue of the topic's route, or to broker -b queue -i; an unknown topic
// is sent through TBW102's route so that the broker auto-creates it, as
// the Java producer does. Prints the broker, queue, send status and the
// message's unique id.

import (
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
)

// sendRow is sendMessage's result line.
type sendRow struct {
	BrokerName string `json:"brokerName"`
	QueueID    int32  `json:"queueId"`
	SendStatus string `json:"sendStatus"`
	MsgID      string `json:"msgId"`
	OffsetID   string `json:"offsetMsgId"`
}

func sendMessage() spec {
	return spec{
		name:  "sendMessage",
		usage: "Send a message.",
		flags: []cli.Flag{
			strFlag("topic", "t", "Topic name"),
			strFlag("body", "p", "UTF-8 string format of the message body"),
			strFlag("key", "k", "Message keys"),
			strFlag("tags", "c", "Message tags"),
			strFlag("broker", "b", "Send message to target broker"),
			strFlag("qid", "i", "Send message to target queue"),
			strFlag("msgTraceEnable", "m", "Message Trace Enable, Default: false"),
		},
		required: []string{"t", "p"},
		json:     true,
		run:      runSendMessage,
	}
}

func runSendMessage(x *ctx) error {
	topic := x.trimmed("t")
	if x.IsSet("i") && !x.IsSet("b") {
		return errors.New("Broker name must be set if the queue is chosen!") //nolint:staticcheck // Java's words
	}
	if javaBool(x.String("m")) {
		fmt.Fprintf(x.env.Stderr, "mqadmin: sendMessage: message trace is not supported, sending without it\n")
	}
	rd, err := x.adm.route(topic)
	if admin.ResponseCode(err) == wire.TopicNotExist {
		rd, err = x.adm.route(compat.AutoCreateTopicKey)
	}
	if err != nil {
		return err
	}
	var mq mqKey
	if x.IsSet("b") {
		qid := 0
		if x.IsSet("i") {
			if qid, err = x.intFlag("i"); err != nil {
				return err
			}
		}
		mq = mqKey{Topic: topic, BrokerName: x.trimmed("b"), QueueID: int32(qid)}
	} else {
		var mqs []mqKey
		for _, qd := range rd.QueueDatas {
			if qd.Perm&compat.PermWrite == 0 {
				continue
			}
			for i := 0; i < min(qd.WriteQueueNums, 4); i++ { // a producer's defaultTopicQueueNums caps TBW102's
				mqs = append(mqs, mqKey{Topic: topic, BrokerName: qd.BrokerName, QueueID: int32(i)})
			}
		}
		if len(mqs) == 0 {
			return fmt.Errorf("no writable queue in the route of %s", topic)
		}
		n, _ := rand.Int(rand.Reader, big.NewInt(int64(len(mqs))))
		mq = mqs[n.Int64()]
	}
	addr := ""
	for i := range rd.BrokerDatas {
		if rd.BrokerDatas[i].BrokerName == mq.BrokerName {
			addr = rd.BrokerDatas[i].MasterAddr()
		}
	}
	if addr == "" {
		return fmt.Errorf("The broker[%s] not exist", mq.BrokerName) //nolint:staticcheck // Java's words
	}

	keys := []string{}
	props := map[string]string{}
	put := func(k, v string) {
		if v != "" {
			keys = append(keys, k)
			props[k] = v
		}
	}
	put(codec.PropertyKeys, x.trimmed("k"))
	put(codec.PropertyTags, x.trimmed("c"))
	put(codec.PropertyWaitStoreMsgOK, "true")
	c, err := x.adm.conn(addr)
	if err != nil {
		return err
	}
	uniq := newUniqID(c.LocalAddr())
	put(codec.PropertyUniqKey, uniq)
	var encoded []byte
	for _, k := range javaHashOrder(keys, 16) {
		encoded = codec.AppendProperty(encoded, k, props[k])
	}
	req := admin.Request(wire.SendMessageV2, "a", strconv.FormatInt(time.Now().UnixMilli(), 10), "b", topic, "c", compat.AutoCreateTopicKey,
		"d", "4", "e", strconv.Itoa(int(mq.QueueID)), "f", "0", "g", strconv.FormatInt(time.Now().UnixMilli(), 10), "h", "0",
		"i", string(encoded), "j", "0", "k", "false", "m", "false", "n", mq.BrokerName)
	req.Body = []byte(x.String("p"))
	resp, err := x.adm.invoke(addr, req, x.env.Timeout)
	if err != nil {
		return err
	}
	status := ""
	switch resp.ResponseCode() {
	case wire.Success:
		status = "SEND_OK"
	case wire.FlushDiskTimeout:
		status = "FLUSH_DISK_TIMEOUT"
	case wire.FlushSlaveTimeout:
		status = "FLUSH_SLAVE_TIMEOUT"
	case wire.SlaveNotAvailable:
		status = "SLAVE_NOT_AVAILABLE"
	default:
		return &codeError{Addr: addr, Code: resp.ResponseCode(), Remark: resp.Remark}
	}
	if qid, err := strconv.Atoi(resp.ExtValue("queueId")); err == nil {
		mq.QueueID = int32(qid)
	}
	row := sendRow{BrokerName: mq.BrokerName, QueueID: mq.QueueID, SendStatus: status, MsgID: uniq, OffsetID: resp.ExtValue("msgId")}
	if x.json() {
		return printJSON(x, row)
	}
	x.printf("%-32s  %-4s  %-20s    %s\n", "#Broker Name", "#QID", "#Send Result", "#MsgId")
	x.printf("%-32s  %-4s  %-20s    %s\n", row.BrokerName, strconv.Itoa(int(row.QueueID)), row.SendStatus, row.MsgID)
	return nil
}

// newUniqID makes a message id in MessageClientIDSetter's layout: the
// client's IPv4 address, pid, 4 random bytes, milliseconds since the start
// of the month and a counter (here 0), in upper-case hex.
func newUniqID(local net.Addr) string {
	var raw [16]byte
	if a, ok := local.(*net.TCPAddr); ok && a.IP.To4() != nil {
		copy(raw[:4], a.IP.To4())
	}
	binary.BigEndian.PutUint16(raw[4:], uint16(os.Getpid()))
	_, _ = rand.Read(raw[6:10])
	now := time.Now()
	start := time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, now.Location())
	binary.BigEndian.PutUint32(raw[10:], uint32(now.Sub(start).Milliseconds()))
	return strings.ToUpper(hex.EncodeToString(raw[:]))
}
