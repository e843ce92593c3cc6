package namesrv

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func kvGet(t *testing.T, cl *transport.Client, ns, key string) *wire.Command {
	t.Helper()
	return call(t, cl, wire.GetKvConfig, nil, f("namespace", ns), f("key", key))
}

func kvList(t *testing.T, cl *transport.Client, ns string) *wire.Command {
	t.Helper()
	return call(t, cl, wire.GetKvlistByNamespace, nil, f("namespace", ns))
}

func TestKVConfig(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	s := startWith(t, cfg)
	cl := dial(t, s.Addr(), wire.JSON)

	expectCode(t, kvGet(t, cl, "ns", "k"), wire.QueryNotFound, "No config item, Namespace: ns Key: k")
	expectCode(t, kvList(t, cl, "ns"), wire.QueryNotFound, "No config item, Namespace: ns")
	expectCode(t, call(t, cl, wire.PutKvConfig, nil, f("namespace", "ns"), f("value", "v")), wire.SystemError, "namespace or key is null")

	for _, kv := range [][3]string{{"ns", "k", "v"}, {"ns", "k2", "<v2 & more>"}, {"other", "a", "b"}} {
		expectCode(t, call(t, cl, wire.PutKvConfig, nil, f("namespace", kv[0]), f("key", kv[1]), f("value", kv[2])), wire.Success, "")
	}
	resp := kvGet(t, cl, "ns", "k")
	expectCode(t, resp, wire.Success, "")
	if resp.ExtValue("value") != "v" {
		t.Fatalf("get ext %+v", resp.Ext)
	}
	resp = kvList(t, cl, "ns")
	if string(resp.Body) != `{"table":{"k":"v","k2":"<v2 & more>"}}` {
		t.Fatalf("list body %s", resp.Body)
	}
	expectCode(t, call(t, cl, wire.DeleteKvConfig, nil, f("namespace", "ns"), f("key", "k")), wire.Success, "")
	expectCode(t, call(t, cl, wire.DeleteKvConfig, nil, f("namespace", "ns"), f("key", "absent")), wire.Success, "")
	expectCode(t, kvGet(t, cl, "ns", "k"), wire.QueryNotFound, "")

	// Java's file format, previous version kept as .bak.
	got, err := os.ReadFile(cfg.KvConfigPath)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"configTable":{"ns":{"k2":"<v2 & more>"},"other":{"a":"b"}}}`; string(got) != want {
		t.Fatalf("kv file\n got %s\nwant %s", got, want)
	}
	bak, err := os.ReadFile(cfg.KvConfigPath + ".bak")
	if err != nil || string(bak) != `{"configTable":{"ns":{"k":"v","k2":"<v2 & more>"},"other":{"a":"b"}}}` {
		t.Fatalf("kv .bak %s %v", bak, err)
	}
	if tmp, _ := filepath.Glob(filepath.Join(filepath.Dir(cfg.KvConfigPath), "*.tmp*")); len(tmp) != 0 {
		t.Fatalf("temporary files left: %v", tmp)
	}

	// Persisted across a restart.
	s.Close()
	cfg2 := cfg
	cfg2.ListenPort = testConfig(t).ListenPort
	s2 := startWith(t, cfg2)
	cl2 := dial(t, s2.Addr(), wire.JSON)
	if resp := kvGet(t, cl2, "ns", "k2"); resp.ExtValue("value") != "<v2 & more>" {
		t.Fatalf("after restart: %d %+v", resp.Code, resp.Ext)
	}
	expectCode(t, kvGet(t, cl2, "ns", "k"), wire.QueryNotFound, "")
}

func TestKVConfigLoadsJavaFileAndBackup(t *testing.T) {
	t.Parallel()
	cfg := testConfig(t)
	if err := os.MkdirAll(filepath.Dir(cfg.KvConfigPath), 0o755); err != nil {
		t.Fatal(err)
	}
	// A file as Java writes it, with a corrupt main copy: the .bak is used.
	java := `{"configTable":{"ORDER_TOPIC_CONFIG":{"T":"broker-a:4"}}}`
	if err := os.WriteFile(cfg.KvConfigPath, []byte(`{"configTable":`), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cfg.KvConfigPath+".bak", []byte(java), 0o644); err != nil {
		t.Fatal(err)
	}
	s := startWith(t, cfg)
	cl := dial(t, s.Addr(), wire.JSON)
	if resp := kvGet(t, cl, "ORDER_TOPIC_CONFIG", "T"); resp.ExtValue("value") != "broker-a:4" {
		t.Fatalf("loaded %d %+v", resp.Code, resp.Ext)
	}

	// Both copies corrupt: Start fails rather than starting empty.
	if err := os.WriteFile(cfg.KvConfigPath+".bak", []byte(`x`), 0o644); err != nil {
		t.Fatal(err)
	}
	bad := cfg
	bad.ListenPort = testConfig(t).ListenPort
	s2 := New(bad, nil)
	defer s2.Close()
	if err := s2.Start(); err == nil {
		t.Fatal("started with an unreadable kv config")
	}
}
