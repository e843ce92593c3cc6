package command

// Java's fastjson on both sides of mqadmin: bodies from a Java broker or
// NameServer use keys standard JSON does not allow (remoting.md §5.1:
// bare numbers for Map<Long,…>, whole objects for Map<MessageQueue,…>),
// and topicRoute prints a route the way fastjson's pretty format does.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

// normalizeFastJSON rewrites fastjson's non-string object keys as JSON
// strings holding their text: {0:"a"} becomes {"0":"a"} and
// {{"brokerName":"b","queueId":0,"topic":"t"}:1} becomes
// {"{\"brokerName\":\"b\",\"queueId\":0,\"topic\":\"t\"}":1}, so that
// encoding/json can read the body. Raw control characters inside strings
// (which fastjson accepts) are escaped. Standard JSON passes unchanged.
func normalizeFastJSON(b []byte) []byte {
	type frame struct{ object, wantKey bool }
	var stack []frame
	out := make([]byte, 0, len(b)+16)
	top := func() *frame {
		if len(stack) == 0 {
			return nil
		}
		return &stack[len(stack)-1]
	}
	for i := 0; i < len(b); i++ {
		c := b[i]
		f := top()
		atKey := f != nil && f.object && f.wantKey
		switch {
		case c == '"':
			end := skipString(b, i)
			out = appendEscapedControls(out, b[i:end])
			i = end - 1
			if atKey {
				f.wantKey = false
			}
		case atKey && (c == '{' || c == '[' || c == '-' || c >= '0' && c <= '9'):
			end := skipValue(b, i)
			key, _ := json.Marshal(string(b[i:end]))
			out = append(out, key...)
			i = end - 1
			f.wantKey = false
		case c == '{' || c == '[':
			stack = append(stack, frame{object: c == '{', wantKey: c == '{'})
			out = append(out, c)
		case c == '}' || c == ']':
			if len(stack) > 0 {
				stack = stack[:len(stack)-1]
			}
			out = append(out, c)
		case c == ',':
			if f != nil && f.object {
				f.wantKey = true
			}
			out = append(out, c)
		default:
			out = append(out, c)
		}
	}
	return out
}

// appendEscapedControls appends a JSON string's text with raw control
// characters escaped: fastjson reads them, and the Go client writes its
// goroutine dump (ConsumerRunningInfo.jstack) unescaped.
func appendEscapedControls(out, str []byte) []byte {
	for _, c := range str {
		switch {
		case c >= 0x20:
			out = append(out, c)
		case c == '\n':
			out = append(out, `\n`...)
		case c == '\t':
			out = append(out, `\t`...)
		case c == '\r':
			out = append(out, `\r`...)
		default:
			out = append(out, `\u00`...)
			out = append(out, "0123456789abcdef"[c>>4], "0123456789abcdef"[c&0xf])
		}
	}
	return out
}

// skipString returns the index just past the JSON string starting at b[i].
func skipString(b []byte, i int) int {
	for j := i + 1; j < len(b); j++ {
		switch b[j] {
		case '\\':
			j++
		case '"':
			return j + 1
		}
	}
	return len(b)
}

// skipValue returns the index just past the key value starting at b[i]:
// a balanced object or array, or a number.
func skipValue(b []byte, i int) int {
	if b[i] != '{' && b[i] != '[' {
		j := i
		for j < len(b) && (b[j] == '-' || b[j] == '+' || b[j] == '.' || b[j] == 'e' || b[j] == 'E' || b[j] >= '0' && b[j] <= '9') {
			j++
		}
		return j
	}
	depth := 0
	for j := i; j < len(b); j++ {
		switch b[j] {
		case '"':
			j = skipString(b, j) - 1
		case '{', '[':
			depth++
		case '}', ']':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return len(b)
}

// fastjsonPretty renders standard JSON (as encoding/json writes a codec
// type, fields in fastjson's alphabetical order) the way Java's
// JSON.toJSONString(obj, true) does: tab indentation, no space after ':',
// a line per field and array element, "[]" and "{}" when empty. Objects
// under a key in longKeyed are Java Map<Long,…>: their keys print bare and
// their entries stay on one line, as fastjson's MapSerializer writes
// non-string keys.
func fastjsonPretty(data []byte, longKeyed map[string]bool) (string, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	type frame struct {
		array, longKeys, wantKey bool
		n                        int
	}
	var (
		sb     strings.Builder
		stack  []frame
		indent int
		key    string
	)
	newline := func() {
		sb.WriteByte('\n')
		for i := 0; i < indent; i++ {
			sb.WriteByte('\t')
		}
	}
	// beforeValue writes what precedes a value inside an array.
	beforeValue := func() {
		if n := len(stack); n > 0 && stack[n-1].array {
			if stack[n-1].n > 0 {
				sb.WriteByte(',')
			}
			newline()
			stack[n-1].n++
		}
	}
	afterValue := func() {
		if n := len(stack); n > 0 && !stack[n-1].array {
			stack[n-1].wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", err
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				long := len(stack) > 0 && !stack[len(stack)-1].array && longKeyed[key]
				beforeValue()
				sb.WriteByte(byte(t))
				indent++
				stack = append(stack, frame{array: t == '[', longKeys: long, wantKey: t == '{'})
			default:
				f := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				indent--
				if f.n > 0 {
					newline()
				}
				sb.WriteByte(byte(t))
				afterValue()
			}
		case string:
			if n := len(stack); n > 0 && !stack[n-1].array && stack[n-1].wantKey {
				f := &stack[n-1]
				if f.n > 0 {
					sb.WriteByte(',')
				}
				if f.longKeys {
					sb.WriteString(t)
				} else {
					newline()
					writeJSONString(&sb, t)
				}
				sb.WriteByte(':')
				f.n++
				f.wantKey = false
				key = t
				continue
			}
			beforeValue()
			writeJSONString(&sb, t)
			afterValue()
		case nil:
			beforeValue()
			sb.WriteString("null")
			afterValue()
		default: // json.Number, bool
			beforeValue()
			b, _ := json.Marshal(t)
			sb.Write(b)
			afterValue()
		}
	}
	return sb.String(), nil
}

// writeJSONString writes s quoted, without escaping HTML characters.
func writeJSONString(sb *strings.Builder, s string) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	sb.Write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
}

// printJSON writes v as indented standard JSON (the --json output).
func printJSON(x *ctx, v any) error {
	enc := json.NewEncoder(x.out)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
