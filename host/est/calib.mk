# host/est/calib.mk: per-configuration calibration and the estimator's RTL
# validation (timing model, calibration grid, RTL helper builds).
# Included from host/est/est.mk.

# The test objects embed the timing model's structs: rebuild them when its
# header changes.
$(EST_BUILD)/test_est.o $(EST_BUILD)/test_est_rtl.o: sim/model/bc_timing.h
# The commands embed them too (est.h includes bc_timing.h).
$(patsubst host/%.c,$(BUILD)/host/%.o,$(wildcard host/cmd_*.c)): sim/model/bc_timing.h

# ---------------------------------------------------------------- calibration helper
# `bitcycle calibrate` (and `estimate` on first use of a configuration) runs
#   make calib-helper CALIB_DIR=<cache dir> CALIB_GFLAGS="-GDM=.. -GDN=.. ..."
# which Verilates bitcycle_top at those parameters into CALIB_DIR/vtop and links
# CALIB_DIR/calib-helper: the calibration grid against that model (one
# Verilated model per process). The objects that do not depend on the
# parameters are the main build's.
CALIB_HELPER_SRC := host/est/helper/calib_helper.c
ifneq ($(strip $(CALIB_DIR)),)
CALIB_VTOP := $(CALIB_DIR)/vtop
CALIB_VFLAGS := --cc --build -j 2 --trace-fst -O2 --x-assign fast --x-initial fast -Wall \
  --top-module bitcycle_top -Mdir $(CALIB_VTOP) -CFLAGS -O2
# (this fragment is read before est.mk: name the estimator's objects here)
CALIB_HELPER_OBJS := $(CALIB_DIR)/calib_helper.o $(patsubst host/%.c,$(BUILD)/host/%.o,$(wildcard host/est/*.c)) \
  $(BUILD)/host/cli.o $(BUILD)/est/dep/bc_timing.o $(BUILD)/est/dep/bc_schedule.o \
  $(BUILD)/driver/rtl/hal/bc_hal_sim.o $(BUILD)/driver/libbcdrv.a $(CALIB_DIR)/bc_sim.o $(BUILD)/sim/bc_axi_mem.o \
  $(CALIB_VTOP)/Vbitcycle_top__ALL.a $(VTOP_VLIB)
$(CALIB_VTOP)/Vbitcycle_top__ALL.a: $(TOP_RTL)
	@mkdir -p $(CALIB_VTOP)
	verilator $(CALIB_VFLAGS) $(CALIB_GFLAGS) $(TOP_RTL)
$(CALIB_DIR)/bc_sim.o: sim/lib/bc_sim.cpp sim/lib/bc_sim.h sim/lib/bc_axi_mem.h sim/lib/bc_sim_internal.h \
  $(CALIB_VTOP)/Vbitcycle_top__ALL.a
	$(CXX) $(CXXFLAGS) -Werror -Isim/lib -isystem $(CALIB_VTOP) -isystem $(VERILATOR_ROOT_INC) \
	  -isystem $(VERILATOR_ROOT_INC)/vltstd -c $< -o $@
$(CALIB_DIR)/calib_helper.o: $(CALIB_HELPER_SRC) $(wildcard host/est/*.h) host/cli.h sim/model/bc_timing.h
	$(CC) $(CFLAGS) $(HOST_INC) -Ihost/est -c $< -o $@
$(CALIB_DIR)/calib-helper: $(CALIB_HELPER_OBJS)
	$(CXX) $(LDFLAGS) -o $@ $(CALIB_HELPER_OBJS) -lstdc++ -lz -lpthread -lm
calib-helper: $(CALIB_DIR)/calib-helper
else
calib-helper:
	@echo "calib-helper: set CALIB_DIR and CALIB_GFLAGS (bitcycle calibrate does)"; exit 2
endif
.PHONY: calib-helper
calib-helper: ## calibration helper at CALIB_GFLAGS parameters into CALIB_DIR (run by bitcycle calibrate)

# The helper's source must compile in every build (it is not linked into build/bitcycle).
$(EST_BUILD)/calib_helper.o: $(CALIB_HELPER_SRC) $(wildcard host/est/*.h) host/cli.h sim/model/bc_timing.h | $(EST_BUILD)/
	$(CC) $(CFLAGS) $(HOST_INC) -Ihost/est -c $< -o $@
test-host-unit: $(EST_BUILD)/calib_helper.o
