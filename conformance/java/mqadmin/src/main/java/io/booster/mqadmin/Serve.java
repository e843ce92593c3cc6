package io.booster.mqadmin;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import org.apache.rocketmq.tools.command.MQAdminStartup;

/**
 * Runs Apache's mqadmin (MQAdminStartup.main0) once per line read from
 * stdin, in this one JVM, so a test pays the JVM and class-loading start
 * once instead of once per command.
 *
 * <p>Protocol: each request is one line, the arguments separated by TAB
 * (the subcommand first, exactly as on the mqadmin command line). Each
 * answer is a line "OUT_LEN ERR_LEN" followed by that many bytes of what
 * the command wrote to System.out, then System.err (UTF-8). An empty line
 * or end of input ends the process. The real stdout carries only answers.
 *
 * <p>A request whose first field is "@lines=N" is for a command that never
 * ends on its own (clusterRT prints a row, sleeps, and repeats): once its
 * System.out holds N lines the runner interrupts it until it returns.
 *
 * <p>Every subcommand starts and shuts down its own admin client, and the
 * client's shutdown joins the remoting client's NettyEventExecutor thread,
 * which only sees the stop flag after its 3 s queue poll times out. While a
 * command is in that shutdown the runner interrupts the (already stopped)
 * executor, which saves those seconds on every command and changes nothing
 * a command prints.
 */
public final class Serve {
    private Serve() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream answers = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        PrintStream idle = new PrintStream(OutputStream.nullOutputStream());
        System.setOut(idle);
        System.setErr(idle);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null && !line.isEmpty(); ) {
            String[] fields = line.split("\t", -1);
            int stopAfterLines = 0;
            if (fields[0].startsWith("@lines=")) {
                stopAfterLines = Integer.parseInt(fields[0].substring("@lines=".length()));
                fields = java.util.Arrays.copyOfRange(fields, 1, fields.length);
            }
            String[] cmd = fields;
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
            PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
            System.setOut(o);
            System.setErr(e);
            Thread worker = new Thread(() -> {
                try {
                    MQAdminStartup.main0(cmd, null);
                } catch (Throwable t) {
                    t.printStackTrace();
                }
            }, "mqadmin-command");
            worker.start();
            while (worker.isAlive()) {
                worker.join(50);
                if (inShutdown(worker)) {
                    interruptEventExecutors();
                } else if (stopAfterLines > 0 && lines(out) >= stopAfterLines) {
                    worker.interrupt();
                }
            }
            o.flush();
            e.flush();
            System.setOut(idle);
            System.setErr(idle);
            byte[] ob = out.toByteArray();
            byte[] eb = err.toByteArray();
            answers.print(ob.length + " " + eb.length + "\n");
            answers.write(ob);
            answers.write(eb);
            answers.flush();
        }
    }

    private static int lines(ByteArrayOutputStream out) {
        int n = 0;
        for (byte b : out.toByteArray()) {
            if (b == '\n') {
                n++;
            }
        }
        return n;
    }

    private static boolean inShutdown(Thread t) {
        for (StackTraceElement f : t.getStackTrace()) {
            if (f.getClassName().equals("org.apache.rocketmq.common.ServiceThread") && f.getMethodName().equals("shutdown")) {
                return true;
            }
        }
        return false;
    }

    private static void interruptEventExecutors() {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("NettyEventExecutor")) {
                t.interrupt();
            }
        }
    }
}
