package broker

// VIEW_BROKER_STATS_DATA (315) from admin tools (mqadmin statsAll),
// mirroring Java's AdminBrokerProcessor.ViewBrokerStatsData over
// BrokerStatsManager's StatsItems.
//
// Header: statsName*, statsKey*.
//
// Behaviour:
//  1. TOPIC_PUT_NUMS with a topic as key is answered from the store: the
//     messages stored in the topic's queues in the last minute, hour and
//     day are each queue's max offset minus the first offset stored at or
//     after now minus the window (a binary search over the consume queue,
//     as SEARCH_OFFSET_BY_TIMESTAMP does), so nothing is counted on the
//     send path and the figures survive a restart.
//  2. GROUP_GET_NUMS with "topic@group" as key is answered from the get
//     counters (get_stats.go): messages pulls and pops returned to the
//     group from the topic in the last minute, hour and day.
//  3. Every other statistic (TOPIC_PUT_SIZE, ...), an unknown topic and a
//     topic@group nothing was ever returned to answer 1 "The stats <name>
//     <key> not exist", Java's answer for a statistic the broker has not
//     recorded; mqadmin statsAll then prints 0 for it, as Apache's does.
//
// Response: 0 with body BrokerStatsData
// {"statsDay":{"avgpt","sum","tps"},"statsHour":{…},"statsMinute":{…}}:
// sum = messages in the window, tps = sum per second of the window, avgpt
// = messages per put (taken as 1.0 whenever sum > 0; Java counts a batch
// as one put).
//
// Versions: Java samples counters every 10 s / 10 min / 1 h, so its
// windows end at the last sample and start from zero at broker start; it
// also keeps the statistics Booster answers 1 for.

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// Statistics names of BrokerStatsManager.
const (
	statsTopicPutNums = "TOPIC_PUT_NUMS"
	statsGroupGetNums = "GROUP_GET_NUMS"
)

// statsWindow is one BrokerStatsItem of BrokerStatsData.
type statsWindow struct {
	sum   int64
	tps   float64
	avgpt float64
}

func (b *Broker) viewBrokerStatsData(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	name := rd.String("statsName", true)
	key := rd.String("statsKey", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	notExist := wire.NewResponse(r.Cmd, wire.SystemError, fmt.Sprintf("The stats <%s> <%s> not exist", name, key))
	if name == statsGroupGetNums {
		topic, group, _ := strings.Cut(key, "@")
		minute, hour, day, ok := b.gets.group(topic, group, time.Now())
		if !ok {
			return notExist
		}
		resp := wire.NewResponse(r.Cmd, wire.Success, "")
		resp.Body = encodeBrokerStatsData(minute, hour, day)
		return resp
	}
	if name != statsTopicPutNums {
		return notExist
	}
	queues := b.store.QueueIDs(key)
	if _, ok := b.topics.get(key); !ok && len(queues) == 0 {
		return notExist
	}
	now := time.Now()
	var w [3]statsWindow
	for i, d := range []time.Duration{time.Minute, time.Hour, 24 * time.Hour} {
		since := now.Add(-d).UnixMilli()
		for _, q := range queues {
			w[i].sum += b.store.MaxOffset(key, q) - b.store.OffsetByTime(key, q, since, false)
		}
		w[i].tps = float64(w[i].sum) / d.Seconds()
		if w[i].sum > 0 {
			w[i].avgpt = 1
		}
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = encodeBrokerStatsData(w[0], w[1], w[2])
	return resp
}

// encodeBrokerStatsData returns Java's BrokerStatsData, fields in
// fastjson's order.
func encodeBrokerStatsData(minute, hour, day statsWindow) []byte {
	b := make([]byte, 0, 192)
	for i, it := range []struct {
		name string
		w    statsWindow
	}{{"statsDay", day}, {"statsHour", hour}, {"statsMinute", minute}} {
		if i == 0 {
			b = append(b, '{')
		} else {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, it.name...)
		b = append(b, `":{"avgpt":`...)
		b = appendJavaDouble(b, it.w.avgpt)
		b = append(b, `,"sum":`...)
		b = strconv.AppendInt(b, it.w.sum, 10)
		b = append(b, `,"tps":`...)
		b = appendJavaDouble(b, it.w.tps)
		b = append(b, '}')
	}
	return append(b, '}')
}
