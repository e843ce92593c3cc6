#!/usr/bin/env bash
# Builds the runner for Apache's mqadmin (rocketmq-tools, see pom.xml) and
# prints the classpath to run it with: Serve's classes plus rocketmq-tools
# and its dependencies, fetched from Maven Central by Maven. Prints nothing
# (and says why on stderr) when java or Maven is missing, so the Go
# cross-check (conformance/mqadmin_java_test.go) skips; under CI=true a
# missing tool or a failed build exits non-zero.
#
# Usage: CP="$(conformance/java/mqadmin/build.sh)"
# Environment: MVN (default mvn), MAVEN_ARGS (extra maven arguments),
# TOOLS_VERSION (another rocketmq-tools version, built under
# target/tools-<version>: 4.9.8 has the ACL 1.0 subcommands 5.x dropped).
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
mvn="${MVN:-mvn}"
fail() {
  echo "mqadmin-java: $*" >&2
  if [[ "${CI:-}" == true ]]; then exit 1; fi
  exit 0
}
command -v java >/dev/null 2>&1 || [[ -x "${JAVA_HOME:-/nonexistent}/bin/java" ]] || fail "no java; Apache's mqadmin cross-check will skip"
command -v "$mvn" >/dev/null 2>&1 || fail "no maven ($mvn); Apache's mqadmin cross-check will skip"

cd "$here"
out="$here/target"
extra=()
if [[ -n "${TOOLS_VERSION:-}" ]]; then
  out="$here/target/tools-$TOOLS_VERSION"
  extra=(-Drocketmq.tools.version="$TOOLS_VERSION" -Dmqadmin.buildDir="$out")
fi
mkdir -p "$out"
# shellcheck disable=SC2086
if ! "$mvn" -B -q -ntp compile dependency:build-classpath "${extra[@]}" \
      -Dmdep.outputFile="$out/classpath.txt" ${MAVEN_ARGS:-} >"$out/build.log" 2>&1; then
  tail -n 30 "$out/build.log" >&2
  fail "maven could not build conformance/java/mqadmin (log: $out/build.log)"
fi
printf '%s:%s\n' "$out/classes" "$(cat "$out/classpath.txt")"
