package codec

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
)

// Compressed RegisterBrokerBody (REGISTER_BROKER with compressed=true;
// Java's RegisterBrokerBody.encode(true), broker option compressedRegister).
// The whole body is one zlib stream (java.util.zip.Deflater) of:
//
//	int32 len | DataVersion JSON
//	int32 topicCount
//	topicCount × (int32 len | TopicConfig text)
//	int32 len | filterServerList JSON array
//	int32 n | n × (int32 len | TopicQueueMappingInfo JSON)   -- brokers ≥ V5_0_0 only
//
// TopicConfig text is Java's TopicConfig.encode: space-separated
// "topicName readQueueNums writeQueueNums perm topicFilterType [attributesJSON]";
// topicSysFlag and order do not travel in this form.

// versionV5_0_0 is MQVersion V5_0_0: from it on, the compressed body ends
// with the static-topic mapping section.
const versionV5_0_0 = 413

// maxCompressedSection bounds one length-prefixed section, as a guard
// against corrupt lengths (frames are at most 16 MiB anyway).
const maxCompressedSection = 64 << 20

// DecodeCompressedRegisterBrokerBody decodes the compressed form sent by a
// broker whose request version is brokerVersion.
func DecodeCompressedRegisterBrokerBody(data []byte, brokerVersion int32) (*RegisterBrokerBody, error) {
	zr, err := zlib.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("compressed register body: %w", err)
	}
	defer zr.Close()
	r := &sectionReader{r: zr}
	body := &RegisterBrokerBody{
		FilterServerList: []string{},
		TopicConfigSerializeWrapper: TopicConfigSerializeWrapper{
			TopicConfigTable: map[string]*TopicConfig{},
		},
	}
	w := &body.TopicConfigSerializeWrapper
	if err := json.Unmarshal(r.section(), &w.DataVersion); r.err == nil && err != nil {
		return nil, fmt.Errorf("compressed register body: data version: %w", err)
	}
	n := r.int32()
	for i := int32(0); i < n && r.err == nil; i++ {
		text := r.section()
		if r.err != nil {
			break
		}
		tc, err := ParseTopicConfigText(string(text))
		if err != nil {
			return nil, fmt.Errorf("compressed register body: %w", err)
		}
		w.TopicConfigTable[tc.TopicName] = tc
	}
	if fs := r.section(); r.err == nil {
		// Java ignores a filter-server list it cannot parse.
		_ = json.Unmarshal(fs, &body.FilterServerList)
	}
	if brokerVersion >= versionV5_0_0 && r.err == nil {
		n := r.int32()
		for i := int32(0); i < n && r.err == nil; i++ {
			raw := r.section()
			var head struct {
				Topic string `json:"topic"`
			}
			if err := json.Unmarshal(QuoteNumericKeys(raw), &head); r.err == nil && err != nil {
				return nil, fmt.Errorf("compressed register body: mapping info: %w", err)
			}
			if w.TopicQueueMappingInfoMap == nil {
				w.TopicQueueMappingInfoMap = map[string]json.RawMessage{}
			}
			w.TopicQueueMappingInfoMap[head.Topic] = json.RawMessage(QuoteNumericKeys(raw))
		}
	}
	if r.err != nil {
		return nil, fmt.Errorf("compressed register body: %w", r.err)
	}
	return body, nil
}

// EncodeCompressedRegisterBrokerBody writes the compressed form, topics in
// name order, with the mapping section when brokerVersion ≥ V5_0_0.
func EncodeCompressedRegisterBrokerBody(body *RegisterBrokerBody, brokerVersion int32) []byte {
	var buf bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&buf, zlib.BestCompression)
	var n [4]byte
	put := func(b []byte) {
		binary.BigEndian.PutUint32(n[:], uint32(len(b)))
		zw.Write(n[:])
		zw.Write(b)
	}
	w := &body.TopicConfigSerializeWrapper
	put(Encode(w.DataVersion))
	names := make([]string, 0, len(w.TopicConfigTable))
	for name, tc := range w.TopicConfigTable {
		if tc != nil {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	binary.BigEndian.PutUint32(n[:], uint32(len(names)))
	zw.Write(n[:])
	for _, name := range names {
		put([]byte(w.TopicConfigTable[name].Text()))
	}
	fs := body.FilterServerList
	if fs == nil {
		fs = []string{}
	}
	put(Encode(fs))
	if brokerVersion >= versionV5_0_0 {
		topics := slices.Sorted(maps.Keys(w.TopicQueueMappingInfoMap))
		binary.BigEndian.PutUint32(n[:], uint32(len(topics)))
		zw.Write(n[:])
		for _, t := range topics {
			put(w.TopicQueueMappingInfoMap[t])
		}
	}
	zw.Close()
	return buf.Bytes()
}

// Text renders tc as Java's TopicConfig.encode does.
func (tc *TopicConfig) Text() string {
	var b strings.Builder
	b.WriteString(tc.TopicName)
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(tc.ReadQueueNums))
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(tc.WriteQueueNums))
	b.WriteByte(' ')
	b.WriteString(strconv.Itoa(tc.Perm))
	b.WriteByte(' ')
	ft := tc.TopicFilterType
	if ft == "" {
		ft = "SINGLE_TAG"
	}
	b.WriteString(ft)
	b.WriteByte(' ')
	if tc.Attributes != nil {
		b.Write(Encode(tc.Attributes))
	}
	return b.String()
}

// ParseTopicConfigText parses Java's TopicConfig.encode text. Attributes
// that do not parse are dropped, as Java drops them.
func ParseTopicConfigText(s string) (*TopicConfig, error) {
	parts := strings.Split(s, " ")
	for len(parts) > 0 && parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1] // String.split drops trailing empties
	}
	if len(parts) < 5 {
		return nil, fmt.Errorf("topic config %q: want at least 5 fields", s)
	}
	tc := &TopicConfig{TopicName: parts[0], TopicFilterType: parts[4], Attributes: map[string]string{}}
	var err error
	atoi := func(v string) int {
		n, e := strconv.Atoi(v)
		if e != nil && err == nil {
			err = fmt.Errorf("topic config %q: %q is not a number", s, v)
		}
		return n
	}
	tc.ReadQueueNums = atoi(parts[1])
	tc.WriteQueueNums = atoi(parts[2])
	tc.Perm = atoi(parts[3])
	if err != nil {
		return nil, err
	}
	if tc.TopicFilterType != "SINGLE_TAG" && tc.TopicFilterType != "MULTI_TAG" {
		return nil, fmt.Errorf("topic config %q: unknown topic filter type %q", s, tc.TopicFilterType)
	}
	if len(parts) >= 6 {
		_ = json.Unmarshal([]byte(parts[5]), &tc.Attributes)
	}
	return tc, nil
}

// sectionReader reads big-endian int32 and length-prefixed sections with a
// sticky error.
type sectionReader struct {
	r   io.Reader
	err error
}

func (s *sectionReader) int32() int32 {
	if s.err != nil {
		return 0
	}
	var b [4]byte
	if _, err := io.ReadFull(s.r, b[:]); err != nil {
		s.err = err
		return 0
	}
	return int32(binary.BigEndian.Uint32(b[:]))
}

func (s *sectionReader) section() []byte {
	n := s.int32()
	if s.err != nil {
		return nil
	}
	if n < 0 || n > maxCompressedSection {
		s.err = errors.New("bad section length " + strconv.Itoa(int(n)))
		return nil
	}
	b := make([]byte, n)
	if _, err := io.ReadFull(s.r, b); err != nil {
		s.err = err
		return nil
	}
	return b
}
