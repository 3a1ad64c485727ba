# Sluice — build, test and run. Every target installs the Debian packages it needs first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

SWIFT        ?= swift
CONFIG       ?= debug
BIN_DIR       = $(shell $(SWIFT) build -c $(CONFIG) --show-bin-path 2>/dev/null)
CLUSTER_DIR  ?= $(CURDIR)/.cluster
PROTO_FILES   = proto/sluice/v1/control.proto
PROTOC_GEN_SWIFT = .build-protoc/release/protoc-gen-swift
CPEER         = .build-cpeer/sluice-status-peer
NETEM_TOOL    = .build-netem/nfq-delay
DEB_PACKAGES  = librdkafka-dev librocksdb-dev libpq-dev libssl-dev postgresql protobuf-compiler \
                protobuf-c-compiler libprotobuf-c-dev pkg-config curl
# What only the tests need: the web UI check drives Debian's headless Chromium from python3; the
# multi-host tests build network namespaces (iproute2), relay the dev broker's loopback-only
# listener across them (socat) and degrade links with netfilter (iptables, libnetfilter-queue:
# this kernel has no sch_netem, see cluster/netns.sh netem).
DEB_TEST_PACKAGES = chromium python3-websocket prometheus iproute2 socat iptables libnetfilter-queue-dev

export SLUICE_CLUSTER_DIR := $(CLUSTER_DIR)

.PHONY: help setup test-setup build test run cluster down clean proto cpeer netem-tool bench bench-flink monitor readme-kinds install datagen-stop

help:
	@echo "make run    start a local cluster (PostgreSQL, dev Kafka broker, JobManager, 2 TaskManagers)"
	@echo "            plus generated clicks/checkouts and the checkout-attribution job"
	@echo "make cluster  only the cluster, no data and no job"
	@echo "make monitor  start Prometheus scraping the running cluster (MONITOR_PORT, default 9090); prints its URL"
	@echo "make datagen-stop  stop only make run's event generator (the jobs keep running)"
	@echo "make down   stop everything 'make run' started (data stays; 'make clean' removes it)"
	@echo "make test   build and run the whole test suite"
	@echo "make install  put sluice, jobmanager, taskmanager on PATH (links in PREFIX/bin, default /usr/local; make run does it)"
	@echo "make proto  regenerate the protobuf code from proto/"
	@echo "make bench  measure throughput, latency and memory; writes BENCHMARKS.md"
	@echo "make bench-flink  the same attribution in Apache Flink SQL (PyFlink, installed into .build-flink) on the"
	@echo "            same input: events/s, peak JVM RSS, rows checked; SLUICE_BENCH_EVENTS, SLUICE_BENCH_BIN (bench/flink/README.md)"
	@echo "make readme-kinds  rewrite README.md's operator reference from 'sluice kinds --markdown'"

setup:
	@bash cluster/install-packages.sh $(DEB_PACKAGES)

test-setup: setup
	@bash cluster/install-packages.sh $(DEB_TEST_PACKAGES)

build: setup
	$(SWIFT) build -c $(CONFIG)

$(CPEER): Tests/CPeer/status_peer.c Tests/CPeer/generated/sluice/v1/control.pb-c.c | setup
	@mkdir -p $(dir $@)
	cc -O2 -Wall -Werror -o $@ -ITests/CPeer/generated Tests/CPeer/status_peer.c \
	   Tests/CPeer/generated/sluice/v1/control.pb-c.c $$(pkg-config --cflags --libs libprotobuf-c libcrypto)

cpeer: $(CPEER)

$(NETEM_TOOL): cluster/netem/nfq_delay.c | test-setup
	@mkdir -p $(dir $@)
	cc -O2 -Wall -Werror -o $@ cluster/netem/nfq_delay.c $$(pkg-config --cflags --libs libnetfilter_queue)

netem-tool: $(NETEM_TOOL)

test: build $(CPEER) $(NETEM_TOOL) test-setup
	SLUICE_BIN_DIR="$(BIN_DIR)" SLUICE_CPEER="$(CURDIR)/$(CPEER)" $(SWIFT) test -c $(CONFIG) --no-parallel 2>&1 | tee .build/test.log; exit $${PIPESTATUS[0]}

install: build
	@SLUICE_BIN_DIR="$(BIN_DIR)" bash cluster/install.sh

# make run also puts the commands on PATH (when PREFIX/bin is writable; it says so otherwise).
run: build
	@SLUICE_BIN_DIR="$(BIN_DIR)" bash cluster/install.sh || true
	@SLUICE_BIN_DIR="$(BIN_DIR)" bash cluster/cluster.sh pipeline

cluster: build
	@SLUICE_BIN_DIR="$(BIN_DIR)" bash cluster/cluster.sh up

readme-kinds: build
	@SLUICE_BIN_DIR="$(BIN_DIR)" bash cluster/readme-kinds.sh

monitor:
	@bash cluster/monitor.sh start

datagen-stop:
	@bash cluster/cluster.sh datagen-stop

down:
	@bash cluster/cluster.sh down

bench: setup
	@bash cluster/install-packages.sh python3
	bash bench/run.sh

# Needs a built sluice (in SLUICE_BENCH_BIN, default .build/release) only to generate its input;
# installs Java 17 and apache-flink itself (bench/flink/setup.sh).
bench-flink:
	bash bench/flink/run.sh

clean: down
	rm -rf "$(CLUSTER_DIR)"

$(PROTOC_GEN_SWIFT):
	$(SWIFT) package resolve
	$(SWIFT) build -c release --package-path .build/checkouts/swift-protobuf --scratch-path .build-protoc --product protoc-gen-swift

proto: setup $(PROTOC_GEN_SWIFT)
	protoc --plugin=protoc-gen-swift=$(PROTOC_GEN_SWIFT) --swift_opt=Visibility=Public \
	       --swift_out=Sources/Protocol/Generated -Iproto $(PROTO_FILES)
	protoc --c_out=Tests/CPeer/generated -Iproto $(PROTO_FILES)
