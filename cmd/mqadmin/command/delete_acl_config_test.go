package command

import "testing"

func TestDeleteAclConfig(t *testing.T) {
	t.Parallel()
	c, _ := startACLCluster(t)
	out := ok(t, c, "deleteAclConfig", "-b", c.BrokerAddr, "-a", "first-account")
	if want := "delete plain access config account from " + c.BrokerAddr + " success.\naccount's accessKey is:first-account"; out != want {
		t.Errorf("output %q, want %q", out, want)
	}
	fails(t, c, "CODE: 210 DESC: The accessKey[first-account] corresponding to accessConfig has been deleted failed.",
		"deleteAclConfig", "-c", "DefaultCluster", "-a", "first-account")
}
