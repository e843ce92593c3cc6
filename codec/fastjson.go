package codec

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
