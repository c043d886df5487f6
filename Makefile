# bitcycle top-level build. Each part contributes a fragment (see docs/contracts.md).
.DEFAULT_GOAL := all
SHELL := /bin/bash
BUILD := build
SEED ?= 1
TRACE ?= 0
FAST ?= 0
SAN ?= 0
JOBS ?= 2

CC := gcc
CXX := g++
CSTD := -std=c11
WARN := -Wall -Wextra -Werror
OPT ?= -O2 -g
SAN_CFLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
CFLAGS := $(CSTD) $(WARN) $(OPT) -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
CXXFLAGS := -std=c++17 -Wall -Wextra $(OPT)
LDLIBS := -lm
ifeq ($(SAN),1)
CFLAGS += $(SAN_CFLAGS)
CXXFLAGS += $(SAN_CFLAGS)
LDFLAGS += $(SAN_CFLAGS)
endif

TEST_TARGETS :=
TEST_FULL_TARGETS :=
BENCH_TARGETS :=
LINT_TARGETS :=
SYNTH_TARGETS :=
WAVE_TARGETS :=
FUZZ_TARGETS :=
COVERAGE_TARGETS :=
SOAK_TARGETS :=
HOST_OBJS :=
HOST_LIBS :=
DEMO_STEPS :=

include mk/deps.mk

# Directories are created on demand by order-only prerequisites such as | $(BUILD)/part/.
.PRECIOUS: %/
%/:
	@mkdir -p $@

-include rtl/rtl.mk
-include sim/sim.mk
-include driver/driver.mk
-include firmware/firmware.mk
-include host/host.mk
-include waveforms/waveforms.mk
-include tests/tests.mk

.PHONY: all help deps test bench demo clean lint synth wave fuzz coverage soak test-full

all: $(BUILD)/bitcycle ## build the host tool build/bitcycle and everything it links

help: ## list every target with one line of help
	@grep -hE '^[a-zA-Z0-9_./%-]+:.*## ' $(MAKEFILE_LIST) | sort -u | \
	  awk 'BEGIN{FS=":.*## "}{printf "  %-22s %s\n", $$1, $$2}'
	@echo "  variables: SEED=N (replay a regression), TRACE=1 (FST traces in build/), FAST=1, SAN=1 (ASan+UBSan)"

test: deps ## run every test suite (installs missing packages via make deps)
	@$(MAKE) -k --no-print-directory test-run

.PHONY: test-run
test-run: $(TEST_TARGETS)
	@echo "== make test: all $(words $(TEST_TARGETS)) suites passed =="

bench: deps ## run the benchmarks and write build/bench.md (reports only, asserts nothing)
	@rm -f $(BUILD)/bench/*.md
	@$(MAKE) --no-print-directory $(BENCH_TARGETS)
	@bash mk/bench-report.sh $(BUILD)/bench $(BUILD)/bench.md

# The main job, in this order: estimate (calibrated on the RTL), the RTL GEMM
# showcase, then a short CPT training on the RTL.
DEMO_ORDER := estimate-demo rtl-demo train-demo
demo: deps ## the main job: CPT savings showcase (estimate, RTL GEMMs, training on the RTL)
	@$(MAKE) --no-print-directory $(filter $(DEMO_STEPS),$(DEMO_ORDER)) $(filter-out $(DEMO_ORDER),$(DEMO_STEPS))

lint: deps ## verilator --lint-only -Wall of the RTL (no blanket waivers)
	@$(MAKE) --no-print-directory $(LINT_TARGETS)

synth: deps ## Yosys synth and synth_xilinx of bitcycle_top; report in build/synth/
	@$(MAKE) --no-print-directory $(SYNTH_TARGETS)

wave: deps ## run the waveform scenarios into build/waveforms/
	@$(MAKE) --no-print-directory $(WAVE_TARGETS)

fuzz: deps ## run every libFuzzer target (FUZZ_SECONDS=N each)
	@$(MAKE) --no-print-directory $(FUZZ_TARGETS)

coverage: deps ## RTL line/toggle coverage and gcov coverage of driver, firmware and host
	@$(MAKE) --no-print-directory $(COVERAGE_TARGETS)

soak: deps ## long random-job soak on fsim and RTL (not part of make test)
	@$(MAKE) --no-print-directory $(SOAK_TARGETS)

test-full: deps ## the long regressions (larger random sets than make test)
	@$(MAKE) --no-print-directory $(TEST_FULL_TARGETS)

clean: ## remove build/
	rm -rf $(BUILD)
