package broker

import (
	"sync"

	"github.com/booster-mq/booster/codec"
)

// subscriptionCacheMax bounds the cache of posted subscriptions; past it
// the cache starts over.
const subscriptionCacheMax = 4096

// subscriptionCache keeps the compiled filters of the subscriptions that
// pulls carry (the Go client posts its expression with every pull), so a
// pull does not split tags or compile SQL92 each time. Entries are
// immutable and shared.
type subscriptionCache struct {
	mu sync.Mutex
	m  map[subscriptionKey]*subscription
}

type subscriptionKey struct {
	topic, exprType, expr string
}

// get returns the compiled subscription for sd, compiling it on a miss.
func (c *subscriptionCache) get(sd codec.SubscriptionData) *subscription {
	k := subscriptionKey{sd.Topic, sd.ExpressionType, sd.SubString}
	c.mu.Lock()
	s, ok := c.m[k]
	c.mu.Unlock()
	if ok {
		return s
	}
	s = newSubscription(sd)
	c.mu.Lock()
	if c.m == nil || len(c.m) >= subscriptionCacheMax {
		c.m = make(map[subscriptionKey]*subscription)
	}
	c.m[k] = s
	c.mu.Unlock()
	return s
}
