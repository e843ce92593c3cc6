package command

// updateOrderConf (UpdateOrderConfCommand): read (-m get), write (-m put,
// -v "brokerName:queueNums;...") or delete (-m delete) a topic's order
// config, the NameServer KV entry ORDER_TOPIC_CONFIG/<topic> that order
// topics' routes carry (GET_KV_CONFIG from the first NameServer that
// answers; PUT_KV_CONFIG and DELETE_KV_CONFIG on every NameServer). As in
// Java, the result line has no line break.

import (
	"errors"
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func updateOrderConf() spec {
	return spec{
		name:  "updateOrderConf",
		usage: "Create or update or delete order conf.",
		flags: []cli.Flag{
			strFlag("topic", "t", "topic name"),
			strFlag("orderConf", "v", "set order conf [eg. brokerName1:num;brokerName2:num]"),
			strFlag("method", "m", "option type [eg. put|get|delete"),
		},
		required: []string{"t", "m"},
		run: func(x *ctx) error {
			topic := x.trimmed("t")
			switch method := x.trimmed("m"); method {
			case "get":
				resp, err := x.adm.nsCall(admin.Request(wire.GetKvConfig, "namespace", orderTopicConfig, "key", topic))
				if err != nil {
					return err
				}
				x.printf("get orderConf success. topic=[%s], orderConf=[%s] ", topic, resp.ExtValue("value"))
			case "put":
				conf := x.trimmed("v")
				if conf == "" {
					return errors.New("please set orderConf with option -v.") //nolint:staticcheck // Java's words
				}
				if err := x.adm.nsEach(admin.Request(wire.PutKvConfig, "namespace", orderTopicConfig, "key", topic, "value", conf)); err != nil {
					return err
				}
				x.printf("update orderConf success. topic=[%s], orderConf=[%s]", topic, conf)
			case "delete":
				if err := x.adm.nsEach(admin.Request(wire.DeleteKvConfig, "namespace", orderTopicConfig, "key", topic)); err != nil {
					return err
				}
				x.printf("delete orderConf success. topic=[%s]", topic)
			default:
				return fmt.Errorf("option %s: unknown method %q (put, get or delete)", flagLabel(x.Command.Flags, "m"), method)
			}
			return nil
		},
	}
}
