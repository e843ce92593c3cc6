package namesrv

import (
	"log/slog"
	"slices"
	"testing"

	"github.com/booster-mq/booster/wire"
)

func TestRoutesSortedOnePerCode(t *testing.T) {
	rows := (&Server{}).handlers()
	for i := 1; i < len(rows); i++ {
		if rows[i-1].Code >= rows[i].Code {
			t.Fatalf("route table not strictly sorted at %v, %v", rows[i-1].Code, rows[i].Code)
		}
	}
	// The codes Java's NameServer answers (DefaultRequestProcessor and
	// ClientRequestProcessor).
	want := []wire.RequestCode{100, 101, 102, 103, 104, 105, 106, 205, 206, 216, 217, 219, 224,
		304, 311, 312, 313, 318, 319, 322, 327, 901, 904}
	var got []wire.RequestCode
	for _, r := range rows {
		got = append(got, r.Code)
	}
	if !slices.Equal(got, want) {
		t.Fatalf("routed %v, want %v", got, want)
	}
}

func TestUnknownCodeAnswered3(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	for _, st := range []wire.SerializeType{wire.JSON, wire.RocketMQ} {
		cl := dial(t, s.Addr(), st)
		expectCode(t, call(t, cl, wire.RequestCode(999), nil), wire.RequestCodeNotSupported, " request type 999 not supported")
		expectCode(t, call(t, cl, wire.SendMessage, nil), wire.RequestCodeNotSupported, " request type 10 not supported")
		// The connection still serves.
		expectCode(t, call(t, cl, wire.GetBrokerClusterInfo, nil), wire.Success, "")
	}
}

func TestTwoServersInOneProcess(t *testing.T) {
	t.Parallel()
	s1, s2 := startServer(t, nil), startServer(t, nil)
	c1, c2 := dial(t, s1.Addr(), wire.JSON), dial(t, s2.Addr(), wire.JSON)
	brokerA().register(t, c1)
	expectCode(t, call(t, c1, wire.PutKvConfig, nil, f("namespace", "n"), f("key", "k"), f("value", "v")), wire.Success, "")
	if !routed(t, c1, "TopicA") || routed(t, c2, "TopicA") {
		t.Fatal("route tables shared")
	}
	expectCode(t, kvGet(t, c2, "n", "k"), wire.QueryNotFound, "")
}

func TestStartTwiceAndCloseTwice(t *testing.T) {
	s := startServer(t, nil)
	if err := s.Start(); err == nil {
		t.Fatal("second Start succeeded")
	}
	s.Close()
	s.Close()
	New(DefaultConfig(), nil).Close() // never started
}

func TestStartFailsOnBusyPort(t *testing.T) {
	t.Parallel()
	s := startServer(t, nil)
	cfg := testConfig(t)
	cfg.ListenPort = s.config().ListenPort
	s2 := New(cfg, slog.New(slog.DiscardHandler))
	if err := s2.Start(); err == nil {
		t.Fatal("second server started on a busy port")
	}
	s2.Close()
}
