package codec

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/booster-mq/booster/wire"
)

// requiredSend lists the required fields of a send header in v1 and v2 names.
var requiredSend = [][2]string{
	{"producerGroup", "a"}, {"topic", "b"}, {"defaultTopic", "c"}, {"defaultTopicQueueNums", "d"},
	{"queueId", "e"}, {"sysFlag", "f"}, {"bornTimestamp", "g"}, {"flag", "h"},
}

var requiredPull = []string{"consumerGroup", "topic", "queueId", "queueOffset", "maxMsgNums", "sysFlag", "commitOffset", "suspendTimeoutMillis", "subVersion"}

func headerFrame(code wire.RequestCode, kv ...string) []byte {
	c := wire.NewRequest(code)
	for i := 0; i+1 < len(kv); i += 2 {
		c.Ext = append(c.Ext, wire.Field{Key: kv[i], Value: kv[i+1]})
	}
	return c.AppendFrame(nil)
}

func TestExtReaderRejectsOutOfRange(t *testing.T) {
	for _, v := range []string{"4294967297", "2147483648", "NaN", "Inf", "1e40", "x", "-2147483649"} {
		r := NewExtReader(&wire.Command{Ext: wire.Fields{{Key: "queueId", Value: v}}})
		if n := r.Int32("queueId", true); !errors.Is(r.Err(), ErrBadField) {
			t.Errorf("Int32(%q) = %d, %v; want ErrBadField", v, n, r.Err())
		}
	}
	for v, want := range map[string]int64{"3": 3, " -7 ": -7, "3.0": 3, "9223372036854775807": 1<<63 - 1} {
		r := NewExtReader(&wire.Command{Ext: wire.Fields{{Key: "k", Value: v}}})
		if n := r.Int64("k", true); n != want || r.Err() != nil {
			t.Errorf("Int64(%q) = %d, %v; want %d", v, n, r.Err(), want)
		}
	}
}

// FuzzRequestHeaders decodes a whole frame and reads it as each typed
// header (SEND_MESSAGE, SEND_MESSAGE_V2, PULL_MESSAGE): decoding never
// panics, every failure names a missing or bad field, and a success means
// every required field is present and its typed value is what its text
// says.
func FuzzRequestHeaders(f *testing.F) {
	f.Add(headerFrame(wire.SendMessageV2, "a", "pg", "b", "T", "c", "TBW102", "d", "4", "e", "1", "f", "0", "g", "1700000000000", "h", "0", "i", "TAGS\x01a\x02", "j", "0", "k", "false", "m", "false", "n", "broker-a"))
	f.Add(headerFrame(wire.PullMessage, "consumerGroup", "g", "topic", "T", "queueId", "0", "queueOffset", "12", "maxMsgNums", "32", "sysFlag", "6",
		"commitOffset", "0", "suspendTimeoutMillis", "20000", "subscription", "*", "subVersion", "1700000000000", "expressionType", "TAG"))
	f.Add(headerFrame(wire.SendMessage, "producerGroup", "pg", "topic", "T", "queueId", "3.0", "sysFlag", "NaN"))
	f.Fuzz(func(t *testing.T, frame []byte) {
		n, err := wire.FrameLength(frame)
		if err != nil || n == 0 || n > len(frame) {
			return
		}
		var cmd wire.Command
		if wire.Decode(frame[:n], &cmd, true) != nil {
			return
		}
		checkErr := func(what string, err error) bool {
			if err != nil && !errors.Is(err, ErrMissingField) && !errors.Is(err, ErrBadField) {
				t.Fatalf("%s: unexpected error %v", what, err)
			}
			return err == nil
		}
		intOf := func(key string, bits int) int64 {
			v, _ := cmd.Ext.Get(key)
			n, err := strconv.ParseInt(strings.TrimSpace(v), 10, bits)
			if err != nil {
				f, ferr := strconv.ParseFloat(strings.TrimSpace(v), 64)
				if ferr != nil {
					t.Fatalf("accepted %s=%q", key, v)
				}
				n = int64(f)
			}
			return n
		}
		present := func(key string) {
			if v, ok := cmd.Ext.Get(key); !ok || v == "" || v == "null" {
				t.Fatalf("required %s missing but decode succeeded", key)
			}
		}
		for _, code := range []wire.RequestCode{wire.SendMessage, wire.SendMessageV2} {
			cmd.Code = int32(code)
			h, err := DecodeSendMessageRequestHeader(&cmd)
			if !checkErr("send", err) {
				continue
			}
			v2 := 0
			if code == wire.SendMessageV2 {
				v2 = 1
			}
			for _, names := range requiredSend {
				present(names[v2])
			}
			if h.Topic != cmd.ExtValue(requiredSend[1][v2]) || int64(h.QueueID) != intOf(requiredSend[4][v2], 32) ||
				h.BornTimestamp != intOf(requiredSend[6][v2], 64) {
				t.Fatalf("send header %+v does not match %v", h, cmd.Ext)
			}
		}
		cmd.Code = int32(wire.PullMessage)
		h, err := DecodePullMessageRequestHeader(&cmd)
		if !checkErr("pull", err) {
			return
		}
		for _, k := range requiredPull {
			present(k)
		}
		if h.Topic != cmd.ExtValue("topic") || h.ConsumerGroup != cmd.ExtValue("consumerGroup") ||
			int64(h.QueueID) != intOf("queueId", 32) || h.QueueOffset != intOf("queueOffset", 64) {
			t.Fatalf("pull header %+v does not match %v", h, cmd.Ext)
		}
	})
}
