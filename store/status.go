package store

import "strconv"

// PutStatus is the outcome of Put (Java's PutMessageStatus).
type PutStatus int

const (
	// PutOK: stored and, if asked, durable.
	PutOK PutStatus = iota
	// PutFlushDiskTimeout: stored, but SYNC_FLUSH did not confirm in time
	// (response code 10).
	PutFlushDiskTimeout
	// PutFlushSlaveTimeout: stored, the slave did not ack in time (12).
	PutFlushSlaveTimeout
	// PutSlaveNotAvailable: stored, no slave to wait for (11).
	PutSlaveNotAvailable
	// PutServiceNotAvailable: closed, or fenced read-only after an I/O
	// error (14).
	PutServiceNotAvailable
	// PutCreateMappedFileFailed: a segment or queue file could not be
	// created (1).
	PutCreateMappedFileFailed
	// PutMessageIllegal: bad topic, queue id or size (13).
	PutMessageIllegal
	// PutPropertiesSizeExceeded: properties over 32767 bytes (13).
	PutPropertiesSizeExceeded
	// PutOSPageCacheBusy: the append lock was held too long (2).
	PutOSPageCacheBusy
	// PutUnknownError: anything else (1).
	PutUnknownError
)

var putStatusNames = [...]string{
	PutOK:                     "PUT_OK",
	PutFlushDiskTimeout:       "FLUSH_DISK_TIMEOUT",
	PutFlushSlaveTimeout:      "FLUSH_SLAVE_TIMEOUT",
	PutSlaveNotAvailable:      "SLAVE_NOT_AVAILABLE",
	PutServiceNotAvailable:    "SERVICE_NOT_AVAILABLE",
	PutCreateMappedFileFailed: "CREATE_MAPPED_FILE_FAILED",
	PutMessageIllegal:         "MESSAGE_ILLEGAL",
	PutPropertiesSizeExceeded: "PROPERTIES_SIZE_EXCEEDED",
	PutOSPageCacheBusy:        "OS_PAGE_CACHE_BUSY",
	PutUnknownError:           "UNKNOWN_ERROR",
}

// String returns Java's name of the status.
func (s PutStatus) String() string {
	if s >= 0 && int(s) < len(putStatusNames) {
		return putStatusNames[s]
	}
	return "PutStatus(" + strconv.Itoa(int(s)) + ")"
}

// Stored reports whether the messages are in the commit log (OK or one of
// the timeouts clients treat as success).
func (s PutStatus) Stored() bool { return s <= PutSlaveNotAvailable }

// GetStatus is the outcome of GetMessages (Java's GetMessageStatus).
type GetStatus int

const (
	// Found: Records holds at least one message.
	Found GetStatus = iota
	// NoMatchedMessage: every scanned unit was filtered out.
	NoMatchedMessage
	// MessageWasRemoving: the scanned units point at deleted records.
	MessageWasRemoving
	// OffsetFoundNull: nothing readable at the offset.
	OffsetFoundNull
	// OffsetOverflowBadly: offset > max.
	OffsetOverflowBadly
	// OffsetOverflowOne: offset == max (nothing new yet).
	OffsetOverflowOne
	// OffsetTooSmall: offset < min.
	OffsetTooSmall
	// NoMatchedLogicQueue: the queue does not exist.
	NoMatchedLogicQueue
	// NoMessageInQueue: the queue is empty.
	NoMessageInQueue
	// StoreClosed: the store is shut down.
	StoreClosed
)

var getStatusNames = [...]string{
	Found:               "FOUND",
	NoMatchedMessage:    "NO_MATCHED_MESSAGE",
	MessageWasRemoving:  "MESSAGE_WAS_REMOVING",
	OffsetFoundNull:     "OFFSET_FOUND_NULL",
	OffsetOverflowBadly: "OFFSET_OVERFLOW_BADLY",
	OffsetOverflowOne:   "OFFSET_OVERFLOW_ONE",
	OffsetTooSmall:      "OFFSET_TOO_SMALL",
	NoMatchedLogicQueue: "NO_MATCHED_LOGIC_QUEUE",
	NoMessageInQueue:    "NO_MESSAGE_IN_QUEUE",
	StoreClosed:         "STORE_CLOSED",
}

// String returns Java's name of the status (the PULL remark).
func (s GetStatus) String() string {
	if s >= 0 && int(s) < len(getStatusNames) {
		return getStatusNames[s]
	}
	return "GetStatus(" + strconv.Itoa(int(s)) + ")"
}
