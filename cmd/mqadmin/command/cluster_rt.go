package command

// clusterRT (CLusterSendMsgRTCommand): the send round trip of every broker
// group, measured by sending -a messages of -s bytes to the topic named
// after the group (the broker-name topic brokers register) with
// SEND_MESSAGE_V2, one at a time, then printing the mean time of all but
// the first (ms), with success and failure counts, per group of every
// cluster (or of -c); -p true prints "time|room|cluster|broker|rt" log
// lines instead (time in GMT+8, as Java's). Like Java it repeats every -i
// seconds until interrupted; --rounds N (Booster's) stops after N rounds.
//
// Java names two options with blanks ("print log", "machine room"), which
// no shell can pass as long options; here they are --printLog and
// --machineRoom, and -p and -m work as in Java.

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
)

// rtRow is one broker group's result in one round.
type rtRow struct {
	Cluster      string  `json:"cluster"`
	BrokerName   string  `json:"brokerName"`
	RT           float64 `json:"rt"`
	SuccessCount int     `json:"successCount"`
	FailCount    int     `json:"failCount"`
}

func clusterRT() spec {
	return spec{
		name:  "clusterRT",
		usage: "List All clusters Message Send RT.",
		flags: []cli.Flag{
			strFlag("amount", "a", "message amount | default 100"),
			strFlag("size", "s", "message size | default 128 Byte"),
			strFlag("cluster", "c", "cluster name | default display all cluster"),
			strFlag("printLog", "p", "print as tlog | default false"),
			strFlag("machineRoom", "m", "machine room name | default noname"),
			strFlag("interval", "i", "print interval | default 10 seconds"),
			&cli.IntFlag{Name: "rounds", Usage: "stop after this many rounds (Booster's; 0, the default, runs until interrupted)"},
		},
		json: true,
		run:  runClusterRT,
	}
}

func runClusterRT(x *ctx) error {
	amount, size, interval := int64(100), int64(128), int64(10)
	var err error
	for _, f := range []struct {
		name string
		dst  *int64
	}{{"a", &amount}, {"s", &size}, {"i", &interval}} {
		if x.IsSet(f.name) {
			if *f.dst, err = x.int64Flag(f.name); err != nil {
				return err
			}
		}
	}
	if size < 0 || size > 1<<30 {
		return fmt.Errorf("option %s: size %d out of range", flagLabel(x.Command.Flags, "s"), size)
	}
	tlog := javaBool(x.String("p"))
	room := "noname"
	if x.IsSet("m") {
		room = x.trimmed("m")
	}
	ci, err := x.adm.clusterInfo()
	if err != nil {
		return err
	}
	clusters := sortedKeys(ci.ClusterAddrTable)
	if x.IsSet("c") {
		clusters = []string{x.trimmed("c")}
	}
	for _, c := range clusters {
		if _, ok := ci.ClusterAddrTable[c]; !ok {
			return fmt.Errorf("cluster [%s] not exist", c)
		}
	}
	p := &rtProducer{adm: x.adm, group: strconv.FormatInt(time.Now().UnixMilli(), 10), body: []byte(strings.Repeat("a", int(size))),
		targets: map[string]*rtTarget{}}
	if !tlog && !x.json() {
		x.printf("%-24s  %-24s  %-4s  %-8s  %-8s\n", "#Cluster Name", "#Broker Name", "#RT", "#successCount", "#failCount")
	}
	rounds := x.Int("rounds")
	for round := 1; ; round++ {
		rows := []rtRow{}
		for _, c := range clusters {
			brokers := append([]string(nil), ci.ClusterAddrTable[c]...)
			sort.Strings(brokers)
			for _, b := range brokers {
				row := p.measure(c, b, amount)
				if x.json() {
					rows = append(rows, row)
				} else if tlog {
					x.printf("%s|%s|%s|%s|%s\n", time.Now().In(gmt8).Format("2006-01-02 15:04:05"), room, c, b, roundHalfUp(row.RT))
				} else {
					x.printf("%-24s  %-24s  %-8s  %-16d  %-16d\n", c, b, javaFixed(row.RT, 2), row.SuccessCount, row.FailCount)
				}
			}
		}
		if x.json() {
			if err := printJSON(x, rows); err != nil {
				return err
			}
		}
		if rounds > 0 && round >= rounds {
			return nil
		}
		time.Sleep(time.Duration(interval) * time.Second)
	}
}

// gmt8 is the zone of Java's getCurTime.
var gmt8 = time.FixedZone("GMT+8", 8*3600)

// roundHalfUp is BigDecimal.setScale(0, ROUND_HALF_UP) of a non-negative
// mean.
func roundHalfUp(f float64) string {
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return javaFixed(f, 0)
	}
	return strconv.FormatFloat(math.Floor(f+0.5), 'f', 0, 64)
}

// rtProducer sends clusterRT's messages, a minimal DefaultMQProducer:
// the route of each broker-name topic is looked up once, queues are used
// round robin.
type rtProducer struct {
	adm     *adminExt
	group   string
	body    []byte
	targets map[string]*rtTarget
}

// rtTarget is where a broker-name topic's messages go.
type rtTarget struct {
	rd   *codec.TopicRouteData
	mqs  []mqKey
	next int
	err  error // the route lookup's failure; every send fails with it
}

func (p *rtProducer) target(topic string) *rtTarget {
	if t := p.targets[topic]; t != nil {
		return t
	}
	t := &rtTarget{}
	p.targets[topic] = t
	if t.rd, t.err = p.adm.route(topic); t.err != nil {
		return t
	}
	for _, qd := range t.rd.QueueDatas {
		if qd.Perm&compat.PermWrite == 0 {
			continue
		}
		for i := 0; i < qd.WriteQueueNums; i++ {
			t.mqs = append(t.mqs, mqKey{Topic: topic, BrokerName: qd.BrokerName, QueueID: int32(i)})
		}
	}
	if len(t.mqs) == 0 {
		t.err = fmt.Errorf("no writable queue in the route of %s", topic)
	}
	return t
}

// measure sends amount messages to the topic brokerName and times them.
func (p *rtProducer) measure(cluster, brokerName string, amount int64) rtRow {
	row := rtRow{Cluster: cluster, BrokerName: brokerName}
	var elapsed time.Duration
	for i := int64(0); i < amount; i++ {
		start := time.Now()
		if err := p.send(brokerName); err != nil {
			row.FailCount++
		} else {
			row.SuccessCount++
		}
		if i != 0 {
			elapsed += time.Since(start)
		}
	}
	row.RT = float64(elapsed) / float64(time.Millisecond) / float64(amount-1)
	return row
}

// send sends one message; like Java's producer it succeeds on any send
// status (SEND_OK or a flush or slave timeout).
func (p *rtProducer) send(topic string) error {
	t := p.target(topic)
	if t.err != nil {
		return t.err
	}
	mq := t.mqs[t.next%len(t.mqs)]
	t.next++
	addr, err := brokerAddrOf(t.rd, mq.BrokerName)
	if err != nil {
		return err
	}
	c, err := p.adm.conn(addr)
	if err != nil {
		return err
	}
	var props []byte
	props = codec.AppendProperty(props, codec.PropertyUniqKey, newUniqID(c.LocalAddr()))
	props = codec.AppendProperty(props, codec.PropertyWaitStoreMsgOK, "true")
	now := strconv.FormatInt(time.Now().UnixMilli(), 10)
	req := admin.Request(wire.SendMessageV2, "a", p.group, "b", topic, "c", compat.AutoCreateTopicKey, "d", "4",
		"e", strconv.Itoa(int(mq.QueueID)), "f", "0", "g", now, "h", "0", "i", string(props), "j", "0", "k", "false", "m", "false", "n", mq.BrokerName)
	req.Body = p.body
	resp, err := p.adm.invoke(addr, req, p.adm.timeout)
	if err != nil {
		return err
	}
	switch resp.ResponseCode() {
	case wire.Success, wire.FlushDiskTimeout, wire.FlushSlaveTimeout, wire.SlaveNotAvailable: // a SendResult in Java
	default:
		return &codeError{Addr: addr, Code: resp.ResponseCode(), Remark: resp.Remark}
	}
	return nil
}
