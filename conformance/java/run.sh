#!/usr/bin/env bash
# Java client conformance: the official Apache RocketMQ Java client, unchanged,
# against Booster, for every client version x header serialization, plus one
# run over the broker's VIP channel and one over TLS (-Dtls.enable=true against
# a broker in tls.server.mode=enforcing). Each run is one Maven invocation that
# starts its own Booster on free loopback ports (see Booster.java).
#
# Usage: conformance/java/run.sh            (from anywhere; make java-conformance)
#
# Environment (all optional):
#   BOOSTER_BINARY       booster binary (default: <repo>/bin/booster; build it with make build)
#   CONFORMANCE_RUNS     space-separated runs VERSION:SERIALIZATION[:vip|:tls]
#                        (default: "4.9.8:JSON 4.9.8:ROCKETMQ 5.5.0:JSON 5.5.0:ROCKETMQ 5.5.0:JSON:vip 5.5.0:JSON:tls")
#   CONFORMANCE_PENDING  true: also run the scenarios tagged pending
#   CONFORMANCE_TEST     a Surefire -Dtest filter (e.g. SendTest or 'PullTest#lite*')
#   MVN                  maven binary (default: mvn)
#   MAVEN_ARGS           extra maven arguments (e.g. -o)
#
# Prints the matrix scenario x run -> pass/FAIL/pending/n/a and writes it to
# conformance/java/target/matrix.txt; the Maven logs are in target/logs/.
# Exits non-zero when any non-pending scenario failed or a run left no report.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${BOOSTER_BINARY:-$root/bin/booster}"
mvn="${MVN:-mvn}"
runs="${CONFORMANCE_RUNS:-4.9.8:JSON 4.9.8:ROCKETMQ 5.5.0:JSON 5.5.0:ROCKETMQ 5.5.0:JSON:vip 5.5.0:JSON:tls}"
java="java"
if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then java="$JAVA_HOME/bin/java"; fi

if [[ ! -x "$bin" ]]; then
  echo "java-conformance: no booster binary at $bin (run make build)" >&2
  exit 2
fi

cd "$here"
mkdir -p target/logs
rm -rf target/reports
start=$SECONDS
cols=()
status=0
for run in $runs; do
  IFS=: read -r version ser mode <<<"$run"
  vip="" tls=""
  [[ "$mode" == vip ]] && vip=vip
  [[ "$mode" == tls ]] && tls=tls
  label="$version/$ser${vip:+/vip}${tls:+/tls}"
  tag="$version-$ser${vip:+-vip}${tls:+-tls}"
  reports="$here/target/reports/$tag"
  log="$here/target/logs/$tag.log"
  args=(-B -ntp test
        -Drocketmq.client.version="$version"
        -Drocketmq.serialize.type="$ser"
        -Dconformance.vip="$([[ "$vip" == vip ]] && echo true || echo false)"
        -Dconformance.tls="$([[ "$tls" == tls ]] && echo true || echo false)"
        -Dbooster.binary="$bin"
        -Dconformance.reportsDir="$reports"
        -Dsurefire.failIfNoSpecifiedTests=false)
  [[ "$tls" == tls ]] && args+=(-Dconformance.argLine=-Dtls.enable=true)
  [[ "${CONFORMANCE_PENDING:-}" == true ]] && args+=(-Dconformance.pending=true)
  [[ -n "${CONFORMANCE_TEST:-}" ]] && args+=(-Dtest="$CONFORMANCE_TEST")
  t0=$SECONDS
  echo "== java-conformance: rocketmq-client $version, $ser headers${vip:+, VIP channel}${tls:+, TLS} (log: target/logs/$tag.log)"
  # shellcheck disable=SC2086
  "$mvn" "${args[@]}" ${MAVEN_ARGS:-} >"$log" 2>&1
  rc=$?
  grep -E '^\[(INFO|WARNING|ERROR)\] Tests run: [0-9]+, Failures: [0-9]+, Errors: [0-9]+, Skipped: [0-9]+$' "$log" | tail -n 1 | sed 's/^/   /'
  if [[ $rc -ne 0 ]] && ! ls "$reports"/TEST-*.xml >/dev/null 2>&1; then
    echo "   maven failed before any test ran:" >&2
    grep -E '^\[ERROR\]' "$log" | head -n 20 >&2
    status=1
  fi
  echo "   $((SECONDS - t0)) s"
  cols+=("$label=$reports")
done

echo
"$java" "$here/src/matrix/Matrix.java" "$here/target/matrix.txt" "${cols[@]}" || status=1
echo "java-conformance: $((SECONDS - start)) s for ${#cols[@]} runs; matrix in conformance/java/target/matrix.txt"
exit $status
