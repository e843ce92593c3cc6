package broker

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/booster-mq/booster/acl"
)

func TestACLFile(t *testing.T) {
	t.Setenv("ROCKETMQ_HOME", "/opt/rocketmq")
	c := DefaultConfig()
	if got := c.ACLFile(); got != filepath.Join("/opt/rocketmq", "conf", "plain_acl.yml") {
		t.Errorf("default: %s", got)
	}
	c.RocketmqHome = "/srv/rmq"
	if got := c.ACLFile(); got != filepath.Join("/srv/rmq", "conf", "plain_acl.yml") {
		t.Errorf("rocketmqHome: %s", got)
	}
	if _, err := c.Set("rocketmq.acl.plain.file", "/etc/acl.yml"); err != nil {
		t.Fatal(err)
	}
	if got := c.ACLFile(); got != "/etc/acl.yml" {
		t.Errorf("absolute file: %s", got)
	}
}

func TestNewRefusesMissingACLFile(t *testing.T) {
	c := DefaultConfig()
	c.StorePathRootDir = t.TempDir()
	c.RocketmqHome = t.TempDir()
	if _, err := c.Set("aclEnable", "true"); err != nil {
		t.Fatal(err)
	}
	if _, err := New(c, nil); !errors.Is(err, acl.ErrConfig) {
		t.Fatalf("New with aclEnable and no plain_acl.yml: %v", err)
	}
}
