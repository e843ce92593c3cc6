package command

// printMsg (PrintMessageSubCommand): every message of every readable queue
// of a topic (pulled as TOOLS_CONSUMER, 32 at a time), optionally between
// two store times (-b/-e) and filtered by a tag expression (-s), printed
// as "MSGID: <id> <MessageExt.toString> BODY: <body>".

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"
)

func printMsg() spec {
	return spec{
		name:  "printMsg",
		usage: "Print Message Detail.",
		flags: []cli.Flag{
			strFlag("topic", "t", "topic name"),
			strFlag("charsetName", "c", "CharsetName(eg: UTF-8,GBK)"),
			strFlag("subExpression", "s", "Subscribe Expression(eg: TagA || TagB)"),
			strFlag("beginTimestamp", "b", "Begin timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]"),
			strFlag("endTimestamp", "e", "End timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]"),
			strFlag("printBody", "d", "print body"),
			strFlag("lmqParentTopic", "l", "Lmq parent topic, lmq is used to find the route."),
		},
		required: []string{"t"},
		run: func(x *ctx) error {
			if x.IsSet("l") {
				return errors.New("lmq topics (-l) are not supported")
			}
			topic := x.trimmed("t")
			charset, expr := "UTF-8", "*"
			if x.IsSet("c") {
				charset = x.trimmed("c")
			}
			if x.IsSet("s") {
				expr = x.trimmed("s")
			}
			printBody := !x.IsSet("d") || javaBool(x.String("d"))
			rd, err := x.adm.route(topic)
			if err != nil {
				return err
			}
			var errs []error
			for _, mq := range subscribeQueues(rd, topic) {
				addr, err := brokerAddrOf(rd, mq.BrokerName)
				if err != nil {
					return err
				}
				lo, hi, err := x.offsetRange(addr, mq)
				if err != nil {
					return err
				}
				x.printf("minOffset=%d, maxOffset=%d, %s\n", lo, hi, queueString(mq))
			queue:
				for off := lo; off < hi; {
					r, err := x.adm.pull(addr, mq, expr, off, 32)
					if err != nil {
						errs = append(errs, fmt.Errorf("%s: %w", queueString(mq), err))
						break
					}
					off = r.next
					switch r.status {
					case pullFound:
						if err := printMessages(x, r.messages, charset, printBody); err != nil {
							return err
						}
					case pullNoMatchedMsg:
						x.printf("%s no matched msg. status=%s, offset=%d\n", queueString(mq), r.status, off)
					default:
						x.printf("%s print msg finished. status=%s, offset=%d\n", queueString(mq), r.status, off)
						break queue
					}
				}
				x.printf("--------------------------------------------------------\n")
			}
			return errors.Join(errs...)
		},
	}
}

// printMessages prints "MSGID: … BODY: …" lines (printMessage of
// PrintMessageSubCommand and PrintMessageByQueueCommand).
func printMessages(x *ctx, msgs []*message, charset string, printBody bool) error {
	for _, m := range msgs {
		body := "NOT PRINT BODY"
		if printBody {
			var err error
			if body, err = bodyString(m.Body, charset); err != nil {
				return err
			}
		}
		x.printf("MSGID: %s %s BODY: %s\n", m.msgID(), m.javaString(), body)
	}
	return nil
}
