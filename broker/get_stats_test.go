package broker

import (
	"testing"
	"time"
)

// Counts land in the minute, hour and day windows and leave them as time
// passes; avgpt is messages per counted request.
func TestGetStatsWindows(t *testing.T) {
	var s getStats
	t0 := time.Date(2026, 3, 10, 12, 0, 0, 0, time.Local)
	s.add("T", "g", 3, t0.UnixMilli())
	s.add("T", "g", 2, t0.Add(30*time.Second).UnixMilli())
	s.add("T", "other", 7, t0.UnixMilli())
	s.add("T", "g", 0, t0.UnixMilli()) // nothing found: not counted

	minute, hour, day, ok := s.group("T", "g", t0.Add(30*time.Second))
	if !ok || minute.sum != 5 || hour.sum != 5 || day.sum != 5 || minute.avgpt != 2.5 || minute.tps != 5.0/60 || day.tps != 5.0/86400 {
		t.Errorf("after 30 s: %+v %+v %+v %v", minute, hour, day, ok)
	}
	minute, hour, day, _ = s.group("T", "g", t0.Add(75*time.Second))
	if minute.sum != 2 || hour.sum != 5 || day.sum != 5 {
		t.Errorf("after 75 s: %+v %+v %+v", minute, hour, day)
	}
	minute, hour, day, _ = s.group("T", "g", t0.Add(2*time.Hour))
	if minute.sum != 0 || hour.sum != 0 || day.sum != 5 || minute.avgpt != 0 {
		t.Errorf("after 2 h: %+v %+v %+v", minute, hour, day)
	}
	if _, _, day, _ = s.group("T", "g", t0.Add(25*time.Hour)); day.sum != 0 {
		t.Errorf("after 25 h: %+v", day)
	}
	if _, _, _, ok := s.group("T", "nobody", t0); ok {
		t.Error("a group nothing was returned to has statistics")
	}

	total, morning, yesterday, tps := s.totals(t0.Add(30*time.Second), 10, 60, 600)
	if total != 12 || morning != 0 || yesterday != 0 || tps[0] != 0.2 || tps[1] != 12.0/60 || tps[2] != 12.0/600 {
		t.Errorf("totals %d %d %d %v", total, morning, yesterday, tps)
	}
}

// The morning figures are the totals at the last two local midnights the
// broker lived through.
func TestGetStatsMidnights(t *testing.T) {
	var s getStats
	day1 := time.Date(2026, 3, 10, 23, 0, 0, 0, time.Local)
	s.add("T", "g", 4, day1.UnixMilli())
	if total, morning, yesterday, _ := s.totals(day1); total != 4 || morning != 0 || yesterday != 0 {
		t.Errorf("day 1: %d %d %d", total, morning, yesterday)
	}
	day2 := day1.Add(2 * time.Hour)
	s.add("T", "g", 5, day2.UnixMilli())
	if total, morning, yesterday, _ := s.totals(day2); total != 9 || morning != 4 || yesterday != 0 {
		t.Errorf("day 2: %d %d %d", total, morning, yesterday)
	}
	day3 := day2.AddDate(0, 0, 1)
	if total, morning, yesterday, _ := s.totals(day3); total != 9 || morning != 9 || yesterday != 4 {
		t.Errorf("day 3: %d %d %d", total, morning, yesterday)
	}
	day6 := day3.AddDate(0, 0, 3)
	if total, morning, yesterday, _ := s.totals(day6); total != 9 || morning != 9 || yesterday != 9 {
		t.Errorf("day 6 (days without a count): %d %d %d", total, morning, yesterday)
	}
}
