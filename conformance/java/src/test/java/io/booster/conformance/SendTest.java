package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendCallback;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.apache.rocketmq.common.message.MessageQueue;
import org.junit.jupiter.api.Test;

/** Producer send modes: sync, async, oneway, to a chosen queue, batch. */
class SendTest extends ConformanceTest {

    @Test
    void syncSend() throws Exception {
        String topic = topic(4);
        DefaultMQProducer p = producer();
        Map<String, SendResult> results = new HashMap<>();
        Map<Integer, Long> lastOffset = new HashMap<>();
        for (int i = 0; i < 20; i++) {
            Message m = new Message(topic, "TagA", "key" + i, utf8("sync " + i));
            m.putUserProperty("idx", String.valueOf(i));
            SendResult r = p.send(m);
            assertEquals(SendStatus.SEND_OK, r.getSendStatus(), r.toString());
            assertNotNull(r.getMsgId());
            assertNotNull(r.getOffsetMsgId());
            assertEquals(topic, r.getMessageQueue().getTopic());
            Long prev = lastOffset.put(r.getMessageQueue().getQueueId(), r.getQueueOffset());
            if (prev != null) {
                assertEquals(prev + 1, r.getQueueOffset(), "queue offsets grow by one per message: " + r);
            }
            results.put("sync " + i, r);
        }
        // the producer's round robin uses every queue
        assertEquals(4, lastOffset.size(), "queues used: " + lastOffset.keySet());

        List<MessageExt> got = pullAll(topic, 20);
        assertEquals(20, got.size());
        for (MessageExt m : got) {
            SendResult r = results.get(body(m));
            assertNotNull(r, "unexpected body " + body(m));
            int i = Integer.parseInt(m.getUserProperty("idx"));
            assertEquals("TagA", m.getTags());
            assertEquals("key" + i, m.getKeys());
            assertEquals(r.getMsgId(), m.getMsgId());
            assertEquals(r.getOffsetMsgId(), ((org.apache.rocketmq.common.message.MessageClientExt) m).getOffsetMsgId());
            assertEquals(r.getMessageQueue().getQueueId(), m.getQueueId());
            assertEquals(r.getQueueOffset(), m.getQueueOffset());
            assertEquals(topic, m.getTopic());
            assertEquals(0, m.getReconsumeTimes());
            // properties every Apache broker adds to a stored message
            // (SendMessageProcessor / AbstractSendMessageProcessor.buildMsgContext);
            // a consumer's trace hook drops records of messages without MSG_REGION
            assertEquals("DefaultCluster", m.getProperty("CLUSTER"), "CLUSTER in " + m.getProperties());
            assertEquals("DefaultRegion", m.getProperty("MSG_REGION"), "MSG_REGION in " + m.getProperties());
            assertEquals("true", m.getProperty("TRACE_ON"), "TRACE_ON in " + m.getProperties());
            assertTrue(m.getStoreTimestamp() >= m.getBornTimestamp() - 1000, "store after born");
        }
    }

    @Test
    void asyncSend() throws Exception {
        String topic = topic(4);
        DefaultMQProducer p = producer();
        int n = 50;
        CountDownLatch done = new CountDownLatch(n);
        Map<String, SendResult> ok = new ConcurrentHashMap<>();
        List<Throwable> errors = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String b = "async " + i;
            p.send(new Message(topic, "TagA", utf8(b)), new SendCallback() {
                @Override
                public void onSuccess(SendResult r) {
                    ok.put(b, r);
                    done.countDown();
                }

                @Override
                public void onException(Throwable e) {
                    synchronized (errors) {
                        errors.add(e);
                    }
                    done.countDown();
                }
            });
        }
        assertTrue(done.await(30, TimeUnit.SECONDS), "callbacks: " + (n - done.getCount()) + " of " + n);
        assertTrue(errors.isEmpty(), "async send errors: " + errors);
        ok.values().forEach(r -> assertEquals(SendStatus.SEND_OK, r.getSendStatus()));
        List<MessageExt> got = pullAll(topic, n);
        assertEquals(ok.keySet(), bodies(got));
        for (MessageExt m : got) {
            assertEquals(ok.get(body(m)).getMsgId(), m.getMsgId());
        }
    }

    @Test
    void onewaySend() throws Exception {
        String topic = topic(4);
        DefaultMQProducer p = producer();
        Set<String> want = new HashSet<>();
        for (int i = 0; i < 30; i++) {
            want.add("oneway " + i);
            p.sendOneway(new Message(topic, utf8("oneway " + i)));
        }
        List<MessageExt> got = pullAll(topic, 30);
        assertEquals(want, bodies(got));
        assertEquals(30, got.size(), "each oneway message stored once");
    }

    @Test
    void sendToChosenQueue() throws Exception {
        String topic = topic(4);
        DefaultMQProducer p = producer();
        MessageQueue mq = new MessageQueue(topic, booster.external ? p.fetchPublishMessageQueues(topic).get(0).getBrokerName() : "broker-a", 2);
        for (int i = 0; i < 5; i++) {
            SendResult r = p.send(new Message(topic, utf8("q2 " + i)), mq);
            assertEquals(2, r.getMessageQueue().getQueueId());
            assertEquals(i, r.getQueueOffset());
        }
        List<MessageExt> got = pullAll(topic, 5);
        assertEquals(5, got.size());
        got.forEach(m -> assertEquals(2, m.getQueueId()));
    }

    @Test
    void autoCreatedTopic() throws Exception {
        // a topic nobody created: the producer falls back to TBW102's route and
        // the broker creates it (autoCreateTopicEnable=true) with 4 queues
        String topic = name("AUTO");
        DefaultMQProducer p = producer();
        SendResult r = p.send(new Message(topic, utf8("auto")));
        assertEquals(SendStatus.SEND_OK, r.getSendStatus());
        awaitRoute(topic, 4);
        assertEquals(Set.of("auto"), bodies(pullAll(topic, 1)));
    }

    @Test
    void batchSend() throws Exception {
        String topic = topic(4);
        DefaultMQProducer p = producer();
        List<Message> batch = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Message m = new Message(topic, "TagB", "bk" + i, utf8("batch " + i));
            m.putUserProperty("idx", String.valueOf(i));
            batch.add(m);
        }
        SendResult r = p.send(batch);
        assertEquals(SendStatus.SEND_OK, r.getSendStatus(), r.toString());
        // one msgId per message, comma separated (not compared with the stored
        // messages' ids: against Apache 5.3 they differ from the UNIQ_KEYs stored)
        String[] ids = r.getMsgId().split(",");
        assertEquals(10, ids.length, r.getMsgId());
        assertEquals(10, java.util.Set.of(ids).size(), "distinct ids");
        String[] offIds = r.getOffsetMsgId().split(",");
        assertEquals(10, offIds.length, r.getOffsetMsgId());

        List<MessageExt> got = pullAll(topic, 10);
        assertEquals(10, got.size());
        got.sort((a, b) -> Long.compare(a.getQueueOffset(), b.getQueueOffset()));
        for (int i = 0; i < 10; i++) {
            MessageExt m = got.get(i);
            // a batch goes to one queue, consecutive offsets, in order
            assertEquals(r.getMessageQueue().getQueueId(), m.getQueueId());
            assertEquals(r.getQueueOffset() + i, m.getQueueOffset());
            assertEquals("batch " + i, body(m));
            assertEquals("TagB", m.getTags());
            assertEquals("bk" + i, m.getKeys());
            assertEquals(String.valueOf(i), m.getUserProperty("idx"));
        }
    }
}
