package command

// getNamesrvConfig (GetNamesrvConfigCommand): each NameServer's
// configuration (GET_NAMESRV_CONFIG) under a banner with its address.

import "github.com/booster-mq/booster/wire"

func getNamesrvConfig() spec {
	return spec{
		name:  "getNamesrvConfig",
		usage: "Get configs of name server.",
		json:  true,
		run: func(x *ctx) error {
			if len(x.adm.namesrv) == 0 {
				return errNoNamesrv
			}
			all := map[string]map[string]string{}
			for _, addr := range x.adm.namesrv {
				props, err := x.adm.properties(addr, wire.GetNamesrvConfig)
				if err != nil {
					return err
				}
				if x.json() {
					all[addr] = propertyMap(props)
					continue
				}
				x.printf("============%s============\n", addr)
				printProperties(x, props)
			}
			if x.json() {
				return printJSON(x, all)
			}
			return nil
		},
	}
}
