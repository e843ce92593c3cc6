package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Random;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.common.message.Message;
import org.apache.rocketmq.common.message.MessageExt;
import org.junit.jupiter.api.Test;

/**
 * Bodies over compressMsgBodyOverHowmuch (4 KiB) are compressed by the client
 * (sysFlag bit 0, 5.x: the compression type in bits 8-10); the broker stores
 * and serves them as they are, and the consumer decompresses them.
 */
class CompressionTest extends ConformanceTest {
    private static byte[] text(int n) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n) {
            sb.append("compress me please ").append(sb.length()).append(' ');
        }
        return utf8(sb.substring(0, n));
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    private void roundTrip(DefaultMQProducer p, String topic, byte[]... bodies) throws Exception {
        for (int i = 0; i < bodies.length; i++) {
            Message m = new Message(topic, "TagZ", "z" + i, bodies[i]);
            m.putUserProperty("i", String.valueOf(i));
            p.send(m);
        }
        List<MessageExt> got = pullAll(topic, bodies.length);
        assertEquals(bodies.length, got.size());
        Collector col = new Collector();
        collect(name("CG"), topic, "*", col);
        await(CONSUME_WAIT, () -> "push consumer gets " + bodies.length + ", has " + col.size(), () -> col.size() >= bodies.length);
        for (List<MessageExt> l : List.of(got, col.msgs())) {
            for (MessageExt m : l) {
                int i = Integer.parseInt(m.getUserProperty("i"));
                assertArrayEquals(bodies[i], m.getBody(), "body " + i + " (" + bodies[i].length + " bytes) after decompression");
                boolean big = bodies[i].length >= 4096; // body.length >= compressMsgBodyOverHowmuch
                boolean text = new String(bodies[i], 0, 18).equals("compress me please");
                if (text) {
                    // the client decompresses (and 5.x clears the flag) on decode, so
                    // the stored record's size is what shows the broker kept the
                    // compressed bytes: text over 4 KiB is stored smaller than its body
                    assertEquals(big, m.getStoreSize() < bodies[i].length,
                            "stored " + m.getStoreSize() + " bytes for a " + bodies[i].length + "-byte text body");
                }
            }
        }
    }

    @Test
    void zlibBodies() throws Exception {
        String topic = topic(2);
        roundTrip(producer(), topic, text(64 * 1024), text(4096), text(4095), random(20_000), text(100), text(3 * 1024 * 1024));
    }

    @Test
    @Client5Only("DefaultMQProducer.setCompressType")
    void lz4AndZstdBodies() throws Exception {
        for (String type : List.of("LZ4", "ZSTD")) {
            String topic = topic(2);
            DefaultMQProducer p = producer(x -> Clients.invoke(x, "setCompressType", Clients.enumConst("org.apache.rocketmq.common.compression.CompressionType", type)));
            roundTrip(p, topic, text(64 * 1024), random(9000), text(50));
        }
    }
}
