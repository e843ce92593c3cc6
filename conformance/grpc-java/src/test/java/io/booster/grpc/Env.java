package io.booster.grpc;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.rocketmq.client.apis.ClientConfiguration;
import org.apache.rocketmq.client.apis.ClientServiceProvider;
import org.apache.rocketmq.client.apis.consumer.FilterExpression;
import org.apache.rocketmq.client.apis.consumer.FilterExpressionType;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.TransactionChecker;

/**
 * The Booster under test: run.sh starts bin/booster and passes its gRPC
 * endpoint as -Dbooster.grpc=host:port, having created the topics and groups
 * the scenarios use (see run.sh).
 */
final class Env {
    static final ClientServiceProvider PROVIDER = ClientServiceProvider.loadService();

    private Env() {
    }

    static String endpoint() {
        String ep = System.getProperty("booster.grpc", "");
        if (ep.isEmpty()) {
            throw new IllegalStateException("-Dbooster.grpc is not set: run conformance/grpc-java/run.sh");
        }
        return ep;
    }

    static ClientConfiguration config() {
        return ClientConfiguration.newBuilder().setEndpoints(endpoint()).setRequestTimeout(Duration.ofSeconds(10)).build();
    }

    static Producer producer(String... topics) throws Exception {
        return PROVIDER.newProducerBuilder().setClientConfiguration(config()).setTopics(topics).build();
    }

    static Producer producer(TransactionChecker checker, String... topics) throws Exception {
        return PROVIDER.newProducerBuilder().setClientConfiguration(config()).setTopics(topics)
            .setTransactionChecker(checker).build();
    }

    static SimpleConsumer simpleConsumer(String group, String topic) throws Exception {
        return PROVIDER.newSimpleConsumerBuilder().setClientConfiguration(config()).setConsumerGroup(group)
            .setSubscriptionExpressions(Map.of(topic, new FilterExpression("*", FilterExpressionType.TAG)))
            .setAwaitDuration(Duration.ofSeconds(5)).build();
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static String body(MessageView m) {
        return StandardCharsets.UTF_8.decode(m.getBody()).toString();
    }

    /**
     * Receives with c until want holds for what was received so far, or the
     * bound passes (a failure bound, not a timing expectation). Each message
     * is acked when ack is set.
     */
    static List<MessageView> receiveUntil(SimpleConsumer c, Duration invisible, boolean ack, Duration bound,
        Predicate<List<MessageView>> want) throws Exception {
        List<MessageView> got = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + bound.toNanos();
        while (!want.test(got) && System.nanoTime() < end) {
            for (MessageView m : c.receive(16, invisible)) {
                got.add(m);
                if (ack) {
                    c.ack(m);
                }
            }
        }
        return got;
    }

    static Predicate<List<MessageView>> bodies(Set<String> want) {
        return got -> got.stream().map(Env::body).collect(java.util.stream.Collectors.toSet()).containsAll(want);
    }
}
