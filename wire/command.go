package wire

import (
	"strconv"

	"github.com/booster-mq/booster/compat"
)

// SerializeType is the header serialization of a frame.
type SerializeType byte

const (
	// JSON is serialize type 0, the default of every client.
	JSON SerializeType = 0
	// RocketMQ is serialize type 1, the compact binary header.
	RocketMQ SerializeType = 1
)

// String returns Java's SerializeType name.
func (s SerializeType) String() string {
	if s == RocketMQ {
		return "ROCKETMQ"
	}
	return "JSON"
}

// Flag bits of RemotingCommand.flag.
const (
	// FlagResponse marks a response (bit 0).
	FlagResponse int32 = 1
	// FlagOneway marks a request that wants no response (bit 1).
	FlagOneway int32 = 2
)

// Field is one ext field (custom header entry).
type Field struct {
	Key, Value string
}

// Fields is the ext-field list of a command, searched linearly.
type Fields []Field

// extFieldsCap is the room a decoded header's Fields start with: a send
// or pull header has 10 to 15 fields.
const extFieldsCap = 16

// Get returns the value of key. A key sent twice has its last value, as
// in Java's HashMap of ext fields.
func (f Fields) Get(key string) (string, bool) {
	for i := len(f) - 1; i >= 0; i-- {
		if f[i].Key == key {
			return f[i].Value, true
		}
	}
	return "", false
}

// Command is one remoting request or response (Java's RemotingCommand).
type Command struct {
	// Code is the request code of a request or the response code of a response.
	Code int32
	// Language is the sender's LanguageCode (binary ordinal).
	Language byte
	// Version is the sender's MQVersion ordinal.
	Version int32
	// Opaque matches a response to its request.
	Opaque int32
	// Flag holds FlagResponse and FlagOneway.
	Flag int32
	// Remark is the error text of a response.
	Remark string
	// Ext is the custom header.
	Ext Fields
	// Body is the raw payload.
	Body []byte
	// Serialize is the header serialization the command came in or leaves in.
	Serialize SerializeType
}

// IsResponse reports whether c is a response.
func (c *Command) IsResponse() bool { return c.Flag&FlagResponse != 0 }

// IsOneway reports whether c is a oneway request.
func (c *Command) IsOneway() bool { return c.Flag&FlagOneway != 0 }

// RequestCode returns Code as a request code.
func (c *Command) RequestCode() RequestCode { return RequestCode(c.Code) }

// ResponseCode returns Code as a response code.
func (c *Command) ResponseCode() ResponseCode { return ResponseCode(c.Code) }

// ExtValue returns the value of an ext field, or "".
func (c *Command) ExtValue(key string) string {
	v, _ := c.Ext.Get(key)
	return v
}

// SetExt sets (or replaces) an ext field.
func (c *Command) SetExt(key, value string) {
	for i := len(c.Ext) - 1; i >= 0; i-- {
		if c.Ext[i].Key == key {
			c.Ext[i].Value = value
			return
		}
	}
	c.Ext = append(c.Ext, Field{key, value})
}

// SetExtInt sets an integer ext field in decimal.
func (c *Command) SetExtInt(key string, v int64) {
	c.SetExt(key, strconv.FormatInt(v, 10))
}

// NewRequest returns a JSON request stamped with Booster's language and
// version. Opaque is assigned by the sender.
func NewRequest(code RequestCode, ext ...Field) *Command {
	return &Command{Code: int32(code), Language: 0, Version: compat.CurrentVersion, Ext: ext}
}

// NewResponse returns the response to req with the given code and remark,
// in the serialization req used.
func NewResponse(req *Command, code ResponseCode, remark string) *Command {
	return &Command{
		Code:      int32(code),
		Language:  0,
		Version:   compat.CurrentVersion,
		Opaque:    req.Opaque,
		Flag:      FlagResponse,
		Remark:    remark,
		Serialize: req.Serialize,
	}
}
