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
