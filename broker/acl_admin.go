package broker

// The ACL 1.0 admin codes: Apache's AdminBrokerProcessor
// updateAndCreateAccessConfig, deleteAccessConfig,
// getBrokerAclConfigVersion, updateGlobalWhiteAddrsConfig and
// getBrokerClusterAclConfig over PlainAccessValidator.
//
// Headers:
//   - UPDATE_AND_CREATE_ACL_CONFIG (50): accessKey (required), secretKey,
//     whiteRemoteAddress, admin, defaultTopicPerm, defaultGroupPerm,
//     topicPerms and groupPerms (comma-separated "name=PERM").
//   - DELETE_ACL_CONFIG (51): accessKey (required).
//   - GET_BROKER_CLUSTER_ACL_INFO (52): none; the answer carries version
//     (the file's DataVersion as JSON), allAclFileVersion ({file:
//     DataVersion}), brokerName, brokerAddr, clusterName.
//   - UPDATE_GLOBAL_WHITE_ADDRS_CONFIG (53): globalWhiteAddrs
//     (comma-separated, required), aclFileFullPath.
//   - GET_BROKER_CLUSTER_ACL_CONFIG (54): none; the body is
//     {"globalWhiteAddrs":[...],"plainAccessConfigs":[...]}.
//
// Behaviour:
//  1. Changes are written to plain_acl.yml with the next dataVersion and
//     take effect at once (acl.Checker edit).
//  2. Refusals: UPDATE_AND_CREATE_ACL_CONFIG_FAILED (209),
//     DELETE_ACL_CONFIG_FAILED (210) or
//     UPDATE_GLOBAL_WHITE_ADDRS_CONFIG_FAILED (211) with Apache's remark
//     (the AclException message, or "The accessKey[k] corresponding to
//     accessConfig has been deleted failed." for an unknown key); a missing
//     required field is SYSTEM_ERROR "the custom field <f> is null".
//
// Differences from Apache: with aclEnable=false (no validator) every code
// is answered with its failure code (SYSTEM_ERROR for 52 and 54) and the
// remark "ACL is not enabled (aclEnable=false)", where Apache fails on a
// null validator; with aclEnable=true the codes need an admin account
// (acl.Check), where Apache lets any signed account use them; only the one
// ACL file exists, so aclFileFullPath must be empty or name it.

import (
	"encoding/json"
	"errors"
	"strings"

	"github.com/booster-mq/booster/acl"
	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// aclDisabledRemark answers the ACL admin codes when aclEnable is false.
const aclDisabledRemark = "ACL is not enabled (aclEnable=false)"

// splitList splits a comma-separated header value as Apache's
// UtilAll.split does (blank parts dropped, values trimmed); nil for an
// absent value.
func splitList(v string, present bool) []string {
	if !present {
		return nil
	}
	out := []string{}
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			out = append(out, s)
		}
	}
	return out
}

// aclErrorRemark is the remark of a refused edit: an AclException's
// message as is, anything else as its text.
func aclErrorRemark(err error) string {
	var e *acl.Error
	if errors.As(err, &e) {
		return e.Msg
	}
	return err.Error()
}

func (b *Broker) updateAndCreateACLConfig(r *transport.Request) *wire.Command {
	if b.acl == nil {
		return wire.NewResponse(r.Cmd, wire.UpdateAndCreateAclConfigFailed, aclDisabledRemark)
	}
	rd := codec.NewExtReader(r.Cmd)
	u := acl.AccessUpdate{AccessKey: rd.String("accessKey", true)}
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	ext := r.Cmd.Ext
	u.SecretKey = r.Cmd.ExtValue("secretKey")
	if v, ok := ext.Get("whiteRemoteAddress"); ok {
		u.WhiteRemoteAddress = &v
	}
	u.Admin = r.Cmd.ExtValue("admin") == "true"
	u.DefaultTopicPerm = r.Cmd.ExtValue("defaultTopicPerm")
	u.DefaultGroupPerm = r.Cmd.ExtValue("defaultGroupPerm")
	tp, ok := ext.Get("topicPerms")
	u.TopicPerms = splitList(tp, ok)
	gp, ok := ext.Get("groupPerms")
	u.GroupPerms = splitList(gp, ok)
	if err := b.acl.UpdateAccount(u); err != nil {
		b.log.Warn("acl account not updated", "accessKey", u.AccessKey, "remote", r.Conn.RemoteAddr(), "err", err)
		return wire.NewResponse(r.Cmd, wire.UpdateAndCreateAclConfigFailed, aclErrorRemark(err))
	}
	b.log.Info("acl account updated", "accessKey", u.AccessKey, "remote", r.Conn.RemoteAddr())
	return wire.NewResponse(r.Cmd, wire.Success, "")
}

func (b *Broker) deleteACLConfig(r *transport.Request) *wire.Command {
	if b.acl == nil {
		return wire.NewResponse(r.Cmd, wire.DeleteAclConfigFailed, aclDisabledRemark)
	}
	rd := codec.NewExtReader(r.Cmd)
	key := rd.String("accessKey", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	if err := b.acl.DeleteAccount(key); err != nil {
		remark := aclErrorRemark(err)
		if errors.Is(err, acl.ErrNotFound) {
			remark = "The accessKey[" + key + "] corresponding to accessConfig has been deleted failed."
		}
		b.log.Warn("acl account not deleted", "accessKey", key, "remote", r.Conn.RemoteAddr(), "err", err)
		return wire.NewResponse(r.Cmd, wire.DeleteAclConfigFailed, remark)
	}
	b.log.Info("acl account deleted", "accessKey", key, "remote", r.Conn.RemoteAddr())
	return wire.NewResponse(r.Cmd, wire.Success, "")
}

func (b *Broker) getBrokerClusterACLInfo(r *transport.Request) *wire.Command {
	if b.acl == nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, aclDisabledRemark)
	}
	v, err := b.acl.Version()
	if err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	dv := codec.DataVersion{Counter: v.Counter, Timestamp: v.Timestamp}
	all, err := json.Marshal(map[string]codec.DataVersion{b.acl.Path(): dv})
	if err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	cfg := b.conf()
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.SetExt("version", string(codec.Encode(dv)))
	resp.SetExt("allAclFileVersion", string(all))
	resp.SetExt("brokerName", cfg.BrokerName)
	resp.SetExt("brokerAddr", b.Addr())
	resp.SetExt("clusterName", cfg.BrokerClusterName)
	return resp
}

func (b *Broker) updateGlobalWhiteAddrsConfig(r *transport.Request) *wire.Command {
	if b.acl == nil {
		return wire.NewResponse(r.Cmd, wire.UpdateGlobalWhiteAddrsConfigFailed, aclDisabledRemark)
	}
	rd := codec.NewExtReader(r.Cmd)
	addrs := rd.String("globalWhiteAddrs", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	if err := b.acl.SetGlobalWhiteAddrs(splitList(addrs, true), r.Cmd.ExtValue("aclFileFullPath")); err != nil {
		b.log.Warn("acl global white list not updated", "remote", r.Conn.RemoteAddr(), "err", err)
		return wire.NewResponse(r.Cmd, wire.UpdateGlobalWhiteAddrsConfigFailed, aclErrorRemark(err))
	}
	b.log.Info("acl global white list updated", "globalWhiteAddrs", addrs, "remote", r.Conn.RemoteAddr())
	return wire.NewResponse(r.Cmd, wire.Success, "")
}

// aclConfigBody is Apache's GetBrokerClusterAclConfigResponseBody.
type aclConfigBody struct {
	GlobalWhiteAddrs   []string           `json:"globalWhiteAddrs"`
	PlainAccessConfigs []acl.AccessConfig `json:"plainAccessConfigs"`
}

func (b *Broker) getBrokerClusterACLConfig(r *transport.Request) *wire.Command {
	if b.acl == nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, aclDisabledRemark)
	}
	white, accounts, err := b.acl.AllConfig()
	if err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	body, err := json.Marshal(aclConfigBody{GlobalWhiteAddrs: white, PlainAccessConfigs: accounts})
	if err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = body
	return resp
}
