package acl

import (
	"errors"
	"fmt"
	"net/netip"
	"os"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/booster-mq/booster/compat"
)

// ErrConfig is wrapped by every error about a plain_acl.yml.
var ErrConfig = errors.New("acl: bad plain_acl.yml")

// Perm is a permission set, Apache's Permission bits.
type Perm uint8

// Permissions.
const (
	// Deny refuses; it wins over any other bit.
	Deny Perm = 1
	// Any is satisfied by PUB or SUB.
	Any Perm = 2
	// Pub allows sending.
	Pub Perm = 4
	// Sub allows consuming.
	Sub Perm = 8
)

// ParsePerm reads "PUB", "SUB", "PUB|SUB", "SUB|PUB" or "DENY"; anything
// else, and a missing value, is Deny (Permission.parsePermFromString).
func ParsePerm(s string) Perm {
	switch strings.TrimSpace(s) {
	case "PUB":
		return Pub
	case "SUB":
		return Sub
	case "PUB|SUB", "SUB|PUB":
		return Pub | Sub
	}
	return Deny
}

// allows reports whether owned grants needed (Permission.checkPermission).
func (owned Perm) allows(needed Perm) bool {
	if owned&Deny != 0 {
		return false
	}
	if needed&Any != 0 {
		return owned&(Pub|Sub) != 0
	}
	return needed&owned != 0
}

// Account is one entry of accounts.
type Account struct {
	AccessKey        string
	SecretKey        string
	Admin            bool
	DefaultTopicPerm Perm
	DefaultGroupPerm Perm
	// perms holds topicPerms by topic and groupPerms by retry topic
	// ("%RETRY%group"), as Apache keys them.
	perms map[string]Perm
	white addrPattern
}

// Config is one parsed plain_acl.yml. It is immutable.
type Config struct {
	globalWhite []addrPattern
	accounts    map[string]*Account
}

// Account returns the account of accessKey.
func (c *Config) Account(accessKey string) (*Account, bool) {
	a, ok := c.accounts[accessKey]
	return a, ok
}

type fileAccount struct {
	AccessKey          string   `yaml:"accessKey"`
	SecretKey          string   `yaml:"secretKey"`
	WhiteRemoteAddress string   `yaml:"whiteRemoteAddress"`
	Admin              bool     `yaml:"admin"`
	DefaultTopicPerm   string   `yaml:"defaultTopicPerm"`
	DefaultGroupPerm   string   `yaml:"defaultGroupPerm"`
	TopicPerms         []string `yaml:"topicPerms"`
	GroupPerms         []string `yaml:"groupPerms"`
}

type file struct {
	GlobalWhiteRemoteAddresses []string      `yaml:"globalWhiteRemoteAddresses"`
	Accounts                   []fileAccount `yaml:"accounts"`
}

// minKeyLength is Apache's ACCESS_KEY_MIN_LENGTH and SECRET_KEY_MIN_LENGTH:
// keys must be longer.
const minKeyLength = 6

// Parse reads a plain_acl.yml. Unknown keys (dataVersion, ...) are
// ignored. It reports every problem it finds.
func Parse(data []byte) (*Config, error) {
	var f file
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	c := &Config{accounts: map[string]*Account{}}
	var errs []error
	for _, s := range f.GlobalWhiteRemoteAddresses {
		p, err := parseAddrPattern(s)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if p != nil {
			c.globalWhite = append(c.globalWhite, p)
		}
	}
	for i, fa := range f.Accounts {
		if len(fa.AccessKey) <= minKeyLength || len(fa.SecretKey) <= minKeyLength {
			errs = append(errs, fmt.Errorf("%w: account %d: accessKey %q and secretKey must be longer than %d characters",
				ErrConfig, i, fa.AccessKey, minKeyLength))
			continue
		}
		if _, dup := c.accounts[fa.AccessKey]; dup {
			errs = append(errs, fmt.Errorf("%w: accessKey %q is listed twice", ErrConfig, fa.AccessKey))
			continue
		}
		a := &Account{
			AccessKey:        fa.AccessKey,
			SecretKey:        fa.SecretKey,
			Admin:            fa.Admin,
			DefaultTopicPerm: ParsePerm(fa.DefaultTopicPerm),
			DefaultGroupPerm: ParsePerm(fa.DefaultGroupPerm),
		}
		var err error
		if a.white, err = parseAddrPattern(fa.WhiteRemoteAddress); err != nil {
			errs = append(errs, fmt.Errorf("account %s: %w", fa.AccessKey, err))
		}
		for _, list := range []struct {
			kind  string
			items []string
		}{{"topic", fa.TopicPerms}, {"group", fa.GroupPerms}} {
			for _, item := range list.items {
				name, perm, ok := splitResource(item)
				if !ok {
					errs = append(errs, fmt.Errorf("%w: account %s: parse resource permission failed for %s:%s",
						ErrConfig, fa.AccessKey, list.kind, item))
					continue
				}
				if list.kind == "group" {
					name = compat.RetryTopic(name)
				}
				if a.perms == nil {
					a.perms = map[string]Perm{}
				}
				a.perms[name] = perm
			}
		}
		c.accounts[a.AccessKey] = a
	}
	if len(errs) > 0 {
		return nil, errors.Join(errs...)
	}
	return c, nil
}

// splitResource splits "name=PERM" the way Apache's StringUtils.split on
// "=" does (empty parts dropped, exactly two wanted).
func splitResource(item string) (string, Perm, bool) {
	var parts []string
	for _, p := range strings.Split(item, "=") {
		if p != "" {
			parts = append(parts, p)
		}
	}
	if len(parts) != 2 {
		return "", 0, false
	}
	return strings.TrimSpace(parts[0]), ParsePerm(parts[1]), true
}

// Load reads and parses the file at path.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// globallyWhite reports whether remote is in globalWhiteRemoteAddresses.
func (c *Config) globallyWhite(remote netip.Addr) bool {
	for _, p := range c.globalWhite {
		if p(remote) {
			return true
		}
	}
	return false
}
