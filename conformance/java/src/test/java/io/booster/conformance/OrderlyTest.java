package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.rocketmq.client.consumer.listener.ConsumeOrderlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerOrderly;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.MessageQueueSelector;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/** Ordered messages: a queue selector on the producer, an orderly consumer. */
class OrderlyTest extends ConformanceTest {

    static final MessageQueueSelector BY_ORDER = (mqs, msg, arg) -> mqs.get((Integer) arg % mqs.size());

    private static List<String> sendOrders(DefaultMQProducer p, String topic, int orders, int steps) throws Exception {
        List<String> sent = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            for (int o = 0; o < orders; o++) {
                Message m = new Message(topic, "order", "o" + o, utf8("o" + o + ":" + s));
                SendResult r = p.send(m, BY_ORDER, o);
                assertEquals(o % 4, r.getMessageQueue().getQueueId(), "the selector picks the queue");
                sent.add("o" + o + ":" + s);
            }
        }
        return sent;
    }

    @Test
    void perKeyOrderIsKept() throws Exception {
        String topic = topic(4);
        DefaultMQProducer p = producer();
        int orders = 8;
        int steps = 15;
        List<String> sent = sendOrders(p, topic, orders, steps);
        Map<String, List<Integer>> seen = new HashMap<>();
        Map<String, Integer> queueOf = new HashMap<>();
        Collector col = new Collector();
        pushConsumer(name("CG"), c -> {
            try {
                c.subscribe(topic, "*");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            c.setConsumeMessageBatchMaxSize(3);
            c.registerMessageListener((MessageListenerOrderly) (msgs, ctx) -> {
                synchronized (seen) {
                    for (MessageExt m : msgs) {
                        String[] parts = body(m).split(":");
                        seen.computeIfAbsent(parts[0], k -> new ArrayList<>()).add(Integer.parseInt(parts[1]));
                        queueOf.merge(parts[0], m.getQueueId(), (a, b) -> a.equals(b) ? a : -1);
                        col.add(m);
                    }
                }
                return ConsumeOrderlyStatus.SUCCESS;
            });
        });
        col.awaitBodies(sent, CONSUME_WAIT);
        synchronized (seen) {
            for (int o = 0; o < orders; o++) {
                List<Integer> want = new ArrayList<>();
                for (int s = 0; s < steps; s++) {
                    want.add(s);
                }
                assertEquals(want, seen.get("o" + o), "order o" + o + " consumed in send order, once");
                assertEquals(o % 4, queueOf.get("o" + o), "order o" + o + " stays on its queue");
            }
        }
    }

    @Test
    void suspendedQueueIsRetriedInOrder() throws Exception {
        // SUSPEND_CURRENT_QUEUE_A_MOMENT: the client retries the same batch locally
        // (no send-back), later messages of the queue wait
        String topic = topic(4);
        DefaultMQProducer p = producer();
        List<String> sent = sendOrders(p, topic, 1, 5);
        List<String> order = new ArrayList<>();
        pushConsumer(name("CG"), c -> {
            try {
                c.subscribe(topic, "*");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            c.setSuspendCurrentQueueTimeMillis(200);
            c.registerMessageListener((MessageListenerOrderly) (msgs, ctx) -> {
                synchronized (order) {
                    String b = body(msgs.get(0));
                    order.add(b);
                    if (b.equals("o0:2") && order.stream().filter(b::equals).count() < 3) {
                        return ConsumeOrderlyStatus.SUSPEND_CURRENT_QUEUE_A_MOMENT;
                    }
                }
                return ConsumeOrderlyStatus.SUCCESS;
            });
        });
        await(CONSUME_WAIT, () -> "orderly consumption of " + sent + ", got " + order, () -> {
            synchronized (order) {
                return order.contains("o0:4");
            }
        });
        synchronized (order) {
            assertEquals(List.of("o0:0", "o0:1", "o0:2", "o0:2", "o0:2", "o0:3", "o0:4"), order);
        }
    }
}
