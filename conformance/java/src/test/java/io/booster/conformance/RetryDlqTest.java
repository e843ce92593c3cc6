package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/**
 * Consumption failures: CONSUMER_SEND_MSG_BACK puts the message on
 * %RETRY%group with a delay, and after maxReconsumeTimes on %DLQ%group.
 */
class RetryDlqTest extends ConformanceTest {

    static final class Attempt {
        final MessageExt msg;
        final long at;

        Attempt(MessageExt msg, long at) {
            this.msg = msg;
            this.at = at;
        }
    }

    /**
     * A consumer learns %RETRY%group's route at start and rebalances it every
     * 20 s; a group's first heartbeat creates that topic only after the start's
     * route lookup, so against Apache the first retry of a brand-new group
     * waits for the next rebalance (up to 20 s). Create the retry topic first,
     * as a group that already existed would have it.
     */
    private String group() throws Exception {
        String group = name("CG");
        Admin.createTopic("%RETRY%" + group, 1);
        awaitRoute("%RETRY%" + group, 1);
        return group;
    }

    @Test
    void retriedWithChosenDelayLevel() throws Exception {
        String topic = topic(2);
        String group = group();
        DefaultMQProducer p = producer();
        List<Attempt> attempts = new ArrayList<>();
        pushConsumer(group, c -> {
            try {
                c.subscribe(topic, "*");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            c.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                synchronized (attempts) {
                    msgs.forEach(m -> attempts.add(new Attempt(m, System.currentTimeMillis())));
                    if (attempts.size() == 1) {
                        ctx.setDelayLevelWhenNextConsume(1); // 1 s
                        return ConsumeConcurrentlyStatus.RECONSUME_LATER;
                    }
                }
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
        });
        Message m = new Message(topic, "TagR", "kr", utf8("retry me"));
        m.putUserProperty("p", "v");
        SendResult r = p.send(m);
        await(CONSUME_WAIT, () -> "a second delivery, have " + attempts.size(), () -> {
            synchronized (attempts) {
                return attempts.size() >= 2;
            }
        });
        Booster.sleep(1500);
        synchronized (attempts) {
            assertEquals(2, attempts.size(), "one retry, then success");
            Attempt first = attempts.get(0);
            Attempt second = attempts.get(1);
            assertEquals(0, first.msg.getReconsumeTimes());
            assertEquals(1, second.msg.getReconsumeTimes());
            long gap = second.at - first.at;
            assertTrue(gap >= 900 && gap < 10_000, "retry after delay level 1 (1 s): " + gap + " ms");
            // the client restores the original topic from RETRY_TOPIC; the id,
            // body, tags, keys and properties are the original message's
            assertEquals(topic, second.msg.getTopic());
            assertEquals(r.getMsgId(), second.msg.getMsgId());
            assertEquals("retry me", body(second.msg));
            assertEquals("TagR", second.msg.getTags());
            assertEquals("kr", second.msg.getKeys());
            assertEquals("v", second.msg.getUserProperty("p"));
        }
    }

    @Test
    void defaultRetryDelayIsLevelThreePlusReconsumeTimes() throws Exception {
        // delayLevel 0 from the client: the broker uses 3 + reconsumeTimes (10 s first)
        String topic = topic(1);
        DefaultMQProducer p = producer();
        List<Attempt> attempts = new ArrayList<>();
        pushConsumer(group(), c -> {
            try {
                c.subscribe(topic, "*");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            c.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                synchronized (attempts) {
                    msgs.forEach(m -> attempts.add(new Attempt(m, System.currentTimeMillis())));
                    return attempts.size() == 1 ? ConsumeConcurrentlyStatus.RECONSUME_LATER : ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
                }
            });
        });
        p.send(new Message(topic, utf8("slow retry")));
        await(Duration.ofSeconds(40), () -> "the retry, have " + attempts.size(), () -> {
            synchronized (attempts) {
                return attempts.size() >= 2;
            }
        });
        synchronized (attempts) {
            long gap = attempts.get(1).at - attempts.get(0).at;
            assertTrue(gap >= 9_500 && gap < 25_000, "first retry after level 3 (10 s): " + gap + " ms");
        }
    }

    @Test
    void deadLetterAfterMaxReconsumeTimes() throws Exception {
        String topic = topic(2);
        String group = group();
        DefaultMQProducer p = producer();
        List<Attempt> attempts = new ArrayList<>();
        pushConsumer(group, c -> {
            try {
                c.subscribe(topic, "*");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            c.setMaxReconsumeTimes(2);
            c.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                synchronized (attempts) {
                    msgs.forEach(m -> attempts.add(new Attempt(m, System.currentTimeMillis())));
                }
                ctx.setDelayLevelWhenNextConsume(1);
                return ConsumeConcurrentlyStatus.RECONSUME_LATER;
            });
        });
        SendResult r = p.send(new Message(topic, "TagX", "kx", utf8("poison")));
        // deliveries with reconsumeTimes 0, 1, 2; the third failure (reconsumeTimes
        // 2 >= maxReconsumeTimes 2) goes to %DLQ%group
        await(CONSUME_WAIT, () -> "3 deliveries, have " + attempts.size(), () -> {
            synchronized (attempts) {
                return attempts.size() >= 3;
            }
        });
        String dlq = "%DLQ%" + group;
        awaitRoute(dlq, 1);
        List<MessageExt> dead = pullAll(dlq, 1);
        Booster.sleep(2500);
        synchronized (attempts) {
            assertEquals(3, attempts.size(), "no delivery after the dead letter");
            for (int i = 0; i < 3; i++) {
                assertEquals(i, attempts.get(i).msg.getReconsumeTimes());
            }
        }
        assertEquals(1, dead.size(), "one dead letter");
        MessageExt d = dead.get(0);
        assertEquals(dlq, d.getTopic());
        assertEquals("poison", body(d));
        assertEquals(r.getMsgId(), d.getMsgId());
        assertEquals("TagX", d.getTags());
        assertEquals("kx", d.getKeys());
        assertEquals(topic, d.getProperty("RETRY_TOPIC"), "RETRY_TOPIC names the original topic");
        assertEquals(3, d.getReconsumeTimes());
    }
}
