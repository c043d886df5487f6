# host/est/calib.mk: per-configuration calibration and the estimator's RTL
# validation (timing model, calibration grid, RTL helper builds).
# Included from host/est/est.mk (after EST_OBJS).


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
# the bus width the simulator library is compiled for (one beat per cycle)
CALIB_AXI := $(or $(patsubst -GAXI_W=%,%,$(filter -GAXI_W=%,$(CALIB_GFLAGS))),64)
CALIB_VFLAGS := $(subst -Mdir $(VTOP_DIR),-Mdir $(CALIB_VTOP),$(VTOP_FLAGS))
CALIB_SIMLIB_INC := -Isim/lib -isystem $(CALIB_VTOP) -isystem $(VERILATOR_ROOT_INC) -isystem $(VERILATOR_ROOT_INC)/vltstd
# Everything but the Verilated model and the simulator library is the main build's.
CALIB_HELPER_OBJS := $(CALIB_DIR)/calib_helper.o $(EST_OBJS) $(HOST_CLI_OBJS) $(DRV_BUILD)/be/bc_hal_sim.o \
  $(CALIB_DIR)/bc_sim.o $(CALIB_DIR)/bc_axi_mem.o
CALIB_HELPER_LIBS := $(FW_LIB) $(BCDRV_LIB) $(CALIB_VTOP)/Vbitcycle_top__ALL.a $(CALIB_VTOP)/libverilated.a
$(CALIB_VTOP)/Vbitcycle_top__ALL.a $(CALIB_VTOP)/libverilated.a &: $(TOP_RTL)
	@mkdir -p $(CALIB_VTOP)
	verilator $(CALIB_VFLAGS) $(CALIB_GFLAGS) $(TOP_RTL) >$(CALIB_DIR)/verilate.log 2>&1 || { tail -30 $(CALIB_DIR)/verilate.log; exit 1; }
	$(call vmake,--no-print-directory -s -C $(CALIB_VTOP) -f Vbitcycle_top.mk OPT_FAST=-O2 \
	  Vbitcycle_top__ALL.a $(VTOP_GLOBAL_OBJS),$(CALIB_DIR)/verilate.log)
	cd $(CALIB_VTOP) && rm -f libverilated.a && ar rcs libverilated.a $(VTOP_GLOBAL_OBJS)
	@touch $(CALIB_VTOP)/Vbitcycle_top__ALL.a $(CALIB_VTOP)/libverilated.a
$(CALIB_DIR)/%.o: sim/lib/%.cpp $(CALIB_VTOP)/Vbitcycle_top__ALL.a
	$(CXX) $(CXXFLAGS) -Werror -MMD -MP -DBC_SIM_AXI_W=$(CALIB_AXI) $(CALIB_SIMLIB_INC) -c $< -o $@
$(CALIB_DIR)/calib_helper.o: $(CALIB_HELPER_SRC) | $(BC_REGS_H)
	$(CC) $(HOST_CFLAGS) -Ihost/est -MMD -MP -c $< -o $@
-include $(CALIB_DIR)/calib_helper.d $(CALIB_DIR)/bc_sim.d $(CALIB_DIR)/bc_axi_mem.d
$(CALIB_DIR)/calib-helper: $(CALIB_HELPER_OBJS) $(CALIB_HELPER_LIBS)
	$(CXX) $(LDFLAGS) -o $@ $(CALIB_HELPER_OBJS) $(CALIB_HELPER_LIBS) -lstdc++ -lz -lpthread -lm
calib-helper: $(CALIB_DIR)/calib-helper
else
calib-helper:
	@echo "calib-helper: set CALIB_DIR and CALIB_GFLAGS (bitcycle calibrate does)"; exit 2
endif
.PHONY: calib-helper
calib-helper: ## calibration helper at CALIB_GFLAGS parameters into CALIB_DIR (run by bitcycle calibrate)

# The helper's source must compile in every build (it is not linked into build/bitcycle).
$(EST_BUILD)/calib_helper.o: $(CALIB_HELPER_SRC) | $(EST_BUILD)/ $(BC_REGS_H)
	$(CC) $(HOST_CFLAGS) -Ihost/est -MMD -MP -c $< -o $@
-include $(EST_BUILD)/calib_helper.d
test-host-unit: $(EST_BUILD)/calib_helper.o
