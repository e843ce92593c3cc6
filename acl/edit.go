package acl

// Editing plain_acl.yml from the ACL admin request codes, as Apache's
// PlainPermissionManager does (updateAccessConfig, deleteAccessConfig,
// updateGlobalWhiteAddrsConfig, getAllAclConfig): the file is read,
// changed, given the next dataVersion and written whole (comments are not
// kept, as Apache's YAML dump keeps none), atomically; the checker then
// loads it at once.

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"gopkg.in/yaml.v3"
)

// AccessConfig is one account as the admin codes carry it (Apache's
// PlainAccessConfig). Its JSON form is the fastjson one (fields sorted).
type AccessConfig struct {
	AccessKey          string   `json:"accessKey" yaml:"accessKey"`
	Admin              bool     `json:"admin" yaml:"admin"`
	DefaultGroupPerm   string   `json:"defaultGroupPerm,omitempty" yaml:"defaultGroupPerm,omitempty"`
	DefaultTopicPerm   string   `json:"defaultTopicPerm,omitempty" yaml:"defaultTopicPerm,omitempty"`
	GroupPerms         []string `json:"groupPerms,omitempty" yaml:"groupPerms,omitempty"`
	SecretKey          string   `json:"secretKey,omitempty" yaml:"secretKey,omitempty"`
	TopicPerms         []string `json:"topicPerms,omitempty" yaml:"topicPerms,omitempty"`
	WhiteRemoteAddress string   `json:"whiteRemoteAddress,omitempty" yaml:"whiteRemoteAddress,omitempty"`
}

// AccessUpdate is an UPDATE_AND_CREATE_ACL_CONFIG request: fields left nil
// keep the account's current value (Apache's createAclAccessConfigMap).
type AccessUpdate struct {
	AccessKey          string
	SecretKey          string
	WhiteRemoteAddress *string
	Admin              bool
	DefaultTopicPerm   string
	DefaultGroupPerm   string
	TopicPerms         []string // nil keeps
	GroupPerms         []string // nil keeps
}

// DataVersion is a file's version (Apache's PlainAccessData.DataVersion).
type DataVersion struct {
	Counter   int64 `yaml:"counter"`
	Timestamp int64 `yaml:"timestamp"`
}

// fileData is plain_acl.yml as Apache writes it back.
type fileData struct {
	Accounts                   []AccessConfig `yaml:"accounts"`
	DataVersion                []DataVersion  `yaml:"dataVersion,omitempty"`
	GlobalWhiteRemoteAddresses []string       `yaml:"globalWhiteRemoteAddresses"`
}

// ErrNotFound is returned by DeleteAccount for an unknown access key.
var ErrNotFound = errors.New("acl: no such accessKey")

// UpdateAccount creates or changes an account (Apache's
// updateAccessConfig). Errors carry Apache's AclException messages.
func (k *Checker) UpdateAccount(u AccessUpdate) error {
	if len(u.AccessKey) <= minKeyLength || len(u.SecretKey) <= minKeyLength {
		return refuse("The accessKey=%s and secretKey=%s cannot be null and length should longer than 6", u.AccessKey, u.SecretKey)
	}
	for _, list := range [][]string{u.TopicPerms, u.GroupPerms} {
		if err := checkResourcePerms(list); err != nil {
			return err
		}
	}
	return k.edit(func(f *fileData) error {
		i := f.index(u.AccessKey)
		if i < 0 {
			f.Accounts = append(f.Accounts, AccessConfig{AccessKey: u.AccessKey})
			i = len(f.Accounts) - 1
		}
		a := &f.Accounts[i]
		a.SecretKey = u.SecretKey
		if u.WhiteRemoteAddress != nil {
			a.WhiteRemoteAddress = *u.WhiteRemoteAddress
		}
		a.Admin = u.Admin
		if u.DefaultTopicPerm != "" {
			a.DefaultTopicPerm = u.DefaultTopicPerm
		}
		if u.DefaultGroupPerm != "" {
			a.DefaultGroupPerm = u.DefaultGroupPerm
		}
		if u.TopicPerms != nil {
			a.TopicPerms = u.TopicPerms
		}
		if u.GroupPerms != nil {
			a.GroupPerms = u.GroupPerms
		}
		return nil
	})
}

// DeleteAccount removes an account (Apache's deleteAccessConfig);
// ErrNotFound when there is none.
func (k *Checker) DeleteAccount(accessKey string) error {
	if accessKey == "" {
		return ErrNotFound
	}
	return k.edit(func(f *fileData) error {
		i := f.index(accessKey)
		if i < 0 {
			return ErrNotFound
		}
		f.Accounts = append(f.Accounts[:i], f.Accounts[i+1:]...)
		return nil
	})
}

// SetGlobalWhiteAddrs replaces globalWhiteRemoteAddresses (Apache's
// updateGlobalWhiteAddrsConfig). file, when not empty, must name the
// checker's file: Booster reads one ACL file.
func (k *Checker) SetGlobalWhiteAddrs(addrs []string, file string) error {
	if file != "" && filepath.Clean(file) != filepath.Clean(k.path) {
		return fmt.Errorf("%w: %s is not the broker's ACL file %s", ErrConfig, file, k.path)
	}
	for _, a := range addrs {
		if _, err := parseAddrPattern(a); err != nil {
			return err
		}
	}
	return k.edit(func(f *fileData) error {
		f.GlobalWhiteRemoteAddresses = append([]string{}, addrs...)
		return nil
	})
}

// AllConfig returns the file's global white list and accounts (Apache's
// getAllAclConfig).
func (k *Checker) AllConfig() (white []string, accounts []AccessConfig, err error) {
	k.editMu.Lock()
	defer k.editMu.Unlock()
	f, err := k.readFile()
	if err != nil {
		return nil, nil, err
	}
	if f.GlobalWhiteRemoteAddresses == nil {
		f.GlobalWhiteRemoteAddresses = []string{}
	}
	if f.Accounts == nil {
		f.Accounts = []AccessConfig{}
	}
	return f.GlobalWhiteRemoteAddresses, f.Accounts, nil
}

// Version returns the file's dataVersion (zero when it has none).
func (k *Checker) Version() (DataVersion, error) {
	k.editMu.Lock()
	defer k.editMu.Unlock()
	f, err := k.readFile()
	if err != nil || len(f.DataVersion) == 0 {
		return DataVersion{}, err
	}
	return f.DataVersion[0], nil
}

func (f *fileData) index(accessKey string) int {
	for i, a := range f.Accounts {
		if a.AccessKey == accessKey {
			return i
		}
	}
	return -1
}

// checkResourcePerms is Apache's Permission.checkResourcePerms.
func checkResourcePerms(items []string) error {
	for _, item := range items {
		name, perm, ok := splitResource(item)
		if !ok || name == "" {
			return refuse("Parse Resource format error for %s.\nThe expected resource format is 'Res=Perm'. For example: topicA=SUB", item)
		}
		_, raw, _ := strings.Cut(item, "=")
		if perm == Deny && strings.TrimSpace(strings.Trim(raw, "=")) != "DENY" {
			return refuse("Parse resource permission error for %s.\nThe expected permissions are 'SUB' or 'PUB' or 'SUB|PUB' or 'PUB|SUB'.", item)
		}
	}
	return nil
}

// readFile reads the file as written data; a missing file is empty.
func (k *Checker) readFile() (*fileData, error) {
	data, err := os.ReadFile(k.path)
	if errors.Is(err, os.ErrNotExist) {
		return &fileData{}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	var f fileData
	if err := yaml.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: %s: %w", ErrConfig, k.path, err)
	}
	return &f, nil
}

// edit applies change to the file, checks that the result parses, bumps
// the dataVersion, writes it and loads it.
func (k *Checker) edit(change func(*fileData) error) error {
	k.editMu.Lock()
	defer k.editMu.Unlock()
	f, err := k.readFile()
	if err != nil {
		return err
	}
	if err := change(f); err != nil {
		return err
	}
	v := DataVersion{Counter: 1, Timestamp: time.Now().UnixMilli()}
	if len(f.DataVersion) > 0 {
		v.Counter = f.DataVersion[0].Counter + 1
	}
	f.DataVersion = []DataVersion{v}
	data, err := yaml.Marshal(f)
	if err != nil {
		return err
	}
	if _, err := Parse(data); err != nil {
		return err
	}
	if err := writeAtomic(k.path, data); err != nil {
		return fmt.Errorf("write %s: %w", k.path, err)
	}
	return k.load()
}

// writeAtomic writes data to path through a synced temporary file and a
// rename, then syncs the directory.
func writeAtomic(path string, data []byte) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		_ = os.Remove(tmp.Name())
		return err
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
