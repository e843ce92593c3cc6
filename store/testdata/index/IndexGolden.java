// IndexGolden writes two small index files with Apache RocketMQ's own
// IndexFile class and prints them as hex, one file per line. See README.md.
import java.nio.file.Files;
import java.nio.file.Paths;
import org.apache.rocketmq.store.index.IndexFile;

public class IndexGolden {
    public static void main(String[] args) throws Exception {
        String dir = args[0];
        long t0 = 1700000000123L;
        IndexFile a = new IndexFile(dir + "/20231114221320123", 8, 6, 0, 0);
        check(a.putKey("TopicA#k1", 100, t0));
        check(a.putKey("TopicA#k2", 250, t0 + 1377));
        check(a.putKey("TopicA#k1", 400, t0 + 3876));
        check(a.putKey("TopicA#\u00e9\uD83D\uDE00", 520, t0 + 5000));
        check(a.putKey("TopicB#k1", 700, t0 + 9000));
        if (a.putKey("TopicA#k4", 800, t0 + 12000)) throw new IllegalStateException("not full");
        a.flush();
        IndexFile b = new IndexFile(dir + "/20231114221332123", 8, 6, a.getEndPhyOffset(), a.getEndTimestamp());
        check(b.putKey("TopicA#k4", 800, t0 + 12000));
        check(b.putKey("TopicA#k1", 900, t0 + 14500));
        b.flush();
        for (String name : new String[] {"20231114221320123", "20231114221332123"}) {
            StringBuilder sb = new StringBuilder();
            for (byte x : Files.readAllBytes(Paths.get(dir, name))) sb.append(String.format("%02x", x));
            System.out.println(sb);
        }
    }

    static void check(boolean ok) {
        if (!ok) throw new IllegalStateException("putKey failed");
    }
}
