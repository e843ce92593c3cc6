package filter

import (
	"strings"
)

// Match evaluates the expression against a message's properties; get
// returns a property's value and whether it is set. It reports whether
// the result is TRUE: FALSE, unknown (NULL) and evaluation failures (a
// property that does not convert to the number it is compared with) are
// not matches. Match does not allocate and get does not escape.
func (e *Expression) Match(get func(key string) (string, bool)) bool {
	v, ok := e.eval(e.root, get)
	return ok && v.k == kBool && v.b
}

// result is the outcome of an evaluation, for tests and diagnostics.
type result uint8

const (
	resultFalse result = iota
	resultTrue
	resultUnknown
	resultError
)

func (r result) String() string {
	return [...]string{"FALSE", "TRUE", "UNKNOWN", "ERROR"}[r]
}

// evaluate returns the three-valued result, or resultError where Java
// throws.
func (e *Expression) evaluate(get func(key string) (string, bool)) result {
	v, ok := e.eval(e.root, get)
	switch {
	case !ok:
		return resultError
	case v.k == kNull:
		return resultUnknown
	case v.k == kBool && v.b:
		return resultTrue
	}
	return resultFalse
}

// eval evaluates node i as Java's expression classes do. ok is false when
// Java would throw, which aborts the evaluation.
func (e *Expression) eval(i int32, get func(key string) (string, bool)) (value, bool) {
	n := &e.nodes[i]
	switch n.op {
	case opConst:
		return n.val, true
	case opProp:
		if s, ok := get(n.name); ok {
			return value{k: kString, s: s}, true
		}
		return vNull, true
	case opBoolCast:
		v, ok := e.eval(n.a, get)
		if !ok || v.k == kNull {
			return v, ok
		}
		return boolValue(v.k == kBool && v.b), true
	case opNeg:
		v, ok := e.eval(n.a, get)
		if !ok {
			return v, false
		}
		switch v.k {
		case kInt:
			return value{k: kInt, i: int64(-int32(v.i))}, true
		case kLong:
			return value{k: kLong, i: -v.i}, true
		case kDouble:
			return value{k: kDouble, f: -v.f}, true
		}
		return vNull, true
	case opNot:
		v, ok := e.eval(n.a, get)
		if !ok || v.k == kNull {
			return v, ok
		}
		return boolValue(!v.b), true
	case opAnd:
		return e.and(n.a, n.b, get)
	case opOr:
		return e.or(n.a, n.b, get)
	case opEq, opNe:
		v, ok := e.equal(n.a, n.b, get)
		if !ok || v.k == kNull || n.op == opEq {
			return v, ok
		}
		return boolValue(!v.b), true
	case opIsNull, opIsNotNull:
		v, ok := e.eval(n.a, get)
		if !ok {
			return v, false
		}
		return boolValue((v.k == kNull) == (n.op == opIsNull)), true
	case opGt, opGe, opLt, opLe:
		return e.order(n.op, n.a, n.b, get)
	case opBetween:
		// Java builds (a >= b) AND (a <= c).
		l, ok := e.order(opGe, n.a, n.b, get)
		if !ok || l.k == kBool && !l.b {
			return l, ok
		}
		r, ok := e.order(opLe, n.a, n.c, get)
		return combineAnd(l, r, ok)
	case opNotBetween:
		// Java builds (a < b) OR (a > c).
		l, ok := e.order(opLt, n.a, n.b, get)
		if !ok || l.k == kBool && l.b {
			return l, ok
		}
		r, ok := e.order(opGt, n.a, n.c, get)
		return combineOr(l, r, ok)
	case opIn, opNotIn:
		v, ok := e.eval(n.a, get)
		if !ok || v.k != kString {
			return vNull, ok
		}
		return boolValue(n.contains(v.s) != (n.op == opNotIn)), true
	case opContains, opNotContains, opStartsWith, opNotStartsWith, opEndsWith, opNotEndsWith:
		if n.str == "" {
			return vFalse, true // checked before the operand is evaluated
		}
		v, ok := e.eval(n.a, get)
		if !ok {
			return v, false
		}
		if v.k != kString {
			return vFalse, true
		}
		var hit bool
		switch n.op {
		case opContains, opNotContains:
			hit = strings.Contains(v.s, n.str)
		case opStartsWith, opNotStartsWith:
			hit = strings.HasPrefix(v.s, n.str)
		default:
			hit = strings.HasSuffix(v.s, n.str)
		}
		negated := n.op == opNotContains || n.op == opNotStartsWith || n.op == opNotEndsWith
		return boolValue(hit != negated), true
	}
	return vNull, false
}

// contains reports whether s is in an IN list.
func (n *node) contains(s string) bool {
	if n.set != nil {
		_, ok := n.set[s]
		return ok
	}
	for _, x := range n.list {
		if x == s {
			return true
		}
	}
	return false
}

// and is LogicExpression.createAND: FALSE wins, then unknown.
func (e *Expression) and(a, b int32, get func(key string) (string, bool)) (value, bool) {
	l, ok := e.eval(a, get)
	if !ok || l.k == kBool && !l.b {
		return l, ok
	}
	r, ok := e.eval(b, get)
	return combineAnd(l, r, ok)
}

func combineAnd(l, r value, ok bool) (value, bool) {
	switch {
	case !ok:
		return r, false
	case r.k == kBool && !r.b:
		return vFalse, true
	case l.k == kNull || r.k == kNull:
		return vNull, true
	}
	return vTrue, true
}

// or is LogicExpression.createOR: TRUE wins, then unknown.
func (e *Expression) or(a, b int32, get func(key string) (string, bool)) (value, bool) {
	l, ok := e.eval(a, get)
	if !ok || l.k == kBool && l.b {
		return l, ok
	}
	r, ok := e.eval(b, get)
	return combineOr(l, r, ok)
}

func combineOr(l, r value, ok bool) (value, bool) {
	switch {
	case !ok:
		return r, false
	case r.k == kBool && r.b:
		return vTrue, true
	case l.k == kNull || r.k == kNull:
		return vNull, true
	}
	return vFalse, true
}

// equal is the = of ComparisonExpression.doCreateEqual. Note its
// asymmetry: a null left side is unknown, a null right side FALSE; two
// nulls are equal.
func (e *Expression) equal(a, b int32, get func(key string) (string, bool)) (value, bool) {
	l, ok := e.eval(a, get)
	if !ok {
		return l, false
	}
	r, ok := e.eval(b, get)
	if !ok {
		return r, false
	}
	switch {
	case l.k == kNull && r.k == kNull:
		return vTrue, true
	case l.k == kNull:
		return vNull, true
	case r.k == kNull:
		return vFalse, true
	case javaEquals(l, r):
		return vTrue, true
	}
	c, ok := javaCompare(l, r)
	return boolValue(c == 0), ok
}

// order evaluates <, <=, > and >=: unknown if either side is null; two
// strings are compared as doubles (an unparsable one aborts); other pairs
// go through javaCompare.
func (e *Expression) order(o op, a, b int32, get func(key string) (string, bool)) (value, bool) {
	l, ok := e.eval(a, get)
	if !ok || l.k == kNull {
		return l, ok
	}
	r, ok := e.eval(b, get)
	if !ok || r.k == kNull {
		return r, ok
	}
	var c int
	if l.k == kString && r.k == kString {
		lf, lok := parseJavaDouble(l.s)
		rf, rok := parseJavaDouble(r.s)
		if !lok || !rok {
			return vNull, false
		}
		c = javaDoubleCompare(lf, rf)
	} else if c, ok = javaCompare(l, r); !ok {
		return vNull, false
	}
	switch o {
	case opGt:
		return boolValue(c > 0), true
	case opGe:
		return boolValue(c >= 0), true
	case opLt:
		return boolValue(c < 0), true
	}
	return boolValue(c <= 0), true
}

// String returns the expression fully parenthesized in a form that Parse
// reads back as the same expression.
func (e *Expression) String() string {
	return e.format(e.root)
}

func (e *Expression) format(i int32) string {
	var b strings.Builder
	e.write(&b, i)
	return b.String()
}

func (e *Expression) write(b *strings.Builder, i int32) {
	n := &e.nodes[i]
	switch n.op {
	case opConst:
		n.val.literal(b)
	case opProp:
		b.WriteString(n.name)
	case opBoolCast:
		e.write(b, n.a)
	case opNeg:
		b.WriteString("-(")
		e.write(b, n.a)
		b.WriteByte(')')
	case opNot:
		b.WriteString("(NOT ")
		e.write(b, n.a)
		b.WriteByte(')')
	case opAnd, opOr, opEq, opNe, opGt, opGe, opLt, opLe:
		b.WriteByte('(')
		e.write(b, n.a)
		b.WriteByte(' ')
		b.WriteString(opSymbols[n.op])
		b.WriteByte(' ')
		e.write(b, n.b)
		b.WriteByte(')')
	case opIsNull, opIsNotNull:
		b.WriteByte('(')
		e.write(b, n.a)
		b.WriteByte(' ')
		b.WriteString(opSymbols[n.op])
		b.WriteByte(')')
	case opBetween, opNotBetween:
		b.WriteByte('(')
		e.write(b, n.a)
		b.WriteByte(' ')
		b.WriteString(opSymbols[n.op])
		b.WriteByte(' ')
		e.write(b, n.b)
		b.WriteString(" AND ")
		e.write(b, n.c)
		b.WriteByte(')')
	case opIn, opNotIn:
		b.WriteByte('(')
		e.write(b, n.a)
		b.WriteByte(' ')
		b.WriteString(opSymbols[n.op])
		b.WriteString(" (")
		for j, s := range n.list {
			if j > 0 {
				b.WriteString(", ")
			}
			value{k: kString, s: s}.literal(b)
		}
		b.WriteString("))")
	default: // the CONTAINS family
		b.WriteByte('(')
		e.write(b, n.a)
		b.WriteByte(' ')
		b.WriteString(opSymbols[n.op])
		b.WriteByte(' ')
		value{k: kString, s: n.str}.literal(b)
		b.WriteByte(')')
	}
}
