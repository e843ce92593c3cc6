package command

// queryMsgByUniqueKey (QueryMsgByUniqueKeySubCommand): the message whose
// unique key (the producer's msgId) is -i, looked up with QUERY_MESSAGE
// and _UNIQUE_KEY_QUERY on the brokers of the topic's route; the earliest
// stored copy, or with -a every copy (up to 32), printed with its consume
// track and its body written to BodyDir/<msgId>[_<n>].
//
// With -g and -d the message is instead pushed to that client of the
// group (GET_CONSUMER_RUNNING_INFO to check it is a push consumer, then
// CONSUME_MESSAGE_DIRECTLY through the broker storing the message), and
// the client's ConsumeMessageDirectlyResult is printed.

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func queryMsgByUniqueKey() spec {
	return spec{
		name:  "queryMsgByUniqueKey",
		usage: "Query Message by Unique key.",
		flags: []cli.Flag{
			strFlag("msgId", "i", "Message Id"),
			strFlag("consumerGroup", "g", "consumer group name"),
			strFlag("clientId", "d", "The consumer's client id"),
			strFlag("topic", "t", "The topic of msg"),
			boolFlag("showAll", "a", "Print all message, the limit is 32"),
			strFlag("cluster", "c", "Cluster name or lmq parent topic, lmq is used to find the route."),
		},
		required: []string{"i", "t"},
		run: func(x *ctx) error {
			id, topic := x.trimmed("i"), x.trimmed("t")
			if x.IsSet("g") && x.IsSet("d") {
				group, clientID := x.trimmed("g"), x.trimmed("d")
				info, err := x.adm.runningInfo(group, clientID, false)
				if err != nil {
					x.printf("get consumer runtime info for %s client failed \n", clientID)
				}
				if err != nil || !info.push() {
					x.printf("get consumer info failed or this %s client is not push consumer, not support direct push \n", clientID)
					if err == nil {
						err = fmt.Errorf("client %s of %s is not a push consumer", clientID, group)
					}
					return err
				}
				res, err := x.adm.consumeMessageDirectly(group, clientID, topic, id)
				if err != nil {
					return err
				}
				x.printf("%s", res)
				return nil
			}
			msgs, err := x.adm.queryMessages(msgQuery{topic: topic, key: id, cluster: x.trimmed("c"), maxNum: 32, end: math.MaxInt64, uniq: true})
			if err != nil {
				return err
			}
			sort.SliceStable(msgs, func(i, j int) bool { return msgs[i].StoreTimestamp < msgs[j].StoreTimestamp })
			if !x.Bool("a") {
				msgs = msgs[:1]
			}
			for i, m := range msgs {
				if err := showUniqueMessage(x, m, i); err != nil {
					return err
				}
			}
			return nil
		},
	}
}

// showUniqueMessage is QueryMsgByUniqueKeySubCommand.showMessage: like
// queryMsgById's detail without the offset id and body lines, the body
// file suffixed with the copy's index after the first, and the tracks
// printed back to back as Java does.
func showUniqueMessage(x *ctx, m *message, index int) error {
	if err := os.MkdirAll(x.env.BodyDir, 0o755); err != nil {
		return err
	}
	path := filepath.Join(x.env.BodyDir, m.msgID())
	if index > 0 {
		path += "_" + strconv.Itoa(index)
	}
	if err := os.WriteFile(path, m.Body, 0o644); err != nil {
		return err
	}
	printFields(x, m, path)
	tracks, err := x.adm.messageTrack(m)
	switch {
	case err != nil:
		fmt.Fprintf(x.env.Stderr, "mqadmin: message track: %s\n", admin.OneLine(err.Error()))
	case len(tracks) == 0:
		x.printf("\n\nWARN: No Consumer")
	default:
		x.printf("\n\n")
		for _, t := range tracks {
			x.printf("%s", t)
		}
	}
	return nil
}

// directResult is ConsumeMessageDirectlyResult.
type directResult struct {
	Order          bool    `json:"order"`
	AutoCommit     bool    `json:"autoCommit"`
	ConsumeResult  any     `json:"consumeResult"` // CMResult: a name (Java) or an ordinal (Go client)
	Remark         *string `json:"remark"`
	SpentTimeMills int64   `json:"spentTimeMills"`
}

// cmResults are CMResult's names by ordinal.
var cmResults = []string{"CR_SUCCESS", "CR_LATER", "CR_ROLLBACK", "CR_COMMIT", "CR_THROW_EXCEPTION", "CR_RETURN_NULL"}

// String is ConsumeMessageDirectlyResult.toString.
func (r *directResult) String() string {
	result := "null"
	switch v := r.ConsumeResult.(type) {
	case string:
		result = v
	case float64:
		if i := int(v); i >= 0 && i < len(cmResults) && float64(i) == v {
			result = cmResults[i]
		}
	}
	remark := "null"
	if r.Remark != nil {
		remark = *r.Remark
	}
	return fmt.Sprintf("ConsumeMessageDirectlyResult [order=%t, autoCommit=%t, consumeResult=%s, remark=%s, spentTimeMills=%d]",
		r.Order, r.AutoCommit, result, remark, r.SpentTimeMills)
}

// consumeMessageDirectly is DefaultMQAdminExtImpl.consumeMessageDirectly:
// find the message (by offset id or unique key), then ask the broker
// storing it to push it to the client (CONSUME_MESSAGE_DIRECTLY with the
// offset id).
func (a *adminExt) consumeMessageDirectly(group, clientID, topic, msgID string) (*directResult, error) {
	m, err := a.queryMessage(topic, msgID)
	if err != nil {
		return nil, err
	}
	req := admin.Request(wire.ConsumeMessageDirectly, "consumerGroup", group, "clientId", clientID, "msgId", m.offsetMsgID(), "topic", topic)
	resp, err := a.callTimeout(m.StoreHost.String(), req, 3*a.timeout)
	if err != nil {
		return nil, err
	}
	var r directResult
	if err := admin.Decode(resp.Body, &r); err != nil {
		return nil, err
	}
	return &r, nil
}
