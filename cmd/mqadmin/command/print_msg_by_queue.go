package command

// printMsgByQueue (PrintMessageByQueueCommand): the messages of one queue
// (-p true to print them, -d true with bodies), optionally between two
// store times, and with -f true a count per tag, most frequent first.

import (
	"sort"

	"github.com/urfave/cli/v2"
)

func printMsgByQueue() spec {
	return spec{
		name:  "printMsgByQueue",
		usage: "Print Message Detail by queueId.",
		flags: []cli.Flag{
			strFlag("topic", "t", "topic name"),
			strFlag("brokerName", "a", "broker name"),
			strFlag("queueId", "i", "queue id"),
			strFlag("charsetName", "c", "CharsetName(eg: UTF-8,GBK)"),
			strFlag("subExpression", "s", "Subscribe Expression(eg: TagA || TagB)"),
			strFlag("beginTimestamp", "b", "Begin timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]"),
			strFlag("endTimestamp", "e", "End timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]"),
			strFlag("printMsg", "p", "print msg. eg: true | false(default)"),
			strFlag("printBody", "d", "print body. eg: true | false(default)"),
			strFlag("calculate", "f", "calculate by tag. eg: true | false(default)"),
		},
		required: []string{"t", "a", "i"},
		run: func(x *ctx) error {
			charset, expr := "UTF-8", "*"
			if x.IsSet("c") {
				charset = x.trimmed("c")
			}
			if x.IsSet("s") {
				expr = x.trimmed("s")
			}
			printMsgs, printBody, byTag := javaBool(x.String("p")), javaBool(x.String("d")), javaBool(x.String("f"))
			mq, addr, err := x.queueFlags("a", "i")
			if err != nil {
				return err
			}
			lo, hi, err := x.offsetRange(addr, mq)
			if err != nil {
				return err
			}
			counts := map[string]int64{}
			for off := lo; off < hi; {
				r, err := x.adm.pull(addr, mq, expr, off, 32)
				if err != nil {
					return err
				}
				off = r.next
				if r.status != pullFound {
					break
				}
				for _, m := range r.messages {
					if t := m.tags(); byTag && t != "" {
						counts[t]++
					}
				}
				if printMsgs {
					if err := printMessages(x, r.messages, charset, printBody); err != nil {
						return err
					}
				}
			}
			if byTag {
				tags := make([]string, 0, len(counts))
				for t := range counts {
					tags = append(tags, t)
				}
				sort.Slice(tags, func(i, j int) bool {
					if counts[tags[i]] != counts[tags[j]] {
						return counts[tags[i]] > counts[tags[j]]
					}
					return tags[i] < tags[j]
				})
				for _, t := range tags {
					x.printf("Tag: %-30s Count: %d\n", t, counts[t])
				}
			}
			return nil
		},
	}
}
