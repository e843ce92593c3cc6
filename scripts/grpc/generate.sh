#!/usr/bin/env bash
# Regenerates the Go stubs of the RocketMQ v2 gRPC API (proxy/v2pb) from the
# published artifact org.apache.rocketmq:rocketmq-proto, reproducibly:
#
#   1. Maven fetches, into $cache (pinned versions below): rocketmq-proto (the
#      version rocketmq-client-java depends on), protobuf-java (to read its
#      descriptors) and protoc itself (com.google.protobuf:protoc:exe).
#   2. The rocketmq-proto jar carries the protoc-generated Java classes but no
#      .proto files; DumpDescriptors.java writes the FileDescriptorSet those
#      classes embed.
#   3. protoc --descriptor_set_in runs protoc-gen-go and protoc-gen-go-grpc
#      (built by `go build` at the versions pinned below) over that set.
#
# Usage: scripts/grpc/generate.sh   (make generate). Needs JDK 17 and Maven.
# Environment: BOOSTER_CACHE (default ~/.cache/booster), MVN (default mvn).
set -euo pipefail

ROCKETMQ_PROTO_VERSION=2.1.1      # rocketmq-client-java 5.2.0's rocketmq-proto.version
PROTOBUF_JAVA_VERSION=3.19.4      # what rocketmq-proto 2.1.1's pom depends on
PROTOC_VERSION=4.33.5             # com.google.protobuf:protoc (protoc 33.5)
PROTOC_GEN_GO_VERSION=v1.36.12    # google.golang.org/protobuf (same as go.mod)
PROTOC_GEN_GO_GRPC_VERSION=v1.6.2 # google.golang.org/grpc/cmd/protoc-gen-go-grpc

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"
cache="${BOOSTER_CACHE:-$HOME/.cache/booster}/grpc"
mvn="${MVN:-mvn}"
out_pkg=proxy/v2pb
module=github.com/booster-mq/booster

mkdir -p "$cache/bin"
fetch() { # fetch GROUP:ARTIFACT:VERSION[:TYPE[:CLASSIFIER]] FILE
  if [[ ! -s "$cache/$2" ]]; then
    "$mvn" -B -q -ntp dependency:copy -Dartifact="$1" -DoutputDirectory="$cache" -Dmdep.stripVersion=false >&2
  fi
}
fetch "org.apache.rocketmq:rocketmq-proto:$ROCKETMQ_PROTO_VERSION" "rocketmq-proto-$ROCKETMQ_PROTO_VERSION.jar"
fetch "com.google.protobuf:protobuf-java:$PROTOBUF_JAVA_VERSION" "protobuf-java-$PROTOBUF_JAVA_VERSION.jar"
fetch "com.google.protobuf:protoc:$PROTOC_VERSION:exe:linux-x86_64" "protoc-$PROTOC_VERSION-linux-x86_64.exe"
protoc="$cache/protoc-$PROTOC_VERSION-linux-x86_64.exe"
chmod +x "$protoc"

GOBIN="$cache/bin" go install "google.golang.org/protobuf/cmd/protoc-gen-go@$PROTOC_GEN_GO_VERSION"
GOBIN="$cache/bin" go install "google.golang.org/grpc/cmd/protoc-gen-go-grpc@$PROTOC_GEN_GO_GRPC_VERSION"

set_file="$cache/rocketmq-proto-$ROCKETMQ_PROTO_VERSION.pb"
mapfile -t files < <(java -cp "$cache/rocketmq-proto-$ROCKETMQ_PROTO_VERSION.jar:$cache/protobuf-java-$PROTOBUF_JAVA_VERSION.jar" \
  "$here/DumpDescriptors.java" "$set_file")

gen=()
mopts=()
for f in "${files[@]}"; do
  case "$f" in
    apache/rocketmq/v2/*)
      gen+=("$f")
      mopts+=("M$f=$module/$out_pkg;v2pb")
      ;;
  esac
done
go_opts=$(IFS=,; echo "paths=source_relative,${mopts[*]}")
# protoc-gen-go writes paths relative to the .proto names; generate into a
# scratch directory and move the files flat into the package.
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
PATH="$cache/bin:$PATH" "$protoc" --descriptor_set_in="$set_file" \
  --go_out="$tmp" --go_opt="$go_opts" \
  --go-grpc_out="$tmp" --go-grpc_opt="$go_opts" \
  "${gen[@]}"
rm -f "$root/$out_pkg"/*.pb.go
mkdir -p "$root/$out_pkg"
find "$tmp" -name '*.go' -exec mv {} "$root/$out_pkg/" \;
ls "$root/$out_pkg"
