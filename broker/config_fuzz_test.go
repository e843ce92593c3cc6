package broker

import (
	"reflect"
	"testing"

	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/store"
)

// FuzzConfigSet applies one broker.conf key (any broker or store key, or
// an unknown one) with fuzzed text on top of the defaults, then validates:
// nothing panics, and an accepted value printed back by Properties (what
// GET_BROKER_CONFIG shows) sets the same configuration again.
func FuzzConfigSet(f *testing.F) {
	def := DefaultConfig()
	var keys []string
	for _, p := range def.Properties() {
		keys = append(keys, p.Key)
	}
	scfg := store.DefaultConfig("data")
	for _, p := range compat.ConfProperties(&scfg) {
		keys = append(keys, p.Key)
	}
	keys = append(keys, "noSuchKey")
	for i, v := range []string{"true", "0", "-1", "1s 5s 10s", "1x", "SYNC_FLUSH", "SLAVE", "9223372036854775807", "127.0.0.1:9876;127.0.0.2:9876", "", "\x00"} {
		f.Add(uint16(i*7), v)
	}
	f.Fuzz(func(t *testing.T, k uint16, value string) {
		key := keys[int(k)%len(keys)]
		c := DefaultConfig()
		known, err := c.Set(key, value)
		_ = c.Validate()
		if !known || err != nil {
			return
		}
		var printed string
		found := false
		for _, p := range c.Properties() {
			if p.Key == key {
				printed, found = p.Value, true
			}
		}
		if !found {
			printed = c.StoreKeys[key]
		}
		c2 := DefaultConfig()
		if _, err := c2.Set(key, printed); err != nil {
			t.Fatalf("%s=%q printed as %q, which does not set: %v", key, value, printed, err)
		}
		if !reflect.DeepEqual(c.Properties(), c2.Properties()) {
			t.Fatalf("%s=%q and its printed form %q give different configs", key, value, printed)
		}
	})
}
