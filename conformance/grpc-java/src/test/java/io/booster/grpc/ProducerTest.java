package io.booster.grpc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.Message;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.SendReceipt;
import org.junit.jupiter.api.Test;

/** Producer scenarios: normal, FIFO (message group), delay (delivery timestamp). */
class ProducerTest {
    @Test
    void normalSendReceiveAck() throws Exception {
        String topic = "g_normal";
        Set<String> want = new HashSet<>();
        Map<String, String> ids = new java.util.HashMap<>();
        try (Producer p = Env.producer(topic)) {
            for (int i = 0; i < 10; i++) {
                String b = "normal-" + i;
                Message m = Env.PROVIDER.newMessageBuilder().setTopic(topic).setTag("TagA").setKeys("key-" + i)
                    .addProperty("idx", String.valueOf(i)).setBody(Env.bytes(b)).build();
                SendReceipt r = p.send(m);
                assertFalse(r.getMessageId().toString().isEmpty());
                ids.put(b, r.getMessageId().toString());
                want.add(b);
            }
        }
        try (SimpleConsumer c = Env.simpleConsumer("g_normal_cg", topic)) {
            List<MessageView> got = Env.receiveUntil(c, Duration.ofSeconds(30), true, Duration.ofSeconds(60), Env.bodies(want));
            for (MessageView m : got) {
                String b = Env.body(m);
                assertEquals(ids.get(b), m.getMessageId().toString(), "message id of " + b);
                assertEquals("TagA", m.getTag().orElse(""));
                assertEquals("key-" + b.substring("normal-".length()), String.join(",", m.getKeys()));
                assertEquals(b.substring("normal-".length()), m.getProperties().get("idx"));
                assertEquals(1, m.getDeliveryAttempt());
            }
            assertTrue(Env.bodies(want).test(got), "received " + got.size() + " of " + want.size());
        }
    }

    @Test
    void fifoKeepsGroupOrder() throws Exception {
        String topic = "g_fifo";
        List<String> sent = new ArrayList<>();
        try (Producer p = Env.producer(topic)) {
            for (int i = 0; i < 10; i++) {
                String b = "fifo-" + i;
                p.send(Env.PROVIDER.newMessageBuilder().setTopic(topic).setMessageGroup("order-1").setBody(Env.bytes(b)).build());
                sent.add(b);
            }
        }
        try (SimpleConsumer c = Env.simpleConsumer("g_fifo_cg", topic)) {
            List<MessageView> got = Env.receiveUntil(c, Duration.ofSeconds(30), true, Duration.ofSeconds(60),
                Env.bodies(new HashSet<>(sent)));
            List<String> order = got.stream().map(Env::body).collect(Collectors.toList());
            assertEquals(sent, order, "FIFO order of one message group");
            for (MessageView m : got) {
                assertEquals("order-1", m.getMessageGroup().orElse(""));
            }
        }
    }

    @Test
    void delayDeliversAfterTimestamp() throws Exception {
        String topic = "g_delay";
        long deliverAt = System.currentTimeMillis() + 3000;
        try (Producer p = Env.producer(topic)) {
            p.send(Env.PROVIDER.newMessageBuilder().setTopic(topic).setDeliveryTimestamp(deliverAt).setBody(Env.bytes("delayed")).build());
        }
        try (SimpleConsumer c = Env.simpleConsumer("g_delay_cg", topic)) {
            List<MessageView> got = Env.receiveUntil(c, Duration.ofSeconds(30), true, Duration.ofSeconds(60),
                Env.bodies(Set.of("delayed")));
            assertTrue(Env.bodies(Set.of("delayed")).test(got), "delayed message not received");
            long receivedAt = System.currentTimeMillis();
            // Semantics, not speed: never before the delivery timestamp.
            assertTrue(receivedAt >= deliverAt, "received " + (deliverAt - receivedAt) + " ms early");
            assertEquals(deliverAt, got.get(0).getDeliveryTimestamp().orElse(0L));
        }
    }
}
