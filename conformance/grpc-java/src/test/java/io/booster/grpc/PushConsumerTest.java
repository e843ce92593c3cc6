package io.booster.grpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.rocketmq.client.apis.consumer.ConsumeResult;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.FilterExpressionType;
import org.apache.rocketmq.client.apis.consumer.PushConsumer;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.junit.jupiter.api.Test;

/** PushConsumer: delivery, and a failed consumption retried. */
class PushConsumerTest {
    @Test
    void pushDeliversAndRetriesFailure() throws Exception {
        String topic = "g_push";
        Map<String, Integer> attempts = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(6);
        try (PushConsumer pc = Env.PROVIDER.newPushConsumerBuilder().setClientConfiguration(Env.config())
            .setConsumerGroup("g_push_cg")
            .setSubscriptionExpressions(Map.of(topic, new FilterExpression("*", FilterExpressionType.TAG)))
            .setMessageListener(view -> {
                String b = Env.body(view);
                attempts.merge(b, 1, Integer::sum);
                // "retry-me" fails its first attempt.
                if (b.equals("retry-me") && view.getDeliveryAttempt() == 1) {
                    return ConsumeResult.FAILURE;
                }
                done.countDown();
                return ConsumeResult.SUCCESS;
            }).build()) {
            try (Producer p = Env.producer(topic)) {
                for (String b : Set.of("push-1", "push-2", "push-3", "push-4", "push-5", "retry-me")) {
                    p.send(Env.PROVIDER.newMessageBuilder().setTopic(topic).setBody(Env.bytes(b)).build());
                }
            }
            assertTrue(done.await(120, TimeUnit.SECONDS), "consumed " + attempts);
            assertTrue(attempts.get("retry-me") >= 2, "retry-me attempts " + attempts.get("retry-me"));
        }
    }
}
