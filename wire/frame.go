package wire

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/booster-mq/booster/compat"
)

// Frame limits.
const (
	// MaxFrameSize is Java's frameMaxLength: the largest frame, length
	// prefix included.
	MaxFrameSize = 16 * 1024 * 1024
	// minFrameLen is the smallest legal totalLength (header meta only).
	minFrameLen = 4
)

// Errors returned by the frame decoder.
var (
	ErrFrameTooLarge   = errors.New("wire: frame length exceeds 16 MiB")
	ErrFrameTooSmall   = errors.New("wire: frame length too small")
	ErrHeaderLength    = errors.New("wire: header length exceeds frame")
	ErrSerializeType   = errors.New("wire: unknown serialize type")
	ErrMalformedHeader = errors.New("wire: malformed header")
)

// FrameLength inspects the start of buf. It returns the length of the
// whole frame (prefix included) when the 4-byte prefix is present, 0 when
// more bytes are needed, or an error naming what is wrong with the prefix.
// It checks the envelope before anything is buffered.
func FrameLength(buf []byte) (int, error) {
	if len(buf) < 4 {
		return 0, nil
	}
	total := int64(int32(binary.BigEndian.Uint32(buf)))
	if total < minFrameLen {
		return 0, fmt.Errorf("%w: %d%s", ErrFrameTooSmall, total, sniff(buf))
	}
	if total+4 > MaxFrameSize {
		return 0, fmt.Errorf("%w: %d%s", ErrFrameTooLarge, total, sniff(buf))
	}
	if len(buf) >= 8 {
		meta := binary.BigEndian.Uint32(buf[4:])
		if t := meta >> 24; t > 1 {
			return 0, fmt.Errorf("%w %d%s", ErrSerializeType, t, sniff(buf))
		}
		if int64(meta&0xFFFFFF) > total-4 {
			return 0, fmt.Errorf("%w: header %d, frame %d", ErrHeaderLength, meta&0xFFFFFF, total)
		}
	}
	return int(total) + 4, nil
}

// sniff names well-known foreign protocols in a bad prefix, for logs.
func sniff(buf []byte) string {
	if len(buf) >= 4 {
		switch string(buf[:4]) {
		case "GET ", "POST", "PUT ", "HEAD", "HTTP", "OPTI", "DELE":
			return " (looks like HTTP)"
		case "PRI ":
			return " (looks like HTTP/2 or gRPC)"
		}
		if buf[0] == 0x16 && buf[1] == 0x03 {
			return " (looks like a TLS handshake)"
		}
	}
	return ""
}

// Decode parses one whole frame (length prefix included) into c. The body
// and all strings are copied out of frame unless aliasBody is set, in which
// case c.Body aliases frame.
func Decode(frame []byte, c *Command, aliasBody bool) error {
	if len(frame) < 8 {
		return ErrFrameTooSmall
	}
	total := int(binary.BigEndian.Uint32(frame))
	if total+4 != len(frame) {
		return fmt.Errorf("%w: prefix %d, have %d", ErrMalformedHeader, total, len(frame)-4)
	}
	meta := binary.BigEndian.Uint32(frame[4:])
	hlen := int(meta & 0xFFFFFF)
	if hlen > total-4 {
		return ErrHeaderLength
	}
	header := frame[8 : 8+hlen]
	c.Serialize = SerializeType(meta >> 24)
	var err error
	switch c.Serialize {
	case JSON:
		err = decodeJSONHeader(header, c)
	case RocketMQ:
		err = decodeBinaryHeader(header, c)
	default:
		return ErrSerializeType
	}
	if err != nil {
		return err
	}
	body := frame[8+hlen:]
	switch {
	case len(body) == 0:
		c.Body = nil
	case aliasBody:
		c.Body = body
	default:
		c.Body = append([]byte(nil), body...)
	}
	return nil
}

// AppendFrame appends the whole frame of c (length prefix included) to dst
// in c.Serialize.
func (c *Command) AppendFrame(dst []byte) []byte {
	return append(c.AppendHeader(dst, len(c.Body)), c.Body...)
}

// AppendHeader appends the frame of c without its body, with the length
// prefix already counting bodyLen bytes; the caller writes the body next
// (vectored writes of store memory).
func (c *Command) AppendHeader(dst []byte, bodyLen int) []byte {
	start := len(dst)
	dst = append(dst, 0, 0, 0, 0, 0, 0, 0, 0)
	if c.Serialize == RocketMQ {
		dst = c.appendBinaryHeader(dst)
	} else {
		dst = c.appendJSONHeader(dst)
	}
	hlen := len(dst) - start - 8
	binary.BigEndian.PutUint32(dst[start:], uint32(4+hlen+bodyLen))
	binary.BigEndian.PutUint32(dst[start+4:], uint32(c.Serialize)<<24|uint32(hlen))
	return dst
}

func (c *Command) appendBinaryHeader(dst []byte) []byte {
	dst = binary.BigEndian.AppendUint16(dst, uint16(c.Code))
	dst = append(dst, c.Language)
	dst = binary.BigEndian.AppendUint16(dst, uint16(c.Version))
	dst = binary.BigEndian.AppendUint32(dst, uint32(c.Opaque))
	dst = binary.BigEndian.AppendUint32(dst, uint32(c.Flag))
	dst = binary.BigEndian.AppendUint32(dst, uint32(len(c.Remark)))
	dst = append(dst, c.Remark...)
	lenAt := len(dst)
	dst = append(dst, 0, 0, 0, 0)
	for _, f := range c.Ext {
		dst = binary.BigEndian.AppendUint16(dst, uint16(len(f.Key)))
		dst = append(dst, f.Key...)
		dst = binary.BigEndian.AppendUint32(dst, uint32(len(f.Value)))
		dst = append(dst, f.Value...)
	}
	binary.BigEndian.PutUint32(dst[lenAt:], uint32(len(dst)-lenAt-4))
	return dst
}

func decodeBinaryHeader(h []byte, c *Command) error {
	if len(h) < 21 {
		return fmt.Errorf("%w: binary header of %d bytes", ErrMalformedHeader, len(h))
	}
	c.Code = int32(int16(binary.BigEndian.Uint16(h)))
	c.Language = h[2]
	c.Version = int32(int16(binary.BigEndian.Uint16(h[3:])))
	c.Opaque = int32(binary.BigEndian.Uint32(h[5:]))
	c.Flag = int32(binary.BigEndian.Uint32(h[9:]))
	rlen := int(binary.BigEndian.Uint32(h[13:]))
	p := 17
	if rlen < 0 || rlen > len(h)-p-4 {
		return fmt.Errorf("%w: remark length %d", ErrMalformedHeader, rlen)
	}
	// One copy of the header holds the remark and every key and value.
	hs := string(h)
	c.Remark = hs[p : p+rlen]
	p += rlen
	elen := int(binary.BigEndian.Uint32(h[p:]))
	p += 4
	if elen < 0 || elen > len(h)-p {
		return fmt.Errorf("%w: ext length %d", ErrMalformedHeader, elen)
	}
	ext := h[p : p+elen]
	c.Ext = c.Ext[:0]
	if cap(c.Ext) == 0 && elen > 0 {
		c.Ext = make(Fields, 0, extFieldsCap)
	}
	at := p // where ext starts in h and hs
	for len(ext) > 0 {
		if len(ext) < 2 {
			return fmt.Errorf("%w: truncated ext key", ErrMalformedHeader)
		}
		kl := int(binary.BigEndian.Uint16(ext))
		if kl > len(ext)-2-4 {
			return fmt.Errorf("%w: ext key length %d", ErrMalformedHeader, kl)
		}
		key := hs[at+2 : at+2+kl]
		ext = ext[2+kl:]
		at += 2 + kl
		vl := int(binary.BigEndian.Uint32(ext))
		if vl < 0 || vl > len(ext)-4 {
			return fmt.Errorf("%w: ext value length %d", ErrMalformedHeader, vl)
		}
		c.Ext = append(c.Ext, Field{key, hs[at+4 : at+4+vl]})
		ext = ext[4+vl:]
		at += 4 + vl
	}
	return nil
}

// languageName is the JSON name of a language code.
func languageName(code byte) string { return compat.LanguageName(code) }
