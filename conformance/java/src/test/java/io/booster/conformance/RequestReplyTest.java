package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.consumer.listener.ConsumeConcurrentlyStatus;
import org.apache.rocketmq.client.consumer.listener.MessageListenerConcurrently;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.RequestCallback;
import org.apache.rocketmq.client.utils.MessageUtil;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/**
 * Request-reply: the requester's request() waits for the reply that the
 * responder sends with MessageUtil.createReplyMessage; the broker pushes it
 * to the requester (SEND_REPLY_MESSAGE 324/325, PUSH_REPLY_MESSAGE_TO_CLIENT 326).
 */
class RequestReplyTest extends ConformanceTest {

    private void responder(String topic) throws Exception {
        DefaultMQProducer replier = producer();
        pushConsumer(name("CG"), c -> {
            try {
                c.subscribe(topic, "*");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            c.registerMessageListener((MessageListenerConcurrently) (msgs, ctx) -> {
                for (MessageExt m : msgs) {
                    try {
                        Message reply = MessageUtil.createReplyMessage(m, utf8("re: " + body(m)));
                        replier.send(reply, 5000);
                    } catch (Exception e) {
                        System.err.println("reply failed: " + e);
                        return ConsumeConcurrentlyStatus.RECONSUME_LATER;
                    }
                }
                return ConsumeConcurrentlyStatus.CONSUME_SUCCESS;
            });
        });
    }

    @Test
    void syncRequest() throws Exception {
        String topic = topic(4);
        responder(topic);
        DefaultMQProducer requester = producer();
        for (int i = 0; i < 3; i++) {
            Message req = new Message(topic, "TagReq", utf8("ping " + i));
            Message reply = requester.request(req, 15_000);
            assertNotNull(reply);
            assertEquals("re: ping " + i, new String(reply.getBody()));
        }
    }

    @Test
    void asyncRequest() throws Exception {
        String topic = topic(4);
        responder(topic);
        DefaultMQProducer requester = producer();
        CompletableFuture<Message> f = new CompletableFuture<>();
        requester.request(new Message(topic, utf8("async ping")), new RequestCallback() {
            @Override
            public void onSuccess(Message message) {
                // Apache's client calls onSuccess(null) as soon as the request is
                // sent (DefaultMQProducerImpl.request -> executeRequestCallback), and
                // again with the reply when it arrives: wait for the reply
                if (message != null) {
                    f.complete(message);
                }
            }

            @Override
            public void onException(Throwable e) {
                f.completeExceptionally(e);
            }
        }, 15_000);
        Message reply = f.get(20, TimeUnit.SECONDS);
        assertEquals("re: async ping", new String(reply.getBody()));
        assertTrue(reply.getProperty("CORRELATION_ID") != null, "the reply carries the correlation id");
    }
}
