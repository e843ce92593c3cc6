package command

// consumerStatus (ConsumerStatusSubCommand): a consumer group's clients
// and their internal state. The clients come from
// GET_CONSUMER_CONNECTION_LIST (on a broker of %RETRY%group's route, or
// on -b); each one's ConsumerRunningInfo from GET_CONSUMER_RUNNING_INFO,
// relayed to the client by a broker of %RETRY%group's route (-s asks for
// the client's stack too).
//
// Without -i: one row per client, each running info written as
// ConsumerRunningInfo.formatString to <millis>/<clientId> under WorkDir
// (Java: the working directory), then Java's analysis: whether the
// clients subscribe alike, and queues that look stuck. With -i: that
// client's formatString on stdout. --json prints the same facts as JSON.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
)

// Property keys of ConsumerRunningInfo.
const (
	propConsumeOrderly   = "PROP_CONSUMEORDERLY"
	propConsumeType      = "PROP_CONSUME_TYPE"
	propConsumerStartTS  = "PROP_CONSUMER_START_TIMESTAMP"
	consumePassively     = "CONSUME_PASSIVELY"
	subscriptionSettleMs = 2 * 60 * 1000 // analyzeSubscription ignores younger consumers
	stuckConsumeMs       = 60 * 1000     // analyzeProcessQueue's "blocked" threshold
)

// statusClientRow is one client of consumerStatus without -i.
type statusClientRow struct {
	Index    int    `json:"index"`
	ClientID string `json:"clientId"`
	Version  string `json:"version"`
	File     string `json:"consumerRunningInfoFile"`
}

func consumerStatus() spec {
	return spec{
		name:  "consumerStatus",
		usage: "Query consumer's internal data structure.",
		flags: []cli.Flag{
			strFlag("consumerGroup", "g", "consumer group name"),
			strFlag("clientId", "i", "The consumer's client id"),
			strFlag("brokerAddr", "b", "broker address"),
			boolFlag("jstack", "s", "Run jstack command in the consumer progress"),
		},
		required: []string{"g"},
		json:     true,
		run:      runConsumerStatus,
	}
}

func runConsumerStatus(x *ctx) error {
	group := x.trimmed("g")
	var cc *consumerConn
	var err error
	if x.IsSet("b") {
		cc, err = x.adm.consumerConnectionOf(x.trimmed("b"), group)
	} else {
		cc, err = x.adm.examineConsumerConnection(group)
	}
	if err != nil {
		return err
	}
	jstack := x.Bool("s")
	if x.IsSet("i") {
		info, err := x.adm.runningInfo(group, x.trimmed("i"), jstack)
		if err != nil {
			return err
		}
		if x.json() {
			return printJSON(x, info.jsonView())
		}
		x.printf("%s", info.format())
		return nil
	}

	now := time.Now().UnixMilli()
	infos := map[string]*runningInfo{}
	rows := []statusClientRow{}
	var errs []error
	for _, c := range cc.ConnectionSet {
		info, err := x.adm.runningInfo(group, c.ClientID, jstack)
		if err != nil {
			errs = append(errs, fmt.Errorf("client %s: %w", c.ClientID, err))
			continue
		}
		path := filepath.Join(x.env.WorkDir, strconv.FormatInt(now, 10), c.ClientID)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(path, []byte(info.format()), 0o644); err != nil {
			return err
		}
		infos[c.ClientID] = info
		rows = append(rows, statusClientRow{Index: len(rows) + 1, ClientID: c.ClientID, Version: versionDesc(c.Version), File: path})
	}
	ids := make([]string, 0, len(infos))
	for id := range infos {
		ids = append(ids, id)
	}
	sort.Strings(ids) // Java's TreeMap by client id
	same := len(ids) > 0 && sameSubscription(infos, ids, now)
	var stuck []string
	if same {
		for _, id := range ids {
			stuck = append(stuck, infos[id].stuckQueues(id, now)...)
		}
	}

	if x.json() {
		if err := printJSON(x, map[string]any{"clients": rows, "sameSubscription": same, "rebalanceOK": same, "warnings": stuck}); err != nil {
			return err
		}
		return errors.Join(errs...)
	}
	x.printf("%-10s %-40s %-20s %s\n", "#Index", "#ClientId", "#Version", "#ConsumerRunningInfoFile")
	for _, r := range rows {
		x.printf("%-10d %-40s %-20s %s\n", r.Index, r.ClientID, r.Version, r.File)
	}
	if len(ids) > 0 {
		if same {
			x.printf("\n\nSame subscription in the same group of consumer")
			x.printf("\n\nRebalance %s\n", "OK") // Java's analyzeRebalance always passes
			for _, s := range stuck {
				x.printf("%s\n", s)
			}
		} else {
			x.printf("\n\nWARN: Different subscription in the same group of consumer!!!")
		}
	}
	return errors.Join(errs...)
}

// runningInfo asks a client of group for its ConsumerRunningInfo
// (DefaultMQAdminExtImpl.getConsumerRunningInfo: through the first broker
// of %RETRY%group's route).
func (a *adminExt) runningInfo(group, clientID string, jstack bool) (*runningInfo, error) {
	rd, err := a.route(compat.RetryTopic(group))
	if err != nil {
		return nil, err
	}
	for i := range rd.BrokerDatas {
		addr := admin.SelectAddr(&rd.BrokerDatas[i])
		if addr == "" {
			continue
		}
		resp, err := a.callTimeout(addr, admin.Request(wire.GetConsumerRunningInfo, "consumerGroup", group, "clientId", clientID,
			"jstackEnable", strconv.FormatBool(jstack)), 3*a.timeout)
		if err != nil {
			return nil, err
		}
		if len(resp.Body) == 0 {
			// The Go client answers SUCCESS without a body when it cannot
			// encode its statistics (a NaN rate in its first second); Java
			// reports the code and remark.
			return nil, &codeError{Addr: addr, Code: resp.ResponseCode(), Remark: resp.Remark}
		}
		return decodeRunningInfo(resp.Body)
	}
	return nil, fmt.Errorf("no broker in the route of %s", compat.RetryTopic(group))
}

// runningInfo is a decoded ConsumerRunningInfo.
type runningInfo struct {
	propKeys []string // as the body lists them
	props    map[string]string
	subs     []runningSub // sorted by topic@subString, distinct (Java's TreeSet)
	mqs      []mqKey      // sorted
	mqTable  map[mqKey]processQueueInfo
	popMQs   []mqKey
	popTable map[mqKey]popProcessQueueInfo
	status   map[string]consumeStatus
	userInfo map[string]string
	jstack   *string
}

// runningSub is the part of SubscriptionData formatString prints.
type runningSub struct {
	Topic           string `json:"topic"`
	SubString       string `json:"subString"`
	ClassFilterMode bool   `json:"classFilterMode"`
	ExpressionType  string `json:"expressionType,omitempty"`
}

// key is SubscriptionData.compareTo's key.
func (s runningSub) key() string { return s.Topic + "@" + s.SubString }

// processQueueInfo is ProcessQueueInfo.
type processQueueInfo struct {
	CommitOffset            int64 `json:"commitOffset"`
	CachedMsgMinOffset      int64 `json:"cachedMsgMinOffset"`
	CachedMsgMaxOffset      int64 `json:"cachedMsgMaxOffset"`
	CachedMsgCount          int64 `json:"cachedMsgCount"`
	CachedMsgSizeInMiB      int64 `json:"cachedMsgSizeInMiB"`
	TransactionMsgMinOffset int64 `json:"transactionMsgMinOffset"`
	TransactionMsgMaxOffset int64 `json:"transactionMsgMaxOffset"`
	TransactionMsgCount     int64 `json:"transactionMsgCount"`
	Locked                  bool  `json:"locked"`
	TryUnlockTimes          int64 `json:"tryUnlockTimes"`
	LastLockTimestamp       int64 `json:"lastLockTimestamp"`
	Droped                  bool  `json:"droped"`  // Java's spelling
	Dropped                 bool  `json:"dropped"` // the Go client's
	LastPullTimestamp       int64 `json:"lastPullTimestamp"`
	LastConsumeTimestamp    int64 `json:"lastConsumeTimestamp"`
}

// String is ProcessQueueInfo.toString.
func (p processQueueInfo) String() string {
	return fmt.Sprintf("ProcessQueueInfo [commitOffset=%d, cachedMsgMinOffset=%d, cachedMsgMaxOffset=%d, cachedMsgCount=%d, "+
		"cachedMsgSizeInMiB=%d, transactionMsgMinOffset=%d, transactionMsgMaxOffset=%d, transactionMsgCount=%d, locked=%t, "+
		"tryUnlockTimes=%d, lastLockTimestamp=%s, droped=%t, lastPullTimestamp=%s, lastConsumeTimestamp=%s]",
		p.CommitOffset, p.CachedMsgMinOffset, p.CachedMsgMaxOffset, p.CachedMsgCount, p.CachedMsgSizeInMiB,
		p.TransactionMsgMinOffset, p.TransactionMsgMaxOffset, p.TransactionMsgCount, p.Locked, p.TryUnlockTimes,
		humanTime(p.LastLockTimestamp), p.Droped || p.Dropped, humanTime(p.LastPullTimestamp), humanTime(p.LastConsumeTimestamp))
}

// popProcessQueueInfo is PopProcessQueueInfo.
type popProcessQueueInfo struct {
	WaitAckCount     int   `json:"waitAckCount"`
	Droped           bool  `json:"droped"`
	LastPopTimestamp int64 `json:"lastPopTimestamp"`
}

// String is PopProcessQueueInfo.toString.
func (p popProcessQueueInfo) String() string {
	return fmt.Sprintf("PopProcessQueueInfo [waitAckCount:%d, droped:%t, lastPopTimestamp:%d]", p.WaitAckCount, p.Droped, p.LastPopTimestamp)
}

// consumeStatus is ConsumeStatus.
type consumeStatus struct {
	PullRT            float64 `json:"pullRT"`
	PullTPS           float64 `json:"pullTPS"`
	ConsumeRT         float64 `json:"consumeRT"`
	ConsumeOKTPS      float64 `json:"consumeOKTPS"`
	ConsumeFailedTPS  float64 `json:"consumeFailedTPS"`
	ConsumeFailedMsgs int64   `json:"consumeFailedMsgs"`
}

// decodeRunningInfo reads a ConsumerRunningInfo body (Java's fastjson or
// the Go client's hand-made JSON).
func decodeRunningInfo(body []byte) (*runningInfo, error) {
	var raw struct {
		Properties       json.RawMessage                `json:"properties"`
		SubscriptionSet  []runningSub                   `json:"subscriptionSet"`
		MQTable          map[string]processQueueInfo    `json:"mqTable"`
		MQPopTable       map[string]popProcessQueueInfo `json:"mqPopTable"`
		StatusTable      map[string]consumeStatus       `json:"statusTable"`
		UserConsumerInfo map[string]string              `json:"userConsumerInfo"`
		Jstack           *string                        `json:"jstack"`
	}
	if err := admin.Decode(body, &raw); err != nil {
		return nil, err
	}
	info := &runningInfo{props: map[string]string{}, status: raw.StatusTable, userInfo: raw.UserConsumerInfo, jstack: raw.Jstack}
	if err := info.decodeProperties(raw.Properties); err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	for _, s := range raw.SubscriptionSet {
		if !seen[s.key()] {
			seen[s.key()] = true
			info.subs = append(info.subs, s)
		}
	}
	sort.Slice(info.subs, func(i, j int) bool { return info.subs[i].key() < info.subs[j].key() })
	var err error
	if info.mqTable, err = admin.DecodeMQMap(raw.MQTable); err != nil {
		return nil, err
	}
	if info.popTable, err = admin.DecodeMQMap(raw.MQPopTable); err != nil {
		return nil, err
	}
	for mq := range info.mqTable {
		info.mqs = append(info.mqs, mq)
	}
	sortMQs(info.mqs)
	for mq := range info.popTable {
		info.popMQs = append(info.popMQs, mq)
	}
	sortMQs(info.popMQs)
	if info.userInfo == nil {
		info.userInfo = map[string]string{} // Java's field starts as an empty TreeMap
	}
	return info, nil
}

// decodeProperties reads the properties object keeping its key order
// (the order the client inserted them in Java's map).
func (ri *runningInfo) decodeProperties(raw json.RawMessage) error {
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("cannot decode running info properties: %s", raw)
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return fmt.Errorf("cannot decode running info properties: %w", err)
		}
		k, _ := tok.(string)
		var v any
		if err := dec.Decode(&v); err != nil {
			return fmt.Errorf("cannot decode running info properties: %w", err)
		}
		s := fmt.Sprint(v)
		if v == nil {
			s = "null"
		}
		if _, ok := ri.props[k]; !ok {
			ri.propKeys = append(ri.propKeys, k)
		}
		ri.props[k] = s
	}
	return nil
}

// push is ConsumerRunningInfo.isPushType.
func (ri *runningInfo) push() bool { return ri != nil && ri.props[propConsumeType] == consumePassively }

// format is ConsumerRunningInfo.formatString.
func (ri *runningInfo) format() string {
	var sb strings.Builder
	f := func(format string, a ...any) { fmt.Fprintf(&sb, format, a...) }
	sb.WriteString("#Consumer Properties#\n")
	for _, k := range javaPropertiesOrder(ri.propKeys) {
		f("%-40s: %s\n", k, ri.props[k])
	}
	sb.WriteString("\n\n#Consumer Subscription#\n")
	for i, s := range ri.subs {
		f("%03d Topic: %-40s ClassFilter: %-8t SubExpression: %s\n", i+1, s.Topic, s.ClassFilterMode, s.SubString)
	}
	sb.WriteString("\n\n#Consumer Offset#\n")
	f("%-64s  %-32s  %-4s  %-20s\n", "#Topic", "#Broker Name", "#QID", "#Consumer Offset")
	for _, mq := range ri.mqs {
		f("%-32s  %-32s  %-4d  %-20d\n", mq.Topic, mq.BrokerName, mq.QueueID, ri.mqTable[mq].CommitOffset)
	}
	sb.WriteString("\n\n#Consumer MQ Detail#\n")
	f("%-64s  %-32s  %-4s  %-20s\n", "#Topic", "#Broker Name", "#QID", "#ProcessQueueInfo")
	for _, mq := range ri.mqs {
		f("%-64s  %-32s  %-4d  %s\n", mq.Topic, mq.BrokerName, mq.QueueID, ri.mqTable[mq])
	}
	sb.WriteString("\n\n#Consumer Pop Detail#\n")
	f("%-32s  %-32s  %-4s  %-20s\n", "#Topic", "#Broker Name", "#QID", "#ProcessQueueInfo")
	for _, mq := range ri.popMQs {
		f("%-32s  %-32s  %-4d  %s\n", mq.Topic, mq.BrokerName, mq.QueueID, ri.popTable[mq])
	}
	sb.WriteString("\n\n#Consumer RT&TPS#\n")
	f("%-64s  %14s %14s %14s %14s %18s %25s\n", "#Topic", "#Pull RT", "#Pull TPS", "#Consume RT", "#ConsumeOK TPS",
		"#ConsumeFailed TPS", "#ConsumeFailedMsgsInHour")
	for _, topic := range sortedKeys(ri.status) {
		s := ri.status[topic]
		f("%-32s  %14s %14s %14s %14s %18s %25d\n", topic, javaFixed(s.PullRT, 2), javaFixed(s.PullTPS, 2), javaFixed(s.ConsumeRT, 2),
			javaFixed(s.ConsumeOKTPS, 2), javaFixed(s.ConsumeFailedTPS, 2), s.ConsumeFailedMsgs)
	}
	sb.WriteString("\n\n#User Consume Info#\n")
	for _, k := range sortedKeys(ri.userInfo) {
		f("%-40s: %s\n", k, ri.userInfo[k])
	}
	if ri.jstack != nil {
		sb.WriteString("\n\n#Consumer jstack#\n")
		sb.WriteString(*ri.jstack)
	}
	return sb.String()
}

// stuckQueues is ConsumerRunningInfo.analyzeProcessQueue: for a push
// consumer, orderly queues it cannot lock or unlock, and concurrent
// queues with cached messages it has not consumed from for a minute.
func (ri *runningInfo) stuckQueues(clientID string, now int64) []string {
	if !ri.push() {
		return nil
	}
	orderly := javaBool(ri.props[propConsumeOrderly])
	var out []string
	for _, mq := range ri.mqs {
		pq := ri.mqTable[mq]
		switch {
		case orderly && !pq.Locked:
			out = append(out, fmt.Sprintf("%s %s can't lock for a while, %dms", clientID, queueString(mq), now-pq.LastLockTimestamp))
		case orderly && (pq.Droped || pq.Dropped) && pq.TryUnlockTimes > 0:
			out = append(out, fmt.Sprintf("%s %s unlock %d times, still failed", clientID, queueString(mq), pq.TryUnlockTimes))
		case !orderly && now-pq.LastConsumeTimestamp > stuckConsumeMs && pq.CachedMsgCount > 0:
			out = append(out, fmt.Sprintf("%s %s can't consume for a while, maybe blocked, %dms", clientID, queueString(mq), now-pq.LastConsumeTimestamp))
		}
	}
	return out
}

// sameSubscription is ConsumerRunningInfo.analyzeSubscription: clients of
// a push group running for over two minutes must subscribe to the same
// topic@expression set (the first client decides push and age).
func sameSubscription(infos map[string]*runningInfo, ids []string, now int64) bool {
	first := infos[ids[0]]
	started, _ := strconv.ParseInt(first.props[propConsumerStartTS], 10, 64)
	if !first.push() || now-started <= subscriptionSettleMs {
		return true
	}
	want := subKeys(first)
	for _, id := range ids[1:] {
		if subKeys(infos[id]) != want {
			return false
		}
	}
	return true
}

func subKeys(ri *runningInfo) string {
	keys := make([]string, len(ri.subs))
	for i, s := range ri.subs {
		keys[i] = s.key()
	}
	return strings.Join(keys, "\x00")
}

// jsonView is the running info for --json.
func (ri *runningInfo) jsonView() any {
	type queue struct {
		Topic      string `json:"topic"`
		BrokerName string `json:"brokerName"`
		QueueID    int32  `json:"queueId"`
		processQueueInfo
	}
	type popQueue struct {
		Topic      string `json:"topic"`
		BrokerName string `json:"brokerName"`
		QueueID    int32  `json:"queueId"`
		popProcessQueueInfo
	}
	mqs := make([]queue, 0, len(ri.mqs))
	for _, mq := range ri.mqs {
		pq := ri.mqTable[mq]
		pq.Droped = pq.Droped || pq.Dropped
		pq.Dropped = pq.Droped
		mqs = append(mqs, queue{mq.Topic, mq.BrokerName, mq.QueueID, pq})
	}
	pops := make([]popQueue, 0, len(ri.popMQs))
	for _, mq := range ri.popMQs {
		pops = append(pops, popQueue{mq.Topic, mq.BrokerName, mq.QueueID, ri.popTable[mq]})
	}
	subs := ri.subs
	if subs == nil {
		subs = []runningSub{}
	}
	status := ri.status
	if status == nil {
		status = map[string]consumeStatus{}
	}
	return map[string]any{"properties": ri.props, "subscriptionSet": subs, "mqTable": mqs, "mqPopTable": pops,
		"statusTable": status, "userConsumerInfo": ri.userInfo, "jstack": ri.jstack}
}

// javaPropertiesOrder returns keys in the order a java.util.Properties
// (a ConcurrentHashMap of initial capacity 8: 16 buckets, doubling once
// 3/4 full) iterates them when they were put in this order.
func javaPropertiesOrder(keys []string) []string {
	n := 16
	for len(keys) >= n*3/4 {
		n <<= 1
	}
	bucket := func(k string) int {
		h := uint32(compat.JavaStringHash(k))
		return int((h ^ h>>16) & 0x7fffffff & uint32(n-1))
	}
	out := append([]string(nil), keys...)
	sort.SliceStable(out, func(i, j int) bool { return bucket(out[i]) < bucket(out[j]) })
	return out
}

// sortedKeys returns a map's keys in Java's TreeMap order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
