package codec

import (
	"errors"
	"fmt"
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
func (r *ExtReader) Int64(key string, required bool) int64 {
	v, ok := r.raw(key, required)
	if !ok {
		return 0
	}
	n, err := strconv.ParseInt(strings.TrimSpace(v), 10, 64)
	if err != nil {
		if f, ferr := strconv.ParseFloat(v, 64); ferr == nil {
			return int64(f)
		}
		if r.err == nil {
			r.err = fmt.Errorf("%w: the custom field <%s> is not a number: %q", ErrBadField, key, v)
		}
	}
	return n
}

// Int32 returns an int field (0 when absent).
func (r *ExtReader) Int32(key string, required bool) int32 { return int32(r.Int64(key, required)) }

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
