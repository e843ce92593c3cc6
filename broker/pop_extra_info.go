package broker

// Pop handles ("extraInfo", the POP_CK property) and the offset summaries
// of a POP_MESSAGE response, in the formats of Apache's ExtraInfoUtil,
// which the client parses to build each message's handle:
//
//	extraInfo       = ckQueueOffset popTime invisibleTime reviveQid retry brokerName queueId [queueOffset]
//	startOffsetInfo = retry queueId startOffset[;…]         one entry per queue read
//	msgOffsetInfo   = retry queueId o1,o2,…[;…]             the offsets returned, per queue
//	orderCountInfo  = retry qo<queueId>%<offset> count[;…]  (orderly pops)
//
// Fields are separated by a space (MessageConst.KEY_SEPARATOR); retry is
// "0" for a normal topic, "1" for a %RETRY% topic and "2" for a V2 pop
// retry topic (%RETRY%group+topic).

import (
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/booster-mq/booster/compat"
)

var errBadExtraInfo = errors.New("bad extraInfo")

// retryMark is ExtraInfoUtil.getRetry(topic).
func retryMark(topic string) string {
	switch {
	case compat.IsRetryTopic(topic) && strings.Contains(topic, "+"):
		return "2"
	case compat.IsRetryTopic(topic):
		return "1"
	}
	return "0"
}

// popRealTopic is ExtraInfoUtil.getRealTopic(topic, group, retry): the
// topic an ack or a batch ack names.
func popRealTopic(topic, group, retry string) (string, error) {
	switch retry {
	case "0":
		return topic, nil
	case "1":
		return popRetryTopic(topic, group), nil
	case "2":
		return compat.RetryGroupTopicPrefix + group + "+" + topic, nil
	}
	return "", fmt.Errorf("%w: retry %q", errBadExtraInfo, retry)
}

// appendExtraInfo is ExtraInfoUtil.buildExtraInfo with the message's
// queue offset.
func appendExtraInfo(dst []byte, ckOffset, popTime, invisibleTime int64, reviveQid int32, topic, brokerName string, queueID int32, queueOffset int64) []byte {
	dst = strconv.AppendInt(dst, ckOffset, 10)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, popTime, 10)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, invisibleTime, 10)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(reviveQid), 10)
	dst = append(dst, ' ')
	dst = append(dst, retryMark(topic)...)
	dst = append(dst, ' ')
	dst = append(dst, brokerName...)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(queueID), 10)
	dst = append(dst, ' ')
	return strconv.AppendInt(dst, queueOffset, 10)
}

// appendStartOffsetInfo is ExtraInfoUtil.buildStartOffsetInfo.
func appendStartOffsetInfo(dst []byte, topic string, queueID int32, startOffset int64) []byte {
	if len(dst) > 0 {
		dst = append(dst, ';')
	}
	dst = append(dst, retryMark(topic)...)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(queueID), 10)
	dst = append(dst, ' ')
	return strconv.AppendInt(dst, startOffset, 10)
}

// appendMsgOffsetInfo is ExtraInfoUtil.buildMsgOffsetInfo.
func appendMsgOffsetInfo(dst []byte, topic string, queueID int32, offsets []int64) []byte {
	if len(dst) > 0 {
		dst = append(dst, ';')
	}
	dst = append(dst, retryMark(topic)...)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(queueID), 10)
	dst = append(dst, ' ')
	for i, o := range offsets {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = strconv.AppendInt(dst, o, 10)
	}
	return dst
}

// appendOrderCountInfo is ExtraInfoUtil.buildQueueOffsetOrderCountInfo.
func appendOrderCountInfo(dst []byte, topic string, queueID int32, queueOffset int64, count int32) []byte {
	if len(dst) > 0 {
		dst = append(dst, ';')
	}
	dst = append(dst, retryMark(topic)...)
	dst = append(dst, " qo"...)
	dst = strconv.AppendInt(dst, int64(queueID), 10)
	dst = append(dst, '%')
	dst = strconv.AppendInt(dst, queueOffset, 10)
	dst = append(dst, ' ')
	return strconv.AppendInt(dst, int64(count), 10)
}

// appendQueueOrderCountInfo is ExtraInfoUtil.buildQueueIdOrderCountInfo.
func appendQueueOrderCountInfo(dst []byte, topic string, queueID int32, count int32) []byte {
	if len(dst) > 0 {
		dst = append(dst, ';')
	}
	dst = append(dst, retryMark(topic)...)
	dst = append(dst, ' ')
	dst = strconv.AppendInt(dst, int64(queueID), 10)
	dst = append(dst, ' ')
	return strconv.AppendInt(dst, int64(count), 10)
}

// popHandle is a parsed extraInfo.
type popHandle struct {
	ckOffset      int64
	popTime       int64
	invisibleTime int64
	reviveQid     int32
	retry         string
	brokerName    string
	queueID       int32
	queueOffset   int64 // -1 when absent
}

// parsePopHandle parses an extraInfo; the first four fields are required,
// as every broker-side use needs them.
func parsePopHandle(s string) (popHandle, error) {
	f := strings.Split(s, " ")
	for len(f) > 0 && f[len(f)-1] == "" { // Java's split drops trailing empties
		f = f[:len(f)-1]
	}
	h := popHandle{queueID: -1, queueOffset: -1}
	if len(f) < 4 {
		return h, fmt.Errorf("%w: %q has %d fields", errBadExtraInfo, s, len(f))
	}
	var errs [8]error
	h.ckOffset, errs[0] = strconv.ParseInt(f[0], 10, 64)
	h.popTime, errs[1] = strconv.ParseInt(f[1], 10, 64)
	h.invisibleTime, errs[2] = strconv.ParseInt(f[2], 10, 64)
	var rq int64
	rq, errs[3] = strconv.ParseInt(f[3], 10, 32)
	h.reviveQid = int32(rq)
	if len(f) > 4 {
		h.retry = f[4]
	}
	if len(f) > 5 {
		h.brokerName = f[5]
	}
	if len(f) > 6 {
		var q int64
		q, errs[6] = strconv.ParseInt(f[6], 10, 32)
		h.queueID = int32(q)
	}
	if len(f) > 7 {
		h.queueOffset, errs[7] = strconv.ParseInt(f[7], 10, 64)
	}
	for _, err := range errs {
		if err != nil {
			return h, fmt.Errorf("%w: %q: %v", errBadExtraInfo, s, err)
		}
	}
	return h, nil
}
