package filter

import (
	"math"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// kind is the Java type of a runtime value.
type kind uint8

const (
	kNull   kind = iota
	kBool        // java.lang.Boolean
	kString      // java.lang.String
	kInt         // java.lang.Integer
	kLong        // java.lang.Long
	kDouble      // java.lang.Double
)

// value is one runtime value. Strings alias the property values handed to
// Match, so evaluation does not allocate.
type value struct {
	k kind
	b bool
	i int64 // kInt (within int32) and kLong
	f float64
	s string
}

var (
	vNull  = value{}
	vTrue  = value{k: kBool, b: true}
	vFalse = value{k: kBool}
)

func boolValue(b bool) value {
	if b {
		return vTrue
	}
	return vFalse
}

func (v value) isNumber() bool { return v.k == kInt || v.k == kLong || v.k == kDouble }

// num returns a numeric value as a double (Number.doubleValue).
func (v value) num() float64 {
	if v.k == kDouble {
		return v.f
	}
	return float64(v.i)
}

// literal writes the value as the selector literal that reads back as it.
func (v value) literal(b *strings.Builder) {
	switch v.k {
	case kNull:
		b.WriteString("NULL")
	case kBool:
		if v.b {
			b.WriteString("TRUE")
		} else {
			b.WriteString("FALSE")
		}
	case kString:
		b.WriteByte('\'')
		b.WriteString(strings.ReplaceAll(v.s, "'", "''"))
		b.WriteByte('\'')
	case kInt, kLong:
		b.WriteString(strconv.FormatInt(v.i, 10))
	case kDouble:
		b.WriteString(strconv.FormatFloat(v.f, 'e', -1, 64))
	}
}

// javaEquals is Object.equals between two non-null values: same class and
// same value (Double.equals compares bits, so NaN equals NaN and -0.0
// does not equal 0.0).
func javaEquals(l, r value) bool {
	if l.k != r.k {
		return false
	}
	switch l.k {
	case kBool:
		return l.b == r.b
	case kString:
		return l.s == r.s
	case kInt, kLong:
		return l.i == r.i
	case kDouble:
		return javaDoubleCompare(l.f, r.f) == 0
	}
	return true
}

// javaDoubleCompare is Double.compare: numeric order, with -0.0 below 0.0
// and NaN above everything (and equal to itself).
func javaDoubleCompare(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	ab, bb := doubleBits(a), doubleBits(b)
	switch {
	case ab == bb:
		return 0
	case ab < bb:
		return -1
	}
	return 1
}

// doubleBits is Double.doubleToLongBits: the IEEE bits as a signed long,
// with every NaN collapsed to the canonical one.
func doubleBits(f float64) int64 {
	if f != f {
		return 0x7ff8000000000000
	}
	return int64(math.Float64bits(f))
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

func cmpBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// javaCompare is ComparisonExpression.__compare with string conversion on
// (as the Java parser always builds it), for two non-null values. Values
// of different classes are converted towards each other: numbers widen,
// a string is parsed as the other side's number type or as a Boolean.
// Pairs with no conversion compare as -1. ok is false where Java throws
// (a string that does not parse, or a Boolean against a string), which
// aborts the evaluation.
func javaCompare(l, r value) (c int, ok bool) {
	if l.k == r.k {
		switch l.k {
		case kBool:
			return cmpBool(l.b, r.b), true
		case kString:
			return strings.Compare(l.s, r.s), true
		case kInt, kLong:
			return cmpInt(l.i, r.i), true
		case kDouble:
			return javaDoubleCompare(l.f, r.f), true
		}
		return 0, true
	}
	switch l.k {
	case kBool:
		if r.k == kString {
			return 0, false // Java casts the Boolean to String: ClassCastException
		}
		return -1, true
	case kInt, kLong:
		switch r.k {
		case kInt, kLong:
			return cmpInt(l.i, r.i), true
		case kDouble:
			return javaDoubleCompare(float64(l.i), r.f), true
		case kString:
			n, ok := parseJavaInteger(r.s, l.k == kLong)
			return cmpInt(l.i, n), ok
		}
		return -1, true
	case kDouble:
		switch r.k {
		case kInt, kLong:
			return javaDoubleCompare(l.f, float64(r.i)), true
		case kString:
			f, ok := parseJavaDouble(r.s)
			return javaDoubleCompare(l.f, f), ok
		}
		return -1, true
	case kString:
		switch r.k {
		case kBool:
			return cmpBool(strings.EqualFold(l.s, "true"), r.b), true
		case kInt, kLong:
			n, ok := parseJavaInteger(l.s, r.k == kLong)
			return cmpInt(n, r.i), ok
		case kDouble:
			f, ok := parseJavaDouble(l.s)
			return javaDoubleCompare(f, r.f), ok
		}
	}
	return -1, true
}

// parseJavaInteger is Integer.valueOf (long false) or Long.valueOf (long
// true): an optional sign and decimal digits, which may be any Unicode
// decimal digits of the Basic Multilingual Plane (Character.digit), no
// white space, within range.
func parseJavaInteger(s string, long bool) (int64, bool) {
	if s == "" {
		return 0, false
	}
	neg := false
	i := 0
	if s[0] == '+' || s[0] == '-' {
		neg = s[0] == '-'
		i = 1
		if len(s) == 1 {
			return 0, false
		}
	}
	limit := uint64(math.MaxInt64)
	if !long {
		limit = math.MaxInt32
	}
	if neg {
		limit++
	}
	var n uint64
	for i < len(s) {
		d := -1
		if c := s[i]; c < utf8.RuneSelf {
			if isDigit(c) {
				d = int(c - '0')
			}
			i++
		} else {
			r, size := utf8.DecodeRuneInString(s[i:])
			d = unicodeDigit(r)
			i += size
		}
		if d < 0 {
			return 0, false
		}
		if n > (limit-uint64(d))/10 {
			return 0, false
		}
		n = n*10 + uint64(d)
	}
	if neg {
		return -int64(n-1) - 1, true
	}
	return int64(n), true
}

// unicodeDigit is the value of a non-ASCII BMP decimal digit, or -1.
// Unicode decimal digits come in runs of ten from zero to nine.
func unicodeDigit(r rune) int {
	if r > 0xFFFF || r == utf8.RuneError || !unicode.IsDigit(r) {
		return -1
	}
	d := 0
	for d < 9 && unicode.IsDigit(r-rune(d)-1) {
		d++
	}
	return d
}

// parseJavaDouble is Double.valueOf: surrounding characters <= ' ' are
// trimmed; then an optional sign and NaN, Infinity, a decimal number
// (digits with an optional point and exponent, at least one digit) or a
// hexadecimal one (0x…p…), optionally followed by one of fFdD.
func parseJavaDouble(s string) (float64, bool) {
	s = strings.TrimFunc(s, func(r rune) bool { return r <= ' ' })
	if s == "" {
		return 0, false
	}
	body := s
	sign := 1.0
	if body[0] == '+' || body[0] == '-' {
		if body[0] == '-' {
			sign = -1
		}
		body = body[1:]
	}
	switch body {
	case "NaN":
		return math.NaN(), true
	case "Infinity":
		return math.Inf(int(sign)), true
	}
	if n := len(body); n > 0 && strings.IndexByte("fFdD", body[n-1]) >= 0 {
		body = body[:n-1]
	}
	if !javaDecimal(body) && !javaHex(body) {
		return 0, false
	}
	f, err := strconv.ParseFloat(body, 64)
	if err != nil && f == 0 {
		return 0, false
	}
	return sign * f, true // an overflow is ±Inf, as in Java
}

// javaDecimal matches digits [. digits] [eE [+-] digits] with at least one
// mantissa digit.
func javaDecimal(s string) bool {
	i, digits := 0, 0
	for i < len(s) && isDigit(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isDigit(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 {
		return false
	}
	if i == len(s) {
		return true
	}
	return exponentLen(s[i:]) == len(s)-i
}

// javaHex matches 0x hexdigits [. hexdigits] pP [+-] digits with at least
// one hex digit.
func javaHex(s string) bool {
	if len(s) < 3 || s[0] != '0' || s[1] != 'x' && s[1] != 'X' {
		return false
	}
	isHex := func(c byte) bool { return isDigit(c) || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' }
	i, digits := 2, 0
	for i < len(s) && isHex(s[i]) {
		i++
		digits++
	}
	if i < len(s) && s[i] == '.' {
		i++
		for i < len(s) && isHex(s[i]) {
			i++
			digits++
		}
	}
	if digits == 0 || i >= len(s) || s[i] != 'p' && s[i] != 'P' {
		return false
	}
	i++
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	exp := 0
	for i < len(s) && isDigit(s[i]) {
		i++
		exp++
	}
	return exp > 0 && i == len(s)
}
