package console_test

// The console in a real browser: headless Chromium (Debian's chromium
// package) driven by chromedp against an in-process cluster whose broker
// serves the console on consolePort. Each page is saved as a PNG under
// $BOOSTER_TEST_ARTIFACTS/console-screenshots, else
// console/testdata/screenshots (ignored by git).

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/booster-mq/booster/wire"
)

// chromium returns the browser binary: $BOOSTER_CHROMIUM, else the first
// of Debian's and the usual names on PATH.
func chromium() string {
	if p := os.Getenv("BOOSTER_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// screenshotDir returns (and creates) where the screenshots go.
func screenshotDir(t *testing.T) string {
	dir := filepath.Join("testdata", "screenshots")
	if a := os.Getenv("BOOSTER_TEST_ARTIFACTS"); a != "" {
		dir = filepath.Join(a, "console-screenshots")
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Logf("cannot create %s (%v); screenshots go to a temporary directory", dir, err)
		dir = t.TempDir()
	}
	// Screenshots of an earlier run would mix with this run's.
	old, _ := filepath.Glob(filepath.Join(dir, "[0-9][0-9]-*.png"))
	for _, f := range old {
		_ = os.Remove(f)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return dir
	}
	return abs
}

// browser drives one tab of the console.
type browser struct {
	t    *testing.T
	ctx  context.Context
	dir  string
	shot int
}

// run runs actions with a time limit, failing the test on an error.
func (b *browser) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.screenshot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: %v", what, err)
	}
}

// value runs one action that returns a value, failing the test on an error.
func value[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	if err != nil {
		b.screenshot("failed-" + strings.ReplaceAll(what, " ", "-"))
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// ignore makes an action that returns a value into a step.
func ignore[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}

// poll waits until a JavaScript expression is truthy.
func poll(expr string) chromedp.Action[chromedp.Void] {
	return ignore(chromedp.Poll[bool](expr, chromedp.WithPollingTimeout(15*time.Second)))
}

// css selects the first element matching a CSS selector.
func css(sel string) chromedp.CSS { return chromedp.CSS(sel) }

// page shows a page (#/hash) and waits until it has its data.
func (b *browser) page(hash, ready string) {
	b.t.Helper()
	js := fmt.Sprintf(`delete document.body.dataset.ready; if (location.hash === %q) route(); else location.hash = %q; true`, hash, hash)
	b.run("open "+hash, ignore(chromedp.Evaluate[bool](js)), b.waitReady(ready))
}

// waitReady waits for body[data-ready=ready].
func (b *browser) waitReady(ready string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitReady(css(fmt.Sprintf(`body[data-ready=%q]`, ready)))
}

// text returns the text of the first element matching sel.
func (b *browser) text(sel string) string {
	b.t.Helper()
	return value(b, "read "+sel, chromedp.Text(css(sel)))
}

// count returns how many elements match sel.
func (b *browser) count(sel string) int {
	b.t.Helper()
	return value(b, "count "+sel, chromedp.Evaluate[int](fmt.Sprintf(`document.querySelectorAll(%q).length`, sel)))
}

// contains fails the test unless the text of sel holds every want.
func (b *browser) contains(sel string, want ...string) {
	b.t.Helper()
	got := b.text(sel)
	for _, w := range want {
		if !strings.Contains(got, w) {
			b.t.Errorf("%s does not show %q; it shows:\n%s", sel, w, got)
		}
	}
}

// screenshot saves the whole page as NN-name.png.
func (b *browser) screenshot(name string) {
	b.shot++
	ctx, cancel := context.WithTimeout(b.ctx, 20*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	path := filepath.Join(b.dir, fmt.Sprintf("%02d-%s.png", b.shot, name))
	if err := os.WriteFile(path, png, 0o644); err != nil {
		b.t.Logf("screenshot %s: %v", name, err)
		return
	}
	b.t.Logf("screenshot %s", path)
}

func TestBrowser(t *testing.T) {
	bin := chromium()
	if bin == "" {
		t.Skip("no chromium binary found (apt-get install chromium, or set BOOSTER_CHROMIUM); the console's browser test needs one")
	}
	f := startFixture(t, true)

	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(bin),
		chromedp.NoSandbox, // CI containers run as root
		chromedp.DisableGPU,
		chromedp.WindowSize(1400, 1000),
		chromedp.Flag("disable-dev-shm-usage", true),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	t.Cleanup(cancelAlloc)
	ctx, cancelTab := chromedp.NewContext(actx, chromedp.WithLogf(t.Logf))
	t.Cleanup(cancelTab)
	b := &browser{t: t, ctx: ctx, dir: screenshotDir(t)}
	t.Logf("screenshots in %s", b.dir)

	// Start the browser (on a context without a deadline: the browser lives
	// as long as the context of the first call), then open the console.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", bin, err)
	}
	b.run("open the console", chromedp.Navigate(f.console+"#/cluster"))

	// The cluster, its broker and the live charts.
	b.run("cluster page", b.waitReady("cluster"))
	b.contains("main", "Cluster DefaultCluster", "broker-a", f.c.BrokerAddr, "NameServer: "+f.c.NamesrvAddr)
	equal(t, b.count(`tr.broker[data-broker="broker-a"]`), 1)
	b.run("chart samples", poll(`+document.getElementById("chart-tps").dataset.points >= 6 &&
		+document.getElementById("chart-latency").dataset.points >= 6`))
	// Messages sent now (to a topic of their own) show on the throughput chart.
	call(t, f.conn, request(wire.UpdateAndCreateTopic, "topic", "LiveTopic", "defaultTopic", "TBW102", "readQueueNums", "1",
		"writeQueueNums", "1", "perm", "6", "topicFilterType", "SINGLE_TAG", "topicSysFlag", "0", "order", "false"))
	for i := range 20 {
		f.send(t, "LiveTopic", 0, fmt.Sprintf("live-%d", i), "live")
	}
	b.run("put rate charted", poll(`Object.values(samples.series).some((s) => s.put.slice(1).some(([, v]) => v > 0))`))
	b.run("put total updated", poll(`+document.querySelector('td[data-put="broker-a:0"]').textContent >= 26`))
	b.contains("#legend-tps", "broker-a:0 put", "broker-a:0 get")
	b.contains("#legend-latency", "broker-a:0 admin RTT")
	b.screenshot("cluster")

	// Topics, and one topic's queues and offsets.
	b.page("#/topics", "topics")
	equal(t, b.count(`tr.topic[data-topic="`+fixTopic+`"]`), 1)
	equal(t, b.count(`tr.topic[data-topic="TBW102"]`), 0) // system topics are hidden by default
	b.screenshot("topics")
	b.page("#/topic/"+fixTopic, "topic")
	equal(t, b.count("#topic-queues tr.queue"), fixQueues)
	equal(t, b.text("#topic-messages"), fmt.Sprint(fixSent))
	b.contains("#topic-queues", "broker-a")
	b.contains("#topic-route", "broker-a 4 read / 4 write queues, perm 6")
	b.contains("#topic-groups", fixGroup)
	b.screenshot("topic")

	// Consumer groups with lag and the connected client.
	b.page("#/groups", "groups")
	b.contains(`tr.group[data-group="`+fixGroup+`"]`, fixGroup, "online", "3")
	b.screenshot("groups")
	b.page("#/group/"+fixGroup, "group")
	equal(t, b.text("#group-lag"), "3")
	b.contains("#group-clients", fixClient, "GO")
	b.contains("#group-subs", fixTopic+" : *")
	b.contains("#group-queues", fixClient)
	if n := b.count("#group-queues tr.queue.lag"); n != 2 {
		t.Errorf("%d queues shown with lag, want 2", n)
	}
	b.screenshot("group")

	// Message lookup by id and by key.
	b.page("#/messages", "messages")
	b.run("find by id", chromedp.SetValue(css("#msg-id"), f.ids[1]), chromedp.Click(css("#msg-by-id")),
		b.waitReady("messages-result"))
	equal(t, b.count("section.message"), 1)
	b.contains("section.message", f.uniq[1], f.ids[1], fixTopic, "order-2", "TagA", "hello console 2")
	b.screenshot("message-by-id")
	b.run("find by key", chromedp.SetValue(css("#msg-topic"), fixTopic),
		chromedp.SetValue(css("#msg-key"), "order-4"), chromedp.Click(css("#msg-by-key")),
		b.waitReady("messages-result"))
	equal(t, b.count("section.message"), 1)
	b.contains("section.message", f.uniq[3], "order-4", "hello console 4")
	b.screenshot("message-by-key")

	// Dead-letter queues.
	b.page("#/dlq", "dlq")
	b.contains(`tr.dlq[data-topic="`+fixDLQ+`"]`, fixDLQ, fixGroup, "1")
	b.screenshot("dlq")
	b.run("open a DLQ", ignore(chromedp.Evaluate[bool](`delete document.body.dataset.ready; true`)),
		chromedp.Click(css(`tr.dlq[data-topic="`+fixDLQ+`"] a.browse`)), b.waitReady("topic"))
	equal(t, b.count("#newest-messages tr.newest"), 1)
	b.contains("#newest-messages", f.uniq[0], "hello console 1", "TagA", "order-1")
	b.screenshot("dlq-messages")
	b.run("open a DLQ message", ignore(chromedp.Evaluate[bool](`delete document.body.dataset.ready; true`)),
		chromedp.Click(css("#newest-messages tr.newest a")), b.waitReady("messages-result"))
	b.contains("section.message", f.uniq[0], fixDLQ, "hello console 1")

	// Creating a topic asks first; Cancel sends nothing, Confirm creates it.
	const created = "MadeInBrowser"
	b.page("#/topics", "topics")
	b.run("fill topic form", chromedp.SetValue(css("#topic-name"), created), chromedp.SetValue(css("#topic-read"), "2"),
		chromedp.SetValue(css("#topic-write"), "2"), chromedp.Click(css("#topic-submit")),
		chromedp.WaitVisible(css("#modal-confirm")))
	b.contains("#modal-text", created, "DefaultCluster", "2 read and 2 write queues")
	b.screenshot("topic-confirm")
	b.run("cancel", chromedp.Click(css("#modal-cancel")), chromedp.WaitNotVisible(css("#modal")))
	equal(t, b.text("#topic-result"), "cancelled")
	status := value(b, "topic absent", chromedp.Evaluate[int](`fetch("api/topic?topic=`+created+`").then(r => r.status)`, chromedp.EvalAwaitPromise))
	if status == 200 {
		t.Errorf("%s exists after Cancel", created)
	}
	b.run("confirm", chromedp.Click(css("#topic-submit")), chromedp.WaitVisible(css("#modal-confirm")),
		chromedp.Click(css("#modal-confirm")),
		poll(`document.getElementById("topic-result").textContent.includes("updated")`))
	b.contains("#topic-result", "topic "+created+" updated on "+f.c.BrokerAddr)
	b.screenshot("topic-created")
	deadline := time.Now().Add(15 * time.Second)
	for {
		b.page("#/topics", "topics")
		if b.count(`tr.topic[data-topic="`+created+`"]`) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%s not listed after creation", created)
		}
		time.Sleep(200 * time.Millisecond)
	}
	b.page("#/topic/"+created, "topic")
	equal(t, b.count("#topic-queues tr.queue"), 2)

	// Creating a group asks first too.
	b.page("#/groups", "groups")
	b.run("create group", chromedp.SetValue(css("#group-name"), "MadeInBrowser_G"), chromedp.SetValue(css("#group-retry"), "5"),
		chromedp.Click(css("#group-submit")), chromedp.WaitVisible(css("#modal-confirm")))
	b.contains("#modal-text", "MadeInBrowser_G", "up to 5 retries")
	b.run("confirm group", chromedp.Click(css("#modal-confirm")),
		poll(`document.getElementById("group-result").textContent.includes("updated")`))
	b.page("#/groups", "groups")
	equal(t, b.count(`tr.group[data-group="MadeInBrowser_G"]`), 1)
	b.screenshot("group-created")
}
