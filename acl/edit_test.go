package acl

import (
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/booster-mq/booster/wire"
)

func newTestChecker(t *testing.T, yml string) *Checker {
	t.Helper()
	path := filepath.Join(t.TempDir(), "conf", "plain_acl.yml")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(yml), 0o644); err != nil {
		t.Fatal(err)
	}
	k, err := NewChecker(path)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func TestUpdateAccountCreatesMergesAndPersists(t *testing.T) {
	k := newTestChecker(t, "globalWhiteRemoteAddresses:\n  - 10.0.0.*\naccounts:\n  - accessKey: existing-key\n    secretKey: existing-secret\n    defaultTopicPerm: SUB\n    topicPerms: [T1=PUB]\n")
	if _, ok := k.cur.Load().cfg.Account("new-account"); ok {
		t.Fatal("account before creation")
	}
	if err := k.UpdateAccount(AccessUpdate{AccessKey: "new-account", SecretKey: "new-secret", DefaultTopicPerm: "PUB", TopicPerms: []string{"T2=SUB"}}); err != nil {
		t.Fatal(err)
	}
	a, ok := k.cur.Load().cfg.Account("new-account")
	if !ok || a.SecretKey != "new-secret" || a.DefaultTopicPerm != Pub || a.perms["T2"] != Sub {
		t.Fatalf("created account: %+v %v", a, ok)
	}
	// An update keeps what it does not name.
	white := "192.168.1.*"
	if err := k.UpdateAccount(AccessUpdate{AccessKey: "existing-key", SecretKey: "changed-secret", WhiteRemoteAddress: &white, Admin: true}); err != nil {
		t.Fatal(err)
	}
	a, _ = k.cur.Load().cfg.Account("existing-key")
	if a.SecretKey != "changed-secret" || !a.Admin || a.DefaultTopicPerm != Sub || a.perms["T1"] != Pub {
		t.Fatalf("updated account: %+v", a)
	}
	v, err := k.Version()
	if err != nil || v.Counter != 2 || v.Timestamp == 0 {
		t.Fatalf("version %+v %v", v, err)
	}
	white2, accounts, err := k.AllConfig()
	if err != nil || len(accounts) != 2 || strings.Join(white2, ",") != "10.0.0.*" {
		t.Fatalf("all config: %v %+v %v", white2, accounts, err)
	}
	// The written file is what a fresh checker (and Apache) reads.
	k2, err := NewChecker(k.Path())
	if err != nil {
		t.Fatal(err)
	}
	if a, ok := k2.cur.Load().cfg.Account("existing-key"); !ok || a.white == nil || !a.white(netip.MustParseAddr("192.168.1.7")) {
		t.Fatalf("reloaded: %+v", a)
	}
	data, _ := os.ReadFile(k.Path())
	for _, want := range []string{"dataVersion:", "counter: 2", "accessKey: new-account", "globalWhiteRemoteAddresses:"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("file lacks %q:\n%s", want, data)
		}
	}
}

func TestUpdateAccountRefusals(t *testing.T) {
	k := newTestChecker(t, "accounts:\n")
	for _, tc := range []struct {
		u    AccessUpdate
		want string
	}{
		{AccessUpdate{AccessKey: "short", SecretKey: "long-enough"}, "The accessKey=short and secretKey=long-enough cannot be null and length should longer than 6"},
		{AccessUpdate{AccessKey: "long-enough", SecretKey: ""}, "cannot be null and length should longer than 6"},
		{AccessUpdate{AccessKey: "long-enough", SecretKey: "long-enough", TopicPerms: []string{"T"}}, "Parse Resource format error for T."},
		{AccessUpdate{AccessKey: "long-enough", SecretKey: "long-enough", GroupPerms: []string{"G=ALL"}}, "Parse resource permission error for G=ALL."},
	} {
		err := k.UpdateAccount(tc.u)
		var e *Error
		if !errors.As(err, &e) || !strings.Contains(e.Msg, tc.want) {
			t.Errorf("%+v: %v, want %q", tc.u, err, tc.want)
		}
	}
	if err := k.UpdateAccount(AccessUpdate{AccessKey: "long-enough", SecretKey: "long-enough", TopicPerms: []string{"T=DENY"}}); err != nil {
		t.Errorf("DENY refused: %v", err)
	}
}

func TestDeleteAccountAndGlobalWhite(t *testing.T) {
	k := newTestChecker(t, "accounts:\n  - accessKey: to-be-deleted\n    secretKey: some-secret\n")
	if err := k.DeleteAccount("nobody-here"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("delete unknown: %v", err)
	}
	if err := k.DeleteAccount("to-be-deleted"); err != nil {
		t.Fatal(err)
	}
	if _, ok := k.cur.Load().cfg.Account("to-be-deleted"); ok {
		t.Fatal("account still there")
	}
	cmd := wire.NewRequest(wire.UpdateAndCreateTopic)
	if err := k.Check(cmd, netip.MustParseAddr("10.9.8.7")); err == nil {
		t.Fatal("unsigned admin request allowed before the white list")
	}
	if err := k.SetGlobalWhiteAddrs([]string{"10.9.8.*", "127.0.0.1"}, k.Path()); err != nil {
		t.Fatal(err)
	}
	if err := k.Check(cmd, netip.MustParseAddr("10.9.8.7")); err != nil {
		t.Fatalf("white-listed address refused: %v", err)
	}
	if err := k.SetGlobalWhiteAddrs([]string{"1.2.3.4"}, "/elsewhere/plain_acl.yml"); !errors.Is(err, ErrConfig) {
		t.Fatalf("other file: %v", err)
	}
	if err := k.SetGlobalWhiteAddrs([]string{"300.1.1.1"}, ""); err == nil {
		t.Fatal("bad address accepted")
	}
}

func TestEditsAreSerialized(t *testing.T) {
	k := newTestChecker(t, "accounts:\n")
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := "account-" + string(rune('a'+i)) + "-key"
			if err := k.UpdateAccount(AccessUpdate{AccessKey: key, SecretKey: "secret-key"}); err != nil {
				t.Error(err)
			}
			_, _ = k.Reload()
		}()
	}
	wg.Wait()
	_, accounts, err := k.AllConfig()
	if err != nil || len(accounts) != 8 {
		t.Fatalf("%d accounts, %v", len(accounts), err)
	}
	v, _ := k.Version()
	if v.Counter != 8 {
		t.Fatalf("version counter %d, want 8", v.Counter)
	}
}
