package command

// queryMsgByOffset (QueryMsgByOffsetSubCommand): the message at one offset
// of one queue (a pull of one message as TOOLS_CONSUMER), printed like
// queryMsgById; nothing when there is none.

import (
	"fmt"
	"strconv"

	"github.com/urfave/cli/v2"
)

func queryMsgByOffset() spec {
	return spec{
		name:  "queryMsgByOffset",
		usage: "Query Message by offset.",
		flags: []cli.Flag{
			strFlag("topic", "t", "topic name"),
			strFlag("brokerName", "b", "Broker Name"),
			strFlag("queueId", "i", "Queue Id"),
			strFlag("offset", "o", "Queue Offset"),
			strFlag("bodyFormat", "f", "print message body by the specified format"),
		},
		required: []string{"t", "b", "i", "o"},
		run: func(x *ctx) error {
			off, err := strconv.ParseInt(x.trimmed("o"), 10, 64)
			if err != nil {
				return fmt.Errorf("option -o (--offset): %q is not a number", x.String("o"))
			}
			mq, addr, err := x.queueFlags("b", "i")
			if err != nil {
				return err
			}
			r, err := x.adm.pull(addr, mq, "*", off, 1)
			if err != nil {
				return err
			}
			if r.status == pullFound && len(r.messages) > 0 {
				return printMsgDetail(x, r.messages[0])
			}
			return nil
		},
	}
}
