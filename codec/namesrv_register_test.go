package codec

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"reflect"
	"testing"
)

// javaCompressed builds a compressed RegisterBrokerBody the way Java's
// RegisterBrokerBody.encode(true) lays it out, section by section.
func javaCompressed(t *testing.T, sections [][]byte, withMapping bool, mappings [][]byte) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zlib.NewWriter(&buf)
	writeInt := func(n int) {
		var b [4]byte
		binary.BigEndian.PutUint32(b[:], uint32(n))
		zw.Write(b[:])
	}
	writeSection := func(b []byte) { writeInt(len(b)); zw.Write(b) }
	writeSection(sections[0]) // data version
	writeInt(len(sections) - 2)
	for _, s := range sections[1 : len(sections)-1] {
		writeSection(s)
	}
	writeSection(sections[len(sections)-1]) // filter servers
	if withMapping {
		writeInt(len(mappings))
		for _, m := range mappings {
			writeSection(m)
		}
	}
	zw.Close()
	return buf.Bytes()
}

func TestDecodeCompressedRegisterBrokerBody(t *testing.T) {
	sections := [][]byte{
		[]byte(`{"counter":7,"stateVersion":1,"timestamp":1700000000000}`),
		[]byte(`TopicA 4 4 6 SINGLE_TAG {"+message.type":"NORMAL"}`),
		[]byte(`TBW102 8 8 7 SINGLE_TAG `),
		[]byte(`["10.0.0.1:7777"]`),
	}
	mapping := []byte(`{"bname":"broker-a","currIdMap":{0:0},"epoch":0,"topic":"S","totalQueues":1}`)
	want := &RegisterBrokerBody{
		FilterServerList: []string{"10.0.0.1:7777"},
		TopicConfigSerializeWrapper: TopicConfigSerializeWrapper{
			DataVersion: DataVersion{Counter: 7, StateVersion: 1, Timestamp: 1700000000000},
			TopicConfigTable: map[string]*TopicConfig{
				"TopicA": {Attributes: map[string]string{"+message.type": "NORMAL"}, Perm: 6, ReadQueueNums: 4, TopicFilterType: "SINGLE_TAG", TopicName: "TopicA", WriteQueueNums: 4},
				"TBW102": {Attributes: map[string]string{}, Perm: 7, ReadQueueNums: 8, TopicFilterType: "SINGLE_TAG", TopicName: "TBW102", WriteQueueNums: 8},
			},
		},
	}

	// A 4.x broker (version 409) sends no mapping section.
	got, err := DecodeCompressedRegisterBrokerBody(javaCompressed(t, sections, false, nil), 409)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("4.x body\n got %+v\nwant %+v", got, want)
	}

	got, err = DecodeCompressedRegisterBrokerBody(javaCompressed(t, sections, true, [][]byte{mapping}), 479)
	if err != nil {
		t.Fatal(err)
	}
	if m := got.TopicConfigSerializeWrapper.TopicQueueMappingInfoMap; len(m) != 1 || string(m["S"]) != `{"bname":"broker-a","currIdMap":{"0":0},"epoch":0,"topic":"S","totalQueues":1}` {
		t.Fatalf("mapping %s", m)
	}

	// Our encoder writes what the decoder (and Java) reads.
	again, err := DecodeCompressedRegisterBrokerBody(EncodeCompressedRegisterBrokerBody(want, 409), 409)
	if err != nil || !reflect.DeepEqual(again, want) {
		t.Fatalf("round trip %+v %v", again, err)
	}

	for name, data := range map[string][]byte{
		"not zlib":  []byte("nope"),
		"truncated": javaCompressed(t, sections, false, nil)[:20],
		"bad topic": javaCompressed(t, [][]byte{sections[0], []byte("T 1 x 6 SINGLE_TAG"), sections[3]}, false, nil),
	} {
		if _, err := DecodeCompressedRegisterBrokerBody(data, 409); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

func TestTopicConfigText(t *testing.T) {
	tc := &TopicConfig{TopicName: "T", ReadQueueNums: 8, WriteQueueNums: 4, Perm: 6, TopicFilterType: "SINGLE_TAG", Attributes: map[string]string{}}
	if got := tc.Text(); got != "T 8 4 6 SINGLE_TAG {}" {
		t.Fatalf("text %q", got)
	}
	if _, err := ParseTopicConfigText("T 8 4 6"); err == nil {
		t.Fatal("short text accepted")
	}
}
