// Package acl is RocketMQ's ACL 1.0 (Apache's plain ACL, the
// plain_acl.yml file of 4.9.x and 5.0–5.2) for the broker's remoting port.
//
// # File
//
// plain_acl.yml has a global white list and accounts:
//
//	globalWhiteRemoteAddresses: [10.10.103.*]   # these addresses skip every check
//	accounts:
//	  - accessKey: RocketMQ                     # longer than 6 characters
//	    secretKey: 12345678                     # longer than 6 characters
//	    whiteRemoteAddress: 192.168.0.*         # this account from here skips signature and permissions
//	    admin: false                            # admin codes (create/delete topic or group, broker config) need true
//	    defaultTopicPerm: DENY                  # DENY, PUB, SUB, PUB|SUB (missing: DENY)
//	    defaultGroupPerm: SUB
//	    topicPerms: [topicA=DENY, topicB=PUB|SUB]
//	    groupPerms: [groupA=SUB]
//
// Address patterns are Apache's: blank (matches nothing), "*" (anything),
// a single IPv4 or IPv6 address, a comma-separated list, a last IPv4
// segment in braces ("192.168.1.{1,2}"), and IPv4 segments that are "*"
// or a range "a-b" ("192.168.*", "10.1.1.1-100").
//
// # Signature
//
// A client sends ext fields AccessKey, Signature and optionally
// SecurityToken. The signature is Base64(HmacSHA1(secretKey, content))
// where content is the values of every ext field except Signature, in
// the order of their keys, followed by the body. Requests older than
// V4_9_3 leave out _UNIQUE_KEY_QUERY.
//
// # Decisions
//
// Check follows Apache's PlainPermissionManager.validate: global white
// list, access key, account white list, signature, then the resources the
// request code needs (PlainAccessResource.parse: PUB on a sent topic, SUB
// on pulled, queried and subscribed topics and on consumer groups, which
// are the "%RETRY%group" resources). Admin accounts without any explicit
// permission may do everything. A refusal is an *Error whose Remark is
// what Apache's broker puts in its SYSTEM_ERROR answer.
//
// # Editing
//
// The ACL admin codes change the file through a *Checker (edit.go), as
// Apache's PlainPermissionManager does: UpdateAccount (fields left out
// keep their value), DeleteAccount, SetGlobalWhiteAddrs. Each change is
// checked, given the next dataVersion, written whole and atomically, and
// loaded at once; AllConfig and Version read the file back.
//
// # Concurrency
//
// A *Config is immutable once parsed. A *Checker swaps whole configs
// behind an atomic pointer, so Check never locks; Reload and the edits
// hold the checker's edit lock.
//
// May import: wire, codec, compat, gopkg.in/yaml.v3.
package acl
