package main

import (
	"context"
	"fmt"
	"io"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/apache/rocketmq-client-go/v2/rlog"
	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/bench"
	"github.com/booster-mq/booster/wire"
)

// benchCommand is `booster bench`: the load generator of package bench.
// Flag names follow Apache's benchmark Producer and Consumer
// (-n, -t, -w, -s, -b, -q, -y, -g, -ri) with long Go-style names besides.
func benchCommand() *cli.Command {
	return &cli.Command{
		Name:  "bench",
		Usage: "load generator: producer, consumer, e2e, startup, table",
		Description: "Drives any RocketMQ NameServer and broker (Booster's or Apache's) through Booster's\n" +
			"own remoting client (--client=wire) or the official Go client (--client=go), printing\n" +
			"per-interval TPS and latency percentiles and a final summary (--json for machines).",
		Subcommands: []*cli.Command{
			{
				Name:   "producer",
				Usage:  "send messages and measure send latency",
				Flags:  append(commonFlags(), producerFlags()...),
				Action: runBenchProducer,
			},
			{
				Name:   "consumer",
				Usage:  "consume a topic and measure end-to-end latency (from the send-time property)",
				Flags:  append(commonFlags(), consumerFlags()...),
				Action: runBenchConsumer,
			},
			{
				Name:  "e2e",
				Usage: "run a consumer and a (paced) producer in one process and measure end-to-end latency",
				Flags: append(append(commonFlags(), producerFlags()...),
					&cli.StringFlag{Name: "consumerGroup", Aliases: []string{"g"}, Value: "benchmark_consumer", Usage: "consumer group"},
					&cli.DurationFlag{Name: "drain", Value: 10 * time.Second, Usage: "how long to wait for the consumer to catch up after the producer stops"},
				),
				Action: runBenchE2E,
			},
			{
				Name:  "startup",
				Usage: "retry a one-message send until it succeeds; print the time since a process started",
				Flags: []cli.Flag{
					namesrvFlag(),
					&cli.StringFlag{Name: "topic", Aliases: []string{"t"}, Value: "BenchmarkStartup", Usage: "topic (auto-created by the send when it has no route)"},
					&cli.IntFlag{Name: "since-pid", Usage: "measure from this process's start (the broker); default: from now"},
					&cli.DurationFlag{Name: "timeout", Value: 2 * time.Minute, Usage: "give up after this long"},
					&cli.BoolFlag{Name: "json", Usage: "print the result as JSON"},
				},
				Action: runBenchStartup,
			},
			{
				Name:      "table",
				Usage:     "print the Apache/Booster comparison table from the JSON results of bench/compare.sh",
				ArgsUsage: "DIR",
				Action: func(c *cli.Context) error {
					if c.NArg() != 1 {
						return fmt.Errorf("bench table: want one directory argument")
					}
					return bench.CompareTable(c.Args().First(), c.App.Writer)
				},
			},
		},
	}
}

func namesrvFlag() cli.Flag {
	return &cli.StringFlag{Name: "namesrv", Aliases: []string{"n"}, Value: "127.0.0.1:9876", EnvVars: []string{"NAMESRV_ADDR"},
		Usage: "NameServer addresses, ';'-separated"}
}

func commonFlags() []cli.Flag {
	return []cli.Flag{
		namesrvFlag(),
		&cli.StringFlag{Name: "topic", Aliases: []string{"t"}, Value: "BenchmarkTest", Usage: "topic"},
		&cli.StringFlag{Name: "client", Value: bench.ClientWire, Usage: "wire (Booster's remoting client) or go (rocketmq-client-go/v2)"},
		&cli.StringFlag{Name: "serialize", Value: "rocketmq", Usage: "wire client header serialization: rocketmq or json"},
		&cli.IntFlag{Name: "conns", Value: 1, Usage: "wire client connections per broker"},
		&cli.Int64Flag{Name: "messageQuantity", Aliases: []string{"q", "count"}, Usage: "stop after this many messages (0: no limit)"},
		&cli.DurationFlag{Name: "duration", Aliases: []string{"d"}, Usage: "stop after this long (0: until the count or Ctrl-C)"},
		&cli.DurationFlag{Name: "warmup", Usage: "leave this first part out of the summary"},
		&cli.DurationFlag{Name: "reportInterval", Aliases: []string{"ri", "interval"}, Value: time.Second, Usage: "report period"},
		&cli.IntFlag{Name: "watch-pid", Usage: "sample this process's VmRSS and RssAnon (the broker) every interval"},
		&cli.BoolFlag{Name: "json", Usage: "print the summary as JSON on stdout (the per-interval lines go to stderr)"},
		&cli.BoolFlag{Name: "quiet", Usage: "no per-interval lines"},
		&cli.StringFlag{Name: "client-log", Value: "error", Usage: "log level of the Go client (--client=go)"},
	}
}

func producerFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "producerGroup", Value: "benchmark_producer", Usage: "producer group"},
		&cli.IntFlag{Name: "threadCount", Aliases: []string{"w", "threads"}, Value: 64, Usage: "sync and oneway senders"},
		&cli.IntFlag{Name: "messageSize", Aliases: []string{"s", "size"}, Value: 128, Usage: "body size in bytes"},
		&cli.IntFlag{Name: "batchSize", Aliases: []string{"b", "batch"}, Value: 1, Usage: "messages per send (> 1: SEND_BATCH_MESSAGE)"},
		&cli.StringFlag{Name: "mode", Value: "sync", Usage: "sync, async or oneway"},
		&cli.BoolFlag{Name: "asyncEnable", Aliases: []string{"y"}, Usage: "same as --mode=async (Apache's flag)"},
		&cli.IntFlag{Name: "inflight", Value: 1024, Usage: "outstanding sends in async mode"},
		&cli.Float64Flag{Name: "rate", Usage: "messages per second over all senders (0: as fast as possible)"},
		&cli.IntFlag{Name: "queues", Usage: "first create the topic with this many queues on every broker (0: use the existing route or auto-create)"},
		&cli.DurationFlag{Name: "send-timeout", Value: 3 * time.Second, Usage: "timeout of one send"},
	}
}

func consumerFlags() []cli.Flag {
	return []cli.Flag{
		&cli.StringFlag{Name: "group", Aliases: []string{"g"}, Value: "benchmark_consumer", Usage: "consumer group"},
		&cli.StringFlag{Name: "from", Value: bench.FromLast, Usage: "where a queue starts: first (drain the backlog) or last"},
		&cli.IntFlag{Name: "pull-batch", Value: 32, Usage: "messages per pull"},
	}
}

// parseSerialize reads --serialize.
func parseSerialize(s string) (wire.SerializeType, error) {
	switch strings.ToLower(s) {
	case "rocketmq", "binary":
		return wire.RocketMQ, nil
	case "json":
		return wire.JSON, nil
	}
	return 0, fmt.Errorf("--serialize: %q is neither rocketmq nor json", s)
}

// commonConfig reads the flags of commonFlags.
func commonConfig(c *cli.Context) (bench.Common, error) {
	cc := bench.DefaultCommon()
	ser, err := parseSerialize(c.String("serialize"))
	if err != nil {
		return cc, err
	}
	cc.Namesrv = c.String("namesrv")
	cc.Topic = c.String("topic")
	cc.Client = c.String("client")
	cc.Serialize = ser
	cc.Conns = c.Int("conns")
	cc.Count = c.Int64("messageQuantity")
	cc.Duration = c.Duration("duration")
	cc.Warmup = c.Duration("warmup")
	cc.Interval = c.Duration("reportInterval")
	cc.WatchPID = c.Int("watch-pid")
	if !c.Bool("quiet") {
		cc.Out = c.App.Writer
		if c.Bool("json") {
			cc.Out = c.App.ErrWriter
		}
	}
	if cc.Client == bench.ClientGo {
		rlog.SetLogLevel(c.String("client-log"))
	}
	return cc, nil
}

// producerConfig reads the producer flags.
func producerConfig(c *cli.Context) (bench.ProducerConfig, error) {
	pc := bench.DefaultProducerConfig()
	cc, err := commonConfig(c)
	if err != nil {
		return pc, err
	}
	pc.Common = cc
	pc.Group = c.String("producerGroup")
	pc.Threads = c.Int("threadCount")
	pc.Size = c.Int("messageSize")
	pc.Batch = c.Int("batchSize")
	pc.Mode = bench.Mode(strings.ToLower(c.String("mode")))
	if c.Bool("asyncEnable") {
		pc.Mode = bench.Async
	}
	pc.Inflight = c.Int("inflight")
	pc.Rate = c.Float64("rate")
	pc.Queues = c.Int("queues")
	pc.SendTimeout = c.Duration("send-timeout")
	return pc, pc.Validate()
}

// consumerConfig reads the consumer flags.
func consumerConfig(c *cli.Context) (bench.ConsumerConfig, error) {
	cc := bench.DefaultConsumerConfig()
	common, err := commonConfig(c)
	if err != nil {
		return cc, err
	}
	cc.Common = common
	cc.Group = c.String("group")
	cc.From = strings.ToLower(c.String("from"))
	cc.PullBatch = c.Int("pull-batch")
	return cc, cc.Validate()
}

// signalContext is cancelled by SIGINT or SIGTERM, so an interrupted run
// still prints its summary.
func signalContext(c *cli.Context) (context.Context, context.CancelFunc) {
	return signal.NotifyContext(c.Context, syscall.SIGINT, syscall.SIGTERM)
}

func printSummary(c *cli.Context, s *bench.Summary) error {
	if c.Bool("json") {
		return s.WriteJSON(c.App.Writer)
	}
	return s.WriteText(c.App.Writer)
}

func runBenchProducer(c *cli.Context) error {
	cfg, err := producerConfig(c)
	if err != nil {
		return err
	}
	ctx, stop := signalContext(c)
	defer stop()
	s, err := bench.RunProducer(ctx, cfg)
	if err != nil {
		return err
	}
	return printSummary(c, s)
}

func runBenchConsumer(c *cli.Context) error {
	cfg, err := consumerConfig(c)
	if err != nil {
		return err
	}
	ctx, stop := signalContext(c)
	defer stop()
	s, err := bench.RunConsumer(ctx, cfg)
	if err != nil {
		return err
	}
	return printSummary(c, s)
}

func runBenchE2E(c *cli.Context) error {
	cfg, err := producerConfig(c)
	if err != nil {
		return err
	}
	ctx, stop := signalContext(c)
	defer stop()
	s, err := bench.RunE2E(ctx, cfg, c.String("consumerGroup"), c.Duration("drain"))
	if err != nil {
		return err
	}
	return printSummary(c, s)
}

func runBenchStartup(c *cli.Context) error {
	ctx, stop := signalContext(c)
	defer stop()
	r, err := bench.FirstSend(ctx, bench.StartupConfig{
		Namesrv:  c.String("namesrv"),
		Topic:    c.String("topic"),
		SincePID: c.Int("since-pid"),
		Timeout:  c.Duration("timeout"),
	})
	if err != nil {
		return err
	}
	var w io.Writer = c.App.Writer
	if c.Bool("json") {
		return r.WriteJSON(w)
	}
	return r.WriteText(w)
}
