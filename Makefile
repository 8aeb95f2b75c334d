# retort developer entry points.
#
#   make demo          build and run examples/quickstart (SQLite file in build/demo/;
#                      set DATABASE_URL to point it at PostgreSQL instead)
#   make test          everything CI checks: GCC build (-Werror) + all ctests, then a
#                      Clang ASan/UBSan build + its ctests, each against a throwaway
#                      PostgreSQL server (scripts/with-postgres.sh), then `make fuzz`
#   make test-gcc      only the first half of `make test`
#   make test-asan     only the second half of `make test`
#   make fuzz          libFuzzer targets (tests/fuzz/) built by clang++ in build-fuzz/, each
#                      run for FUZZ_SECONDS (default 60; `make test` runs them for 30)
#   make bench         Release build of the benchmarks, results in build/bench/results.json
#   make format        clang-format -i over include/ tests/ benchmarks/ examples/
#   make format-check  fail if any file is not clang-formatted
#   make clean         remove the build trees
#
# Missing Debian packages are installed first (scripts/ensure-deps.sh).

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help

CMAKE ?= cmake
CTEST ?= ctest
JOBS ?= 2
GENERATOR ?= Ninja
GCC_CXX ?= g++
CLANG_CXX ?= clang++
CLANG_FORMAT ?= clang-format

BUILD_DIR := build
ASAN_BUILD_DIR := build-asan
BENCH_BUILD_DIR := build-bench
FUZZ_BUILD_DIR := build-fuzz

FUZZ_SECONDS ?= 60

CTEST_ARGS ?= --output-on-failure --no-tests=error -j$(JOBS)
# detect_leaks=1: LeakSanitizer has to ptrace the test's threads at exit;
# that works on the project's machines (checked), so leaks fail the run.
SANITIZER_ENV := ASAN_OPTIONS=detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1 \
                 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

FORMAT_DIRS := include tests benchmarks examples

# build/: GCC, RelWithDebInfo, everything on. Shared by `make demo` and
# `make test` so that switching between them does not rebuild the world.
define configure_main
	$(CMAKE) -S . -B $(BUILD_DIR) -G $(GENERATOR) -DCMAKE_CXX_COMPILER=$(GCC_CXX) \
		-DCMAKE_BUILD_TYPE=RelWithDebInfo \
		-DRETORT_BUILD_TESTS=ON -DRETORT_BUILD_EXAMPLES=ON -DRETORT_BUILD_BENCHMARKS=ON \
		-DRETORT_SANITIZE=OFF $(1)
endef

.PHONY: help deps demo test test-gcc test-asan fuzz bench format format-check clean

help:
	@sed -n '3,18p' $(firstword $(MAKEFILE_LIST)) | sed 's/^# \{0,1\}//'

deps:
	@bash scripts/ensure-deps.sh

demo: deps
	$(call configure_main,)
	$(CMAKE) --build $(BUILD_DIR) --target quickstart -j $(JOBS)
	rm -rf $(BUILD_DIR)/demo
	mkdir -p $(BUILD_DIR)/demo
	cd $(BUILD_DIR)/demo && ../bin/quickstart

test: deps
	@$(MAKE) --no-print-directory test-gcc
	@$(MAKE) --no-print-directory test-asan
	@$(MAKE) --no-print-directory fuzz FUZZ_SECONDS=30

# GCC: tests, examples and benchmarks are all compiled (benchmarks are not
# run, only kept compiling); all ctests run, examples included.
test-gcc: deps
	$(call configure_main,-DRETORT_WARNINGS_AS_ERRORS=ON)
	$(CMAKE) --build $(BUILD_DIR) -j $(JOBS)
	bash scripts/with-postgres.sh $(CTEST) --test-dir $(BUILD_DIR) $(CTEST_ARGS)

# Clang + ASan/UBSan: tests only (clang's warnings are checked here too).
test-asan: deps
	$(CMAKE) -S . -B $(ASAN_BUILD_DIR) -G $(GENERATOR) -DCMAKE_CXX_COMPILER=$(CLANG_CXX) \
		-DCMAKE_BUILD_TYPE=Debug \
		-DRETORT_BUILD_TESTS=ON -DRETORT_BUILD_EXAMPLES=OFF -DRETORT_BUILD_BENCHMARKS=OFF \
		-DRETORT_SANITIZE=ON -DRETORT_WARNINGS_AS_ERRORS=ON
	$(CMAKE) --build $(ASAN_BUILD_DIR) -j $(JOBS)
	$(SANITIZER_ENV) bash scripts/with-postgres.sh $(CTEST) --test-dir $(ASAN_BUILD_DIR) $(CTEST_ARGS)

# libFuzzer: only the fuzz targets are built. Each fuzz.run.<name> ctest fuzzes one target for
# FUZZ_SECONDS from a fresh scratch copy of its seeds (build-fuzz/tests/fuzz/fuzz-work/), one
# at a time, and fails on any crash, leak, timeout or sanitizer report. No database needed.
fuzz: deps
	$(CMAKE) -S . -B $(FUZZ_BUILD_DIR) -G $(GENERATOR) -DCMAKE_CXX_COMPILER=$(CLANG_CXX) \
		-DCMAKE_BUILD_TYPE=Debug \
		-DRETORT_BUILD_TESTS=ON -DRETORT_BUILD_EXAMPLES=OFF -DRETORT_BUILD_BENCHMARKS=OFF \
		-DRETORT_SANITIZE=OFF -DRETORT_WARNINGS_AS_ERRORS=ON \
		-DRETORT_BUILD_FUZZERS=ON -DRETORT_FUZZ_SECONDS=$(FUZZ_SECONDS)
	$(CMAKE) --build $(FUZZ_BUILD_DIR) --target retort_fuzzers -j $(JOBS)
	$(CTEST) --test-dir $(FUZZ_BUILD_DIR) -L fuzz-run --output-on-failure --no-tests=error

bench: deps
	$(CMAKE) -S . -B $(BENCH_BUILD_DIR) -G $(GENERATOR) -DCMAKE_CXX_COMPILER=$(GCC_CXX) \
		-DCMAKE_BUILD_TYPE=Release \
		-DRETORT_BUILD_TESTS=OFF -DRETORT_BUILD_EXAMPLES=OFF -DRETORT_BUILD_BENCHMARKS=ON
	$(CMAKE) --build $(BENCH_BUILD_DIR) --target retort_benchmarks -j $(JOBS)
	mkdir -p $(BUILD_DIR)/bench
	cd $(BUILD_DIR)/bench && bash $(CURDIR)/scripts/with-postgres.sh sh -c \
		'RETORT_BENCH_POSTGRES_URL="$${RETORT_BENCH_POSTGRES_URL:-$$RETORT_TEST_POSTGRES_URL}"; export RETORT_BENCH_POSTGRES_URL; exec "$$@"' sh \
		$(CURDIR)/$(BENCH_BUILD_DIR)/bin/retort_benchmarks \
		--benchmark_out=$(CURDIR)/$(BUILD_DIR)/bench/results.json --benchmark_out_format=json $(BENCH_ARGS)
	@echo "benchmark results: $(BUILD_DIR)/bench/results.json"

format:
	@bash scripts/ensure-deps.sh clang-format
	find $(wildcard $(FORMAT_DIRS)) -type f \( -name '*.hpp' -o -name '*.cpp' -o -name '*.h' -o -name '*.ipp' \) -print0 \
		| xargs -0 -r $(CLANG_FORMAT) -i

format-check:
	@bash scripts/ensure-deps.sh clang-format
	find $(wildcard $(FORMAT_DIRS)) -type f \( -name '*.hpp' -o -name '*.cpp' -o -name '*.h' -o -name '*.ipp' \) -print0 \
		| xargs -0 -r $(CLANG_FORMAT) --dry-run --Werror

clean:
	rm -rf $(BUILD_DIR) $(ASAN_BUILD_DIR) $(BENCH_BUILD_DIR) $(FUZZ_BUILD_DIR)
