package command

// producerConnection (ProducerConnectionSubCommand): the clients of a
// producer group (GET_PRODUCER_CONNECTION_LIST on a broker of the topic's
// route).

import (
	"errors"
	"sort"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func producerConnection() spec {
	return spec{
		name:  "producerConnection",
		usage: "Query producer's socket connection and client version.",
		flags: []cli.Flag{
			strFlag("producerGroup", "g", "producer group name"),
			strFlag("topic", "t", "topic name"),
		},
		required: []string{"g", "t"},
		json:     true,
		run: func(x *ctx) error {
			rd, err := x.adm.route(x.trimmed("t"))
			if err != nil {
				return err
			}
			var pc struct {
				ConnectionSet []admin.Connection `json:"connectionSet"`
			}
			if len(rd.BrokerDatas) > 0 {
				if addr := admin.SelectAddr(&rd.BrokerDatas[0]); addr != "" {
					resp, err := x.adm.call(addr, admin.Request(wire.GetProducerConnectionList, "producerGroup", x.trimmed("g")))
					if err != nil {
						return err
					}
					if err := admin.Decode(resp.Body, &pc); err != nil {
						return err
					}
				}
			}
			if len(pc.ConnectionSet) == 0 {
				return errors.New("Not found the producer group connection") //nolint:staticcheck // Java's words
			}
			sort.Slice(pc.ConnectionSet, func(i, j int) bool { return pc.ConnectionSet[i].ClientID < pc.ConnectionSet[j].ClientID })
			if x.json() {
				return printJSON(x, pc)
			}
			for i, c := range pc.ConnectionSet {
				x.printf("%04d  %-32s %-22s %-8s %s\n", i+1, c.ClientID, c.ClientAddr, c.Language, versionDesc(c.Version))
			}
			return nil
		},
	}
}
