package broker

// GET_BROKER_RUNTIME_INFO (28): mqadmin clusterList and brokerStatus read
// a broker's running statistics.
//
// Mirrors AdminBrokerProcessor.getBrokerRuntimeInfo / prepareRuntimeInfo
// and DefaultMessageStore.getRuntimeInfo (Apache RocketMQ 5.3.3).
//
// Header: none.
//
// Behaviour:
//  1. The body is a KVTable {"table":{key:value}}, every value a string.
//  2. brokerVersionDesc ("V5_3_3") and brokerVersion (479); brokerActive is
//     true on a master (Java: schedule and transaction services running).
//  3. Put counters come from the consume queues rather than from in-memory
//     counters, so they survive restarts: msgPutTotalTodayNow is the number
//     of messages ever written to the queues, msgPutTotalTodayMorning and
//     msgPutTotalYesterdayMorning the number stored before today's and
//     yesterday's local midnight (a binary search by store time per queue;
//     idle queues are answered from their last message's time). putTps is
//     "tps10s tps60s tps600s" over the same counts, as Java's sampled
//     windows are.
//  4. The get side comes from the get counters (get_stats.go):
//     msgGetTotalTodayNow is every message pulls and pops returned since
//     the broker started, msgGetTotalTodayMorning and
//     msgGetTotalYesterdayMorning that total at the last two local
//     midnights (0 before the broker lived through one), as Java's
//     BrokerStats keeps them; getTransferredTps is "tps10s tps60s tps600s"
//     of the same count.
//  5. earliestMessageTimeStamp is the store time of the first record of the
//     commit log (-1 when empty); commitLogMinOffset/MaxOffset,
//     remainHowManyDataToFlush; commitLogDiskRatio (and one
//     commitLogDiskRatio_<path>), consumeQueueDiskRatio and
//     commitLogDirCapacity computed as Java does from the file system
//     (-1 when the path is missing).
//  6. The timer keys read as Java's do with the timer wheel off
//     (timerReadBehind 0 ... timerDequeueTps 0.0).
//  7. Java's executor queues map to Booster's: send and EndTransaction to
//     the send and transaction queues, pull, litePull and ack to the pull
//     queue (Booster serves them together), query to the admin queue.
//     Each reports <pool>ThreadPoolQueueSize, ...Capacity and
//     ...HeadWaitTimeMills (how long the oldest queued request has
//     waited, 0 when none waits) under Java's names; clusterList shows
//     send and pull as #InTPS(LOAD) / #OutTPS(LOAD).
//  8. pageCacheLockTimeMills is how long the running append has held the
//     commit log's lock (0 while none does; clusterList's #PCWait).
//     dispatchBehindBytes is 0 and remainTransientStoreBufferNumbs is
//     Integer.MAX_VALUE, which is what Java reports with
//     transientStorePoolEnable off: Booster writes consume queues and
//     index inside the append and has no transient store pool.
//     startAcceptSendRequestTimeStamp is 0 (Java's default; Booster has no
//     such key). Java's put-latency and get-found/miss statistics are not
//     reported.
//  9. bootTimestamp is when the broker opened its store (ms) and runtime
//     the time since, as "[ d days, h hours, m minutes, s seconds ]"
//     (Java's MessageFormat, which groups thousands).
//
// Responses: SUCCESS.

import (
	"fmt"
	"math"
	"path/filepath"
	"strconv"
	"time"

	"golang.org/x/sys/unix"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) getBrokerRuntimeInfo(r *transport.Request) *wire.Command {
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = codec.Encode(codec.KVTable{Table: b.runtimeInfo(time.Now())})
	return resp
}

// putWindows are the TPS windows of putTps, in seconds.
var putWindows = [...]int64{10, 60, 600}

func (b *Broker) runtimeInfo(now time.Time) map[string]string {
	m := map[string]string{}
	d := func(f float64) string { return string(appendJavaDouble(nil, f)) }
	i64 := func(v int64) string { return strconv.FormatInt(v, 10) }

	m["brokerVersionDesc"] = compat.VersionDesc(compat.CurrentVersion)
	m["brokerVersion"] = strconv.Itoa(compat.CurrentVersion)
	m["brokerActive"] = strconv.FormatBool(b.conf().BrokerRole != "SLAVE")

	midnight := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location())
	cuts := []int64{midnight.AddDate(0, 0, -1).UnixMilli(), midnight.UnixMilli()}
	for _, w := range putWindows {
		cuts = append(cuts, now.UnixMilli()-w*1000)
	}
	total, before := b.putCounts(cuts)
	m["msgPutTotalYesterdayMorning"] = i64(before[0])
	m["msgPutTotalTodayMorning"] = i64(before[1])
	m["msgPutTotalTodayNow"] = i64(total)
	var tps string
	for i, w := range putWindows {
		if i > 0 {
			tps += " "
		}
		tps += d(float64(total-before[2+i]) / float64(w))
	}
	m["putTps"] = tps
	got, gotMorning, gotYesterday, getTps := b.gets.totals(now, putWindows[:]...)
	m["msgGetTotalYesterdayMorning"] = i64(gotYesterday)
	m["msgGetTotalTodayMorning"] = i64(gotMorning)
	m["msgGetTotalTodayNow"] = i64(got)
	m["getTransferredTps"] = d(getTps[0]) + " " + d(getTps[1]) + " " + d(getTps[2])

	minPhy, maxPhy := b.store.MinPhyOffset(), b.store.MaxPhyOffset()
	m["commitLogMinOffset"] = i64(minPhy)
	m["commitLogMaxOffset"] = i64(maxPhy)
	m["remainHowManyDataToFlush"] = humanReadableByteCount(max(0, maxPhy-b.store.FlushedPhyOffset()))
	m["earliestMessageTimeStamp"] = i64(b.earliestMessageTime())

	clPath := b.commitLogPath()
	clRatio := diskUsedRatio(clPath)
	m["commitLogDiskRatio"] = d(clRatio)
	m["commitLogDiskRatio_"+clPath] = d(clRatio)
	m["consumeQueueDiskRatio"] = d(diskUsedRatio(filepath.Join(b.conf().StorePathRootDir, "consumequeue")))
	if total, free, ok := diskSpace(b.conf().StorePathRootDir); ok {
		m["commitLogDirCapacity"] = fmt.Sprintf("Total : %s, Free : %s.", humanReadableByteCount(total), humanReadableByteCount(free))
	}

	for _, k := range []string{"timerReadBehind", "timerOffsetBehind", "timerCongestNum"} {
		m[k] = "0"
	}
	m["timerEnqueueTps"], m["timerDequeueTps"] = "0.0", "0.0"

	pools := b.serverConfig().Pools
	for _, p := range []struct {
		size, capacity, wait string
		class                transport.Class
	}{
		{"sendThreadPoolQueueSize", "sendThreadPoolQueueCapacity", "sendThreadPoolQueueHeadWaitTimeMills", transport.Send},
		{"pullThreadPoolQueueSize", "pullThreadPoolQueueCapacity", "pullThreadPoolQueueHeadWaitTimeMills", transport.Pull},
		{"litePullThreadPoolQueueSize", "litePullThreadPoolQueueCapacity", "litePullThreadPoolQueueHeadWaitTimeMills", transport.Pull},
		{"ackThreadPoolQueueSize", "ackThreadPoolQueueCapacity", "ackThreadPoolQueueHeadWaitTimeMills", transport.Pull},
		{"queryThreadPoolQueueSize", "queryThreadPoolQueueCapacity", "queryThreadPoolQueueHeadWaitTimeMills", transport.Admin},
		{"EndTransactionQueueSize", "EndTransactionThreadPoolQueueCapacity", "", transport.Txn},
	} {
		m[p.size] = strconv.Itoa(b.server.QueueSize(p.class))
		m[p.capacity] = strconv.Itoa(pools[p.class].Queue)
		if p.wait != "" {
			m[p.wait] = i64(b.server.QueueHeadWait(p.class, now).Milliseconds())
		}
	}
	m["pageCacheLockTimeMills"] = i64(b.store.LockTimeMills())
	m["dispatchBehindBytes"] = "0"
	m["remainTransientStoreBufferNumbs"] = strconv.Itoa(math.MaxInt32)
	m["startAcceptSendRequestTimeStamp"] = "0"
	m["bootTimestamp"] = i64(b.booted.UnixMilli())
	m["runtime"] = formatRuntime(now.Sub(b.booted))
	return m
}

// formatRuntime is StoreStatsService.getFormatRuntime.
func formatRuntime(d time.Duration) string {
	ms := max(0, d.Milliseconds())
	const sec, minute, hour, day = 1000, 60 * 1000, 3600 * 1000, 24 * 3600 * 1000
	return fmt.Sprintf("[ %s days, %s hours, %s minutes, %s seconds ]",
		groupThousands(ms/day), groupThousands(ms%day/hour), groupThousands(ms%hour/minute), groupThousands(ms%minute/sec))
}

// groupThousands writes n as java.text.MessageFormat does: 1,234.
func groupThousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// putCounts returns the number of messages ever written to the consume
// queues and, for each cut (unix ms), how many were stored before it.
func (b *Broker) putCounts(cuts []int64) (total int64, before []int64) {
	before = make([]int64, len(cuts))
	for _, topic := range b.store.Topics() {
		for _, q := range b.store.QueueIDs(topic) {
			maxOff := b.store.MaxOffset(topic, q)
			total += maxOff
			last := int64(math.MinInt64)
			if maxOff > b.store.MinOffset(topic, q) {
				last = b.storeTimeAt(topic, q, maxOff-1)
			}
			for i, cut := range cuts {
				if last < cut {
					before[i] += maxOff // every message of the queue is older
				} else {
					before[i] += b.store.OffsetByTime(topic, q, cut, false)
				}
			}
		}
	}
	return total, before
}

// storeTimeAt returns the store time of the message at a queue offset, or
// -1 (DefaultMessageStore.getMessageStoreTimeStamp).
func (b *Broker) storeTimeAt(topic string, queueID int32, offset int64) int64 {
	res := b.store.GetMessages(topic, queueID, offset, 1, 0, nil)
	defer res.Release()
	if len(res.Records) == 0 {
		return -1
	}
	v, err := codec.ViewRecord(res.Records[0])
	if err != nil {
		return -1
	}
	return v.StoreTimestamp
}

// earliestMessageTime is the store time of the commit log's first record,
// or -1.
func (b *Broker) earliestMessageTime() int64 {
	rec, err := b.store.LookupMessage(b.store.MinPhyOffset())
	if err != nil {
		return -1
	}
	v, err := codec.ViewRecord(rec)
	if err != nil {
		return -1
	}
	return v.StoreTimestamp
}

func (b *Broker) commitLogPath() string {
	if b.conf().StorePathCommitLog != "" {
		return b.conf().StorePathCommitLog
	}
	return filepath.Join(b.conf().StorePathRootDir, "commitlog")
}

// diskSpace returns the total and free bytes of the file system holding path.
func diskSpace(path string) (total, free int64, ok bool) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return 0, 0, false
	}
	bs := int64(st.Bsize) //nolint:unconvert // Bsize is not int64 on every OS
	return int64(st.Blocks) * bs, int64(st.Bfree) * bs, true
}

// diskUsedRatio is Java's UtilAll.getDiskPartitionSpaceUsedPercent: the
// used share of the space non-root users can reach, rounded up to a
// hundredth; -1 when path cannot be measured.
func diskUsedRatio(path string) float64 {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil || st.Blocks == 0 {
		return -1
	}
	used := st.Blocks - st.Bfree
	entire := used + st.Bavail
	if entire == 0 {
		return -1
	}
	pct := used * 100 / entire
	if used*100%entire != 0 {
		pct++
	}
	return float64(pct) / 100
}

// humanReadableByteCount is Java's MixAll.humanReadableByteCount(n, false).
func humanReadableByteCount(n int64) string {
	const unit = 1024
	if n < unit {
		return strconv.FormatInt(n, 10) + " B"
	}
	exp := int(math.Log(float64(n)) / math.Log(unit))
	return fmt.Sprintf("%.1f %ciB", float64(n)/math.Pow(unit, float64(exp)), "KMGTPE"[exp-1])
}
