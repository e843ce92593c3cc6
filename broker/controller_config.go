package broker

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ControllerModeConfig is the broker.conf part of Apache 5's controller
// mode (BrokerConfig's controller keys): with enableControllerMode the
// controller, not brokerId and brokerRole, decides who is master.
type ControllerModeConfig struct {
	// EnableControllerMode hands the role to the controller.
	EnableControllerMode bool `conf:"enableControllerMode"`
	// ControllerAddr is the controllers' addresses, ";"-separated.
	ControllerAddr string `conf:"controllerAddr"`
	// BrokerHeartbeatInterval is how often the broker heartbeats to the
	// controllers and asks for its broker set's state (1000 ms).
	BrokerHeartbeatInterval int `conf:"brokerHeartbeatInterval"`
	// ControllerHeartBeatTimeoutMills is the liveness timeout the broker
	// asks the controllers for (10000 ms); a master that has not reached
	// the controller leader for that long stops taking writes.
	ControllerHeartBeatTimeoutMills int64 `conf:"controllerHeartBeatTimeoutMills"`
	// BrokerElectionPriority is electionPriority: among equally
	// up-to-date replicas the lowest becomes master (Integer.MAX_VALUE).
	BrokerElectionPriority int32 `conf:"brokerElectionPriority"`
}

// DefaultControllerModeConfig returns Apache's defaults.
func DefaultControllerModeConfig() ControllerModeConfig {
	return ControllerModeConfig{
		BrokerHeartbeatInterval:         1000,
		ControllerHeartBeatTimeoutMills: 10000,
		BrokerElectionPriority:          1<<31 - 1,
	}
}

// heartbeatInterval is BrokerHeartbeatInterval as a duration (at least 10 ms).
func (c *ControllerModeConfig) heartbeatInterval() time.Duration {
	return time.Duration(max(c.BrokerHeartbeatInterval, 10)) * time.Millisecond
}

// controllerTimeout is ControllerHeartBeatTimeoutMills as a duration.
func (c *ControllerModeConfig) controllerTimeout() time.Duration {
	return time.Duration(max(c.ControllerHeartBeatTimeoutMills, 100)) * time.Millisecond
}

// Validate reports every problem of the controller-mode keys.
func (c *ControllerModeConfig) Validate() error {
	if !c.EnableControllerMode {
		return nil
	}
	var errs []error
	if strings.TrimSpace(strings.ReplaceAll(c.ControllerAddr, ";", "")) == "" {
		errs = append(errs, errors.New("enableControllerMode needs controllerAddr"))
	}
	if c.BrokerHeartbeatInterval <= 0 {
		errs = append(errs, fmt.Errorf("brokerHeartbeatInterval %d must be positive", c.BrokerHeartbeatInterval))
	}
	if c.ControllerHeartBeatTimeoutMills <= int64(c.BrokerHeartbeatInterval) {
		errs = append(errs, fmt.Errorf("controllerHeartBeatTimeoutMills %d must exceed brokerHeartbeatInterval %d",
			c.ControllerHeartBeatTimeoutMills, c.BrokerHeartbeatInterval))
	}
	return errors.Join(errs...)
}
