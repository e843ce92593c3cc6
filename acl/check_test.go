package acl

import (
	"crypto/hmac"
	"crypto/sha1"
	"encoding/base64"
	"errors"
	"net/netip"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/booster-mq/booster/wire"
)

func hmacB64(key, content string) string {
	mac := hmac.New(sha1.New, []byte(key))
	mac.Write([]byte(content))
	return base64.StdEncoding.EncodeToString(mac.Sum(nil))
}

// sampleACL is Apache's distribution plain_acl.yml, plus a third account.
const sampleACL = `
globalWhiteRemoteAddresses:
  - 10.10.103.*
  - 192.168.0.*

accounts:
  - accessKey: RocketMQ
    secretKey: 12345678
    whiteRemoteAddress:
    admin: false
    defaultTopicPerm: DENY
    defaultGroupPerm: SUB
    topicPerms:
      - topicA=DENY
      - topicB=PUB|SUB
      - topicC=SUB
    groupPerms:
      # the group should convert to retry topic
      - groupA=DENY
      - groupB=PUB|SUB
      - groupC=SUB

  - accessKey: rocketmq2
    secretKey: 12345678
    whiteRemoteAddress: 192.168.1.*
    # if it is admin, it could access all resources
    admin: true

  - accessKey: pubonly1
    secretKey: pubonly-secret
    defaultTopicPerm: PUB
    defaultGroupPerm: DENY
`

var client = netip.MustParseAddr("172.16.0.9")

func mustParse(t *testing.T, s string) *Config {
	t.Helper()
	c, err := Parse([]byte(s))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// signed returns a request from ak signed with sk.
func signed(code wire.RequestCode, ak, sk string, body []byte, ext ...wire.Field) *wire.Command {
	cmd := &wire.Command{Code: int32(code), Version: 317, Ext: append(wire.Fields{{Key: AccessKeyField, Value: ak}}, ext...), Body: body}
	cmd.Ext = append(cmd.Ext, wire.Field{Key: SignatureField, Value: Signature(cmd, sk)})
	return cmd
}

func f(k, v string) wire.Field { return wire.Field{Key: k, Value: v} }

func TestParseSample(t *testing.T) {
	c := mustParse(t, sampleACL)
	a, ok := c.Account("RocketMQ")
	if !ok || a.SecretKey != "12345678" || a.Admin || a.DefaultTopicPerm != Deny || a.DefaultGroupPerm != Sub {
		t.Fatalf("RocketMQ = %+v", a)
	}
	if a.perms["topicB"] != Pub|Sub || a.perms["%RETRY%groupA"] != Deny || a.perms["topicC"] != Sub {
		t.Errorf("perms = %v", a.perms)
	}
	if b, _ := c.Account("rocketmq2"); !b.Admin || b.DefaultTopicPerm != Deny || len(b.perms) != 0 {
		t.Errorf("rocketmq2 = %+v", b)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ name, yml, want string }{
		{"short keys", "accounts: [{accessKey: abc, secretKey: 12345678}]", "longer than 6"},
		{"duplicate", "accounts: [{accessKey: abcdefg, secretKey: 12345678}, {accessKey: abcdefg, secretKey: 12345678}]", "twice"},
		{"bad resource", "accounts: [{accessKey: abcdefg, secretKey: 12345678, topicPerms: [T]}]", "topic:T"},
		{"bad address", "globalWhiteRemoteAddresses: [not-an-ip]", "not-an-ip"},
		{"bad yaml", "accounts: [", "yaml"},
	} {
		_, err := Parse([]byte(tc.yml))
		if err == nil || !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want ErrConfig mentioning %q", tc.name, err, tc.want)
		}
	}
}

func TestParsePerm(t *testing.T) {
	for s, want := range map[string]Perm{"PUB": Pub, " SUB ": Sub, "PUB|SUB": Pub | Sub, "SUB|PUB": Pub | Sub, "DENY": Deny, "": Deny, "pub": Deny} {
		if got := ParsePerm(s); got != want {
			t.Errorf("ParsePerm(%q) = %d, want %d", s, got, want)
		}
	}
	if !(Pub | Sub).allows(Any) || Deny.allows(Any) || (Pub | Deny).allows(Pub) || Sub.allows(Pub) {
		t.Error("allows")
	}
}

func TestAddressPatterns(t *testing.T) {
	for _, tc := range []struct {
		pattern string
		yes, no []string
	}{
		{"*", []string{"1.2.3.4", "::1"}, nil},
		{"192.168.0.*", []string{"192.168.0.1", "::ffff:192.168.0.7"}, []string{"192.168.1.1", "::1"}},
		{"192.168.*", []string{"192.168.200.3"}, []string{"192.169.0.1"}},
		{"10.1.1.1-100", []string{"10.1.1.1", "10.1.1.100"}, []string{"10.1.1.101", "10.1.2.50"}},
		{"10.1.1.{1,2}", []string{"10.1.1.1", "10.1.1.2"}, []string{"10.1.1.3"}},
		{"10.0.0.1,10.0.0.9", []string{"10.0.0.9"}, []string{"10.0.0.2"}},
		{"127.0.0.1", []string{"127.0.0.1"}, []string{"127.0.0.2"}},
		{"::1", []string{"::1"}, []string{"127.0.0.1"}},
		{"", nil, []string{"127.0.0.1"}},
	} {
		p, err := parseAddrPattern(tc.pattern)
		if err != nil {
			t.Fatalf("%q: %v", tc.pattern, err)
		}
		match := func(a string) bool { return p != nil && p(netip.MustParseAddr(a)) }
		for _, a := range tc.yes {
			if !match(a) {
				t.Errorf("%q does not match %s", tc.pattern, a)
			}
		}
		for _, a := range tc.no {
			if match(a) {
				t.Errorf("%q matches %s", tc.pattern, a)
			}
		}
	}
	for _, bad := range []string{"10.1.1.300", "10.1.1.9-2", "10.1.{1,2}", "1.2.3.4.5.*", "a.b.c.d"} {
		if _, err := parseAddrPattern(bad); err == nil {
			t.Errorf("%q parsed", bad)
		}
	}
}

func TestCheckDecisions(t *testing.T) {
	c := mustParse(t, sampleACL)
	hb := []byte(`{"clientID":"c1","consumerDataSet":[{"groupName":"groupC","subscriptionDataSet":[{"topic":"topicC","subString":"*"}]}],"producerDataSet":[]}`)
	hbDenied := []byte(`{"clientID":"c1","consumerDataSet":[{"groupName":"groupC","subscriptionDataSet":[{"topic":"topicA","subString":"*"}]}],"producerDataSet":[]}`)
	for _, tc := range []struct {
		name   string
		cmd    *wire.Command
		remote string
		want   string // "" = allowed
	}{
		{"send with PUB", signed(wire.SendMessageV2, "RocketMQ", "12345678", []byte("m"), f("a", "pg"), f("b", "topicB")), "", ""},
		{"send with SUB only", signed(wire.SendMessageV2, "RocketMQ", "12345678", nil, f("a", "pg"), f("b", "topicC")), "", "No default permission for topic:topicC"},
		{"send on default DENY", signed(wire.SendMessage, "RocketMQ", "12345678", nil, f("producerGroup", "pg"), f("topic", "other")), "", "No default permission for topic:other"},
		{"batch send", signed(wire.SendBatchMessage, "RocketMQ", "12345678", nil, f("a", "pg"), f("b", "topicA")), "", "No default permission for topic:topicA"},
		{"retry send needs group SUB", signed(wire.SendMessageV2, "RocketMQ", "12345678", nil, f("a", "groupA"), f("b", "%RETRY%groupA")), "", "No default permission for group:groupA"},
		{"retry send default group SUB", signed(wire.SendMessageV2, "RocketMQ", "12345678", nil, f("a", "groupX"), f("b", "%RETRY%groupX")), "", ""},
		{"trace topic", signed(wire.SendMessageV2, "RocketMQ", "12345678", nil, f("a", "pg"), f("b", "RMQ_SYS_TRACE_TOPIC")), "", ""},
		{"pull", signed(wire.PullMessage, "RocketMQ", "12345678", nil, f("consumerGroup", "groupC"), f("topic", "topicC")), "", ""},
		{"pull denied group", signed(wire.PullMessage, "RocketMQ", "12345678", nil, f("consumerGroup", "groupA"), f("topic", "topicC")), "", "No default permission for group:groupA"},
		{"pull denied topic", signed(wire.PullMessage, "RocketMQ", "12345678", nil, f("consumerGroup", "groupC"), f("topic", "topicA")), "", "No default permission for topic:topicA"},
		{"pop denied topic", signed(wire.PopMessage, "RocketMQ", "12345678", nil, f("consumerGroup", "groupC"), f("topic", "topicA")), "", "No default permission for topic:topicA"},
		{"heartbeat", signed(wire.HeartBeat, "RocketMQ", "12345678", hb), "", ""},
		{"heartbeat denied topic", signed(wire.HeartBeat, "RocketMQ", "12345678", hbDenied), "", "No default permission for topic:topicA"},
		{"update offset", signed(wire.UpdateConsumerOffset, "RocketMQ", "12345678", nil, f("consumerGroup", "groupB"), f("topic", "topicB")), "", ""},
		{"unchecked code", signed(wire.GetMaxOffset, "RocketMQ", "12345678", nil, f("topic", "topicA")), "", ""},
		{"admin code", signed(wire.UpdateAndCreateTopic, "RocketMQ", "12345678", nil, f("topic", "x")), "", "Need admin permission for request code=17, but accessKey=RocketMQ is not"},
		{"admin account", signed(wire.UpdateAndCreateTopic, "rocketmq2", "12345678", nil, f("topic", "x")), "", ""},
		{"admin without perms", signed(wire.PullMessage, "rocketmq2", "12345678", nil, f("consumerGroup", "g"), f("topic", "t")), "", ""},
		{"wrong secret", signed(wire.PullMessage, "RocketMQ", "87654321", nil, f("consumerGroup", "groupC"), f("topic", "topicC")), "", "Check signature failed for accessKey=RocketMQ"},
		{"unknown key", signed(wire.PullMessage, "nobody00", "12345678", nil), "", "No acl config for nobody00"},
		{"no key", &wire.Command{Code: int32(wire.PullMessage), Ext: wire.Fields{f("topic", "t")}}, "", "No accessKey is configured"},
		{"no key, global white list", &wire.Command{Code: int32(wire.SendMessageV2)}, "192.168.0.77", ""},
		{"account white list skips signature", signed(wire.SendMessageV2, "rocketmq2", "wrong-secret", nil, f("b", "t")), "192.168.1.5", ""},
		{"pub-only account cannot pull", signed(wire.PullMessage, "pubonly1", "pubonly-secret", nil, f("consumerGroup", "g"), f("topic", "t")), "", "No default permission for topic:t"},
		{"bad heartbeat body", signed(wire.HeartBeat, "RocketMQ", "12345678", []byte("{")), "", "heartbeat"},
	} {
		remote := client
		if tc.remote != "" {
			remote = netip.MustParseAddr(tc.remote)
		}
		err := c.Check(tc.cmd, remote)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tc.name, err)
		case tc.want != "" && err == nil:
			t.Errorf("%s: allowed, want %q", tc.name, tc.want)
		case tc.want != "":
			var e *Error
			if !errors.As(err, &e) || !strings.Contains(e.Msg, tc.want) {
				t.Errorf("%s: %v, want %q", tc.name, err, tc.want)
			} else if !strings.HasPrefix(e.Remark(), "org.apache.rocketmq.acl.common.AclException: ") {
				t.Errorf("%s: remark %q", tc.name, e.Remark())
			}
		}
	}
}

func TestCheckerReload(t *testing.T) {
	path := filepath.Join(t.TempDir(), "plain_acl.yml")
	write := func(s string) {
		if err := os.WriteFile(path, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("accounts: [{accessKey: first-key, secretKey: 12345678, admin: true}]")
	k, err := NewChecker(path)
	if err != nil {
		t.Fatal(err)
	}
	cmd := signed(wire.UpdateAndCreateTopic, "first-key", "12345678", nil)
	if err := k.Check(cmd, client); err != nil {
		t.Fatal(err)
	}
	if changed, err := k.Reload(); changed || err != nil {
		t.Fatalf("unchanged file reloaded: %v %v", changed, err)
	}
	write("accounts: [{accessKey: first-key, secretKey: 12345678, admin: false}, {accessKey: second-key, secretKey: 12345678}]")
	if changed, err := k.Reload(); !changed || err != nil {
		t.Fatalf("changed file not reloaded: %v %v", changed, err)
	}
	if err := k.Check(cmd, client); err == nil {
		t.Fatal("admin code allowed after the account lost admin")
	}
	write("accounts: [")
	if _, err := k.Reload(); err == nil {
		t.Fatal("broken file accepted")
	}
	if err := k.Check(signed(wire.GetMaxOffset, "second-key", "12345678", nil), client); err != nil {
		t.Fatalf("a broken file replaced the last good config: %v", err)
	}
	if _, err := NewChecker(filepath.Join(t.TempDir(), "missing.yml")); !errors.Is(err, ErrConfig) {
		t.Fatalf("missing file: %v", err)
	}
}
