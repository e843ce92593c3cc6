package codec

import "encoding/json"

// QuoteNumericKeys rewrites fastjson's non-standard unquoted numeric object
// keys ({0:5}) as standard JSON ({"0":5}) so encoding/json can read files
// and bodies written by the Java broker. Strings are left untouched.
func QuoteNumericKeys(b []byte) []byte {
	out := make([]byte, 0, len(b)+16)
	inStr := false
	for i := 0; i < len(b); i++ {
		c := b[i]
		if inStr {
			out = append(out, c)
			if c == '\\' && i+1 < len(b) {
				i++
				out = append(out, b[i])
			} else if c == '"' {
				inStr = false
			}
			continue
		}
		switch {
		case c == '"':
			inStr = true
			out = append(out, c)
		case c == '{' || c == ',':
			out = append(out, c)
			j := i + 1
			for j < len(b) && (b[j] == ' ' || b[j] == '\n' || b[j] == '\r' || b[j] == '\t') {
				j++
			}
			k := j
			if k < len(b) && b[k] == '-' {
				k++
			}
			for k < len(b) && b[k] >= '0' && b[k] <= '9' {
				k++
			}
			e := k
			for e < len(b) && (b[e] == ' ' || b[e] == '\t') {
				e++
			}
			if k > j && e < len(b) && b[e] == ':' && c == '{' || k > j && e < len(b) && b[e] == ':' && isKeyContext(out) {
				out = append(out, b[i+1:j]...)
				out = append(out, '"')
				out = append(out, b[j:k]...)
				out = append(out, '"')
				i = k - 1
			}
		default:
			out = append(out, c)
		}
	}
	return out
}

// isKeyContext reports whether the ',' just written separates object
// members (not array elements), by finding the innermost open bracket.
func isKeyContext(out []byte) bool {
	depth := 0
	inStr := false
	for i := len(out) - 2; i >= 0; i-- {
		c := out[i]
		if c == '"' {
			// Count preceding backslashes to see if this quote is escaped.
			n := 0
			for j := i - 1; j >= 0 && out[j] == '\\'; j-- {
				n++
			}
			if n%2 == 0 {
				inStr = !inStr
			}
			continue
		}
		if inStr {
			continue
		}
		switch c {
		case '}', ']':
			depth++
		case '{', '[':
			if depth == 0 {
				return c == '{'
			}
			depth--
		}
	}
	return false
}

// NormalizeFastJSON rewrites fastjson's non-string object keys as JSON
// strings holding their text: {0:"a"} becomes {"0":"a"} and
// {{"brokerName":"b","queueId":0,"topic":"t"}:1} becomes
// {"{\"brokerName\":\"b\",\"queueId\":0,\"topic\":\"t\"}":1}, so that
// encoding/json can read the body. Raw control characters inside strings
// (which fastjson accepts) are escaped. Standard JSON passes unchanged.
func NormalizeFastJSON(b []byte) []byte {
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
