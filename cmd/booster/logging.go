package main

import (
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/booster-mq/booster/compat"
)

// The config file keys (Booster's own; Apache configures logging in
// logback files) that set the log level and format. The --log-level and
// --log-format flags win over them.
const (
	logLevelKey  = "logLevel"
	logFormatKey = "logFormat"
)

func isLogKey(k string) bool { return k == logLevelKey || k == logFormatKey }

// logger builds the process's structured logger from the flags and the
// config file's logLevel / logFormat keys. A bad value is reported on
// stderr and the default (info, text) used.
func logger(c *cli.Context) *slog.Logger {
	level, format := "info", "text"
	if path := c.String("configFile"); path != "" {
		if f, err := os.Open(path); err == nil {
			props, _ := compat.ReadProperties(f)
			f.Close()
			for _, p := range props {
				switch p.Key {
				case logLevelKey:
					level = p.Value
				case logFormatKey:
					format = p.Value
				}
			}
		}
	}
	if c.IsSet("log-level") {
		level = c.String("log-level")
	}
	if c.IsSet("log-format") {
		format = c.String("log-format")
	}
	log, err := newLogger(os.Stderr, level, format)
	if err != nil {
		fmt.Fprintln(os.Stderr, "booster:", err, "(using info, text)")
		log, _ = newLogger(os.Stderr, "info", "text")
	}
	return log
}

// newLogger returns a logger writing to w at level (debug, info, warn,
// error; any case) in format (text: key=value lines; json: one object a
// line).
func newLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	opts := &slog.HandlerOptions{Level: lvl}
	switch strings.ToLower(format) {
	case "text", "":
		return slog.New(slog.NewTextHandler(w, opts)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, opts)), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", format)
}
