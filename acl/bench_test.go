package acl

import (
	"testing"

	"github.com/booster-mq/booster/wire"
)

// BenchmarkCheckSend is the per-request cost of the ACL on a signed
// 1 KiB send (sort the ext fields, HmacSHA1 over them and the body,
// permissions).
func BenchmarkCheckSend(b *testing.B) {
	c, err := Parse([]byte(sampleACL))
	if err != nil {
		b.Fatal(err)
	}
	body := make([]byte, 1024)
	cmd := signed(wire.SendMessage, "RocketMQ", "12345678", body,
		f("producerGroup", "pg"), f("topic", "topicB"), f("defaultTopic", "TBW102"), f("defaultTopicQueueNums", "4"),
		f("queueId", "1"), f("sysFlag", "0"), f("bornTimestamp", "1795638121885"), f("flag", "0"),
		f("properties", "TAGSTagAKEYSk1UNIQ_KEYC00002027F24000000007ff76a280001"), f("reconsumeTimes", "0"),
		f("unitMode", "false"), f("batch", "false"), f("maxReconsumeTimes", "0"), f("bname", "broker-a"))
	b.ReportAllocs()
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if err := c.Check(cmd, client); err != nil {
			b.Fatal(err)
		}
	}
}
