package command

// Java's fastjson on mqadmin's output side: topicRoute prints a route the
// way fastjson's pretty format does. Reading fastjson bodies is
// codec.NormalizeFastJSON.

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
)

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
