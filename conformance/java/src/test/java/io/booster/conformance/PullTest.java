package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.rocketmq.client.consumer.DefaultLitePullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;

/** Pull consumers: the raw DefaultMQPullConsumer and the lite pull consumer (subscribe, assign, seek). */
@SuppressWarnings("deprecation")
class PullTest extends ConformanceTest {

    private MessageQueue queue(DefaultMQProducer p, String topic, int id) throws Exception {
        for (MessageQueue mq : p.fetchPublishMessageQueues(topic)) {
            if (mq.getQueueId() == id) {
                return mq;
            }
        }
        throw new IllegalStateException("no queue " + id);
    }

    private List<Long> sendTimed(DefaultMQProducer p, MessageQueue mq, String prefix, int n) throws Exception {
        List<Long> stamps = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            p.send(new Message(mq.getTopic(), utf8(prefix + i)), mq);
            stamps.add(System.currentTimeMillis());
            Booster.sleep(20); // distinct store times
        }
        return stamps;
    }

    @Test
    void pullByOffset() throws Exception {
        String topic = topic(2);
        DefaultMQProducer p = producer();
        MessageQueue mq = queue(p, topic, 1);
        sendTimed(p, mq, "m", 10);
        DefaultMQPullConsumer c = pullConsumer();
        assertEquals(0, c.minOffset(mq));
        assertEquals(10, c.maxOffset(mq));

        PullResult r = c.pull(mq, "*", 0, 4);
        assertEquals(PullStatus.FOUND, r.getPullStatus());
        assertEquals(4, r.getMsgFoundList().size());
        assertEquals(4, r.getNextBeginOffset());
        assertEquals(0, r.getMinOffset());
        assertEquals(10, r.getMaxOffset());
        for (int i = 0; i < 4; i++) {
            assertEquals("m" + i, body(r.getMsgFoundList().get(i)));
            assertEquals(i, r.getMsgFoundList().get(i).getQueueOffset());
        }
        r = c.pull(mq, "*", 7, 32);
        assertEquals(PullStatus.FOUND, r.getPullStatus());
        assertEquals(List.of("m7", "m8", "m9"), r.getMsgFoundList().stream().map(ConformanceTest::body).toList());
        assertEquals(10, r.getNextBeginOffset());

        // at the end: NO_NEW_MSG, next offset unchanged
        r = c.pull(mq, "*", 10, 32);
        assertEquals(PullStatus.NO_NEW_MSG, r.getPullStatus());
        assertEquals(10, r.getNextBeginOffset());
        // past the end: OFFSET_ILLEGAL, corrected to the max offset
        r = c.pull(mq, "*", 50, 32);
        assertEquals(PullStatus.OFFSET_ILLEGAL, r.getPullStatus());
        assertEquals(10, r.getNextBeginOffset());
        // an empty queue of the topic
        r = c.pull(queue(p, topic, 0), "*", 0, 32);
        assertEquals(PullStatus.NO_NEW_MSG, r.getPullStatus());
        assertEquals(0, r.getNextBeginOffset());
    }

    @Test
    void blockingPullWaitsForAMessage() throws Exception {
        // pullBlockIfNotFound: the broker holds the request (long polling) and
        // answers as soon as a message arrives
        String topic = topic(1);
        DefaultMQProducer p = producer();
        MessageQueue mq = queue(p, topic, 0);
        DefaultMQPullConsumer c = pullConsumer();
        Thread sender = new Thread(() -> {
            Booster.sleep(1500);
            try {
                p.send(new Message(topic, utf8("late")), mq);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        long t0 = System.currentTimeMillis();
        sender.start();
        PullResult r = c.pullBlockIfNotFound(mq, "*", 0, 32);
        long waited = System.currentTimeMillis() - t0;
        sender.join();
        assertEquals(PullStatus.FOUND, r.getPullStatus());
        assertEquals("late", body(r.getMsgFoundList().get(0)));
        assertTrue(waited >= 1000 && waited < 10_000, "held until the message came: " + waited + " ms");
    }

    @Test
    void consumerOffsetRoundTrip() throws Exception {
        String topic = topic(2);
        DefaultMQProducer p = producer();
        MessageQueue mq = queue(p, topic, 0);
        sendTimed(p, mq, "o", 10);
        DefaultMQPullConsumer c = pullConsumer();
        // a pull makes the broker create the subscription group
        // (autoCreateSubscriptionGroup); Apache 5.3 answers UPDATE_CONSUMER_OFFSET
        // for an unknown group with SUBSCRIPTION_GROUP_NOT_EXIST, and a 4.9.x pull
        // consumer sends no heartbeat at start
        c.pull(mq, "*", 0, 1);
        // no committed offset yet: the broker answers QUERY_NOT_FOUND, or 0 for a
        // queue whose first message is still in memory (Apache); either way not > 0
        assertTrue(c.fetchConsumeOffset(mq, true) <= 0);
        c.getOffsetStore().updateConsumeOffsetToBroker(mq, 7, false);
        assertEquals(7, c.fetchConsumeOffset(mq, true), "QUERY_CONSUMER_OFFSET returns what UPDATE_CONSUMER_OFFSET stored");
        c.getOffsetStore().updateConsumeOffsetToBroker(mq, 3, false);
        assertEquals(3, c.fetchConsumeOffset(mq, true), "offsets may move back");
    }

    @Test
    void searchOffsetByTimestamp() throws Exception {
        String topic = topic(1);
        DefaultMQProducer p = producer();
        MessageQueue mq = queue(p, topic, 0);
        List<Long> first = sendTimed(p, mq, "a", 5);
        Booster.sleep(300);
        long mid = System.currentTimeMillis();
        Booster.sleep(300);
        sendTimed(p, mq, "b", 5);
        DefaultMQPullConsumer c = pullConsumer();
        // SEARCH_OFFSET_BY_TIMESTAMP (29): the first message stored at or after
        // the time (Apache 5.x broker, BoundaryType.LOWER, the default); past the
        // end the max offset, before the start the min offset
        assertEquals(5, c.searchOffset(mq, mid));
        assertEquals(0, c.searchOffset(mq, first.get(0) - 60_000));
        assertEquals(10, c.searchOffset(mq, System.currentTimeMillis() + 60_000));
        MessageExt m = c.pull(mq, "*", c.searchOffset(mq, mid), 1).getMsgFoundList().get(0);
        assertEquals("b0", body(m));
        assertTrue(c.earliestMsgStoreTime(mq) <= first.get(0));
    }

    private DefaultLitePullConsumer lite(String group) {
        DefaultLitePullConsumer c = configure(new DefaultLitePullConsumer(group));
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        c.setPollTimeoutMillis(500);
        onClose(c::shutdown);
        return c;
    }

    private static List<MessageExt> pollUntil(DefaultLitePullConsumer c, int n, Duration timeout) {
        List<MessageExt> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (out.size() < n && System.nanoTime() < deadline) {
            out.addAll(c.poll());
        }
        return out;
    }

    @Test
    void litePullSubscribe() throws Exception {
        String topic = topic(4);
        DefaultMQProducer p = producer();
        Set<String> sent = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            p.send(new Message(topic, utf8("lite" + i)));
            sent.add("lite" + i);
        }
        String group = name("CG");
        DefaultLitePullConsumer c = lite(group);
        c.subscribe(topic, "*");
        c.start();
        List<MessageExt> got = pollUntil(c, 40, CONSUME_WAIT);
        assertEquals(sent, bodies(got));
        assertEquals(40, got.size());
        c.commitSync();
        c.shutdown();

        // a new lite consumer of the group resumes after the committed offsets
        for (int i = 0; i < 8; i++) {
            p.send(new Message(topic, utf8("next" + i)));
        }
        DefaultLitePullConsumer c2 = lite(group);
        c2.subscribe(topic, "*");
        c2.start();
        List<MessageExt> got2 = pollUntil(c2, 8, CONSUME_WAIT);
        Booster.sleep(500);
        got2.addAll(c2.poll(500));
        assertEquals(8, got2.size(), "only the new messages: " + bodies(got2));
        got2.forEach(m -> assertTrue(body(m).startsWith("next")));
    }

    /**
     * seek while the consumer's pull task may have a pull in flight races in the
     * client (the in-flight result can land after the seek); pause the queue and
     * let in-flight pulls finish first, as an application would.
     */
    private static void seekQuietly(DefaultLitePullConsumer c, MessageQueue mq, long offset) throws Exception {
        c.pause(List.of(mq));
        Booster.sleep(500);
        if (offset == Long.MIN_VALUE) {
            c.seekToBegin(mq);
        } else if (offset == Long.MAX_VALUE) {
            c.seekToEnd(mq);
        } else {
            c.seek(mq, offset);
        }
        c.resume(List.of(mq));
    }

    @Test
    void litePullAssignAndSeek() throws Exception {
        String topic = topic(2);
        DefaultMQProducer p = producer();
        MessageQueue q0 = queue(p, topic, 0);
        List<Long> stamps = sendTimed(p, q0, "s", 10);
        DefaultLitePullConsumer c = lite(name("CG"));
        c.setAutoCommit(false);
        c.start();
        Collection<MessageQueue> mqs = c.fetchMessageQueues(topic);
        assertEquals(2, mqs.size());
        MessageQueue mq = mqs.stream().filter(x -> x.getQueueId() == 0).findFirst().orElseThrow();
        c.assign(List.of(mq));
        List<MessageExt> got = pollUntil(c, 10, CONSUME_WAIT);
        assertEquals(10, got.size(), "assigned from the first offset: " + bodies(got));

        seekQuietly(c, mq, 6);
        got = pollUntil(c, 4, CONSUME_WAIT);
        assertEquals(List.of("s6", "s7", "s8", "s9"), got.stream().map(ConformanceTest::body).toList());

        seekQuietly(c, mq, Long.MIN_VALUE);
        got = pollUntil(c, 10, CONSUME_WAIT);
        assertEquals(10, got.size());
        assertEquals("s0", body(got.get(0)));

        // offsetForTimestamp (SEARCH_OFFSET_BY_TIMESTAMP) + seek: replay from a point in time
        long off = c.offsetForTimestamp(mq, stamps.get(4) + 1);
        assertEquals(5, off, "first message stored after the 5th send returned");
        seekQuietly(c, mq, off);
        got = pollUntil(c, 5, CONSUME_WAIT);
        assertEquals("s5", body(got.get(0)));

        seekQuietly(c, mq, Long.MAX_VALUE);
        assertTrue(c.poll(1000).isEmpty(), "nothing after seekToEnd");
        p.send(new Message(topic, utf8("tail")), q0);
        got = pollUntil(c, 1, CONSUME_WAIT);
        assertEquals(List.of("tail"), got.stream().map(ConformanceTest::body).toList());
    }
}
