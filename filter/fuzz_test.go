package filter

import (
	"testing"
)

// propertyPool are the values the fuzz target assigns to the properties
// an expression names ("" stands for a missing property).
var propertyPool = []string{"", "1", "x", "10", "-3.5", "NaN", "true", "hello world", "3000000000", "'"}

// FuzzParse checks that Parse never panics, and that an accepted
// expression prints (String) to text that parses back to the same
// expression: the same printed form and the same result for a range of
// property sets.
func FuzzParse(f *testing.F) {
	for _, c := range evalCases {
		f.Add(c.expr)
	}
	for _, c := range invalidCases {
		if len(c.expr) < 200 {
			f.Add(c.expr)
		}
	}
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("Parse(%q) returned %T, want *SyntaxError", src, err)
			}
			return
		}
		printed := e.String()
		e2, err := Parse(printed)
		if err != nil {
			t.Fatalf("Parse(%q) = %s, which does not parse: %v", src, printed, err)
		}
		if again := e2.String(); again != printed {
			t.Fatalf("Parse(%q) prints %q, which prints %q", src, printed, again)
		}
		var names []string
		for _, n := range e.nodes {
			if n.op == opProp {
				names = append(names, n.name)
			}
		}
		for seed := range len(propertyPool) * 2 {
			p := props{}
			for i, name := range names {
				if v := propertyPool[(seed+i*3)%len(propertyPool)]; v != "" {
					p[name] = v
				}
			}
			if r1, r2 := e.evaluate(p.get), e2.evaluate(p.get); r1 != r2 {
				t.Fatalf("Parse(%q) with %v = %v, but its printed form %q gives %v", src, p, r1, printed, r2)
			}
		}
	})
}
