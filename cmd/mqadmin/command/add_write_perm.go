package command

// addWritePerm (AddWritePermSubCommand): give a broker group its write
// permission back in every NameServer (ADD_WRITE_PERM_OF_BROKER),
// printing each NameServer's topic count.

import "github.com/booster-mq/booster/wire"

func addWritePerm() spec {
	return writePermSpec("addWritePerm", "Add write perm of broker in all name server you defined in the -n param.",
		wire.AddWritePermOfBroker, "addTopicCount", "add")
}
