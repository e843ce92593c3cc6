package proxy

import (
	"testing"
	"time"

	"github.com/booster-mq/booster/proxy/v2pb"
)

func TestCheckInvisible(t *testing.T) {
	for _, c := range []struct {
		d  time.Duration
		ok bool
	}{
		{0, true}, // a push consumer's immediate retry
		{2 * time.Second, true},
		{12 * time.Hour, true},
		{12*time.Hour + time.Millisecond, false},
		{-time.Millisecond, false},
	} {
		sts := checkInvisible(c.d)
		if (sts == nil) != c.ok {
			t.Errorf("checkInvisible(%v) = %v, want ok=%v", c.d, sts, c.ok)
		}
		if sts != nil && sts.GetCode() != v2pb.Code_ILLEGAL_INVISIBLE_TIME {
			t.Errorf("checkInvisible(%v) code %v", c.d, sts.GetCode())
		}
	}
}
