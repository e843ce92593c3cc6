package io.booster.grpc;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.rocketmq.client.apis.consumer.SimpleConsumer;
import org.apache.rocketmq.client.apis.message.MessageView;
import org.apache.rocketmq.client.apis.producer.Producer;
import org.apache.rocketmq.client.apis.producer.Transaction;
import org.apache.rocketmq.client.apis.producer.TransactionResolution;
import org.junit.jupiter.api.Test;

/** Transactional messages: commit, rollback, and the broker's check-back. */
class TransactionTest {
    private static void send(Producer p, String topic, String body, boolean commit) throws Exception {
        Transaction tx = p.beginTransaction();
        p.send(Env.PROVIDER.newMessageBuilder().setTopic(topic).setBody(Env.bytes(body)).build(), tx);
        if (commit) {
            tx.commit();
        } else {
            tx.rollback();
        }
    }

    @Test
    void commitIsDeliveredRollbackIsNot() throws Exception {
        String topic = "g_txn";
        try (Producer p = Env.producer(view -> TransactionResolution.ROLLBACK, topic)) {
            send(p, topic, "rolled-back", false);
            send(p, topic, "committed", true);
        }
        try (SimpleConsumer c = Env.simpleConsumer("g_txn_cg", topic)) {
            List<MessageView> got = Env.receiveUntil(c, Duration.ofSeconds(30), true, Duration.ofSeconds(60),
                Env.bodies(Set.of("committed")));
            assertTrue(Env.bodies(Set.of("committed")).test(got), "committed message not received");
            // Drain what else there is: the rolled-back message never shows.
            got.addAll(Env.receiveUntil(c, Duration.ofSeconds(30), true, Duration.ofSeconds(6), l -> false));
            assertTrue(got.stream().noneMatch(m -> Env.body(m).equals("rolled-back")), "rolled-back message delivered");
        }
    }

    @Test
    void checkBackCommitsAnOrphan() throws Exception {
        String topic = "g_txn_check";
        AtomicInteger checks = new AtomicInteger();
        try (Producer p = Env.producer(view -> {
            checks.incrementAndGet();
            return Env.body(view).equals("orphan") ? TransactionResolution.COMMIT : TransactionResolution.ROLLBACK;
        }, topic)) {
            Transaction tx = p.beginTransaction();
            p.send(Env.PROVIDER.newMessageBuilder().setTopic(topic).setBody(Env.bytes("orphan")).build(), tx);
            // Neither commit nor rollback: the broker asks the producer.
            try (SimpleConsumer c = Env.simpleConsumer("g_txn_check_cg", topic)) {
                List<MessageView> got = Env.receiveUntil(c, Duration.ofSeconds(30), true, Duration.ofSeconds(90),
                    Env.bodies(Set.of("orphan")));
                assertTrue(Env.bodies(Set.of("orphan")).test(got), "orphan not committed by the check-back");
                assertTrue(checks.get() >= 1, "the checker was never called");
                // At least once: a check-back answered while the next check pass
                // runs may commit a second copy (Apache's broker behaves alike).
            }
        }
    }
}
