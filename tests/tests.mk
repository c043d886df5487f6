# tests/tests.mk (issue 8): hardening and measurement. Sanitizer build of the
# C suites, valgrind memcheck, the bad-input suite, libFuzzer targets, RTL
# fault tests, coverage, soak and the benchmark summary.
HARD_BUILD := $(BUILD)/hardening
HARD_DIR := tests/hardening

# ---------------------------------------------------------------- sanitizers
# The other parts' own C suites rebuilt with ASan+UBSan into $(BUILD)/san.
# BCSIM_LIBS/BCVP_LIBS are emptied so no Verilator model is built there: the
# suites that need the RTL are the Verilator ones, which test-san leaves out.
SAN_SUITES := test-driver test-firmware test-host test-waveforms
SAN_MAKE = $(MAKE) --no-print-directory BUILD=$(BUILD)/san SAN=1 BCSIM_LIBS= BCVP_LIBS= BCSIM_DEPS= BCVP_DEPS=

.PHONY: test-san
test-san: ## the C suites that need no Verilator (driver, firmware, estimator, waveforms) under ASan+UBSan in build/san
	@pass=0; fail=0; mkdir -p $(HARD_BUILD); \
	  for s in $(SAN_SUITES); do \
	    if $(SAN_MAKE) $$s > $(HARD_BUILD)/san-$$s.log 2>&1 && ! grep -qE 'runtime error:|ERROR: AddressSanitizer|ERROR: LeakSanitizer' $(HARD_BUILD)/san-$$s.log; then \
	      pass=$$((pass+1)); echo "test-san: $$s: $$(grep -E '^[a-z-]+: [0-9]+ passed' $(HARD_BUILD)/san-$$s.log | tail -1)"; \
	    else fail=$$((fail+1)); echo "test-san: $$s FAILED under ASan+UBSan (log $(HARD_BUILD)/san-$$s.log):"; \
	      grep -m5 -E 'runtime error:|ERROR: |FAIL|Error [0-9]' $(HARD_BUILD)/san-$$s.log; fi; \
	  done; echo "test-san: $$pass passed, $$fail failed"; [ $$fail -eq 0 ]

TEST_TARGETS += test-san

# ---------------------------------------------------------------- valgrind
.PHONY: memcheck
memcheck: $(BUILD)/bitcycle $(BUILD)/data/digits.csv.gz $(BUILD)/waveforms/fixture/fixture.fst $(BUILD)/waveforms/fixture/fixture.vcd ## valgrind memcheck (--error-exitcode=1) over the host tool's main paths
	@bash $(HARD_DIR)/memcheck.sh $(BUILD)/bitcycle $(HARD_BUILD)/memcheck $(BUILD)/waveforms/fixture $(BUILD)/data

TEST_TARGETS += memcheck

# ---------------------------------------------------------------- hardening programs
# hard_util (device on a backend + random GEMM vs golden) is built twice: fsim
# only, and with the Verilator backend (-DHU_HAVE_SIM) once sim/lib exists.
HARD_HAVE_SIM := $(if $(and $(wildcard sim/lib/bc_sim.h),$(strip $(BCSIM_LIBS))),1)
HARD_CFLAGS = $(CFLAGS) $(BCDRV_INC) -Isim/golden -Isim/lib -I$(HARD_DIR)
HARD_HDRS := $(HARD_DIR)/hard_util.h $(DRV_HDRS)
HARD_FSIM_LINK = $(BCDRV_LIB) $(DRV_GOLDEN_OBJ) -lm
HARD_SIM_LINK = $(DRV_BUILD)/rtl/hal/bc_hal_sim.o $(BCDRV_LIB) $(DRV_GOLDEN_OBJ) $(BCSIM_LIBS) -lm

$(HARD_BUILD)/%.o: $(HARD_DIR)/%.c $(HARD_HDRS) | $(HARD_BUILD)/
	$(CC) $(HARD_CFLAGS) -c $< -o $@
$(HARD_BUILD)/rtl/%.o: $(HARD_DIR)/%.c $(HARD_HDRS) | $(HARD_BUILD)/rtl/
	$(CC) $(HARD_CFLAGS) -DHU_HAVE_SIM -c $< -o $@

$(HARD_BUILD)/drv_probe: $(HARD_BUILD)/drv_probe.o $(HARD_BUILD)/hard_util.o $(BCDRV_LIB) $(DRV_GOLDEN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $(HARD_BUILD)/drv_probe.o $(HARD_BUILD)/hard_util.o $(HARD_FSIM_LINK)
$(HARD_BUILD)/rtl/drv_probe: $(HARD_BUILD)/rtl/drv_probe.o $(HARD_BUILD)/rtl/hard_util.o $(DRV_BUILD)/rtl/hal/bc_hal_sim.o \
    $(BCDRV_LIB) $(DRV_GOLDEN_OBJ) $(BCSIM_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(HARD_BUILD)/rtl/drv_probe.o $(HARD_BUILD)/rtl/hard_util.o $(HARD_SIM_LINK)

# ---------------------------------------------------------------- bad input
# Against the ASan+UBSan builds, so a crash on bad input cannot hide.
.PHONY: test-robustness robustness-doc
ROB_DEPS = $(SAN_MAKE) $(BUILD)/san/bitcycle $(BUILD)/san/hardening/drv_probe
test-robustness: ## bad input on every surface (CLI, CSV, tables, calibration, data sets, schedules, descriptors, registers); checks docs/robustness.md
	@$(ROB_DEPS) >$(HARD_BUILD)/rob-build.log 2>&1 || { tail -20 $(HARD_BUILD)/rob-build.log; exit 1; }
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
