# sim/sim.mk (issue 3): register map generator, bitcycle_top RTL, the simulator
# library (C ABI), the SystemC virtual platform, the timing model and their tests.

REGMAP_DESC := rtl/regmap/bitcycle.regs
REGMAP_GEN := $(BUILD)/regmap/bc_regmap_gen
GEN_DIR := $(BUILD)/gen
BC_REGS_H := $(GEN_DIR)/bc_regs.h
BC_REGS_PKG := $(GEN_DIR)/bc_regs_pkg.sv

$(REGMAP_GEN): rtl/regmap/bc_regmap_gen.c | $(BUILD)/regmap/
	$(CC) $(CSTD) $(WARN) -O1 -g -D_POSIX_C_SOURCE=200809L $(if $(filter 1,$(SAN)),$(SAN_CFLAGS)) $< -o $@

$(BC_REGS_H) $(BC_REGS_PKG) &: $(REGMAP_DESC) $(REGMAP_GEN) | $(GEN_DIR)/
	$(REGMAP_GEN) $(REGMAP_DESC) --c $(BC_REGS_H) --sv $(BC_REGS_PKG)

.PHONY: regs test-regmap
regs: $(BC_REGS_H) $(BC_REGS_PKG) ## generate the register header/package/docs (updates docs/registers.md)
	$(REGMAP_GEN) $(REGMAP_DESC) --md-in docs/registers.md --md docs/registers.md

test-regmap: $(REGMAP_GEN) ## register map: generated docs table not stale, generator rejects bad input
	@bash tests/platform/regmap_test.sh $(REGMAP_GEN) $(REGMAP_DESC) docs/registers.md $(BUILD)/regmap

TEST_TARGETS += test-regmap

# ---------------------------------------------------------------- timing model
$(BUILD)/sim/bc_timing.o: sim/model/bc_timing.c sim/model/bc_timing.h | $(BUILD)/sim/
	$(CC) $(CFLAGS) -Isim/model -c $< -o $@
HOST_OBJS += $(BUILD)/sim/bc_timing.o

# ---------------------------------------------------------------- bitcycle_top under Verilator
TOP_RTL := $(patsubst build/%,$(BUILD)/%,$(shell cat rtl/bitcycle.f))
VTOP_DIR := $(BUILD)/sim/vtop
VTOP_LIB := $(VTOP_DIR)/Vbitcycle_top__ALL.a
VTOP_VLIB := $(VTOP_DIR)/libverilated.a
VERILATOR_ROOT_INC := $(shell verilator --getenv VERILATOR_ROOT 2>/dev/null)/include
# -O2 and fast X handling: the model is only for simulation speed; tracing is
# compiled in and switched on at run time.
VTOP_FLAGS := --cc --build -j 2 --trace-fst -O2 --x-assign fast --x-initial fast -Wall --assert \
  --top-module bitcycle_top -Mdir $(VTOP_DIR) -CFLAGS -O2

$(VTOP_LIB) $(VTOP_VLIB) &: $(TOP_RTL) | $(BUILD)/sim/
	verilator $(VTOP_FLAGS) $(TOP_RTL) >$(BUILD)/sim/verilate.log 2>&1 || (cat $(BUILD)/sim/verilate.log; exit 1)
	$(MAKE) --no-print-directory -C $(VTOP_DIR) -f Vbitcycle_top.mk OPT_FAST=-O2 \
	  verilated.o verilated_fst_c.o verilated_threads.o verilated_dpi.o >>$(BUILD)/sim/verilate.log 2>&1
	cd $(VTOP_DIR) && rm -f libverilated.a && ar rcs libverilated.a verilated.o verilated_fst_c.o verilated_threads.o verilated_dpi.o

SIMLIB_INC := -Isim/lib -isystem $(VTOP_DIR) -isystem $(VERILATOR_ROOT_INC) -isystem $(VERILATOR_ROOT_INC)/vltstd
SIMLIB_OBJS := $(BUILD)/sim/bc_sim.o $(BUILD)/sim/bc_axi_mem.o
$(BUILD)/sim/%.o: sim/lib/%.cpp sim/lib/bc_sim.h sim/lib/bc_axi_mem.h sim/lib/bc_sim_internal.h $(VTOP_LIB) | $(BUILD)/sim/
	$(CXX) $(CXXFLAGS) -Werror $(SIMLIB_INC) -c $< -o $@
$(BUILD)/sim/libbcsim.a: $(SIMLIB_OBJS)
	rm -f $@ && ar rcs $@ $^

.PHONY: sim-lib
sim-lib: $(BUILD)/sim/libbcsim.a ## build the C-ABI simulator library build/sim/libbcsim.a

# Exports: what a C program needs to use the simulator library.
BCSIM_INC := -Isim/lib
BCSIM_DEPS := $(BUILD)/sim/libbcsim.a $(VTOP_LIB) $(VTOP_VLIB)
BCSIM_LIBS := $(BCSIM_DEPS) -lstdc++ -lz -lpthread
HOST_LIBS += $(BCSIM_LIBS)
$(BUILD)/bitcycle: $(BCSIM_DEPS)

# ---------------------------------------------------------------- platform tests
BCSIM_LIBS_INT := $(BCSIM_LIBS)
PLAT_CFLAGS = $(CFLAGS) -Isim/lib -Isim/vp -Isim/model -Isim/golden -I$(BUILD)/gen -Itests/platform
$(BUILD)/platform/%.o: tests/platform/%.c tests/platform/plat.h sim/lib/bc_sim.h $(BC_REGS_H) | $(BUILD)/platform/
	$(CC) $(PLAT_CFLAGS) -c $< -o $@
$(BUILD)/platform/bc_golden.o: sim/golden/bc_golden.c sim/golden/bc_golden.h | $(BUILD)/platform/
	$(CC) $(CFLAGS) -Isim/golden -c $< -o $@
PLAT_COMMON := $(BUILD)/platform/plat.o $(BUILD)/platform/bc_golden.o $(BUILD)/sim/bc_timing.o
$(BUILD)/platform/test_platform: $(BUILD)/platform/test_platform.o $(PLAT_COMMON) $(BUILD)/sim/libbcsim.a
	$(CXX) $(LDFLAGS) -o $@ $(filter %.o,$^) $(BCSIM_LIBS_INT) -lm

.PHONY: test-platform
test-platform: $(BUILD)/platform/test_platform ## bitcycle_top on the C-ABI harness: registers, GEMMs vs golden, queue, errors, AXI checker
	@SEED=$(SEED) FAST=$(FAST) TRACE=$(TRACE) $(BUILD)/platform/test_platform
TEST_TARGETS += test-platform

# ---------------------------------------------------------------- SystemC virtual platform
SYSTEMC_CFLAGS := $(shell pkg-config --cflags systemc 2>/dev/null)
SYSTEMC_LIBS := $(shell pkg-config --libs systemc 2>/dev/null || echo -lsystemc)
$(BUILD)/sim/bc_vp.o: sim/vp/bc_vp.cpp sim/vp/bc_vp.h sim/lib/bc_sim.h sim/lib/bc_axi_mem.h sim/lib/bc_sim_internal.h | $(BUILD)/sim/
	$(CXX) $(CXXFLAGS) -Werror -Isim/vp $(SIMLIB_INC) $(SYSTEMC_CFLAGS) -c $< -o $@
$(BUILD)/sim/libbcvp.a: $(BUILD)/sim/bc_vp.o
	rm -f $@ && ar rcs $@ $^
BCVP_INC := -Isim/vp -Isim/lib
BCVP_DEPS := $(BUILD)/sim/libbcvp.a $(BCSIM_DEPS)
BCVP_LIBS := $(BUILD)/sim/libbcvp.a $(BCSIM_LIBS) $(SYSTEMC_LIBS)

.PHONY: vp-lib
vp-lib: $(BUILD)/sim/libbcvp.a ## build the SystemC TLM-2.0 virtual platform library build/sim/libbcvp.a
$(BUILD)/platform/test_vp.o: sim/vp/bc_vp.h
$(BUILD)/platform/test_vp: $(BUILD)/platform/test_vp.o $(PLAT_COMMON) $(BCVP_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(filter %.o,$^) $(BCVP_LIBS) -lm

.PHONY: test-platform-vp
test-platform-vp: $(BUILD)/platform/test_vp ## the register program on sim and the SystemC VP (identical), VP GEMM, IRQ line, annotated register time
	@SEED=$(SEED) $(BUILD)/platform/test_vp
TEST_TARGETS += test-platform-vp

# ---------------------------------------------------------------- benchmark
$(BUILD)/platform/bench_platform.o: sim/vp/bc_vp.h sim/model/bc_timing.h
$(BUILD)/platform/bench_platform: $(BUILD)/platform/bench_platform.o $(PLAT_COMMON) $(BCVP_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(filter %.o,$^) $(BCVP_LIBS) -lm

.PHONY: bench-platform
bench-platform: $(BUILD)/platform/bench_platform | $(BUILD)/bench/ ## efficiency of bitcycle_top at 8/8, 4/4, 2/2 and memory-bound; VP vs C-ABI speed -> build/bench/platform.md
	@$(BUILD)/platform/bench_platform $(BUILD)/bench/platform.md
BENCH_TARGETS += bench-platform

# ---------------------------------------------------------------- lint / tool acceptance
.PHONY: lint-top
lint-top: $(BC_REGS_PKG) | $(BUILD)/sim/ ## bitcycle_top: verilator --lint-only -Wall, Icarus -g2012 and Yosys read_verilog -sv accept it
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

include sim/lib/width.mk
