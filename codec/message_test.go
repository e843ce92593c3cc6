package codec

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"net/netip"
	"reflect"
	"strings"
	"testing"
)

// goldenRecordHex is a V1 record written out field by field from the layout
// in messages-and-store.md §1.1, not produced by our encoder:
// topic "T", body "hi", properties "a\x01b\x02", IPv4 hosts, so
// TOTALSIZE = 91 + 2 + 1 + 4 = 98 = 0x62. BODYCRC is crc32("hi") =
// 0xD8932AAC with the sign bit cleared (checked with Python's zlib.crc32).
const goldenRecordHex = "" +
	"00000062" + // TOTALSIZE 98
	"DAA320A7" + // MAGICCODE V1
	"58932AAC" + // BODYCRC
	"00000001" + // QUEUEID 1
	"00000002" + // FLAG 2
	"0000000000000003" + // QUEUEOFFSET 3
	"0000000000000004" + // PHYSICALOFFSET 4
	"00000000" + // SYSFLAG 0
	"0000000000000005" + // BORNTIMESTAMP 5
	"0A000001" + "000004D2" + // BORNHOST 10.0.0.1:1234
	"0000000000000006" + // STORETIMESTAMP 6
	"0A000002" + "00002A9F" + // STOREHOST 10.0.0.2:10911
	"00000007" + // RECONSUMETIMES 7
	"0000000000000008" + // PREPARED TX OFFSET 8
	"00000002" + "6869" + // BODYLEN 2, "hi"
	"01" + "54" + // TOPICLEN 1, "T"
	"0004" + "61016202" // PROPLEN 4, "a\x01b\x02"

func goldenMessage() Message {
	return Message{
		Topic:                     "T",
		QueueID:                   1,
		Flag:                      2,
		Body:                      []byte("hi"),
		Properties:                "a\x01b\x02",
		BornTimestamp:             5,
		BornHost:                  netip.MustParseAddrPort("10.0.0.1:1234"),
		StoreHost:                 netip.MustParseAddrPort("10.0.0.2:10911"),
		ReconsumeTimes:            7,
		PreparedTransactionOffset: 8,
		QueueOffset:               3,
		CommitLogOffset:           4,
		StoreTimestamp:            6,
		BodyCRC:                   0x58932AAC,
	}
}

func TestRecordGolden(t *testing.T) {
	want, err := hex.DecodeString(goldenRecordHex)
	if err != nil {
		t.Fatal(err)
	}
	m := goldenMessage()
	if got := m.RecordSize(); got != len(want) {
		t.Fatalf("RecordSize = %d, want %d", got, len(want))
	}
	got := m.AppendRecord(nil)
	if !bytes.Equal(got, want) {
		t.Fatalf("AppendRecord:\n got %X\nwant %X", got, want)
	}
	dec, n, err := DecodeRecord(want)
	if err != nil || n != len(want) {
		t.Fatalf("DecodeRecord: n=%d err=%v", n, err)
	}
	if !reflect.DeepEqual(dec, m) {
		t.Fatalf("DecodeRecord:\n got %+v\nwant %+v", dec, m)
	}
}

func TestRecordRoundTrip(t *testing.T) {
	v4 := netip.MustParseAddrPort("192.168.1.20:40000")
	v6 := netip.MustParseAddrPort("[2001:db8::1]:10911")
	mapped := netip.MustParseAddrPort("[::ffff:10.1.2.3]:5555")
	long := strings.Repeat("x", 200)
	cases := []struct {
		name      string
		m         Message
		size      int
		magic     int32
		sysIPv6   int32
		wantBorn  netip.AddrPort
		wantStore netip.AddrPort
	}{
		{"ipv4", Message{Topic: "TopicA", Body: []byte("body"), BornHost: v4, StoreHost: v4, SysFlag: SysFlagCompressed}, 91 + 6 + 4, MagicV1, 0, v4, v4},
		{"born v6", Message{Topic: "t", BornHost: v6, StoreHost: v4}, 91 + 1 + 12, MagicV1, SysFlagBornHostV6, v6, v4},
		{"store v6", Message{Topic: "t", BornHost: v4, StoreHost: v6}, 91 + 1 + 12, MagicV1, SysFlagStoreHostV6, v4, v6},
		{"both v6", Message{Topic: "t", BornHost: v6, StoreHost: v6, Properties: "k\x01v\x02"}, 91 + 1 + 24 + 4, MagicV1, 0x30, v6, v6},
		{"mapped written as v4", Message{Topic: "t", BornHost: mapped, StoreHost: mapped, SysFlag: 0x30}, 91 + 1, MagicV1, 0, netip.MustParseAddrPort("10.1.2.3:5555"), netip.MustParseAddrPort("10.1.2.3:5555")},
		{"zero hosts", Message{Topic: "t"}, 92, MagicV1, 0, netip.MustParseAddrPort("0.0.0.0:0"), netip.MustParseAddrPort("0.0.0.0:0")},
		{"topic 127 is V1", Message{Topic: long[:127], BornHost: v4, StoreHost: v4}, 91 + 127, MagicV1, 0, v4, v4},
		{"topic 200 is V2", Message{Topic: long, BornHost: v4, StoreHost: v4, SysFlag: SysFlagCommit}, 91 + 1 + 200, MagicV2, 0, v4, v4},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			c.m.QueueOffset, c.m.CommitLogOffset, c.m.StoreTimestamp = 11, 1<<40, 1700000000000
			if got := c.m.RecordSize(); got != c.size {
				t.Fatalf("RecordSize = %d, want %d", got, c.size)
			}
			prefix := []byte("prefix")
			rec := c.m.AppendRecord(prefix)
			if !bytes.Equal(rec[:6], prefix) {
				t.Fatal("prefix clobbered")
			}
			rec = rec[6:]
			if len(rec) != c.size {
				t.Fatalf("encoded %d bytes, want %d", len(rec), c.size)
			}
			if got := int32(binary.BigEndian.Uint32(rec[4:])); got != c.magic {
				t.Fatalf("magic %X", uint32(got))
			}
			// Trailing bytes must not be consumed.
			dec, n, err := DecodeRecord(append(rec, 0xFF, 0xFF))
			if err != nil || n != c.size {
				t.Fatalf("DecodeRecord n=%d err=%v", n, err)
			}
			if got := dec.SysFlag & 0x30; got != c.sysIPv6 {
				t.Fatalf("IPv6 sysflag bits %#x, want %#x", got, c.sysIPv6)
			}
			want := c.m
			want.SysFlag = c.m.SysFlag&^0x30 | c.sysIPv6
			want.BornHost, want.StoreHost = c.wantBorn, c.wantStore
			want.BodyCRC = BodyCRC(c.m.Body)
			if len(want.Body) == 0 {
				want.Body = dec.Body // empty vs nil
			}
			if !reflect.DeepEqual(dec, want) {
				t.Fatalf("round trip:\n got %+v\nwant %+v", dec, want)
			}
		})
	}
}

func TestDecodeRecordErrors(t *testing.T) {
	m := goldenMessage()
	rec := m.AppendRecord(nil)
	for i := range len(rec) {
		if _, n, err := DecodeRecord(rec[:i]); !errors.Is(err, ErrShortRecord) || n != 0 {
			t.Fatalf("prefix %d: n=%d err=%v", i, n, err)
		}
	}
	blank := make([]byte, 8)
	PutBlankMarker(blank, 1000)
	if hex.EncodeToString(blank) != "000003e8cbd43194" {
		t.Fatalf("blank marker %x", blank)
	}
	if _, _, err := DecodeRecord(blank); !errors.Is(err, ErrBlank) {
		t.Fatalf("blank: %v", err)
	}
	bad := bytes.Clone(rec)
	bad[4] = 0
	if _, _, err := DecodeRecord(bad); !errors.Is(err, ErrBadMagic) {
		t.Fatalf("bad magic: %v", err)
	}
	// TOTALSIZE one too large with an extra byte available: lengths no longer add up.
	bad = append(bytes.Clone(rec), 0)
	binary.BigEndian.PutUint32(bad, uint32(len(rec)+1))
	if _, _, err := DecodeRecord(bad); !errors.Is(err, ErrCorruptRecord) {
		t.Fatalf("size mismatch: %v", err)
	}
	// A body length that runs past the record.
	bad = bytes.Clone(rec)
	binary.BigEndian.PutUint32(bad[84:], 1000)
	if _, _, err := DecodeRecord(bad); !errors.Is(err, ErrCorruptRecord) {
		t.Fatalf("body overrun: %v", err)
	}
	bad = bytes.Clone(rec)
	binary.BigEndian.PutUint32(bad, 12)
	if _, _, err := DecodeRecord(bad); !errors.Is(err, ErrCorruptRecord) {
		t.Fatalf("tiny total: %v", err)
	}
}

func TestPatchRecordOffsets(t *testing.T) {
	for _, born := range []string{"1.2.3.4:5", "[fe80::1]:5"} {
		m := goldenMessage()
		m.BornHost = netip.MustParseAddrPort(born)
		rec := m.AppendRecord(nil)
		PatchRecordOffsets(rec, 77, 1<<33, 1234567)
		dec, _, err := DecodeRecord(rec)
		if err != nil {
			t.Fatal(err)
		}
		if dec.QueueOffset != 77 || dec.CommitLogOffset != 1<<33 || dec.StoreTimestamp != 1234567 {
			t.Fatalf("%s: got %d %d %d", born, dec.QueueOffset, dec.CommitLogOffset, dec.StoreTimestamp)
		}
		if dec.BornTimestamp != m.BornTimestamp || dec.StoreHost != m.StoreHost {
			t.Fatalf("%s: neighbours clobbered", born)
		}
	}
}

func TestOffsetMsgID(t *testing.T) {
	host := netip.MustParseAddrPort("10.0.0.2:10911")
	id := OffsetMsgID(host, 0x1234)
	if want := "0A00000200002A9F0000000000001234"; id != want {
		t.Fatalf("got %s want %s", id, want)
	}
	for _, s := range []string{id, strings.ToLower(id)} {
		h, off, err := DecodeOffsetMsgID(s)
		if err != nil || h != host || off != 0x1234 {
			t.Fatalf("decode %s: %v %d %v", s, h, off, err)
		}
	}
	v6 := netip.MustParseAddrPort("[2001:db8::7]:10911")
	id6 := OffsetMsgID(v6, 1<<40)
	if len(id6) != 56 || id6 != strings.ToUpper(id6) {
		t.Fatalf("v6 id %q", id6)
	}
	if h, off, err := DecodeOffsetMsgID(id6); err != nil || h != v6 || off != 1<<40 {
		t.Fatalf("decode v6: %v %d %v", h, off, err)
	}
	if id := OffsetMsgID(netip.MustParseAddrPort("[::ffff:10.0.0.2]:10911"), 0x1234); len(id) != 32 {
		t.Fatalf("mapped id %q", id)
	}
	for _, bad := range []string{"", "0A000002", strings.Repeat("G", 32), strings.Repeat("0", 33)} {
		if _, _, err := DecodeOffsetMsgID(bad); !errors.Is(err, ErrBadMsgID) {
			t.Fatalf("%q: %v", bad, err)
		}
	}
}

func TestAppendRecordAllocs(t *testing.T) {
	m := benchMessage()
	buf := make([]byte, 0, m.RecordSize())
	if n := testing.AllocsPerRun(100, func() { buf = m.AppendRecord(buf[:0]) }); n != 0 {
		t.Fatalf("AppendRecord allocates %v times", n)
	}
	rec := m.AppendRecord(nil)
	if n := testing.AllocsPerRun(100, func() { PatchRecordOffsets(rec, 1, 2, 3) }); n != 0 {
		t.Fatalf("PatchRecordOffsets allocates %v times", n)
	}
	if n := testing.AllocsPerRun(100, func() { _, _ = ViewRecord(rec) }); n != 0 {
		t.Fatalf("ViewRecord allocates %v times", n)
	}
}

func TestDecodeBatch(t *testing.T) {
	type entry struct {
		flag  int32
		body  string
		props string
	}
	in := []entry{{0, "one", "KEYS\x01k1\x02"}, {7, "", ""}, {-1, strings.Repeat("b", 300), "UNIQ_KEY\x01X\x02"}}
	var body []byte
	for _, e := range in {
		body = AppendBatchEntry(body, e.flag, []byte(e.body), e.props)
	}
	var out []entry
	err := DecodeBatch(body, func(flag int32, b []byte, props string) error {
		out = append(out, entry{flag, string(b), props})
		return nil
	})
	if err != nil || !reflect.DeepEqual(in, out) {
		t.Fatalf("err=%v got %v", err, out)
	}
	// Every strict prefix is malformed.
	for i := 1; i < len(body); i++ {
		if i == len(AppendBatchEntry(nil, 0, []byte("one"), "KEYS\x01k1\x02")) ||
			i == len(AppendBatchEntry(AppendBatchEntry(nil, 0, []byte("one"), "KEYS\x01k1\x02"), 7, nil, "")) {
			continue // entry boundary
		}
		if err := DecodeBatch(body[:i], func(int32, []byte, string) error { return nil }); !errors.Is(err, ErrBadBatch) {
			t.Fatalf("prefix %d: %v", i, err)
		}
	}
	stop := errors.New("stop")
	if err := DecodeBatch(body, func(int32, []byte, string) error { return stop }); err != stop {
		t.Fatalf("callback error: %v", err)
	}
	bad := bytes.Clone(body)
	binary.BigEndian.PutUint32(bad[16:], 0xFFFFFFF0)
	if err := DecodeBatch(bad, func(int32, []byte, string) error { return nil }); !errors.Is(err, ErrBadBatch) {
		t.Fatalf("negative body length: %v", err)
	}
}

// normalized is what decode(encode(m)) must give for a decoded m: the
// encoder unmaps hosts, recomputes the IPv6 sysflag bits and BODYCRC.
func normalized(m Message) Message {
	m.SysFlag = m.EncodeSysFlag()
	m.BornHost = netip.AddrPortFrom(m.BornHost.Addr().Unmap(), m.BornHost.Port())
	m.StoreHost = netip.AddrPortFrom(m.StoreHost.Addr().Unmap(), m.StoreHost.Port())
	m.BodyCRC = BodyCRC(m.Body)
	return m
}

func FuzzDecodeRecord(f *testing.F) {
	g, _ := hex.DecodeString(goldenRecordHex)
	f.Add(g)
	m := goldenMessage()
	m.BornHost = netip.MustParseAddrPort("[2001:db8::1]:1")
	m.Topic = strings.Repeat("t", 130)
	f.Add(m.AppendRecord(nil))
	f.Add([]byte{0, 0, 0, 8, 0xCB, 0xD4, 0x31, 0x94})
	f.Fuzz(func(t *testing.T, b []byte) {
		m, n, err := DecodeRecord(b)
		if err != nil {
			if n != 0 {
				t.Fatalf("n=%d on error", n)
			}
			return
		}
		if n < RecordFixedSize || n > len(b) {
			t.Fatalf("consumed %d of %d", n, len(b))
		}
		enc := m.AppendRecord(nil)
		if len(enc) != m.RecordSize() {
			t.Fatalf("RecordSize %d, encoded %d", m.RecordSize(), len(enc))
		}
		m2, n2, err := DecodeRecord(enc)
		if err != nil || n2 != len(enc) {
			t.Fatalf("re-decode: n=%d err=%v", n2, err)
		}
		if len(m2.Body) == 0 && len(m.Body) == 0 {
			m2.Body = m.Body
		}
		if want := normalized(m); !reflect.DeepEqual(m2, want) {
			t.Fatalf("decode(encode(m)):\n got %+v\nwant %+v", m2, want)
		}
		if enc2 := m2.AppendRecord(nil); !bytes.Equal(enc, enc2) {
			t.Fatal("encoding not stable")
		}
	})
}

func FuzzDecodeBatch(f *testing.F) {
	f.Add(AppendBatchEntry(AppendBatchEntry(nil, 1, []byte("a"), "K\x01V\x02"), 2, nil, ""))
	f.Add([]byte{})
	f.Add(make([]byte, 22))
	f.Fuzz(func(t *testing.T, b []byte) {
		type entry struct {
			flag  int32
			body  string
			props string
		}
		var got []entry
		err := DecodeBatch(b, func(flag int32, body []byte, props string) error {
			got = append(got, entry{flag, string(body), props})
			return nil
		})
		if err != nil {
			if !errors.Is(err, ErrBadBatch) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		var enc []byte
		for _, e := range got {
			enc = AppendBatchEntry(enc, e.flag, []byte(e.body), e.props)
		}
		if len(enc) != len(b) {
			t.Fatalf("re-encoded %d bytes, input %d", len(enc), len(b))
		}
		var again []entry
		if err := DecodeBatch(enc, func(flag int32, body []byte, props string) error {
			again = append(again, entry{flag, string(body), props})
			return nil
		}); err != nil || !reflect.DeepEqual(got, again) {
			t.Fatalf("decode(encode(x)) = %v, %v; want %v", again, err, got)
		}
	})
}

func benchMessage() *Message {
	return &Message{
		Topic:          "BenchmarkTopic",
		QueueID:        3,
		Body:           bytes.Repeat([]byte("x"), 1024),
		Properties:     "KEYS\x01order-1\x02TAGS\x01TagA\x02UNIQ_KEY\x010A0000020000000000000000000000\x02WAIT\x01true\x02",
		BornTimestamp:  1700000000000,
		BornHost:       netip.MustParseAddrPort("10.0.0.1:45678"),
		StoreHost:      netip.MustParseAddrPort("10.0.0.2:10911"),
		StoreTimestamp: 1700000000001,
	}
}

func BenchmarkAppendRecord(b *testing.B) {
	m := benchMessage()
	buf := make([]byte, 0, m.RecordSize())
	b.SetBytes(int64(m.RecordSize()))
	b.ReportAllocs()
	for b.Loop() {
		buf = m.AppendRecord(buf[:0])
	}
}

func BenchmarkDecodeRecord(b *testing.B) {
	rec := benchMessage().AppendRecord(nil)
	b.SetBytes(int64(len(rec)))
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := DecodeRecord(rec); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkViewRecord(b *testing.B) {
	rec := benchMessage().AppendRecord(nil)
	b.SetBytes(int64(len(rec)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := ViewRecord(rec); err != nil {
			b.Fatal(err)
		}
	}
}
