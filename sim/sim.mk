# sim/sim.mk: the golden model, the timing model, bitcycle_top under Verilator,
# the C-ABI simulator library, the SystemC virtual platform and their tests.
# Exports (each built once, here):
#   GOLDEN_OBJ GOLDEN_INC       golden model (arithmetic and layout only)
#   BCTIMING_OBJ BCTIMING_INC   timing model (every cycle formula)
#   BCSIM_LIB BCSIM_DEPS BCSIM_INC BCSIM_LIBS   simulator library: link BCSIM_LIBS, depend on BCSIM_DEPS
#   BCVP_LIB BCVP_DEPS BCVP_INC BCVP_LIBS       virtual platform (includes the simulator library)
#   TOP_RTL VTOP_DIR VTOP_FLAGS VERILATOR_ROOT_INC SIMLIB_INC   for variants of the model (coverage)
SIM_BUILD := $(BUILD)/sim
VERILATOR_ROOT_INC := $(shell verilator --getenv VERILATOR_ROOT 2>/dev/null)/include

# ---------------------------------------------------------------- golden and timing models
GOLDEN_INC := -Isim/golden
GOLDEN_OBJ := $(SIM_BUILD)/bc_golden.o
$(GOLDEN_OBJ): sim/golden/bc_golden.c | $(SIM_BUILD)/
	$(CC) $(CFLAGS) $(GOLDEN_INC) -c $< -o $@

BCTIMING_INC := -Isim/model $(REGS_INC)
BCTIMING_OBJ := $(SIM_BUILD)/bc_timing.o
$(BCTIMING_OBJ): sim/model/bc_timing.c | $(SIM_BUILD)/ $(BC_REGS_H)
	$(CC) $(CFLAGS) $(BCTIMING_INC) -c $< -o $@

# ---------------------------------------------------------------- bitcycle_top under Verilator
TOP_RTL := $(patsubst build/%,$(BUILD)/%,$(shell cat rtl/bitcycle.f))
VTOP_DIR := $(SIM_BUILD)/vtop
VTOP_LIB := $(VTOP_DIR)/Vbitcycle_top__ALL.a
VTOP_VLIB := $(VTOP_DIR)/libverilated.a
VTOP_GLOBAL_OBJS := verilated.o verilated_fst_c.o verilated_threads.o verilated_dpi.o
# -O2 and fast X handling: the model is only for simulation speed; tracing is
# compiled in and switched on at run time. Verilator only writes the C++ and
# its makefile; that makefile then runs under our jobserver ($(MAKE)).
VTOP_FLAGS := --cc --trace-fst -O2 --x-assign fast --x-initial fast -Wall --assert \
  --top-module bitcycle_top -Mdir $(VTOP_DIR) -CFLAGS -O2
VTOP_EXTRA_OBJS :=

$(VTOP_LIB) $(VTOP_VLIB) &: $(TOP_RTL) rtl/bitcycle.f | $(SIM_BUILD)/
	verilator $(VTOP_FLAGS) $(TOP_RTL) >$(SIM_BUILD)/verilate.log 2>&1 || (cat $(SIM_BUILD)/verilate.log; exit 1)
	$(call vmake,--no-print-directory -s -C $(VTOP_DIR) -f Vbitcycle_top.mk OPT_FAST=-O2 \
	  Vbitcycle_top__ALL.a $(VTOP_GLOBAL_OBJS) $(VTOP_EXTRA_OBJS),$(SIM_BUILD)/verilate.log)
	cd $(VTOP_DIR) && rm -f libverilated.a && ar rcs libverilated.a $(VTOP_GLOBAL_OBJS) $(VTOP_EXTRA_OBJS)
	@touch $(VTOP_LIB) $(VTOP_VLIB) # Verilator keeps unchanged outputs: the archives must be newer than the RTL

# ---------------------------------------------------------------- C-ABI simulator library
SIMLIB_INC := -Isim/lib -isystem $(VTOP_DIR) -isystem $(VERILATOR_ROOT_INC) -isystem $(VERILATOR_ROOT_INC)/vltstd
BCSIM_LIB := $(SIM_BUILD)/libbcsim.a
SIMLIB_OBJS := $(SIM_BUILD)/bc_sim.o $(SIM_BUILD)/bc_axi_mem.o
# The Verilated headers must exist before the first compile; -MMD tracks them after.
$(SIMLIB_OBJS): $(SIM_BUILD)/%.o: sim/lib/%.cpp | $(VTOP_LIB)
	$(CXX) $(CXXFLAGS) -Werror $(SIMLIB_INC) -c $< -o $@
$(BCSIM_LIB): $(SIMLIB_OBJS)
	rm -f $@ && ar rcs $@ $^

.PHONY: sim-lib vp-lib
sim-lib: $(BCSIM_LIB) ## build the C-ABI simulator library build/sim/libbcsim.a

BCSIM_INC := -Isim/lib
BCSIM_DEPS := $(BCSIM_LIB) $(VTOP_LIB) $(VTOP_VLIB)
BCSIM_LIBS := $(BCSIM_DEPS) -lstdc++ -lz -lpthread

# ---------------------------------------------------------------- SystemC virtual platform
SYSTEMC_CFLAGS := $(shell pkg-config --cflags systemc 2>/dev/null)
SYSTEMC_LIBS := $(shell pkg-config --libs systemc 2>/dev/null || echo -lsystemc)
BCVP_LIB := $(SIM_BUILD)/libbcvp.a
$(SIM_BUILD)/bc_vp.o: sim/vp/bc_vp.cpp | $(VTOP_LIB)
	$(CXX) $(CXXFLAGS) -Werror -Isim/vp $(SIMLIB_INC) $(SYSTEMC_CFLAGS) -c $< -o $@
$(BCVP_LIB): $(SIM_BUILD)/bc_vp.o
	rm -f $@ && ar rcs $@ $^
vp-lib: $(BCVP_LIB) ## build the SystemC TLM-2.0 virtual platform library build/sim/libbcvp.a
BCVP_INC := -Isim/vp -Isim/lib
BCVP_DEPS := $(BCVP_LIB) $(BCSIM_DEPS)
BCVP_LIBS := $(BCVP_LIB) $(BCSIM_LIBS) $(SYSTEMC_LIBS)

# ---------------------------------------------------------------- platform tests
PLAT_CFLAGS = $(CFLAGS) $(BCSIM_INC) $(BCVP_INC) $(BCTIMING_INC) $(GOLDEN_INC) $(REGS_INC) $(TESTS_COMMON_INC) -Itests/platform
$(BUILD)/platform/%.o: tests/platform/%.c | $(BUILD)/platform/ $(BC_REGS_H)
	$(CC) $(PLAT_CFLAGS) -c $< -o $@
PLAT_COMMON := $(BUILD)/platform/plat.o $(BUILD)/platform/plat_bus.o $(GOLDEN_OBJ) $(BCTIMING_OBJ) $(TESTS_COMMON_OBJ)
$(BUILD)/platform/test_platform: $(BUILD)/platform/test_platform.o $(PLAT_COMMON) $(BCSIM_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(filter %.o,$^) $(TESTS_COMMON_OBJ) $(BCSIM_LIBS) -lm

.PHONY: test-platform
test-platform: $(BUILD)/platform/test_platform ## bitcycle_top on the C-ABI harness: registers, GEMMs vs golden, queue, errors, AXI checker
	@SEED=$(SEED) FAST=$(FAST) TRACE=$(TRACE) $(BUILD)/platform/test_platform
ifneq ($(filter sim,$(BC_BACKENDS)),)
TEST_TARGETS += test-platform
endif

# ---------------------------------------------------------------- virtual platform test
$(BUILD)/platform/test_vp: $(BUILD)/platform/test_vp.o $(BUILD)/platform/plat_bus_vp.o $(PLAT_COMMON) $(BCVP_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(filter %.o,$^) $(TESTS_COMMON_OBJ) $(BCVP_LIBS) -lm

.PHONY: test-platform-vp
test-platform-vp: $(BUILD)/platform/test_vp ## the register program on sim and the SystemC VP (identical), VP GEMM, IRQ line, annotated register time
	@SEED=$(SEED) $(BUILD)/platform/test_vp
ifneq ($(filter vp,$(BC_BACKENDS)),)
TEST_TARGETS += test-platform-vp
endif

# ---------------------------------------------------------------- benchmark
$(BUILD)/platform/bench_platform: $(BUILD)/platform/bench_platform.o $(BUILD)/platform/plat_bus_vp.o $(PLAT_COMMON) $(BCVP_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(filter %.o,$^) $(TESTS_COMMON_OBJ) $(BCVP_LIBS) -lm

.PHONY: bench-platform
bench-platform: $(BUILD)/platform/bench_platform | $(BUILD)/bench/ ## efficiency of bitcycle_top at 8/8, 4/4, 2/2 and memory-bound; VP vs C-ABI speed -> build/bench/platform.md
	@$(BUILD)/platform/bench_platform $(BUILD)/bench/platform.md
BENCH_TARGETS += bench-platform

# ---------------------------------------------------------------- lint / tool acceptance
.PHONY: lint-top
lint-top: $(BC_REGS_PKG) | $(SIM_BUILD)/ ## bitcycle_top: verilator --lint-only -Wall, Icarus -g2012 and Yosys read_verilog -sv accept it
	@verilator --lint-only -Wall --top-module bitcycle_top $(TOP_RTL)
	@rm -f $(BUILD)/sim/bitcycle_top.vvp; iverilog -g2012 -s bitcycle_top -o $(BUILD)/sim/bitcycle_top.vvp $(TOP_RTL) 2>&1 | \
	  grep -v "sorry: constant selects in always_\* processes" || true
	@test -s $(BUILD)/sim/bitcycle_top.vvp
	@yosys -q -p "read_verilog -sv $(TOP_RTL); hierarchy -check -top bitcycle_top" >$(BUILD)/sim/yosys_read.log 2>&1 || \
	  (cat $(BUILD)/sim/yosys_read.log; exit 1)
	@echo "lint-top: 3 passed, 0 failed (verilator -Wall, iverilog -g2012, yosys read_verilog -sv)"
LINT_TARGETS += lint-top
TEST_TARGETS += lint-top

# ---------------------------------------------------------------- synthesis (Yosys)
# tiny: what make test runs (2x2 array, 4-bit, tiny buffers); default: docs/contracts.md.
SYNTH_DIR := $(BUILD)/synth
SYNTH_TINY_PARAMS := -set DM 2 -set DN 2 -set MAX_BITS 4 -set ABUF_WORDS 16 -set BBUF_WORDS 32 \
  -set MAX_K 128 -set MAX_M 64 -set MAX_N 64 -set QUEUE_DEPTH 2
SYNTH_DEFAULT_PARAMS :=
# generic: memories stay $mem cells (they would be BRAM); the rest becomes gates.
SYNTH_GENERIC_FLOW := synth -top bitcycle_top -run begin:fine; opt -fast -full; techmap; opt -fast; abc -fast; opt -fast
SYNTH_XILINX_FLOW := synth_xilinx -top bitcycle_top

define SYNTH_RULES
$(SYNTH_DIR)/top_$(1)_generic.txt: $(TOP_RTL) | $(SYNTH_DIR)/
	yosys -q -l $(SYNTH_DIR)/top_$(1)_generic.log -p "read_verilog -sv $(TOP_RTL); $(2) hierarchy -top bitcycle_top; $(SYNTH_GENERIC_FLOW); tee -q -o $$@.tmp stat" >/dev/null
	mv $$@.tmp $$@
$(SYNTH_DIR)/top_$(1)_xilinx.txt: $(TOP_RTL) | $(SYNTH_DIR)/
	yosys -q -l $(SYNTH_DIR)/top_$(1)_xilinx.log -p "read_verilog -sv $(TOP_RTL); $(2) hierarchy -top bitcycle_top; $(SYNTH_XILINX_FLOW); tee -q -o $$@.tmp stat" >/dev/null
	mv $$@.tmp $$@
$(SYNTH_DIR)/top_$(1).md: $(SYNTH_DIR)/top_$(1)_generic.txt $(SYNTH_DIR)/top_$(1)_xilinx.txt tests/platform/synth_report.sh
	bash tests/platform/synth_report.sh "bitcycle_top, $(1) configuration" $(3) $(4) 64 $$(word 1,$$^) $$(word 2,$$^) $$@
endef
$(eval $(call SYNTH_RULES,tiny,chparam $(SYNTH_TINY_PARAMS) bitcycle_top;,2,2))
$(eval $(call SYNTH_RULES,default,,8,8))

.PHONY: synth-top test-synth-top
synth-top: $(SYNTH_DIR)/top_default.md ## Yosys synth + synth_xilinx of bitcycle_top (default 8x8 config): LUT/FF/BRAM/DSP in build/synth/top_default.md
test-synth-top: $(SYNTH_DIR)/top_tiny.md ## Yosys synth + synth_xilinx of a tiny bitcycle_top configuration (make test)
	@echo "synth-top: 2 passed, 0 failed (generic synth and synth_xilinx of the tiny configuration)"
SYNTH_TARGETS += synth-top test-synth-top
TEST_TARGETS += test-synth-top

.PHONY: test-platform-full
test-platform-full: $(BUILD)/platform/test_platform ## test-platform with 200 random GEMMs (make test-full)
	@SEED=$(SEED) PLAT_GEMMS=200 $(BUILD)/platform/test_platform
TEST_FULL_TARGETS += test-platform-full
include sim/iss/iss.mk
include sim/lib/width.mk
