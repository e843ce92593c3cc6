package codec

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"net/netip"
)

// Magic codes of the commit-log record (messages-and-store.md §1.1).
const (
	// MagicV1 marks a record with a 1-byte topic length.
	MagicV1 = int32(-626843481) // 0xDAA320A7
	// MagicV2 marks a record with a 2-byte topic length (topics > 127 bytes).
	MagicV2 = int32(-626843477) // 0xDAA320AB
	// MagicBlank marks the unused tail of a commit-log segment:
	// [int freeBytes][int MagicBlank].
	MagicBlank = int32(-875286124) // 0xCBD43194
)

// Message system flags (MessageSysFlag.java, §2).
const (
	SysFlagCompressed      = 0x1
	SysFlagMultiTags       = 0x2
	SysFlagTransactionMask = 0xC
	SysFlagTransactionNot  = 0x0
	SysFlagPrepared        = 0x4
	SysFlagCommit          = 0x8
	SysFlagRollback        = 0xC
	SysFlagBornHostV6      = 0x10
	SysFlagStoreHostV6     = 0x20
	SysFlagNeedUnwrap      = 0x40
	SysFlagInnerBatch      = 0x80
	SysFlagCompressionMask = 0x700
)

// Sizes of the record layout.
const (
	// RecordFixedSize is the size of a record with IPv4 hosts, V1 magic and
	// empty body, topic and properties: TOTALSIZE = RecordFixedSize +
	// len(body) + len(topic) + len(properties).
	RecordFixedSize = 91
	// BlankMarkerSize is the size of the end-of-segment marker.
	BlankMarkerSize = 8

	// Offsets of the fixed fields that do not move with the host sizes.
	recOffTotalSize   = 0
	recOffMagic       = 4
	recOffBodyCRC     = 8
	recOffQueueID     = 12
	recOffFlag        = 16
	recOffQueueOffset = 20
	recOffPhysical    = 28
	recOffSysFlag     = 36
	recOffBornTime    = 40
	recOffBornHost    = 48
)

// MaxPropertiesSize is the largest properties string a record can carry
// (its length is a signed short).
const MaxPropertiesSize = 32767

// Errors of the record decoders. They are returned as is or wrapped.
var (
	// ErrShortRecord means the input ends before the record does.
	ErrShortRecord = errors.New("codec: short message record")
	// ErrBadMagic means the magic code is neither V1, V2 nor blank.
	ErrBadMagic = errors.New("codec: bad message record magic")
	// ErrBlank means the input starts with the end-of-segment blank marker.
	ErrBlank = errors.New("codec: blank end-of-file marker")
	// ErrCorruptRecord means the field lengths disagree with TOTALSIZE.
	ErrCorruptRecord = errors.New("codec: corrupt message record")
	// ErrBadMsgID means a string is not an offset message id.
	ErrBadMsgID = errors.New("codec: bad offset message id")
)

// Message is one message as the broker stores it: the commit-log record
// (RocketMQ MessageDecoder layout, V1 magic 0xDAA320A7, IPv4 or IPv6 hosts).
type Message struct {
	Topic      string
	QueueID    int32
	Flag       int32
	Body       []byte
	Properties string // encoded properties string: key\x01value\x02...
	// SysFlag as given; the encoder sets or clears the host IPv6 bits
	// (0x10, 0x20) to match BornHost and StoreHost.
	SysFlag       int32
	BornTimestamp int64
	// BornHost is written as 4 bytes when it is IPv4 or IPv4-mapped IPv6,
	// else as 16 bytes with sysflag 0x10. An invalid AddrPort is 0.0.0.0:0.
	BornHost netip.AddrPort
	// StoreHost follows the same rules, with sysflag 0x20.
	StoreHost                 netip.AddrPort
	ReconsumeTimes            int32
	PreparedTransactionOffset int64
	// TagsCode is the consume-queue tag code (not part of the record).
	TagsCode int64

	// Assigned by the store at append time.
	QueueOffset     int64
	CommitLogOffset int64
	StoreTimestamp  int64
	// BodyCRC is filled on decode. The encoder computes it from Body
	// (crc32 IEEE & 0x7FFFFFFF) and ignores this field.
	BodyCRC int32
}

// hostLen is the encoded size of a host: address plus int port.
func hostLen(ap netip.AddrPort) int {
	if isHostV6(ap) {
		return 20
	}
	return 8
}

func isHostV6(ap netip.AddrPort) bool {
	a := ap.Addr()
	return a.Is6() && !a.Is4In6()
}

// topicLenSize is 1 for V1 records and 2 for V2 ones (topic > 127 bytes).
func topicLenSize(topic string) int {
	if len(topic) > 127 {
		return 2
	}
	return 1
}

// RecordSize returns TOTALSIZE, the size of the encoded record.
func (m *Message) RecordSize() int {
	return RecordFixedSize - 16 + hostLen(m.BornHost) + hostLen(m.StoreHost) +
		len(m.Body) + topicLenSize(m.Topic) - 1 + len(m.Topic) + len(m.Properties)
}

// BodyCRC returns the record's BODYCRC value for body: the IEEE CRC-32
// with the sign bit cleared, as Java's UtilAll.crc32 computes it.
func BodyCRC(body []byte) int32 {
	return int32(crc32.ChecksumIEEE(body) & 0x7FFFFFFF)
}

// EncodeSysFlag returns m.SysFlag with the host IPv6 bits set to match
// BornHost and StoreHost; it is the SYSFLAG AppendRecord writes.
func (m *Message) EncodeSysFlag() int32 {
	f := m.SysFlag &^ (SysFlagBornHostV6 | SysFlagStoreHostV6)
	if isHostV6(m.BornHost) {
		f |= SysFlagBornHostV6
	}
	if isHostV6(m.StoreHost) {
		f |= SysFlagStoreHostV6
	}
	return f
}

// AppendRecord appends the encoded record to dst and returns the extended
// slice. It writes the V1 magic unless the topic is longer than 127 bytes
// (then V2 with a 2-byte topic length), computes BODYCRC and sets the
// sysflag IPv6 bits. It does not allocate when dst has room for
// RecordSize() bytes. The caller validates lengths: a topic longer than
// 65535 bytes or properties longer than MaxPropertiesSize are truncated
// in the length fields and give a corrupt record.
func (m *Message) AppendRecord(dst []byte) []byte {
	be := binary.BigEndian
	magic := MagicV1
	if topicLenSize(m.Topic) == 2 {
		magic = MagicV2
	}
	dst = be.AppendUint32(dst, uint32(m.RecordSize()))
	dst = be.AppendUint32(dst, uint32(magic))
	dst = be.AppendUint32(dst, uint32(BodyCRC(m.Body)))
	dst = be.AppendUint32(dst, uint32(m.QueueID))
	dst = be.AppendUint32(dst, uint32(m.Flag))
	dst = be.AppendUint64(dst, uint64(m.QueueOffset))
	dst = be.AppendUint64(dst, uint64(m.CommitLogOffset))
	dst = be.AppendUint32(dst, uint32(m.EncodeSysFlag()))
	dst = be.AppendUint64(dst, uint64(m.BornTimestamp))
	dst = appendHost(dst, m.BornHost)
	dst = be.AppendUint64(dst, uint64(m.StoreTimestamp))
	dst = appendHost(dst, m.StoreHost)
	dst = be.AppendUint32(dst, uint32(m.ReconsumeTimes))
	dst = be.AppendUint64(dst, uint64(m.PreparedTransactionOffset))
	dst = be.AppendUint32(dst, uint32(len(m.Body)))
	dst = append(dst, m.Body...)
	if magic == MagicV2 {
		dst = be.AppendUint16(dst, uint16(len(m.Topic)))
	} else {
		dst = append(dst, byte(len(m.Topic)))
	}
	dst = append(dst, m.Topic...)
	dst = be.AppendUint16(dst, uint16(len(m.Properties)))
	dst = append(dst, m.Properties...)
	return dst
}

// appendHost writes the address (4 bytes for IPv4 and IPv4-mapped, else
// 16) and the port as an int.
func appendHost(dst []byte, ap netip.AddrPort) []byte {
	a := ap.Addr()
	switch {
	case !a.IsValid():
		dst = append(dst, 0, 0, 0, 0)
	case a.Is4() || a.Is4In6():
		b := a.Unmap().As4()
		dst = append(dst, b[:]...)
	default:
		b := a.As16()
		dst = append(dst, b[:]...)
	}
	return binary.BigEndian.AppendUint32(dst, uint32(ap.Port()))
}

// RecordView is a decoded record whose variable-length fields alias the
// input. It is what scanners use to walk records without allocating.
type RecordView struct {
	Size                      int // TOTALSIZE
	Magic                     int32
	BodyCRC                   int32
	QueueID                   int32
	Flag                      int32
	QueueOffset               int64
	CommitLogOffset           int64
	SysFlag                   int32
	BornTimestamp             int64
	BornHost                  netip.AddrPort
	StoreTimestamp            int64
	StoreHost                 netip.AddrPort
	ReconsumeTimes            int32
	PreparedTransactionOffset int64
	Body                      []byte
	Topic                     []byte
	Properties                []byte
}

// ViewRecord decodes the record at the start of b without copying. It
// checks that the field lengths add up to TOTALSIZE exactly, but not the
// body CRC. Errors: ErrShortRecord when b ends before the record,
// ErrBlank for the end-of-segment marker, ErrBadMagic, ErrCorruptRecord.
func ViewRecord(b []byte) (RecordView, error) {
	var v RecordView
	if len(b) < 8 {
		return v, ErrShortRecord
	}
	be := binary.BigEndian
	total := int64(int32(be.Uint32(b)))
	v.Magic = int32(be.Uint32(b[recOffMagic:]))
	switch v.Magic {
	case MagicV1, MagicV2:
	case MagicBlank:
		return v, ErrBlank
	default:
		return v, ErrBadMagic
	}
	if total < RecordFixedSize {
		return v, ErrCorruptRecord
	}
	if total > int64(len(b)) {
		return v, ErrShortRecord
	}
	r := b[:total]
	v.Size = int(total)
	v.BodyCRC = int32(be.Uint32(r[recOffBodyCRC:]))
	v.QueueID = int32(be.Uint32(r[recOffQueueID:]))
	v.Flag = int32(be.Uint32(r[recOffFlag:]))
	v.QueueOffset = int64(be.Uint64(r[recOffQueueOffset:]))
	v.CommitLogOffset = int64(be.Uint64(r[recOffPhysical:]))
	v.SysFlag = int32(be.Uint32(r[recOffSysFlag:]))
	v.BornTimestamp = int64(be.Uint64(r[recOffBornTime:]))
	pos := recOffBornHost
	var ok bool
	// Every read below is bounds-checked against the record, so a lying
	// length can only produce ErrCorruptRecord.
	if v.BornHost, pos, ok = readHost(r, pos, v.SysFlag&SysFlagBornHostV6 != 0); !ok {
		return v, ErrCorruptRecord
	}
	if pos+8 > len(r) {
		return v, ErrCorruptRecord
	}
	v.StoreTimestamp = int64(be.Uint64(r[pos:]))
	pos += 8
	if v.StoreHost, pos, ok = readHost(r, pos, v.SysFlag&SysFlagStoreHostV6 != 0); !ok {
		return v, ErrCorruptRecord
	}
	if pos+16 > len(r) {
		return v, ErrCorruptRecord
	}
	v.ReconsumeTimes = int32(be.Uint32(r[pos:]))
	v.PreparedTransactionOffset = int64(be.Uint64(r[pos+4:]))
	bodyLen := int64(int32(be.Uint32(r[pos+12:])))
	pos += 16
	if bodyLen < 0 || bodyLen > int64(len(r)-pos) {
		return v, ErrCorruptRecord
	}
	v.Body = r[pos : pos+int(bodyLen) : pos+int(bodyLen)]
	pos += int(bodyLen)
	var topicLen int
	if v.Magic == MagicV2 {
		if pos+2 > len(r) {
			return v, ErrCorruptRecord
		}
		topicLen = int(be.Uint16(r[pos:]))
		pos += 2
	} else {
		if pos+1 > len(r) {
			return v, ErrCorruptRecord
		}
		topicLen = int(r[pos])
		pos++
	}
	if topicLen > len(r)-pos {
		return v, ErrCorruptRecord
	}
	v.Topic = r[pos : pos+topicLen : pos+topicLen]
	pos += topicLen
	if pos+2 > len(r) {
		return v, ErrCorruptRecord
	}
	propLen := int(int16(be.Uint16(r[pos:])))
	pos += 2
	if propLen < 0 || propLen != len(r)-pos {
		return v, ErrCorruptRecord
	}
	v.Properties = r[pos:len(r):len(r)]
	return v, nil
}

func readHost(r []byte, pos int, v6 bool) (netip.AddrPort, int, bool) {
	n := 4
	if v6 {
		n = 16
	}
	if pos+n+4 > len(r) {
		return netip.AddrPort{}, pos, false
	}
	var a netip.Addr
	if v6 {
		a = netip.AddrFrom16([16]byte(r[pos : pos+16]))
	} else {
		a = netip.AddrFrom4([4]byte(r[pos : pos+4]))
	}
	port := binary.BigEndian.Uint32(r[pos+n:])
	return netip.AddrPortFrom(a, uint16(port)), pos + n + 4, true
}

// Message copies the view into a Message. Body still aliases the input.
func (v *RecordView) Message() Message {
	return Message{
		Topic:                     string(v.Topic),
		QueueID:                   v.QueueID,
		Flag:                      v.Flag,
		Body:                      v.Body,
		Properties:                string(v.Properties),
		SysFlag:                   v.SysFlag,
		BornTimestamp:             v.BornTimestamp,
		BornHost:                  v.BornHost,
		StoreHost:                 v.StoreHost,
		ReconsumeTimes:            v.ReconsumeTimes,
		PreparedTransactionOffset: v.PreparedTransactionOffset,
		QueueOffset:               v.QueueOffset,
		CommitLogOffset:           v.CommitLogOffset,
		StoreTimestamp:            v.StoreTimestamp,
		BodyCRC:                   v.BodyCRC,
	}
}

// DecodeRecord decodes the record at the start of b and returns it with
// the number of bytes it occupies. Body aliases b; Topic and Properties are
// copies. TagsCode is left 0 (it is not part of the record). Errors are
// those of ViewRecord; on error the count is 0. It never panics.
func DecodeRecord(b []byte) (Message, int, error) {
	v, err := ViewRecord(b)
	if err != nil {
		return Message{}, 0, err
	}
	return v.Message(), v.Size, nil
}

// PutBlankMarker writes the end-of-segment marker [int free][int
// MagicBlank] at the start of b (len(b) >= BlankMarkerSize).
func PutBlankMarker(b []byte, free int) {
	magic := MagicBlank
	binary.BigEndian.PutUint32(b, uint32(free))
	binary.BigEndian.PutUint32(b[4:], uint32(magic))
}

// StoreTimestampOffset returns the offset of STORETIMESTAMP inside an
// encoded record with the given sysflag (it moves when the born host is
// IPv6).
func StoreTimestampOffset(sysFlag int32) int {
	if sysFlag&SysFlagBornHostV6 != 0 {
		return recOffBornHost + 20
	}
	return recOffBornHost + 8
}

// PatchRecordOffsets rewrites QUEUEOFFSET, PHYSICALOFFSET and
// STORETIMESTAMP in place in an encoded record. rec must hold at least the
// fixed part of one record produced by AppendRecord.
func PatchRecordOffsets(rec []byte, queueOffset, commitLogOffset, storeTimestamp int64) {
	be := binary.BigEndian
	be.PutUint64(rec[recOffQueueOffset:], uint64(queueOffset))
	be.PutUint64(rec[recOffPhysical:], uint64(commitLogOffset))
	sf := int32(be.Uint32(rec[recOffSysFlag:]))
	be.PutUint64(rec[StoreTimestampOffset(sf):], uint64(storeTimestamp))
}

// OffsetMsgID returns the offset message id of a record: uppercase hex of
// the store host address (4 bytes for IPv4, 16 for IPv6), its port as an
// int and the commit-log offset as a long; 32 or 56 characters.
func OffsetMsgID(storeHost netip.AddrPort, commitLogOffset int64) string {
	var raw [28]byte
	b := appendHost(raw[:0], storeHost)
	b = binary.BigEndian.AppendUint64(b, uint64(commitLogOffset))
	var out [56]byte
	const digits = "0123456789ABCDEF"
	for i, c := range b {
		out[2*i] = digits[c>>4]
		out[2*i+1] = digits[c&0xF]
	}
	return string(out[:2*len(b)])
}

// DecodeOffsetMsgID parses an offset message id (either hex case). The
// length selects IPv4 (32) or IPv6 (56).
func DecodeOffsetMsgID(id string) (netip.AddrPort, int64, error) {
	if len(id) != 32 && len(id) != 56 {
		return netip.AddrPort{}, 0, fmt.Errorf("%w: length %d", ErrBadMsgID, len(id))
	}
	var raw [28]byte
	n, err := hex.Decode(raw[:], []byte(id))
	if err != nil {
		return netip.AddrPort{}, 0, fmt.Errorf("%w: %v", ErrBadMsgID, err)
	}
	ap, pos, _ := readHost(raw[:n], 0, n == 28)
	return ap, int64(binary.BigEndian.Uint64(raw[pos:])), nil
}

// ErrBadBatch means a SEND_BATCH_MESSAGE body is malformed.
var ErrBadBatch = errors.New("codec: bad batch body")

// batchEntryFixed is the size of a batch entry with empty body and
// properties: total, magic, crc, flag, bodyLen (ints) and propLen (short).
const batchEntryFixed = 22

// DecodeBatch walks the body of a SEND_BATCH_MESSAGE request (§4): entries
// [int total][int magic][int crc][int flag][int bodyLen][body][short
// propLen][props] back to back, and calls fn for each. body aliases the
// input. Like Java, the total, magic and crc fields are not checked; each
// entry is measured by its body and properties lengths. A negative or
// overrunning length returns ErrBadBatch (wrapped); an error from fn stops
// the walk and is returned as is. It never panics.
func DecodeBatch(body []byte, fn func(flag int32, body []byte, props string) error) error {
	be := binary.BigEndian
	for pos := 0; pos < len(body); {
		rest := body[pos:]
		if len(rest) < batchEntryFixed {
			return fmt.Errorf("%w: %d trailing bytes at %d", ErrBadBatch, len(rest), pos)
		}
		flag := int32(be.Uint32(rest[12:]))
		bodyLen := int64(int32(be.Uint32(rest[16:])))
		if bodyLen < 0 || bodyLen > int64(len(rest)-batchEntryFixed) {
			return fmt.Errorf("%w: body length %d at %d", ErrBadBatch, bodyLen, pos)
		}
		n := 20 + int(bodyLen)
		msgBody := rest[20:n:n]
		propLen := int(int16(be.Uint16(rest[n:])))
		n += 2
		if propLen < 0 || propLen > len(rest)-n {
			return fmt.Errorf("%w: properties length %d at %d", ErrBadBatch, propLen, pos)
		}
		props := string(rest[n : n+propLen])
		n += propLen
		if err := fn(flag, msgBody, props); err != nil {
			return err
		}
		pos += n
	}
	return nil
}

// AppendBatchEntry appends one SEND_BATCH_MESSAGE entry (magic and crc 0,
// as the clients write them) to dst.
func AppendBatchEntry(dst []byte, flag int32, body []byte, props string) []byte {
	be := binary.BigEndian
	dst = be.AppendUint32(dst, uint32(batchEntryFixed+len(body)+len(props)))
	dst = be.AppendUint32(dst, 0)
	dst = be.AppendUint32(dst, 0)
	dst = be.AppendUint32(dst, uint32(flag))
	dst = be.AppendUint32(dst, uint32(len(body)))
	dst = append(dst, body...)
	dst = be.AppendUint16(dst, uint16(len(props)))
	return append(dst, props...)
}
