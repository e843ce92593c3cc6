package wire

import (
	"bytes"
	"encoding/json"
	"testing"
)

func sample() *Command {
	return &Command{Code: 310, Language: 9, Version: 317, Opaque: 42, Flag: 0, Remark: "r\"x\n",
		Ext: Fields{{"a", "group"}, {"b", "Topic"}, {"e", "3"}}, Body: []byte("hello")}
}

func TestRoundTrip(t *testing.T) {
	for _, st := range []SerializeType{JSON, RocketMQ} {
		c := sample()
		c.Serialize = st
		frame := c.AppendFrame(nil)
		n, err := FrameLength(frame)
		if err != nil || n != len(frame) {
			t.Fatalf("%v: FrameLength = %d, %v; want %d", st, n, err, len(frame))
		}
		var d Command
		if err := Decode(frame, &d, false); err != nil {
			t.Fatalf("%v: %v", st, err)
		}
		if d.Code != c.Code || d.Opaque != c.Opaque || d.Version != c.Version || d.Remark != c.Remark ||
			d.Language != c.Language || !bytes.Equal(d.Body, c.Body) || len(d.Ext) != 3 || d.ExtValue("b") != "Topic" || d.Serialize != st {
			t.Fatalf("%v: got %+v", st, d)
		}
	}
}

// The header shapes real clients send (remoting.md §2.2).
func TestDecodeClientHeaders(t *testing.T) {
	headers := []string{
		`{"code":105,"extFields":{"topic":"T"},"flag":0,"language":"JAVA","opaque":3,"serializeTypeCurrentRPC":"JSON","version":479}`,
		`{"code":105,"language":"GO","version":317,"opaque":3,"flag":0,"remark":"","extFields":{"topic":"T"}}`,
		"{\"code\":105,\"extFields\":{\"AccessKey\":\"\",\"OnsChannel\":\"\",\"Signature\":\"\",\"topic\":\"T\",\"queueId\":0,\"x\":false},\"flag\":0,\"language\":\"CPP\",\"opaque\":3,\"remark\":\"\",\"version\":333}\n",
	}
	for _, h := range headers {
		frame := rawFrame(0, []byte(h), nil)
		var c Command
		if err := Decode(frame, &c, false); err != nil {
			t.Fatalf("%s: %v", h, err)
		}
		if c.Code != 105 || c.Opaque != 3 || c.ExtValue("topic") != "T" {
			t.Fatalf("%s: got %+v", h, c)
		}
	}
	var c Command
	if err := Decode(rawFrame(0, []byte(headers[2]), nil), &c, false); err != nil || c.ExtValue("queueId") != "0" || c.ExtValue("x") != "false" || c.Language != 1 {
		t.Fatalf("C++ coercion: %+v %v", c, err)
	}
}

// Every JSON header we write is standard JSON with string ext values, as the
// Go client's map[string]string decoding needs.
func TestJSONHeaderIsStandard(t *testing.T) {
	c := sample()
	c.Ext = append(c.Ext, Field{"weird", "\x01\x02\"\\ü\xff"})
	frame := c.AppendFrame(nil)
	hlen := int(frame[5])<<16 | int(frame[6])<<8 | int(frame[7])
	var m struct {
		Code      int16             `json:"code"`
		ExtFields map[string]string `json:"extFields"`
		Remark    string            `json:"remark"`
		Language  string            `json:"language"`
	}
	if err := json.Unmarshal(frame[8:8+hlen], &m); err != nil {
		t.Fatal(err)
	}
	if m.ExtFields["weird"] != "\x01\x02\"\\ü\ufffd" || m.Remark != c.Remark || m.Language != "GO" {
		t.Fatalf("%+v", m)
	}
}

func TestFrameLengthRejects(t *testing.T) {
	cases := map[string][]byte{
		"negative":  {0x80, 0, 0, 0},
		"too small": {0, 0, 0, 3},
		"too large": {0x01, 0x00, 0x00, 0x00},
		"sertype":   {0, 0, 0, 10, 5, 0, 0, 1},
		"header":    {0, 0, 0, 10, 0, 0, 0, 99},
		"http":      []byte("GET / HTTP/1.1\r\n"),
	}
	for name, b := range cases {
		if _, err := FrameLength(b); err == nil {
			t.Errorf("%s: accepted", name)
		}
	}
}

func rawFrame(st byte, header, body []byte) []byte {
	total := 4 + len(header) + len(body)
	f := []byte{byte(total >> 24), byte(total >> 16), byte(total >> 8), byte(total), st, byte(len(header) >> 16), byte(len(header) >> 8), byte(len(header))}
	f = append(f, header...)
	return append(f, body...)
}

func FuzzDecode(f *testing.F) {
	for _, st := range []SerializeType{JSON, RocketMQ} {
		c := sample()
		c.Serialize = st
		f.Add(c.AppendFrame(nil), 3)
	}
	f.Add(rawFrame(0, []byte(`{"code":1,"extFields":{"k":[1,{"a":"\u00e9\ud83d\ude00"}]}}`), nil), 1)
	f.Fuzz(func(t *testing.T, data []byte, split int) {
		n, err := FrameLength(data)
		if err != nil || n == 0 || n > len(data) {
			return
		}
		// A frame split at any point must give the same length once whole.
		if split > 0 && split < n {
			if m, err := FrameLength(data[:split]); err == nil && m != 0 && m != n {
				t.Fatalf("prefix says %d, whole says %d", m, n)
			}
		}
		var c Command
		if err := Decode(data[:n], &c, false); err != nil {
			return
		}
		// Re-encoding what we decoded must decode to the same command.
		again := c.AppendFrame(nil)
		var d Command
		if err := Decode(again, &d, false); err != nil {
			t.Fatalf("re-decode: %v", err)
		}
		if d.Code != c.Code && c.Serialize == JSON && int32(int16(c.Code)) == c.Code {
			t.Fatalf("code %d != %d", d.Code, c.Code)
		}
		// JSON writes U+FFFD for bytes that are not UTF-8; ROCKETMQ keeps them.
		remark := c.Remark
		if c.Serialize == JSON {
			remark = validUTF8(remark)
		}
		if d.Opaque != c.Opaque || d.Remark != remark || len(d.Ext) != len(c.Ext) || !bytes.Equal(d.Body, c.Body) {
			t.Fatalf("unstable: %+v vs %+v", c, d)
		}
	})
}

func BenchmarkDecodeJSON(b *testing.B) {
	frame := sample().AppendFrame(nil)
	b.ReportAllocs()
	b.SetBytes(int64(len(frame)))
	var c Command
	for i := 0; i < b.N; i++ {
		if err := Decode(frame, &c, true); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkEncodeJSON(b *testing.B) {
	c := sample()
	buf := make([]byte, 0, 512)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		buf = c.AppendFrame(buf[:0])
	}
}

func TestEncodeAllocs(t *testing.T) {
	c := sample()
	buf := make([]byte, 0, 512)
	if n := testing.AllocsPerRun(100, func() { buf = c.AppendFrame(buf[:0]) }); n != 0 {
		t.Fatalf("AppendFrame allocates %v times", n)
	}
}

// FuzzBinaryHeader feeds the ROCKETMQ binary header reader on its own: it
// must never panic or read past the header, and a header it accepts
// re-encodes to exactly the bytes it read (the reader ignores bytes after
// the ext map, as Java's RocketMQSerializable does).
func FuzzBinaryHeader(f *testing.F) {
	c := sample()
	c.Serialize = RocketMQ
	f.Add(c.appendBinaryHeader(nil))
	c.Remark, c.Ext = "", nil
	f.Add(c.appendBinaryHeader(nil))
	f.Add(make([]byte, 21))
	f.Fuzz(func(t *testing.T, h []byte) {
		var c Command
		if err := decodeBinaryHeader(h, &c); err != nil {
			return
		}
		c.Language = h[2]
		enc := c.appendBinaryHeader(nil)
		if len(enc) > len(h) || !bytes.Equal(enc, h[:len(enc)]) {
			t.Fatalf("re-encoded\n%x\nread\n%x", enc, h)
		}
	})
}

// Java's RocketMQSerializable reads the ext map into a HashMap: a key sent
// twice keeps its last value.
func TestBinaryHeaderDuplicateExtLastWins(t *testing.T) {
	c := &Command{Code: 10, Serialize: RocketMQ, Ext: Fields{{"topic", "a"}, {"topic", "b"}}}
	var d Command
	if err := Decode(c.AppendFrame(nil), &d, false); err != nil {
		t.Fatal(err)
	}
	if v := d.ExtValue("topic"); v != "b" {
		t.Fatalf("got %q, want b", v)
	}
}
