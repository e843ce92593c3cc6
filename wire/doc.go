// Package wire is the RocketMQ remoting envelope: the frame layout, Command
// (Java's RemotingCommand), request and response codes, the flag bits, and
// the JSON and ROCKETMQ header serializations. It does no I/O and starts no
// goroutines; it imports only the standard library and compat.
//
// Frame layout (all integers big-endian):
//
//	+---------------+---------------------+----------------+------------+
//	| totalLen int32| serType<<24|hdrLen  | header hdrLen B| body       |
//	+---------------+---------------------+----------------+------------+
//	totalLen = 4 + hdrLen + len(body); it does not count itself.
//	serType 0 = JSON header, 1 = ROCKETMQ binary header.
//
// ROCKETMQ binary header:
//
//	code int16 | language int8 | version int16 | opaque int32 | flag int32 |
//	remarkLen int32 | remark | extLen int32 | {keyLen int16 key valLen int32 val}*
package wire
