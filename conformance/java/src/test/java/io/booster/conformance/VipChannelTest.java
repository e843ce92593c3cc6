package io.booster.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.rocketmq.client.producer.DefaultMQProducer;
import org.apache.rocketmq.client.producer.SendResult;
import org.apache.rocketmq.client.producer.SendStatus;
import org.apache.rocketmq.common.message.Message;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * With the VIP channel on (the run with -Dconformance.vip=true), producers
 * send to listenPort - 2: prove that connection exists and works.
 */
class VipChannelTest extends ConformanceTest {

    @Test
    void sendsGoToListenPortMinusTwo() throws Exception {
        Assumptions.assumeTrue(Clients.VIP, "n/a: VIP channel off in this run");
        String topic = topic(2);
        DefaultMQProducer p = producer();
        SendResult r = p.send(new Message(topic, utf8("vip")));
        assertEquals(SendStatus.SEND_OK, r.getSendStatus());
        int vip = booster.brokerPort - 2;
        assertTrue(established(vip), "an ESTABLISHED connection to 127.0.0.1:" + vip + " (the VIP channel)");
        assertEquals(List.of("vip"), List.copyOf(bodies(pullAll(topic, 1))));
    }

    /**
     * Whether /proc/net/tcp or tcp6 (Java's dual-stack sockets show IPv4 peers
     * as ::ffff:127.0.0.1 there) holds an established connection to 127.0.0.1:port.
     */
    private static boolean established(int port) throws Exception {
        String suffix = String.format(Locale.ROOT, "0100007F:%04X", port);
        for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            Path path = Path.of(file);
            if (!Files.exists(path)) {
                continue;
            }
            for (String line : Files.readAllLines(path)) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[2].endsWith(suffix) && f[3].equals("01")) {
                    return true;
                }
            }
        }
        return false;
    }
}
