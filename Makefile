# Convenience front door. The real build is CMake; these targets install what
# is missing (Debian packages via scripts/install-deps.sh), configure, build
# and run. `make demo` is the main job, `make test` the test suite.
BUILD ?= build
JOBS  ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: all build test test-all test-asan demo bench viz clean format install

all: build

build:
	@scripts/build.sh $(BUILD)

# Every test but the long ones (label `slow`: soaks of minutes, a deaf
# agent for 60 s, the load run, the benchmark smoke run), which
# `make test-all` adds. CI runs `make test`.
test: build
	@RUMOR_CTEST_ARGS="-LE slow" scripts/test.sh $(BUILD)

test-all: build
	@scripts/test.sh $(BUILD)

# The suite under ASan+UBSan, without the long tests (label `slow`), the
# benchmark smoke run (label `bench`) and the wall-clock scenarios whose
# code paths shorter tests run too (label `timing`).
test-asan:
	@RUMOR_CTEST_ARGS="-LE slow|bench|timing" scripts/test.sh build-asan \
		-DRUMOR_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug

# Install into PREFIX (default /usr/local; DESTDIR for staging): the
# layout is in docs/operations.md, "Install layout".
PREFIX ?= /usr/local
install: build
	@cmake --install $(BUILD) --prefix $(PREFIX)

demo: build
	@$(BUILD)/bin/rumor demo

bench:
	@bench/run.sh

clean:
	rm -rf $(BUILD) build-asan

format:
	@clang-format -i $$(git ls-files '*.c' '*.h')
