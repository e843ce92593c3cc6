#!/usr/bin/env bash
# Run one of Apache RocketMQ's own benchmark programs
# (org.apache.rocketmq.example.benchmark.*, from rocketmq-example) against
# any NameServer, Booster's or Apache's.
#
# Usage: scripts/apache/benchmark.sh CLASS [ARGS...]
#   CLASS is Producer, Consumer, BatchProducer or TransactionProducer; the
#   ARGS are the program's own (-n NAMESRV -t TOPIC -w THREADS -s SIZE
#   -ri REPORT_MS ...). Producer and Consumer run until they are killed:
#   run them under `timeout`.
#
# Maven Central has no rocketmq-example for 5.0-5.4, so the benchmark
# classes come from rocketmq-example $APACHE_ROCKETMQ_EXAMPLE_VERSION (5.5.0;
# Producer.java and Consumer.java are unchanged since 5.3.3) and run on the
# client jars of $APACHE_ROCKETMQ_VERSION (the broker's version, 5.3.3);
# see benchmark/pom.xml.
#
# Environment (all optional):
#   APACHE_ROCKETMQ_VERSION          client version (default: scripts/apache/pom.xml's, 5.3.3)
#   APACHE_ROCKETMQ_EXAMPLE_VERSION  rocketmq-example version (default: benchmark/pom.xml's)
#   BOOSTER_APACHE_CACHE             where the jars are kept
#                                    (default: $HOME/.cache/booster-apache/<version>)
#   BOOSTER_APACHE_BENCH_HEAP        the JVM's heap (default 1g)
#   BOOSTER_APACHE_BENCH_HOME        the JVM's user.home, where the client writes
#                                    logs/rocketmqlogs (default: a new mktemp -d directory)
#   JAVA, MVN                        java and maven binaries
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
say() { printf '[apache-bench] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

(($# >= 1)) || die "usage: $0 CLASS [ARGS...]"
class=$1; shift
case "$class" in
  Producer|Consumer|BatchProducer|TransactionProducer) ;;
  *) die "unknown benchmark class $class" ;;
esac

pom="$here/benchmark/pom.xml"
default_version="$(sed -n 's:.*<rocketmq.version>\(.*\)</rocketmq.version>.*:\1:p' "$here/pom.xml" | head -n1)"
default_example="$(sed -n 's:.*<rocketmq.example.version>\(.*\)</rocketmq.example.version>.*:\1:p' "$pom" | head -n1)"
version="${APACHE_ROCKETMQ_VERSION:-$default_version}"
example="${APACHE_ROCKETMQ_EXAMPLE_VERSION:-$default_example}"
cache="${BOOSTER_APACHE_CACHE:-$HOME/.cache/booster-apache/$version}"
heap="${BOOSTER_APACHE_BENCH_HEAP:-1g}"
if [[ -n "${JAVA:-}" ]]; then java="$JAVA"
elif [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then java="$JAVA_HOME/bin/java"
else java=java; fi
mvn="${MVN:-mvn}"

lib="$cache/benchmark-$example"
if [[ ! -f "$lib/.complete" ]]; then
  say "downloading rocketmq-example $example and the $version client jars into $lib (once)"
  mkdir -p "$cache"
  rm -rf "$lib.tmp"
  if ! "$mvn" -B -q -f "$pom" dependency:copy-dependencies -Drocketmq.version="$version" \
        -Drocketmq.example.version="$example" -DoutputDirectory="$lib.tmp" >"$cache/mvn-benchmark.log" 2>&1; then
    tail -n 30 "$cache/mvn-benchmark.log" >&2
    die "maven could not fetch the benchmark jars (log: $cache/mvn-benchmark.log)"
  fi
  touch "$lib.tmp/.complete"
  rm -rf "$lib"
  mv "$lib.tmp" "$lib"
fi

home="${BOOSTER_APACHE_BENCH_HOME:-}"
if [[ -z "$home" ]]; then
  home="$(mktemp -d "${TMPDIR:-/tmp}/booster-apache-bench.XXXXXX")"
fi
mkdir -p "$home"
# exec: the PID that `timeout` signals is the JVM's
exec "$java" -Xms"$heap" -Xmx"$heap" -XX:+UseG1GC -Duser.home="$home" -Djava.io.tmpdir="$home" \
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  -cp "$lib/*" "org.apache.rocketmq.example.benchmark.$class" "$@"
