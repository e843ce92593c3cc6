// Command mqadmin administers NameServers and brokers (Booster's or Apache
// RocketMQ's) with Apache mqadmin's subcommands, flags and output.
package main

import (
	"os"

	"github.com/booster-mq/booster/cmd/mqadmin/command"
)

// version is set by the Makefile.
var version = "dev"

func main() {
	env := command.DefaultEnv()
	env.Version = version
	os.Exit(command.Run(os.Args[1:], env))
}
