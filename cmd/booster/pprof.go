package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"
	"os"

	"github.com/urfave/cli/v2"
)

// pprofFlag serves Go's profiles (CPU, heap, allocations, goroutines,
// mutex and block) over HTTP while Booster runs, for `go tool pprof
// http://ADDR/debug/pprof/profile?seconds=10`. Off unless given; bind it to
// loopback or a trusted network only.
func pprofFlag() cli.Flag {
	return &cli.StringFlag{Name: "pprof", Usage: "serve /debug/pprof/ on this address (e.g. 127.0.0.1:6060)"}
}

// startPprof starts the profile endpoint when --pprof is set.
func startPprof(c *cli.Context) error {
	addr := c.String("pprof")
	if addr == "" {
		return nil
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return fmt.Errorf("--pprof: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	go func() {
		if err := http.Serve(ln, mux); err != nil {
			fmt.Fprintln(os.Stderr, "booster: pprof endpoint stopped:", err)
		}
	}()
	return nil
}
