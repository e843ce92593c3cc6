package io.booster.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.junit.jupiter.api.Test;

/** SimpleConsumer: change invisible duration, redelivery, retry to the DLQ. */
class SimpleConsumerTest {
    @Test
    void changeInvisibleDurationThenRedelivery() throws Exception {
        String topic = "g_invis";
        try (Producer p = Env.producer(topic)) {
            p.send(Env.PROVIDER.newMessageBuilder().setTopic(topic).setBody(Env.bytes("invisible")).build());
        }
        try (SimpleConsumer c = Env.simpleConsumer("g_invis_cg", topic)) {
            List<MessageView> first = Env.receiveUntil(c, Duration.ofSeconds(60), false, Duration.ofSeconds(60),
                Env.bodies(Set.of("invisible")));
            assertTrue(Env.bodies(Set.of("invisible")).test(first), "message not received");
            MessageView m = first.get(0);
            // Shorten the invisibility: the message comes back, attempt 2.
            c.changeInvisibleDuration(m, Duration.ofSeconds(2));
            List<MessageView> again = Env.receiveUntil(c, Duration.ofSeconds(60), false, Duration.ofSeconds(90),
                Env.bodies(Set.of("invisible")));
            assertTrue(Env.bodies(Set.of("invisible")).test(again), "message not redelivered");
            MessageView r = again.get(0);
            assertEquals(m.getMessageId(), r.getMessageId());
            assertEquals(2, r.getDeliveryAttempt());
            c.ack(r);
        }
    }

    @Test
    void retriesEndInDeadLetterQueue() throws Exception {
        String topic = "g_dlq";
        String group = "g_dlq_cg"; // retryMaxTimes=1 (run.sh)
        try (Producer p = Env.producer(topic)) {
            p.send(Env.PROVIDER.newMessageBuilder().setTopic(topic).setBody(Env.bytes("poison")).build());
        }
        SimpleConsumer d = null;
        try (SimpleConsumer c = Env.simpleConsumer(group, topic)) {
            // Never ack: each delivery times out after 2 s. After
            // retryMaxTimes+1 deliveries the next receive dead-letters it.
            List<MessageView> got = Env.receiveUntil(c, Duration.ofSeconds(2), false, Duration.ofSeconds(90),
                l -> l.stream().filter(m -> Env.body(m).equals("poison")).count() >= 2);
            assertEquals(2, got.stream().filter(m -> Env.body(m).equals("poison")).count(), "deliveries of poison");
            long end = System.nanoTime() + Duration.ofSeconds(120).toNanos();
            while (d == null && System.nanoTime() < end) {
                for (MessageView m : c.receive(16, Duration.ofSeconds(2))) {
                    assertTrue(!Env.body(m).equals("poison"), "poison delivered a third time");
                }
                try {
                    d = Env.simpleConsumer("g_dlq_reader", "%DLQ%" + group);
                } catch (Exception e) {
                    // the DLQ topic does not exist yet
                }
            }
        }
        assertTrue(d != null, "%DLQ%" + group + " never appeared");
        try (SimpleConsumer dc = d) {
            List<MessageView> dead = Env.receiveUntil(dc, Duration.ofSeconds(30), true, Duration.ofSeconds(120),
                Env.bodies(Set.of("poison")));
            assertTrue(Env.bodies(Set.of("poison")).test(dead), "poison not in %DLQ%" + group);
        }
    }
}
