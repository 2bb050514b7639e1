# epollviz: plain GNU make, no configure step.
#
#   make            build ./epollviz
#   make run        build and run it (ARGS=...)
#   make test       boundary check, then tests/run on ./epollviz + unit tests
#   make check      the same suite built with ASan+UBSan, in build-san/
#   make golden     rewrite tests/golden/ from the screens as they are now
#   make install    PREFIX=/usr/local DESTDIR= (uninstall undoes it)
#   make deb        epollviz_VERSION_ARCH.deb (dpkg-deb); deb-check: lintian, tried installed
#                   (deb-check is also part of make test)
#   make deps       install/check build and test dependencies
#   make fuzz       libFuzzer on each target for FUZZ_SECONDS (clang; tests/fuzz/)
#   make fuzz-coverage  the lines of src/ that the fuzz corpora reach (llvm-cov)
#   make bench      epollviz against a bare epoll server, one table (BENCH_QUICK=1: short)
#   make clean      back to a fresh clone
#
# The user's CPPFLAGS/CFLAGS/LDFLAGS/LDLIBS come after ours, so they can
# add or override (make CFLAGS=-O0) without losing the warnings.

PREFIX ?= /usr/local
DESTDIR ?=
CC ?= cc
PKG_CONFIG ?= pkg-config
ARGS ?=

# SAN=1 (what `make check` uses) builds everything into its own tree, so
# a sanitizer build never mixes objects with the normal one; so does
# FUZZ=1 (what `make fuzz` uses): clang with libFuzzer's instrumentation.
ifeq ($(FUZZ),1)
BUILDDIR = build-fuzz
BIN      = $(BUILDDIR)/epollviz
CC       = clang
OPT      = -O1 -g -fno-omit-frame-pointer
SANFLAGS = -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
# Every frame passes each cell through grid.c: tracing its comparisons
# for libFuzzer tripled the cost of a frame and guided nothing.
$(BUILDDIR)/src/grid.o: SANFLAGS += -fno-sanitize-coverage=trace-cmp
else ifeq ($(COV),1)
# COV=1 (what `make fuzz-coverage` uses): clang's source-based coverage.
BUILDDIR = build-cov
BIN      = $(BUILDDIR)/epollviz
CC       = clang
OPT      = -O0 -g
SANFLAGS = -fprofile-instr-generate -fcoverage-mapping
else ifeq ($(SAN),1)
BUILDDIR = build-san
BIN      = $(BUILDDIR)/epollviz
OPT      = -O1 -g -fno-omit-frame-pointer
SANFLAGS = -fsanitize=address,undefined
export ASAN_OPTIONS  = detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS = halt_on_error=1:print_stacktrace=1
else
BUILDDIR = build
BIN      = epollviz
OPT      = -O2 -g
SANFLAGS =
endif
UNIT = $(BUILDDIR)/unit-tests
# The yardstick and the load generator of `make bench` (bench/*.c, one
# file each, nothing of src/): the test suite runs them tiny.
BENCH_TOOLS = $(BUILDDIR)/bench/bare $(BUILDDIR)/bench/load

WARN = -Wall -Wextra -Wformat=2 -Wshadow -Wstrict-prototypes \
       -Wmissing-prototypes -Wwrite-strings
EV_CPPFLAGS = -D_GNU_SOURCE -Isrc $(CPPFLAGS)
EV_CFLAGS   = -std=c17 $(WARN) $(OPT) $(SANFLAGS) $(CFLAGS)
EV_LDFLAGS  = $(SANFLAGS) $(LDFLAGS)

# Deferred (=, not :=) on purpose: on a fresh machine pkg-config and the
# .pc files only exist once the deps check has run, which is after this
# file is read. These expand when a recipe that uses them runs.
UI_CFLAGS = $(shell $(PKG_CONFIG) --cflags ncursesw readline)
UI_LIBS   = $(shell $(PKG_CONFIG) --libs ncursesw readline)

SRC_OBJ  = $(patsubst %.c,$(BUILDDIR)/%.o,$(wildcard src/*.c))
UI_OBJ   = $(patsubst %.c,$(BUILDDIR)/%.o,$(wildcard ui/*.c))
UNIT_OBJ = $(patsubst %.c,$(BUILDDIR)/%.o,$(wildcard tests/unit/*.c))
# The fuzz targets (tests/fuzz/fuzz_NAME.c), each also linked with replay.c
# into $(BUILDDIR)/fuzz/replay-NAME, which `make test` runs over the seeds.
FUZZ_NAMES = $(patsubst tests/fuzz/fuzz_%.c,%,$(wildcard tests/fuzz/fuzz_*.c))
FUZZ_OBJ   = $(patsubst %.c,$(BUILDDIR)/%.o,$(wildcard tests/fuzz/*.c))
FUZZ_REPLAY = $(patsubst %,$(BUILDDIR)/fuzz/replay-%,$(FUZZ_NAMES))
# Unit tests link the model (src/; main() is in ui/); tests/unit/main.c has one.
MODEL_OBJ = $(SRC_OBJ)

all: $(BIN)

$(BIN): $(SRC_OBJ) $(UI_OBJ)
	$(CC) $(EV_LDFLAGS) -o $@ $^ $(UI_LIBS) $(LDLIBS)

$(UNIT): $(MODEL_OBJ) $(UNIT_OBJ)
	$(CC) $(EV_LDFLAGS) -o $@ $^ $(LDLIBS)

unit: $(UNIT)

$(BUILDDIR)/fuzz/replay-%: $(BUILDDIR)/tests/fuzz/fuzz_%.o $(BUILDDIR)/tests/fuzz/bound.o \
		$(BUILDDIR)/tests/fuzz/replay.o $(MODEL_OBJ)
	@mkdir -p $(@D)
	$(CC) $(EV_LDFLAGS) -o $@ $^ $(LDLIBS)

# Where the targets run `load scenarios/...` from.
$(BUILDDIR)/tests/fuzz/bound.o: EV_CPPFLAGS += -DFUZZ_SCENARIO_DIR='"$(CURDIR)/scenarios"'

$(BUILDDIR)/bench/%: bench/%.c
	@mkdir -p $(@D)
	$(CC) $(EV_CPPFLAGS) $(EV_CFLAGS) $(EV_LDFLAGS) -o $@ $< $(LDLIBS)

# src/ and tests/ never see curses or readline flags: the model must
# build without them (see `boundary`). Only ui/ gets them.
$(BUILDDIR)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(EV_CPPFLAGS) $(EV_CFLAGS) -MMD -MP -c -o $@ $<

$(BUILDDIR)/ui/%.o: ui/%.c
	@mkdir -p $(@D)
	$(CC) $(UI_CFLAGS) -DSCENARIO_DIR='"$(PREFIX)/share/epollviz/scenarios"' $(EV_CPPFLAGS) $(EV_CFLAGS) -MMD -MP -c -o $@ $<

-include $(SRC_OBJ:.o=.d) $(UI_OBJ:.o=.d) $(UNIT_OBJ:.o=.d) $(FUZZ_OBJ:.o=.d)

# Every compile and link waits for the deps check. Order-only (|) so that
# the always-run check does not make the objects look out of date.
$(SRC_OBJ) $(UI_OBJ) $(UNIT_OBJ) $(FUZZ_OBJ) $(BIN) $(UNIT) $(FUZZ_REPLAY) $(BENCH_TOOLS): | deps-build

# tests/run takes the binaries from the environment (paths relative to
# the top of the tree) and keeps its scratch files in tests/tmp/.
test: deps-test boundary $(BIN) $(UNIT) $(FUZZ_REPLAY) $(BENCH_TOOLS)
	EPOLLVIZ=./$(BIN) UNIT=./$(UNIT) FUZZ_REPLAY=./$(BUILDDIR)/fuzz BENCH_DIR=./$(BUILDDIR)/bench tests/run

check:
	@$(MAKE) --no-print-directory SAN=1 test

# After a change to what the screen shows: the golden screens that
# tests/e2e/golden.sh compares, rewritten (then: git diff tests/golden).
golden: $(BIN)
	EPOLLVIZ=./$(BIN) GOLDEN_ACCEPT=1 tests/e2e/golden.sh

run: $(BIN)
	./$(BIN) $(ARGS)

# The model (src/) must never include curses or readline (README, "Layout").
boundary:
	@if grep -rnE '^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"](n?curses|ncursesw/|readline/)' \
		--include='*.[ch]' src; then \
		echo "boundary: src/ must not include curses or readline headers;" \
		     "move that code to ui/ (lines above)" >&2; \
		exit 1; \
	fi

# deps-test runs after deps-build, never beside it under -j: two apt-gets
# at once would fight over the dpkg lock.
deps: deps-test
deps-build:
	@CC='$(CC)' PKG_CONFIG='$(PKG_CONFIG)' tools/deps.sh build
deps-test: deps-build
	@CC='$(CC)' PKG_CONFIG='$(PKG_CONFIG)' tools/deps.sh test

BINDIR   = $(DESTDIR)$(PREFIX)/bin
SHAREDIR = $(DESTDIR)$(PREFIX)/share/epollviz
MAN1DIR  = $(DESTDIR)$(PREFIX)/share/man/man1
# Where bash-completion looks for a command's completion when it is used.
COMPDIR  = $(DESTDIR)$(PREFIX)/share/bash-completion/completions
MANPAGE  = $(wildcard epollviz.1)
SCENARIOS = $(wildcard scenarios/*)

install: all
	install -d $(BINDIR) $(SHAREDIR)/scenarios
	install -m 755 $(BIN) $(BINDIR)/epollviz
	$(if $(SCENARIOS),install -m 644 $(SCENARIOS) $(SHAREDIR)/scenarios/)
	$(if $(MANPAGE),install -d $(MAN1DIR))
	$(if $(MANPAGE),install -m 644 $(MANPAGE) $(MAN1DIR)/epollviz.1)
	install -d $(COMPDIR)
	install -m 644 completion/epollviz.bash $(COMPDIR)/epollviz

uninstall:
	rm -f $(BINDIR)/epollviz $(MAN1DIR)/epollviz.1 $(COMPDIR)/epollviz
	rm -rf $(SHAREDIR)

# A Debian binary package, epollviz_VERSION_ARCH.deb, built with dpkg-deb
# from `make install` into build/deb (tools/deb.sh says how).  deb-check
# is tests/e2e/deb.sh alone: it builds the package in its scratch
# directory, runs lintian and tries it installed in a scratch root; being
# quick and touching nothing outside tests/tmp, it is part of `make test`.
VERSION = $(shell sed -n 's/^\#define EPOLLVIZ_VERSION "\(.*\)"$$/\1/p' src/options.h)
DEB     = epollviz_$(VERSION)_$(shell dpkg --print-architecture 2>/dev/null || echo unknown).deb
deps-deb:
	@tools/deps.sh deb
deb: deps-build deps-deb
	@VERSION='$(VERSION)' tools/deb.sh $(DEB)
deb-check: deps-test
	@bash tests/e2e/deb.sh

# libFuzzer on each target in turn, FUZZ_SECONDS each (not part of `make
# test`, which only replays the seeds).  Inputs that found new paths
# collect in tests/tmp/fuzz/NAME/ (the seeds stay in tests/fuzz/corpus/),
# findings in tests/tmp/fuzz/NAME-crash-... (also -leak-, -timeout-).
FUZZ_SECONDS ?= 30
FUZZ_TARGETS ?= $(FUZZ_NAMES)
FUZZ_FLAGS ?=
FUZZ_TMP = $(CURDIR)/tests/tmp/fuzz
# What each target reads: its seeds, and the lessons where they are input.
FUZZ_SEEDS_scenario  = tests/fuzz/corpus/scenario scenarios
FUZZ_SEEDS_engine    = tests/fuzz/corpus/engine tests/fuzz/corpus/scenario scenarios
FUZZ_SEEDS_presenter = tests/fuzz/corpus/presenter
FUZZ_SEEDS_options   = tests/fuzz/corpus/options
FUZZ_LEN_scenario  = 4096
FUZZ_LEN_engine    = 2048
FUZZ_LEN_presenter = 1024
FUZZ_LEN_options   = 256
FUZZ_DICT_scenario  = tests/fuzz/scenario.dict
FUZZ_DICT_engine    = tests/fuzz/scenario.dict
FUZZ_DICT_presenter = $(FUZZ_TMP)/presenter.dict
FUZZ_DICT_options   = tests/fuzz/options.dict

ifeq ($(FUZZ),1)
$(BUILDDIR)/fuzz/fuzz-%: $(BUILDDIR)/tests/fuzz/fuzz_%.o $(BUILDDIR)/tests/fuzz/bound.o $(MODEL_OBJ)
	@mkdir -p $(@D)
	$(CC) -fsanitize=fuzzer,address,undefined $(LDFLAGS) -o $@ $^ $(LDLIBS)

# One target: its own corpus directory first (where libFuzzer adds), then
# the seeds; -print_final_stats=1 ends with the execs/s and coverage.
define fuzz_one
	@mkdir -p $(FUZZ_TMP)/$(1)
	@echo "fuzz: $(1) for $(FUZZ_SECONDS) s"
	$(BUILDDIR)/fuzz/fuzz-$(1) -max_total_time=$(FUZZ_SECONDS) \
		-max_len=$(FUZZ_LEN_$(1)) -dict=$(abspath $(FUZZ_DICT_$(1))) -timeout=30 \
		-print_final_stats=1 -artifact_prefix=$(FUZZ_TMP)/$(1)- $(FUZZ_FLAGS) \
		$(FUZZ_TMP)/$(1) $(abspath $(wildcard $(FUZZ_SEEDS_$(1))))

endef

fuzz-run: $(patsubst %,$(BUILDDIR)/fuzz/fuzz-%,$(FUZZ_TARGETS)) $(FUZZ_DICT_presenter)
	$(foreach t,$(FUZZ_TARGETS),$(call fuzz_one,$(t)))
endif

$(FUZZ_TMP)/presenter.dict: tests/fuzz/scenario.dict tests/fuzz/keys.dict
	@mkdir -p $(@D)
	cat $^ >$@

fuzz: deps-build
	@tools/deps.sh fuzz
	@$(MAKE) --no-print-directory FUZZ=1 fuzz-run

# What the corpora reach: each target's replay, built with coverage, runs
# over its seeds and what `make fuzz` collected; llvm-cov then counts the
# lines of src/ run, per target and by all of them (build-cov/coverage.txt
# has every file).
LLVM_COV ?= llvm-cov
LLVM_PROFDATA ?= llvm-profdata
fuzz-coverage: deps-build
	@tools/deps.sh fuzz
	@command -v $(LLVM_COV) >/dev/null && command -v $(LLVM_PROFDATA) >/dev/null || \
		{ echo "fuzz-coverage: needs llvm-cov and llvm-profdata (apt-get install llvm)" >&2; exit 1; }
	@$(MAKE) --no-print-directory COV=1 fuzz-coverage-run

ifeq ($(COV),1)
define cov_one
	@LLVM_PROFILE_FILE=$(BUILDDIR)/$(1).profraw $(BUILDDIR)/fuzz/replay-$(1) \
		$(wildcard $(FUZZ_TMP)/$(1) $(FUZZ_SEEDS_$(1))) | tail -n 1
	@$(LLVM_PROFDATA) merge -sparse -o $(BUILDDIR)/$(1).profdata $(BUILDDIR)/$(1).profraw
	@$(LLVM_COV) report $(BUILDDIR)/fuzz/replay-$(1) \
		-instr-profile=$(BUILDDIR)/$(1).profdata src/ | awk -v t=$(1) '$(COV_AWK)'

endef

# llvm-cov's TOTAL line, in words.
COV_AWK = /^TOTAL/ { printf "%-10s src/ lines %s (%d of %d), functions %s, branches %s\n", t ":", $$10, $$8 - $$9, $$8, $$7, $$13 }

fuzz-coverage-run: $(patsubst %,$(BUILDDIR)/fuzz/replay-%,$(FUZZ_TARGETS))
	@rm -f $(BUILDDIR)/*.profraw $(BUILDDIR)/*.profdata
	$(foreach t,$(FUZZ_TARGETS),$(call cov_one,$(t)))
	@$(LLVM_PROFDATA) merge -sparse -o $(BUILDDIR)/all.profdata $(BUILDDIR)/*.profraw
	@$(LLVM_COV) report $(patsubst %,$(BUILDDIR)/fuzz/replay-%,$(firstword $(FUZZ_TARGETS))) \
		$(foreach t,$(wordlist 2,9,$(FUZZ_TARGETS)),-object $(BUILDDIR)/fuzz/replay-$(t)) \
		-instr-profile=$(BUILDDIR)/all.profdata src/ >$(BUILDDIR)/coverage.txt
	@awk -v t=all '$(COV_AWK)' $(BUILDDIR)/coverage.txt
endif

# Benchmarks are run and quoted, never asserted: the machines are shared.
# bench/run.sh says what it measures; BENCH_QUICK=1 for a short pass.
bench: $(BIN) $(BENCH_TOOLS) deps-test
	EPOLLVIZ=./$(BIN) BENCH_DIR=./$(BUILDDIR)/bench bench/run.sh

clean:
	rm -rf build build-san build-fuzz build-cov tests/tmp epollviz epollviz_*.deb

.PHONY: all unit test check golden run boundary deps deps-build deps-test \
	install uninstall clean fuzz fuzz-run fuzz-coverage fuzz-coverage-run bench deb deb-check deps-deb
