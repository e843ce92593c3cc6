package wire

import (
	"fmt"
	"strconv"
	"unicode/utf8"
	"unsafe"

	"github.com/booster-mq/booster/compat"
)

// appendJSONHeader writes the header the way fastjson writes a
// RemotingCommand: compact, keys in alphabetical order, every ext value a
// JSON string, remark omitted when empty.
func (c *Command) appendJSONHeader(dst []byte) []byte {
	dst = append(dst, `{"code":`...)
	dst = strconv.AppendInt(dst, int64(c.Code), 10)
	if len(c.Ext) > 0 {
		dst = append(dst, `,"extFields":{`...)
		for i, f := range c.Ext {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = AppendJSONString(dst, f.Key)
			dst = append(dst, ':')
			dst = AppendJSONString(dst, f.Value)
		}
		dst = append(dst, '}')
	}
	dst = append(dst, `,"flag":`...)
	dst = strconv.AppendInt(dst, int64(c.Flag), 10)
	dst = append(dst, `,"language":"`...)
	dst = append(dst, languageName(c.Language)...)
	dst = append(dst, `","opaque":`...)
	dst = strconv.AppendInt(dst, int64(c.Opaque), 10)
	if c.Remark != "" {
		dst = append(dst, `,"remark":`...)
		dst = AppendJSONString(dst, c.Remark)
	}
	dst = append(dst, `,"serializeTypeCurrentRPC":"JSON","version":`...)
	dst = strconv.AppendInt(dst, int64(c.Version), 10)
	return append(dst, '}')
}

const hexDigits = "0123456789abcdef"

// AppendJSONString appends s as a JSON string literal.
func AppendJSONString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		b := s[i]
		if b >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			if r == utf8.RuneError && size == 1 {
				dst = append(dst, s[start:i]...)
				dst = append(dst, `\ufffd`...)
				i++
				start = i
				continue
			}
			i += size
			continue
		}
		if b >= 0x20 && b != '"' && b != '\\' {
			i++
			continue
		}
		dst = append(dst, s[start:i]...)
		switch b {
		case '"', '\\':
			dst = append(dst, '\\', b)
		case '\n':
			dst = append(dst, '\\', 'n')
		case '\r':
			dst = append(dst, '\\', 'r')
		case '\t':
			dst = append(dst, '\\', 't')
		default:
			dst = append(dst, '\\', 'u', '0', '0', hexDigits[b>>4], hexDigits[b&0xF])
		}
		i++
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

// scanner is a minimal JSON reader for the fixed RemotingCommand shape.
// src is b copied into one string, made once per header: strings without
// escapes are slices of it, so a header costs one allocation for all its
// keys and values instead of one each.
type scanner struct {
	b   []byte
	src string
	p   int
	err error
}

func (s *scanner) fail(what string) {
	if s.err == nil {
		s.err = fmt.Errorf("%w: %s at byte %d", ErrMalformedHeader, what, s.p)
	}
}

func (s *scanner) ws() {
	for s.p < len(s.b) {
		switch s.b[s.p] {
		case ' ', '\t', '\n', '\r':
			s.p++
		default:
			return
		}
	}
}

func (s *scanner) peek() byte {
	s.ws()
	if s.p >= len(s.b) {
		return 0
	}
	return s.b[s.p]
}

func (s *scanner) expect(c byte) bool {
	if s.peek() != c {
		s.fail("expected " + string(c))
		return false
	}
	s.p++
	return true
}

// str reads a JSON string.
func (s *scanner) str() string {
	if !s.expect('"') {
		return ""
	}
	start := s.p
	for s.p < len(s.b) {
		c := s.b[s.p]
		if c == '"' {
			v := s.src[start:s.p]
			s.p++
			return v
		}
		if c == '\\' {
			return s.escapedStr(start)
		}
		if c < 0x20 {
			s.fail("control character in string")
			return ""
		}
		s.p++
	}
	s.fail("unterminated string")
	return ""
}

func (s *scanner) escapedStr(start int) string {
	// The unescaped text is never longer than what is left of the header.
	out := append(make([]byte, 0, len(s.b)-start), s.b[start:s.p]...)
	for s.p < len(s.b) {
		c := s.b[s.p]
		switch {
		case c == '"':
			s.p++
			// out is not written again: the string may share its bytes.
			return unsafe.String(unsafe.SliceData(out), len(out))
		case c < 0x20:
			s.fail("control character in string")
			return ""
		case c != '\\':
			out = append(out, c)
			s.p++
			continue
		}
		if s.p+1 >= len(s.b) {
			break
		}
		e := s.b[s.p+1]
		s.p += 2
		switch e {
		case '"', '\\', '/':
			out = append(out, e)
		case 'b':
			out = append(out, '\b')
		case 'f':
			out = append(out, '\f')
		case 'n':
			out = append(out, '\n')
		case 'r':
			out = append(out, '\r')
		case 't':
			out = append(out, '\t')
		case 'u':
			r, ok := s.hex4()
			if !ok {
				return ""
			}
			if r >= 0xD800 && r < 0xDC00 && s.p+6 <= len(s.b) && s.b[s.p] == '\\' && s.b[s.p+1] == 'u' {
				s.p += 2
				r2, ok := s.hex4()
				if !ok {
					return ""
				}
				if r2 >= 0xDC00 && r2 < 0xE000 {
					r = (r-0xD800)<<10 | (r2 - 0xDC00) + 0x10000
				} else {
					out = utf8.AppendRune(out, utf8.RuneError)
					r = r2
				}
			}
			if r >= 0xD800 && r < 0xE000 {
				r = utf8.RuneError
			}
			out = utf8.AppendRune(out, r)
		default:
			s.fail("bad escape")
			return ""
		}
	}
	s.fail("unterminated string")
	return ""
}

func (s *scanner) hex4() (rune, bool) {
	if s.p+4 > len(s.b) {
		s.fail("short \\u escape")
		return 0, false
	}
	var r rune
	for _, h := range s.b[s.p : s.p+4] {
		r <<= 4
		switch {
		case h >= '0' && h <= '9':
			r |= rune(h - '0')
		case h >= 'a' && h <= 'f':
			r |= rune(h - 'a' + 10)
		case h >= 'A' && h <= 'F':
			r |= rune(h - 'A' + 10)
		default:
			s.fail("bad \\u escape")
			return 0, false
		}
	}
	s.p += 4
	return r, true
}

// literal reads a number, true, false or null and returns its text.
func (s *scanner) literal() []byte {
	s.ws()
	start := s.p
	for s.p < len(s.b) {
		c := s.b[s.p]
		if c == ',' || c == '}' || c == ']' || c == ' ' || c == '\t' || c == '\n' || c == '\r' {
			break
		}
		s.p++
	}
	lit := s.b[start:s.p]
	if len(lit) == 0 {
		s.fail("expected value")
		return nil
	}
	switch string(lit) {
	case "true", "false", "null":
		return lit
	}
	if _, err := strconv.ParseFloat(string(lit), 64); err != nil {
		s.fail("bad literal")
		return nil
	}
	return lit
}

// literalStr is literal as a string sharing src.
func (s *scanner) literalStr() string {
	s.ws()
	start := s.p
	if s.literal() == nil {
		return ""
	}
	return s.src[start:s.p]
}

// int32v reads a JSON number (or a numeric string) as int32.
func (s *scanner) int32v() int32 {
	var text string
	if s.peek() == '"' {
		text = s.str()
	} else {
		text = s.literalStr()
	}
	if s.err != nil {
		return 0
	}
	if text == "null" {
		return 0
	}
	v, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		f, ferr := strconv.ParseFloat(text, 64)
		if ferr != nil {
			s.fail("bad integer")
			return 0
		}
		v = int64(f)
	}
	return int32(v)
}

// skip skips any JSON value.
func (s *scanner) skip(depth int) {
	if depth > 64 {
		s.fail("nesting too deep")
		return
	}
	switch s.peek() {
	case '"':
		s.str()
	case '{':
		s.p++
		if s.peek() == '}' {
			s.p++
			return
		}
		for s.err == nil {
			s.str()
			s.expect(':')
			s.skip(depth + 1)
			if s.peek() == ',' {
				s.p++
				continue
			}
			s.expect('}')
			return
		}
	case '[':
		s.p++
		if s.peek() == ']' {
			s.p++
			return
		}
		for s.err == nil {
			s.skip(depth + 1)
			if s.peek() == ',' {
				s.p++
				continue
			}
			s.expect(']')
			return
		}
	default:
		s.literal()
	}
}

// decodeJSONHeader reads a RemotingCommand header in any key order, with
// numbers and booleans accepted as ext values (the C++ client sends them).
func decodeJSONHeader(h []byte, c *Command) error {
	s := scanner{b: h, src: string(h)}
	c.Ext = c.Ext[:0]
	c.Remark = ""
	c.Language = 0
	if !s.expect('{') {
		return s.err
	}
	if s.peek() == '}' {
		s.p++
		return nil
	}
	for s.err == nil {
		key := s.str()
		s.expect(':')
		if s.err != nil {
			break
		}
		switch key {
		case "code":
			c.Code = s.int32v()
		case "version":
			c.Version = s.int32v()
		case "opaque":
			c.Opaque = s.int32v()
		case "flag":
			c.Flag = s.int32v()
		case "language":
			if s.peek() == '"' {
				c.Language = compat.LanguageCode(s.str())
				break
			}
			// An ordinal (C++ client); anything else is not a language
			// and leaves the default.
			start := s.p
			s.skip(0)
			if n, err := strconv.Atoi(s.src[start:s.p]); err == nil {
				c.Language = byte(n)
			}
		case "remark":
			if s.peek() == '"' {
				c.Remark = s.str()
			} else {
				s.literal()
			}
		case "extFields":
			s.extFields(c)
		default:
			s.skip(0)
		}
		if s.peek() == ',' {
			s.p++
			continue
		}
		s.expect('}')
		break
	}
	if s.err == nil {
		if s.peek() != 0 {
			s.fail("trailing data")
		}
	}
	return s.err
}

func (s *scanner) extFields(c *Command) {
	switch s.peek() {
	case 'n':
		s.literal()
		return
	case '{':
	default:
		s.fail("extFields is not an object")
		return
	}
	s.p++
	if s.peek() == '}' {
		s.p++
		return
	}
	if cap(c.Ext) == 0 {
		c.Ext = make(Fields, 0, extFieldsCap)
	}
	for s.err == nil {
		k := s.str()
		s.expect(':')
		var v string
		switch s.peek() {
		case '"':
			v = s.str()
		case '{', '[':
			start := s.p
			s.skip(1)
			v = s.src[start:s.p]
		default:
			if v = s.literalStr(); v == "null" {
				v = ""
			}
		}
		if s.err != nil {
			return
		}
		c.Ext = append(c.Ext, Field{k, v})
		if s.peek() == ',' {
			s.p++
			continue
		}
		s.expect('}')
		return
	}
}
