package broker

// The get side of the broker's statistics: how many messages pulls and
// pops handed to consumers. mqadmin reads them as GROUP_GET_NUMS through
// VIEW_BROKER_STATS_DATA (statsAll's #OutTPS and #OutMsg24Hour) and as
// msgGetTotal* and getTransferredTps through GET_BROKER_RUNTIME_INFO
// (clusterList -m's #OutTotalYest / #OutTotalToday, clusterList's
// #OutTPS, brokerStatus).
//
// Mirrors BrokerStatsManager.incGroupGetNums (PullMessageProcessor and
// PopMessageProcessor count found messages per topic@group),
// StoreStatsService.getMessageTransferredMsgCount and BrokerStats'
// yesterday/today-morning snapshots (Apache RocketMQ 5.3.3).
//
// Behaviour:
//  1. A pull or pop that returns messages adds their number, once per
//     request, to its topic@group and to the broker total. Nothing is
//     counted for a request that finds nothing.
//  2. Counts live in buckets: per second for the last minute, per minute
//     for the last hour, per hour for the last day (per topic@group), and
//     per second for the last 600 s (broker total). A window's sum is the
//     buckets inside it; tps is the sum over the window's length; avgpt
//     is messages per counted request, as Java's StatsItem computes it.
//     Java samples cumulative counters every 10 s / 10 min / 1 h instead,
//     so its windows trail by up to one sample.
//  3. The total starts at 0 when the broker starts, as Java's does;
//     today's and yesterday's morning figures are the total at the last
//     and the one before last local midnight the broker lived through (0
//     when it started later), so today's gets are total - todayMorning.
//
// Concurrency: one mutex guards everything; it is taken once per pull or
// pop that found messages, never per message.

import (
	"sync"
	"time"
)

// topicGroup names one topic@group (a statistic, a pull offset).
type topicGroup struct{ topic, group string }

// getBucket is one time slot of a counter: the slot's start (unix, in
// the slot's unit) and what was counted in it.
type getBucket struct {
	stamp int64
	msgs  int64
	times int64
}

// getWindows are one topic@group's buckets.
type getWindows struct {
	sec  [60]getBucket
	min  [60]getBucket
	hour [24]getBucket
}

// getStats counts the messages handed to consumers.
type getStats struct {
	mu        sync.Mutex
	groups    map[topicGroup]*getWindows
	total     int64
	totalSec  [600]getBucket
	midnight  int64 // unix ms of the last local midnight seen (0: none yet)
	morning   int64 // total at midnight
	yesterday int64 // total at the midnight before
}

// add counts n messages returned to group from topic at nowMs (unix ms).
func (s *getStats) add(topic, group string, n int, nowMs int64) {
	if n <= 0 {
		return
	}
	v := int64(n)
	now := time.UnixMilli(nowMs)
	sec := now.Unix()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rollDay(now)
	s.total += v
	bump(&s.totalSec[sec%int64(len(s.totalSec))], sec, v)
	if s.groups == nil {
		s.groups = map[topicGroup]*getWindows{}
	}
	w := s.groups[topicGroup{topic, group}]
	if w == nil {
		w = &getWindows{}
		s.groups[topicGroup{topic, group}] = w
	}
	bump(&w.sec[sec%60], sec, v)
	bump(&w.min[(sec/60)%60], sec/60, v)
	bump(&w.hour[(sec/3600)%24], sec/3600, v)
}

func bump(b *getBucket, stamp, v int64) {
	if b.stamp != stamp {
		*b = getBucket{stamp: stamp}
	}
	b.msgs += v
	b.times++
}

// rollDay moves the morning snapshots when a local midnight has passed.
func (s *getStats) rollDay(now time.Time) {
	m := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, now.Location()).UnixMilli()
	switch {
	case s.midnight == 0:
		s.midnight = m // the broker's first day: both mornings stay 0
	case m > s.midnight:
		if time.UnixMilli(s.midnight).AddDate(0, 0, 1).UnixMilli() == m {
			s.yesterday = s.morning
		} else {
			s.yesterday = s.total // a whole day without a count
		}
		s.morning = s.total
		s.midnight = m
	}
}

// group returns topic@group's last minute, hour and day, and whether
// anything was ever counted for it.
func (s *getStats) group(topic, group string, now time.Time) (minute, hour, day statsWindow, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	w := s.groups[topicGroup{topic, group}]
	if w == nil {
		return minute, hour, day, false
	}
	sec := now.Unix()
	minute = window(w.sec[:], sec-59, 60)
	hour = window(w.min[:], sec/60-59, 3600)
	day = window(w.hour[:], sec/3600-23, 86400)
	return minute, hour, day, true
}

// window sums the buckets stamped from since on over a window of secs.
func window(bs []getBucket, since int64, secs float64) statsWindow {
	var w statsWindow
	var times int64
	for _, b := range bs {
		if b.stamp >= since {
			w.sum += b.msgs
			times += b.times
		}
	}
	w.tps = float64(w.sum) / secs
	if times > 0 {
		w.avgpt = float64(w.sum) / float64(times)
	}
	return w
}

// totals returns the broker's total, the totals at today's and
// yesterday's midnight, and the per-second rate over each of the last
// secs seconds.
func (s *getStats) totals(now time.Time, secs ...int64) (total, morning, yesterday int64, tps []float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rollDay(now)
	sec := now.Unix()
	for _, w := range secs {
		var sum int64
		for _, b := range s.totalSec {
			if b.stamp > sec-w {
				sum += b.msgs
			}
		}
		tps = append(tps, float64(sum)/float64(w))
	}
	return s.total, s.morning, s.yesterday, tps
}
