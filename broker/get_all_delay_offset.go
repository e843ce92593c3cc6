package broker

// GET_ALL_DELAY_OFFSET (45), mirroring Java's
// AdminBrokerProcessor.getAllDelayOffset: a slave's metadata sync
// (slave_synchronize.go) copies the master's delay-level progress.
//
// Header: none.
//
// Behaviour:
//  1. The body is the delay progress as config/delayOffset.json holds it
//     ({"dataVersion":{…},"offsetTable":{"level":offset}}), taken from
//     memory, so it is current even between two writes of the file.
//
// Response codes: 0.

import (
	"encoding/json"
	"strconv"

	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) getAllDelayOffset(r *transport.Request) *wire.Command {
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = b.schedule.encode()
	return resp
}

// encode returns the delay progress in delayOffset.json's format.
func (s *scheduleService) encode() []byte {
	s.mu.Lock()
	f := delayOffsetFile{DataVersion: s.version, OffsetTable: make(map[string]int64, len(s.offsets))}
	for level, off := range s.offsets {
		f.OffsetTable[strconv.Itoa(level)] = off
	}
	s.mu.Unlock()
	data, _ := json.Marshal(f) // plain maps and ints: cannot fail
	return data
}
