package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;

/**
 * Reset a running group's offsets to a point in time, as `mqadmin
 * resetOffsetByTime` does: INVOKE_BROKER_TO_RESET_OFFSET (222) to the broker,
 * which pushes RESET_CONSUMER_CLIENT_OFFSET (220) to the group's clients.
 */
class ResetOffsetTest extends ConformanceTest {

    @Test
    void resetByTimeReplaysFromThatTime() throws Exception {
        // Apache 5.x brokers reset on the broker side (useServerSideResetOffset=true)
        // and only 5.x consumers pick that up; a running 4.9.x consumer keeps its
        // own offsets against Apache 5.3 too
        org.junit.jupiter.api.Assumptions.assumeTrue(Clients.is5(),
                "n/a: a running 4.9.x consumer is not rewound by an Apache 5.x broker's server-side reset");
        String topic = topic(4);
        String group = name("CG");
        DefaultMQProducer p = producer();
        List<String> early = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            p.send(new Message(topic, utf8("early-" + i)));
            early.add("early-" + i);
        }
        Booster.sleep(300);
        long mark = System.currentTimeMillis();
        Booster.sleep(300);
        List<String> late = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            p.send(new Message(topic, utf8("late-" + i)));
            late.add("late-" + i);
        }
        Collector col = new Collector();
        collect(group, topic, "*", col);
        List<String> all = new ArrayList<>(early);
        all.addAll(late);
        col.awaitBodies(all, CONSUME_WAIT);
        Booster.sleep(1000);
        assertEquals(16, col.size());

        // back to mark: the late messages are consumed again, the early ones not
        Map<MessageQueue, Long> reset = Admin.get().resetOffsetByTimestamp(topic, group, mark, true);
        assertEquals(4, reset.size(), "one new offset per queue: " + reset);
        await(CONSUME_WAIT, () -> "late messages consumed twice, have " + col.size(), () -> late.stream().allMatch(b -> col.count(b) >= 2));
        Booster.sleep(1000);
        for (String b : early) {
            assertEquals(1, col.count(b), b + " is before the reset time");
        }
        long total = reset.values().stream().mapToLong(Long::longValue).sum();
        assertTrue(total >= 0);
    }
}
