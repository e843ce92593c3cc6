package command

import (
	"fmt"
	"strings"
)

// attributes is AttributeParser's map: keys keep their '+' or '-' sign,
// in the order given.
type attributes struct {
	keys []string
	m    map[string]string
}

// parseAttributes is AttributeParser.parseToMap: "+a=b,+c=d,-e".
func parseAttributes(s string) (attributes, error) {
	a := attributes{m: map[string]string{}}
	for _, kv := range strings.Split(s, ",") {
		kv = strings.TrimSpace(kv)
		if kv == "" {
			continue
		}
		var k, v string
		switch {
		case strings.HasPrefix(kv, "+"):
			var ok bool
			if k, v, ok = strings.Cut(kv, "="); !ok || len(k) < 2 || v == "" {
				return a, fmt.Errorf("attribute format is incorrect: %q", kv)
			}
		case strings.HasPrefix(kv, "-") && len(kv) > 1 && !strings.Contains(kv, "="):
			k = kv
		default:
			return a, fmt.Errorf("attribute format is incorrect: %q", kv)
		}
		if _, dup := a.m[k]; !dup {
			a.keys = append(a.keys, k)
		}
		a.m[k] = v
	}
	return a, nil
}

// String is the map's Java toString, in HashMap order.
func (a attributes) String() string { return javaMapString(javaHashOrder(a.keys, 16), a.m) }

// header is AttributeParser.parseToString, the request ext value.
func (a attributes) header() string {
	parts := make([]string, 0, len(a.keys))
	for _, k := range javaHashOrder(a.keys, 16) {
		if a.m[k] == "" {
			parts = append(parts, k)
		} else {
			parts = append(parts, k+"="+a.m[k])
		}
	}
	return strings.Join(parts, ",")
}
