package filter

import (
	"math"
	"strconv"
	"strings"
)

// op is the operation of an expression node.
type op uint8

const (
	opConst         op = iota // val
	opProp                    // name
	opBoolCast                // a: a property used as a condition (Java's BooleanCast)
	opNeg                     // -a
	opNot                     // NOT a
	opAnd                     // a AND b
	opOr                      // a OR b
	opEq                      // a = b
	opNe                      // a <> b
	opGt                      // a > b
	opGe                      // a >= b
	opLt                      // a < b
	opLe                      // a <= b
	opIsNull                  // a IS NULL
	opIsNotNull               // a IS NOT NULL
	opBetween                 // a BETWEEN b AND c
	opNotBetween              // a NOT BETWEEN b AND c
	opIn                      // a IN (list)
	opNotIn                   // a NOT IN (list)
	opContains                // a CONTAINS str
	opNotContains             // a NOT CONTAINS str
	opStartsWith              // a STARTSWITH str
	opNotStartsWith           // a NOT STARTSWITH str
	opEndsWith                // a ENDSWITH str
	opNotEndsWith             // a NOT ENDSWITH str
)

var opSymbols = [...]string{
	opAnd: "AND", opOr: "OR", opEq: "=", opNe: "<>", opGt: ">", opGe: ">=", opLt: "<", opLe: "<=",
	opIsNull: "IS NULL", opIsNotNull: "IS NOT NULL", opBetween: "BETWEEN", opNotBetween: "NOT BETWEEN",
	opIn: "IN", opNotIn: "NOT IN", opContains: "CONTAINS", opNotContains: "NOT CONTAINS",
	opStartsWith: "STARTSWITH", opNotStartsWith: "NOT STARTSWITH", opEndsWith: "ENDSWITH", opNotEndsWith: "NOT ENDSWITH",
}

// node is one expression node; children are indices into Expression.nodes.
type node struct {
	op      op
	a, b, c int32
	val     value               // opConst
	name    string              // opProp
	str     string              // CONTAINS family
	list    []string            // IN, in source order
	set     map[string]struct{} // IN with many elements
	depth   int32               // height of the subtree
}

// tokOps maps operator tokens to the operations they build.
var tokOps = [...]op{
	tokGt: opGt, tokGe: opGe, tokLt: opLt, tokLe: opLe,
	tokContains: opContains, tokStartsWith: opStartsWith, tokEndsWith: opEndsWith,
}

// isBoolean reports whether n is a BooleanExpression in Java's sense: a
// condition, or a TRUE, FALSE or NULL literal.
func (n *node) isBoolean() bool {
	switch n.op {
	case opConst:
		return n.val.k == kBool || n.val.k == kNull
	case opProp, opNeg:
		return false
	}
	return true
}

// Expression is a compiled SQL92 selector. It is immutable and safe for
// concurrent use.
type Expression struct {
	src   string
	nodes []node
	root  int32
}

// Source returns the text the expression was parsed from.
func (e *Expression) Source() string { return e.src }

// maxDepth bounds the height of an expression tree, so that evaluating
// and printing it cannot exhaust the stack. Parsing recurses at most twice
// per level of the printed form ("(NOT x)", "-(x)"), so the parser's own
// recursion limit is twice that: whatever String prints parses again.
const (
	maxDepth          = 1000
	maxParseRecursion = 2*maxDepth + 2
)

// Parse compiles a SQL92 selector. Errors are *SyntaxError values naming
// the offset of the offending token.
func Parse(src string) (*Expression, error) {
	p := &parser{lex: lexer{src: src}, e: &Expression{src: src}}
	root, err := p.parse()
	if err != nil {
		return nil, err
	}
	p.e.root = root
	return p.e, nil
}

// parser is a recursive-descent parser with two tokens of lookahead,
// shaped after SelectorParser.jj.
type parser struct {
	lex   lexer
	e     *Expression
	buf   [2]token
	nbuf  int
	depth int // recursion depth of unaryExpr and parentheses
	// deep is the first error of a tree growing beyond maxDepth.
	deep *SyntaxError
}

func (p *parser) fill(n int) *SyntaxError {
	for p.nbuf < n {
		t, err := p.lex.next()
		if err != nil {
			return err
		}
		p.buf[p.nbuf] = t
		p.nbuf++
	}
	return nil
}

// peek returns the next token without consuming it.
func (p *parser) peek() (token, *SyntaxError) {
	if err := p.fill(1); err != nil {
		return token{}, err
	}
	return p.buf[0], nil
}

// peek2 returns the token after the next one.
func (p *parser) peek2() (token, *SyntaxError) {
	if err := p.fill(2); err != nil {
		return token{}, err
	}
	return p.buf[1], nil
}

func (p *parser) advance() token {
	t := p.buf[0]
	p.buf[0] = p.buf[1]
	p.nbuf--
	return t
}

func (p *parser) errorf(pos int, format string, args ...any) *SyntaxError {
	return p.lex.errorf(pos, format, args...)
}

func (p *parser) unexpected(t token) *SyntaxError {
	if t.kind == tokEOF {
		return p.errorf(t.pos, "unexpected end of input")
	}
	return p.errorf(t.pos, "unexpected %s %q", t.kind, t.text)
}

// expect consumes a token of kind k.
func (p *parser) expect(k tokKind) (token, *SyntaxError) {
	t, err := p.peek()
	if err != nil {
		return t, err
	}
	if t.kind != k {
		return t, p.errorf(t.pos, "expected %s, found %s", k, describe(t))
	}
	return p.advance(), nil
}

func describe(t token) string {
	if t.kind == tokEOF {
		return "end of input"
	}
	return strconv.Quote(t.text)
}

// add appends a node and returns its index. A node that makes the tree
// too high is recorded as an error that parse reports.
func (p *parser) add(n node) int32 {
	var kids []int32
	switch n.op {
	case opConst, opProp:
	case opAnd, opOr, opEq, opNe, opGt, opGe, opLt, opLe:
		kids = []int32{n.a, n.b}
	case opBetween, opNotBetween:
		kids = []int32{n.a, n.b, n.c}
	default:
		kids = []int32{n.a}
	}
	n.depth = 1
	for _, k := range kids {
		n.depth = max(n.depth, p.e.nodes[k].depth+1)
	}
	if n.depth > maxDepth && p.deep == nil {
		p.deep = p.errorf(p.lex.pos, "expression nested too deeply")
	}
	p.e.nodes = append(p.e.nodes, n)
	return int32(len(p.e.nodes) - 1)
}

func (p *parser) node(i int32) *node { return &p.e.nodes[i] }

// show formats a node for an error message; trees too high to print
// safely are elided.
func (p *parser) show(i int32) string {
	if p.node(i).depth > 64 {
		return "(...)"
	}
	return p.e.format(i)
}

// parse is JmsSelector: an orExpression that must be a condition. As in
// Java, what follows the expression is not examined beyond the one token
// the parser had to look at.
func (p *parser) parse() (int32, *SyntaxError) {
	t, err := p.peek()
	if err != nil {
		return 0, err
	}
	left, err := p.orExpr()
	if err != nil {
		return 0, err
	}
	if left, err = p.asBoolean(left, t.pos); err != nil {
		return 0, err
	}
	if p.deep != nil {
		return 0, p.deep
	}
	return left, nil
}

// asBoolean makes a condition of n: conditions stay, a property becomes a
// boolean cast, anything else is an error.
func (p *parser) asBoolean(n int32, pos int) (int32, *SyntaxError) {
	switch nd := p.node(n); {
	case nd.isBoolean():
		return n, nil
	case nd.op == opProp:
		return p.add(node{op: opBoolCast, a: n}), nil
	}
	return 0, p.errorf(pos, "expression will not result in a boolean value: %s", p.show(n))
}

func (p *parser) orExpr() (int32, *SyntaxError) { return p.logical(tokOr, opOr, p.andExpr) }

func (p *parser) andExpr() (int32, *SyntaxError) { return p.logical(tokAnd, opAnd, p.equalityExpr) }

// logical parses a left-associative chain "next (tok next)*" of AND or OR,
// each operand checked to be boolean.
func (p *parser) logical(tok tokKind, kind op, next func() (int32, *SyntaxError)) (int32, *SyntaxError) {
	start, err := p.peek()
	if err != nil {
		return 0, err
	}
	left, err := next()
	if err != nil {
		return 0, err
	}
	for {
		t, err := p.peek()
		if err != nil {
			return 0, err
		}
		if t.kind != tok {
			return left, nil
		}
		p.advance()
		rt, err := p.peek()
		if err != nil {
			return 0, err
		}
		right, err := next()
		if err != nil {
			return 0, err
		}
		if left, err = p.asBoolean(left, start.pos); err != nil {
			return 0, err
		}
		if right, err = p.asBoolean(right, rt.pos); err != nil {
			return 0, err
		}
		left = p.add(node{op: kind, a: left, b: right})
	}
}

func (p *parser) equalityExpr() (int32, *SyntaxError) {
	left, err := p.comparisonExpr()
	if err != nil {
		return 0, err
	}
	for {
		t, err := p.peek()
		if err != nil {
			return 0, err
		}
		switch t.kind {
		case tokEq, tokNe:
			p.advance()
			right, err := p.comparisonExpr()
			if err != nil {
				return 0, err
			}
			if err := p.checkEqual(left, right, t.pos); err != nil {
				return 0, err
			}
			o := opEq
			if t.kind == tokNe {
				o = opNe
			}
			left = p.add(node{op: o, a: left, b: right})
		case tokIs:
			t2, err := p.peek2()
			if err != nil {
				return 0, err
			}
			p.advance()
			o := opIsNull
			if t2.kind == tokNot {
				p.advance()
				o = opIsNotNull
			}
			if _, err := p.expect(tokNull); err != nil {
				return 0, err
			}
			left = p.add(node{op: o, a: left})
		default:
			return left, nil
		}
	}
}

// checkEqual applies createEqual's checks: no NULL literal on either
// side, and no TRUE/FALSE literal compared with a non-boolean literal.
func (p *parser) checkEqual(l, r int32, pos int) *SyntaxError {
	ln, rn := p.node(l), p.node(r)
	for _, n := range []*node{ln, rn} {
		if n.op == opConst && n.val.k == kNull {
			return p.errorf(pos, "'NULL' cannot be compared")
		}
	}
	if ln.op == opConst && rn.op == opConst && ln.isBoolean() && !rn.isBoolean() {
		return p.errorf(pos, "'%s' cannot be compared with '%s'", p.show(l), p.show(r))
	}
	return nil
}

// checkOrdered applies checkLessThanOperand: only numbers, properties and
// negations can be ordered.
func (p *parser) checkOrdered(n int32, pos int) *SyntaxError {
	nd := p.node(n)
	if nd.op == opConst && nd.val.isNumber() {
		return nil
	}
	if nd.op == opConst || nd.isBoolean() {
		return p.errorf(pos, "value '%s' cannot be compared", p.show(n))
	}
	return nil
}

func (p *parser) comparisonExpr() (int32, *SyntaxError) {
	left, err := p.unaryExpr()
	if err != nil {
		return 0, err
	}
	for {
		t, err := p.peek()
		if err != nil {
			return 0, err
		}
		negated := false
		kind := t.kind
		switch kind {
		case tokGt, tokGe, tokLt, tokLe:
			p.advance()
			right, err := p.unaryExpr()
			if err != nil {
				return 0, err
			}
			if err := p.checkOrdered(left, t.pos); err != nil {
				return 0, err
			}
			if err := p.checkOrdered(right, t.pos); err != nil {
				return 0, err
			}
			left = p.add(node{op: tokOps[kind], a: left, b: right})
			continue
		case tokNot:
			t2, err := p.peek2()
			if err != nil {
				return 0, err
			}
			switch t2.kind {
			case tokContains, tokStartsWith, tokEndsWith, tokBetween, tokIn:
			default:
				return 0, p.unexpected(t)
			}
			p.advance()
			negated, kind = true, t2.kind
		case tokContains, tokStartsWith, tokEndsWith, tokBetween, tokIn:
		default:
			return left, nil
		}
		p.advance() // the operator keyword
		switch kind {
		case tokContains, tokStartsWith, tokEndsWith:
			s, err := p.expect(tokString)
			if err != nil {
				return 0, err
			}
			o := tokOps[kind]
			if negated {
				o++ // each NOT form follows its positive form
			}
			left = p.add(node{op: o, a: left, str: unquote(s.text)})
		case tokBetween:
			if left, err = p.between(left, negated, t.pos); err != nil {
				return 0, err
			}
		case tokIn:
			if left, err = p.in(left, negated, t.pos); err != nil {
				return 0, err
			}
		}
	}
}

// between parses "low AND high" after [NOT] BETWEEN. BETWEEN checks that
// two literal bounds are ordered, then both are ordering comparisons;
// NOT BETWEEN only checks the operands.
func (p *parser) between(value int32, negated bool, pos int) (int32, *SyntaxError) {
	low, err := p.unaryExpr()
	if err != nil {
		return 0, err
	}
	if _, err := p.expect(tokAnd); err != nil {
		return 0, err
	}
	high, err := p.unaryExpr()
	if err != nil {
		return 0, err
	}
	if !negated {
		ln, hn := p.node(low), p.node(high)
		if ln.op == opConst && hn.op == opConst {
			if ln.val.k == kNull || hn.val.k == kNull {
				return 0, p.errorf(pos, "illegal values of between, values can not be null")
			}
			c, ok := javaCompare(hn.val, ln.val)
			if !ok || c < 0 {
				return 0, p.errorf(pos, "illegal values of between, left value (%s) must be less than or equal to right value (%s)",
					p.show(low), p.show(high))
			}
		}
	}
	for _, n := range []int32{value, low, value, high} {
		if err := p.checkOrdered(n, pos); err != nil {
			return 0, err
		}
	}
	o := opBetween
	if negated {
		o = opNotBetween
	}
	return p.add(node{op: o, a: value, b: low, c: high}), nil
}

// in parses "('a', 'b', …)" after [NOT] IN; the left side must be a
// property.
func (p *parser) in(left int32, negated bool, pos int) (int32, *SyntaxError) {
	if _, err := p.expect(tokLParen); err != nil {
		return 0, err
	}
	var list []string
	for {
		s, err := p.expect(tokString)
		if err != nil {
			return 0, err
		}
		list = append(list, unquote(s.text))
		t, err := p.peek()
		if err != nil {
			return 0, err
		}
		if t.kind != tokComma {
			break
		}
		p.advance()
	}
	if _, err := p.expect(tokRParen); err != nil {
		return 0, err
	}
	if p.node(left).op != opProp {
		return 0, p.errorf(pos, "expected a property for IN expression, got: %s", p.show(left))
	}
	n := node{op: opIn, a: left, list: list}
	if negated {
		n.op = opNotIn
	}
	if len(list) >= 5 {
		n.set = make(map[string]struct{}, len(list))
		for _, s := range list {
			n.set[s] = struct{}{}
		}
	}
	return p.add(n), nil
}

func (p *parser) unaryExpr() (int32, *SyntaxError) {
	t, err := p.peek()
	if err != nil {
		return 0, err
	}
	switch t.kind {
	case tokPlus, tokMinus, tokNot:
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxParseRecursion {
			return 0, p.errorf(t.pos, "expression nested too deeply")
		}
		p.advance()
		operand, err := p.unaryExpr()
		if err != nil {
			return 0, err
		}
		switch t.kind {
		case tokPlus:
			return operand, nil
		case tokMinus:
			return p.add(node{op: opNeg, a: operand}), nil
		}
		if operand, err = p.asBoolean(operand, t.pos); err != nil {
			return 0, err
		}
		return p.add(node{op: opNot, a: operand}), nil
	}
	return p.primaryExpr()
}

func (p *parser) primaryExpr() (int32, *SyntaxError) {
	t, err := p.peek()
	if err != nil {
		return 0, err
	}
	switch t.kind {
	case tokLParen:
		p.depth++
		defer func() { p.depth-- }()
		if p.depth > maxParseRecursion {
			return 0, p.errorf(t.pos, "expression nested too deeply")
		}
		p.advance()
		inner, err := p.orExpr()
		if err != nil {
			return 0, err
		}
		if _, err := p.expect(tokRParen); err != nil {
			return 0, err
		}
		return inner, nil
	case tokID:
		p.advance()
		return p.add(node{op: opProp, name: t.text}), nil
	case tokString:
		p.advance()
		return p.add(node{op: opConst, val: value{k: kString, s: unquote(t.text)}}), nil
	case tokDecimal:
		p.advance()
		v, err := decimalValue(t.text)
		if err != nil {
			return 0, p.errorf(t.pos, "%s", err)
		}
		return p.add(node{op: opConst, val: v}), nil
	case tokFloat:
		p.advance()
		f, err := strconv.ParseFloat(t.text, 64)
		if math.IsInf(f, 0) {
			return 0, p.errorf(t.pos, "%s is greater than %v", t.text, math.MaxFloat64)
		}
		if err != nil || f < math.SmallestNonzeroFloat64 {
			return 0, p.errorf(t.pos, "%s is less than %v", t.text, math.SmallestNonzeroFloat64)
		}
		return p.add(node{op: opConst, val: value{k: kDouble, f: f}}), nil
	case tokTrue, tokFalse:
		p.advance()
		return p.add(node{op: opConst, val: boolValue(t.kind == tokTrue)}), nil
	case tokNull:
		p.advance()
		return p.add(node{op: opConst, val: vNull}), nil
	}
	return 0, p.unexpected(t)
}

// decimalValue is createFromDecimal: an optional L suffix, a long, narrowed
// to an int when it fits.
func decimalValue(text string) (value, error) {
	text = strings.TrimRight(text, "lL")
	n, err := strconv.ParseInt(text, 10, 64)
	if err != nil {
		return value{}, &strconv.NumError{Func: "Long", Num: text, Err: strconv.ErrRange}
	}
	if n >= math.MinInt32 && n <= math.MaxInt32 {
		return value{k: kInt, i: n}, nil
	}
	return value{k: kLong, i: n}, nil
}
