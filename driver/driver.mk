# driver/driver.mk: the C driver, its HAL backends and backend registry, CMocka
# tests, the bare-metal rv32 build, the example program and the driver benchmark.
#
# Exports for other parts:
#   BCDRV_INC     include flags for bitcycle.h / bc_hal*.h / bc_quant.h and the generated bc_regs.h
#   BCDRV_LIB     what a host program links for the driver: libbcdrv.a (driver + fsim + mmio)
#                 and the timing model fsim needs; BCDRV_DEPS the same files (prerequisites)
#   BCBE_LIB      libbcbackend.a: the backend registry (bc_backend.h) with the backends of
#                 BC_BACKENDS; BCBE_DEPS its files (prerequisites), BCBE_LIBS its link line
#                 (C++ inside when sim/vp are in: link with $(CXX)), BCBE_INC its include flags
DRV_BUILD := $(BUILD)/driver
BCDRV_INC := -Idriver/include $(REGS_INC)
DRV_CFLAGS = $(CFLAGS) $(BCDRV_INC) $(BCTIMING_INC)

DRV_CORE_SRCS := driver/src/bc_driver.c driver/src/bc_pack.c driver/src/bc_quant.c driver/src/bc_desc.c
DRV_HAL_SRCS := driver/hal/bc_hal_mmio.c driver/hal/bc_fsim.c driver/hal/bc_fsim_gemm.c
DRV_CORE_OBJS := $(patsubst driver/%.c,$(DRV_BUILD)/%.o,$(DRV_CORE_SRCS))
DRV_HAL_OBJS := $(patsubst driver/%.c,$(DRV_BUILD)/%.o,$(DRV_HAL_SRCS))
BCDRV_OBJS := $(DRV_CORE_OBJS) $(DRV_HAL_OBJS)
BCDRV_LIB := $(DRV_BUILD)/libbcdrv.a $(BCTIMING_OBJ)
BCDRV_DEPS := $(BCDRV_LIB)

$(DRV_BUILD)/src/%.o: driver/src/%.c | $(DRV_BUILD)/src/ $(BC_REGS_H)
	$(CC) $(DRV_CFLAGS) -c $< -o $@
$(DRV_BUILD)/hal/%.o: driver/hal/%.c | $(DRV_BUILD)/hal/ $(BC_REGS_H)
	$(CC) $(DRV_CFLAGS) -c $< -o $@
# The exact GEMM's inner loops are written for the vectoriser.
$(DRV_BUILD)/hal/bc_fsim_gemm.o: driver/hal/bc_fsim_gemm.c | $(DRV_BUILD)/hal/ $(BC_REGS_H)
	$(CC) $(DRV_CFLAGS) -O3 -c $< -o $@

$(DRV_BUILD)/libbcdrv.a: $(BCDRV_OBJS) | $(DRV_BUILD)/
	rm -f $@ && ar rcs $@ $^

# ---- backend registry: one make variable (BC_BACKENDS) says which backends exist
BCBE_HAVE_SIM := $(filter sim,$(BC_BACKENDS))
BCBE_HAVE_VP := $(filter vp,$(BC_BACKENDS))
BC_BACKENDS_H := $(GEN_DIR)/bc_backends.h
BC_BACKENDS_STAMP := $(GEN_DIR)/backends.txt
# Rewritten only when BC_BACKENDS changes, so what includes it rebuilds exactly then.
$(BC_BACKENDS_STAMP): $(call stamp_force,$(BC_BACKENDS_STAMP),$(BC_BACKENDS)) | $(GEN_DIR)/
	@bash mk/write-if-changed.sh $@ '$(strip $(BC_BACKENDS))'
$(BC_BACKENDS_H): $(BC_BACKENDS_STAMP) driver/gen-backends.sh
	@bash driver/gen-backends.sh $@ $(BC_BACKENDS)
BCBE_INC := $(BCDRV_INC) $(if $(BCBE_HAVE_SIM),$(BCSIM_INC)) $(if $(BCBE_HAVE_VP),$(BCVP_INC))
BCBE_OBJS := $(DRV_BUILD)/be/bc_backend.o $(if $(BCBE_HAVE_SIM),$(DRV_BUILD)/be/bc_hal_sim.o) \
  $(if $(BCBE_HAVE_VP),$(DRV_BUILD)/be/bc_hal_vp.o)
$(DRV_BUILD)/be/%.o: driver/hal/%.c | $(DRV_BUILD)/be/ $(BC_REGS_H) $(BC_BACKENDS_H)
	$(CC) $(CFLAGS) $(BCBE_INC) -c $< -o $@
BCBE_LIB := $(DRV_BUILD)/libbcbackend.a
$(BCBE_LIB): $(BCBE_OBJS) | $(DRV_BUILD)/
	rm -f $@ && ar rcs $@ $^
BCBE_RTL_DEPS := $(if $(BCBE_HAVE_VP),$(BCVP_DEPS),$(if $(BCBE_HAVE_SIM),$(BCSIM_DEPS)))
BCBE_RTL_LIBS := $(if $(BCBE_HAVE_VP),$(BCVP_LIBS),$(if $(BCBE_HAVE_SIM),$(BCSIM_LIBS)))
BCBE_DEPS := $(BCBE_LIB) $(BCDRV_DEPS) $(BCBE_RTL_DEPS)
BCBE_LIBS := $(BCBE_LIB) $(BCDRV_LIB) $(BCBE_RTL_LIBS) -lm

.PHONY: driver-lib
driver-lib: $(BCDRV_DEPS) $(BCBE_DEPS) ## build the host driver library build/driver/libbcdrv.a and the backend registry

# ---- tests -------------------------------------------------------------
DRV_TEST_CFLAGS = $(DRV_CFLAGS) $(GOLDEN_INC) $(TESTS_COMMON_INC) -Itests/driver $(CMOCKA_CFLAGS)
DRV_TEST_LIBS := $(CMOCKA_LIBS) -lm

$(DRV_BUILD)/tests/%.o: tests/driver/%.c | $(DRV_BUILD)/tests/ $(BC_REGS_H) $(BC_BACKENDS_H)
	$(CC) $(DRV_TEST_CFLAGS) $(BCBE_INC) -c $< -o $@

DRV_UNIT_OBJS := $(addprefix $(DRV_BUILD)/tests/,test_drv_unit.o test_drv_mock.o test_drv_pack.o test_drv_quant.o test_drv_mmio.o)
$(DRV_BUILD)/test_drv_unit: $(DRV_UNIT_OBJS) $(BCDRV_DEPS) $(GOLDEN_OBJ) $(TESTS_COMMON_OBJ)
	$(CC) $(LDFLAGS) -o $@ $(DRV_UNIT_OBJS) $(TESTS_COMMON_OBJ) $(BCDRV_LIB) $(GOLDEN_OBJ) $(DRV_TEST_LIBS)

# One functional-suite binary runs on every backend of the registry (fsim full; sim/vp FAST).
DRV_FUNC_OBJS := $(addprefix $(DRV_BUILD)/tests/,test_drv_func.o func_backends.o)
$(DRV_BUILD)/test_drv_func: $(DRV_FUNC_OBJS) $(BCBE_DEPS) $(GOLDEN_OBJ) $(TESTS_COMMON_OBJ)
	$(CXX) $(LDFLAGS) -o $@ $(DRV_FUNC_OBJS) $(TESTS_COMMON_OBJ) $(GOLDEN_OBJ) $(BCBE_LIBS) $(DRV_TEST_LIBS)

# ---- example program -------------------------------------------------
$(DRV_BUILD)/examples/gemm_example.o: driver/examples/gemm_example.c | $(DRV_BUILD)/examples/ $(BC_REGS_H)
	$(CC) $(DRV_CFLAGS) -c $< -o $@
$(DRV_BUILD)/gemm_example: $(DRV_BUILD)/examples/gemm_example.o $(BCDRV_DEPS)
	$(CC) $(LDFLAGS) -o $@ $< $(BCDRV_LIB) -lm

# ---- bare-metal rv32 image --------------------------------------------
RV_PREFIX := riscv64-unknown-elf-
RV_CFLAGS := -march=rv32imac -mabi=ilp32 -ffreestanding -fno-builtin -std=c11 -Wall -Wextra -Werror \
  -Os -g -ffunction-sections -fdata-sections $(BCDRV_INC)
RV_SRCS := $(DRV_CORE_SRCS) driver/hal/bc_hal_mmio.c driver/baremetal/bm_main.c driver/baremetal/bm_libc.c driver/baremetal/bm_platform.c
RV_OBJS := $(patsubst %.c,$(DRV_BUILD)/rv32/%.o,$(notdir $(RV_SRCS))) $(DRV_BUILD)/rv32/crt0.o
vpath %.c driver/src driver/hal driver/baremetal

$(DRV_BUILD)/rv32/%.o: %.c | $(DRV_BUILD)/rv32/ $(BC_REGS_H)
	$(RV_PREFIX)gcc $(RV_CFLAGS) $(DEPFLAGS) -c $< -o $@
$(DRV_BUILD)/rv32/crt0.o: driver/baremetal/crt0.S | $(DRV_BUILD)/rv32/
	$(RV_PREFIX)gcc -march=rv32imac -mabi=ilp32 -c $< -o $@
# -nostdlib: only our objects and libgcc (soft-float and 64-bit helpers);
# the link fails on any undefined symbol.
$(DRV_BUILD)/rv32/bitcycle_fw.elf: $(RV_OBJS) driver/baremetal/link.ld
	$(RV_PREFIX)gcc -march=rv32imac -mabi=ilp32 -nostdlib -nostartfiles -static \
	  -Wl,--gc-sections -Wl,--no-undefined -Wl,--no-warn-rwx-segments -T driver/baremetal/link.ld -o $@ $(RV_OBJS) -lgcc

.PHONY: driver-baremetal
driver-baremetal: $(DRV_BUILD)/rv32/bitcycle_fw.elf ## cross-compile the driver + minimal firmware for rv32imac and print its sizes
	@undef=$$($(RV_PREFIX)nm -u $< | wc -l); \
	  if [ "$$undef" != 0 ]; then echo "driver-baremetal: undefined symbols:"; $(RV_PREFIX)nm -u $<; exit 1; fi
	@$(RV_PREFIX)size -A $< | awk 'NR<3 || /^\.(text|rodata|data|sdata|sbss|bss)/'
	@$(RV_PREFIX)size $<
	@echo "driver-baremetal: 1 passed, 0 failed (rv32imac image links, 0 undefined symbols)"

# ---- test-driver ------------------------------------------------------
# The functional suite also runs (FAST) on the RTL backends of BC_BACKENDS
# (DRV_RTL_FUNC=0 leaves them out).
DRV_RTL_FUNC ?= 1
DRV_RTL_BACKENDS := $(filter-out fsim,$(BC_BACKENDS))
DRV_RUN_RTL := $(if $(filter 1,$(DRV_RTL_FUNC)),$(DRV_RTL_BACKENDS))
DRV_TEST_BINS := $(DRV_BUILD)/test_drv_unit $(DRV_BUILD)/test_drv_func $(DRV_BUILD)/gemm_example
DRV_SUITES := unit func-fsim example baremetal $(addprefix func-,$(DRV_RUN_RTL))

.PHONY: test-driver test-driver-rtl
test-driver: $(DRV_TEST_BINS) driver-baremetal ## driver: mocked HAL, packing, quantizer, functional suite (fsim full; sim/vp FAST), example, rv32 build
	@set -e; export SEED=$(SEED) FAST=$(FAST); \
	  $(DRV_BUILD)/test_drv_unit; \
	  $(DRV_BUILD)/test_drv_func fsim; \
	  $(foreach b,$(DRV_RUN_RTL),timeout 600 $(DRV_BUILD)/test_drv_func $(b);) \
	  echo "== driver example (docs/driver.md) on fsim"; $(DRV_BUILD)/gemm_example
	@echo "test-driver: $(words $(DRV_SUITES)) passed, 0 failed ($(strip $(DRV_SUITES)))"

# The same functional suite, FAST subset, on the Verilator RTL and the VP,
# compared with fsim.
DRV_RTL_FULL ?= 0
test-driver-rtl: $(DRV_BUILD)/test_drv_func ## driver functional suite on sim and vp vs fsim (FAST; DRV_RTL_FULL=1: all 256 precision pairs)
	@$(if $(DRV_RTL_BACKENDS),,echo "test-driver-rtl: no RTL backend in BC_BACKENDS ($(BC_BACKENDS))"; exit 1)
	@set -e; export SEED=$(SEED) DRV_RTL_FULL=$(DRV_RTL_FULL); \
	  $(foreach b,$(DRV_RTL_BACKENDS),timeout 900 $(DRV_BUILD)/test_drv_func $(b);) \
	  echo "test-driver-rtl: $(words $(DRV_RTL_BACKENDS)) passed, 0 failed"

TEST_TARGETS += test-driver

# ---- bench ----------------------------------------------------------------
$(DRV_BUILD)/bench_driver: $(DRV_BUILD)/tests/bench_driver.o $(BCDRV_DEPS)
	$(CC) $(LDFLAGS) -o $@ $< $(BCDRV_LIB) -lm

.PHONY: bench-driver
bench-driver: $(DRV_BUILD)/bench_driver | $(BUILD)/bench/ ## fsim GEMM vs plain C GEMM (MACs/s) and packing bytes/s; writes build/bench/driver.md
	@$(DRV_BUILD)/bench_driver $(BUILD)/bench/driver.md

BENCH_TARGETS += bench-driver

# ---- test-full: the functional suite on fsim over many seeds ----------------
DRV_FULL_SEEDS ?= 40
.PHONY: test-driver-full
test-driver-full: $(DRV_BUILD)/test_drv_func $(DRV_BUILD)/test_drv_unit ## driver: unit and fsim functional suites over DRV_FULL_SEEDS seeds
	@set -e; for s in $$(seq 1 $(DRV_FULL_SEEDS)); do \
	  SEED=$$s $(DRV_BUILD)/test_drv_unit > $(DRV_BUILD)/full-unit.log 2>&1 || { cat $(DRV_BUILD)/full-unit.log; exit 1; }; \
	  SEED=$$s $(DRV_BUILD)/test_drv_func fsim > $(DRV_BUILD)/full-func.log 2>&1 || { cat $(DRV_BUILD)/full-func.log; exit 1; }; \
	done; echo "test-driver-full: $$(( 2 * $(DRV_FULL_SEEDS) )) passed, 0 failed (seeds 1..$(DRV_FULL_SEEDS))"

TEST_FULL_TARGETS += test-driver-full test-driver-rtl-full

.PHONY: test-driver-rtl-full
test-driver-rtl-full: ## the full functional suite (256 precision pairs) on sim and vp
	+@$(MAKE) --no-print-directory test-driver-rtl DRV_RTL_FULL=1

# ---- coverage: gcov line coverage of driver/src and driver/hal -------------
DRV_COV := $(DRV_BUILD)/cov
DRV_COV_SRCS := $(DRV_CORE_SRCS) $(DRV_HAL_SRCS)
.PHONY: coverage-driver
coverage-driver: $(BC_REGS_H) $(BC_BACKENDS_H) | $(DRV_COV)/ ## gcov line coverage of the driver and fsim under the unit and functional suites
	@rm -f $(DRV_COV)/*.gcda $(DRV_COV)/*.gcno
	@cd $(DRV_COV) && for f in $(DRV_COV_SRCS); do \
	  $(CC) $(CSTD) $(WARN) -O0 -g --coverage $(addprefix -I$(CURDIR)/,driver/include $(BUILD)/gen sim/model) \
	    -c $(CURDIR)/$$f -o $$(basename $$f .c).o || exit 1; done
	$(CC) $(DRV_TEST_CFLAGS) --coverage -o $(DRV_COV)/test_drv_unit $(addprefix tests/driver/,test_drv_unit.c test_drv_mock.c test_drv_pack.c test_drv_quant.c test_drv_mmio.c) \
	  $(DRV_COV)/*.o sim/model/bc_timing.c sim/golden/bc_golden.c $(DRV_TEST_LIBS)
	$(CC) $(DRV_TEST_CFLAGS) --coverage -o $(DRV_COV)/test_drv_func $(addprefix tests/driver/,test_drv_func.c func_backends.c) \
	  $(DRV_COV)/*.o sim/model/bc_timing.c sim/golden/bc_golden.c $(DRV_TEST_LIBS)
	@cd $(DRV_COV) && ./test_drv_unit > unit.log 2>&1 && ./test_drv_func fsim > func.log 2>&1
	@cd $(DRV_COV) && gcov -n $(notdir $(DRV_COV_SRCS:.c=.o)) 2>/dev/null | \
	  awk '/^File/ {f=$$2} /^Lines executed/ && f {print "  " f ": " $$0; f=""}' | grep -E "driver/(src|hal)" | tee coverage.txt
	@echo "coverage-driver: report in $(DRV_COV)/coverage.txt"

COVERAGE_TARGETS += coverage-driver
