package broker

// The pop service's background work: reviving messages whose invisible
// time ran out, and writing config/popState.json (pop_state.go).
//
// Revive, as Apache's PopReviveService.reviveRetry does it:
//  1. An in-flight offset whose popTime+invisibleTime has passed is read
//     back from its queue.
//  2. A copy goes to the pop retry topic %RETRY%<group>_<topic> (or the
//     same topic when the popped topic already is a retry topic), queue 0:
//     same body, flag, sysFlag, born time and properties, born and store
//     host = this broker, reconsumeTimes+1, 1ST_POP_TIME set to the first
//     pop time when the message is consumed for the first time.
//  3. The retry topic is created on first use (1 queue, perm 6) with the
//     group's offset 0, and registered with the NameServers.
//  4. Only then is the offset dropped from the in-flight table; a message
//     that no longer exists is dropped, a failed put is tried again 5 s later.
//
// POP_MESSAGE reads the retry topic next to the normal one, so the client
// gets the message again, with its reconsume times one higher. The
// revive runs on masters only.

import (
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/booster-mq/booster/codec"
	"github.com/booster-mq/booster/compat"
	"github.com/booster-mq/booster/store"
)

const (
	// popStateFlushInterval is how often a changed popState.json is written.
	popStateFlushInterval = time.Second
	// popReviveInterval is how often due invisible times are checked.
	popReviveInterval = 100 * time.Millisecond
	// popReviveRetry is the delay before a failed revive is tried again.
	popReviveRetry = 5 * time.Second
	// popRetryQueueNums is Apache's PopAckConstants.retryQueueNum.
	popRetryQueueNums = 1
	// popOrderReviveQid marks an orderly pop (KeyBuilder.POP_ORDER_REVIVE_QUEUE).
	popOrderReviveQid = 999
	// Properties of popped messages (MessageConst).
	propertyPopCK        = "POP_CK"
	propertyFirstPopTime = "1ST_POP_TIME"
)

// popService holds the pop in-flight table, the parked pops and their
// background loops.
type popService struct {
	b     *Broker
	state *popState
	hold  *popHold
	ckSeq atomic.Uint32 // rotates reviveQid like Apache's ckMessageNumber

	done     chan struct{}
	wg       sync.WaitGroup
	lastWarn atomic.Int64
}

func newPopService(b *Broker) (*popService, error) {
	p := &popService{b: b, state: newPopState(b.conf().StorePathRootDir), done: make(chan struct{})}
	p.hold = newPopHold(b)
	err := p.state.load(func(k popQueueKey, off int64) { b.offsets.commit(k.topic, k.group, k.queueID, off) })
	return p, err
}

func (p *popService) start() {
	p.wg.Add(2)
	go p.reviveLoop()
	go p.persistLoop()
}

// stop ends the loops and lets go of parked pops; persist is separate.
func (p *popService) stop() {
	close(p.done)
	p.wg.Wait()
	p.hold.stop()
}

// persist writes popState.json if it changed.
func (p *popService) persist() error {
	return p.state.persist(func(k popQueueKey) (int64, bool) { return p.b.offsets.query(k.topic, k.group, k.queueID) })
}

// ensureOnDisk writes popState.json now if q is not in it yet (the first
// pop of a queue), so that its offset never reaches disk without it.
func (p *popService) ensureOnDisk(q *popQueue) {
	if p.state.isOnDisk(q) {
		return
	}
	if err := p.persist(); err != nil {
		p.warn("persist pop state", "err", err)
	}
}

func (p *popService) persistLoop() {
	defer p.wg.Done()
	t := time.NewTicker(popStateFlushInterval)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
			if err := p.persist(); err != nil {
				p.b.log.Error("persist pop state", "err", err)
			}
		}
	}
}

func (p *popService) reviveLoop() {
	defer p.wg.Done()
	t := time.NewTicker(popReviveInterval)
	defer t.Stop()
	for {
		select {
		case <-p.done:
			return
		case <-t.C:
		}
		if p.b.conf().BrokerRole == "SLAVE" {
			continue
		}
		for {
			now := time.Now().UnixMilli()
			items := p.state.expired(now, 256)
			for _, it := range items {
				p.revive(it, now)
			}
			if len(items) < 256 {
				break
			}
			select {
			case <-p.done:
				return
			default:
			}
		}
	}
}

// revive puts one expired message back for redelivery.
func (p *popService) revive(it reviveItem, now int64) {
	b := p.b
	k := it.q.key
	res := b.store.GetMessages(k.topic, k.queueID, it.offset, 1, 0, nil)
	defer res.Release()
	if res.Status == store.StoreClosed {
		return
	}
	var v codec.RecordView
	var err error
	if res.Status == store.Found && len(res.Records) > 0 {
		v, err = codec.ViewRecord(res.Records[0])
	}
	if res.Status != store.Found || len(res.Records) == 0 || err != nil || v.QueueOffset != it.offset {
		b.log.Info("pop revive: message gone, dropping it", "topic", k.topic, "group", k.group,
			"queueId", k.queueID, "offset", it.offset, "status", res.Status.String())
		p.state.finishRevive(it)
		return
	}
	m := b.popRetryMessage(k, &v, it.popTime)
	if err := b.ensurePopRetryTopic(m.Topic, k.group); err != nil {
		p.warn("pop revive: create retry topic", "topic", m.Topic, "err", err)
		p.state.retryRevive(it, now+popReviveRetry.Milliseconds())
		return
	}
	put := b.store.Put([]*codec.Message{m}, false)
	if !put.Status.Stored() {
		p.warn("pop revive: put failed", "topic", m.Topic, "status", put.Status.String(), "err", put.Err)
		p.state.retryRevive(it, now+popReviveRetry.Milliseconds())
		return
	}
	p.state.finishRevive(it)
}

// warn logs at most one warning a second.
func (p *popService) warn(msg string, args ...any) {
	now := time.Now().UnixMilli()
	last := p.lastWarn.Load()
	if now-last < 1000 || !p.lastWarn.CompareAndSwap(last, now) {
		return
	}
	p.b.log.Warn(msg, args...)
}

// popRetryTopic is the V1 pop retry topic of a group and topic
// (KeyBuilder.buildPopRetryTopicV1; Apache's enableRetryTopicV2 defaults to false).
func popRetryTopic(topic, group string) string {
	return compat.RetryGroupTopicPrefix + group + "_" + topic
}

// popRetryMessage builds the redelivery copy of a popped record.
func (b *Broker) popRetryMessage(k popQueueKey, v *codec.RecordView, popTime int64) *codec.Message {
	topic := k.topic
	if !compat.IsRetryTopic(topic) {
		topic = popRetryTopic(k.topic, k.group)
	}
	props := string(v.Properties)
	if _, ok := codec.PropertyValue(props, propertyFirstPopTime); !ok || v.ReconsumeTimes == 0 {
		props = setProperties(props, propertyFirstPopTime, strconv.FormatInt(popTime, 10))
	}
	tags, _ := codec.PropertyValue(props, codec.PropertyTags)
	return &codec.Message{
		Topic:          topic,
		QueueID:        0,
		Flag:           v.Flag,
		Body:           v.Body,
		Properties:     props,
		SysFlag:        v.SysFlag,
		BornTimestamp:  v.BornTimestamp,
		BornHost:       b.storeHost,
		StoreHost:      b.storeHost,
		ReconsumeTimes: v.ReconsumeTimes + 1,
		TagsCode:       compat.TagsCode(tags),
	}
}

// ensurePopRetryTopic creates a pop retry topic and the group's offset 0
// on its queue (PopReviveService.addRetryTopicIfNotExist).
func (b *Broker) ensurePopRetryTopic(topic, group string) error {
	_, created, err := b.topics.putIfAbsent(codec.TopicConfig{TopicName: topic,
		ReadQueueNums: popRetryQueueNums, WriteQueueNums: popRetryQueueNums, Perm: compat.PermRead | compat.PermWrite})
	if err != nil {
		return err
	}
	if created {
		if _, ok := b.offsets.query(topic, group, 0); !ok {
			b.offsets.commit(topic, group, 0, 0)
		}
		b.log.Info("created pop retry topic", "topic", topic, "group", group)
		b.triggerRegister()
	}
	return nil
}
