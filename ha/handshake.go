package ha

// The epoch handshake of controller mode (Booster's stand-in for the
// handshake of Apache's AutoSwitchHAService). A slave that knows its
// brokerId opens the connection with
//
//	slave → master   [long -2][long brokerId][int n][n × (int epoch, long startOffset)]
//	master → slave   [long consistentOffset][int n][n × (int epoch, long startOffset)]
//
// and then speaks the classic protocol (its first report fixes the start).
// The master names the slave by brokerId (for the SyncStateSet) and
// answers with the point up to which the two logs agree
// (store.ConsistentPoint: -1 when it cannot tell, math.MaxInt64 when they
// agree throughout) and its own epoch table. The slave cuts its commit log
// there if it is longer (store.TruncateTo), adopts the master's table and
// reports its end. A classic slave's first report is a non-negative offset,
// so both kinds of slave share the port.

import (
	"encoding/binary"
	"fmt"
	"io"
	"net"
	"time"

	"github.com/booster-mq/booster/store"
)

// handshakeMagic opens a handshake in place of the first report.
const handshakeMagic int64 = -2

// handshakeMagicBits is handshakeMagic as sent.
const handshakeMagicBits uint64 = 0xFFFFFFFFFFFFFFFE

// maxEpochEntries bounds an epoch table on the wire.
const maxEpochEntries = 1 << 16

// writeEpochs appends [int n][n × (int epoch, long start)].
func appendEpochs(b []byte, es []store.EpochEntry) []byte {
	b = binary.BigEndian.AppendUint32(b, uint32(len(es)))
	for _, e := range es {
		b = binary.BigEndian.AppendUint32(b, uint32(e.Epoch))
		b = binary.BigEndian.AppendUint64(b, uint64(e.StartOffset))
	}
	return b
}

// readEpochs reads what appendEpochs wrote.
func readEpochs(r io.Reader) ([]store.EpochEntry, error) {
	var n [4]byte
	if _, err := io.ReadFull(r, n[:]); err != nil {
		return nil, err
	}
	count := binary.BigEndian.Uint32(n[:])
	if count > maxEpochEntries {
		return nil, fmt.Errorf("epoch table of %d entries", count)
	}
	buf := make([]byte, 12*int(count))
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, err
	}
	out := make([]store.EpochEntry, count)
	for i := range out {
		out[i] = store.EpochEntry{Epoch: int32(binary.BigEndian.Uint32(buf[12*i:])),
			StartOffset: int64(binary.BigEndian.Uint64(buf[12*i+4:]))}
	}
	return out, nil
}

// handshake answers a slave's handshake (the magic already read).
func (c *slaveConn) handshake() error {
	var id [8]byte
	if _, err := io.ReadFull(c.c, id[:]); err != nil {
		return err
	}
	theirs, err := readEpochs(c.c)
	if err != nil {
		return err
	}
	var ours []store.EpochEntry
	if ef := c.m.epochs.Load(); ef != nil {
		ours = ef.Entries()
	}
	cp := store.ConsistentPoint(theirs, ours)
	c.brokerID.Store(int64(binary.BigEndian.Uint64(id[:])))
	reply := binary.BigEndian.AppendUint64(nil, uint64(cp))
	reply = appendEpochs(reply, ours)
	if !c.write(net.Buffers{reply}) {
		return fmt.Errorf("writing the handshake reply failed")
	}
	c.m.log.Info("slave handshake", "remote", c.remote, "brokerId", c.brokerID.Load(), "consistentOffset", cp,
		"slaveEpochs", len(theirs), "masterEpochs", len(ours))
	return nil
}

// handshake opens a connection in controller mode: it sends the slave's
// brokerId and epoch table, truncates the log to the consistent point
// the master names and adopts the master's epoch table.
func (s *Slave) handshake(nc net.Conn, id int64, ef *store.EpochFile) error {
	msg := binary.BigEndian.AppendUint64(nil, uint64(handshakeMagicBits))
	msg = binary.BigEndian.AppendUint64(msg, uint64(id))
	msg = appendEpochs(msg, ef.Entries())
	if err := nc.SetDeadline(time.Now().Add(s.cfg.HousekeepingInterval)); err != nil {
		return err
	}
	if _, err := nc.Write(msg); err != nil {
		return err
	}
	var cpb [8]byte
	if _, err := io.ReadFull(nc, cpb[:]); err != nil {
		return err
	}
	theirs, err := readEpochs(nc)
	if err != nil {
		return err
	}
	cp := int64(binary.BigEndian.Uint64(cpb[:]))
	if end := s.st.MaxPhyOffset(); cp >= 0 && cp < end {
		s.log.Warn("commit log diverges from the master's; truncating", "from", end, "to", cp)
		if err := s.st.TruncateTo(cp); err != nil {
			return err
		}
	}
	if len(theirs) > 0 {
		if err := ef.Replace(theirs); err != nil {
			return err
		}
	}
	return nc.SetDeadline(time.Time{})
}
