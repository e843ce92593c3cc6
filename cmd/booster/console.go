package main

import (
	"log/slog"

	"github.com/booster-mq/booster/broker"
	"github.com/booster-mq/booster/console"
)

// startConsole serves the web console on consolePort (nil when 0). The
// console is an optional view: a port it cannot take is logged and the
// broker runs on without it.
func startConsole(cfg broker.Config, log *slog.Logger) *console.Server {
	cs, err := console.Start(console.Config{Host: cfg.ListenHost, Port: cfg.ConsolePort, Namesrv: cfg.NamesrvAddrs()}, log)
	if err != nil {
		log.Error("web console not started", "err", err)
		return nil
	}
	return cs
}
