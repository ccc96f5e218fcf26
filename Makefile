# Entry points. `make demo` and `make test` install what they need (scripts/setup.sh) first.
SHELL := /bin/bash
PRESETS := host-release host-debug cortex-m4
JOBS ?= $(shell nproc)

.PHONY: all setup build test demo bench format size clean help

all: build

help:
	@echo "make demo    build the host tools and examples, run the live native-device demo (the main job)"
	@echo "make test    install dependencies, build host/sanitizer/cortex-m4 and run every test suite"
	@echo "make bench   run the benchmarks (see docs/PERFORMANCE.md)"
	@echo "make size    .text/.data/.bss of each device-side library for cortex-m4 -Os"
	@echo "make format  format the sources with .clang-format"
	@echo "make clean   remove build/"

setup:
	@scripts/setup.sh

build: setup
	@for preset in $(PRESETS); do \
	  cmake --preset $$preset >/dev/null && cmake --build --preset $$preset -j $(JOBS) || exit 1; \
	done

test: build
	@failed=0; for preset in $(PRESETS); do \
	  echo "=== ctest: $$preset ==="; \
	  ctest --preset $$preset -j $(JOBS) || failed=1; \
	done; exit $$failed

size: build
	@cmake --build --preset cortex-m4 --target size-report

# The demo needs only the host tools and the example containers.
demo: setup
	@cmake --preset host-release >/dev/null && cmake --build --preset host-release -j $(JOBS)
	@scripts/demo.sh

bench: build
	@scripts/bench.sh

format:
	@git ls-files '*.h' '*.cc' | xargs clang-format-14 -i

clean:
	rm -rf build
