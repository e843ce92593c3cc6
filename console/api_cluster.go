package console

// GET /api/cluster: every cluster and broker the NameServer knows, each
// broker with its GET_BROKER_RUNTIME_INFO summary.
// GET /api/stats: one sample per broker for the live charts: put and get
// totals and TPS, and latencies (the runtime-info round trip, the send
// queue's head wait, the commit-log lock hold time).

import (
	"context"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// brokerRow is one broker of /api/cluster.
type brokerRow struct {
	Cluster    string `json:"cluster"`
	BrokerName string `json:"brokerName"`
	BrokerID   int64  `json:"brokerId"`
	Addr       string `json:"addr"`
	Version    string `json:"version,omitempty"`
	PutTps     string `json:"putTps,omitempty"`
	GetTps     string `json:"getTps,omitempty"`
	PutTotal   int64  `json:"msgPutTotalTodayNow"`
	GetTotal   int64  `json:"msgGetTotalTodayNow"`
	Runtime    string `json:"runtime,omitempty"`
	DiskRatio  string `json:"commitLogDiskRatio,omitempty"`
	Error      string `json:"error,omitempty"`

	rtt  time.Duration
	info map[string]string
}

// clusterView is the answer of /api/cluster.
type clusterView struct {
	Namesrv  []string       `json:"namesrv"`
	Clusters []clusterGroup `json:"clusters"`
}

// clusterGroup is one cluster and its brokers.
type clusterGroup struct {
	Name    string      `json:"name"`
	Brokers []brokerRow `json:"brokers"`
}

// brokers lists every broker (masters and slaves) with its runtime info,
// asked concurrently; a broker that fails carries the error.
func (s *Server) brokers(ctx context.Context) ([]brokerRow, error) {
	ci, err := s.cli.ClusterInfo(ctx)
	if err != nil {
		return nil, err
	}
	var rows []brokerRow
	for cluster, names := range ci.ClusterAddrTable {
		for _, n := range names {
			bd := ci.BrokerAddrTable[n]
			if bd == nil {
				continue
			}
			for id, addr := range bd.BrokerAddrs {
				rows = append(rows, brokerRow{Cluster: cluster, BrokerName: n, BrokerID: id, Addr: addr})
			}
		}
	}
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Cluster != b.Cluster {
			return a.Cluster < b.Cluster
		}
		if a.BrokerName != b.BrokerName {
			return a.BrokerName < b.BrokerName
		}
		return a.BrokerID < b.BrokerID
	})
	var wg sync.WaitGroup
	for i := range rows {
		wg.Go(func() {
			r := &rows[i]
			start := time.Now()
			info, err := s.cli.RuntimeInfo(ctx, r.Addr)
			r.rtt = time.Since(start)
			if err != nil {
				r.Error = err.Error()
				return
			}
			r.info = info
			r.Version = info["brokerVersionDesc"]
			r.PutTps, r.GetTps = info["putTps"], info["getTransferredTps"]
			r.PutTotal, _ = strconv.ParseInt(info["msgPutTotalTodayNow"], 10, 64)
			r.GetTotal, _ = strconv.ParseInt(info["msgGetTotalTodayNow"], 10, 64)
			r.Runtime, r.DiskRatio = info["runtime"], info["commitLogDiskRatio"]
		})
	}
	wg.Wait()
	return rows, nil
}

func (s *Server) apiCluster(r *http.Request) (any, error) {
	rows, err := s.brokers(r.Context())
	if err != nil {
		return nil, err
	}
	v := clusterView{Namesrv: s.cli.Namesrv(), Clusters: []clusterGroup{}}
	for _, row := range rows {
		if n := len(v.Clusters); n == 0 || v.Clusters[n-1].Name != row.Cluster {
			v.Clusters = append(v.Clusters, clusterGroup{Name: row.Cluster})
		}
		c := &v.Clusters[len(v.Clusters)-1]
		c.Brokers = append(c.Brokers, row)
	}
	return v, nil
}

// statsSample is one broker in one /api/stats answer.
type statsSample struct {
	Broker          string  `json:"broker"` // brokerName:brokerId
	Addr            string  `json:"addr"`
	PutTotal        int64   `json:"putTotal"`
	GetTotal        int64   `json:"getTotal"`
	PutTps          float64 `json:"putTps"` // Java's 10 s window
	GetTps          float64 `json:"getTps"`
	RTTMillis       float64 `json:"rttMs"`
	SendWaitMillis  float64 `json:"sendWaitMs"`
	PageCacheMillis float64 `json:"pageCacheLockMs"`
	Error           string  `json:"error,omitempty"`
}

// statsView is the answer of /api/stats.
type statsView struct {
	Time    int64         `json:"time"` // ms since the epoch
	Brokers []statsSample `json:"brokers"`
}

func (s *Server) apiStats(r *http.Request) (any, error) {
	rows, err := s.brokers(r.Context())
	if err != nil {
		return nil, err
	}
	v := statsView{Time: time.Now().UnixMilli(), Brokers: []statsSample{}}
	for _, row := range rows {
		smp := statsSample{Broker: row.BrokerName + ":" + strconv.FormatInt(row.BrokerID, 10), Addr: row.Addr,
			PutTotal: row.PutTotal, GetTotal: row.GetTotal, Error: row.Error,
			RTTMillis: float64(row.rtt.Microseconds()) / 1000}
		if row.info != nil {
			smp.PutTps = firstFloat(row.PutTps)
			smp.GetTps = firstFloat(row.GetTps)
			smp.SendWaitMillis = firstFloat(row.info["sendThreadPoolQueueHeadWaitTimeMills"])
			smp.PageCacheMillis = firstFloat(row.info["pageCacheLockTimeMills"])
		}
		v.Brokers = append(v.Brokers, smp)
	}
	return v, nil
}

// firstFloat parses the first space-separated number of s ("12.5 3.0
// 1.0" is 12.5); 0 when there is none.
func firstFloat(s string) float64 {
	f, _, _ := strings.Cut(strings.TrimSpace(s), " ")
	v, _ := strconv.ParseFloat(f, 64)
	return v
}
