package filter

import (
	"fmt"
	"strings"
)

// tokKind is the kind of a token.
type tokKind uint8

const (
	tokEOF tokKind = iota
	tokID
	tokString
	tokDecimal
	tokFloat
	// Keywords.
	tokNot
	tokAnd
	tokOr
	tokBetween
	tokIn
	tokTrue
	tokFalse
	tokNull
	tokIs
	tokContains
	tokStartsWith
	tokEndsWith
	// Punctuation.
	tokEq     // =
	tokNe     // <>
	tokGt     // >
	tokGe     // >=
	tokLt     // <
	tokLe     // <=
	tokLParen // (
	tokRParen // )
	tokComma  // ,
	tokPlus   // +
	tokMinus  // -
)

var tokNames = [...]string{
	tokEOF: "end of input", tokID: "identifier", tokString: "string literal", tokDecimal: "integer literal",
	tokFloat: "float literal", tokNot: "NOT", tokAnd: "AND", tokOr: "OR", tokBetween: "BETWEEN", tokIn: "IN",
	tokTrue: "TRUE", tokFalse: "FALSE", tokNull: "NULL", tokIs: "IS", tokContains: "CONTAINS",
	tokStartsWith: "STARTSWITH", tokEndsWith: "ENDSWITH", tokEq: "=", tokNe: "<>", tokGt: ">", tokGe: ">=",
	tokLt: "<", tokLe: "<=", tokLParen: "(", tokRParen: ")", tokComma: ",", tokPlus: "+", tokMinus: "-",
}

func (k tokKind) String() string { return tokNames[k] }

// keywords maps upper-case keywords to their kinds.
var keywords = map[string]tokKind{
	"NOT": tokNot, "AND": tokAnd, "OR": tokOr, "BETWEEN": tokBetween, "IN": tokIn,
	"TRUE": tokTrue, "FALSE": tokFalse, "NULL": tokNull, "IS": tokIs,
	"CONTAINS": tokContains, "STARTSWITH": tokStartsWith, "ENDSWITH": tokEndsWith,
}

// token is one lexed token; text is its image in the source.
type token struct {
	kind tokKind
	pos  int
	text string
}

// SyntaxError is a lexical, grammatical or semantic error in an
// expression. Offset is the byte offset of the offending token.
type SyntaxError struct {
	Expr   string
	Offset int
	Msg    string
}

func (e *SyntaxError) Error() string {
	line, col := 1, 1
	for i := 0; i < e.Offset && i < len(e.Expr); i++ {
		if e.Expr[i] == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
	}
	return fmt.Sprintf("filter: line %d, column %d (offset %d): %s", line, col, e.Offset, e.Msg)
}

// lexer produces tokens on demand, as JavaCC's token manager does: input
// after the last token the parser looks at is never examined.
type lexer struct {
	src string
	pos int
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' }
func isDigit(c byte) bool { return c >= '0' && c <= '9' }
func isIDStart(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$'
}
func isIDPart(c byte) bool { return isIDStart(c) || isDigit(c) }

func (l *lexer) errorf(pos int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Expr: l.src, Offset: pos, Msg: fmt.Sprintf(format, args...)}
}

// skip passes white space and comments. A "--" comment must end with a
// line break (JavaCC's LINE_COMMENT); without one the dashes lex as minus
// signs. An unterminated "/*" is left for next to reject.
func (l *lexer) skip() {
	for l.pos < len(l.src) {
		c := l.src[l.pos]
		switch {
		case isSpace(c):
			l.pos++
		case strings.HasPrefix(l.src[l.pos:], "--"):
			nl := strings.IndexAny(l.src[l.pos:], "\r\n")
			if nl < 0 {
				return
			}
			l.pos += nl + 1
		case strings.HasPrefix(l.src[l.pos:], "/*"):
			end := strings.Index(l.src[l.pos+2:], "*/")
			if end < 0 {
				return
			}
			l.pos += 2 + end + 2
		default:
			return
		}
	}
}

// next returns the next token.
func (l *lexer) next() (token, *SyntaxError) {
	l.skip()
	start := l.pos
	if start >= len(l.src) {
		return token{kind: tokEOF, pos: start}, nil
	}
	s := l.src[start:]
	tok := func(k tokKind, n int) (token, *SyntaxError) {
		l.pos += n
		return token{kind: k, pos: start, text: s[:n]}, nil
	}
	c := s[0]
	switch {
	case isIDStart(c):
		n := 1
		for n < len(s) && isIDPart(s[n]) {
			n++
		}
		if k, ok := keywords[strings.ToUpper(s[:n])]; ok {
			return tok(k, n)
		}
		return tok(tokID, n)
	case isDigit(c) || c == '.':
		dec, flt := decimalLen(s), floatLen(s)
		switch {
		case flt > dec:
			return tok(tokFloat, flt)
		case dec > 0:
			return tok(tokDecimal, dec)
		}
		return token{}, l.errorf(start, "lexical error at %q", c)
	case c == '\'':
		n := stringLen(s)
		if n == 0 {
			return token{}, l.errorf(start, "unterminated string literal")
		}
		return tok(tokString, n)
	}
	switch c {
	case '=':
		return tok(tokEq, 1)
	case '<':
		if len(s) > 1 && s[1] == '>' {
			return tok(tokNe, 2)
		}
		if len(s) > 1 && s[1] == '=' {
			return tok(tokLe, 2)
		}
		return tok(tokLt, 1)
	case '>':
		if len(s) > 1 && s[1] == '=' {
			return tok(tokGe, 2)
		}
		return tok(tokGt, 1)
	case '(':
		return tok(tokLParen, 1)
	case ')':
		return tok(tokRParen, 1)
	case ',':
		return tok(tokComma, 1)
	case '+':
		return tok(tokPlus, 1)
	case '-':
		return tok(tokMinus, 1)
	case '/':
		if strings.HasPrefix(s, "/*") {
			return token{}, l.errorf(start, "unterminated comment")
		}
	}
	return token{}, l.errorf(start, "lexical error at %q", c)
}

// decimalLen is the length of the DECIMAL_LITERAL at the start of s:
// "0" | [1-9][0-9]*[lL]?, or 0.
func decimalLen(s string) int {
	switch {
	case s == "" || !isDigit(s[0]):
		return 0
	case s[0] == '0':
		return 1
	}
	n := 1
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	if n < len(s) && (s[n] == 'l' || s[n] == 'L') {
		n++
	}
	return n
}

// floatLen is the length of the FLOATING_POINT_LITERAL at the start of s:
// digits "." digits? exp? | "." digits exp? | digits exp, or 0.
func floatLen(s string) int {
	n := 0
	for n < len(s) && isDigit(s[n]) {
		n++
	}
	intDigits := n
	if n < len(s) && s[n] == '.' {
		n++
		frac := 0
		for n < len(s) && isDigit(s[n]) {
			n++
			frac++
		}
		if intDigits == 0 && frac == 0 {
			return 0
		}
		return n + exponentLen(s[n:])
	}
	if intDigits == 0 {
		return 0
	}
	if e := exponentLen(s[n:]); e > 0 {
		return n + e
	}
	return 0
}

// exponentLen is the length of [eE][+-]?[0-9]+ at the start of s, or 0.
func exponentLen(s string) int {
	if s == "" || s[0] != 'e' && s[0] != 'E' {
		return 0
	}
	n := 1
	if n < len(s) && (s[n] == '+' || s[n] == '-') {
		n++
	}
	d := 0
	for n < len(s) && isDigit(s[n]) {
		n++
		d++
	}
	if d == 0 {
		return 0
	}
	return n
}

// stringLen is the length of the longest STRING_LITERAL (quoted with ',
// a doubled quote inside) at the start of s, or 0. Like JavaCC's DFA it falls
// back to the last closing quote when a doubled quote leads nowhere.
func stringLen(s string) int {
	last := 0
	for i := 1; i < len(s); i++ {
		if s[i] != '\'' {
			continue
		}
		last = i + 1 // the literal may end here
		if i+1 < len(s) && s[i+1] == '\'' {
			i++ // or the quote is escaped and it goes on
			continue
		}
		return last
	}
	return last
}

// unquote decodes a string literal image as Java's stringLitteral does.
func unquote(image string) string {
	body := image[1 : len(image)-1]
	if !strings.Contains(body, "'") {
		return body
	}
	var b strings.Builder
	b.Grow(len(body))
	for i := 0; i < len(body); i++ {
		c := body[i]
		if c == '\'' {
			i++
		}
		b.WriteByte(c)
	}
	return b.String()
}
