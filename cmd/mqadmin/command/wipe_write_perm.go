package command

// wipeWritePerm (WipeWritePermSubCommand): take a broker group's write
// permission away in every NameServer (WIPE_WRITE_PERM_OF_BROKER),
// printing each NameServer's topic count; producers stop choosing it.

import (
	"errors"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
	"github.com/booster-mq/booster/wire"
)

func wipeWritePerm() spec {
	return writePermSpec("wipeWritePerm", "Wipe write perm of broker in all name server you defined in the -n param.",
		wire.WipeWritePermOfBroker, "wipeTopicCount", "wipe")
}

// writePermSpec is wipeWritePerm and addWritePerm: code on every
// NameServer, printing the topic count of ext countKey.
func writePermSpec(name, usage string, code wire.RequestCode, countKey, verb string) spec {
	return spec{
		name:     name,
		usage:    usage,
		flags:    []cli.Flag{strFlag("brokerName", "b", "broker name")},
		required: []string{"b"},
		run: func(x *ctx) error {
			if len(x.adm.namesrv) == 0 {
				return errNoNamesrv
			}
			broker := x.trimmed("b")
			var errs []error
			for _, addr := range x.adm.namesrv {
				resp, err := x.adm.call(addr, admin.Request(code, "brokerName", broker))
				if err != nil {
					x.printf("%s write perm of broker[%s] in name server[%s] Failed\n", verb, broker, addr)
					errs = append(errs, err)
					continue
				}
				n, _ := strconv.Atoi(resp.ExtValue(countKey))
				x.printf("%s write perm of broker[%s] in name server[%s] OK, %d\n", verb, broker, addr, n)
			}
			return errors.Join(errs...)
		},
	}
}
