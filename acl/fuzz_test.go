package acl

import (
	"net/netip"
	"testing"

	"github.com/booster-mq/booster/wire"
)

// FuzzParse feeds arbitrary plain_acl.yml text to Parse, and every config
// it accepts a signed and an unsigned request: no panics, and a parsed
// config decides.
func FuzzParse(f *testing.F) {
	f.Add(sampleACL)
	f.Add("globalWhiteRemoteAddresses: ['10.1.1.{1,2}', '192.168.*', '10.0.0.1-9', '::1', '*']\naccounts: []")
	f.Add("accounts: [{accessKey: abcdefg, secretKey: 12345678, whiteRemoteAddress: '1.2.3.4,5.6.7.8', topicPerms: ['T=PUB|SUB'], groupPerms: ['G=SUB']}]")
	f.Add("accounts: [{accessKey: abcdefg, secretKey: 12345678, topicPerms: ['=', '==T=', 'T=']}]")
	f.Fuzz(func(t *testing.T, yml string) {
		c, err := Parse([]byte(yml))
		if err != nil {
			return
		}
		for _, remote := range []netip.Addr{netip.MustParseAddr("10.1.1.1"), netip.MustParseAddr("::1")} {
			_ = c.Check(&wire.Command{Code: int32(wire.PullMessage)}, remote)
			_ = c.Check(signed(wire.HeartBeat, "abcdefg", "12345678", []byte(`{"consumerDataSet":[{"groupName":"G","subscriptionDataSet":[{"topic":"T"}]}]}`)), remote)
		}
	})
}

// FuzzAddrPattern checks that no white-list entry panics the parser or
// the matcher.
func FuzzAddrPattern(f *testing.F) {
	for _, s := range []string{"*", "192.168.0.*", "10.1.1.1-100", "10.1.1.{1,2}", "1.2.3.4,::1", "fe80::1", "", "1.2.3.{", "1-2.*"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		p, err := parseAddrPattern(s)
		if err != nil || p == nil {
			return
		}
		p(netip.MustParseAddr("10.1.1.1"))
		p(netip.MustParseAddr("::ffff:10.1.1.1"))
		p(netip.MustParseAddr("fe80::1"))
	})
}

// TestCheckAllocs pins the allocations of checking a signed send (the
// ext-field copy, the content, HMAC state, Base64).
func TestCheckAllocs(t *testing.T) {
	c := mustParse(t, sampleACL)
	cmd := signed(wire.SendMessage, "RocketMQ", "12345678", make([]byte, 1024), f("producerGroup", "pg"), f("topic", "topicB"), f("queueId", "1"))
	if n := testing.AllocsPerRun(100, func() {
		if err := c.Check(cmd, client); err != nil {
			t.Fatal(err)
		}
	}); n > 15 {
		t.Errorf("Check allocates %v times, want at most 15", n)
	}
}
