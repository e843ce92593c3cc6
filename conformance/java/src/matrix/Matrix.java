// Builds the conformance matrix (scenario x run -> pass/FAIL/pending/n/a) from
// Surefire XML reports. Run as a single-file program (JDK 11+):
//
//   java src/matrix/Matrix.java OUT.txt LABEL=REPORTS_DIR [LABEL=REPORTS_DIR ...]
//
// Prints the matrix, writes it to OUT.txt, and exits 1 when any scenario
// failed or a run left no report (compile error, crashed JVM), else 0.

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

public class Matrix {
    record Result(String status, String detail) {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Matrix OUT.txt LABEL=REPORTS_DIR...");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        List<String> labels = new ArrayList<>();
        Map<String, Map<String, Result>> rows = new TreeMap<>();
        List<String> missing = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String label = args[i].substring(0, args[i].indexOf('='));
            File dir = new File(args[i].substring(args[i].indexOf('=') + 1));
            labels.add(label);
            File[] xmls = dir.listFiles((d, n) -> n.startsWith("TEST-") && n.endsWith(".xml"));
            if (xmls == null || xmls.length == 0) {
                missing.add(label);
                continue;
            }
            for (File x : xmls) {
                var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(x);
                NodeList cases = doc.getElementsByTagName("testcase");
                for (int j = 0; j < cases.getLength(); j++) {
                    Element tc = (Element) cases.item(j);
                    String cls = tc.getAttribute("classname");
                    cls = cls.substring(cls.lastIndexOf('.') + 1).replaceFirst("Test$", "");
                    String row = cls + "." + tc.getAttribute("name");
                    rows.computeIfAbsent(row, k -> new LinkedHashMap<>()).put(label, classify(tc));
                }
            }
        }

        int w = "scenario".length();
        for (String r : rows.keySet()) {
            w = Math.max(w, r.length());
        }
        List<Integer> cw = new ArrayList<>();
        for (String l : labels) {
            cw.add(Math.max(l.length(), 7));
        }
        StringBuilder sb = new StringBuilder();
        sb.append(pad("scenario", w));
        for (int i = 0; i < labels.size(); i++) {
            sb.append("  ").append(pad(labels.get(i), cw.get(i)));
        }
        sb.append('\n').append("-".repeat(sb.length() - 1)).append('\n');
        int pass = 0, fail = 0, pending = 0, na = 0;
        List<String> failures = new ArrayList<>();
        Map<String, String> pendingWhy = new TreeMap<>();
        for (var e : rows.entrySet()) {
            sb.append(pad(e.getKey(), w));
            for (int i = 0; i < labels.size(); i++) {
                String l = labels.get(i);
                Result r = e.getValue().get(l);
                String s = r == null ? (missing.contains(l) ? "NO-REPORT" : "-") : r.status;
                sb.append("  ").append(pad(s, cw.get(i)));
                if (r == null) {
                    continue;
                }
                switch (r.status) {
                    case "pass" -> pass++;
                    case "FAIL" -> {
                        fail++;
                        failures.add(e.getKey() + " [" + l + "]: " + r.detail);
                    }
                    case "pending" -> {
                        pending++;
                        pendingWhy.put(e.getKey(), r.detail);
                    }
                    default -> na++;
                }
            }
            sb.append('\n');
        }
        sb.append('\n');
        sb.append("pass = passed; FAIL = failed (a Booster bug unless the test says otherwise);\n");
        sb.append("pending = the Booster feature is not implemented yet (not run; -Dgroups=pending runs it);\n");
        sb.append("n/a = the scenario does not apply to this client version or run.\n");
        for (String l : missing) {
            sb.append("\nrun ").append(l).append(" left no Surefire report (build error or crashed JVM: see its log)\n");
        }
        if (!pendingWhy.isEmpty()) {
            sb.append("\npending scenarios and the missing feature:\n");
            pendingWhy.forEach((k, v) -> sb.append("  ").append(k).append(": ").append(v.replaceFirst("^pending: ", "")).append('\n'));
        }
        if (!failures.isEmpty()) {
            sb.append("\nfailures:\n");
            failures.forEach(f -> sb.append("  ").append(f).append('\n'));
        }
        sb.append('\n').append(String.format("%d passed, %d failed, %d skipped", pass, fail, pending + na)).append('\n');
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, sb.toString(), StandardCharsets.UTF_8);
        System.out.print(sb);
        System.exit(fail > 0 || !missing.isEmpty() ? 1 : 0);
    }

    static Result classify(Element tc) {
        for (String bad : new String[] {"failure", "error"}) {
            NodeList n = tc.getElementsByTagName(bad);
            if (n.getLength() > 0) {
                Element f = (Element) n.item(0);
                String msg = f.getAttribute("message");
                if (msg.isEmpty()) {
                    msg = f.getAttribute("type");
                }
                return new Result("FAIL", firstLine(msg));
            }
        }
        NodeList sk = tc.getElementsByTagName("skipped");
        if (sk.getLength() > 0) {
            String msg = ((Element) sk.item(0)).getAttribute("message");
            if (msg.startsWith("pending")) {
                return new Result("pending", msg);
            }
            return new Result("n/a", msg);
        }
        return new Result("pass", "");
    }

    static String firstLine(String s) {
        int i = s.indexOf('\n');
        s = i < 0 ? s : s.substring(0, i);
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
