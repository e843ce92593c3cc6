package broker

// END_TRANSACTION (37), mirroring Java's EndTransactionProcessor.
//
// Header: EndTransactionRequestHeader: producerGroup*,
// tranStateTableOffset* (the half message's queue offset, from the SEND
// response), commitLogOffset* (decoded from the SEND response's offset
// msgId, or echoed from CHECK_TRANSACTION_STATE), commitOrRollback* (0
// unknown, 8 commit, 12 rollback), fromTransactionCheck, msgId*,
// transactionId, topic, bname. Java sends it oneway; the Go client sends
// it unflagged and ignores any answer.
//
// Behaviour:
//  1. A slave answers 11 SLAVE_NOT_AVAILABLE.
//  2. commitOrRollback 0 (or any value but 8 and 12) changes nothing and
//     gets no response at all, as in Java.
//  3. The half message is read at commitLogOffset. It must be a record of
//     RMQ_SYS_TRANS_HALF_TOPIC whose PGROUP equals producerGroup and whose
//     queue offset equals tranStateTableOffset; otherwise 1 SYSTEM_ERROR
//     with Java's remark.
//  4. Outside a check, a half message with CHECK_IMMUNITY_TIME_IN_SECONDS
//     that is already older than that immunity answers 604
//     ILLEGAL_OPERATION: the check-back decides it.
//  5. Commit stores a new record in REAL_TOPIC/REAL_QID with sysFlag
//     COMMIT, PREPARED TX OFFSET = the half's commit-log offset and the
//     half's body, flag, born fields, store host, reconsume times and
//     properties string (so consumers still see TRAN_MSG, PGROUP and
//     __transactionId__), without waiting for a flush. Like every COMMIT
//     it goes through the delay-level and timer routing. Its store time is
//     the commit's (Java's commit log stamps it too).
//  6. Commit (once stored) and rollback write the op message that ends
//     the half message (transaction.go).
//
// Response codes: 0; 1 (lookup or validation failure, store error); 11;
// 13 / 14 from the store; 604. No version differences in the header.

import (
	"fmt"
	"strconv"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/store"
	"github.com/booster-mq/booster/wire"
	"github.com/booster-mq/booster/wire/transport"
)

func (b *Broker) endTransaction(r *transport.Request) *wire.Command {
	req := r.Cmd
	if b.conf().BrokerRole == "SLAVE" {
		return wire.NewResponse(req, wire.SlaveNotAvailable, "")
	}
	rd := codec.NewExtReader(req)
	group := rd.String("producerGroup", true)
	queueOffset := rd.Int64("tranStateTableOffset", true)
	clOffset := rd.Int64("commitLogOffset", true)
	kind := rd.Int32("commitOrRollback", true)
	fromCheck := rd.Bool("fromTransactionCheck", false)
	if err := rd.Err(); err != nil {
		return wire.NewResponse(req, wire.SystemError, err.Error())
	}
	if kind != codec.SysFlagCommit && kind != codec.SysFlagRollback {
		return nil // unknown state: the check-back asks again later
	}
	half, resp := b.preparedMessage(req, group, queueOffset, clOffset, fromCheck)
	if resp != nil {
		return resp
	}
	now := time.Now()
	if kind == codec.SysFlagCommit {
		m, resp := b.committedMessage(req, half)
		if resp != nil {
			return resp
		}
		if resp := b.routeScheduled(req, m, now); resp != nil {
			return resp
		}
		res := b.store.Put([]*codec.Message{m}, false)
		if resp := endTransactionStoreResponse(req, res); resp != nil {
			return resp
		}
	}
	if err := b.writeOp(half.QueueID, half.QueueOffset, now); err != nil {
		b.log.Error("end transaction: op message not written", "err", err, "remote", r.Conn.RemoteAddr())
	}
	return wire.NewResponse(req, wire.Success, "")
}

// preparedMessage reads and validates the half message an END_TRANSACTION
// names (checkPrepareMessage, rejectCommitOrRollback).
func (b *Broker) preparedMessage(req *wire.Command, group string, queueOffset, clOffset int64, fromCheck bool) (*codec.Message, *wire.Command) {
	rec, err := b.store.LookupMessage(clOffset)
	if err != nil {
		return nil, wire.NewResponse(req, wire.SystemError, "Find prepared transaction message failed")
	}
	half, _, err := codec.DecodeRecord(rec)
	if err != nil || half.Topic != compat.TransHalfTopic {
		return nil, wire.NewResponse(req, wire.SystemError, "Find prepared transaction message failed")
	}
	if pg, _ := codec.PropertyValue(half.Properties, codec.PropertyProducerGroup); pg != group {
		return nil, wire.NewResponse(req, wire.SystemError, "The producer group wrong")
	}
	if half.QueueOffset != queueOffset {
		return nil, wire.NewResponse(req, wire.SystemError, "The transaction state table offset wrong")
	}
	if half.CommitLogOffset != clOffset {
		return nil, wire.NewResponse(req, wire.SystemError, "The commit log offset wrong")
	}
	if !fromCheck {
		if v, ok := codec.PropertyValue(half.Properties, codec.PropertyCheckImmunityTimeInSeconds); ok {
			immunity := b.conf().TransactionTimeOut.Milliseconds()
			if s, err := strconv.ParseInt(v, 10, 64); err == nil && s*1000 > immunity {
				immunity = s * 1000
			}
			if time.Now().UnixMilli()-half.BornTimestamp > immunity {
				return nil, wire.NewResponse(req, wire.IllegalOperation,
					"the transaction is older than its CHECK_IMMUNITY_TIME_IN_SECONDS; the check-back decides it")
			}
		}
	}
	return &half, nil
}

// committedMessage builds the record a commit stores
// (endMessageTransaction).
func (b *Broker) committedMessage(req *wire.Command, half *codec.Message) (*codec.Message, *wire.Command) {
	topic, _ := codec.PropertyValue(half.Properties, codec.PropertyRealTopic)
	qidText, _ := codec.PropertyValue(half.Properties, codec.PropertyRealQueueID)
	qid, err := strconv.Atoi(qidText)
	if topic == "" || err != nil {
		return nil, wire.NewResponse(req, wire.SystemError, "the prepared message has no REAL_TOPIC / REAL_QID")
	}
	return &codec.Message{
		Topic:                     topic,
		QueueID:                   int32(qid),
		Flag:                      half.Flag,
		Body:                      half.Body,
		Properties:                half.Properties,
		SysFlag:                   half.SysFlag&^codec.SysFlagTransactionMask | codec.SysFlagCommit,
		BornTimestamp:             half.BornTimestamp,
		BornHost:                  half.BornHost,
		StoreHost:                 half.StoreHost,
		ReconsumeTimes:            half.ReconsumeTimes,
		PreparedTransactionOffset: half.CommitLogOffset,
		TagsCode:                  tagsCodeOf(half.Properties),
	}, nil
}

// endTransactionStoreResponse maps the store's answer to a commit
// (sendFinalMessage); nil means stored.
func endTransactionStoreResponse(req *wire.Command, res store.PutResult) *wire.Command {
	switch {
	case res.Status.Stored():
		return nil
	case res.Status == store.PutMessageIllegal || res.Status == store.PutPropertiesSizeExceeded:
		return wire.NewResponse(req, wire.MessageIllegal, "The message is illegal, maybe msg body or properties length not matched.")
	case res.Status == store.PutServiceNotAvailable:
		return wire.NewResponse(req, wire.ServiceNotAvailable, "Service not available now.")
	case res.Status == store.PutCreateMappedFileFailed:
		return wire.NewResponse(req, wire.SystemError, "Create mapped file failed.")
	case res.Status == store.PutOSPageCacheBusy:
		return wire.NewResponse(req, wire.SystemError, "OS page cache busy, please try another machine")
	}
	return wire.NewResponse(req, wire.SystemError, fmt.Sprintf("UNKNOWN_ERROR: %s: %v", res.Status, res.Err))
}
