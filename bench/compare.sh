#!/usr/bin/env bash
# Booster and Apache RocketMQ side by side (`make compare`).
#
# Starts Apache RocketMQ's NameServer and broker (scripts/apache/start.sh,
# jars from Maven Central), runs the workloads below through `booster
# bench`, stops it, then does the same with Booster's NameServer and broker
# (two processes, as with Apache), first with flushDiskType=ASYNC_FLUSH,
# then with SYNC_FLUSH. Each broker gets a fresh store per flush mode and
# the same broker.conf keys and queue counts. Prints one table with both
# brokers and the ratio Booster/Apache, and leaves the JSON results, the
# table and the logs in $COMPARE_OUT.
#
# Workloads (result file <broker>-<name>.json, see bench/table.go):
#   startup    broker process start -> first acknowledged send (auto-created topic)
#   rss-idle   broker VmRSS a few seconds after that first send
#   p1k p4k    64 sync senders, 1 KiB / 4 KiB bodies, COMPARE_QUEUES queues
#   async1k    async sends of 1 KiB, 1024 outstanding
#   e2e        async producer paced at COMPARE_RATE msg/s + consumer in one process
#   backlog    COMPARE_BACKLOG messages of 1 KiB sent first, then consumed from the first offset
#   q10k       64 sync senders, 1 KiB, one topic with COMPARE_BIG_QUEUES queues
#   sync-p1k   p1k again on a SYNC_FLUSH broker
# The broker's VmRSS is sampled every second during the ASYNC_FLUSH
# workloads; the table shows the peak.
#
# Environment (all optional):
#   COMPARE_DURATION     length of each timed workload (default 20s)
#   COMPARE_WARMUP       first part of each workload left out of the summary (default 3s)
#   COMPARE_BACKLOG      messages in the consume backlog (default 1000000; the issue's figure is 5000000)
#   COMPARE_RATE         end-to-end workload rate in msg/s (default 10000)
#   COMPARE_QUEUES       queues of the ordinary topics (default 8)
#   COMPARE_BIG_QUEUES   queues of the many-queue topic (default 10000)
#   COMPARE_APACHE_HEAP  Apache broker heap and direct memory (default 2g)
#   COMPARE_BROKERS      which brokers to run (default "apache booster")
#   COMPARE_QUIET        before each workload, wait up to this many seconds for the machine's
#                        CPUs to be at least 80 % idle over a second (default 0: do not wait)
#   COMPARE_OUT          result directory (default a new /tmp/booster-compare.XXXXXX)
#   BOOSTER              booster binary (default bin/booster; `make compare` builds it)
#   plus scripts/apache/start.sh's knobs (APACHE_ROCKETMQ_VERSION, JAVA, MVN, ...)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
booster="${BOOSTER:-$root/bin/booster}"
dur="${COMPARE_DURATION:-20s}"
warmup="${COMPARE_WARMUP:-3s}"
backlog="${COMPARE_BACKLOG:-1000000}"
rate="${COMPARE_RATE:-10000}"
nq="${COMPARE_QUEUES:-8}"
bigq="${COMPARE_BIG_QUEUES:-10000}"
heap="${COMPARE_APACHE_HEAP:-2g}"
brokers="${COMPARE_BROKERS:-apache booster}"
quiet="${COMPARE_QUIET:-0}"
out="${COMPARE_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/booster-compare.XXXXXX")}"
mkdir -p "$out"

say() { printf '[compare] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
[[ -x "$booster" ]] || die "$booster is not built (run make build)"

# ---------------------------------------------------------------- Apache's heap
# start.sh gives the broker -Xms1g -Xmx1g; a JAVA wrapper appends the
# heap of this comparison right before BrokerStartup (the JVM takes the
# last -Xms/-Xmx), and execs java so the PID stays the JVM's.
if [[ -n "${JAVA:-}" ]]; then real_java="$JAVA"
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then real_java="$JAVA_HOME/bin/java"
else real_java="$(command -v java || true)"; fi
java_wrapper="$out/java"
cat >"$java_wrapper" <<EOF
#!/usr/bin/env bash
args=()
for a in "\$@"; do
  [[ "\$a" == org.apache.rocketmq.broker.BrokerStartup ]] && args+=(-Xms$heap -Xmx$heap -XX:MaxDirectMemorySize=$heap)
  args+=("\$a")
done
exec "$real_java" "\${args[@]}"
EOF
chmod +x "$java_wrapper"

# ---------------------------------------------------------------- ports
port_free() { # nothing listens on PORT and it can be bound on loopback and the wildcard
  python3 - "$1" <<'PY' 2>/dev/null
import socket, sys
p = int(sys.argv[1])
for host in ("127.0.0.1", "0.0.0.0"):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind((host, p))
    except OSError:
        sys.exit(1)
    finally:
        s.close()
PY
}
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# ---------------------------------------------------------------- brokers
# start_<kind> FLUSH sets NS (NameServer address) and BPID (broker pid)
# and, for ASYNC_FLUSH, writes <kind>-startup.json.
NS="" BPID="" NSPID="" RUN=""

start_apache() {
  local flush=$1 startup=$2
  RUN="$out/apache-$flush"
  rm -rf "$RUN"; mkdir -p "$RUN"
  say "apache: starting ($flush, heap $heap)"
  BOOSTER_APACHE_RUN_DIR="$RUN" JAVA="$java_wrapper" "$root/scripts/apache/start.sh" \
    "flushDiskType=$flush" >"$RUN/start.out" 2>"$RUN/start.err" &
  local sp=$! i
  for i in $(seq 1 3000); do
    grep -q '^BROKER_PID=[0-9]' "$RUN/state" 2>/dev/null && break
    kill -0 "$sp" 2>/dev/null || { cat "$RUN/start.err" >&2; die "apache: start.sh failed"; }
    sleep 0.05
  done
  NS="$(sed -n 's/^NAMESRV=//p' "$RUN/state")"
  BPID="$(sed -n 's/^BROKER_PID=//p' "$RUN/state")"
  if [[ -n "$startup" ]]; then
    "$booster" bench startup -n "$NS" --since-pid "$BPID" --json >"$out/apache-startup.json" ||
      say "apache: startup measurement failed"
  fi
  if ! wait "$sp"; then cat "$RUN/start.err" >&2; die "apache: start.sh failed"; fi
  say "apache: NameServer $NS, broker pid $BPID"
}

stop_apache() {
  say "apache: stopping"
  "$root/scripts/apache/stop.sh" "$RUN" >>"$RUN/stop.err" 2>&1 || say "apache: stop.sh reported a problem (see $RUN/stop.err)"
  rm -rf "$RUN/store"
  NS="" BPID=""
}

start_booster() {
  local flush=$1 startup=$2 nsport bport i
  RUN="$out/booster-$flush"
  rm -rf "$RUN"; mkdir -p "$RUN/store"
  for i in $(seq 1 200); do
    nsport=$((20000 + RANDOM % 10000))
    port_free "$nsport" && break
  done
  for i in $(seq 1 200); do
    bport=$((30002 + RANDOM % 9990))
    if ((bport - 2 != nsport && bport + 1 != nsport && bport != nsport)) &&
       port_free "$bport" && port_free $((bport - 2)) && port_free $((bport + 1)); then break; fi
  done
  NS="127.0.0.1:$nsport"
  cat >"$RUN/namesrv.conf" <<EOF
listenPort=$nsport
bindAddress=127.0.0.1
kvConfigPath=$RUN/namesrv/kvConfig.json
EOF
  cat >"$RUN/broker.conf" <<EOF
brokerClusterName=DefaultCluster
brokerName=broker-a
brokerId=0
brokerRole=ASYNC_MASTER
brokerIP1=127.0.0.1
bindAddress=127.0.0.1
listenPort=$bport
namesrvAddr=$NS
storePathRootDir=$RUN/store
storePathCommitLog=$RUN/store/commitlog
autoCreateTopicEnable=true
autoCreateSubscriptionGroup=true
flushDiskType=$flush
# Apache's BrokerStartup serves no gRPC (that is its separate proxy): neither does this broker
grpcServerPort=0
EOF
  say "booster: starting ($flush)"
  "$booster" namesrv -c "$RUN/namesrv.conf" >"$RUN/namesrv.log" 2>&1 &
  NSPID=$!
  for i in $(seq 1 500); do listening "$nsport" && break; sleep 0.01; done
  listening "$nsport" || die "booster: the NameServer did not listen on $nsport"
  "$booster" broker -c "$RUN/broker.conf" >"$RUN/broker.log" 2>&1 &
  BPID=$!
  if [[ -n "$startup" ]]; then
    "$booster" bench startup -n "$NS" --since-pid "$BPID" --json >"$out/booster-startup.json" ||
      say "booster: startup measurement failed"
  else
    "$booster" bench startup -n "$NS" --json >/dev/null
  fi
  say "booster: NameServer $NS, broker pid $BPID"
}

stop_booster() {
  say "booster: stopping"
  local p
  for p in "$BPID" "$NSPID"; do
    [[ -n "$p" ]] && kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
  done
  rm -rf "$RUN/store"
  NS="" BPID="" NSPID=""
}

cleanup() {
  if [[ -n "$BPID" ]]; then
    case "$RUN" in
      */apache-*) "$root/scripts/apache/stop.sh" "$RUN" >/dev/null 2>&1 || true ;;
      */booster-*) kill -TERM "$BPID" "$NSPID" 2>/dev/null || true ;;
    esac
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---------------------------------------------------------------- workloads
idle_pct() { # percentage of CPU time idle over the next second, from /proc/stat
  local a b
  a=($(head -n1 /proc/stat)); sleep 1; b=($(head -n1 /proc/stat))
  local ta=0 tb=0 i
  for i in 1 2 3 4 5 6 7 8; do ta=$((ta + a[i])); tb=$((tb + b[i])); done
  local idle=$(( (b[4] + b[5]) - (a[4] + a[5]) )) total=$((tb - ta))
  ((total > 0)) && echo $((100 * idle / total)) || echo 100
}

wait_quiet() { # wait up to $quiet seconds for a mostly idle machine
  ((quiet > 0)) || return 0
  local deadline=$((SECONDS + quiet)) pct
  while pct="$(idle_pct)" && ((pct < 80)); do
    if ((SECONDS >= deadline)); then say "machine still busy ($pct % idle); going on"; return 0; fi
  done
}

bench() { # bench KIND BROKER NAME ARGS...: one run, JSON summary to <broker>-<name>.json
  local kind=$1 b=$2 name=$3; shift 3
  wait_quiet
  say "$b: $name"
  if ! "$booster" bench "$kind" -n "$NS" --json --quiet "$@" >"$out/$b-$name.json" 2>"$out/$b-$name.err"; then
    say "$b: $name failed: $(tail -n 3 "$out/$b-$name.err")"
    rm -f "$out/$b-$name.json"
    return 0
  fi
  # the machine's 1-minute load average after each workload, to show how
  # quiet the machine was (client and broker share it with anything else)
  cut -d' ' -f1 /proc/loadavg >>"$out/$b-load.txt"
  python3 - "$out/$b-$name.json" <<'PY' >&2 || true
import json, sys
s = json.load(open(sys.argv[1]))
l = s["latency"]
print("[compare]   %d msgs, %.0f msg/s, p99 %.2f ms, errors %d" % (s["messages"], s["tps"], l["p99_ms"], s["errors"]))
PY
}

async_workloads() {
  local b=$1 watch=(--watch-pid "$BPID")
  sleep 3
  local kib
  kib="$(awk '/^VmRSS:/ {print $2}' "/proc/$BPID/status")"
  echo "{\"rss_kib\": $kib}" >"$out/$b-rss-idle.json"
  say "$b: idle RSS $((kib / 1024)) MiB"
  bench producer "$b" p1k -t BenchP1K --queues "$nq" -w 64 -s 1024 -d "$dur" --warmup "$warmup" "${watch[@]}"
  bench producer "$b" p4k -t BenchP4K --queues "$nq" -w 64 -s 4096 -d "$dur" --warmup "$warmup" "${watch[@]}"
  bench producer "$b" async1k -t BenchAsync --queues "$nq" --mode async --inflight 1024 -s 1024 -d "$dur" --warmup "$warmup" "${watch[@]}"
  bench e2e "$b" e2e -t BenchE2E --queues "$nq" --mode async --inflight 1024 -s 1024 --rate "$rate" -d "$dur" --warmup "$warmup" "${watch[@]}"
  bench producer "$b" backlog-fill -t BenchBacklog --queues "$nq" --mode async --inflight 1024 -s 1024 -q "$backlog" "${watch[@]}"
  # a busy broker may refuse some sends: drain what was stored
  local filled
  filled="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["total"])' "$out/$b-backlog-fill.json" 2>/dev/null || echo "$backlog")"
  bench consumer "$b" backlog -t BenchBacklog --from first -g bench_backlog -q "$filled" -d 600s "${watch[@]}"
  bench producer "$b" q10k -t BenchQ10K --queues "$bigq" -w 64 -s 1024 -d "$dur" --warmup "$warmup" "${watch[@]}"
}

sync_workloads() {
  local b=$1
  bench producer "$b" sync-p1k -t BenchP1K --queues "$nq" -w 64 -s 1024 -d "$dur" --warmup "$warmup" --watch-pid "$BPID"
}

t0=$SECONDS
say "results in $out"
for b in $brokers; do
  case "$b" in apache|booster) ;; *) die "unknown broker $b" ;; esac
  "start_$b" ASYNC_FLUSH startup
  async_workloads "$b"
  "stop_$b"
  "start_$b" SYNC_FLUSH ""
  sync_workloads "$b"
  "stop_$b"
done

{
  echo "Booster $(git -C "$root" describe --tags --always --dirty 2>/dev/null || echo dev) vs Apache RocketMQ ${APACHE_ROCKETMQ_VERSION:-5.3.3} (broker heap $heap)"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM; client and broker on the same machine"
  echo "each timed workload $dur ($warmup warm-up left out); wire client, ROCKETMQ headers, 1 connection per broker"
  for b in $brokers; do
    [[ -s "$out/$b-load.txt" ]] && sort -n "$out/$b-load.txt" |
      awk -v b="$b" 'NR==1 {lo=$1} {hi=$1} END {printf "machine load average (1 min) after the %s workloads: %s to %s\n", b, lo, hi}'
  done
  echo
  "$booster" bench table "$out"
} | tee "$out/table.txt"
say "done in $((SECONDS - t0)) s; results and logs in $out"
