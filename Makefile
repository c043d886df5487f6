# bitcycle top-level build. Each folder contributes one fragment (docs/contributing.md);
# `make help` lists the targets by purpose and the variables.
.DEFAULT_GOAL := all
SHELL := /bin/bash
BUILD := build
SEED ?= 1
TRACE ?= 0
FAST ?= 0
SAN ?= 0
# Parallel jobs `make test` and `make demo` use when no -j was given.
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
# HAL backends built into the host tool and the tests (mmio is always built for rv32).
# fsim alone needs no Verilator or SystemC: `make BC_BACKENDS=fsim ...`.
BC_BACKENDS ?= fsim sim vp

CC := gcc
CXX := g++
CSTD := -std=c11
WARN := -Wall -Wextra -Werror
OPT ?= -O2 -g
# Automatic header dependencies: every object gets a .d file next to it.
DEPFLAGS := -MMD -MP
SAN_CFLAGS := -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS := $(CSTD) $(WARN) $(OPT) $(DEPFLAGS) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CXXFLAGS := -std=c++17 -Wall -Wextra $(OPT) $(DEPFLAGS)
LDLIBS := -lm
ifeq ($(SAN),1)
CFLAGS += $(SAN_CFLAGS)
CXXFLAGS += $(SAN_CFLAGS)
LDFLAGS += $(SAN_CFLAGS)
endif
CMOCKA_CFLAGS := $(shell pkg-config --cflags cmocka 2>/dev/null)
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

# True (non-empty) under make -n: recipes that run a sub-make around shell
# code print the sub-make instead, so a dry run writes nothing.
DRY_RUN := $(findstring n,$(filter-out --%,$(firstword -$(MAKEFLAGS))))
# $(call vmake,ARGS,LOG): run a generated (Verilator) makefile under our
# jobserver, output to LOG (its tail shown on failure); a dry run prints it.
vmake = $(if $(DRY_RUN),echo "$(MAKE) $(1)",$(MAKE) $(1) >>$(2) 2>&1 || { tail -30 $(2); exit 1; })
# -j$(JOBS) unless the user chose a job count (only visible inside recipes).
JOBS_FLAG = $(if $(findstring -j,$(MAKEFLAGS)),,-j$(JOBS))

# $(call stamp_force,FILE,TEXT): FORCE when FILE does not hold TEXT. Stamp rules
# use it as a prerequisite and write TEXT (mk/write-if-changed.sh), so what
# depends on a setting rebuilds exactly when it changes; parsing writes nothing.
empty :=
space := $(empty) $(empty)
stamp_key = x$(subst $(space),_,$(strip $(1)))
stamp_force = $(if $(filter $(call stamp_key,$(file <$(1))),$(call stamp_key,$(2))),,FORCE)

TEST_TARGETS :=
TEST_FULL_TARGETS :=
BENCH_TARGETS :=
LINT_TARGETS :=
SYNTH_TARGETS :=
WAVE_TARGETS :=
FUZZ_TARGETS :=
COVERAGE_TARGETS :=
SOAK_TARGETS :=
DEMO_STEPS :=
DEMO_BUILD :=
# What build/bitcycle links: objects and libraries (files, all prerequisites of
# the link) and extra linker flags.
HOST_OBJS :=
HOST_LIBS :=
HOST_LDLIBS :=

include mk/deps.mk

# Directories are created on demand by order-only prerequisites such as | $(BUILD)/part/.
.PRECIOUS: %/
%/:
	@mkdir -p $@

# Order matters: a fragment uses only the exports of the fragments above it
# (the dependency rule: host -> firmware -> driver -> HAL -> RTL | model; the
# register description first, since every part reads the generated header;
# rtl.mk after sim.mk, since the core regression links the golden model).
include rtl/regmap/regmap.mk
include tests/common/common.mk
include sim/sim.mk
include rtl/rtl.mk
include driver/driver.mk
include firmware/firmware.mk
include host/host.mk
include waveforms/waveforms.mk
include tests/tests.mk

.PHONY: FORCE all help deps test bench demo clean lint synth wave fuzz coverage soak test-full test-run demo-build

all: $(BUILD)/bitcycle ## build the host tool build/bitcycle and everything it links

# The `##` comments of the rules, grouped by the `## [group]` tag that ends
# them (untagged targets are internals).
help: ## this list: targets by purpose, then the variables
	@bash mk/help.sh $(MAKEFILE_LIST)

test: deps-check data ## run every test suite, in parallel (-j$(JOBS) unless -j is given)
	@$(MAKE) $(JOBS_FLAG) -k -Otarget --no-print-directory test-run

test-run: $(TEST_TARGETS)
	@echo "== make test: all $(words $(TEST_TARGETS)) suites passed =="

bench: deps-check ## run the benchmarks and write build/bench.md (reports only, asserts nothing)
	@rm -f $(BUILD)/bench/*.md
	@$(MAKE) --no-print-directory $(BENCH_TARGETS)
	@bash mk/bench-report.sh $(BUILD)/bench $(BUILD)/bench.md

# The main job: the answer on one screen (mk/demo.sh): CPT against static 8/8
# on ResNet-74 from the estimator calibrated on the RTL, then a short
# training of both on the RTL, then the RTL's bit-serial GEMM. Everything is
# built first in parallel; the steps then run in order, each echoing its command.
# The individual steps stay available: estimate-demo, train-demo, rtl-demo.
demo: deps-check data ## the main job: what CPT saves (estimate), whether it trains (RTL), the bit-serial GEMM
	@$(MAKE) $(JOBS_FLAG) -s --no-print-directory demo-build
	@bash mk/demo.sh $(BUILD)

# What the demo steps run, built in parallel before the first step.
demo-build: $(DEMO_BUILD)

lint: deps-check ## verilator --lint-only -Wall of the RTL (no blanket waivers)
	@$(MAKE) --no-print-directory $(LINT_TARGETS)

synth: deps-check ## Yosys synth and synth_xilinx of bitcycle_top; report in build/synth/
	@$(MAKE) --no-print-directory $(SYNTH_TARGETS)

wave: deps-check ## run the waveform scenarios into build/waveforms/
	@$(MAKE) --no-print-directory $(WAVE_TARGETS)

fuzz: deps-check ## run every libFuzzer target (FUZZ_SECONDS=N each)
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS)

coverage: deps-check data ## RTL line/toggle coverage and gcov coverage of driver, firmware and host
	@$(MAKE) --no-print-directory $(COVERAGE_TARGETS)

soak: deps-check ## long random-job soak on fsim and RTL (not part of make test)
	@$(MAKE) --no-print-directory $(SOAK_TARGETS)

test-full: deps-check data ## the long regressions (larger random sets than make test)
	@$(MAKE) --no-print-directory $(TEST_FULL_TARGETS)

FORCE:

clean: ## remove build/
	rm -rf $(BUILD)

# Header dependencies recorded by -MMD (Verilator's own makefiles keep theirs).
-include $(shell find $(BUILD) \( -name vtop -o -name vobj -o -name vfix \) -prune -o -name '*.d' -print 2>/dev/null)
