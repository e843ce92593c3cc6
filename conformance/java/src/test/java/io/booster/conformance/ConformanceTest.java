package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.rocketmq.client.ClientConfig;
import org.apache.rocketmq.client.consumer.DefaultMQPullConsumer;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.PullResult;
import org.apache.rocketmq.client.consumer.PullStatus;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.consumer.ConsumeFromWhere;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.BeforeEach;

/**
 * Base of every scenario class: the shared server, unique names, clients that
 * are shut down after each test, and polling waits.
 */
public abstract class ConformanceTest {
    /** Bound for anything that should happen "at once" (a pull, a push). */
    protected static final Duration CONSUME_WAIT = Duration.ofSeconds(20);

    private static final AtomicLong SEQ = new AtomicLong();
    private static final String RUN = Long.toString(System.currentTimeMillis() % 2_000_000_000L, 36);

    protected static Booster booster;
    private final Deque<Runnable> closers = new ArrayDeque<>();
    protected String testName = "t";

    @BeforeAll
    static void boot() {
        booster = Booster.get();
    }

    @BeforeEach
    void rememberName(TestInfo info) {
        testName = info.getTestMethod().map(m -> m.getName()).orElse("t");
    }

    /**
     * Shuts the test's clients down in the background: a 5.x client's shutdown
     * can take up to 3 s (its remoting event thread polls with a 3 s timeout and
     * is joined), which would dominate the run time. Every test uses its own
     * topics and groups, so a client that is still closing disturbs nobody.
     */
    @AfterEach
    void shutdownClients() {
        List<Thread> threads = new ArrayList<>();
        while (!closers.isEmpty()) {
            Runnable r = closers.pop();
            Thread t = new Thread(() -> {
                try {
                    r.run();
                } catch (RuntimeException e) {
                    System.err.println("shutdown: " + e);
                }
            }, "shutdown-" + threads.size());
            t.setDaemon(true);
            t.start();
            threads.add(t);
        }
    }

    /** Runs r when the test ends (last registered, first run). */
    protected void onClose(Runnable r) {
        closers.push(r);
    }

    /** A topic or group name unique to this run. */
    protected String name(String kind) {
        String n = "jc_" + kind + "_" + testName + "_" + RUN + "_" + SEQ.incrementAndGet();
        return n.length() > 120 ? n.substring(0, 120) : n;
    }

    /** Creates a topic with the given queues (UPDATE_AND_CREATE_TOPIC) and waits for its route. */
    protected String topic(int queues) throws Exception {
        String t = name("T");
        Admin.createTopic(t, queues);
        awaitRoute(t, queues);
        return t;
    }

    /** Waits until the NameServer serves a route for topic with queues write queues. */
    protected void awaitRoute(String topic, int queues) {
        await(Duration.ofSeconds(10), () -> "route of " + topic + " with " + queues + " queues", () -> {
            try {
                var route = Admin.get().examineTopicRouteInfo(topic);
                return route.getQueueDatas().stream().mapToInt(q -> q.getWriteQueueNums()).sum() == queues;
            } catch (Exception e) {
                return false;
            }
        });
    }

    /** Common client settings: the server, a unique instance, the VIP channel choice. */
    protected <T extends ClientConfig> T configure(T c) {
        c.setNamesrvAddr(booster.namesrvAddr);
        c.setInstanceName("jc-" + ProcessHandle.current().pid() + "-" + SEQ.incrementAndGet());
        c.setVipChannelEnabled(Clients.VIP);
        return c;
    }

    protected DefaultMQProducer producer() throws Exception {
        return producer(p -> { });
    }

    /** A started producer in a new group; setup runs before start. */
    protected DefaultMQProducer producer(Consumer<DefaultMQProducer> setup) throws Exception {
        DefaultMQProducer p = configure(new DefaultMQProducer(name("PG")));
        p.setSendMsgTimeout(10_000);
        setup.accept(p);
        return started(p);
    }

    protected DefaultMQProducer started(DefaultMQProducer p) throws Exception {
        p.start();
        onClose(p::shutdown);
        return p;
    }

    /**
     * A push consumer of group reading topic from its first offset; setup
     * subscribes and registers the listener (it may change anything else).
     */
    protected DefaultMQPushConsumer pushConsumer(String group, Consumer<DefaultMQPushConsumer> setup) throws Exception {
        DefaultMQPushConsumer c = configure(new DefaultMQPushConsumer(group));
        c.setConsumeFromWhere(ConsumeFromWhere.CONSUME_FROM_FIRST_OFFSET);
        setup.accept(c);
        return started(c);
    }

    protected DefaultMQPushConsumer started(DefaultMQPushConsumer c) throws Exception {
        c.start();
        onClose(c::shutdown);
        return c;
    }

    /** A started push consumer collecting everything of topic (filter expr) into col. */
    protected DefaultMQPushConsumer collect(String group, String topic, String expr, Collector col) throws Exception {
        return pushConsumer(group, c -> {
            try {
                c.subscribe(topic, expr);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            c.registerMessageListener(col.concurrently());
        });
    }

    protected DefaultMQPullConsumer pullConsumer() throws Exception {
        @SuppressWarnings("deprecation")
        DefaultMQPullConsumer c = configure(new DefaultMQPullConsumer(name("PULL")));
        c.start();
        onClose(c::shutdown);
        return c;
    }

    /**
     * Reads every queue of topic from its min offset with PULL_MESSAGE
     * (non-blocking pulls) until at least expected messages are there.
     */
    protected List<MessageExt> pullAll(String topic, int expected, String expr) throws Exception {
        return pullAll(pullConsumer(), topic, expected, expr, CONSUME_WAIT);
    }

    /** pullAll with a given consumer and bound. */
    @SuppressWarnings("deprecation")
    protected static List<MessageExt> pullAll(DefaultMQPullConsumer c, String topic, int expected, String expr, Duration timeout) throws Exception {
        List<MessageExt> out = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<MessageQueue, Long> next = new HashMap<>();
        while (true) {
            for (MessageQueue mq : c.fetchSubscribeMessageQueues(topic)) {
                long off = next.computeIfAbsent(mq, q -> {
                    try {
                        return c.minOffset(q);
                    } catch (Exception e) {
                        return 0L;
                    }
                });
                while (true) {
                    PullResult r = c.pull(mq, expr, off, 32);
                    if (r.getPullStatus() == PullStatus.FOUND) {
                        out.addAll(r.getMsgFoundList());
                    }
                    if (r.getNextBeginOffset() == off || r.getPullStatus() != PullStatus.FOUND && r.getPullStatus() != PullStatus.NO_MATCHED_MSG) {
                        off = Math.max(off, r.getNextBeginOffset());
                        break;
                    }
                    off = r.getNextBeginOffset();
                }
                next.put(mq, off);
            }
            if (out.size() >= expected || System.nanoTime() > deadline) {
                return out;
            }
            Thread.sleep(100);
        }
    }

    protected List<MessageExt> pullAll(String topic, int expected) throws Exception {
        return pullAll(topic, expected, "*");
    }

    /** Polls cond every 50 ms; fails with what after timeout. */
    protected static void await(Duration timeout, Supplier<String> what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + timeout.toSeconds() + " s waiting for " + what.get());
            }
            Booster.sleep(50);
        }
    }

    /** Asserts that cond stays false for the whole period. */
    protected static void never(Duration period, Supplier<String> what, BooleanSupplier cond) {
        long deadline = System.nanoTime() + period.toNanos();
        while (System.nanoTime() < deadline) {
            if (cond.getAsBoolean()) {
                fail("unexpected: " + what.get());
            }
            Booster.sleep(50);
        }
    }

    protected static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    protected static String body(MessageExt m) {
        return new String(m.getBody(), StandardCharsets.UTF_8);
    }

    protected static Set<String> bodies(Collection<MessageExt> msgs) {
        Set<String> s = new LinkedHashSet<>();
        for (MessageExt m : msgs) {
            s.add(body(m));
        }
        return s;
    }

    /** Records what a push consumer receives, with the arrival time. */
    public static final class Collector {
        public static final class Got {
            public final MessageExt msg;
            public final long at;
            public final String consumer;

            Got(MessageExt msg, long at, String consumer) {
                this.msg = msg;
                this.at = at;
                this.consumer = consumer;
            }
        }

        private final List<Got> got = new ArrayList<>();
        private final String who;

        public Collector() {
            this("c");
        }

        public Collector(String who) {
            this.who = who;
        }

        public synchronized void add(MessageExt m) {
            got.add(new Got(m, System.currentTimeMillis(), who));
        }

        public synchronized List<Got> all() {
            return new ArrayList<>(got);
        }

        public synchronized List<MessageExt> msgs() {
            List<MessageExt> out = new ArrayList<>();
            for (Got g : got) {
                out.add(g.msg);
            }
            return out;
        }

        public synchronized int size() {
            return got.size();
        }

        public synchronized Set<String> bodies() {
            return ConformanceTest.bodies(msgs());
        }

        public synchronized int count(String body) {
            int n = 0;
            for (Got g : got) {
                if (ConformanceTest.body(g.msg).equals(body)) {
                    n++;
                }
            }
            return n;
        }

        public MessageListenerConcurrently concurrently() {
            return (msgs, ctx) -> {
                msgs.forEach(this::add);
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            };
        }

        /** Waits until every body in want has arrived at least once. */
        public void awaitBodies(Collection<String> want, Duration timeout) {
            await(timeout, () -> {
                Set<String> miss = new LinkedHashSet<>(want);
                miss.removeAll(bodies());
                return miss.size() + " of " + want.size() + " messages (e.g. " + miss.stream().limit(3).toList() + "); got " + size();
            }, () -> bodies().containsAll(want));
        }
    }
}
