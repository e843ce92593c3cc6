package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.apache.rocketmq.client.consumer.AllocateMessageQueueStrategy;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.rebalance.AllocateMessageQueueAveragely;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;

/** Push consumers in CLUSTERING mode: queue allocation, rebalance, offsets. */
class ClusteringTest extends ConformanceTest {

    /** The client's own averaging strategy, recording its latest result. */
    static final class Recording implements AllocateMessageQueueStrategy {
        private final AllocateMessageQueueAveragely inner = new AllocateMessageQueueAveragely();
        private volatile Set<Integer> queues = Set.of();
        private volatile List<String> cids = List.of();

        @Override
        public List<MessageQueue> allocate(String group, String cid, List<MessageQueue> all, List<String> cidAll) {
            List<MessageQueue> r = inner.allocate(group, cid, all, cidAll);
            if (all.isEmpty() || all.get(0).getTopic().startsWith("%RETRY%")) {
                return r; // the group's retry topic is balanced too: record only the topic
            }
            Set<Integer> q = new TreeSet<>();
            r.forEach(mq -> q.add(mq.getQueueId()));
            queues = q;
            cids = new ArrayList<>(cidAll);
            return r;
        }

        @Override
        public String getName() {
            return inner.getName();
        }

        Set<Integer> queues() {
            return queues;
        }

        List<String> cids() {
            return cids;
        }
    }

    private DefaultMQPushConsumer member(String group, String topic, Collector col, Recording rec) throws Exception {
        return pushConsumer(group, c -> {
            try {
                c.subscribe(topic, "*");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            c.setAllocateMessageQueueStrategy(rec);
            c.registerMessageListener(col.concurrently());
        });
    }

    private static List<String> send(DefaultMQProducer p, String topic, String prefix, int n) throws Exception {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            p.send(new Message(topic, utf8(prefix + i)));
            sent.add(prefix + i);
        }
        return sent;
    }

    @Test
    void singleConsumerGetsEverythingOnce() throws Exception {
        String topic = topic(4);
        List<String> sent = send(producer(), topic, "one-", 40);
        Collector col = new Collector();
        collect(name("CG"), topic, "*", col);
        col.awaitBodies(sent, CONSUME_WAIT);
        Booster.sleep(500);
        assertEquals(40, col.size(), "no duplicates for a lone consumer");
        // messages sent while the consumer runs arrive through long polling
        long t0 = System.currentTimeMillis();
        List<String> more = send(producer(), topic, "live-", 8);
        col.awaitBodies(more, Duration.ofSeconds(10));
        assertTrue(System.currentTimeMillis() - t0 < 5000, "long polling delivers at once");
    }

    @Test
    void rebalanceOnJoinAndLeave() throws Exception {
        String topic = topic(4);
        String group = name("CG");
        DefaultMQProducer p = producer();
        Collector a = new Collector("a");
        Collector b = new Collector("b");
        Recording ra = new Recording();
        Recording rb = new Recording();
        member(group, topic, a, ra);
        await(Duration.ofSeconds(10), () -> "first consumer owns all 4 queues, has " + ra.queues(), () -> ra.queues().size() == 4);

        DefaultMQPushConsumer cb = member(group, topic, b, rb);
        // the broker tells the group about the new member
        // (NOTIFY_CONSUMER_IDS_CHANGED), so the first consumer gives up half of its
        // queues well before its 20 s periodic rebalance
        await(Duration.ofSeconds(15), () -> "queues split 2/2, have a=" + ra.queues() + ra.cids() + " b=" + rb.queues() + rb.cids(),
                () -> ra.queues().size() == 2 && rb.queues().size() == 2 && ra.cids().size() == 2 && rb.cids().size() == 2);
        Set<Integer> union = new HashSet<>(ra.queues());
        union.addAll(rb.queues());
        assertEquals(Set.of(0, 1, 2, 3), union, "the two halves are disjoint and cover the topic");
        assertEquals(ra.cids(), rb.cids(), "both see the same member list (sorted by the client)");

        List<String> sent = send(p, topic, "split-", 40);
        await(CONSUME_WAIT, () -> "all 40 consumed by the group", () -> {
            Set<String> s = new HashSet<>(a.bodies());
            s.addAll(b.bodies());
            return s.containsAll(sent);
        });
        // each consumer only got messages of its own queues
        a.msgs().stream().filter(m -> body(m).startsWith("split-")).forEach(m -> assertTrue(ra.queues().contains(m.getQueueId()), "a got queue " + m.getQueueId()));
        b.msgs().stream().filter(m -> body(m).startsWith("split-")).forEach(m -> assertTrue(rb.queues().contains(m.getQueueId()), "b got queue " + m.getQueueId()));
        assertTrue(a.size() > 0 && b.size() > 0, "both consumed: a=" + a.size() + " b=" + b.size());

        // the second one leaves (UNREGISTER_CLIENT): the first takes all queues back
        cb.shutdown();
        await(Duration.ofSeconds(15), () -> "first consumer owns all 4 queues again, has " + ra.queues(), () -> ra.queues().size() == 4);
        List<String> after = send(p, topic, "after-", 20);
        a.awaitBodies(after, CONSUME_WAIT);
    }

    @Test
    void committedOffsetsSurviveRestart() throws Exception {
        String topic = topic(4);
        String group = name("CG");
        DefaultMQProducer p = producer();
        List<String> first = send(p, topic, "first-", 20);
        Collector c1 = new Collector();
        DefaultMQPushConsumer one = collect(group, topic, "*", c1);
        c1.awaitBodies(first, CONSUME_WAIT);
        Booster.sleep(200);
        // shutdown persists the offsets to the broker (UPDATE_CONSUMER_OFFSET)
        one.shutdown();

        List<String> second = send(p, topic, "second-", 20);
        Collector c2 = new Collector();
        collect(group, topic, "*", c2);
        c2.awaitBodies(second, CONSUME_WAIT);
        Booster.sleep(1000);
        assertEquals(new HashSet<>(second), c2.bodies(), "the restarted group resumes at its committed offsets");
    }

    @Test
    void newGroupFromLastOffsetOnFreshQueueStartsAtZero() throws Exception {
        // CONSUME_FROM_LAST_OFFSET for a group without offsets: the client asks
        // QUERY_CONSUMER_OFFSET; Apache answers 0 (not QUERY_NOT_FOUND) when the
        // queue's min offset is 0 and its first message is still in memory
        // (ConsumerManageProcessor.queryConsumerOffset), so on a fresh topic the
        // messages sent before the group existed are delivered too
        String topic = topic(2);
        DefaultMQProducer p = producer();
        List<String> old = send(p, topic, "old-", 6);
        Collector col = new Collector();
        pushConsumer(name("CG"), c -> {
            try {
                c.subscribe(topic, "*");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            c.setConsumeFromWhere(org.apache.rocketmq.common.consumer.ConsumeFromWhere.CONSUME_FROM_LAST_OFFSET);
            c.registerMessageListener(col.concurrently());
        });
        col.awaitBodies(old, CONSUME_WAIT);
        List<String> fresh = send(p, topic, "new-", 6);
        col.awaitBodies(fresh, CONSUME_WAIT);
        Booster.sleep(500);
        assertEquals(12, col.size(), "nothing twice");
    }
}
