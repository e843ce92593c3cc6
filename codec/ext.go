package codec

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/booster-mq/booster/wire"
)

// ErrMissingField is wrapped by header decode errors for required fields.
var ErrMissingField = errors.New("missing required field")

// ErrBadField is wrapped by header decode errors for unparsable values.
var ErrBadField = errors.New("bad field value")

// ExtReader reads typed ext fields of a command with a sticky error that
// names the first missing or malformed field, in Java's words.
type ExtReader struct {
	ext wire.Fields
	err error
}

// NewExtReader reads cmd's ext fields.
func NewExtReader(cmd *wire.Command) *ExtReader { return &ExtReader{ext: cmd.Ext} }

// Err returns the first decode error.
func (r *ExtReader) Err() error { return r.err }

func (r *ExtReader) raw(key string, required bool) (string, bool) {
	v, ok := r.ext.Get(key)
	if !ok || v == "" || v == "null" {
		if required && r.err == nil {
			r.err = fmt.Errorf("%w: the custom field <%s> is null", ErrMissingField, key)
		}
		return "", false
	}
	return v, true
}

// String returns a string field.
func (r *ExtReader) String(key string, required bool) string {
	v, _ := r.raw(key, required)
	return v
}

// Int64 returns an integer field (0 when absent).
func (r *ExtReader) Int64(key string, required bool) int64 { return r.int(key, required, 64) }

// Int32 returns an int field (0 when absent). A value outside int32 is a
// bad field, as Java's Integer.parseInt refuses it.
func (r *ExtReader) Int32(key string, required bool) int32 { return int32(r.int(key, required, 32)) }

func (r *ExtReader) int(key string, required bool, bits int) int64 {
	v, ok := r.raw(key, required)
	if !ok {
		return 0
	}
	n, ok := parseInt(v, bits)
	if !ok && r.err == nil {
		r.err = fmt.Errorf("%w: the custom field <%s> is not a number: %q", ErrBadField, key, v)
	}
	return n
}

// parseInt reads a decimal integer of the given size; an integral value
// written as a float ("3.0", as some clients render numbers) is accepted,
// but not NaN, infinities or anything out of range.
func parseInt(v string, bits int) (int64, bool) {
	v = strings.TrimSpace(v)
	n, err := strconv.ParseInt(v, 10, bits)
	if err == nil {
		return n, true
	}
	f, ferr := strconv.ParseFloat(v, 64)
	lim := math.Ldexp(1, bits-1)
	if ferr != nil || math.IsNaN(f) || f < -lim || f >= lim {
		return 0, false
	}
	return int64(f), true
}

// Bool returns a boolean field (false when absent).
func (r *ExtReader) Bool(key string, required bool) bool {
	v, ok := r.raw(key, required)
	return ok && strings.EqualFold(v, "true")
}

// BoolDefault returns a boolean field, or def when absent.
func (r *ExtReader) BoolDefault(key string, def bool) bool {
	v, ok := r.raw(key, false)
	if !ok {
		return def
	}
	return strings.EqualFold(v, "true")
}

// Has reports whether key is present and non-empty.
func (r *ExtReader) Has(key string) bool {
	_, ok := r.raw(key, false)
	return ok
}
