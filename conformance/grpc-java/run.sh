#!/usr/bin/env bash
# gRPC conformance: the official RocketMQ 5.x Java client (rocketmq-client-java,
# from Maven Central) against Booster's gRPC endpoint. Starts bin/booster
# standalone on free loopback ports (gRPC included), creates the topics and
# groups the scenarios use with bin/mqadmin, runs the JUnit scenarios, stops
# Booster.
#
# Usage: conformance/grpc-java/run.sh   (make grpc-conformance; part of make test)
# Environment: BOOSTER_BINARY, MQADMIN_BINARY (default bin/booster, bin/mqadmin),
# MVN (default mvn), MAVEN_ARGS, GRPC_CONFORMANCE_TEST (a Surefire -Dtest filter).
# Without JDK 17 + Maven it says so and exits 0, as conformance/java does.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${BOOSTER_BINARY:-$root/bin/booster}"
mqadmin="${MQADMIN_BINARY:-$root/bin/mqadmin}"
mvn="${MVN:-mvn}"

if ! command -v java >/dev/null || ! command -v "$mvn" >/dev/null; then
  echo "grpc-conformance: skipped (needs JDK 17 and Maven)"
  exit 0
fi
for b in "$bin" "$mqadmin"; do
  [[ -x "$b" ]] || { echo "grpc-conformance: no binary at $b (run make build)" >&2; exit 2; }
done

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
np=$(free_port); gp=$(free_port)
while :; do # listenPort p needs p-2 (VIP channel) and p+1 (HA) free as well
  bp=$(free_port)
  (( bp > 3 )) && python3 -c "import socket,sys
for p in ($bp-2,$bp+1):
    s=socket.socket(); s.bind(('127.0.0.1',p)); s.close()" 2>/dev/null && break
done

work="$(mktemp -d)"
log="$here/target/booster.log"
mkdir -p "$here/target"
cat >"$work/broker.conf" <<CONF
brokerClusterName=DefaultCluster
brokerName=broker-grpc
brokerIP1=127.0.0.1
bindAddress=127.0.0.1
listenPort=$bp
namesrvAddr=127.0.0.1:$np
grpcServerPort=$gp
consolePort=0
storePathRootDir=$work/store
mappedFileSizeCommitLog=67108864
transactionCheckInterval=1000
transactionTimeOut=3000
CONF
"$bin" standalone -c "$work/broker.conf" >"$log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

ns="127.0.0.1:$np"
for _ in $(seq 1 100); do
  "$mqadmin" clusterList -n "$ns" 2>/dev/null | grep -q broker-grpc && break
  sleep 0.1
done
admin() { "$mqadmin" "$@" -n "$ns" >>"$here/target/mqadmin.log" 2>&1 || { echo "grpc-conformance: mqadmin $* failed" >&2; exit 1; }; }
for t in g_normal g_invis g_dlq g_push; do admin updateTopic -c DefaultCluster -t "$t" -a +message.type=NORMAL; done
admin updateTopic -c DefaultCluster -t g_fifo -a +message.type=FIFO
admin updateTopic -c DefaultCluster -t g_delay -a +message.type=DELAY
for t in g_txn g_txn_check; do admin updateTopic -c DefaultCluster -t "$t" -a +message.type=TRANSACTION; done
admin updateSubGroup -c DefaultCluster -g g_fifo_cg -o true
admin updateSubGroup -c DefaultCluster -g g_dlq_cg -r 1

cd "$here"
args=(-B -ntp test -Dbooster.grpc="127.0.0.1:$gp")
[[ -n "${GRPC_CONFORMANCE_TEST:-}" ]] && args+=(-Dtest="$GRPC_CONFORMANCE_TEST")
start=$SECONDS
# shellcheck disable=SC2086
"$mvn" "${args[@]}" ${MAVEN_ARGS:-} >"$here/target/mvn.log" 2>&1
rc=$?
grep -E "Tests run:|FAIL|ERROR\]" "$here/target/mvn.log" | grep -v "^\[INFO\] *$" | tail -20
echo "grpc-conformance: rocketmq-client-java against Booster gRPC (127.0.0.1:$gp): exit $rc in $((SECONDS - start)) s (logs: conformance/grpc-java/target/)"
exit $rc
