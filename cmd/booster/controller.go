package main

import (
	"log/slog"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/controller"
)

// controllerCommand runs a stand-alone controller (Apache's mqcontroller).
func controllerCommand() *cli.Command {
	return &cli.Command{
		Name:   "controller",
		Usage:  "run a controller (controllerPeers, controllerSelfId, controllerStorePath in the config file)",
		Flags:  []cli.Flag{confFlag()},
		Action: runController,
	}
}

func controllerConfig(c *cli.Context, log *slog.Logger, setters ...setter) (controller.Config, error) {
	cfg := controller.DefaultConfig()
	err := loadConf(c.String("configFile"), log, append([]setter{cfg.Set}, setters...)...)
	return cfg, err
}

func runController(c *cli.Context) error {
	log := logger(c)
	cfg, err := controllerConfig(c, log)
	if err != nil {
		return err
	}
	ctl, err := controller.New(cfg, log)
	if err != nil {
		return err
	}
	if err := ctl.Start(); err != nil {
		return err
	}
	log.Info("The ControllerManager boot success", "addr", ctl.Addr(), "version", compat.VersionDesc(compat.CurrentVersion))
	waitSignal(log)
	ctl.Close()
	return nil
}

// controllerKeys accepts the controller's keys (and
// enableControllerInNamesrv) in a NameServer's file, so they are not
// reported as unknown; startEmbeddedController reads them.
func controllerKeys(key, value string) (bool, error) {
	if key == "enableControllerInNamesrv" {
		_, err := strconv.ParseBool(value)
		return true, err
	}
	probe := controller.DefaultConfig()
	return probe.Set(key, value)
}

// startEmbeddedController starts the controller inside a NameServer when
// its file sets enableControllerInNamesrv=true (nil otherwise).
func startEmbeddedController(c *cli.Context, log *slog.Logger) (*controller.Controller, error) {
	enabled := false
	quiet := slog.New(slog.DiscardHandler) // the NameServer already reported unknown keys
	cfg, err := controllerConfig(c, quiet, func(key, value string) (bool, error) {
		if key != "enableControllerInNamesrv" {
			return false, nil
		}
		v, err := strconv.ParseBool(value)
		enabled = v
		return true, err
	})
	if err != nil || !enabled {
		return nil, err
	}
	ctl, err := controller.New(cfg, log)
	if err != nil {
		return nil, err
	}
	if err := ctl.Start(); err != nil {
		return nil, err
	}
	log.Info("The ControllerManager boot success (in the NameServer)", "addr", ctl.Addr())
	return ctl, nil
}
