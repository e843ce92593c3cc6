# Booster: a drop-in Apache RocketMQ NameServer and Broker.
GO      ?= go
BIN     := bin
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 30s

.PHONY: grpc-conformance grpc-node-conformance all build run test unit conformance mqadmin-java crash failover-soak java-conformance fuzz bench compare lint generate clean

all: build

## build: write bin/booster (a static binary)
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/booster ./cmd/booster
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/mqadmin ./cmd/mqadmin

## run: start a standalone NameServer (127.0.0.1:9876) and Broker (:10911) with the store under ./data
run: build
	./$(BIN)/booster standalone $(if $(CONF),-c $(CONF),)

## test: the whole suite: unit tests with -race, fuzz seeds, then the conformance suites against the binary
test: build unit conformance java-conformance grpc-conformance grpc-node-conformance

unit:
	$(GO) vet ./...
	$(GO) test -race -count=1 -tags invariants -timeout 20m ./...

## conformance: the official Go client against a booster subprocess (and, with JDK 17 + Maven, the
## store-compatibility tests against the real Apache RocketMQ of scripts/apache, and Apache's mqadmin
## cross-checked with bin/mqadmin)
conformance: build mqadmin-java
	BOOSTER_TEST_BINARY=$(CURDIR)/$(BIN)/booster BOOSTER_APACHE_SCRIPTS=$(CURDIR)/scripts/apache \
	BOOSTER_TEST_MQADMIN_JAVA_CP="$$(cat $(MQADMIN_JAVA_CP))" BOOSTER_TEST_MQADMIN_JAVA_ACL_CP="$$(cat $(MQADMIN_JAVA_ACL_CP))" \
	$(GO) test -race -count=1 -timeout 20m ./conformance/
	# The orderly scenario and the mqadmin cross-check's live offset reset skip themselves under -race
	# (the Go client's orderly consumer and its reset handling race internally); run them once more
	# without the race detector.
	BOOSTER_TEST_BINARY=$(CURDIR)/$(BIN)/booster BOOSTER_TEST_MQADMIN_JAVA_CP="$$(cat $(MQADMIN_JAVA_CP))" \
	$(GO) test -count=1 -timeout 10m -run '^(TestOrderly|TestMQAdminJavaCrossCheck$$)' ./conformance/

## mqadmin-java: build the runner of Apache's mqadmin (rocketmq-tools from Maven Central) and write its
## classpath to $(MQADMIN_JAVA_CP) (empty without JDK 17 + Maven: the cross-check then skips)
MQADMIN_JAVA_CP := conformance/java/mqadmin/target/run.classpath
# rocketmq-tools 4.9.8 for the ACL 1.0 subcommands, which 5.x dropped
MQADMIN_JAVA_ACL_CP := conformance/java/mqadmin/target/run-4.9.8.classpath
mqadmin-java:
	@mkdir -p $(dir $(MQADMIN_JAVA_CP))
	conformance/java/mqadmin/build.sh > $(MQADMIN_JAVA_CP)
	TOOLS_VERSION=4.9.8 conformance/java/mqadmin/build.sh > $(MQADMIN_JAVA_ACL_CP)

## crash: the long crash test: CRASH_CYCLES SIGKILLs of a SYNC_FLUSH booster under load, each followed by a read-back
CRASH_CYCLES ?= 100
crash: build
	BOOSTER_TEST_BINARY=$(CURDIR)/$(BIN)/booster $(GO) test -race -count=1 -timeout 60m -run TestCrashSyncFlushKeepsAcknowledged -v ./conformance/ -crash.cycles=$(CRASH_CYCLES)

## failover-soak: FAILOVER_ROUNDS kill -9 / rejoin rounds of the controller-mode master under load
FAILOVER_ROUNDS ?= 10
failover-soak: build
	BOOSTER_TEST_BINARY=$(CURDIR)/$(BIN)/booster $(GO) test -race -count=1 -timeout 60m -run TestFailoverControllerKillMaster -v ./conformance/ -failover.rounds=$(FAILOVER_ROUNDS) -failover.load=10s

## java-conformance: the official Java client (4.9.x and 5.x, JSON and ROCKETMQ headers, VIP channel, TLS)
## against the binary; prints the matrix and writes conformance/java/target/matrix.txt (needs JDK 17 + Maven)
java-conformance: build
	BOOSTER_BINARY=$(CURDIR)/$(BIN)/booster conformance/java/run.sh

## grpc-conformance: the official RocketMQ 5.x Java client (rocketmq-client-java, gRPC) against the
## binary's gRPC endpoint (conformance/grpc-java; needs JDK 17 + Maven, skips without them)
grpc-conformance: build
	BOOSTER_BINARY=$(CURDIR)/$(BIN)/booster MQADMIN_BINARY=$(CURDIR)/$(BIN)/mqadmin conformance/grpc-java/run.sh

## grpc-node-conformance: the official RocketMQ 5.x Node.js client (rocketmq-client-nodejs from npm,
## pinned by its package-lock.json) against the binary's gRPC endpoint (conformance/grpc-node; needs
## Node.js 20.14+ and npm, skips without them)
grpc-node-conformance: build
	BOOSTER_BINARY=$(CURDIR)/$(BIN)/booster MQADMIN_BINARY=$(CURDIR)/$(BIN)/mqadmin conformance/grpc-node/run.sh

## fuzz: run every fuzz target for FUZZTIME, one after another (plain `go test` runs their seeds)
FUZZ_TARGETS := wire:FuzzDecode wire:FuzzJSONHeader wire:FuzzBinaryHeader \
	codec:FuzzDecodeRecord codec:FuzzDecodeBatch codec:FuzzParseProperties codec:FuzzRequestHeaders codec:FuzzDecodeHeartbeat \
	filter:FuzzParse compat:FuzzReadProperties compat:FuzzSetConf broker:FuzzConfigSet store:FuzzScanSegment \
	acl:FuzzParse acl:FuzzAddrPattern wire/transport:FuzzSplitFrames wire/transport:FuzzDecryptPKCS8
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		pkg=$${t%%:*}; fn=$${t##*:}; echo "== $$fn (./$$pkg) for $(FUZZTIME)"; \
		$(GO) test -run='^$$' -fuzz="^$$fn\$$" -fuzztime=$(FUZZTIME) ./$$pkg/; \
	done

## bench: package benchmarks
bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./wire/ ./codec/ ./store/

## compare: Apache RocketMQ and Booster side by side under the same workloads, with and without a
## slave, plus Apache's and the Go client's own benchmark programs (bench/compare.sh; needs JDK 17 +
## Maven + Go; COMPARE_DURATION, COMPARE_BACKLOG, ... tune it); prints one table
compare: build
	BOOSTER=$(CURDIR)/$(BIN)/booster bench/compare.sh

## generate: regenerate the gRPC stubs (proxy/v2pb) from the published rocketmq-proto artifact; protoc
## and the Go plugins come pinned from Maven Central and the Go module proxy (needs JDK 17 + Maven)
generate:
	scripts/grpc/generate.sh

lint:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (gofmt -l . && exit 1)

clean:
	rm -rf $(BIN)
