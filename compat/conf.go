package compat

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// SetConf sets the field of the struct pointed to by dst whose `conf` tag
// is key, parsing value the way Java's MixAll.properties2Object does for the
// field's type. It reports whether the key is known.
// time.Duration fields are given in milliseconds, as Java's *Millis keys are.
// The fields of an embedded struct without a tag count as dst's own.
func SetConf(dst any, key, value string) (bool, error) {
	return setConf(reflect.ValueOf(dst).Elem(), key, value)
}

// embedded reports whether field i of t is an untagged embedded struct
// whose conf keys belong to t.
func embedded(t reflect.Type, i int) bool {
	sf := t.Field(i)
	return sf.Anonymous && sf.Type.Kind() == reflect.Struct && sf.Tag.Get("conf") == ""
}

func setConf(v reflect.Value, key, value string) (bool, error) {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if embedded(t, i) {
			if known, err := setConf(v.Field(i), key, value); known {
				return known, err
			}
			continue
		}
		if t.Field(i).Tag.Get("conf") != key {
			continue
		}
		f := v.Field(i)
		value = strings.TrimSpace(value)
		switch f.Kind() {
		case reflect.String:
			f.SetString(value)
		case reflect.Bool:
			b, err := strconv.ParseBool(value)
			if err != nil {
				return true, fmt.Errorf("%s: %q is not a boolean", key, value)
			}
			f.SetBool(b)
		case reflect.Int, reflect.Int32, reflect.Int64:
			n, err := strconv.ParseInt(value, 10, f.Type().Bits())
			if err != nil {
				return true, fmt.Errorf("%s: %q is not an integer", key, value)
			}
			if f.Type() == reflect.TypeOf(time.Duration(0)) {
				if n > math.MaxInt64/int64(time.Millisecond) || n < math.MinInt64/int64(time.Millisecond) {
					return true, fmt.Errorf("%s: %q milliseconds is out of range", key, value)
				}
				n *= int64(time.Millisecond)
			}
			f.SetInt(n)
		case reflect.Float64:
			n, err := strconv.ParseFloat(value, 64)
			if err != nil {
				return true, fmt.Errorf("%s: %q is not a number", key, value)
			}
			f.SetFloat(n)
		default:
			return true, fmt.Errorf("%s: unsupported field type %s", key, f.Type())
		}
		return true, nil
	}
	return false, nil
}

// ConfProperties lists every `conf`-tagged field of the struct pointed to
// by src as key=value pairs in field order (durations in milliseconds).
func ConfProperties(src any) []Property {
	return confProperties(reflect.ValueOf(src).Elem(), nil)
}

func confProperties(v reflect.Value, out []Property) []Property {
	t := v.Type()
	for i := 0; i < t.NumField(); i++ {
		if embedded(t, i) {
			out = confProperties(v.Field(i), out)
			continue
		}
		key := t.Field(i).Tag.Get("conf")
		if key == "" {
			continue
		}
		f := v.Field(i)
		var s string
		if f.Type() == reflect.TypeOf(time.Duration(0)) {
			s = strconv.FormatInt(f.Int()/int64(time.Millisecond), 10)
		} else {
			s = fmt.Sprint(f.Interface())
		}
		out = append(out, Property{Key: key, Value: s})
	}
	return out
}
