package command

// consumeMessage (ConsumeMessageCommand): pull up to -c messages (default
// 128) and print them as printMsgByQueue -p true -d true does, from every
// readable queue of a topic (oldest first, queue by queue), from one queue
// (-b broker name, -i queue id), or from an offset of it (-o); -s and -e
// narrow each queue to store times. Pulls go out as -g (default
// TOOLS_CONSUMER) without committing offsets: nothing is consumed for
// real.

import (
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/urfave/cli/v2"
)

func consumeMessage() spec {
	return spec{
		name:  "consumeMessage",
		usage: "Consume message.",
		flags: []cli.Flag{
			strFlag("topic", "t", "Topic name"),
			strFlag("brokerName", "b", "Broker name"),
			strFlag("queueId", "i", "Queue Id"),
			strFlag("offset", "o", "Queue offset"),
			strFlag("consumerGroup", "g", "Consumer group name"),
			// Java's long names are "beginTimestamp " and "endTimestamp ",
			// with a trailing blank no shell passes; the short ones work.
			strFlag("beginTimestamp", "s", "Begin timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]"),
			strFlag("endTimestamp", "e", "End timestamp[currentTimeMillis|yyyy-MM-dd#HH:mm:ss:SSS]"),
			strFlag("MessageNumber", "c", "Number of message to be consumed"),
		},
		required: []string{"t"},
		run:      runConsumeMessage,
	}
}

// consumeRun is one consumeMessage invocation's settings.
type consumeRun struct {
	x          *ctx
	group      string
	count      int64
	begin, end int64
	errs       []error
}

func runConsumeMessage(x *ctx) error {
	r := &consumeRun{x: x, group: toolsConsumerGroup, count: 128}
	if x.IsSet("g") {
		r.group = x.trimmed("g")
	}
	topic := x.trimmed("t")
	var err error
	if x.IsSet("c") {
		if r.count, err = x.int64Flag("c"); err != nil {
			return err
		}
		if r.count <= 0 {
			return errors.New("Please input a positive messageNumber!") //nolint:staticcheck // Java's words
		}
	}
	if x.IsSet("i") && !x.IsSet("b") {
		return errors.New("Please set the brokerName before queueId!") //nolint:staticcheck // Java's words
	}
	if x.IsSet("o") && !x.IsSet("i") {
		return errors.New("Please set queueId before offset!") //nolint:staticcheck // Java's words
	}
	var offset int64
	if x.IsSet("o") {
		if offset, err = x.int64Flag("o"); err != nil {
			return err
		}
	}
	now := time.Now().UnixMilli()
	if x.IsSet("s") {
		if r.begin, err = parseTimestamp(x.String("s")); err != nil {
			return err
		}
		if r.begin > now {
			return errors.New("Please set the beginTimestamp before now!") //nolint:staticcheck // Java's words
		}
	}
	if x.IsSet("e") {
		if r.end, err = parseTimestamp(x.String("e")); err != nil {
			return err
		}
		if r.end > now {
			return errors.New("Please set the endTimestamp before now!") //nolint:staticcheck // Java's words
		}
		if r.begin > r.end {
			return errors.New("Please make sure that the beginTimestamp is less than or equal to the endTimestamp") //nolint:staticcheck // Java's words
		}
	}
	rd, err := x.adm.route(topic)
	if err != nil {
		return err
	}
	if !x.IsSet("i") {
		err = r.allQueues(subscribeQueues(rd, topic), func(mq mqKey) (string, error) { return brokerAddrOf(rd, mq.BrokerName) })
	} else {
		var mq mqKey
		var addr string
		if mq, addr, err = x.queueFlags("b", "i"); err == nil {
			err = r.oneQueue(addr, mq, offset)
		}
	}
	if err != nil {
		return err
	}
	return errors.Join(r.errs...)
}

// bounds returns a queue's [min, max] offsets, narrowed by the store times.
func (r *consumeRun) bounds(addr string, mq mqKey) (int64, int64, error) {
	lo, err := r.x.adm.minOffset(addr, mq)
	if err != nil {
		return 0, 0, err
	}
	hi, err := r.x.adm.maxOffset(addr, mq)
	if err != nil {
		return 0, 0, err
	}
	if r.begin > 0 {
		if lo, err = r.x.adm.searchOffset(addr, mq, r.begin); err != nil {
			return 0, 0, err
		}
	}
	if r.end > 0 {
		if hi, err = r.x.adm.searchOffset(addr, mq, r.end); err != nil {
			return 0, 0, err
		}
	}
	return lo, hi, nil
}

// allQueues is executeDefault: the queues in order until count messages
// are covered (Java's arithmetic, off-by-one included).
func (r *consumeRun) allQueues(mqs []mqKey, addrOf func(mqKey) (string, error)) error {
	left := r.count
	for _, mq := range mqs {
		if left == 0 {
			return nil
		}
		addr, err := addrOf(mq)
		if err != nil {
			return err
		}
		lo, hi, err := r.bounds(addr, mq)
		if err != nil {
			return err
		}
		if hi-lo > left {
			r.x.printf("The older %d message of the %d queue will be provided\n", left, mq.QueueID)
			hi = lo + left - 1
			left = 0
		} else {
			left = left - (hi - lo) - 1
		}
		r.pullQueue(addr, mq, lo, hi)
	}
	return nil
}

// oneQueue is executeByCondition.
func (r *consumeRun) oneQueue(addr string, mq mqKey, offset int64) error {
	lo, hi, err := r.bounds(addr, mq)
	if err != nil {
		return err
	}
	if offset > hi {
		r.x.printf("%s no matched msg, offset=%d\n", queueString(mq), offset)
		return nil
	}
	lo = max(lo, offset)
	if hi-lo > r.count {
		r.x.printf("The oldler %d message will be provided\n", r.count) // sic
		hi = lo + r.count - 1
	}
	r.pullQueue(addr, mq, lo, hi)
	return nil
}

// pullQueue is pullMessageByQueue: pull [lo, hi] and print what comes
// back. A failed pull ends this queue; its error is reported at the end.
func (r *consumeRun) pullQueue(addr string, mq mqKey, lo, hi int64) {
	for off := lo; off <= hi; {
		res, err := r.x.adm.pullAs(addr, r.group, mq, "*", off, int(min(hi-off+1, 1<<30)))
		if err != nil {
			r.errs = append(r.errs, fmt.Errorf("%s: %w", queueString(mq), err))
			return
		}
		off = res.next
		switch res.status {
		case pullFound:
			r.x.printf("Consume ok\n")
			if err := printMessages(r.x, res.messages, "UTF-8", true); err != nil {
				r.errs = append(r.errs, err)
				return
			}
		case pullNoMatchedMsg:
			r.x.printf("%s no matched msg. status=%s, offset=%s\n", queueString(mq), res.status, strconv.FormatInt(off, 10))
		default:
			r.x.printf("%s print msg finished. status=%s, offset=%s\n", queueString(mq), res.status, strconv.FormatInt(off, 10))
			return
		}
	}
}
