package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/**
 * The 5.x push consumer in pop mode: the group's request mode is set to POP
 * (SET_MESSAGE_REQUEST_MODE, what `mqadmin setConsumeMode -m POP` sends), the
 * consumer leaves balancing to the broker (QUERY_ASSIGNMENT) and consumes with
 * POP_MESSAGE / ACK_MESSAGE / CHANGE_MESSAGE_INVISIBLETIME.
 */
@Client5Only("pop consumption")
class PopTest extends ConformanceTest {

    private DefaultMQPushConsumer popConsumer(String group, String topic, MessageListenerConcurrently l) throws Exception {
        Object pop = Clients.enumConst("org.apache.rocketmq.common.message.MessageRequestMode", "POP");
        Clients.invoke(Admin.get(), "setMessageRequestMode", booster.brokerAddr, topic, group, pop, 8, 5000L);
        return pushConsumer(group, c -> {
            try {
                c.subscribe(topic, "*");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            Clients.invoke(c, "setClientRebalance", false);
            c.registerMessageListener(l);
        });
    }

    @Test
    void popConsumesEverythingOnce() throws Exception {
        String topic = topic(4);
        String group = name("CG");
        DefaultMQProducer p = producer();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            p.send(new Message(topic, utf8("pop-" + i)));
            sent.add("pop-" + i);
        }
        Collector col = new Collector();
        DefaultMQPushConsumer c = popConsumer(group, topic, col.concurrently());
        col.awaitBodies(sent, Duration.ofSeconds(60));
        // acked messages are not popped again, even after the invisible time
        Clients.invoke(c, "setPopInvisibleTime", 5000L);
        Booster.sleep(2000);
        assertEquals(30, col.size(), "each message once: " + col.size());
        for (MessageExt m : col.msgs()) {
            assertEquals(topic, m.getTopic());
            assertTrue(m.getProperty("POP_CK") != null, "popped messages carry POP_CK: " + m.getProperties());
        }
    }

    @Test
    void failedPopIsRedelivered() throws Exception {
        String topic = topic(2);
        String group = name("CG");
        DefaultMQProducer p = producer();
        List<MessageExt> attempts = new ArrayList<>();
        popConsumer(group, topic, (msgs, ctx) -> {
            synchronized (attempts) {
                attempts.addAll(msgs);
                return attempts.size() == 1 ? ConsumeConcurrentlyStatus.RECONSUME_LATER : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            }
        });
        p.send(new Message(topic, utf8("pop-retry")));
        // RECONSUME_LATER in pop mode: CHANGE_MESSAGE_INVISIBLETIME with the pop
        // delay of the first retry (10 s), then the message is popped again
        await(Duration.ofSeconds(60), () -> "redelivery, have " + attempts.size(), () -> {
            synchronized (attempts) {
                return attempts.size() >= 2;
            }
        });
        synchronized (attempts) {
            assertEquals("pop-retry", body(attempts.get(1)));
            assertEquals(1, attempts.get(1).getReconsumeTimes());
        }
    }
}
