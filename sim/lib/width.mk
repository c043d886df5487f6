# sim/lib/width.mk: bitcycle_top at other AXI data widths. The default model and
# library (build/sim/vtop, build/sim/libbcsim.a) are 64-bit; each width W below gets
# its own Verilated model (-GAXI_W=W) and library build/sim/w$W/libbcsim.a with the
# same C ABI, so a program picks its width by the library it links
# (bc_sim_axi_bits() and CFG_BUS tell which). Included from sim/sim.mk.

AXI_WIDTHS_WIDE := 128 256 512

# $(1) = width in bits
define AXI_WIDTH_RULES
VTOP_DIR_W$(1) := $(BUILD)/sim/w$(1)/vtop
VTOP_LIB_W$(1) := $$(VTOP_DIR_W$(1))/Vbitcycle_top__ALL.a
VTOP_VLIB_W$(1) := $$(VTOP_DIR_W$(1))/libverilated.a

$$(VTOP_LIB_W$(1)) $$(VTOP_VLIB_W$(1)) &: $(TOP_RTL) | $(BUILD)/sim/w$(1)/
	verilator $$(subst -Mdir $(VTOP_DIR),-Mdir $$(VTOP_DIR_W$(1)),$(VTOP_FLAGS)) -GAXI_W=$(1) $(TOP_RTL) \
	  >$(BUILD)/sim/w$(1)/verilate.log 2>&1 || (cat $(BUILD)/sim/w$(1)/verilate.log; exit 1)
	$$(call vmake,--no-print-directory -s -C $$(VTOP_DIR_W$(1)) -f Vbitcycle_top.mk OPT_FAST=-O2 \
	  Vbitcycle_top__ALL.a $(VTOP_GLOBAL_OBJS),$(BUILD)/sim/w$(1)/verilate.log)
	cd $$(VTOP_DIR_W$(1)) && rm -f libverilated.a && ar rcs libverilated.a $(VTOP_GLOBAL_OBJS)
	@touch $$(VTOP_LIB_W$(1)) $$(VTOP_VLIB_W$(1))

$(BUILD)/sim/w$(1)/%.o: sim/lib/%.cpp $$(VTOP_LIB_W$(1)) | $(BUILD)/sim/w$(1)/
	$(CXX) $(CXXFLAGS) -Werror -MMD -MP -DBC_SIM_AXI_W=$(1) -Isim/lib -isystem $$(VTOP_DIR_W$(1)) \
	  -isystem $(VERILATOR_ROOT_INC) -isystem $(VERILATOR_ROOT_INC)/vltstd -c $$< -o $$@
$(BUILD)/sim/w$(1)/libbcsim.a: $(BUILD)/sim/w$(1)/bc_sim.o $(BUILD)/sim/w$(1)/bc_axi_mem.o
	rm -f $$@ && ar rcs $$@ $$^
-include $(BUILD)/sim/w$(1)/bc_sim.d $(BUILD)/sim/w$(1)/bc_axi_mem.d

BCSIM_DEPS_W$(1) := $(BUILD)/sim/w$(1)/libbcsim.a $$(VTOP_LIB_W$(1)) $$(VTOP_VLIB_W$(1))
BCSIM_LIBS_W$(1) := $$(BCSIM_DEPS_W$(1)) -lstdc++ -lz -lpthread

$(BUILD)/platform/w$(1)/test_platform: $(BUILD)/platform/test_platform.o $(PLAT_COMMON) $$(BCSIM_DEPS_W$(1)) | $(BUILD)/platform/w$(1)/
	$(CXX) $(LDFLAGS) -o $$@ $$(filter %.o,$$^) $(TESTS_COMMON_OBJ) $$(BCSIM_LIBS_W$(1)) -lm

.PHONY: sim-lib-w$(1) test-platform-w$(1)
sim-lib-w$(1): $(BUILD)/sim/w$(1)/libbcsim.a
test-platform-w$(1): $(BUILD)/platform/w$(1)/test_platform
	@SEED=$(SEED) FAST=$(FAST) $(BUILD)/platform/w$(1)/test_platform
endef

$(foreach w,$(AXI_WIDTHS_WIDE),$(eval $(call AXI_WIDTH_RULES,$(w))))

# help lines (the rules above come from a template)
sim-lib-w128: ## the C-ABI simulator library with a 128-bit AXI bus (build/sim/w128/libbcsim.a)
sim-lib-w256: ## the C-ABI simulator library with a 256-bit AXI bus (build/sim/w256/libbcsim.a)
sim-lib-w512: ## the C-ABI simulator library with a 512-bit AXI bus (build/sim/w512/libbcsim.a)
test-platform-w128: ## test-platform on bitcycle_top with a 128-bit AXI bus (make test-full)
test-platform-w256: ## test-platform on bitcycle_top with a 256-bit AXI bus (make test)
test-platform-w512: ## test-platform on bitcycle_top with a 512-bit AXI bus (make test-full)

# The regression at 64 bits is test-platform; make test adds 256, test-full all four.
TEST_TARGETS += test-platform-w256
TEST_FULL_TARGETS += test-platform-w128 test-platform-w256 test-platform-w512

# Lint, Icarus and Yosys at every width (lint-top checks the default 64).
.PHONY: lint-top-widths
lint-top-widths: $(BC_REGS_PKG) | $(BUILD)/sim/ ## bitcycle_top at AXI_W 128, 256, 512: verilator -Wall, Icarus -g2012, Yosys
	@for w in $(AXI_WIDTHS_WIDE); do \
	  verilator --lint-only -Wall --top-module bitcycle_top -GAXI_W=$$w $(TOP_RTL) || exit 1; \
	  rm -f $(BUILD)/sim/bitcycle_top_w$$w.vvp; \
	  iverilog -g2012 -s bitcycle_top -Pbitcycle_top.AXI_W=$$w -o $(BUILD)/sim/bitcycle_top_w$$w.vvp $(TOP_RTL) 2>&1 | \
	    grep -v "sorry: constant selects in always_\* processes" || true; \
	  test -s $(BUILD)/sim/bitcycle_top_w$$w.vvp || { echo "lint-top-widths: iverilog failed at AXI_W=$$w"; exit 1; }; \
	  yosys -q -p "read_verilog -sv $(TOP_RTL); chparam -set AXI_W $$w bitcycle_top; hierarchy -check -top bitcycle_top" \
	    >$(BUILD)/sim/yosys_read_w$$w.log 2>&1 || { cat $(BUILD)/sim/yosys_read_w$$w.log; exit 1; }; \
	done
	@echo "lint-top-widths: 9 passed, 0 failed (verilator -Wall, iverilog -g2012, yosys at AXI_W $(AXI_WIDTHS_WIDE))"
lint-top: lint-top-widths

# Benchmark per width (no VP part): build/bench/platform_w$W.md; bench-platform is 64 bits.
define AXI_WIDTH_BENCH_RULES
$(BUILD)/platform/w$(1)/bench_platform.o: tests/platform/bench_platform.c | $(BUILD)/platform/w$(1)/
	$(CC) $(PLAT_CFLAGS) -MMD -MP -DBENCH_NO_VP -c $$< -o $$@
-include $(BUILD)/platform/w$(1)/bench_platform.d
$(BUILD)/platform/w$(1)/bench_platform: $(BUILD)/platform/w$(1)/bench_platform.o $(PLAT_COMMON) $$(BCSIM_DEPS_W$(1))
	$(CXX) $(LDFLAGS) -o $$@ $$(filter %.o,$$^) $(TESTS_COMMON_OBJ) $$(BCSIM_LIBS_W$(1)) -lm
.PHONY: bench-platform-w$(1)
bench-platform-w$(1): $(BUILD)/platform/w$(1)/bench_platform | $(BUILD)/bench/
	@$(BUILD)/platform/w$(1)/bench_platform $(BUILD)/bench/platform_w$(1).md
endef
$(foreach w,$(AXI_WIDTHS_WIDE),$(eval $(call AXI_WIDTH_BENCH_RULES,$(w))))
bench-platform-w128: ## platform efficiency with a 128-bit AXI bus -> build/bench/platform_w128.md
bench-platform-w256: ## platform efficiency with a 256-bit AXI bus -> build/bench/platform_w256.md
bench-platform-w512: ## platform efficiency with a 512-bit AXI bus -> build/bench/platform_w512.md

.PHONY: bench-platform-widths
bench-platform-widths: bench-platform $(addprefix bench-platform-w,$(AXI_WIDTHS_WIDE)) ## platform efficiency at every AXI width (64..512)
BENCH_TARGETS += bench-platform-widths

# The VP at other widths: bc_vp.o has no model headers, so the same libbcvp.a links
# against each width's simulator library.
define AXI_WIDTH_VP_RULES
$(BUILD)/platform/w$(1)/test_vp: $(BUILD)/platform/test_vp.o $(PLAT_COMMON) $(BUILD)/sim/libbcvp.a $$(BCSIM_DEPS_W$(1)) | $(BUILD)/platform/w$(1)/
	$(CXX) $(LDFLAGS) -o $$@ $$(filter %.o,$$^) $(BUILD)/sim/libbcvp.a $$(BCSIM_LIBS_W$(1)) $(SYSTEMC_LIBS) -lm
.PHONY: test-platform-vp-w$(1)
test-platform-vp-w$(1): $(BUILD)/platform/w$(1)/test_vp
	@SEED=$(SEED) $(BUILD)/platform/w$(1)/test_vp
endef
$(foreach w,$(AXI_WIDTHS_WIDE),$(eval $(call AXI_WIDTH_VP_RULES,$(w))))
test-platform-vp-w128: ## test-platform-vp (register program on sim and VP, VP GEMM) with a 128-bit AXI bus
test-platform-vp-w256: ## test-platform-vp (register program on sim and VP, VP GEMM) with a 256-bit AXI bus
test-platform-vp-w512: ## test-platform-vp (register program on sim and VP, VP GEMM) with a 512-bit AXI bus
TEST_FULL_TARGETS += test-platform-vp-w128 test-platform-vp-w256 test-platform-vp-w512
