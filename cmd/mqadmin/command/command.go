// Package command implements mqadmin: Apache RocketMQ's mqadmin
// subcommands, with Apache's names, flags and output formats (the column
// headings and widths of each Java SubCommand), talking remoting to
// NameServers and brokers through wire/transport.
//
// One file per subcommand, each returning a spec; Run builds the
// urfave/cli application from them. Differences from Java, on purpose:
// errors print one line on stderr and exit 1 (Java prints a stack trace
// and exits 0); listing commands accept --json for machine-readable output;
// where Java iterates a HashMap, output is sorted.
package command

import (
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/admin"
)

// Env is what a run of mqadmin works with.
type Env struct {
	Stdout io.Writer
	Stderr io.Writer
	// Timeout bounds each request (Java's DefaultMQAdminExt: 5 s).
	Timeout time.Duration
	// BodyDir is where queryMsgById and queryMsgByOffset write message
	// bodies (Java: /tmp/rocketmq/msgbodys).
	BodyDir string
	// WorkDir is where consumerStatus writes running-info files,
	// <millis>/<clientId> (Java: the working directory, as "" is here).
	WorkDir string
	// Version is printed by --version.
	Version string
	// AccessKey and SecretKey sign every request when both are set
	// (credentials.go).
	AccessKey, SecretKey string
}

// DefaultEnv writes to the process's stdout and stderr.
func DefaultEnv() Env {
	ak, sk := loadCredentials(os.Getenv("ROCKETMQ_HOME"), os.Getenv)
	return Env{Stdout: os.Stdout, Stderr: os.Stderr, Timeout: 5 * time.Second, BodyDir: "/tmp/rocketmq/msgbodys", Version: "dev", AccessKey: ak, SecretKey: sk}
}

// spec describes one subcommand.
type spec struct {
	name     string
	usage    string
	flags    []cli.Flag
	required []string // flag names that must be given
	json     bool     // accepts --json
	run      func(x *ctx) error
}

// ctx is one subcommand's run: its parsed flags, output and connections.
type ctx struct {
	*cli.Context
	env *Env
	out io.Writer
	adm *adminExt
}

// json reports whether --json was given.
func (x *ctx) json() bool { return x.Bool("json") }

// printf writes to stdout.
func (x *ctx) printf(format string, a ...any) { fmt.Fprintf(x.out, format, a...) }

// trimmed returns a flag's value without surrounding blanks (Java trims
// every option value).
func (x *ctx) trimmed(name string) string { return strings.TrimSpace(x.String(name)) }

// specs lists every subcommand.
func specs() []spec {
	return []spec{
		updateTopic(), deleteTopic(), topicList(), topicRoute(), topicStatus(), topicClusterList(),
		clusterList(), brokerStatus(), getBrokerConfig(), updateBrokerConfig(), cleanExpiredCQ(),
		updateSubGroup(), deleteSubGroup(), consumerProgress(), consumerConnection(), producerConnection(),
		getNamesrvConfig(), updateNamesrvConfig(), updateKvConfig(), deleteKvConfig(), wipeWritePerm(), addWritePerm(),
		sendMessage(), queryMsgByID(), printMsg(), printMsgByQueue(), queryMsgByOffset(), resetOffsetByTime(), statsAll(),
		queryMsgByKey(), queryMsgByUniqueKey(), consumeMessage(), clusterRT(), brokerConsumeStats(), updateTopicPerm(),
		updateOrderConf(), consumerStatus(),
		updateACLConfig(), deleteACLConfig(), clusterACLConfigVersion(), updateGlobalWhiteAddr(), getACLConfig(),
	}
}

// runMu serializes Run: urfave/cli/v2 writes to its package-level
// HelpFlag, VersionFlag and help command while it parses, so two apps must
// not parse at once (tests run mqadmin in parallel).
var runMu sync.Mutex

// Run runs mqadmin with args (without the program name) and returns the
// process exit status.
func Run(args []string, env Env) int {
	runMu.Lock()
	defer runMu.Unlock()
	if env.Timeout <= 0 {
		env.Timeout = 5 * time.Second
	}
	var failed error
	app := &cli.App{
		Name:           "mqadmin",
		Usage:          "administer Booster and Apache RocketMQ NameServers and brokers",
		Version:        env.Version,
		Writer:         env.Stdout,
		ErrWriter:      env.Stderr,
		ExitErrHandler: func(*cli.Context, error) {}, // only Run decides the exit status
		CommandNotFound: func(_ *cli.Context, name string) {
			failed = fmt.Errorf("The sub command %s not exist.", name) //nolint:staticcheck // Java's words
		},
	}
	all := specs()
	sort.Slice(all, func(i, j int) bool { return all[i].name < all[j].name })
	for _, s := range all {
		app.Commands = append(app.Commands, s.command(&env))
	}
	err := app.Run(append([]string{"mqadmin"}, args...))
	if err == nil {
		err = failed
	}
	if err != nil {
		fmt.Fprintf(env.Stderr, "mqadmin: %s\n", admin.OneLine(err.Error()))
		return 1
	}
	return 0
}

// command turns a spec into a cli.Command with the flags every
// subcommand shares.
func (s spec) command(env *Env) *cli.Command {
	flags := append([]cli.Flag{}, s.flags...)
	flags = append(flags, &cli.StringFlag{Name: "namesrvAddr", Aliases: []string{"n"}, EnvVars: []string{"NAMESRV_ADDR"},
		Usage: "Name server address list, eg: '192.168.0.1:9876;192.168.0.2:9876'"})
	flags = append(flags, &cli.BoolFlag{Name: "tls", EnvVars: []string{"TLS_ENABLE"},
		Usage: "connect over TLS (Apache's -Dtls.enable=true); the server's certificate is not verified, as in Apache's tls.test.mode.enable"})
	if s.json {
		flags = append(flags, &cli.BoolFlag{Name: "json", Usage: "print the result as JSON"})
	}
	return &cli.Command{
		Name:  s.name,
		Usage: s.usage,
		Flags: flags,
		OnUsageError: func(_ *cli.Context, err error, _ bool) error {
			return fmt.Errorf("%s: %w", s.name, err)
		},
		Action: func(c *cli.Context) error {
			for _, name := range s.required {
				if !c.IsSet(name) {
					return fmt.Errorf("%s: missing required option %s", s.name, flagLabel(s.flags, name))
				}
			}
			cfg := admin.Config{Namesrv: splitAddrs(c.String("namesrvAddr")), Timeout: env.Timeout, AccessKey: env.AccessKey, SecretKey: env.SecretKey}
			if c.Bool("tls") {
				cfg.TLS = &tls.Config{InsecureSkipVerify: true} //nolint:gosec // Apache's clients trust any server in test mode
			}
			x := &ctx{Context: c, env: env, out: env.Stdout, adm: newAdminExt(cfg)}
			defer x.adm.close()
			if err := s.run(x); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
			return nil
		},
	}
}

// flagLabel renders a flag as "-t (--topic)".
func flagLabel(flags []cli.Flag, name string) string {
	for _, f := range flags {
		names := f.Names()
		for _, n := range names {
			if n == name {
				if len(names) > 1 {
					return fmt.Sprintf("-%s (--%s)", names[1], names[0])
				}
				return "--" + names[0]
			}
		}
	}
	return "-" + name
}

// splitAddrs splits a ';'-separated address list.
func splitAddrs(s string) []string {
	var out []string
	for _, a := range strings.Split(s, ";") {
		if a = strings.TrimSpace(a); a != "" {
			out = append(out, a)
		}
	}
	return out
}

// Flag constructors: Java's long option name, its one-letter alias.

func strFlag(name, alias, usage string) cli.Flag {
	f := &cli.StringFlag{Name: name, Usage: usage}
	if alias != "" {
		f.Aliases = []string{alias}
	}
	return f
}

func boolFlag(name, alias, usage string) cli.Flag {
	return &cli.BoolFlag{Name: name, Aliases: []string{alias}, Usage: usage}
}

// errNoNamesrv is returned when a command needs a NameServer and none is set.
var errNoNamesrv = errors.New("no NameServer address: pass -n host:port or set NAMESRV_ADDR")

// oneOf insists that at least one of the named flags is given (a required
// commons-cli OptionGroup).
func (x *ctx) oneOf(names ...string) error {
	labels := make([]string, len(names))
	for i, n := range names {
		if x.IsSet(n) {
			return nil
		}
		labels[i] = flagLabel(x.Command.Flags, n)
	}
	return fmt.Errorf("missing required option: one of %s", strings.Join(labels, ", "))
}

// intFlag parses an integer option.
func (x *ctx) intFlag(name string) (int, error) {
	v, err := strconv.Atoi(x.trimmed(name))
	if err != nil {
		return 0, fmt.Errorf("option %s: %q is not a number", flagLabel(x.Command.Flags, name), x.String(name))
	}
	return v, nil
}
