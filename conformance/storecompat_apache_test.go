package conformance

// Running the real Apache RocketMQ (scripts/apache/start.sh and stop.sh)
// on a store directory of the test's choosing.

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// scSegment is the commit-log segment size both brokers use in the
// store-compatibility tests (Apache's default is 1 GiB).
const scSegment = 64 << 20

// scApacheScripts returns the scripts/apache directory named by
// BOOSTER_APACHE_SCRIPTS, or skips the test when it is unset or the tools
// start.sh needs are missing.
func scApacheScripts(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("BOOSTER_APACHE_SCRIPTS")
	if dir == "" {
		t.Skip("set BOOSTER_APACHE_SCRIPTS to scripts/apache to run Apache RocketMQ (make conformance does)")
	}
	if os.Getenv("BOOSTER_TEST_NAMESRV") != "" {
		t.Skip("starts its own clusters; not against an external one")
	}
	tools := []string{"python3", "setsid"}
	if os.Getenv("JAVA") == "" && os.Getenv("JAVA_HOME") == "" {
		tools = append(tools, "java")
	}
	if os.Getenv("MVN") == "" {
		tools = append(tools, "mvn")
	}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("Apache RocketMQ needs %s: %v", tool, err)
		}
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(abs, "start.sh")); err != nil {
		t.Fatalf("BOOSTER_APACHE_SCRIPTS=%s: %v", dir, err)
	}
	return abs
}

// scApache is an Apache RocketMQ NameServer and broker started by
// scripts/apache/start.sh.
type scApache struct {
	scripts string
	run     string // start.sh's run dir (confs, logs, state)
	NS      string // NameServer address
	Broker  string // broker address
	stopped bool
}

// scApacheVersions are the Apache RocketMQ versions the store tests run
// against: $BOOSTER_APACHE_VERSIONS (space-separated), else 5.3.3 (the
// scripts' default) and 4.9.7 (the 4.x store and config files).
func scApacheVersions() []string {
	if v := strings.Fields(os.Getenv("BOOSTER_APACHE_VERSIONS")); len(v) > 0 {
		return v
	}
	return []string{"5.3.3", "4.9.7"}
}

// scLogback4 is a logback config for a 4.x JVM: 4.x reads
// $ROCKETMQ_HOME/conf/logback_<role>.xml and exits without it (5.x ships
// its own), and start.sh's run dir is ROCKETMQ_HOME.
const scLogback4 = `<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>${user.home}/logs/rocketmqlogs/ROLE.log</file>
    <encoder><pattern>%d{yyyy-MM-dd HH:mm:ss.SSS} %p %t - %m%n</pattern></encoder>
  </appender>
  <root level="INFO"><appender-ref ref="FILE"/></root>
</configuration>
`

// scStartApache starts Apache RocketMQ version with its store in store and
// the given extra broker.conf lines; it is stopped (cleanly) when the test
// ends unless stop was called before.
func scStartApache(t *testing.T, scripts, version, store string, conf ...string) *scApache {
	t.Helper()
	a := &scApache{scripts: scripts, run: filepath.Join(t.TempDir(), "apache-run")}
	env := append(os.Environ(), "BOOSTER_APACHE_RUN_DIR="+a.run, "APACHE_ROCKETMQ_VERSION="+version)
	if strings.HasPrefix(version, "4.") {
		if err := os.MkdirAll(filepath.Join(a.run, "conf"), 0o755); err != nil {
			t.Fatal(err)
		}
		for _, role := range []string{"namesrv", "broker", "tools"} {
			if err := os.WriteFile(filepath.Join(a.run, "conf", "logback_"+role+".xml"),
				[]byte(strings.ReplaceAll(scLogback4, "ROLE", role)), 0o644); err != nil {
				t.Fatal(err)
			}
		}
		// 4.x unmaps files through jdk.internal.ref.Cleaner; on JDK 17 its
		// shutdown hook fails without this, leaving the abort file.
		env = append(env, "JDK_JAVA_OPTIONS=--add-opens=java.base/jdk.internal.ref=ALL-UNNAMED --add-exports=java.base/jdk.internal.ref=ALL-UNNAMED")
	}
	args := append([]string{
		"storePathRootDir=" + store,
		"storePathCommitLog=" + filepath.Join(store, "commitlog"),
		"mappedFileSizeCommitLog=" + strconv.Itoa(scSegment),
	}, conf...)
	start := time.Now()
	t.Cleanup(func() {
		if t.Failed() {
			a.dumpLogs(t)
		}
		a.stop(t)
	})
	var out []byte
	for attempt := 1; ; attempt++ {
		cmd := exec.Command(filepath.Join(scripts, "start.sh"), args...)
		cmd.Env = env
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		var err error
		if out, err = cmd.Output(); err == nil {
			break
		}
		// start.sh checks its ports are free, but the broker's (30002-39991)
		// are in Linux's ephemeral range: an outgoing connection (or a
		// parallel test's listener) can take one before the JVM binds it.
		if attempt < 3 && strings.Contains(stderr.String(), "BindException") {
			t.Logf("scripts/apache/start.sh attempt %d: a port was taken (BindException); retrying", attempt)
			continue
		}
		t.Fatalf("scripts/apache/start.sh: %v\n%s", err, stderr.String())
	}
	sc := bufio.NewScanner(bytes.NewReader(out))
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "=")
		switch k {
		case "NAMESRV":
			a.NS = v
		case "BROKER":
			a.Broker = v
		}
	}
	if a.NS == "" || a.Broker == "" {
		t.Fatalf("start.sh printed no NAMESRV/BROKER:\n%s", out)
	}
	t.Logf("Apache RocketMQ %s up in %v (NameServer %s, broker %s, store %s)",
		version, time.Since(start).Round(time.Millisecond), a.NS, a.Broker, store)
	return a
}

// stop stops the broker and NameServer cleanly (SIGTERM, as a migration
// would) with scripts/apache/stop.sh.
func (a *scApache) stop(t *testing.T) {
	t.Helper()
	if a.stopped {
		return
	}
	a.stopped = true
	if _, err := os.Stat(filepath.Join(a.run, "state")); err != nil {
		return // never started
	}
	start := time.Now()
	out, err := exec.Command(filepath.Join(a.scripts, "stop.sh"), a.run).CombinedOutput()
	if err != nil {
		t.Errorf("scripts/apache/stop.sh: %v\n%s", err, out)
		return
	}
	t.Logf("Apache RocketMQ stopped in %v", time.Since(start).Round(time.Millisecond))
}

// dumpLogs shows the tail of Apache's logs.
func (a *scApache) dumpLogs(t *testing.T) {
	for _, f := range []string{"broker.out", "logs/rocketmqlogs/broker.log", "logs/rocketmqlogs/store.log", "logs/rocketmqlogs/namesrv.log"} {
		b, err := os.ReadFile(filepath.Join(a.run, f))
		if err != nil {
			continue
		}
		lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
		t.Logf("--- tail of Apache's %s:\n%s", f, strings.Join(lines[max(0, len(lines)-40):], "\n"))
	}
}
