package command

// clusterList (ClusterListSubCommand): every broker of every cluster
// (GET_BROKER_CLUSTER_INFO) with its runtime statistics
// (GET_BROKER_RUNTIME_INFO): version, in/out TPS, timer progress, page
// cache wait, hours of messages kept, disk use and whether it is active;
// -m prints yesterday's and today's message counts instead; -i repeats
// every so many seconds.
//
// A runtime value the broker does not report prints "N" (Java prints
// "null"); a broker that cannot be reached prints defaults and fails the
// command after the table.

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

// clusterRow is one broker of clusterList.
type clusterRow struct {
	Cluster  string            `json:"cluster"`
	Broker   string            `json:"brokerName"`
	BrokerID int64             `json:"brokerId"`
	Addr     string            `json:"addr"`
	Runtime  map[string]string `json:"runtime,omitempty"`
	err      error
}

func clusterList() spec {
	return spec{
		name:  "clusterList",
		usage: "List cluster infos.",
		flags: []cli.Flag{
			boolFlag("moreStats", "m", "Print more stats"),
			strFlag("interval", "i", "specify intervals numbers, it is in seconds"),
			strFlag("clusterName", "c", "which cluster"),
		},
		json: true,
		run: func(x *ctx) error {
			interval := time.Duration(0)
			if x.IsSet("i") {
				n, err := x.intFlag("i")
				if err != nil {
					return err
				}
				interval = time.Duration(n) * time.Second
			}
			for {
				if err := printClusters(x); err != nil || interval <= 0 {
					return err
				}
				time.Sleep(interval)
			}
		},
	}
}

func printClusters(x *ctx) error {
	ci, err := x.adm.clusterInfo()
	if err != nil {
		return err
	}
	clusters := []string{x.trimmed("c")}
	if clusters[0] == "" {
		clusters = clusters[:0]
		for c := range ci.ClusterAddrTable {
			clusters = append(clusters, c)
		}
		sort.Strings(clusters)
	}
	var rows []clusterRow
	var errs []error
	for _, c := range clusters {
		names := append([]string(nil), ci.ClusterAddrTable[c]...)
		sort.Strings(names)
		for _, name := range names {
			bd := ci.BrokerAddrTable[name]
			if bd == nil {
				continue
			}
			for _, id := range admin.BrokerIDs(bd) {
				r := clusterRow{Cluster: c, Broker: name, BrokerID: id, Addr: bd.BrokerAddrs[id]}
				if resp, err := x.adm.call(r.Addr, admin.Request(wire.GetBrokerRuntimeInfo)); err != nil {
					r.err = err
				} else if r.Runtime, err = admin.KVTable(resp); err != nil {
					r.err = err
				}
				if r.err != nil {
					errs = append(errs, fmt.Errorf("broker %s: %w", r.Addr, r.err))
				}
				rows = append(rows, r)
			}
		}
	}
	if x.json() {
		if err := printJSON(x, rows); err != nil {
			return err
		}
		return errors.Join(errs...)
	}
	if x.Bool("m") {
		x.printf("%-16s  %-32s %14s %14s %14s %14s\n", "#Cluster Name", "#Broker Name", "#InTotalYest", "#OutTotalYest", "#InTotalToday", "#OutTotalToday")
		for _, r := range rows {
			inYest, outYest, inToday, outToday := dayTotals(r.Runtime)
			x.printf("%-16s  %-32s %14d %14d %14d %14d\n", r.Cluster, r.Broker, inYest, outYest, inToday, outToday)
		}
		return errors.Join(errs...)
	}
	x.printf("%-22s  %-22s  %-4s  %-22s %-16s  %16s  %30s  %-22s  %-11s  %-12s  %-8s  %-10s\n",
		"#Cluster Name", "#Broker Name", "#BID", "#Addr", "#Version", "#InTPS(LOAD)", "#OutTPS(LOAD)", "#Timer(Progress)",
		"#PCWait(ms)", "#Hour", "#SPACE", "#ACTIVATED")
	now := time.Now().UnixMilli()
	for _, r := range rows {
		m := r.Runtime
		get := func(k string) string {
			if v, ok := m[k]; ok {
				return v
			}
			return "N"
		}
		hour, space := 0.0, 0.0
		if ts, err := strconv.ParseInt(m["earliestMessageTimeStamp"], 10, 64); err == nil {
			hour = float64(now-ts) / 1000 / 60 / 60
		}
		if v, err := strconv.ParseFloat(m["commitLogDiskRatio"], 64); err == nil {
			space = v
		}
		timerCongest, _ := strconv.ParseInt(m["timerCongestNum"], 10, 64)
		timerReadBehind, _ := strconv.ParseInt(m["timerReadBehind"], 10, 64)
		timerOffsetBehind, _ := strconv.ParseInt(m["timerOffsetBehind"], 10, 64)
		enq, _ := strconv.ParseFloat(m["timerEnqueueTps"], 64)
		deq, _ := strconv.ParseFloat(m["timerDequeueTps"], 64)
		x.printf("%-22s  %-22s  %-4s  %-22s %-16s  %16s  %30s  %-22s  %11s  %-12s  %-8s  %10s\n",
			r.Cluster, r.Broker, strconv.FormatInt(r.BrokerID, 10), r.Addr, m["brokerVersionDesc"],
			fmt.Sprintf("%9.2f(%s,%sms)", firstTps(m["putTps"]), get("sendThreadPoolQueueSize"), get("sendThreadPoolQueueHeadWaitTimeMills")),
			fmt.Sprintf("%9.2f(%s,%sms|%s,%sms)", firstTps(m["getTransferredTps"]), get("pullThreadPoolQueueSize"),
				get("pullThreadPoolQueueHeadWaitTimeMills"), get("ackThreadPoolQueueSize"), get("ackThreadPoolQueueHeadWaitTimeMills")),
			fmt.Sprintf("%d-%d(%.1fw, %.1f, %.1f)", timerReadBehind, timerOffsetBehind, float64(timerCongest)/10000, enq, deq),
			get("pageCacheLockTimeMills"), fmt.Sprintf("%2.2f", hour), fmt.Sprintf("%.4f", space),
			strconv.FormatBool(m["brokerActive"] == "true"))
	}
	return errors.Join(errs...)
}

// firstTps is the first of the space-separated numbers of a TPS value.
func firstTps(s string) float64 {
	f, _ := strconv.ParseFloat(strings.SplitN(strings.TrimSpace(s), " ", 2)[0], 64)
	return f
}

// dayTotals computes clusterList -m's columns from the put/get totals.
func dayTotals(m map[string]string) (inYest, outYest, inToday, outToday int64) {
	n := func(k string) int64 {
		v, _ := strconv.ParseInt(m[k], 10, 64)
		return v
	}
	inYest = n("msgPutTotalTodayMorning") - n("msgPutTotalYesterdayMorning")
	outYest = n("msgGetTotalTodayMorning") - n("msgGetTotalYesterdayMorning")
	inToday = n("msgPutTotalTodayNow") - n("msgPutTotalTodayMorning")
	outToday = n("msgGetTotalTodayNow") - n("msgGetTotalTodayMorning")
	return
}
