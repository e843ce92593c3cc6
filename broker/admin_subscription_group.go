package broker

// UPDATE_AND_CREATE_SUBSCRIPTIONGROUP (200), GET_ALL_SUBSCRIPTIONGROUP_CONFIG
// (201), GET_SUBSCRIPTIONGROUP_CONFIG (352) and DELETE_SUBSCRIPTIONGROUP
// (207): mqadmin updateSubGroup, deleteSubGroup, exportConfigs and the Go
// admin's group listing.
//
// Mirrors AdminBrokerProcessor.updateAndCreateSubscriptionGroup,
// getAllSubscriptionGroup, getSubscriptionGroup and deleteSubscriptionGroup
// (Apache RocketMQ 5.3.3).
//
// 200 header: none. Body SubscriptionGroupConfig JSON.
//  1. An empty body changes nothing (SUCCESS); a body that does not parse
//     → SYSTEM_ERROR.
//  2. Fields missing from the body take Java's defaults (consumeEnable
//     true, retryQueueNums 1, retryMaxTimes 16, ...). groupRetryPolicy and
//     subscriptionDataSet are not kept (Booster's config has no place for
//     them yet).
//  3. An illegal group name → INVALID_PARAMETER with TopicValidator's
//     remark (blank; characters outside ^[%|a-zA-Z0-9_-]+$; longer than
//     120).
//  4. The config replaces the group's, the data version is bumped and
//     config/subscriptionGroup.json rewritten.
//
// 201 header: the 5.3 paging fields are ignored. Body SubscriptionGroupWrapper
// (dataVersion, forbiddenTable, subscriptionGroupTable) in standard JSON
// (the Go admin decodes it with encoding/json); ext totalGroupNum.
//
// 352 header: group*. Body the group's SubscriptionGroupConfig;
// SUBSCRIPTION_GROUP_NOT_EXIST (26) "No group in this broker" when absent.
//
// 207 header: groupName*, cleanOffset. Removes the config (and, with
// cleanOffset=true, every committed offset of the group); SUCCESS whether
// or not it existed. autoCreateSubscriptionGroup recreates it on the next
// heartbeat of the group, as in Java.
//
// Responses: SUCCESS; INVALID_PARAMETER; SUBSCRIPTION_GROUP_NOT_EXIST;
// SYSTEM_ERROR.

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

// groupMaxLength is TopicValidator.GROUP_MAX_LENGTH.
const groupMaxLength = 120

// validateGroup returns TopicValidator.validateGroup's remark, or "".
func validateGroup(group string) string {
	if group == "" {
		return "The specified group is blank."
	}
	for i := 0; i < len(group); i++ {
		if !compat.ValidTopicChar(group[i]) {
			return fmt.Sprintf("The specified group: %s, contains illegal characters, allowing only ^[%%|a-zA-Z0-9_-]+$", group)
		}
	}
	if len(group) > groupMaxLength {
		return fmt.Sprintf("The specified group: %s, is longer than group max length: %d", group, groupMaxLength)
	}
	return ""
}

func (b *Broker) updateAndCreateSubscriptionGroup(r *transport.Request) *wire.Command {
	if len(r.Cmd.Body) == 0 {
		return wire.NewResponse(r.Cmd, wire.Success, "")
	}
	c := codec.NewSubscriptionGroupConfig("")
	if err := json.Unmarshal(codec.QuoteNumericKeys(r.Cmd.Body), &c); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, "bad SubscriptionGroupConfig body: "+err.Error())
	}
	if remark := validateGroup(c.GroupName); remark != "" {
		return wire.NewResponse(r.Cmd, wire.InvalidParameter, remark)
	}
	if err := b.groups.put(c); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	b.log.Info("subscription group created or updated", "group", c.GroupName, "remote", r.Conn.RemoteAddr())
	return wire.NewResponse(r.Cmd, wire.Success, "")
}

func (b *Broker) getAllSubscriptionGroupConfig(r *transport.Request) *wire.Command {
	w := b.groups.wrapper()
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = codec.Encode(w)
	resp.SetExt("totalGroupNum", strconv.Itoa(len(w.SubscriptionGroupTable)))
	return resp
}

func (b *Broker) getSubscriptionGroupConfig(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	group := rd.String("group", true)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	c, ok := b.groups.get(group)
	if !ok {
		return wire.NewResponse(r.Cmd, wire.SubscriptionGroupNotExist, "No group in this broker")
	}
	resp := wire.NewResponse(r.Cmd, wire.Success, "")
	resp.Body = codec.Encode(c)
	return resp
}

func (b *Broker) deleteSubscriptionGroup(r *transport.Request) *wire.Command {
	rd := codec.NewExtReader(r.Cmd)
	group := rd.String("groupName", true)
	clean := rd.Bool("cleanOffset", false)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	if _, err := b.groups.remove(group); err != nil {
		return wire.NewResponse(r.Cmd, wire.SystemError, err.Error())
	}
	if clean {
		b.offsets.removeGroup(group)
	}
	b.log.Info("subscription group deleted", "group", group, "cleanOffset", clean, "remote", r.Conn.RemoteAddr())
	return wire.NewResponse(r.Cmd, wire.Success, "")
}
