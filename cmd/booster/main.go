// Command booster runs a RocketMQ-compatible NameServer, Broker, or both in
// one process (standalone).
package main

import (
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/broker"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/namesrv"
	"github.com/booster-mq/booster/proxy"
)

// version is set by the Makefile.
var version = "dev"

func main() {
	app := &cli.App{
		Name:    "booster",
		Usage:   "a drop-in Apache RocketMQ NameServer and Broker",
		Version: version,
		Flags: []cli.Flag{
			&cli.StringFlag{Name: "log-level", Value: "info", Usage: "debug, info, warn or error (config key logLevel)"},
			&cli.StringFlag{Name: "log-format", Value: "text", Usage: "text or json (config key logFormat)"},
			pprofFlag(),
		},
		Before: startPprof,
		Commands: []*cli.Command{
			{
				Name:   "namesrv",
				Usage:  "run a NameServer",
				Flags:  []cli.Flag{confFlag()},
				Action: runNamesrv,
			},
			{
				Name:   "broker",
				Usage:  "run a Broker",
				Flags:  []cli.Flag{confFlag(), &cli.StringFlag{Name: "namesrvAddr", Aliases: []string{"n"}, Usage: "NameServer addresses, ';'-separated"}},
				Action: runBroker,
			},
			{
				Name:   "standalone",
				Usage:  "run a NameServer and a Broker in one process (the NameServer listens on namesrvAddr)",
				Flags:  []cli.Flag{confFlag(), &cli.StringFlag{Name: "namesrvAddr", Aliases: []string{"n"}, Usage: "address the NameServer listens on and the broker registers with"}},
				Action: runStandalone,
			},
			benchCommand(),
			controllerCommand(),
		},
	}
	if err := app.Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "booster:", err)
		os.Exit(1)
	}
}

func confFlag() cli.Flag {
	return &cli.StringFlag{Name: "configFile", Aliases: []string{"c"}, Usage: "broker.conf / namesrv.conf (Java properties)"}
}

// setter applies one key; known=false means the key is not its.
type setter func(key, value string) (bool, error)

// loadConf applies the properties file at path through the setters; a key
// no setter knows is logged and skipped.
func loadConf(path string, log *slog.Logger, setters ...setter) error {
	if path == "" {
		return nil
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	props, err := compat.ReadProperties(f)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	var errs []string
	for _, p := range props {
		known := isLogKey(p.Key)
		for _, set := range setters {
			k, err := set(p.Key, p.Value)
			if err != nil {
				errs = append(errs, fmt.Sprintf("%s:%d: %v", path, p.Line, err))
			}
			known = known || k
		}
		if !known {
			log.Warn("unknown config key ignored", "file", path, "line", p.Line, "key", p.Key)
		}
	}
	if len(errs) > 0 {
		return fmt.Errorf("%s", strings.Join(errs, "; "))
	}
	return nil
}

func namesrvConfig(c *cli.Context, log *slog.Logger) (namesrv.Config, error) {
	cfg := namesrv.DefaultConfig()
	home, _ := os.UserHomeDir()
	cfg.KvConfigPath = filepath.Join(home, "namesrv", "kvConfig.json")
	err := loadConf(c.String("configFile"), log, cfg.Set, controllerKeys)
	return cfg, err
}

func runNamesrv(c *cli.Context) error {
	log := logger(c)
	cfg, err := namesrvConfig(c, log)
	if err != nil {
		return err
	}
	ns := namesrv.New(cfg, log)
	if err := ns.Start(); err != nil {
		return err
	}
	ctl, err := startEmbeddedController(c, log)
	if err != nil {
		ns.Close()
		return err
	}
	if ctl != nil {
		defer ctl.Close()
	}
	log.Info("The Name Server boot success", "listen", ns.Addr(), "version", compat.VersionDesc(compat.CurrentVersion))
	waitSignal(log)
	ns.Close()
	return nil
}

func brokerConfig(c *cli.Context, log *slog.Logger) (broker.Config, error) {
	cfg := broker.DefaultConfig()
	if err := loadConf(c.String("configFile"), log, cfg.Set); err != nil {
		return cfg, err
	}
	if n := c.String("namesrvAddr"); n != "" {
		cfg.NamesrvAddr = n
	}
	return cfg, nil
}

func runBroker(c *cli.Context) error {
	log := logger(c)
	cfg, err := brokerConfig(c, log)
	if err != nil {
		return err
	}
	if cfg.NamesrvAddr == "" {
		log.Warn("namesrvAddr is not set: the broker will not register with any NameServer")
	}
	b, err := broker.New(cfg, log)
	if err != nil {
		return err
	}
	if err := b.Start(); err != nil {
		b.Close()
		return err
	}
	gs, err := proxy.StartFor(b, log)
	if err != nil {
		b.Close()
		return err
	}
	cs := startConsole(cfg, log)
	log.Info(fmt.Sprintf("The broker[%s, %s] boot success. serializeType=JSON and name server is %s", cfg.BrokerName, b.Addr(), cfg.NamesrvAddr))
	waitSignal(log)
	_ = cs.Close() // exiting: nothing to do with its error
	if gs != nil {
		gs.Close()
	}
	return b.Close()
}

// runStandalone runs a NameServer on namesrvAddr (default 127.0.0.1:9876)
// and a broker that registers with it.
func runStandalone(c *cli.Context) error {
	log := logger(c)
	bcfg, err := brokerConfig(c, log)
	if err != nil {
		return err
	}
	ncfg := namesrv.DefaultConfig()
	ncfg.KvConfigPath = filepath.Join(bcfg.StorePathRootDir, "namesrv", "kvConfig.json")
	ncfg.TLSConfig = bcfg.TLSConfig // the tls.* keys hold for both ports, as Apache's system properties do
	if bcfg.NamesrvAddr == "" {
		bcfg.NamesrvAddr = "127.0.0.1:9876"
	}
	first := bcfg.NamesrvAddrs()[0]
	host, port, err := net.SplitHostPort(first)
	if err != nil {
		return fmt.Errorf("namesrvAddr %q: %w", first, err)
	}
	ncfg.ListenPort, err = strconv.Atoi(port)
	if err != nil {
		return fmt.Errorf("namesrvAddr %q: bad port", first)
	}
	ncfg.BindAddress = host
	ns := namesrv.New(ncfg, log)
	if err := ns.Start(); err != nil {
		return err
	}
	b, err := broker.New(bcfg, log)
	if err != nil {
		ns.Close()
		return err
	}
	if err := b.Start(); err != nil {
		b.Close()
		ns.Close()
		return err
	}
	gs, err := proxy.StartFor(b, log)
	if err != nil {
		b.Close()
		ns.Close()
		return err
	}
	grpcAddr := ""
	if gs != nil {
		grpcAddr = gs.Addr()
	}
	cs := startConsole(bcfg, log)
	log.Info("booster standalone ready", "namesrv", ns.Addr(), "broker", b.Addr(), "grpc", grpcAddr, "console", cs.Addr(), "store", bcfg.StorePathRootDir)
	waitSignal(log)
	_ = cs.Close() // exiting: nothing to do with its error
	if gs != nil {
		gs.Close()
	}
	err = b.Close()
	ns.Close()
	return err
}

func waitSignal(log *slog.Logger) {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, syscall.SIGINT, syscall.SIGTERM)
	s := <-ch
	log.Info("shutting down", "signal", s.String())
}
