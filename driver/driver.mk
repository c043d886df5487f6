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

DRV_UNIT_OBJS := $(addprefix $(DRV_BUILD)/tests/,test_drv_unit.o test_drv_mock.o test_drv_pack.o test_drv_quant.o)
$(DRV_BUILD)/test_drv_unit: $(DRV_UNIT_OBJS) $(BCDRV_LIB) $(DRV_GOLDEN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^ $(DRV_TEST_LIBS)
