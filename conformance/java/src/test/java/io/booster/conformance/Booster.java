package io.booster.conformance;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The server under test: one Booster (standalone NameServer + broker) per
 * JVM, i.e. per Maven run, started on free loopback ports the first time a
 * test asks for it and stopped when the JVM exits.
 *
 * <p>System properties:
 * <ul>
 *   <li>{@code booster.binary}: the booster binary (default: ../../bin/booster
 *       from the Maven project).</li>
 *   <li>{@code conformance.namesrv}: use this NameServer instead of starting
 *       Booster, e.g. a real Apache RocketMQ started by scripts/apache/start.sh,
 *       to prove that a test's expectations are Apache's own. The broker is
 *       then found through the route of TBW102; start Apache with the keys of
 *       {@link #SCENARIO_CONF} so the scenarios see the same configuration.</li>
 * </ul>
 */
public final class Booster {
    /**
     * Broker keys the scenarios need besides the ports and paths. They are
     * Apache RocketMQ's own broker.conf keys, with Apache's meaning.
     */
    public static final Map<String, String> SCENARIO_CONF = new LinkedHashMap<>();
    static {
        SCENARIO_CONF.put("brokerClusterName", "DefaultCluster");
        SCENARIO_CONF.put("brokerName", "broker-a");
        SCENARIO_CONF.put("brokerId", "0");
        SCENARIO_CONF.put("brokerRole", "ASYNC_MASTER");
        SCENARIO_CONF.put("autoCreateTopicEnable", "true");
        SCENARIO_CONF.put("autoCreateSubscriptionGroup", "true");
        // SQL92 filters (Apache's default is false)
        SCENARIO_CONF.put("enablePropertyFilter", "true");
        // transaction check-back: first check after 1 s, then every 1 s
        // (Apache defaults: 6 s and 30 s/60 s), so the scenario runs in seconds
        SCENARIO_CONF.put("transactionTimeOut", "1000");
        SCENARIO_CONF.put("transactionCheckInterval", "1000");
        SCENARIO_CONF.put("mappedFileSizeCommitLog", String.valueOf(64 << 20));
    }

    private static Booster instance;

    public final String namesrvAddr;
    /** ip:listenPort of the broker. */
    public final String brokerAddr;
    public final int brokerPort;
    public final boolean external;
    private final Process process;
    private final Path dir;

    private Booster(String namesrvAddr, String brokerAddr, boolean external, Process process, Path dir) {
        this.namesrvAddr = namesrvAddr;
        this.brokerAddr = brokerAddr;
        this.brokerPort = brokerAddr == null ? -1 : Integer.parseInt(brokerAddr.substring(brokerAddr.lastIndexOf(':') + 1));
        this.external = external;
        this.process = process;
        this.dir = dir;
    }

    public static synchronized Booster get() {
        if (instance == null) {
            instance = start();
        }
        return instance;
    }

    private static Booster start() {
        String ext = System.getProperty("conformance.namesrv", "").trim();
        if (!ext.isEmpty()) {
            return new Booster(ext, Admin.findBrokerAddr(ext), true, null, null);
        }
        String bin = System.getProperty("booster.binary", "").trim();
        if (bin.isEmpty()) {
            bin = Path.of("..", "..", "bin", "booster").toAbsolutePath().normalize().toString();
        }
        if (!new File(bin).canExecute()) {
            throw new IllegalStateException("booster binary " + bin + " not found: run `make build` in the repository root or pass -Dbooster.binary=...");
        }
        try {
            Path work = Path.of(System.getProperty("conformance.workDir", "target"));
            Files.createDirectories(work);
            Path dir = Files.createTempDirectory(work, "booster-");
            int ns = freePort(0);
            int bp = brokerPort(ns);
            String nsAddr = "127.0.0.1:" + ns;
            Map<String, String> conf = new LinkedHashMap<>(SCENARIO_CONF);
            conf.put("brokerIP1", "127.0.0.1");
            conf.put("bindAddress", "127.0.0.1");
            conf.put("listenPort", String.valueOf(bp));
            conf.put("namesrvAddr", nsAddr);
            conf.put("storePathRootDir", dir.resolve("store").toString());
            if (Boolean.getBoolean("conformance.tls")) {
                // clients must come over TLS (-Dtls.enable=true); plaintext is closed
                conf.put("tls.server.mode", "enforcing");
            }
            StringBuilder sb = new StringBuilder();
            conf.forEach((k, v) -> sb.append(k).append('=').append(v).append('\n'));
            Path confFile = dir.resolve("broker.conf");
            Files.writeString(confFile, sb.toString());
            Path log = dir.resolve("booster.log");
            ProcessBuilder pb = new ProcessBuilder(bin, "standalone", "-c", confFile.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            Process p = pb.start();
            Booster b = new Booster(nsAddr, "127.0.0.1:" + bp, false, p, dir);
            Runtime.getRuntime().addShutdownHook(new Thread(b::stop, "booster-stop"));
            b.waitReady(log, ns);
            System.out.println("[conformance] booster started: namesrv " + nsAddr + ", broker 127.0.0.1:" + bp + ", dir " + dir);
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void waitReady(Path log, int nsPort) throws IOException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("booster exited with " + process.exitValue() + ":\n" + Files.readString(log, StandardCharsets.UTF_8));
            }
            String text = Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            if (text.contains("booster standalone ready") && canConnect(nsPort) && canConnect(brokerPort)) {
                sleep(300);
                return;
            }
            sleep(50);
        }
        throw new IllegalStateException("booster not ready after 20 s:\n" + Files.readString(log, StandardCharsets.UTF_8));
    }

    /** The broker's log so far (empty when external). */
    public String log() {
        try {
            return dir == null ? "" : Files.readString(dir.resolve("booster.log"), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    private void stop() {
        if (process != null && process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
            }
        }
    }

    private static boolean canConnect(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A free loopback port, or -1. want != 0 asks for that exact port. */
    private static int freePort(int want) {
        try (ServerSocket s = new ServerSocket()) {
            s.setReuseAddress(false);
            s.bind(new InetSocketAddress("127.0.0.1", want));
            return s.getLocalPort();
        } catch (IOException e) {
            return -1;
        }
    }

    /** A broker listenPort p with p-2 (VIP channel) and p+1 (HA) free too. */
    private static int brokerPort(int nsPort) {
        for (int i = 0; i < 500; i++) {
            int p = 20002 + ThreadLocalRandom.current().nextInt(30000);
            if (p == nsPort || p - 2 == nsPort || p + 1 == nsPort) {
                continue;
            }
            if (freePort(p) == p && freePort(p - 2) == p - 2 && freePort(p + 1) == p + 1) {
                return p;
            }
        }
        throw new IllegalStateException("no free broker port triple");
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
