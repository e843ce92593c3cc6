#!/usr/bin/env bash
# Start a real Apache RocketMQ NameServer and broker on free loopback ports
# and leave them running (stop them with scripts/apache/stop.sh). With
# BOOSTER_APACHE_SLAVE=1, also a slave of that broker.
#
# Usage: scripts/apache/start.sh [KEY=VALUE ...]
#   Each KEY=VALUE is appended to the broker's broker.conf (later lines win),
#   and to the slave's slave.conf before its own brokerId=1,
#   brokerRole=SLAVE, listenPort and store paths.
#
# Environment (all optional):
#   APACHE_ROCKETMQ_VERSION  Apache RocketMQ version (default: the pom's, 5.3.3)
#   BOOSTER_APACHE_CACHE     where the jars are kept
#                            (default: $HOME/.cache/booster-apache/<version>)
#   BOOSTER_APACHE_RUN_DIR   run directory for confs, store, logs and state
#                            (default: a new mktemp -d directory)
#   BOOSTER_APACHE_BOOT_WAIT seconds to wait for the broker to register (default 120)
#   BOOSTER_APACHE_SLAVE     1: start a slave too (same brokerName, brokerId=1,
#                            brokerRole=SLAVE, its own ports and store); default 0
#   JAVA                     java binary (default: $JAVA_HOME/bin/java or java)
#   MVN                      maven binary (default: mvn)
#
# Prints on stdout, as lines a shell can eval:
#   NAMESRV=127.0.0.1:<port>  BROKER=127.0.0.1:<port>
#   NAMESRV_PID=<pid>  BROKER_PID=<pid>  RUN_DIR=<dir>
#   and with a slave  SLAVE=127.0.0.1:<port>  SLAVE_PID=<pid>
# (progress goes to stderr). The same lines are in $RUN_DIR/state, and the
# run dir is remembered in ${TMPDIR:-/tmp}/booster-apache.last for stop.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { printf '[apache] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

pom="$here/pom.xml"
default_version="$(sed -n 's:.*<rocketmq.version>\(.*\)</rocketmq.version>.*:\1:p' "$pom" | head -n1)"
version="${APACHE_ROCKETMQ_VERSION:-$default_version}"
cache="${BOOSTER_APACHE_CACHE:-$HOME/.cache/booster-apache/$version}"
boot_wait="${BOOSTER_APACHE_BOOT_WAIT:-120}"
with_slave="${BOOSTER_APACHE_SLAVE:-0}"
if [[ -n "${JAVA:-}" ]]; then java="$JAVA"
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then java="$JAVA_HOME/bin/java"
else java=java; fi
mvn="${MVN:-mvn}"

for kv in "$@"; do
  [[ "$kv" == *=* ]] || die "argument '$kv' is not KEY=VALUE"
done

# ---------------------------------------------------------------- jars
lib="$cache/lib"
if [[ ! -f "$cache/.complete" ]]; then
  say "downloading Apache RocketMQ $version jars into $lib (once)"
  t0=$SECONDS
  mkdir -p "$cache"
  rm -rf "$lib.tmp"
  if ! "$mvn" -B -q -f "$pom" dependency:copy-dependencies \
        -Drocketmq.version="$version" -DoutputDirectory="$lib.tmp" >"$cache/mvn.log" 2>&1; then
    tail -n 30 "$cache/mvn.log" >&2
    die "maven could not fetch rocketmq $version (log: $cache/mvn.log)"
  fi
  rm -rf "$lib"
  mv "$lib.tmp" "$lib"
  touch "$cache/.complete"
  say "downloaded $(ls "$lib" | wc -l) jars in $((SECONDS - t0)) s"
else
  say "using cached jars in $lib"
fi
cp="$lib/*"

# ---------------------------------------------------------------- ports
# port_free PORT: nothing listens on it and it can be bound, on loopback
# and on the wildcard address (the broker's HA port binds the wildcard).
port_free() {
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
# and nobody answers a connect (a listener on another address)
c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
c.settimeout(0.3)
try:
    c.connect(("127.0.0.1", p))
    sys.exit(1)
except OSError:
    pass
finally:
    c.close()
PY
}

pick_port() { # pick_port LOW HIGH: prints a random free port in [LOW, HIGH]
  local lo=$1 hi=$2 p i
  for i in $(seq 1 200); do
    p=$((lo + RANDOM % (hi - lo + 1)))
    if port_free "$p"; then echo "$p"; return 0; fi
  done
  return 1
}

# Below the ephemeral range (ip_local_port_range starts at 32768), so an
# outgoing connection never takes a port between the check and the bind.
ns_port="$(pick_port 10000 19999)" || die "no free port for the NameServer"
pick_triple() { # pick_triple TAKEN...: a free listenPort whose triple misses the TAKEN ports
  local p i t clash
  for i in $(seq 1 200); do
    p=$((20002 + RANDOM % 12000))
    # a broker listens on listenPort, its VIP channel on listenPort-2 and
    # HA on listenPort+1
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
broker_port="$(pick_triple "$ns_port")" || die "no free broker port triple"
slave_port=""
if [[ "$with_slave" == 1 ]]; then
  slave_port="$(pick_triple "$ns_port" $((broker_port - 2)) $((broker_port - 1)) "$broker_port" $((broker_port + 1)))" ||
    die "no free slave port triple"
fi

# ---------------------------------------------------------------- run dir
if [[ -n "${BOOSTER_APACHE_RUN_DIR:-}" ]]; then
  run="$BOOSTER_APACHE_RUN_DIR" made_run=0
else
  run="$(mktemp -d "${TMPDIR:-/tmp}/booster-apache.XXXXXX")" made_run=1
fi
mkdir -p "$run/conf" "$run/store"
# 5.x reads ROCKETMQ_HOME for nothing but its presence; logs go under
# ${user.home}/logs/rocketmqlogs, so user.home points at the run dir too.
export ROCKETMQ_HOME="$run"
namesrv_addr="127.0.0.1:$ns_port"

cat >"$run/conf/namesrv.conf" <<EOF
listenPort=$ns_port
bindAddress=127.0.0.1
kvConfigPath=$run/namesrv/kvConfig.json
configStorePath=$run/namesrv/namesrv.properties
EOF

{
  echo "brokerClusterName=DefaultCluster"
  echo "brokerName=broker-a"
  echo "brokerId=0"
  echo "brokerRole=ASYNC_MASTER"
  echo "brokerIP1=127.0.0.1"
  echo "bindAddress=127.0.0.1"
  echo "listenPort=$broker_port"
  echo "namesrvAddr=$namesrv_addr"
  echo "storePathRootDir=$run/store"
  echo "storePathCommitLog=$run/store/commitlog"
  echo "autoCreateTopicEnable=true"
  echo "autoCreateSubscriptionGroup=true"
  echo "flushDiskType=ASYNC_FLUSH"
  # the HA address the NameServer hands the slave (brokerIP2 defaults to
  # the machine's address)
  [[ -n "$slave_port" ]] && echo "brokerIP2=127.0.0.1"
  for kv in "$@"; do echo "$kv"; done
} >"$run/conf/broker.conf"
if [[ -n "$slave_port" ]]; then
  mkdir -p "$run/slave-store"
  {
    sed -e '/^listenPort=/d' -e '/^storePath/d' "$run/conf/broker.conf"
    echo "brokerId=1"
    echo "brokerRole=SLAVE"
    echo "listenPort=$slave_port"
    echo "storePathRootDir=$run/slave-store"
    echo "storePathCommitLog=$run/slave-store/commitlog"
  } >"$run/conf/slave.conf"
fi

jvm_common=(
  -server
  -Duser.home="$run"
  -Drocketmq.home.dir="$run"
  -Djava.io.tmpdir="$run"
  -XX:+UseG1GC
  -XX:-OmitStackTraceInFastThrow
  --add-opens=java.base/java.nio=ALL-UNNAMED
  --add-opens=java.base/sun.nio.ch=ALL-UNNAMED
  --add-opens=java.base/java.lang=ALL-UNNAMED
  --add-exports=java.base/sun.nio.ch=ALL-UNNAMED
  -cp "$cp"
)

# Each JVM runs in its own session (setsid) so it outlives this script and
# stop.sh can signal its process group.
t_start=$SECONDS
say "starting NameServer on $namesrv_addr (run dir $run)"
setsid "$java" -Xms256m -Xmx512m "${jvm_common[@]}" \
  org.apache.rocketmq.namesrv.NamesrvStartup -c "$run/conf/namesrv.conf" \
  >"$run/namesrv.out" 2>&1 </dev/null &
ns_pid=$!
echo "$ns_pid" >"$run/namesrv.pid"

write_state() {
  {
    echo "NAMESRV=$namesrv_addr"
    echo "BROKER=127.0.0.1:$broker_port"
    echo "NAMESRV_PID=$ns_pid"
    echo "BROKER_PID=${broker_pid:-}"
    echo "RUN_DIR=$run"
    echo "MADE_RUN_DIR=$made_run"
    if [[ -n "$slave_port" ]]; then
      echo "SLAVE=127.0.0.1:$slave_port"
      echo "SLAVE_PID=${slave_pid:-}"
    fi
    echo "PORTS=\"$ns_port $((broker_port - 2)) $broker_port $((broker_port + 1))${slave_port:+ $((slave_port - 2)) $slave_port $((slave_port + 1))}\""
  } >"$run/state"
  echo "$run" >"${TMPDIR:-/tmp}/booster-apache.last"
}
write_state

fail() { # on a failed start, show the logs and stop whatever runs
  say "error: $*"
  for f in "$run/namesrv.out" "$run/broker.out" "$run/slave.out"; do
    [[ -f "$f" ]] && { say "--- tail of $f"; tail -n 40 "$f" >&2; }
  done
  BOOSTER_APACHE_KEEP=1 "$here/stop.sh" "$run" >&2 || true
  exit 1
}

listening() { # listening PORT: something accepts connections on 127.0.0.1:PORT
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

for i in $(seq 1 300); do
  listening "$ns_port" && break
  kill -0 "$ns_pid" 2>/dev/null || fail "the NameServer exited"
  sleep 0.2
done
listening "$ns_port" || fail "the NameServer did not listen on $ns_port within 60 s"
grep -q "boot success" "$run/namesrv.out" 2>/dev/null || sleep 1
say "NameServer up after $((SECONDS - t_start)) s (pid $ns_pid)"

say "starting broker on 127.0.0.1:$broker_port (VIP $((broker_port - 2)), HA $((broker_port + 1)))"
t_broker=$SECONDS
setsid "$java" -Xms1g -Xmx1g -XX:MaxDirectMemorySize=1g "${jvm_common[@]}" \
  org.apache.rocketmq.broker.BrokerStartup -c "$run/conf/broker.conf" -n "$namesrv_addr" \
  >"$run/broker.out" 2>&1 </dev/null &
broker_pid=$!
echo "$broker_pid" >"$run/broker.pid"
write_state

# Wait for "boot success", then until the NameServer serves the route of
# TBW102 (the auto-create template topic the broker registers) naming this
# broker in DefaultCluster, asked with Apache's own mqadmin (each call is a
# JVM start, ~3-4 s here); finally show mqadmin clusterList once.
mqadmin() {
  "$java" -Xms64m -Xmx256m -Duser.home="$run" -cp "$cp" \
    org.apache.rocketmq.tools.command.MQAdminStartup "$@" -n "$namesrv_addr" 2>&1
}
deadline=$((SECONDS + boot_wait))
until grep -q "boot success" "$run/broker.out" 2>/dev/null; do
  kill -0 "$broker_pid" 2>/dev/null || fail "the broker exited"
  ((SECONDS < deadline)) || fail "the broker did not boot within $boot_wait s"
  sleep 0.2
done
say "broker booted after $((SECONDS - t_broker)) s; waiting for its registration"
out=""
until out="$(mqadmin topicRoute -t TBW102)" && grep -q "127.0.0.1:$broker_port" <<<"$out" &&
      grep -q '"cluster":"DefaultCluster"' <<<"$out"; do
  kill -0 "$broker_pid" 2>/dev/null || fail "the broker exited"
  ((SECONDS < deadline)) || fail "the broker did not register within $boot_wait s; last topicRoute: $out"
  sleep 1
done
say "broker registered after $((SECONDS - t_broker)) s (total start $((SECONDS - t_start)) s)"

if [[ -n "$slave_port" ]]; then
  # The slave: same brokerName, brokerId=1. It learns the master's HA
  # address (brokerIP2:haListenPort) from the NameServer and connects;
  # wait for its route entry and for the master to log that connection.
  say "starting slave on 127.0.0.1:$slave_port (VIP $((slave_port - 2)), HA $((slave_port + 1)))"
  t_slave=$SECONDS
  setsid "$java" -Xms1g -Xmx1g -XX:MaxDirectMemorySize=1g "${jvm_common[@]}" \
    org.apache.rocketmq.broker.BrokerStartup -c "$run/conf/slave.conf" -n "$namesrv_addr" \
    >"$run/slave.out" 2>&1 </dev/null &
  slave_pid=$!
  echo "$slave_pid" >"$run/slave.pid"
  write_state
  deadline=$((SECONDS + boot_wait))
  until grep -q "boot success" "$run/slave.out" 2>/dev/null; do
    kill -0 "$slave_pid" 2>/dev/null || fail "the slave exited"
    ((SECONDS < deadline)) || fail "the slave did not boot within $boot_wait s"
    sleep 0.2
  done
  until out="$(mqadmin topicRoute -t TBW102)" && grep -q "127.0.0.1:$slave_port" <<<"$out"; do
    kill -0 "$slave_pid" 2>/dev/null || fail "the slave exited"
    ((SECONDS < deadline)) || fail "the slave did not register within $boot_wait s; last topicRoute: $out"
    sleep 1
  done
  until grep -qs "HAService receive new connection" "$run"/logs/rocketmqlogs/store*.log; do
    kill -0 "$slave_pid" 2>/dev/null || fail "the slave exited"
    ((SECONDS < deadline)) || fail "the slave did not connect to the master's HA port within $boot_wait s"
    sleep 0.5
  done
  say "slave registered and connected after $((SECONDS - t_slave)) s"
fi
mqadmin clusterList | grep -E "broker-a|#Cluster" | sed 's/^/[apache]   /' >&2 || true

cat "$run/state"
