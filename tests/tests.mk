# tests/tests.mk: the shared test plumbing (tests/common), hardening and
# measurement: sanitizer build of the C suites, valgrind memcheck, the bad-input
# suite, libFuzzer targets, RTL fault tests, coverage, soak, the benchmark
# summary and the clean-clone build check. (The suites of each part are next to
# its build: driver/driver.mk, firmware/firmware.mk, host/est/est.mk, ...)
HARD_BUILD := $(BUILD)/hardening
HARD_DIR := tests/hardening

# ---------------------------------------------------------------- sanitizers
# The other parts' own C suites rebuilt with ASan+UBSan into $(BUILD)/san with
# the fsim backend only, so no Verilator model is built there: the suites that
# need the RTL are the Verilator ones, which test-san leaves out.
SAN_SUITES := test-driver test-firmware test-host test-waveforms
SAN_MAKE = $(MAKE) --no-print-directory BUILD=$(BUILD)/san SAN=1 BC_BACKENDS=fsim

.PHONY: test-san
test-san: | $(HARD_BUILD)/ ## the C suites that need no Verilator (driver, firmware, estimator, waveforms) under ASan+UBSan in build/san
ifneq ($(DRY_RUN),)
	$(SAN_MAKE) $(SAN_SUITES)
else
	@pass=0; fail=0; \
	  for s in $(SAN_SUITES); do \
	    if $(SAN_MAKE) $$s > $(HARD_BUILD)/san-$$s.log 2>&1 && ! grep -qE 'runtime error:|ERROR: AddressSanitizer|ERROR: LeakSanitizer' $(HARD_BUILD)/san-$$s.log; then \
	      pass=$$((pass+1)); echo "test-san: $$s: $$(grep -E '^[a-z-]+: [0-9]+ passed' $(HARD_BUILD)/san-$$s.log | tail -1)"; \
	    else fail=$$((fail+1)); echo "test-san: $$s FAILED under ASan+UBSan (log $(HARD_BUILD)/san-$$s.log):"; \
	      grep -m5 -E 'runtime error:|ERROR: |FAIL|Error [0-9]' $(HARD_BUILD)/san-$$s.log; fi; \
	  done; echo "test-san: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]
endif

TEST_TARGETS += test-san

# ---------------------------------------------------------------- valgrind
.PHONY: memcheck
memcheck: $(BUILD)/bitcycle data $(BUILD)/waveforms/fixture/fixture.fst $(BUILD)/waveforms/fixture/fixture.vcd ## valgrind memcheck (any error or definite leak fails) over the host tool's main paths
	@bash $(HARD_DIR)/memcheck.sh $(BUILD)/bitcycle $(HARD_BUILD)/memcheck $(BUILD)/waveforms/fixture $(BUILD)/data

TEST_TARGETS += memcheck

# ---------------------------------------------------------------- hardening programs
# hard_util (device on a backend of the registry + random GEMM vs golden) is
# built twice: plain, and in rtl/ with the sim backend's extras (the Verilator
# clock and, for coverage-top, the coverage writer).
HARD_HAVE_SIM := $(BCBE_HAVE_SIM)
HARD_CFLAGS = $(CFLAGS) $(BCBE_INC) $(GOLDEN_INC) $(TESTS_COMMON_INC) -I$(HARD_DIR)
HARD_FSIM_LINK = $(GOLDEN_OBJ) $(TESTS_COMMON_OBJ) $(BCBE_LIBS) -lm
HARD_FSIM_DEPS = $(GOLDEN_OBJ) $(TESTS_COMMON_OBJ) $(BCBE_DEPS)
HARD_SIM_LINK = $(HARD_COV_OBJ) $(GOLDEN_OBJ) $(TESTS_COMMON_OBJ) $(BCBE_LIBS) -lm
HARD_SIM_DEPS = $(HARD_COV_OBJ) $(GOLDEN_OBJ) $(TESTS_COMMON_OBJ) $(BCBE_DEPS)

$(HARD_BUILD)/%.o: $(HARD_DIR)/%.c | $(HARD_BUILD)/ $(BC_REGS_H)
	$(CC) $(HARD_CFLAGS) -c $< -o $@
$(HARD_BUILD)/rtl/%.o: $(HARD_DIR)/%.c $(BC_BACKENDS_H) | $(HARD_BUILD)/rtl/ $(BC_REGS_H)
	$(CC) $(HARD_CFLAGS) $(HARD_SIM_DEFS) -c $< -o $@
# HARD_COV=1 (set by make coverage-top on its own build dir): write each sim's
# Verilator coverage before destroying it.
HARD_COV ?= 0
HARD_SIM_DEFS := -DHU_HAVE_SIM $(if $(filter 1,$(HARD_COV)),-DHU_COVERAGE)
HARD_COV_OBJ := $(if $(filter 1,$(HARD_COV)),$(HARD_BUILD)/rtl/hard_cov.o)
$(HARD_BUILD)/rtl/hard_cov.o: $(HARD_DIR)/hard_cov.cpp | $(HARD_BUILD)/rtl/ $(VTOP_LIB)
	$(CXX) $(CXXFLAGS) $(SIMLIB_INC) -DVM_COVERAGE=1 -c $< -o $@

$(HARD_BUILD)/drv_probe: $(HARD_BUILD)/drv_probe.o $(HARD_BUILD)/hard_util.o $(HARD_FSIM_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(HARD_BUILD)/drv_probe.o $(HARD_BUILD)/hard_util.o $(HARD_FSIM_LINK)
$(HARD_BUILD)/rtl/drv_probe: $(HARD_BUILD)/rtl/drv_probe.o $(HARD_BUILD)/rtl/hard_util.o $(HARD_SIM_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(HARD_BUILD)/rtl/drv_probe.o $(HARD_BUILD)/rtl/hard_util.o $(HARD_SIM_LINK)

# ---------------------------------------------------------------- bad input
# Against the ASan+UBSan builds, so a crash on bad input cannot hide.
.PHONY: test-robustness robustness-doc
ROB_DEPS = $(SAN_MAKE) $(BUILD)/san/bitcycle $(BUILD)/san/hardening/drv_probe
# After test-san: both build into $(BUILD)/san, so they must not run in parallel.
test-robustness: test-san | $(HARD_BUILD)/ ## bad input on every surface (CLI, CSV, tables, calibration, data sets, schedules, descriptors, registers); checks docs/robustness.md
ifneq ($(DRY_RUN),)
	$(ROB_DEPS)
else
	@$(ROB_DEPS) >$(HARD_BUILD)/rob-build.log 2>&1 || { tail -20 $(HARD_BUILD)/rob-build.log; exit 1; }
endif
	@bash $(HARD_DIR)/robustness.sh $(BUILD)/san/bitcycle $(BUILD)/san/hardening/drv_probe $(HARD_BUILD)/robustness

robustness-doc: ## regenerate the bad-input table of docs/robustness.md from tests/hardening/robustness.cases
	@$(ROB_DEPS) >$(HARD_BUILD)/rob-build.log 2>&1 || { tail -20 $(HARD_BUILD)/rob-build.log; exit 1; }
	@bash $(HARD_DIR)/robustness.sh $(BUILD)/san/bitcycle $(BUILD)/san/hardening/drv_probe $(HARD_BUILD)/robustness --update

TEST_TARGETS += test-robustness

.PHONY: test-robustness-findings
test-robustness-findings: ## bad inputs still accepted (tests/hardening/findings.cases); fails until the owners fix them
	@$(ROB_DEPS) >$(HARD_BUILD)/rob-build.log 2>&1 || { tail -20 $(HARD_BUILD)/rob-build.log; exit 1; }
	@CASES=$(HARD_DIR)/findings.cases bash $(HARD_DIR)/robustness.sh $(BUILD)/san/bitcycle $(BUILD)/san/hardening/drv_probe \
	  $(HARD_BUILD)/findings --no-doc

# ---------------------------------------------------------------- fuzzing
# libFuzzer (clang-14) targets over the parsers, descriptor validation and
# the trace reader. The code under test is compiled again with clang and
# -fsanitize=fuzzer-no-link,address,undefined into $(BUILD)/fuzz/obj/.
FUZZ_CC := clang-14
FUZZ_DIR := tests/fuzz
FUZZ_BUILD := $(BUILD)/fuzz
FUZZ_SECONDS ?= 60
FUZZ_SMOKE_SECONDS ?= 3
FUZZ_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_CFLAGS = -std=c11 -g -O1 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE $(FUZZ_SAN) \
  -Ihost -Ihost/est -Ihost/wave -Isim/model -Isim/golden -Idriver/include -Ifirmware/include -Ihost/train -I$(BUILD)/gen -I$(FUZZ_DIR) -Isim/iss
FUZZ_TARGET_NAMES := topology energy calib schedule idx digits desc wave elf rv lines

# Sources come from the fragments that own them (EST_SRCS, FW_*_SRCS, DRV_CORE_SRCS).
FUZZ_EST_SRCS := $(filter-out %/est_rtl.c,$(EST_SRCS)) host/cli.c host/safeio.c host/plot.c sim/model/bc_timing.c \
  $(filter %/bc_schedule.c %/bc_lower.c,$(FW_CORE_SRCS))
FUZZ_DATA_SRCS := $(filter %/bc_data.c,$(FW_HOST_SRCS) $(HOST_SRCS))
FUZZ_SRCS_topology := $(FUZZ_EST_SRCS)
FUZZ_SRCS_energy := $(FUZZ_EST_SRCS)
FUZZ_SRCS_calib := $(FUZZ_EST_SRCS)
FUZZ_SRCS_schedule := $(filter %/bc_schedule.c,$(FW_CORE_SRCS))
FUZZ_SRCS_idx := $(FUZZ_DATA_SRCS)
FUZZ_SRCS_digits := $(FUZZ_DATA_SRCS)
FUZZ_SRCS_desc := $(DRV_CORE_SRCS) driver/hal/bc_fsim.c driver/hal/bc_fsim_gemm.c sim/model/bc_timing.c
FUZZ_SRCS_wave := host/wave/wave_trace.c host/wave/wave_switch.c host/wave/wave_fst.c
# the ISS: its ELF loader, and its decoder/executor in a sandbox RAM; the bounded line reader
FUZZ_SRCS_elf := sim/iss/rv_elf.c
FUZZ_LIBS_elf := -lelf
FUZZ_SRCS_rv := sim/iss/rv_iss.c sim/iss/rv_csr.c sim/iss/rv_rvc.c
FUZZ_SRCS_lines := host/safeio.c
FUZZ_FST_OBJS := $(addprefix $(FUZZ_BUILD)/fstapi/,fstapi.o lz4.o fastlz.o)
# est_calib.c reaches est_calibrate_rtl: est_rtl.c without the simulator
FUZZ_EXTRA_topology := $(FUZZ_BUILD)/obj/est_rtl_nosim.o
FUZZ_EXTRA_energy := $(FUZZ_EXTRA_topology)
FUZZ_EXTRA_calib := $(FUZZ_EXTRA_topology)
FUZZ_EXTRA_wave := $(FUZZ_FST_OBJS)

$(FUZZ_BUILD)/obj/%.o: %.c | $(FUZZ_BUILD)/ $(BC_REGS_H)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) -fsanitize=fuzzer-no-link $(if $(findstring wave_fst,$*),-I$(FSTAPI_DIR)) -c $< -o $@
$(FUZZ_BUILD)/obj/est_rtl_nosim.o: host/est/est_rtl.c | $(FUZZ_BUILD)/ $(BC_REGS_H)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) -fsanitize=fuzzer-no-link -DEST_HAVE_SIM=0 -c $< -o $@
# Verilator's fstapi (third-party) runs in a child process by design
# (host/wave/wave_fst.c); it gets coverage feedback but no sanitizers, so its
# own undefined behaviour on corrupt files (e.g. lz4.c:1140, pointer
# arithmetic on NULL) stays contained as designed. Our code around it is
# fully instrumented.
$(FUZZ_BUILD)/fstapi/%.o: $(FSTAPI_DIR)/%.c | $(FUZZ_BUILD)/fstapi/
	$(FUZZ_CC) -std=gnu11 -g -O1 -w -DFST_CONFIG_INCLUDE='"fst_config.h"' -I$(FSTAPI_DIR) \
	  -fsanitize=fuzzer-no-link -c $< -o $@

$(FUZZ_BUILD)/main/%.o: $(FUZZ_DIR)/%.c | $(FUZZ_BUILD)/main/ $(BC_REGS_H)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(DEPFLAGS) -fsanitize=fuzzer-no-link -c $< -o $@
define FUZZ_RULES
$(FUZZ_BUILD)/fuzz_$(1): $(FUZZ_BUILD)/main/fuzz_$(1).o $(patsubst %.c,$(FUZZ_BUILD)/obj/%.o,$(FUZZ_SRCS_$(1))) $(FUZZ_EXTRA_$(1))
	$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer -o $$@ $$^ $(FUZZ_LIBS_$(1)) -lz -lm
endef
$(foreach t,$(FUZZ_TARGET_NAMES),$(eval $(call FUZZ_RULES,$(t))))
FUZZ_BINS := $(addprefix $(FUZZ_BUILD)/fuzz_,$(FUZZ_TARGET_NAMES))

.PHONY: fuzz-build fuzz-run test-fuzz-smoke
fuzz-build: $(FUZZ_BINS) ## build the libFuzzer targets into build/fuzz/

# Each target: committed seeds (tests/fuzz/corpus/T) plus a growing corpus in
# build/fuzz/corpus/T; crashes land in build/fuzz/crashes/T-*.
fuzz-run: $(FUZZ_BINS) $(FUZZ_WAVE_SEEDS) ## run every libFuzzer target for FUZZ_SECONDS (default 60) each
	@bash $(FUZZ_DIR)/run_fuzz.sh $(FUZZ_BUILD) $(FUZZ_DIR) $(FUZZ_SECONDS) "$(FUZZ_TARGET_NAMES)" "" $(FUZZ_BUILD)/wave-seeds

# The trace fixtures of the waveform part are extra seeds of fuzz_wave (FST and VCD).
$(FUZZ_BUILD)/wave-seeds/fixture.fst $(FUZZ_BUILD)/wave-seeds/fixture.vcd: $(FUZZ_BUILD)/wave-seeds/%: $(BUILD)/waveforms/fixture/% | $(FUZZ_BUILD)/wave-seeds/
	cp $< $@
FUZZ_WAVE_SEEDS := $(FUZZ_BUILD)/wave-seeds/fixture.fst $(FUZZ_BUILD)/wave-seeds/fixture.vcd

test-fuzz-smoke: $(FUZZ_BINS) $(FUZZ_WAVE_SEEDS) ## each libFuzzer target for FUZZ_SMOKE_SECONDS (3) over the committed seeds, plus the crash regressions
	@bash $(FUZZ_DIR)/run_fuzz.sh $(FUZZ_BUILD) $(FUZZ_DIR) $(FUZZ_SMOKE_SECONDS) "$(FUZZ_TARGET_NAMES)" --smoke $(FUZZ_BUILD)/wave-seeds

FUZZ_TARGETS += fuzz-run
TEST_TARGETS += test-fuzz-smoke

# ---------------------------------------------------------------- RTL faults
.PHONY: test-faults
ifneq ($(HARD_HAVE_SIM),)
$(HARD_BUILD)/rtl/test_faults: $(HARD_BUILD)/rtl/test_faults.o $(HARD_BUILD)/rtl/hard_util.o $(HARD_SIM_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(HARD_BUILD)/rtl/test_faults.o $(HARD_BUILD)/rtl/hard_util.o $(HARD_SIM_LINK)

test-faults: $(HARD_BUILD)/rtl/test_faults ## RTL faults: bus errors, 100k-cycle memory stalls, reset mid-job, queue overflow, descriptor limits; next job bit-exact
	@SEED=$(SEED) $(HARD_BUILD)/rtl/test_faults
TEST_TARGETS += test-faults
else
test-faults:
	@echo "test-faults: the sim backend is not in BC_BACKENDS ($(BC_BACKENDS))"; echo "faults: 0 passed, 1 failed"; exit 1
endif

# ---------------------------------------------------------------- soak
SOAK_FSIM_JOBS ?= 100000
SOAK_RTL_JOBS ?= 2000
$(HARD_BUILD)/soak.o: tests/soak/soak.c | $(HARD_BUILD)/ $(BC_REGS_H)
	$(CC) $(HARD_CFLAGS) -c $< -o $@
$(HARD_BUILD)/rtl/soak.o: tests/soak/soak.c $(BC_BACKENDS_H) | $(HARD_BUILD)/rtl/ $(BC_REGS_H)
	$(CC) $(HARD_CFLAGS) $(HARD_SIM_DEFS) -c $< -o $@
$(HARD_BUILD)/soak: $(HARD_BUILD)/soak.o $(HARD_BUILD)/hard_util.o $(HARD_FSIM_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(HARD_BUILD)/soak.o $(HARD_BUILD)/hard_util.o $(HARD_FSIM_LINK)
$(HARD_BUILD)/rtl/soak: $(HARD_BUILD)/rtl/soak.o $(HARD_BUILD)/rtl/hard_util.o $(HARD_SIM_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(HARD_BUILD)/rtl/soak.o $(HARD_BUILD)/rtl/hard_util.o $(HARD_SIM_LINK)

.PHONY: soak-fsim soak-rtl
soak-fsim: $(HARD_BUILD)/soak ## soak: SOAK_FSIM_JOBS (100000) random jobs, all precisions and signedness, on fsim, bit-exact vs golden
	@$(HARD_BUILD)/soak --backend fsim --jobs $(SOAK_FSIM_JOBS) --seed $(SEED)
soak-rtl: $(if $(HARD_HAVE_SIM),$(HARD_BUILD)/rtl/soak) ## soak: SOAK_RTL_JOBS (2000) random jobs on the RTL (Verilator), bit-exact vs golden
	@$(if $(HARD_HAVE_SIM),$(HARD_BUILD)/rtl/soak --backend sim --jobs $(SOAK_RTL_JOBS) --seed $(SEED),echo "soak-rtl: simulator library not in this build"; exit 1)
SOAK_TARGETS += soak-fsim soak-rtl

# ---------------------------------------------------------------- benchmark summary
.PHONY: bench-summary
bench-summary: $(BUILD)/bitcycle data | $(BUILD)/bench/ ## peak memory of estimate (64k iterations) and a Fashion-MNIST fsim epoch, headline ratios (build/bench/summary.md)
	@bash $(HARD_DIR)/bench_summary.sh $(BUILD)/bitcycle $(BUILD)/bench $(BUILD)/bench/summary.md
BENCH_TARGETS += bench-summary

# ---------------------------------------------------------------- coverage
# RTL: bitcycle_top verilated with line + toggle coverage into its own build
# dir (the simulator library rebuilt against it), the regression = test-faults,
# a random soak sample and the register/descriptor probes on the RTL; merged
# and summarised with verilator_coverage. C: the driver, firmware, estimator
# and waveform suites plus the bad-input suite rebuilt with gcc --coverage,
# summarised with gcov. Reports in build/coverage/.
COV_DIR := $(BUILD)/coverage
COV_RTL_BUILD := $(BUILD)/cov-rtl
COV_C_BUILD := $(BUILD)/cov-c
COV_RTL_JOBS ?= 300
COV_VTOP_FLAGS = --cc --trace-fst -O2 --x-assign fast --x-initial fast -Wall --coverage-line \
  --coverage-toggle --top-module bitcycle_top -Mdir $(COV_RTL_BUILD)/sim/vtop -CFLAGS -O2
COV_RTL_MAKE = $(MAKE) --no-print-directory BUILD=$(COV_RTL_BUILD) HARD_COV=1 VTOP_FLAGS="$(COV_VTOP_FLAGS)" \
  VTOP_EXTRA_OBJS=verilated_cov.o BC_BACKENDS="fsim sim"
COV_C_MAKE = $(MAKE) --no-print-directory BUILD=$(COV_C_BUILD) CC="gcc --coverage" CXX="g++ --coverage" LDFLAGS=--coverage OPT="-O0 -g" \
  BC_BACKENDS=fsim

.PHONY: coverage-top coverage-c
coverage-top: | $(COV_DIR)/ ## Verilator line + toggle coverage of bitcycle_top over the fault tests, a soak sample and the probes (build/coverage/top.txt)
	@$(COV_RTL_MAKE) $(COV_RTL_BUILD)/hardening/rtl/test_faults $(COV_RTL_BUILD)/hardening/rtl/soak \
	  $(COV_RTL_BUILD)/hardening/rtl/drv_probe > $(COV_DIR)/top-build.log 2>&1 || { tail -30 $(COV_DIR)/top-build.log; exit 1; }
	@rm -rf $(COV_RTL_BUILD)/data && mkdir -p $(COV_RTL_BUILD)/data
	@export HU_COV_DIR=$(abspath $(COV_RTL_BUILD)/data) SEED=$(SEED); b=$(COV_RTL_BUILD)/hardening/rtl; \
	  $$b/test_faults | tail -1; \
	  $$b/soak --backend sim --jobs $(COV_RTL_JOBS) --seed $(SEED) --max-mn 40 --max-k 300 | tail -1; \
	  $$b/soak --backend sim --jobs 20 --seed $(SEED) --max-mn 24 --max-k 2048 --batch 1 | tail -1; \
	  for c in "desc wbits=0" "desc abits=17" "desc m=0" "desc n=4097" "desc k=2049" "desc a_addr=0x1004" \
	    "desc b_addr=0x0ffffff8" "desc c_addr=0xfffffff8" "desc lda=8" "desc ldb=68" "desc ldc=24" \
	    "reg-write 0x000 5" "reg-write 0x044 1" "reg-write 0x3fc 1" "reg-read 0x3fc" "reg-busy"; do \
	    $$b/drv_probe --backend sim $$c >/dev/null 2>&1; [ $$? -eq 2 ] || echo "coverage-top: probe '$$c' on the RTL: unexpected exit"; done
	@verilator_coverage --write $(COV_RTL_BUILD)/merged.dat $(COV_RTL_BUILD)/data/*.dat
	@rm -rf $(COV_DIR)/top-annotated && verilator_coverage --annotate $(COV_DIR)/top-annotated --annotate-min 1 \
	  $(COV_RTL_BUILD)/merged.dat > $(COV_DIR)/top-annotate.log
	@python3 $(HARD_DIR)/cov_summary.py rtl $(COV_RTL_BUILD)/merged.dat > $(COV_DIR)/top.txt
	@cat $(COV_DIR)/top.txt

coverage-c: $(BUILD)/waveforms/fixture/fixture.fst data | $(COV_DIR)/ ## gcov line coverage of driver/, firmware/, host/ over their C suites and the bad-input suite (build/coverage/c.txt)
	@rm -rf $(COV_C_BUILD) && mkdir -p $(COV_C_BUILD)
	@for s in test-driver test-firmware test-host test-waveforms; do \
	  $(COV_C_MAKE) $$s > $(COV_DIR)/c-$$s.log 2>&1 || { echo "coverage-c: $$s failed (log $(COV_DIR)/c-$$s.log)"; exit 1; }; done
	@$(COV_C_MAKE) $(COV_C_BUILD)/bitcycle $(COV_C_BUILD)/hardening/drv_probe > $(COV_DIR)/c-rob.log 2>&1
	@bash $(HARD_DIR)/robustness.sh $(COV_C_BUILD)/bitcycle $(COV_C_BUILD)/hardening/drv_probe $(COV_C_BUILD)/rob --no-doc | tail -1
	@NO_VALGRIND=1 bash $(HARD_DIR)/memcheck.sh $(COV_C_BUILD)/bitcycle $(COV_C_BUILD)/paths $(BUILD)/waveforms/fixture $(BUILD)/data | tail -1
	@for a in "schedule --schedule cpt:3-8 --json" "schedule --schedule exp-tri:2-8 --grad-schedule lin:6-8 --iters 500 --csv" \
	  "bench energy" "train --backend fsim --data digits --data-dir $(BUILD)/data --iters 20 --batch 16 --schedule auto --range-iters 4 --json" \
	  "train --backend fsim --data fashion-mnist --data-dir $(BUILD)/data --iters 3 --batch 8 --test-limit 16 --csv"; do \
	  BITCYCLE_NO_PROGRESS=1 $(COV_C_BUILD)/bitcycle $$a -o $(COV_C_BUILD)/paths/out.txt >/dev/null 2>&1 || echo "coverage-c: bitcycle $$a failed"; done
	@python3 $(HARD_DIR)/cov_summary.py gcov $(COV_C_BUILD) > $(COV_DIR)/c.txt
	@cat $(COV_DIR)/c.txt

COVERAGE_TARGETS += coverage-top coverage-c

# ---------------------------------------------------------------- safe files and the plotting path
SAFEIO_BIN := $(BUILD)/host/test_safeio
$(SAFEIO_BIN): tests/host/test_safeio.c host/safeio.c host/plot.c host/safeio.h host/plot.h | $(BUILD)/host/
	$(CC) $(CFLAGS) -Ihost $(shell pkg-config --cflags cmocka 2>/dev/null) -o $@ tests/host/test_safeio.c host/safeio.c host/plot.c \
	  $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

.PHONY: test-safeio
test-safeio: $(SAFEIO_BIN) ## output rule (atomic, links, read-only, FIFOs, all-or-none, signals), bounded readers, gnuplot quoting against hostile strings
	@$(SAFEIO_BIN)
TEST_TARGETS += test-safeio

# ---------------------------------------------------------------- docs that cannot drift
.PHONY: test-docs docs-examples
# The examples run the demo, the estimator, sweeps and the waveform scenarios:
# after every other suite (they share build/), with the calibration current so
# the demo prints what the README shows.
DOCS_EXAMPLE_DEPS = $(BUILD)/bitcycle $(RTL_BUILD)/rtl_demo $(BUILD)/data/digits.csv.gz \
  $(WAVE_DIR)/queue.fst $(WAVE_DIR)/cpt.fst
test-docs: $(DOCS_EXAMPLE_DEPS) ## run every console example of README.md and docs/*.md and compare its output; no internal bookkeeping, no dangling links
	@$(BUILD)/bitcycle calibrate --if-stale >$(BUILD)/docs-calibrate.log 2>&1 || { cat $(BUILD)/docs-calibrate.log; exit 1; }
	@python3 tests/docs/doctest.py .
docs-examples: $(BUILD)/bitcycle ## rewrite the expected output of every docs example that differs (review with git diff)
	@python3 tests/docs/doctest.py --update .

# ---------------------------------------------------------------- clean-clone build
# HEAD cloned into a temporary directory and built there with `make -j2 all`
# (plus `make -n test`): a missing prerequisite breaks this even when the
# working tree's build/ would hide it. Uncommitted changes are not part of it.
.PHONY: test-clean-build
test-clean-build: | $(BUILD)/clean-build/ ## clone HEAD into a temp dir: make -n test writes nothing, make -j2 all builds, a rebuild is a no-op
	@bash tests/cleanbuild/clean_build.sh . $(BUILD)/clean-build
TEST_TARGETS += test-clean-build

# ---------------------------------------------------------------- formal proofs
include tests/formal/formal.mk

# Last: the docs examples after every other suite.
test-docs: $(filter-out test-docs,$(TEST_TARGETS))
TEST_TARGETS += test-docs
