package main

import (
	"crypto/tls"
	"log/slog"

	"github.com/booster-mq/booster/broker"
	"github.com/booster-mq/booster/console"
)

// startConsole serves the web console on consolePort (nil when 0). The
// console is an optional view: a port it cannot take is logged and the
// broker runs on without it.
func startConsole(cfg broker.Config, log *slog.Logger) *console.Server {
	if cfg.ConsolePort == 0 {
		return nil
	}
	// The console dials the cluster as the broker does (tls.enable, or an
	// enforcing server mode).
	clientTLS, err := func() (*tls.Config, error) {
		r, err := cfg.TLSConfig.Resolve()
		if err != nil {
			return nil, err
		}
		return r.ClientTLS()
	}()
	if err != nil {
		log.Error("web console not started", "err", err)
		return nil
	}
	cs, err := console.Start(console.Config{Host: cfg.ListenHost, Port: cfg.ConsolePort, Namesrv: cfg.NamesrvAddrs(), TLS: clientTLS}, log)
	if err != nil {
		log.Error("web console not started", "err", err)
		return nil
	}
	return cs
}
