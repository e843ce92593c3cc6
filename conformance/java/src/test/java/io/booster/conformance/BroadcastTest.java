package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.client.consumer.DefaultMQPushConsumer;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Test;

/** BROADCASTING: every consumer of the group gets every message. */
class BroadcastTest extends ConformanceTest {

    private DefaultMQPushConsumer broadcaster(String group, String topic, Collector col) throws Exception {
        return pushConsumer(group, c -> {
            try {
                c.subscribe(topic, "*");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            // MessageModel moved packages between 4.9 and 5.x; use the getter's type
            var model = c.getMessageModel();
            c.setMessageModel(Enum.valueOf(model.getDeclaringClass(), "BROADCASTING"));
            c.registerMessageListener(col.concurrently());
        });
    }

    @Test
    void everyMemberGetsEveryMessage() throws Exception {
        String topic = topic(4);
        String group = name("CG");
        DefaultMQProducer p = producer();
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            p.send(new Message(topic, utf8("before-" + i)));
            sent.add("before-" + i);
        }
        Collector a = new Collector("a");
        Collector b = new Collector("b");
        Collector c = new Collector("c");
        broadcaster(group, topic, a);
        broadcaster(group, topic, b);
        broadcaster(group, topic, c);
        a.awaitBodies(sent, CONSUME_WAIT);
        b.awaitBodies(sent, CONSUME_WAIT);
        c.awaitBodies(sent, CONSUME_WAIT);
        List<String> more = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            p.send(new Message(topic, utf8("after-" + i)));
            more.add("after-" + i);
        }
        for (Collector x : List.of(a, b, c)) {
            x.awaitBodies(more, CONSUME_WAIT);
        }
        Booster.sleep(500);
        for (Collector x : List.of(a, b, c)) {
            assertEquals(30, x.size(), "each member gets each message once");
        }
    }
}
