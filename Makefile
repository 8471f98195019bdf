# Mosaic build. `make run` and `make test` do all set-up on a fresh Debian/Ubuntu machine:
# Bun from the npm registry (into .tools/ when it is not on PATH), the JS dependencies,
# the Debian packages the native addon needs (apt-get), and the addon itself (cargo --offline).

BUN_VERSION := 1.4.5
export PATH := $(CURDIR)/.tools/node_modules/.bin:$(PATH)
BUN := $(shell command -v bun 2>/dev/null || echo $(CURDIR)/.tools/node_modules/.bin/bun)
NATIVE := native/mosaic.node

# c-kzg (package.json trustedDependencies) is a node-gyp addon compiled by `bun install`. node-gyp
# would fetch Node's headers from nodejs.org; Debian's nodejs package has them in
# /usr/include/node, so point it there (the registry is the only network this build needs).
ifneq ($(wildcard /usr/include/node/node_api.h),)
export npm_config_nodedir ?= /usr
endif
NATIVE_SRC := $(wildcard native/src/*.rs) native/Cargo.toml native/build.rs

.PHONY: fuzz fuzz-diff all run test bench build native deps clean services soak

all: deps native

## run: build what is missing and start the main job: the execution-profile dev node
## (chain id 31337, RPC on 127.0.0.1:8545, RocksDB under the default data directory)
run: deps native
	$(BUN) src/cli/main.ts --profile execution $(ARGS)

## test: every test (unit, conformance when ../shared/fixtures exists)
test: deps native
	$(BUN) test $(TESTS)

## services: start the servers the tests use, each on a free loopback port in a temporary
## directory: a PostgreSQL 15 and a NATS server with JetStream (prints DATABASE_URL and NATS_URL
## to export and the commands that stop them)
services:
	@bash scripts/postgres-service.sh start
	@bash scripts/nats-service.sh start

## soak: the execution profile under mixed load for SOAK_MINUTES (10): p50/p99 and RSS every
## 30 s; fails on a failed request or when RSS grows more than 20% after a 3-minute warm-up
soak: deps native
	$(BUN) scripts/soak.ts

## fuzz-diff: differential fuzzing against anvil (revm) for Prague and Osaka, with the t8n round
## trip: COUNT cases per fork (default 1000) or SECONDS per fork, from SEED (default 1); FORKS,
## KIND to narrow. A difference prints its seed and a shrunk case; exit 1 when any case differs
fuzz-diff: deps native
	$(BUN) scripts/fuzz-diff.ts

## fuzz: every decoder and the JSON-RPC parameter parsers for FUZZ_SECONDS (default 600);
## random and structure-aware inputs, the corpus kept in test/fuzz/corpus; FUZZ_SEED repeats a run
fuzz: deps native
	$(BUN) test/fuzz/run.ts $(or $(FUZZ_SECONDS),600)

## bench: benchmarks, each against its peer in the same run
bench: deps native
	@command -v wrk >/dev/null || (apt-get install -y -qq wrk >/dev/null 2>&1 || true)  # HTTP load generator (optional)
	$(BUN) bench/index.ts

## build: compiled single-file executables under dist/
build: deps native
	$(BUN) scripts/build.ts

## native: the Rust N-API addon
native: $(NATIVE)

$(NATIVE): $(NATIVE_SRC) scripts/build-native.sh
	bash scripts/build-native.sh

# @ethereumjs/client 0.10.5, the second client of test/interop, in a package of its own: its
# @ethereumjs/* 10.0.0 dependencies cannot share a tree with Mosaic's 10.1.3 ones (see
# test/interop/ethereumjs-client/README.md).
INTEROP := test/interop/ethereumjs-client

deps: $(BUN) node_modules/.installed $(INTEROP)/node_modules/.installed

$(CURDIR)/.tools/node_modules/.bin/bun:
	npm install --prefix .tools --no-save --no-audit --no-fund bun@$(BUN_VERSION)
	@# npm may skip bun's postinstall (allow-scripts); run it so bin/bun is the real binary.
	@.tools/node_modules/.bin/bun --version >/dev/null 2>&1 || (cd .tools/node_modules/bun && node install.js)
	@.tools/node_modules/.bin/bun --version

node_modules/.installed: package.json bun.lock
	@# node-gyp (c-kzg) compiles C++ with python3 and make
	@command -v g++ >/dev/null && command -v python3 >/dev/null || apt-get install -y -qq g++ python3 make >/dev/null
	$(BUN) install --frozen-lockfile
	@touch $@

$(INTEROP)/node_modules/.installed: $(INTEROP)/package.json $(INTEROP)/bun.lock
	cd $(INTEROP) && $(BUN) install --frozen-lockfile
	@touch $@

clean:
	rm -rf native/target $(NATIVE) dist node_modules .tools $(INTEROP)/node_modules
