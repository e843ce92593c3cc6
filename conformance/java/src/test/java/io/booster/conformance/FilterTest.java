package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.rocketmq.client.consumer.MessageSelector;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/** Server-side filtering: tags (hash in the consume queue) and SQL92 on properties. */
class FilterTest extends ConformanceTest {

    private List<String> sendTagged(DefaultMQProducer p, String topic) throws Exception {
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String tag = "Tag" + "ABC".charAt(i % 3);
            Message m = new Message(topic, tag, utf8(tag + " " + i));
            m.putUserProperty("a", String.valueOf(i));
            m.putUserProperty("color", i % 2 == 0 ? "red" : "blue");
            p.send(m);
            sent.add(tag + " " + i);
        }
        return sent;
    }

    private static Set<String> withPrefix(List<String> all, String... prefixes) {
        Set<String> s = new HashSet<>();
        for (String b : all) {
            for (String p : prefixes) {
                if (b.startsWith(p + " ")) {
                    s.add(b);
                }
            }
        }
        return s;
    }

    @Test
    void tagFilterPush() throws Exception {
        String topic = topic(4);
        List<String> sent = sendTagged(producer(), topic);
        Collector col = new Collector();
        collect(name("CG"), topic, "TagA || TagC", col);
        Set<String> want = withPrefix(sent, "TagA", "TagC");
        col.awaitBodies(want, CONSUME_WAIT);
        // the broker filters by tag hash and the client re-checks the tag string:
        // nothing else is delivered
        Booster.sleep(500);
        assertEquals(want, col.bodies());
        assertEquals(want.size(), col.size(), "each message once");
    }

    @Test
    void tagFilterPull() throws Exception {
        String topic = topic(2);
        List<String> sent = sendTagged(producer(), topic);
        Set<String> want = withPrefix(sent, "TagB");
        List<MessageExt> got = pullAll(topic, want.size(), "TagB");
        // PULL_MESSAGE with a tag expression: the broker drops the other tags
        // (the pull consumer re-checks the tag string too)
        assertEquals(want, bodies(got));
        for (MessageExt m : got) {
            assertEquals("TagB", m.getTags());
        }
    }

    @Test
    void sql92FilterPush() throws Exception {
        String topic = topic(4);
        List<String> sent = sendTagged(producer(), topic);
        Collector col = new Collector();
        pushConsumer(name("CG"), c -> {
            try {
                c.subscribe(topic, MessageSelector.bySql("a >= 10 AND a < 20 AND color = 'red' AND TAGS IN ('TagA','TagB')"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            c.registerMessageListener(col.concurrently());
        });
        Set<String> want = new HashSet<>();
        for (int i = 10; i < 20; i++) {
            String b = sent.get(i);
            if (i % 2 == 0 && (b.startsWith("TagA") || b.startsWith("TagB"))) {
                want.add(b);
            }
        }
        col.awaitBodies(want, CONSUME_WAIT);
        Booster.sleep(1000);
        assertEquals(want, col.bodies());
    }

    @Test
    void sql92NullAndIsNull() throws Exception {
        // messages without the property: a comparison with a missing property is
        // false, IS NULL is true (Apache's SQL92 semantics)
        String topic = topic(2);
        DefaultMQProducer p = producer();
        for (int i = 0; i < 10; i++) {
            Message m = new Message(topic, utf8("m" + i));
            if (i < 5) {
                m.putUserProperty("n", String.valueOf(i));
            }
            p.send(m);
        }
        Collector gt = new Collector();
        Collector isNull = new Collector();
        pushConsumer(name("CG"), c -> {
            try {
                c.subscribe(topic, MessageSelector.bySql("n > 2"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            c.registerMessageListener(gt.concurrently());
        });
        pushConsumer(name("CG"), c -> {
            try {
                c.subscribe(topic, MessageSelector.bySql("n IS NULL"));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            c.registerMessageListener(isNull.concurrently());
        });
        gt.awaitBodies(Set.of("m3", "m4"), CONSUME_WAIT);
        isNull.awaitBodies(Set.of("m5", "m6", "m7", "m8", "m9"), CONSUME_WAIT);
        Booster.sleep(1000);
        assertEquals(Set.of("m3", "m4"), gt.bodies());
        assertEquals(Set.of("m5", "m6", "m7", "m8", "m9"), isNull.bodies());
    }
}
