#!/usr/bin/env bash
# Booster and Apache RocketMQ side by side (`make compare`).
#
# Starts Apache RocketMQ's NameServer and broker (scripts/apache/start.sh,
# jars from Maven Central), runs the workloads below, stops it, then does
# the same with Booster's NameServer and broker (two processes, as with
# Apache). Each broker runs four times, each time with a fresh store and
# the same broker.conf keys and queue counts:
#   flush     flushDiskType=ASYNC_FLUSH, ASYNC_MASTER, no slave: most workloads
#   sync      SYNC_FLUSH: sync-p1k
#   ha-async  ASYNC_FLUSH, ASYNC_MASTER with one slave: ha-async-p1k
#   ha-sync   ASYNC_FLUSH, SYNC_MASTER with one slave: ha-sync-p1k
# The slave is a second broker process of the same brokerName with
# brokerId=1, brokerRole=SLAVE and its own ports and store; it learns the
# master's HA address from the NameServer. Both masters with a slave get
# totalReplicas=2 and inSyncReplicas=2: a 5.x SYNC_MASTER with the default
# inSyncReplicas=1 acknowledges a send without waiting for the slave
# (CommitLog.handleHA returns at once when it needs at most one ack),
# while Booster's SYNC_MASTER always waits for its slave; an ASYNC_MASTER
# ignores inSyncReplicas. Prints one table with both brokers and the ratio
# Booster/Apache, and leaves the results, the table and the logs in
# $COMPARE_OUT.
#
# Workloads (result file <broker>-<name>.json or .log, see bench/table.go):
#   startup       broker process start -> first acknowledged send (auto-created topic)
#   rss-idle      broker VmRSS and RssAnon a few seconds after that first send
#   p1k p4k       64 sync senders, 1 KiB / 4 KiB bodies, COMPARE_QUEUES queues
#   async1k       async sends of 1 KiB, 1024 outstanding
#   e2e           async producer paced at COMPARE_RATE msg/s + consumer in one process
#   gop1k         p1k through the official Go client (`booster bench --client=go`)
#   apache-producer.log, apache-consumer.log
#                 Apache's own benchmark Producer (64 threads, 1 KiB) and Consumer
#                 (org.apache.rocketmq.example.benchmark, scripts/apache/benchmark.sh)
#                 for COMPARE_TOOL_DURATION, the Consumer subscribed first
#   goclient-producer/N.log
#                 rocketmq-client-go's own benchmark program (`producer`, 64
#                 processes of one instance, 1000-byte bodies: its most), built
#                 from the module cache
#   backlog       COMPARE_BACKLOG messages of 1 KiB sent first, then consumed from the first offset
#   q10k          64 sync senders, 1 KiB, one topic with COMPARE_BIG_QUEUES queues
#   sync-p1k      p1k again on a SYNC_FLUSH broker
#   ha-async-p1k  p1k on an ASYNC_MASTER with a slave
#   ha-sync-p1k   p1k on a SYNC_MASTER with a slave
# The master's VmRSS and RssAnon (anonymous memory: heap, stacks, direct
# buffers; not the mapped commit log's page-cache pages that VmRSS counts)
# are sampled every second during the `booster bench` workloads of the
# flush run; the table shows the peaks. The benchmark programs report over
# a sliding window of their last ten one-second snapshots; the table shows
# their last report.
#
# Environment (all optional):
#   COMPARE_DURATION     length of each timed workload (default 20s)
#   COMPARE_WARMUP       first part of each workload left out of the summary (default 3s)
#   COMPARE_BACKLOG      messages in the consume backlog (default 5000000, about 6 GiB of
#                        commit log; filling it takes ~1.5 min on Booster and ~3.5 min on
#                        Apache on 2 cores; 1000000 for a quicker run)
#   COMPARE_RATE         end-to-end workload rate in msg/s (default 10000)
#   COMPARE_QUEUES       queues of the ordinary topics (default 8)
#   COMPARE_BIG_QUEUES   queues of the many-queue topic (default 10000)
#   COMPARE_APACHE_HEAP  Apache broker heap and direct memory (default 2g)
#   COMPARE_TOOL_DURATION how long each benchmark program runs (default 30s, at least 15s:
#                        their first report comes after ten one-second snapshots)
#   COMPARE_GOCLIENT_PROCS processes of rocketmq-client-go's benchmark producer, one
#                        sync sender each (default 64, as p1k's senders)
#   COMPARE_BROKERS      which brokers to run (default "apache booster")
#   COMPARE_RUNS         which runs to do (default "flush sync ha-async ha-sync")
#   COMPARE_QUIET        before each workload, wait up to this many seconds for the machine's
#                        CPUs to be at least 80 % idle over a second (default 0: do not wait)
#   COMPARE_OUT          result directory (default a new /tmp/booster-compare.XXXXXX)
#   BOOSTER              booster binary (default bin/booster; `make compare` builds it)
#   GO                   go binary, to build rocketmq-client-go's benchmark program (default go)
#   plus scripts/apache/start.sh's knobs (APACHE_ROCKETMQ_VERSION, JAVA, MVN, ...)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
booster="${BOOSTER:-$root/bin/booster}"
dur="${COMPARE_DURATION:-20s}"
warmup="${COMPARE_WARMUP:-3s}"
backlog="${COMPARE_BACKLOG:-5000000}"
rate="${COMPARE_RATE:-10000}"
nq="${COMPARE_QUEUES:-8}"
bigq="${COMPARE_BIG_QUEUES:-10000}"
heap="${COMPARE_APACHE_HEAP:-2g}"
brokers="${COMPARE_BROKERS:-apache booster}"
runs="${COMPARE_RUNS:-flush sync ha-async ha-sync}"
tool_dur="${COMPARE_TOOL_DURATION:-30s}"
goclient_procs="${COMPARE_GOCLIENT_PROCS:-64}"
go="${GO:-go}"
quiet="${COMPARE_QUIET:-0}"
out="${COMPARE_OUT:-$(mktemp -d "${TMPDIR:-/tmp}/booster-compare.XXXXXX")}"
mkdir -p "$out"

say() { printf '[compare] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
[[ -x "$booster" ]] || die "$booster is not built (run make build)"
seconds() { # seconds DURATION: 30s, 2m, 1m30s or 45 -> whole seconds
  python3 - "$1" <<'PY'
import re, sys
s = sys.argv[1]
if re.fullmatch(r"\d+", s):
    print(s); sys.exit(0)
t = 0.0
for n, u in re.findall(r"([\d.]+)(ms|h|m|s)", s):
    t += float(n) * {"h": 3600, "m": 60, "s": 1, "ms": 0.001}[u]
print(int(t))
PY
}
tool_secs="$(seconds "$tool_dur")"
if ((tool_secs < 15)); then
  say "COMPARE_TOOL_DURATION $tool_dur is too short for the benchmark programs' first report; using 15s"
  tool_secs=15
fi

# ---------------------------------------------------------------- Apache's heap
# start.sh gives the broker -Xms1g -Xmx1g; a JAVA wrapper appends the
# heap of this comparison right before BrokerStartup (the JVM takes the
# last -Xms/-Xmx), and execs java so the PID stays the JVM's. The slave
# (conf/slave.conf) keeps start.sh's 1g.
if [[ -n "${JAVA:-}" ]]; then real_java="$JAVA"
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then real_java="$JAVA_HOME/bin/java"
else real_java="$(command -v java || true)"; fi
java_wrapper="$out/java"
cat >"$java_wrapper" <<EOF
#!/usr/bin/env bash
args=() slave=0
for a in "\$@"; do [[ "\$a" == */conf/slave.conf ]] && slave=1; done
for a in "\$@"; do
  [[ "\$a" == org.apache.rocketmq.broker.BrokerStartup && \$slave == 0 ]] && args+=(-Xms$heap -Xmx$heap -XX:MaxDirectMemorySize=$heap)
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
# start_<kind> FLUSH STARTUP [ROLE] sets NS (NameServer address) and BPID
# (broker pid) and, when STARTUP is set, writes <kind>-startup.json. With
# ROLE (ASYNC_MASTER or SYNC_MASTER) the broker gets that role and a slave
# (SPID), and totalReplicas=2, inSyncReplicas=2.
NS="" BPID="" NSPID="" SPID="" RUN=""

start_apache() {
  local flush=$1 startup=$2 role=${3:-} slave=0 extra=()
  RUN="$out/apache-$flush${role:+-$role}"
  rm -rf "$RUN"; mkdir -p "$RUN"
  if [[ -n "$role" ]]; then slave=1; extra=("brokerRole=$role" totalReplicas=2 inSyncReplicas=2); fi
  say "apache: starting ($flush${role:+, $role with a slave}, heap $heap)"
  BOOSTER_APACHE_RUN_DIR="$RUN" BOOSTER_APACHE_SLAVE=$slave JAVA="$java_wrapper" "$root/scripts/apache/start.sh" \
    "flushDiskType=$flush" "${extra[@]}" >"$RUN/start.out" 2>"$RUN/start.err" &
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
  SPID="$(sed -n 's/^SLAVE_PID=//p' "$RUN/state")"
  say "apache: NameServer $NS, broker pid $BPID${SPID:+, slave pid $SPID}"
}

stop_apache() {
  say "apache: stopping"
  "$root/scripts/apache/stop.sh" "$RUN" >>"$RUN/stop.err" 2>&1 || say "apache: stop.sh reported a problem (see $RUN/stop.err)"
  rm -rf "$RUN/store" "$RUN/slave-store"
  NS="" BPID="" SPID=""
}

# pick_triple TAKEN...: a free listenPort below the ephemeral range whose
# triple (listenPort-2, listenPort, listenPort+1 for HA) misses TAKEN
pick_triple() {
  local p i t clash
  for i in $(seq 1 200); do
    p=$((20002 + RANDOM % 12000))
    clash=0
    for t in "$@"; do
      if ((t >= p - 2 && t <= p + 1)); then clash=1; break; fi
    done
    if ((clash == 0)) && port_free "$p" && port_free $((p - 2)) && port_free $((p + 1)); then
      echo "$p"; return 0
    fi
  done
  return 1
}

start_booster() {
  local flush=$1 startup=$2 role=${3:-ASYNC_MASTER} nsport bport sport="" i
  RUN="$out/booster-$flush${3:+-$3}"
  rm -rf "$RUN"; mkdir -p "$RUN/store"
  for i in $(seq 1 200); do
    nsport=$((10000 + RANDOM % 10000))
    port_free "$nsport" && break
  done
  bport="$(pick_triple "$nsport")" || die "booster: no free broker port triple"
  if [[ -n "${3:-}" ]]; then
    sport="$(pick_triple "$nsport" $((bport - 2)) $((bport - 1)) "$bport" $((bport + 1)))" ||
      die "booster: no free slave port triple"
  fi
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
brokerRole=$role
brokerIP1=127.0.0.1
bindAddress=127.0.0.1
listenPort=$bport
namesrvAddr=$NS
storePathRootDir=$RUN/store
storePathCommitLog=$RUN/store/commitlog
autoCreateTopicEnable=true
autoCreateSubscriptionGroup=true
flushDiskType=$flush
# Apache's BrokerStartup serves no gRPC (that is its separate proxy) and
# no web console: neither does this broker
grpcServerPort=0
consolePort=0
EOF
  if [[ -n "$sport" ]]; then
    printf '%s\n' totalReplicas=2 inSyncReplicas=2 >>"$RUN/broker.conf"
    mkdir -p "$RUN/slave-store"
    {
      sed -e '/^brokerId=/d' -e '/^brokerRole=/d' -e '/^listenPort=/d' -e '/^storePath/d' "$RUN/broker.conf"
      echo "brokerId=1"
      echo "brokerRole=SLAVE"
      echo "listenPort=$sport"
      echo "storePathRootDir=$RUN/slave-store"
      echo "storePathCommitLog=$RUN/slave-store/commitlog"
    } >"$RUN/slave.conf"
  fi
  say "booster: starting ($flush${3:+, $role with a slave})"
  "$booster" namesrv -c "$RUN/namesrv.conf" >"$RUN/namesrv.log" 2>&1 &
  NSPID=$!
  for i in $(seq 1 500); do listening "$nsport" && break; sleep 0.01; done
  listening "$nsport" || die "booster: the NameServer did not listen on $nsport"
  "$booster" broker -c "$RUN/broker.conf" >"$RUN/broker.log" 2>&1 &
  BPID=$!
  if [[ -n "$sport" ]]; then
    # the slave learns the master's HA address (haListenPort, by default
    # listenPort+1) from the NameServer; wait until the master logs it (a
    # SYNC_MASTER refuses sends with SLAVE_NOT_AVAILABLE until then)
    "$booster" broker -c "$RUN/slave.conf" >"$RUN/slave.log" 2>&1 &
    SPID=$!
    for i in $(seq 1 600); do
      grep -q 'slave connected' "$RUN/broker.log" && break
      kill -0 "$SPID" 2>/dev/null || { tail -n 20 "$RUN/slave.log" >&2; die "booster: the slave exited"; }
      sleep 0.1
    done
    grep -q 'slave connected' "$RUN/broker.log" || die "booster: the slave did not connect within 60 s (see $RUN/slave.log)"
  fi
  if [[ -n "$startup" ]]; then
    "$booster" bench startup -n "$NS" --since-pid "$BPID" --json >"$out/booster-startup.json" ||
      say "booster: startup measurement failed"
  else
    "$booster" bench startup -n "$NS" --json >/dev/null
  fi
  say "booster: NameServer $NS, broker pid $BPID${SPID:+, slave pid $SPID}"
}

stop_booster() {
  say "booster: stopping"
  local p
  for p in "$SPID" "$BPID" "$NSPID"; do
    [[ -n "$p" ]] && kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true
  done
  rm -rf "$RUN/store" "$RUN/slave-store"
  NS="" BPID="" NSPID="" SPID=""
}

cleanup() {
  if [[ -n "$BPID" ]]; then
    case "$RUN" in
      */apache-*) "$root/scripts/apache/stop.sh" "$RUN" >/dev/null 2>&1 || true ;;
      */booster-*) kill -TERM $SPID "$BPID" "$NSPID" 2>/dev/null || true ;;
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
  local kib anon
  kib="$(awk '/^VmRSS:/ {print $2}' "/proc/$BPID/status")"
  anon="$(awk '/^RssAnon:/ {print $2}' "/proc/$BPID/status")"
  echo "{\"rss_kib\": $kib, \"rss_anon_kib\": $anon}" >"$out/$b-rss-idle.json"
  say "$b: idle VmRSS $((kib / 1024)) MiB, RssAnon $((anon / 1024)) MiB"
  bench producer "$b" p1k -t BenchP1K --queues "$nq" -w 64 -s 1024 -d "$dur" --warmup "$warmup" "${watch[@]}"
  bench producer "$b" p4k -t BenchP4K --queues "$nq" -w 64 -s 4096 -d "$dur" --warmup "$warmup" "${watch[@]}"
  bench producer "$b" async1k -t BenchAsync --queues "$nq" --mode async --inflight 1024 -s 1024 -d "$dur" --warmup "$warmup" "${watch[@]}"
  bench e2e "$b" e2e -t BenchE2E --queues "$nq" --mode async --inflight 1024 -s 1024 --rate "$rate" -d "$dur" --warmup "$warmup" "${watch[@]}"
  bench producer "$b" gop1k -t BenchGoP1K --client go --queues "$nq" -w 64 -s 1024 -d "$dur" --warmup "$warmup" "${watch[@]}"
  apache_tools "$b"
  goclient_tool "$b"
  bench producer "$b" backlog-fill -t BenchBacklog --queues "$nq" --mode async --inflight 1024 -s 1024 -q "$backlog" "${watch[@]}"
  # a busy broker may refuse some sends: drain what was stored
  local filled
  filled="$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["total"])' "$out/$b-backlog-fill.json" 2>/dev/null || echo "$backlog")"
  # at most 600 s, or 5000 msg/s for a larger backlog
  bench consumer "$b" backlog -t BenchBacklog --from first -g bench_backlog -q "$filled" \
    -d "$((filled / 5000 > 600 ? filled / 5000 : 600))s" "${watch[@]}"
  bench producer "$b" q10k -t BenchQ10K --queues "$bigq" -w 64 -s 1024 -d "$dur" --warmup "$warmup" "${watch[@]}"
}

# apache_tools BROKER: Apache's benchmark Consumer, then (once it has
# subscribed) its Producer with p1k's threads and size, for tool_secs;
# their output goes to <broker>-apache-consumer.log and -producer.log.
apache_tools() {
  local b=$1 topic=BenchApacheTool cpid
  wait_quiet
  say "$b: Apache's benchmark Producer and Consumer (${tool_secs}s)"
  "$booster" bench producer -n "$NS" -t "$topic" --queues "$nq" -w 1 -q 1 --quiet >/dev/null 2>&1 ||
    say "$b: could not create $topic"
  mkdir -p "$out/$b-apache-tools"
  BOOSTER_APACHE_BENCH_HOME="$out/$b-apache-tools" timeout -s TERM $((tool_secs + 30)) \
    "$root/scripts/apache/benchmark.sh" Consumer -n "$NS" -t "$topic" -g bench_apache_tool -ri 1000 \
    >"$out/$b-apache-consumer.log" 2>&1 &
  cpid=$!
  # the Consumer prints "Consumer Started." once subscribed; give its
  # rebalance a few seconds more
  local i
  for i in $(seq 1 600); do
    grep -q 'Consumer Started' "$out/$b-apache-consumer.log" && break
    kill -0 "$cpid" 2>/dev/null || break
    sleep 0.1
  done
  sleep 5
  BOOSTER_APACHE_BENCH_HOME="$out/$b-apache-tools" timeout -s TERM "$tool_secs" \
    "$root/scripts/apache/benchmark.sh" Producer -n "$NS" -t "$topic" -w 64 -s 1024 -ri 1000 \
    >"$out/$b-apache-producer.log" 2>&1 || true
  kill -TERM "$cpid" 2>/dev/null || true
  wait "$cpid" 2>/dev/null || true
  grep -E 'Send TPS' "$out/$b-apache-producer.log" | tail -n 1 | sed "s/^/[compare]   producer: /" >&2 || true
  grep -E 'Consume TPS' "$out/$b-apache-consumer.log" | tail -n 1 | sed "s/^/[compare]   consumer: /" >&2 || true
}

# goclient_tool BROKER: rocketmq-client-go's own benchmark program
# (`producer`, one sync sender per instance) with p1k's 64 senders, for
# tool_secs. Its instances (-i) all use the producer group
# DEFAULT_PRODUCER in one client, so only the first one starts ("the
# producer group has been created") and the others spin on "producer not
# started": the senders are goclient_procs processes of -i 1 instead, each
# with its own client and connection, stopped together. Their output goes
# to <broker>-goclient-producer/<n>.log. The bodies are cut from a fixed
# 1000-character text, so they are 1000 bytes, not 1 KiB (a larger -s
# panics).
goclient_tool() {
  local b=$1 topic=BenchGoTool
  local bin="$out/rocketmq-client-go-benchmark"
  if [[ ! -x "$bin" ]]; then
    if ! (cd "$root" && "$go" build -o "$bin" github.com/apache/rocketmq-client-go/v2/benchmark) >"$out/goclient-build.log" 2>&1; then
      say "$b: could not build rocketmq-client-go's benchmark program (see $out/goclient-build.log)"
      return 0
    fi
  fi
  wait_quiet
  say "$b: rocketmq-client-go's benchmark producer (${tool_secs}s)"
  "$booster" bench producer -n "$NS" -t "$topic" --queues "$nq" -w 1 -q 1 --quiet >/dev/null 2>&1 ||
    say "$b: could not create $topic"
  # each runs for -m minutes or until SIGTERM, and then prints a last
  # snapshot (at info level, as every snapshot)
  local dir="$out/$b-goclient-producer" i pids=()
  rm -rf "$dir"; mkdir -p "$dir"
  for i in $(seq 1 "$goclient_procs"); do
    ROCKETMQ_GO_LOG_LEVEL=info timeout -s TERM -k 30 "$tool_secs" \
      "$bin" producer -n "$NS" -t "$topic" -g bench_goclient_tool -i 1 -s 1000 -m 10 \
      >"$dir/$i.log" 2>&1 &
    pids+=($!)
  done
  wait "${pids[@]}" 2>/dev/null || true
  say "  $(grep -l 'Benchmark Producer Snapshot' "$dir"/*.log | wc -l) of $goclient_procs processes reported"
}

sync_workloads() {
  local b=$1
  bench producer "$b" sync-p1k -t BenchP1K --queues "$nq" -w 64 -s 1024 -d "$dur" --warmup "$warmup" --watch-pid "$BPID"
}

# ha_workloads BROKER ROLE: p1k on a master with one slave
ha_workloads() {
  local b=$1 name=ha-async-p1k
  [[ $2 == SYNC_MASTER ]] && name=ha-sync-p1k
  bench producer "$b" "$name" -t BenchP1K --queues "$nq" -w 64 -s 1024 -d "$dur" --warmup "$warmup" --watch-pid "$BPID"
}

t0=$SECONDS
say "results in $out"
for b in $brokers; do
  case "$b" in apache|booster) ;; *) die "unknown broker $b" ;; esac
  for r in $runs; do
    case "$r" in
      flush) "start_$b" ASYNC_FLUSH startup; async_workloads "$b" ;;
      sync) "start_$b" SYNC_FLUSH ""; sync_workloads "$b" ;;
      ha-async) "start_$b" ASYNC_FLUSH "" ASYNC_MASTER; ha_workloads "$b" ASYNC_MASTER ;;
      ha-sync) "start_$b" ASYNC_FLUSH "" SYNC_MASTER; ha_workloads "$b" SYNC_MASTER ;;
      *) die "unknown run $r (want flush, sync, ha-async or ha-sync)" ;;
    esac
    "stop_$b"
  done
done

{
  echo "Booster $(git -C "$root" describe --tags --always --dirty 2>/dev/null || echo dev) vs Apache RocketMQ ${APACHE_ROCKETMQ_VERSION:-5.3.3} (broker heap $heap)"
  echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo) RAM; client and broker on the same machine"
  echo "each timed workload $dur ($warmup warm-up left out); wire client, ROCKETMQ headers, 1 connection per broker"
  echo "benchmark programs ${tool_secs}s each, their last report (a ~9 s window); masters with a slave: totalReplicas=2, inSyncReplicas=2"
  for b in $brokers; do
    [[ -s "$out/$b-load.txt" ]] && sort -n "$out/$b-load.txt" |
      awk -v b="$b" 'NR==1 {lo=$1} {hi=$1} END {printf "machine load average (1 min) after the %s workloads: %s to %s\n", b, lo, hi}'
  done
  echo
  "$booster" bench table "$out"
} | tee "$out/table.txt"
say "done in $((SECONDS - t0)) s; results and logs in $out"
