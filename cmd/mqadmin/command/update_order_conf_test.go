package command

import (
	"testing"

	"github.com/booster-mq/booster/internal/testcluster"
)

func TestUpdateOrderConf(t *testing.T) {
	t.Parallel()
	c := testcluster.Start(t)

	// Java prints these without a line break.
	if out := ok(t, c, "updateOrderConf", "-t", "OcT", "-m", "put", "-v", "broker-a:4"); out != "update orderConf success. topic=[OcT], orderConf=[broker-a:4]" {
		t.Errorf("put: %q", out)
	}
	if out := ok(t, c, "updateOrderConf", "-t", "OcT", "-m", "get"); out != "get orderConf success. topic=[OcT], orderConf=[broker-a:4] " {
		t.Errorf("get: %q", out)
	}
	adm := newAdmin([]string{c.NamesrvAddr}, defaultTestTimeout)
	defer adm.close()
	if v, found, err := adm.kvConfig(orderTopicConfig, "OcT"); err != nil || !found || v != "broker-a:4" {
		t.Errorf("KV ORDER_TOPIC_CONFIG/OcT = %q %v %v", v, found, err)
	}
	if out := ok(t, c, "updateOrderConf", "-t", "OcT", "-m", "delete"); out != "delete orderConf success. topic=[OcT]" {
		t.Errorf("delete: %q", out)
	}
	fails(t, c, "CODE: 22 DESC: No config item, Namespace: ORDER_TOPIC_CONFIG Key: OcT", "updateOrderConf", "-t", "OcT", "-m", "get")
	fails(t, c, "please set orderConf with option -v.", "updateOrderConf", "-t", "OcT", "-m", "put")
	fails(t, c, `option -m (--method): unknown method "list" (put, get or delete)`, "updateOrderConf", "-t", "OcT", "-m", "list")
	fails(t, c, "missing required option -m (--method)", "updateOrderConf", "-t", "OcT")
}
