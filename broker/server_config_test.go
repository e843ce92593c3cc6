package broker

import (
	"testing"
	"time"

	"github.com/booster-mq/booster/wire/transport"
)

func serverConfigOf(t *testing.T, kv ...string) transport.ServerConfig {
	t.Helper()
	cfg := DefaultConfig()
	for i := 0; i+1 < len(kv); i += 2 {
		if known, err := cfg.Set(kv[i], kv[i+1]); !known || err != nil {
			t.Fatalf("%s=%s: %v %v", kv[i], kv[i+1], known, err)
		}
	}
	b := &Broker{}
	b.cfg.Store(&cfg)
	return b.serverConfig()
}

// The broker.conf keys reach the remoting server.
func TestServerConfigFromKeys(t *testing.T) {
	sc := serverConfigOf(t)
	if sc.IdleTimeout != 120*time.Second || sc.Pools[transport.Send].MaxWait != 200*time.Millisecond ||
		sc.Pools[transport.Pull].MaxWait != 5*time.Second || sc.Pools[transport.Heartbeat].MaxWait != 31*time.Second ||
		sc.Busy == nil || sc.MaxPendingWrite != 64<<20 || sc.MaxConns <= 0 || sc.Pools[transport.Send].Workers != 16 {
		t.Fatalf("defaults: %+v", sc)
	}
	sc = serverConfigOf(t, "serverChannelMaxIdleTimeSeconds", "0", "waitTimeMillsInSendQueue", "50",
		"serverMaxConnections", "10", "serverMaxPendingWriteBytes", "4096", "flushDiskType", "SYNC_FLUSH")
	if sc.IdleTimeout != 0 || sc.Pools[transport.Send].MaxWait != 50*time.Millisecond || sc.MaxConns != 10 ||
		sc.MaxPendingWrite != 4096 || sc.Pools[transport.Send].Workers != syncSendWorkers {
		t.Fatalf("set: %+v", sc)
	}
	sc = serverConfigOf(t, "brokerFastFailureEnable", "false")
	for class := transport.Send; class <= transport.Txn; class++ {
		if sc.Pools[class].MaxWait != 0 {
			t.Fatalf("fast failure off, %v waits %v", class, sc.Pools[class].MaxWait)
		}
	}
	if sc.Busy != nil {
		t.Fatal("fast failure off, store congestion still checked")
	}
}
