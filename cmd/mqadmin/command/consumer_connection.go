package command

// consumerConnection (ConsumerConnectionSubCommand): the clients of a
// consumer group, its subscriptions and consume settings
// (GET_CONSUMER_CONNECTION_LIST on a broker of %RETRY%group's route, or on
// -b).

import (
	"sort"

	"github.com/urfave/cli/v2"
)

func consumerConnection() spec {
	return spec{
		name:  "consumerConnection",
		usage: "Query consumer's socket connection, client version and subscription.",
		flags: []cli.Flag{
			strFlag("consumerGroup", "g", "consumer group name"),
			strFlag("brokerAddr", "b", "broker address"),
		},
		required: []string{"g"},
		json:     true,
		run: func(x *ctx) error {
			group := x.trimmed("g")
			var cc *consumerConn
			var err error
			if x.IsSet("b") {
				cc, err = x.adm.consumerConnectionOf(x.trimmed("b"), group)
			} else {
				cc, err = x.adm.examineConsumerConnection(group)
			}
			if err != nil {
				return err
			}
			if x.json() {
				return printJSON(x, cc)
			}
			x.printf("%-36s %-22s %-10s %s\n", "#ClientId", "#ClientAddr", "#Language", "#Version")
			for _, c := range cc.ConnectionSet {
				x.printf("%-36s %-22s %-10s %s\n", c.ClientID, c.ClientAddr, c.Language, versionDesc(c.Version))
			}
			x.printf("\nBelow is subscription:\n")
			x.printf("%-20s %s\n", "#Topic", "#SubExpression")
			topics := make([]string, 0, len(cc.SubscriptionTable))
			for t := range cc.SubscriptionTable {
				topics = append(topics, t)
			}
			sort.Strings(topics)
			for _, t := range topics {
				sd := cc.SubscriptionTable[t]
				x.printf("%-20s %s\n", sd.Topic, sd.SubString)
			}
			x.printf("\n")
			x.printf("ConsumeType: %s\n", cc.ConsumeType)
			x.printf("MessageModel: %s\n", cc.MessageModel)
			x.printf("ConsumeFromWhere: %s\n", cc.ConsumeFromWhere)
			return nil
		},
	}
}
