package filter

import (
	"errors"
	"strings"
	"testing"
)

type props map[string]string

func (p props) get(k string) (string, bool) {
	v, ok := p[k]
	return v, ok
}

const (
	T = resultTrue
	F = resultFalse
	U = resultUnknown
	E = resultError
)

// The expected results follow Apache RocketMQ's expression classes
// (ComparisonExpression, LogicExpression, UnaryExpression,
// ConstantExpression): three-valued logic, Java's class conversions, and
// exceptions (E) that abort the evaluation.
var evalCases = []struct {
	expr  string
	props props
	want  result
}{
	// Numeric comparison converts the property to the constant's type.
	{"a > 5", props{"a": "10"}, T},
	{"a > 5", props{"a": "3"}, F},
	{"a > 5", props{}, U},
	{"a > 5", props{"a": "5.5"}, E}, // Integer.valueOf("5.5") throws
	{"a > 5.0", props{"a": "5.5"}, T},
	{"a > 5", props{"a": "abc"}, E},
	{"a > 5", props{"a": " 6"}, E},    // Integer.valueOf does not trim
	{"a > 5.0", props{"a": " 6 "}, T}, // Double.valueOf does
	{"a >= 10 AND a <= 10", props{"a": "10"}, T},
	{"a < 10", props{"a": "+9"}, T},
	{"a > 1.5e1", props{"a": "16"}, T},
	{"a = 10.0", props{"a": "1e1"}, T},
	{"a = 10.0", props{"a": "10d"}, T},
	{"a = 10.0", props{"a": "0xAp0"}, T},
	{"a = 10.0", props{"a": "10x"}, E},
	{"a = 10", props{"a": "010"}, T},
	{"a = 10", props{"a": "1e1"}, E},
	{"a = 5", props{"a": "3000000000"}, E}, // does not fit an Integer
	{"a = 3000000000", props{"a": "3000000000"}, T},
	{"a = 3000000000", props{"a": "3000000000.0"}, E},
	{"a = 5", props{"a": "\u0665"}, T}, // Character.digit knows ARABIC-INDIC FIVE
	{"a < -5", props{"a": "-6"}, T},
	{"a = -2147483648", props{"a": "-2147483648"}, T},
	{"a > 1.5", props{"a": "NaN"}, T}, // Double.compareTo puts NaN above everything
	{"a = 1.5", props{"a": "NaN"}, F},
	{"a < 1.5", props{"a": "-Infinity"}, T},
	// Two strings are ordered as doubles.
	{"a > b", props{"a": "10", "b": "9.5"}, T},
	{"a > b", props{"a": "x", "b": "1"}, E},
	{"a < b", props{"a": "-0.0", "b": "0"}, T}, // Double.compare(-0.0, 0.0) < 0
	{"a > b", props{"a": "1"}, U},
	// Equality and its asymmetric null handling.
	{"a = 'x'", props{"a": "x"}, T},
	{"a = 'x'", props{"a": "y"}, F},
	{"a = 'x'", props{}, U},
	{"'x' = a", props{}, F},
	{"a = b", props{}, T},
	{"a = b", props{"a": "1", "b": "1"}, T},
	{"a <> 'x'", props{}, U},
	{"a <> 'x'", props{"a": "y"}, T},
	{"a <> 'x'", props{"a": "x"}, F},
	{"'x' <> a", props{}, T},
	{"a = 'it''s'", props{"a": "it's"}, T},
	{"a = TRUE", props{"a": "TRUE"}, T},
	{"a = TRUE", props{"a": "yes"}, F},
	{"TRUE = a", props{"a": "true"}, E}, // Java casts the Boolean to String
	{"TRUE = a", props{}, F},
	{"1 = TRUE", props{}, F},
	{"2 = 2.0", props{}, T},
	{"'5' = 5", props{}, T},
	{"a = 1 = TRUE", props{"a": "1"}, T},
	{"a = 1 = TRUE", props{}, U},
	{"a = 'x' IS NULL", props{}, T},
	// IS [NOT] NULL.
	{"a IS NULL", props{}, T},
	{"a IS NULL", props{"a": "1"}, F},
	{"a IS NOT NULL", props{}, F},
	{"a IS NOT NULL", props{"a": ""}, T},
	{"a iS nOt NuLl", props{"a": "1"}, T},
	// BETWEEN is (a >= low AND a <= high); NOT BETWEEN (a < low OR a > high).
	{"a BETWEEN 1 AND 10", props{"a": "5"}, T},
	{"a BETWEEN 1 AND 10", props{"a": "10"}, T},
	{"a BETWEEN 1 AND 10", props{"a": "11"}, F},
	{"a BETWEEN 1 AND 10", props{}, U},
	{"a BETWEEN 1 AND 10", props{"a": "x"}, E},
	{"a BETWEEN 1.5 AND 3000000000", props{"a": "2"}, T},
	{"a BETWEEN -5 AND 5", props{"a": "-5"}, T},
	{"a NOT BETWEEN 1 AND 10", props{"a": "0"}, T},
	{"a NOT BETWEEN 1 AND 10", props{"a": "5"}, F},
	{"a NOT BETWEEN 1 AND 10", props{}, U},
	{"a NOT BETWEEN 10 AND 1", props{"a": "5"}, T}, // unchecked bounds
	// IN takes string literals and a string property.
	{"a IN ('x', 'y')", props{"a": "x"}, T},
	{"a IN ('x', 'y')", props{"a": "z"}, F},
	{"a IN ('x', 'y')", props{}, U},
	{"a NOT IN ('x', 'y')", props{"a": "z"}, T},
	{"a NOT IN ('x', 'y')", props{"a": "y"}, F},
	{"a NOT IN ('x', 'y')", props{}, U},
	{"a IN ('1', '2', '3', '4', '5', '6')", props{"a": "6"}, T},
	{"a IN ('1', '2', '3', '4', '5', '6')", props{"a": "7"}, F},
	{"(a) IN ('x')", props{"a": "x"}, T},
	// CONTAINS and friends are FALSE, not unknown, without a string.
	{"a CONTAINS 'ell'", props{"a": "hello"}, T},
	{"a CONTAINS 'ell'", props{"a": "help"}, F},
	{"a CONTAINS 'ell'", props{}, F},
	{"a NOT CONTAINS 'ell'", props{}, F},
	{"a NOT CONTAINS 'ell'", props{"a": "abc"}, T},
	{"NOT (a CONTAINS 'x')", props{}, T},
	{"a CONTAINS ''", props{"a": "x"}, F},
	{"a NOT CONTAINS ''", props{"a": "x"}, F},
	{"a STARTSWITH 'he'", props{"a": "hello"}, T},
	{"a NOT STARTSWITH 'he'", props{"a": "hello"}, F},
	{"a ENDSWITH 'lo'", props{"a": "hello"}, T},
	{"a NOT ENDSWITH 'lo'", props{"a": "help"}, T},
	{"5 CONTAINS 'x'", props{}, F},
	{"(a = 1) CONTAINS ''", props{"a": "x"}, F}, // the operand is not evaluated
	// Three-valued AND / OR, short-circuiting left to right.
	{"a = 1 AND b = 2", props{"a": "1", "b": "2"}, T},
	{"a = 1 AND b = 2", props{"a": "1"}, U},
	{"a = 1 AND b = 2", props{"a": "2"}, F},
	{"a = 1 AND b = 2", props{"b": "3"}, F},
	{"a = 1 OR b = 2", props{"b": "2"}, T},
	{"a = 1 OR b = 2", props{}, U},
	{"a = 1 OR b = 2", props{"a": "0", "b": "0"}, F},
	{"b = 'x' OR a > 5", props{"b": "x", "a": "zz"}, T},
	{"a > 5 OR b = 'x'", props{"b": "x", "a": "zz"}, E},
	{"a > 5 AND b = 'x'", props{"a": "1"}, F},
	{"a > 5 AND b = 'x'", props{"a": "zz"}, E},
	{"a > 5 AND b = 'x'", props{"a": "6", "b": "x"}, T},
	{"(a = 1 OR a = 2) AND NOT (b = 'x')", props{"a": "2", "b": "y"}, T},
	// NOT binds to one operand; a bare property is a FALSE condition.
	{"NOT (a > 5)", props{"a": "1"}, T},
	{"NOT (a > 5)", props{}, U},
	{"NOT a", props{"a": "x"}, T},
	{"NOT a", props{}, U},
	{"a", props{"a": "true"}, F},
	{"a", props{}, U},
	{"NOT a = 1", props{"a": "1"}, F}, // (NOT a) = 1
	{"NOT a = 1", props{}, U},
	{"NOT NOT (a = 1)", props{"a": "1"}, T},
	{"TRUE", props{}, T},
	{"FALSE", props{}, F},
	{"NULL", props{}, U},
	{"NOT NULL", props{}, U},
	// Negation applies to numbers only.
	{"-a > 5", props{"a": "-10"}, U},
	{"-(-5) = 5", props{}, T},
	{"+a > 5", props{"a": "6"}, T},
	// Lexical details.
	{"a > 5 and B = 'x'", props{"a": "10", "B": "x"}, T},
	{"a > 5 and B = 'x'", props{"a": "10", "b": "x"}, U},
	{"$a_1 = 1", props{"$a_1": "1"}, T},
	{"a = 1 /* c */ AND b = 2 -- trailing\n", props{"a": "1", "b": "2"}, T},
	{"-- leading\r\na = 1", props{"a": "1"}, T},
	{"a=5and b=1", props{"a": "5", "b": "1"}, T},
	{"a = .5", props{"a": "0.5"}, T},
	{"a = 5.", props{"a": "5"}, T},
	{"a = 5L", props{"a": "5"}, T},
	{"a = 9223372036854775807L", props{"a": "9223372036854775807"}, T},
	{"a = 'x\ny'", props{"a": "x\ny"}, T},
	// Java stops after the expression and the one token it peeked.
	{"a = 1 b = 2", props{"a": "1"}, T},
	{"a = 1 )", props{"a": "1"}, T},
	{"a LIKE 'x'", props{"a": "x"}, F},
	{"a = 1 -- no line break", props{"a": "1"}, T},
	{"a = 0L", props{"a": "0"}, T},
}

func TestEvaluate(t *testing.T) {
	for _, c := range evalCases {
		e, err := Parse(c.expr)
		if err != nil {
			t.Errorf("Parse(%q): %v", c.expr, err)
			continue
		}
		if got := e.evaluate(c.props.get); got != c.want {
			t.Errorf("%q with %v = %v, want %v (parsed as %s)", c.expr, c.props, got, c.want, e)
		}
		if got := e.Match(c.props.get); got != (c.want == T) {
			t.Errorf("%q with %v: Match = %v", c.expr, c.props, got)
		}
		// The printed form means the same.
		e2, err := Parse(e.String())
		if err != nil {
			t.Errorf("Parse(String(%q) = %q): %v", c.expr, e.String(), err)
			continue
		}
		if got := e2.evaluate(c.props.get); got != c.want {
			t.Errorf("%q printed as %q evaluates to %v, want %v", c.expr, e, got, c.want)
		}
	}
}

func TestString(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"a > 5 AND b = 'x'", "((a > 5) AND (b = 'x'))"},
		{"NOT a = 1", "((NOT a) = 1)"},
		{"a not between -1 and 2.5", "(a NOT BETWEEN -(1) AND 2.5e+00)"},
		{"a in ('x', 'it''s') or b is not null", "((a IN ('x', 'it''s')) OR (b IS NOT NULL))"},
		{"a not startswith 'p'", "(a NOT STARTSWITH 'p')"},
		{"a = 3000000000", "(a = 3000000000)"},
		{"- -a = 1", "(-(-(a)) = 1)"},
		{"a", "a"},
		{"null", "NULL"},
	} {
		e, err := Parse(c.in)
		if err != nil {
			t.Fatalf("Parse(%q): %v", c.in, err)
		}
		if got := e.String(); got != c.want {
			t.Errorf("String(%q) = %q, want %q", c.in, got, c.want)
		}
		if e.Source() != c.in {
			t.Errorf("Source() = %q", e.Source())
		}
	}
}

// Expressions Java's SelectorParser rejects, with the offset the error
// names.
var invalidCases = []struct {
	expr   string
	offset int
}{
	{"", 0},
	{"   ", 3},
	{"-- only a comment\n", 18},
	{"5", 0},
	{"'x'", 0},
	{"-a", 0},
	{"1a = 1", 0},
	{"a = NULL", 2},
	{"NULL = a", 5},
	{"a <> NULL", 2},
	{"TRUE = 1", 5},
	{"a > 'x'", 2},
	{"'x' < a", 4},
	{"a > TRUE", 2},
	{"a > NULL", 2},
	{"(a = 1) > 2", 8},
	{"a > b > c", 6},
	{"NOT a > 1", 6},
	{"a BETWEEN 10 AND 1", 2},
	{"a BETWEEN 'a' AND 'b'", 2},
	{"a BETWEEN NULL AND 1", 2},
	{"a BETWEEN 1 AND TRUE", 2},
	{"a BETWEEN 1 OR 2", 12},
	{"a IN ()", 6},
	{"a IN ('x',)", 10},
	{"a IN (1, 2)", 6},
	{"a IN 'x'", 5},
	{"5 IN ('x')", 2},
	{"NOT a IN ('x')", 6},
	{"a CONTAINS 5", 11},
	{"a CONTAINS b", 11},
	{"a NOT x", 2},
	{"a IS 5", 5},
	{"a IS NOT 5", 9},
	{"a != 1", 2},
	{"a = 1 AND", 9},
	{"a = 1 OR 5", 9},
	{"NOT 5", 0},
	{"NOT 'x'", 0},
	{"(a = 1", 6},
	{"a = 'unterminated", 4},
	{"a = 'x'' ", 7},
	{"a = 1 /* unterminated", 6},
	{"a = 1 !", 6},
	{"a = 1 NOT", 6},
	{"a = 0.0", 4},
	{"a = 1e400", 4},
	{"a = 1e-400", 4},
	{"a = 99999999999999999999", 4},
	{"a = 9223372036854775808", 4},
	{"a.b = 1", 1},
	{"a = \"x\"", 4},
	{"a = 1 OR ", 9},
	{"a = 'ü' AND b = ü", 17},
	{strings.Repeat("(", 3000) + "a" + strings.Repeat(")", 3000), 2002},
	{strings.Repeat("NOT ", 2000) + "a", 8001},
	{strings.Repeat("a = 1 AND ", 1500) + "a = 1", 9999},
}

func TestInvalid(t *testing.T) {
	for _, c := range invalidCases {
		e, err := Parse(c.expr)
		if err == nil {
			t.Errorf("Parse(%q) = %s, want an error", abbrev(c.expr), e)
			continue
		}
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q): %T %v, want *SyntaxError", abbrev(c.expr), err, err)
			continue
		}
		if se.Offset != c.offset {
			t.Errorf("Parse(%q): error at offset %d, want %d: %v", abbrev(c.expr), se.Offset, c.offset, err)
		}
		if !strings.Contains(err.Error(), "line ") {
			t.Errorf("error %q does not name the position", err)
		}
	}
}

// The deepest expressions Parse accepts print to text it accepts again.
func TestDeepExpressionsRoundTrip(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("NOT ", maxDepth-2) + "a",
		strings.Repeat("a = 1 AND ", maxDepth/2-1) + "a = 1",
		strings.Repeat("- ", maxDepth-2) + "a = 1",
		strings.Repeat("(", maxParseRecursion) + "a" + strings.Repeat(")", maxParseRecursion),
	} {
		e, err := Parse(src)
		if err != nil {
			t.Fatalf("Parse(%s): %v", abbrev(src), err)
		}
		e2, err := Parse(e.String())
		if err != nil {
			t.Fatalf("Parse(String(%s)): %v", abbrev(src), err)
		}
		if e2.String() != e.String() || e2.evaluate(props{"a": "1"}.get) != e.evaluate(props{"a": "1"}.get) {
			t.Fatalf("%s does not round-trip", abbrev(src))
		}
	}
}

func TestErrorNamesLineAndColumn(t *testing.T) {
	_, err := Parse("a = 1 AND\n  b > 'x'")
	want := "filter: line 2, column 5 (offset 14): value ''x'' cannot be compared"
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v, want %s", err, want)
	}
}

func TestJavaNumbers(t *testing.T) {
	for _, c := range []struct {
		s      string
		long   bool
		want   int64
		wantOK bool
	}{
		{"0", false, 0, true},
		{"-0", false, 0, true},
		{"+7", false, 7, true},
		{"2147483647", false, 2147483647, true},
		{"2147483648", false, 0, false},
		{"-2147483648", false, -2147483648, true},
		{"-2147483649", false, 0, false},
		{"2147483648", true, 2147483648, true},
		{"9223372036854775807", true, 9223372036854775807, true},
		{"-9223372036854775808", true, -9223372036854775808, true},
		{"9223372036854775808", true, 0, false},
		{"", false, 0, false},
		{"-", false, 0, false},
		{"1 ", false, 0, false},
		{"1_0", false, 0, false},
		{"\u0661\u0662", false, 12, true},      // ARABIC-INDIC ONE TWO
		{"\U0001D7CF", false, 0, false},        // MATHEMATICAL BOLD ONE: not a BMP char
		{"\uff15", false, 5, true},             // FULLWIDTH FIVE
		{"\xff", false, 0, false},              // invalid UTF-8
		{"\u0e51\u0e50", true, 10, true},       // THAI ONE ZERO
		{"\u07c0", false, 0, true},             // NKO ZERO
		{"\u1040\u1049", false, 9, true},       // MYANMAR ZERO NINE
		{"\u0966\u096f", false, 9, true},       // DEVANAGARI ZERO NINE
		{"٣٠٠٠٠٠٠٠٠٠", false, 0, false},        // 3000000000 overflows an int
		{"٣٠٠٠٠٠٠٠٠٠", true, 3000000000, true}, // but not a long
	} {
		got, ok := parseJavaInteger(c.s, c.long)
		if ok != c.wantOK || got != c.want {
			t.Errorf("parseJavaInteger(%q, %v) = %d, %v; want %d, %v", c.s, c.long, got, ok, c.want, c.wantOK)
		}
	}
	for _, c := range []struct {
		s      string
		want   float64
		wantOK bool
	}{
		{"1", 1, true},
		{" 1.5 ", 1.5, true},
		{"\t-2e3\n", -2000, true},
		{".5", 0.5, true},
		{"5.", 5, true},
		{"1.e2", 100, true},
		{"+1E+2", 100, true},
		{"1f", 1, true},
		{"1D", 1, true},
		{"0x10p0", 16, true},
		{"0X.8P1", 1, true},
		{"-Infinity", -1 / zero(), true},
		{"1e999", 1 / zero(), true},
		{"1e-999", 0, true},
		{"", 0, false},
		{".", 0, false},
		{"e5", 0, false},
		{"1e", 0, false},
		{"0x10", 0, false},
		{"1_0", 0, false},
		{"inf", 0, false},
		{"nan", 0, false},
		{"NaNd", 0, false},
		{"1ff", 0, false},
		{"1 2", 0, false},
	} {
		got, ok := parseJavaDouble(c.s)
		if ok != c.wantOK || ok && got != c.want {
			t.Errorf("parseJavaDouble(%q) = %v, %v; want %v, %v", c.s, got, ok, c.want, c.wantOK)
		}
	}
	if f, ok := parseJavaDouble("NaN"); !ok || f == f {
		t.Errorf("parseJavaDouble(NaN) = %v, %v", f, ok)
	}
}

func zero() float64 { return 0 }

func abbrev(s string) string {
	if len(s) > 60 {
		return s[:60] + "..."
	}
	return s
}
