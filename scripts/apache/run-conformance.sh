#!/usr/bin/env bash
# Run the conformance suite (./conformance, the official Go client) against a
# real Apache RocketMQ NameServer and broker instead of Booster, to prove the
# suite's expectations are Apache's own.
#
# Usage: scripts/apache/run-conformance.sh [go test flags...]
#   e.g.  scripts/apache/run-conformance.sh -run 'TestSendBatch|TestTagFilter'
#
# Environment (all optional, besides those of start.sh):
#   BOOSTER_APACHE_BROKER_CONF  space-separated KEY=VALUE broker.conf extras
#                               (default "enablePropertyFilter=true": per-test
#                               testcluster.WithConf options do not reach an
#                               external broker, and SQL92 subscriptions need
#                               it; set it to "" for Apache's plain defaults)
#   BOOSTER_APACHE_OUT          where the go test log and, on failure, the
#                               Apache logs are kept (default: a new temp dir)
#   BOOSTER_APACHE_TIMEOUT      go test -timeout (default 900s)
#
# If ./conformance does not compile (tests being added concurrently), the
# suite falls back to goclient_test.go + helpers_test.go + doc.go alone, in
# a copy of the repository (git archive HEAD, with the working tree's copies
# of those three files) under the output dir.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
say() { printf '[apache] %s\n' "$*" >&2; }

out="${BOOSTER_APACHE_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/booster-apache-conformance.XXXXXX")}"
mkdir -p "$out"
timeout="${BOOSTER_APACHE_TIMEOUT:-900s}"
goclient_tests='TestSendSyncAsyncOneway|TestPushConsumerReceivesEverything|TestTagFilter|TestTwoConsumersSplitQueues|TestPullConsumerByOffset|TestConsumerResumesFromCommittedOffset|TestBrokerRestartKeepsMessagesAndOffsets|TestSendBatch'

# ---------------------------------------------------------------- where to run
workdir="$repo"
extra_run=()
if ! (cd "$repo" && go test -count=1 -c -o /dev/null ./conformance/) >"$out/compile.log" 2>&1; then
  say "./conformance does not compile in the working tree:"
  sed 's/^/[apache]   /' "$out/compile.log" >&2
  say "falling back to goclient_test.go, helpers_test.go and doc.go in a copy of HEAD"
  workdir="$out/src"
  rm -rf "$workdir"; mkdir -p "$workdir"
  git -C "$repo" archive HEAD | tar -x -C "$workdir"
  rm -f "$workdir"/conformance/*.go
  for f in goclient_test.go helpers_test.go doc.go; do
    cp "$repo/conformance/$f" "$workdir/conformance/$f"
  done
  if ! (cd "$workdir" && go test -count=1 -c -o /dev/null ./conformance/) >"$out/compile2.log" 2>&1; then
    say "the working tree's three files do not compile against HEAD; using HEAD's own"
    sed 's/^/[apache]   /' "$out/compile2.log" >&2
    rm -f "$workdir"/conformance/*.go
    git -C "$repo" archive HEAD conformance/goclient_test.go conformance/helpers_test.go conformance/doc.go |
      tar -x -C "$workdir"
    if ! (cd "$workdir" && go test -count=1 -c -o /dev/null ./conformance/) >"$out/compile3.log" 2>&1; then
      sed 's/^/[apache]   /' "$out/compile3.log" >&2
      say "error: even HEAD's conformance package does not compile"
      exit 2
    fi
  fi
  extra_run=(-run "$goclient_tests")
fi

# ---------------------------------------------------------------- cluster
# shellcheck disable=SC2086
state="$("$here/start.sh" ${BOOSTER_APACHE_BROKER_CONF-enablePropertyFilter=true})" || { say "error: start.sh failed"; exit 2; }
eval "$state"
say "Apache RocketMQ at NAMESRV=$NAMESRV (broker $BROKER, pids $NAMESRV_PID/$BROKER_PID)"

test_rc=1
cleanup() {
  if [[ $test_rc -ne 0 && -d "$RUN_DIR" ]]; then
    # keep Apache's logs for the diagnosis
    mkdir -p "$out/apache"
    cp -r "$RUN_DIR/logs" "$RUN_DIR/conf" "$RUN_DIR"/*.out "$out/apache/" 2>/dev/null
    say "Apache logs copied to $out/apache"
  fi
  "$here/stop.sh" "$RUN_DIR"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- tests
say "go test in $workdir (log: $out/go-test.log)"
t0=$SECONDS
(cd "$workdir" && BOOSTER_TEST_NAMESRV="$NAMESRV" \
  go test -count=1 -v -timeout "$timeout" "${extra_run[@]}" "$@" ./conformance/) 2>&1 | tee "$out/go-test.log"
test_rc=${PIPESTATUS[0]}
say "go test exited $test_rc after $((SECONDS - t0)) s"

# ---------------------------------------------------------------- summary
echo
echo "=== per-test results against Apache RocketMQ ($NAMESRV) ==="
grep -E '^[[:space:]]*--- (PASS|FAIL|SKIP):' "$out/go-test.log" | sed 's/^[[:space:]]*//' | sort -k3
pass=$(grep -cE '^[[:space:]]*--- PASS:' "$out/go-test.log")
fail=$(grep -cE '^[[:space:]]*--- FAIL:' "$out/go-test.log")
skip=$(grep -cE '^[[:space:]]*--- SKIP:' "$out/go-test.log")
echo "apache: $pass passed, $fail failed, $skip skipped"
echo "log: $out/go-test.log"
exit "$test_rc"
