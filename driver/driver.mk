# driver/driver.mk (issue 4): the C driver, its HAL backends, CMocka tests,
# the bare-metal rv32 build, the example program and the driver benchmark.
#
# Exports for other parts:
#   BCDRV_INC   include flags for bitcycle.h / bc_hal*.h and the generated bc_regs.h
#   BCDRV_LIB   libbcdrv.a (driver + fsim + mmio) and the timing-model object it needs
#   BCDRV_OBJS  the same objects unarchived (what HOST_OBJS gets)
DRV_BUILD := $(BUILD)/driver
BCDRV_INC := -Idriver/include -I$(BUILD)/gen
DRV_CFLAGS = $(CFLAGS) $(BCDRV_INC) -Isim/model
DRV_HDRS := $(wildcard driver/include/*.h) $(BC_REGS_H)

DRV_CORE_SRCS := driver/src/bc_driver.c driver/src/bc_pack.c driver/src/bc_quant.c
DRV_HAL_SRCS := driver/hal/bc_hal_mmio.c driver/hal/bc_fsim.c driver/hal/bc_fsim_gemm.c
DRV_CORE_OBJS := $(patsubst driver/%.c,$(DRV_BUILD)/%.o,$(DRV_CORE_SRCS))
DRV_HAL_OBJS := $(patsubst driver/%.c,$(DRV_BUILD)/%.o,$(DRV_HAL_SRCS))
BCDRV_OBJS := $(DRV_CORE_OBJS) $(DRV_HAL_OBJS)

# fsim needs the timing model; reuse an object another part already links
# into the host tool, else build our own (the estimator checks the same way).
BCDRV_TIMING_OBJ := $(firstword $(filter %bc_timing.o,$(HOST_OBJS)))
ifeq ($(BCDRV_TIMING_OBJ),)
BCDRV_TIMING_OBJ := $(DRV_BUILD)/dep/bc_timing.o
HOST_OBJS += $(BCDRV_TIMING_OBJ)
$(DRV_BUILD)/dep/bc_timing.o: sim/model/bc_timing.c sim/model/bc_timing.h | $(DRV_BUILD)/dep/
	$(CC) $(CFLAGS) -Isim/model -c $< -o $@
endif
BCDRV_LIB := $(DRV_BUILD)/libbcdrv.a $(BCDRV_TIMING_OBJ)
HOST_OBJS += $(BCDRV_OBJS)

$(DRV_BUILD)/src/%.o: driver/src/%.c $(DRV_HDRS) | $(DRV_BUILD)/src/
	$(CC) $(DRV_CFLAGS) -c $< -o $@
$(DRV_BUILD)/hal/%.o: driver/hal/%.c $(DRV_HDRS) sim/model/bc_timing.h | $(DRV_BUILD)/hal/
	$(CC) $(DRV_CFLAGS) -c $< -o $@
# The exact GEMM's inner loops are written for the vectoriser.
$(DRV_BUILD)/hal/bc_fsim_gemm.o: driver/hal/bc_fsim_gemm.c $(DRV_HDRS) | $(DRV_BUILD)/hal/
	$(CC) $(DRV_CFLAGS) -O3 -c $< -o $@

$(DRV_BUILD)/libbcdrv.a: $(BCDRV_OBJS) | $(DRV_BUILD)/
	rm -f $@ && ar rcs $@ $^

.PHONY: driver-lib
driver-lib: $(BCDRV_LIB) ## build the host driver library build/driver/libbcdrv.a

# ---- tests -------------------------------------------------------------
DRV_TEST_CFLAGS = $(DRV_CFLAGS) -Isim/golden -Itests/driver $(shell pkg-config --cflags cmocka 2>/dev/null)
DRV_TEST_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka) -lm
DRV_GOLDEN_OBJ := $(DRV_BUILD)/dep/bc_golden.o

$(DRV_BUILD)/dep/bc_golden.o: sim/golden/bc_golden.c sim/golden/bc_golden.h | $(DRV_BUILD)/dep/
	$(CC) $(CFLAGS) -Isim/golden -c $< -o $@
$(DRV_BUILD)/tests/%.o: tests/driver/%.c tests/driver/drv_tests.h $(DRV_HDRS) | $(DRV_BUILD)/tests/
	$(CC) $(DRV_TEST_CFLAGS) -c $< -o $@

DRV_UNIT_OBJS := $(addprefix $(DRV_BUILD)/tests/,test_drv_unit.o test_drv_mock.o test_drv_pack.o test_drv_quant.o test_drv_mmio.o)
$(DRV_BUILD)/test_drv_unit: $(DRV_UNIT_OBJS) $(BCDRV_LIB) $(DRV_GOLDEN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(DRV_TEST_LIBS)

DRV_FUNC_OBJS := $(addprefix $(DRV_BUILD)/tests/,test_drv_func.o func_backends.o)
$(DRV_BUILD)/tests/test_drv_func.o $(DRV_BUILD)/tests/func_backends.o: tests/driver/drv_func.h
$(DRV_BUILD)/test_drv_func_fsim: $(DRV_FUNC_OBJS) $(BCDRV_LIB) $(DRV_GOLDEN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(DRV_TEST_LIBS)

# ---- RTL backends: built only once sim/ provides them ---------------------
# sim: needs sim/lib/bc_sim.h and BCSIM_LIBS/BCSIM_INC from sim/sim.mk.
# vp:  needs sim/vp/bc_vp.h and BCVP_LIBS/BCVP_INC from sim/sim.mk.
DRV_HAVE_SIM := $(if $(and $(wildcard sim/lib/bc_sim.h),$(BCSIM_LIBS)),1)
DRV_HAVE_VP := $(if $(and $(DRV_HAVE_SIM),$(wildcard sim/vp/bc_vp.h),$(BCVP_LIBS)),1)
DRV_FUNC_RTL_DEFS := $(if $(DRV_HAVE_SIM),-DBCDRV_HAVE_SIM) $(if $(DRV_HAVE_VP),-DBCDRV_HAVE_VP)

$(DRV_BUILD)/rtl/hal/%.o: driver/hal/%.c $(DRV_HDRS) | $(DRV_BUILD)/rtl/hal/
	$(CC) $(DRV_CFLAGS) -Isim/lib -Isim/vp $(BCSIM_INC) $(BCVP_INC) -c $< -o $@
# Rebuilt when a backend appears, since the backend list is compiled in.
$(DRV_BUILD)/rtl/func_backends.o: tests/driver/func_backends.c tests/driver/drv_func.h $(DRV_HDRS) \
    $(wildcard sim/lib/bc_sim.h sim/vp/bc_vp.h) | $(DRV_BUILD)/rtl/
	$(CC) $(DRV_TEST_CFLAGS) -Isim/lib -Isim/vp $(BCSIM_INC) $(BCVP_INC) $(DRV_FUNC_RTL_DEFS) -c $< -o $@

DRV_RTL_HAL_OBJS := $(if $(DRV_HAVE_SIM),$(DRV_BUILD)/rtl/hal/bc_hal_sim.o) \
  $(if $(DRV_HAVE_VP),$(DRV_BUILD)/rtl/hal/bc_hal_vp.o)
# The sim/vp libraries are C++ inside: link with the C++ driver.
$(DRV_BUILD)/test_drv_func_rtl: $(DRV_BUILD)/tests/test_drv_func.o $(DRV_BUILD)/rtl/func_backends.o \
    $(DRV_RTL_HAL_OBJS) $(BCDRV_LIB) $(DRV_GOLDEN_OBJ) $(BCSIM_DEPS) $(BCVP_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(BCSIM_LIBS) $(BCVP_LIBS) $(DRV_TEST_LIBS)

# ---- example program -------------------------------------------------
$(DRV_BUILD)/gemm_example: driver/examples/gemm_example.c $(BCDRV_LIB) $(DRV_HDRS) | $(DRV_BUILD)/
	$(CC) $(DRV_CFLAGS) $(LDFLAGS) -o $@ $< $(BCDRV_LIB) -lm

# ---- bare-metal rv32 image --------------------------------------------
RV_PREFIX := riscv64-unknown-elf-
RV_CFLAGS := -march=rv32imac -mabi=ilp32 -ffreestanding -fno-builtin -std=c11 -Wall -Wextra -Werror \
  -Os -g -ffunction-sections -fdata-sections $(BCDRV_INC)
RV_SRCS := $(DRV_CORE_SRCS) driver/hal/bc_hal_mmio.c driver/baremetal/bm_main.c driver/baremetal/bm_libc.c driver/baremetal/bm_platform.c
RV_OBJS := $(patsubst %.c,$(DRV_BUILD)/rv32/%.o,$(notdir $(RV_SRCS))) $(DRV_BUILD)/rv32/crt0.o
vpath %.c driver/src driver/hal driver/baremetal

$(DRV_BUILD)/rv32/%.o: %.c $(DRV_HDRS) | $(DRV_BUILD)/rv32/
	$(RV_PREFIX)gcc $(RV_CFLAGS) -c $< -o $@
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
# The functional suite also runs (FAST) on the RTL backends sim and vp in
# test-driver (DRV_RTL_FUNC=0 leaves them out).
DRV_RTL_FUNC ?= 1
DRV_RUN_SIM := $(if $(and $(DRV_HAVE_SIM),$(filter 1,$(DRV_RTL_FUNC))),1)
DRV_RUN_VP := $(if $(and $(DRV_HAVE_VP),$(filter 1,$(DRV_RTL_FUNC))),1)
DRV_TEST_BINS := $(DRV_BUILD)/test_drv_unit $(DRV_BUILD)/test_drv_func_fsim $(DRV_BUILD)/gemm_example \
  $(if $(DRV_RUN_SIM),$(DRV_BUILD)/test_drv_func_rtl)
DRV_SUITES := unit func-fsim example baremetal $(if $(DRV_RUN_SIM),func-sim) $(if $(DRV_RUN_VP),func-vp)

.PHONY: test-driver test-driver-rtl
test-driver: $(DRV_TEST_BINS) $(DRV_BUILD)/rv32/bitcycle_fw.elf ## driver: mocked HAL, packing, quantizer, functional suite (fsim full; sim/vp FAST), example, rv32 build
	@set -e; export SEED=$(SEED) FAST=$(FAST); \
	  $(DRV_BUILD)/test_drv_unit; \
	  $(DRV_BUILD)/test_drv_func_fsim fsim; \
	  $(if $(DRV_RUN_SIM),timeout 600 $(DRV_BUILD)/test_drv_func_rtl sim;) \
	  $(if $(DRV_RUN_VP),timeout 600 $(DRV_BUILD)/test_drv_func_rtl vp;) \
	  echo "== driver example (docs/driver.md) on fsim"; $(DRV_BUILD)/gemm_example; \
	  $(MAKE) --no-print-directory driver-baremetal
	@echo "test-driver: $(words $(DRV_SUITES)) passed, 0 failed ($(strip $(DRV_SUITES)))"

# The same functional suite, FAST subset, on the Verilator RTL and the VP,
# compared with fsim.
DRV_RTL_FULL ?= 0
test-driver-rtl: $(if $(DRV_HAVE_SIM),$(DRV_BUILD)/test_drv_func_rtl) ## driver functional suite on sim and vp vs fsim (FAST; DRV_RTL_FULL=1: all 256 precision pairs)
	@$(if $(DRV_HAVE_SIM),,echo "test-driver-rtl: sim backend not available (sim/lib/bc_sim.h, BCSIM_LIBS)"; exit 1)
	@set -e; export SEED=$(SEED) DRV_RTL_FULL=$(DRV_RTL_FULL); n=1; \
	  timeout 900 $(DRV_BUILD)/test_drv_func_rtl sim; \
	  $(if $(DRV_HAVE_VP),timeout 900 $(DRV_BUILD)/test_drv_func_rtl vp; n=2;) \
	  echo "test-driver-rtl: $$n passed, 0 failed"

TEST_TARGETS += test-driver

# ---- bench ----------------------------------------------------------------
$(DRV_BUILD)/bench_driver: tests/driver/bench_driver.c $(BCDRV_LIB) $(DRV_HDRS) | $(DRV_BUILD)/
	$(CC) $(DRV_CFLAGS) $(LDFLAGS) -o $@ $< $(BCDRV_LIB) -lm

.PHONY: bench-driver
bench-driver: $(DRV_BUILD)/bench_driver | $(BUILD)/bench/ ## fsim GEMM vs plain C GEMM (MACs/s) and packing bytes/s; writes build/bench/driver.md
	@$(DRV_BUILD)/bench_driver $(BUILD)/bench/driver.md

BENCH_TARGETS += bench-driver

# ---- test-full: the functional suite on fsim over many seeds ----------------
DRV_FULL_SEEDS ?= 40
.PHONY: test-driver-full
test-driver-full: $(DRV_BUILD)/test_drv_func_fsim $(DRV_BUILD)/test_drv_unit ## driver: unit and fsim functional suites over DRV_FULL_SEEDS seeds
	@set -e; for s in $$(seq 1 $(DRV_FULL_SEEDS)); do \
	  SEED=$$s $(DRV_BUILD)/test_drv_unit > $(DRV_BUILD)/full-unit.log 2>&1 || { cat $(DRV_BUILD)/full-unit.log; exit 1; }; \
	  SEED=$$s $(DRV_BUILD)/test_drv_func_fsim fsim > $(DRV_BUILD)/full-func.log 2>&1 || { cat $(DRV_BUILD)/full-func.log; exit 1; }; \
	done; echo "test-driver-full: $$(( 2 * $(DRV_FULL_SEEDS) )) passed, 0 failed (seeds 1..$(DRV_FULL_SEEDS))"

TEST_FULL_TARGETS += test-driver-full test-driver-rtl-full

.PHONY: test-driver-rtl-full
test-driver-rtl-full: ## the full functional suite (256 precision pairs) on sim and vp
	@$(MAKE) --no-print-directory test-driver-rtl DRV_RTL_FULL=1

# ---- coverage: gcov line coverage of driver/src and driver/hal -------------
DRV_COV := $(DRV_BUILD)/cov
DRV_COV_SRCS := $(DRV_CORE_SRCS) $(DRV_HAL_SRCS)
.PHONY: coverage-driver
coverage-driver: $(BC_REGS_H) | $(DRV_COV)/ ## gcov line coverage of the driver and fsim under the unit and functional suites
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
