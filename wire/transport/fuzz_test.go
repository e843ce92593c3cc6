package transport

import (
	"bytes"
	"testing"

	"github.com/booster-mq/booster/wire"
)

// FuzzSplitFrames feeds a TLS connection's decrypted stream to splitFrames
// in chunks cut at fuzzer-chosen points, the way serveTLS does, and checks
// that it never emits past its input, emits the same frames as one pass
// over the whole stream, and stops at the same error.
func FuzzSplitFrames(f *testing.F) {
	req := wire.NewRequest(wire.SendMessage, wire.Field{Key: "topic", Value: "T"})
	req.Body = []byte("hello")
	one := req.AppendFrame(nil)
	f.Add(one, uint16(3))
	f.Add(append(append([]byte{}, one...), one...), uint16(len(one)+1))
	f.Add([]byte{0, 0, 0, 1, 0}, uint16(1))
	f.Add([]byte{0x16, 3, 1, 0, 5}, uint16(2))
	f.Fuzz(func(t *testing.T, data []byte, cut uint16) {
		whole, wholeErr := collect(data, len(data)+1)
		step := int(cut)%64 + 1
		chunked, chunkErr := collect(data, step)
		if (wholeErr == nil) != (chunkErr == nil) {
			t.Fatalf("whole error %v, chunked error %v", wholeErr, chunkErr)
		}
		if len(whole) != len(chunked) {
			t.Fatalf("whole: %d frames, chunked: %d", len(whole), len(chunked))
		}
		for i := range whole {
			if !bytes.Equal(whole[i], chunked[i]) {
				t.Fatalf("frame %d differs", i)
			}
		}
	})
}

// collect runs splitFrames over data arriving step bytes at a time.
func collect(data []byte, step int) ([][]byte, error) {
	var frames [][]byte
	var buf []byte
	for off := 0; off < len(data); off += step {
		buf = append(buf, data[off:min(off+step, len(data))]...)
		used, want, err := splitFrames(buf, func(frame []byte) error {
			if len(frame) > len(buf) {
				panic("BUG: frame past the buffer")
			}
			frames = append(frames, append([]byte{}, frame...))
			return nil
		})
		if err != nil {
			return frames, err
		}
		if used > len(buf) || want < 0 || (want > 0 && want <= len(buf)-used) {
			panic("BUG: used or want out of range")
		}
		buf = buf[used:]
	}
	return frames, nil
}
