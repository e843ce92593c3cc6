package store

import (
	"slices"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
)

// QueryResult is the outcome of QueryMessage.
type QueryResult struct {
	// Records are copies of whole raw records, in commit-log order: the
	// QUERY_MESSAGE body when concatenated.
	Records [][]byte
	// IndexLastUpdateTimestamp and IndexLastUpdatePhyOffset are the end
	// time and offset of the newest index file. Like Java they are only
	// filled in when the index had hits.
	IndexLastUpdateTimestamp int64
	IndexLastUpdatePhyOffset int64
}

// QueryMessage looks a key up in the index files (Java's queryMessage).
// key is a UNIQ_KEY or one of the KEYS of a message of topic; maxNum is
// capped at MaxMsgsNumBatch; begin and end bound the store time in
// milliseconds. Files are searched newest first, and an entry is a hit
// when its key hash is equal and its time (second precision) is inside
// the range, so a hit may be another key with the same hash: callers
// filter by the exact key, as clients do. Records that retention removed
// are left out.
func (s *Store) QueryMessage(topic, key string, maxNum int, begin, end int64) QueryResult {
	var res QueryResult
	maxNum = min(maxNum, s.cfg.MaxMsgsNumBatch)
	if s.ix == nil || maxNum <= 0 || s.closed.Load() {
		return res
	}
	hash := indexKeyHash(compat.JavaStringHash(topic), key)
	files := s.ix.fileList()
	offs := make([]int64, 0, maxNum)
	for i := len(files) - 1; i >= 0; i-- {
		f := files[i]
		if !f.m.hold() {
			continue // deleted meanwhile
		}
		if i == len(files)-1 {
			res.IndexLastUpdateTimestamp, res.IndexLastUpdatePhyOffset = f.endTs.Load(), f.endPhy.Load()
		}
		if f.timeMatched(begin, end) {
			offs = f.selectPhy(offs, hash, maxNum, begin, end)
		}
		stop := f.beginTs.Load() < begin || len(offs) >= maxNum
		f.m.release()
		if stop {
			break
		}
	}
	if len(offs) == 0 {
		res.IndexLastUpdateTimestamp, res.IndexLastUpdatePhyOffset = 0, 0
		return res
	}
	// Java retries up to three times with the end time narrowed to the
	// oldest hit when none of the hits could be read; the narrowed search
	// finds the same unreadable hits, so one pass gives the same answer.
	slices.Sort(offs)
	for _, off := range offs {
		if rec, err := s.LookupMessage(off); err == nil {
			res.Records = append(res.Records, rec)
		}
	}
	return res
}

// recordTime reads the store time of the record at phy.
func (s *Store) recordTime(phy int64) (int64, bool) {
	files := s.cl.files.load()
	seg := findFile(files, phy)
	if seg == nil || phy >= s.cl.wrote.Load() || !seg.hold() {
		return 0, false
	}
	defer seg.release()
	v, err := codec.ViewRecord(seg.data[phy-seg.start : min(seg.size(), s.cl.wrote.Load()-seg.start)])
	if err != nil || v.CommitLogOffset != phy {
		return 0, false
	}
	return v.StoreTimestamp, true
}
