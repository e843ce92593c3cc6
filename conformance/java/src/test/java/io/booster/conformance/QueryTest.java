package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.apache.rocketmq.client.QueryResult;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/** Looking messages up: by offset message id, by unique id, by key. */
class QueryTest extends ConformanceTest {

    @Test
    void viewByOffsetMsgId() throws Exception {
        String topic = topic(4);
        DefaultMQProducer p = producer();
        Message m = new Message(topic, "TagV", "kv1 kv2", utf8("view me"));
        m.putUserProperty("color", "green");
        SendResult r = p.send(m);
        // the offset message id encodes the broker's store host and the commit log
        // offset: VIEW_MESSAGE_BY_ID (33) goes straight to that broker
        MessageExt v = p.viewMessage(topic, r.getOffsetMsgId());
        assertEquals("view me", body(v));
        assertEquals(topic, v.getTopic());
        assertEquals("TagV", v.getTags());
        assertEquals("kv1 kv2", v.getKeys());
        assertEquals("green", v.getUserProperty("color"));
        assertEquals(r.getMsgId(), v.getMsgId());
        assertEquals(r.getMessageQueue().getQueueId(), v.getQueueId());
        assertEquals(r.getQueueOffset(), v.getQueueOffset());
        assertEquals(booster.brokerAddr, v.getStoreHost().toString().replaceFirst("^.*/", ""));
    }

    @Test
    void queryByKey() throws Exception {
        String topic = topic(4);
        DefaultMQProducer p = producer();
        long begin = System.currentTimeMillis() - 1000;
        for (int i = 0; i < 3; i++) {
            p.send(new Message(topic, "TagQ", "order-42", utf8("hit " + i)));
        }
        p.send(new Message(topic, "TagQ", "order-43", utf8("miss")));
        // a message with several keys is indexed under each
        p.send(new Message(topic, "TagQ", "other order-42", utf8("hit multi")));
        long end = System.currentTimeMillis() + 1000;
        // the index is built asynchronously after the store (Apache's reput
        // service): poll until every message is there
        Set<String> want = Set.of("hit 0", "hit 1", "hit 2", "hit multi");
        QueryResult[] last = new QueryResult[1];
        await(java.time.Duration.ofSeconds(10), () -> "query by key order-42 to find " + want + ", found "
                + (last[0] == null ? "nothing" : bodies(last[0].getMessageList())), () -> {
                    try {
                        last[0] = p.queryMessage(topic, "order-42", 32, begin, end);
                        return bodies(last[0].getMessageList()).equals(want);
                    } catch (Exception e) {
                        return false;
                    }
                });
        QueryResult qr = last[0];
        for (MessageExt m : qr.getMessageList()) {
            assertEquals(topic, m.getTopic());
            assertTrue(m.getKeys().contains("order-42"));
        }
        // no match: the client throws NO_MESSAGE (208) rather than return an empty list
        org.apache.rocketmq.client.exception.MQClientException e = org.junit.jupiter.api.Assertions.assertThrows(
                org.apache.rocketmq.client.exception.MQClientException.class, () -> p.queryMessage(topic, "order-44", 32, begin, end));
        assertEquals(208, e.getResponseCode(), e.toString());
    }

    @Test
    void queryByUniqueId() throws Exception {
        String topic = topic(4);
        DefaultMQProducer p = producer();
        SendResult r = p.send(new Message(topic, "TagU", "ku", utf8("find me by id")));
        p.send(new Message(topic, "TagU", "ku", utf8("not me")));
        // the unique id (UNIQ_KEY, SendResult.msgId) is looked up through the index
        // with the uniqueKey flag (what viewMessage(topic, msgId) falls back to)
        MessageExt[] found = new MessageExt[1];
        await(java.time.Duration.ofSeconds(10), () -> "query by unique key " + r.getMsgId(), () -> {
            try {
                found[0] = p.getDefaultMQProducerImpl().queryMessageByUniqKey(topic, r.getMsgId());
                return found[0] != null;
            } catch (Exception e) {
                return false;
            }
        });
        MessageExt m = found[0];
        assertEquals("find me by id", body(m));
        assertEquals(r.getMsgId(), m.getMsgId());
        assertEquals(r.getQueueOffset(), m.getQueueOffset());
    }
}
