package command

// Signing requests for an ACL-enabled broker, as Apache's mqadmin does
// with AclClientRPCHook: the account comes from $ROCKETMQ_HOME/conf/tools.yml
// (accessKey, secretKey), or from ROCKETMQ_ACCESS_KEY and
// ROCKETMQ_SECRET_KEY, which win. Without both keys requests go unsigned.

import (
	"os"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"
)

// toolsFile is Apache's MixAll.ACL_CONF_TOOLS_FILE under ROCKETMQ_HOME.
const toolsFile = "conf/tools.yml"

// loadCredentials returns the account requests are signed with: tools.yml
// under home, overridden by the environment variables; blank when none.
func loadCredentials(home string, getenv func(string) string) (accessKey, secretKey string) {
	if home != "" {
		if data, err := os.ReadFile(filepath.Join(home, toolsFile)); err == nil {
			var f struct {
				AccessKey string `yaml:"accessKey"`
				SecretKey string `yaml:"secretKey"`
			}
			if yaml.Unmarshal(data, &f) == nil {
				accessKey, secretKey = strings.TrimSpace(f.AccessKey), strings.TrimSpace(f.SecretKey)
			}
		}
	}
	if ak, sk := getenv("ROCKETMQ_ACCESS_KEY"), getenv("ROCKETMQ_SECRET_KEY"); ak != "" && sk != "" {
		accessKey, secretKey = ak, sk
	}
	if accessKey == "" || secretKey == "" {
		return "", ""
	}
	return accessKey, secretKey
}
