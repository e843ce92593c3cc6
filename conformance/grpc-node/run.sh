#!/usr/bin/env bash
# gRPC conformance: the official RocketMQ 5.x Node.js client
# (rocketmq-client-nodejs from npm, pinned by package-lock.json) against
# Booster's gRPC endpoint. Starts bin/booster standalone on free loopback
# ports (gRPC included), creates the topics and groups the scenarios use
# with bin/mqadmin, installs the client with npm ci, runs the scenarios in
# test/ with node's test runner (one line per scenario), stops Booster.
#
# Usage: conformance/grpc-node/run.sh   (make grpc-node-conformance; part of make test)
# Environment: BOOSTER_BINARY, MQADMIN_BINARY (default bin/booster, bin/mqadmin),
# NODE (default node), NPM (default npm), GRPC_NODE_TEST (a --test-name-pattern
# regular expression selecting scenarios).
# Without Node.js 20.14+ and npm it says so and exits 0.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
bin="${BOOSTER_BINARY:-$root/bin/booster}"
mqadmin="${MQADMIN_BINARY:-$root/bin/mqadmin}"
node="${NODE:-node}"
npm="${NPM:-npm}"

if ! command -v "$node" >/dev/null || ! command -v "$npm" >/dev/null; then
  echo "grpc-node-conformance: skipped (needs Node.js 20.14+ and npm)"
  exit 0
fi
# --test-force-exit (Node.js 20.14+): the client leaves a timer behind after
# a push consumer's shutdown, which would keep a test file's process alive.
if ! "$node" --help 2>/dev/null | grep -q -- --test-force-exit; then
  echo "grpc-node-conformance: skipped (needs Node.js 20.14+, found $("$node" --version))"
  exit 0
fi
for b in "$bin" "$mqadmin"; do
  [[ -x "$b" ]] || { echo "grpc-node-conformance: no binary at $b (run make build)" >&2; exit 2; }
done

out="$here/target"
rm -rf "$out"
mkdir -p "$out"
cd "$here"
if ! "$npm" ci --no-audit --no-fund --loglevel=error >"$out/npm.log" 2>&1; then
  cat "$out/npm.log" >&2
  echo "grpc-node-conformance: npm ci failed (logs: conformance/grpc-node/target/npm.log)" >&2
  exit 1
fi

# A free loopback port from 20000-32000 (below the ephemeral range).
port_free() { python3 -c "import socket,sys
for p in sys.argv[1:]:
    s=socket.socket(); s.bind(('127.0.0.1',int(p))); s.close()" "$@" 2>/dev/null; }
free_port() {
  local p
  while :; do
    p=$((20000 + RANDOM % 12000))
    port_free "$p" && { echo "$p"; return; }
  done
}
np=$(free_port); gp=$(free_port)
while :; do # listenPort p needs p-2 (VIP channel) and p+1 (HA) free as well
  bp=$(free_port)
  [[ $bp != "$np" && $bp != "$gp" ]] && (( bp-2 != np && bp-2 != gp && bp+1 != np && bp+1 != gp )) &&
    port_free $((bp - 2)) $((bp + 1)) && break
done

work="$(mktemp -d)"
cat >"$work/broker.conf" <<CONF
brokerClusterName=DefaultCluster
brokerName=broker-grpc-node
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
"$bin" standalone -c "$work/broker.conf" >"$out/booster.log" 2>&1 &
pid=$!
cleanup() { kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

ns="127.0.0.1:$np"
up=""
for _ in $(seq 1 100); do
  "$mqadmin" clusterList -n "$ns" 2>/dev/null | grep -q broker-grpc-node && { up=1; break; }
  sleep 0.1
done
[[ -n $up ]] || { echo "grpc-node-conformance: booster did not start (logs: conformance/grpc-node/target/booster.log)" >&2; exit 1; }
admin() { "$mqadmin" "$@" -n "$ns" >>"$out/mqadmin.log" 2>&1 || { echo "grpc-node-conformance: mqadmin $* failed" >&2; exit 1; }; }
for t in n_normal n_invis n_dlq n_push n_mixed_in n_mixed_out; do admin updateTopic -c DefaultCluster -t "$t" -a +message.type=NORMAL; done
for t in n_fifo n_fifo_dlq; do admin updateTopic -c DefaultCluster -t "$t" -a +message.type=FIFO; done
admin updateTopic -c DefaultCluster -t n_delay -a +message.type=DELAY
for t in n_txn n_txn_check; do admin updateTopic -c DefaultCluster -t "$t" -a +message.type=TRANSACTION; done
admin updateSubGroup -c DefaultCluster -g n_fifo_cg -o true
admin updateSubGroup -c DefaultCluster -g n_dlq_cg -r 1
admin updateSubGroup -c DefaultCluster -g n_fifo_dlq_cg -o true -r 1

args=(--test --test-force-exit --test-reporter=spec --test-concurrency=4 --test-timeout=300000)
[[ -n "${GRPC_NODE_TEST:-}" ]] && args+=(--test-name-pattern="$GRPC_NODE_TEST")
start=$SECONDS
BOOSTER_GRPC="127.0.0.1:$gp" BOOSTER_NAMESRV="$ns" BOOSTER_MQADMIN="$mqadmin" BOOSTER_CLIENT_LOG="$out/client.log" \
  "$node" "${args[@]}" test/*.test.mjs 2>&1 | tee "$out/test.log"
rc=${PIPESTATUS[0]}
echo "grpc-node-conformance: rocketmq-client-nodejs $("$node" -p 'require("rocketmq-client-nodejs/package.json").version') against Booster gRPC (127.0.0.1:$gp): exit $rc in $((SECONDS - start)) s (logs: conformance/grpc-node/target/)"
exit $rc
