package command

import "testing"

func TestGetAclConfig(t *testing.T) {
	t.Parallel()
	c, _ := startACLCluster(t)
	ok(t, c, "updateAclConfig", "-b", c.BrokerAddr, "-a", "second-account", "-s", "second-secret", "-t", "T1=PUB,T2=SUB", "-m", "true")
	out := ok(t, c, "getAclConfig", "-b", c.BrokerAddr)
	matchLines(t, out,
		"",
		q("globalWhiteRemoteAddresses: [127.0.0.1]"),
		"",
		q("accounts:"),
		q("  serialVersionUID  : -4517357000307227637"),
		q("  accessKey         : first-account"),
		q("  secretKey         : first-secret"),
		q("  whiteRemoteAddress: "),
		q("  admin             : false"),
		q("  defaultTopicPerm  : SUB"),
		q("  defaultGroupPerm  : "),
		q("  topicPerms        : "),
		q("  groupPerms        : "),
		"",
		q("  serialVersionUID  : -4517357000307227637"),
		q("  accessKey         : second-account"),
		q("  secretKey         : second-secret"),
		q("  whiteRemoteAddress: "),
		q("  admin             : true"),
		q("  defaultTopicPerm  : "),
		q("  defaultGroupPerm  : "),
		q("  topicPerms        : [T1=PUB, T2=SUB]"),
		q("  groupPerms        : "),
	)
}
