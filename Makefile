# Booster: a drop-in Apache RocketMQ NameServer and Broker.
GO      ?= go
BIN     := bin
VERSION := $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
LDFLAGS := -s -w -X main.version=$(VERSION)
FUZZTIME ?= 30s

.PHONY: all build run test unit conformance fuzz bench lint generate clean

all: build

## build: write bin/booster (a static binary)
build:
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/booster ./cmd/booster
	CGO_ENABLED=0 $(GO) build -trimpath -ldflags '$(LDFLAGS)' -o $(BIN)/mqadmin ./cmd/mqadmin

## run: start a standalone NameServer (127.0.0.1:9876) and Broker (:10911) with the store under ./data
run: build
	./$(BIN)/booster standalone $(if $(CONF),-c $(CONF),)

## test: the whole suite: unit tests with -race, fuzz seeds, then the conformance suite against the binary
test: build unit conformance

unit:
	$(GO) vet ./...
	$(GO) test -race -count=1 -tags invariants -timeout 20m ./...

## conformance: the official Go client against a booster subprocess
conformance: build
	BOOSTER_TEST_BINARY=$(CURDIR)/$(BIN)/booster $(GO) test -race -count=1 -timeout 20m ./conformance/

## fuzz: run every fuzz target for FUZZTIME
fuzz:
	$(GO) test -run='^$$' -fuzz=FuzzDecode -fuzztime=$(FUZZTIME) ./wire/
	$(GO) test -run='^$$' -fuzz=FuzzDecodeRecord -fuzztime=$(FUZZTIME) ./codec/
	$(GO) test -run='^$$' -fuzz=FuzzDecodeBatch -fuzztime=$(FUZZTIME) ./codec/
	$(GO) test -run='^$$' -fuzz=FuzzParseProperties -fuzztime=$(FUZZTIME) ./codec/

## bench: package benchmarks
bench:
	$(GO) test -run='^$$' -bench=. -benchmem ./wire/ ./codec/ ./store/

lint:
	$(GO) vet ./...
	@test -z "$$(gofmt -l .)" || (gofmt -l . && exit 1)

clean:
	rm -rf $(BIN)
