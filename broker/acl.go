package broker

// ACL 1.0: Apache's PlainAccessValidator as the broker's RPC hook
// (BrokerController.initialAcl).
//
// Keys: aclEnable (false), rocketmqHome (Java's rocketmq.home.dir, else
// $ROCKETMQ_HOME), rocketmq.acl.plain.file (conf/plain_acl.yml, relative
// to rocketmqHome unless absolute; Java's system property of that name).
//
// Behaviour:
//  1. With aclEnable=true, New loads the file and fails when it is missing
//     or invalid; every request on listenPort and listenPort-2 is checked
//     (acl.Config.Check) before its handler runs, on the handler's
//     executor, as Apache's hook runs on the processor's executor. The
//     in-process gRPC endpoint is not checked (Apache's proxy has its own
//     authentication).
//  2. A refused request is answered SYSTEM_ERROR (1) with remark
//     "org.apache.rocketmq.acl.common.AclException: <message>", what
//     Apache 4.9.x and 5.0–5.2 answer (their remark adds a Java stack
//     frame); a oneway request gets no answer. The handler does not run,
//     so nothing is stored, read or committed.
//  3. The file is re-read within a second of a change (Apache's
//     AclFileWatchService polls every 500 ms); a broken file is logged and
//     the previous one stays.
//
// Differences from Apache:
//   - Pop codes (POP_MESSAGE, PEEK_MESSAGE, NOTIFICATION, ACK_MESSAGE,
//     CHANGE_MESSAGE_INVISIBLETIME) need SUB on the topic and the group;
//     Apache's ACL 1.0 checks only their signature.
//   - The remark has no Java stack frame; a duplicate accessKey, a bad
//     address pattern or a bad resource makes the whole file invalid;
//     IPv6 ranges ("fe80::1-9") are not read; an absolute
//     rocketmq.acl.plain.file is used as is (Apache always prefixes home).
//
// Booster's clients (bin/mqadmin, a slave's metadata sync) send no
// credentials; their hosts belong in globalWhiteRemoteAddresses.
//
// The ACL admin codes (50–54) are in acl_admin.go.
//
// Not there: further ACL files under conf/acl, ACL on the NameServer.

import (
	"errors"
	"os"
	"path/filepath"
	"time"

	"github.com/booster-mq/booster/acl"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// aclWatchInterval is how often the broker looks for a changed ACL file.
const aclWatchInterval = 500 * time.Millisecond

// ACLFile is the plain_acl.yml the config names: rocketmq.acl.plain.file,
// relative to rocketmqHome (or $ROCKETMQ_HOME) unless absolute.
func (c *Config) ACLFile() string {
	if filepath.IsAbs(c.ACLPlainFile) {
		return c.ACLPlainFile
	}
	home := c.RocketmqHome
	if home == "" {
		home = os.Getenv("ROCKETMQ_HOME")
	}
	return filepath.Join(home, c.ACLPlainFile)
}

// loadACL loads the ACL file when aclEnable is set; nil otherwise.
func loadACL(c *Config) (*acl.Checker, error) {
	if !c.AclEnable {
		return nil, nil
	}
	return acl.NewChecker(c.ACLFile())
}

// aclRoutes puts the ACL check in front of every handler.
func (b *Broker) aclRoutes(routes []transport.Route) []transport.Route {
	if b.acl == nil {
		return routes
	}
	return transport.WrapRoutes(routes, func(h transport.Handler) transport.Handler {
		return func(r *transport.Request) *wire.Command {
			if refused, resp := b.aclRefuse(r); refused {
				return resp
			}
			return h(r)
		}
	})
}

// aclRefuse checks r; when it is refused it returns the answer (nil for
// a oneway request).
func (b *Broker) aclRefuse(r *transport.Request) (bool, *wire.Command) {
	err := b.acl.Check(r.Cmd, r.Conn.RemoteAddr().Addr())
	if err == nil {
		return false, nil
	}
	var e *acl.Error
	if !errors.As(err, &e) {
		e = &acl.Error{Msg: err.Error()}
	}
	b.log.Debug("acl refused", "remote", r.Conn.RemoteAddr(), "code", r.Cmd.RequestCode(), "opaque", r.Cmd.Opaque, "err", e.Msg)
	if r.Cmd.IsOneway() {
		return true, nil
	}
	return true, wire.NewResponse(r.Cmd, wire.SystemError, e.Remark())
}

// startACLWatch re-reads the ACL file when it changes, until Close.
func (b *Broker) startACLWatch() {
	if b.acl == nil {
		return
	}
	b.wg.Add(1)
	go func() {
		defer b.wg.Done()
		t := time.NewTicker(aclWatchInterval)
		defer t.Stop()
		var lastErr string // a broken file is logged once, not every tick
		for {
			select {
			case <-b.stop:
				return
			case <-t.C:
				switch changed, err := b.acl.Reload(); {
				case err != nil:
					if err.Error() != lastErr {
						lastErr = err.Error()
						b.log.Warn("acl file not reloaded; the previous one stays", "file", b.acl.Path(), "err", err)
					}
				case changed:
					lastErr = ""
					b.log.Info("acl file reloaded", "file", b.acl.Path())
				}
			}
		}
	}()
}
