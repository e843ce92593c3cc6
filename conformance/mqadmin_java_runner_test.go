package conformance

// Apache's own mqadmin (org.apache.rocketmq:rocketmq-tools, main class
// MQAdminStartup) run from Go: one long-lived JVM running
// conformance/java/mqadmin's Serve, which takes one command per line.
//
// BOOSTER_TEST_MQADMIN_JAVA_CP is the classpath (Serve's classes plus
// rocketmq-tools and its dependencies); `make conformance` builds it with
// conformance/java/mqadmin/build.sh. Without it the cross-check skips,
// except under CI=true against the booster binary (make conformance),
// where it fails.

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// javaMQAdmin is a running Serve JVM.
type javaMQAdmin struct {
	t    *testing.T
	cp   string
	home string
	ns   string

	mu  sync.Mutex
	cmd *exec.Cmd
	in  io.WriteCloser
	out *bufio.Reader
}

// javaMQAdminClasspath returns BOOSTER_TEST_MQADMIN_JAVA_CP, or skips the
// test (fails it under CI=true) when it or java is missing.
func javaMQAdminClasspath(t *testing.T) string {
	t.Helper()
	miss := func(format string, a ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, a...)
		// make conformance (BOOSTER_TEST_BINARY) is where it must run; the
		// in-process run of make unit may skip it.
		if os.Getenv("CI") == "true" && os.Getenv("BOOSTER_TEST_BINARY") != "" {
			t.Fatalf("%s (CI=true: the cross-check with Apache's mqadmin must run)", msg)
		}
		t.Skip(msg)
	}
	cp := os.Getenv("BOOSTER_TEST_MQADMIN_JAVA_CP")
	if cp == "" {
		miss("set BOOSTER_TEST_MQADMIN_JAVA_CP to run Apache's mqadmin (make conformance builds it with conformance/java/mqadmin/build.sh, which needs JDK 17 and Maven)")
	}
	if _, err := exec.LookPath(javaBinary()); err != nil {
		miss("Apache's mqadmin needs java: %v", err)
	}
	return cp
}

func javaBinary() string {
	if h := os.Getenv("JAVA_HOME"); h != "" {
		if p := filepath.Join(h, "bin", "java"); fileExists(p) {
			return p
		}
	}
	return "java"
}

func fileExists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// startJavaMQAdmin starts the JVM; it is stopped when the test ends.
func startJavaMQAdmin(t *testing.T, cp, namesrv string) *javaMQAdmin {
	t.Helper()
	j := &javaMQAdmin{t: t, cp: cp, home: t.TempDir(), ns: namesrv}
	j.start()
	t.Cleanup(j.stop)
	return j
}

func (j *javaMQAdmin) start() {
	j.t.Helper()
	cmd := exec.Command(javaBinary(),
		"-Xmx512m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
		"-Duser.home="+j.home, // the client's logs and local offset files
		"-Drocketmq.client.logRoot="+filepath.Join(j.home, "logs"),
		"-Drocketmq.home.dir="+j.home,
		"-cp", j.cp, "io.booster.mqadmin.Serve")
	cmd.Env = append(os.Environ(), "ROCKETMQ_HOME="+j.home, "NAMESRV_ADDR=")
	cmd.Dir = j.home // consumerStatus writes <time>/<clientId> files here
	in, err := cmd.StdinPipe()
	if err != nil {
		j.t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		j.t.Fatal(err)
	}
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		j.t.Fatalf("start Apache's mqadmin: %v", err)
	}
	j.cmd, j.in, j.out = cmd, in, bufio.NewReader(out)
}

func (j *javaMQAdmin) stop() {
	if j.cmd == nil {
		return
	}
	_ = j.in.Close() // end of input: Serve exits
	_ = j.cmd.Wait()
	j.cmd = nil
}

// try runs one mqadmin command (subcommand first; -n is added) and
// returns what it wrote to stdout and stderr. stopAfterLines > 0 ends a
// command that never ends on its own (clusterRT) once its stdout holds
// that many lines. An error means the JVM died (a parse error makes
// Apache's ServerUtil call System.exit); the next call starts a new one.
func (j *javaMQAdmin) try(stopAfterLines int, args ...string) (stdout, stderr string, err error) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.cmd == nil {
		j.start()
	}
	full := append([]string{args[0], "-n", j.ns}, args[1:]...)
	line := strings.Join(full, "\t")
	if stopAfterLines > 0 {
		line = fmt.Sprintf("@lines=%d\t%s", stopAfterLines, line)
	}
	if _, err := io.WriteString(j.in, line+"\n"); err != nil {
		j.stopDead()
		return "", "", fmt.Errorf("write to Apache's mqadmin: %w", err)
	}
	type answer struct {
		out, errOut string
		err         error
	}
	done := make(chan answer, 1)
	go func() {
		out, errOut, err := j.read(args)
		done <- answer{out, errOut, err}
	}()
	select {
	case a := <-done:
		if a.err != nil {
			j.stopDead()
		}
		return a.out, a.errOut, a.err
	case <-time.After(javaCommandLimit):
		// A hung command would otherwise hold the suite until go test's
		// timeout; killing the JVM unblocks the reader.
		_ = j.cmd.Process.Kill()
		<-done
		j.stopDead()
		return "", "", fmt.Errorf("Apache's mqadmin %q still running after %v; killed", strings.Join(args, " "), javaCommandLimit)
	}
}

// javaCommandLimit bounds one command of Apache's mqadmin (each takes
// well under a second; clusterRT stops after its first row).
const javaCommandLimit = 2 * time.Minute

// read reads one answer of the runner.
func (j *javaMQAdmin) read(args []string) (stdout, stderr string, err error) {
	head, err := j.out.ReadString('\n')
	if err != nil {
		return "", "", fmt.Errorf("Apache's mqadmin exited during %q (a bad option makes it call System.exit): %w", strings.Join(args, " "), err)
	}
	var no, ne int
	if _, err := fmt.Sscanf(head, "%d %d", &no, &ne); err != nil {
		return "", "", fmt.Errorf("Apache's mqadmin runner answered %q: %w", head, err)
	}
	buf := make([]byte, no+ne)
	if _, err := io.ReadFull(j.out, buf); err != nil {
		return "", "", fmt.Errorf("read Apache's mqadmin output: %w", err)
	}
	return string(buf[:no]), string(buf[no:]), nil
}

func (j *javaMQAdmin) stopDead() {
	_ = j.in.Close()
	_ = j.cmd.Wait()
	j.cmd = nil
}
