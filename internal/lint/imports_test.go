// Package lint enforces the import rules of the package layout: a package
// may import only the packages listed above it in the design's table.
package lint

import (
	"encoding/json"
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/booster-mq/booster"

// allowed lists, per package, the module packages it may import
// (transitively); the standard library is always allowed. External
// modules are listed by path prefix.
var allowed = map[string][]string{
	"compat":         {},
	"filter":         {},
	"wire":           {"compat"},
	"wire/transport": {"wire", "compat", "github.com/panjf2000/gnet", "github.com/valyala/bytebufferpool", "golang.org/x/sys", "golang.org/x/sync", "go.uber.org", "gopkg.in/natefinch", "github.com/panjf2000/ants"},
	"codec":          {"wire", "compat"},
	"store":          {"codec", "wire", "compat", "golang.org/x/sys"},
	"ha":             {"store", "codec", "wire", "compat", "golang.org/x/sys"},
	// metrics links no Booster package: the broker and NameServer hand it
	// their state through interfaces.
	"metrics": {"github.com/prometheus", "github.com/beorn7", "github.com/cespare", "github.com/munnerz", "google.golang.org/protobuf", "golang.org/x/sys"},
	"acl":     {"codec", "wire", "compat", "gopkg.in/yaml.v3"},
	// admin is the client side of the admin protocol (mqadmin and the
	// console): it links neither broker, namesrv nor store.
	"admin": {"acl", "codec", "wire/transport", "wire", "compat", "gopkg.in/yaml.v3", "github.com/panjf2000/gnet", "github.com/valyala/bytebufferpool", "golang.org/x/sys", "golang.org/x/sync", "go.uber.org", "gopkg.in/natefinch", "github.com/panjf2000/ants"},
	// console is a remoting client of the NameServers and brokers: it links
	// neither broker nor namesrv.
	"console": {"admin", "acl", "gopkg.in/yaml.v3", "codec", "wire/transport", "wire", "compat", "github.com/panjf2000/gnet", "github.com/valyala/bytebufferpool", "golang.org/x/sys", "golang.org/x/sync", "go.uber.org", "gopkg.in/natefinch", "github.com/panjf2000/ants"},
	// controller: the raft group and its remoting server.
	"controller": {"wire", "wire/transport", "codec", "compat", "github.com/panjf2000/gnet", "github.com/valyala/bytebufferpool", "golang.org/x/sys", "golang.org/x/sync", "go.uber.org", "gopkg.in/natefinch", "github.com/panjf2000/ants", "github.com/hashicorp", "github.com/armon", "github.com/fatih", "github.com/mattn", "go.etcd.io/bbolt", "github.com/boltdb"},
}

func TestImportRules(t *testing.T) {
	for pkg, ok := range allowed {
		out, err := exec.Command("go", "list", "-deps", "-json=ImportPath,Standard", module+"/"+pkg).Output()
		if err != nil {
			t.Fatalf("go list %s: %v", pkg, err)
		}
		dec := json.NewDecoder(strings.NewReader(string(out)))
		for dec.More() {
			var p struct {
				ImportPath string
				Standard   bool
			}
			if err := dec.Decode(&p); err != nil {
				t.Fatal(err)
			}
			if p.Standard || p.ImportPath == module+"/"+pkg || strings.HasPrefix(p.ImportPath, "vendor/") {
				continue
			}
			if !permitted(p.ImportPath, ok) {
				t.Errorf("%s must not depend on %s", pkg, p.ImportPath)
			}
		}
	}
}

func permitted(path string, ok []string) bool {
	for _, a := range ok {
		if path == module+"/"+a || strings.HasPrefix(path, a) {
			return true
		}
	}
	return false
}
