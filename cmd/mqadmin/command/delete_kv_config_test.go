package command

import (
	"time"

	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestDeleteKvConfig(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)
	ok(t, c, "updateKvConfig", "-s", "NS", "-k", "k1", "-v", "v1")
	matchLines(t, ok(t, c, "deleteKvConfig", "-s", "NS", "-k", "k1"), q("delete kv config from namespace success."))
	adm := newAdmin([]string{c.NamesrvAddr}, 5*time.Second)
	defer adm.close()
	if _, found, err := adm.kvConfig("NS", "k1"); err != nil || found {
		t.Errorf("after delete: found %v, err %v", found, err)
	}
}
