# rtl/: the bit-serial array core, its Verilator/Icarus regressions, lint and synthesis.
# Included after sim/sim.mk (the core regression links the golden model).
# C objects of SAN=1 builds go to their own folder; the Verilator model is shared.
RTL_BUILD := $(BUILD)/rtl$(if $(filter 1,$(SAN)),-san)
RTL_CORE_SRCS := $(shell cat rtl/core/core.f)
RTL_HARNESS_SRCS := $(RTL_CORE_SRCS) $(shell cat rtl/core/harness.f)
# Default geometry of the harness model; the C harness is compiled with the same values.
# Parameters from the register description; MAX_KC = MAX_K / DK; RES_TILES is the harness's own.
RTL_P_DK := $(call regs_param,DK)
RTL_GEOM := DM=$(call regs_param,DM) DN=$(call regs_param,DN) DK=$(RTL_P_DK) MAX_BITS=$(call regs_param,MAX_BITS) \
  MAX_KC=$(shell echo $$(( $(call regs_param,MAX_K) / $(RTL_P_DK) ))) ABUF_WORDS=$(call regs_param,ABUF_WORDS) \
  BBUF_WORDS=$(call regs_param,BBUF_WORDS) RES_TILES=256
RTL_GPARAMS := $(addprefix -G,$(RTL_GEOM))
RTL_GDEFS := $(addprefix -DBC_,$(RTL_GEOM))
RTL_VERILATOR_INC := $(VERILATOR_ROOT_INC)
RTL_VOBJ := $(BUILD)/rtl/vobj
RTL_TEST_ARGS := --seed $(SEED) $(if $(filter 1,$(TRACE)),--trace $(RTL_BUILD)/core_switch_seed$(SEED).fst) $(if $(filter 1,$(FAST)),--fast)

.PHONY: test-rtl test-rtl-full lint-rtl synth-rtl bench-rtl rtl-demo test-rtl-icarus test-rtl-selfcheck test-rtl-synth
TEST_TARGETS += test-rtl
TEST_FULL_TARGETS += test-rtl-full
LINT_TARGETS += lint-rtl
SYNTH_TARGETS += synth-rtl
BENCH_TARGETS += bench-rtl
DEMO_STEPS += rtl-demo
DEMO_BUILD += $(RTL_BUILD)/rtl_demo

# ---------------------------------------------------------------- Verilator model
# The geometry is compiled into the model: a stamp that changes with it re-verilates.
RTL_GEOM_STAMP := $(RTL_VOBJ)/geometry.txt
$(RTL_GEOM_STAMP): $(call stamp_force,$(RTL_GEOM_STAMP),$(RTL_GEOM)) | $(RTL_VOBJ)/
	@bash mk/write-if-changed.sh $@ '$(RTL_GEOM)'
$(RTL_VOBJ)/Vbc_core_top__ALL.a: $(RTL_HARNESS_SRCS) rtl/core/core.f rtl/core/harness.f $(RTL_GEOM_STAMP) | $(RTL_VOBJ)/
	verilator --cc -Wall --x-assign fast --x-initial fast --trace-fst -O3 \
	  --top-module bc_core_top $(RTL_GPARAMS) --Mdir $(RTL_VOBJ) $(RTL_HARNESS_SRCS)
	$(call vmake,--no-print-directory -s -C $(RTL_VOBJ) -f Vbc_core_top.mk OPT_FAST=-O2 OPT_SLOW=-O1 \
	  Vbc_core_top__ALL.a verilated.o verilated_fst_c.o verilated_threads.o,$(RTL_VOBJ)/build.log)
	@touch $@  # Verilator keeps unchanged outputs, so the archive may be older than its inputs

$(RTL_BUILD)/bc_core_sim.o: sim/core/bc_core_sim.cpp | $(RTL_BUILD)/ $(RTL_VOBJ)/Vbc_core_top__ALL.a
	$(CXX) $(CXXFLAGS) -Wno-unused-parameter $(RTL_GDEFS) -Isim/core -I$(RTL_VOBJ) -I$(RTL_VERILATOR_INC) \
	  -I$(RTL_VERILATOR_INC)/vltstd -c $< -o $@

RTL_SIM_LIB := $(RTL_BUILD)/libbc_core_sim.a
$(RTL_SIM_LIB): $(RTL_BUILD)/bc_core_sim.o $(RTL_VOBJ)/Vbc_core_top__ALL.a
	rm -f $@
	ar rcs $@ $(RTL_BUILD)/bc_core_sim.o $(RTL_VOBJ)/verilated.o $(RTL_VOBJ)/verilated_fst_c.o \
	  $(RTL_VOBJ)/verilated_threads.o
	cd $(RTL_BUILD) && rm -rf ar_x && mkdir ar_x && cd ar_x && ar x $(abspath $(RTL_VOBJ))/Vbc_core_top__ALL.a && \
	  ar rs ../libbc_core_sim.a *.o >/dev/null && cd .. && rm -rf ar_x
RTL_SIM_LDLIBS := $(RTL_SIM_LIB) -lz -lpthread -lm

# ---------------------------------------------------------------- C regression
RTL_TEST_INC := $(GOLDEN_INC) -Isim/core -Itests/rtl
# The checker self-test's deliberately broken golden model (a variant, not a copy).
$(RTL_BUILD)/golden_broken.o: sim/golden/bc_golden.c | $(RTL_BUILD)/
	$(CC) $(CFLAGS) $(GOLDEN_INC) -DBC_GOLDEN_BREAK_SIGN -c $< -o $@
$(RTL_BUILD)/%.o: tests/rtl/%.c | $(RTL_BUILD)/
	$(CC) $(CFLAGS) $(RTL_TEST_INC) -c $< -o $@
RTL_UTIL_OBJS := $(RTL_BUILD)/rtl_util.o $(RTL_BUILD)/rtl_sim_util.o
$(RTL_BUILD)/test_rtl: $(RTL_BUILD)/test_rtl.o $(RTL_UTIL_OBJS) $(GOLDEN_OBJ) $(RTL_SIM_LIB)
	$(CXX) $(LDFLAGS) -o $@ $(filter %.o,$^) $(RTL_SIM_LDLIBS)
$(RTL_BUILD)/test_rtl_broken: $(RTL_BUILD)/test_rtl.o $(RTL_UTIL_OBJS) $(RTL_BUILD)/golden_broken.o $(RTL_SIM_LIB)
	$(CXX) $(LDFLAGS) -o $@ $(filter %.o,$^) $(RTL_SIM_LDLIBS)
$(RTL_BUILD)/rtl_demo: $(RTL_BUILD)/rtl_demo.o $(RTL_UTIL_OBJS) $(GOLDEN_OBJ) $(RTL_SIM_LIB)
	$(CXX) $(LDFLAGS) -o $@ $(filter %.o,$^) $(RTL_SIM_LDLIBS)
$(RTL_BUILD)/rtl_bench: $(RTL_BUILD)/rtl_bench.o $(RTL_UTIL_OBJS) $(GOLDEN_OBJ) $(RTL_SIM_LIB)
	$(CXX) $(LDFLAGS) -o $@ $(filter %.o,$^) $(RTL_SIM_LDLIBS)
$(RTL_BUILD)/gen_vectors: $(RTL_BUILD)/gen_vectors.o $(RTL_BUILD)/rtl_util.o $(GOLDEN_OBJ)
	$(CC) $(LDFLAGS) -o $@ $^

# ---------------------------------------------------------------- Icarus
RTL_TB := tests/rtl/tb_core_icarus.sv
$(RTL_BUILD)/tb_core_icarus.vvp: $(RTL_HARNESS_SRCS) $(RTL_TB) rtl/core/core.f rtl/core/harness.f | $(RTL_BUILD)/
	iverilog -g2012 -Wall -Wno-timescale -o $@ -s tb_core_icarus $(RTL_HARNESS_SRCS) $(RTL_TB)

test-rtl-icarus: $(RTL_BUILD)/tb_core_icarus.vvp $(RTL_BUILD)/gen_vectors ## Icarus (-g2012) replay of golden-model vectors on bc_core_top (portability subset)
	@$(RTL_BUILD)/gen_vectors --seed $(SEED) --out $(RTL_BUILD)/icarus_vectors_seed$(SEED).txt
	@set -o pipefail; vvp -n $(RTL_BUILD)/tb_core_icarus.vvp +vectors=$(RTL_BUILD)/icarus_vectors_seed$(SEED).txt \
	  | tee $(RTL_BUILD)/icarus.log | grep -E "MISMATCH|^icarus:"
	@tail -1 $(RTL_BUILD)/icarus.log | grep -q "icarus: [0-9]* passed, 0 failed"

test-rtl: $(RTL_BUILD)/test_rtl test-rtl-selfcheck test-rtl-icarus test-rtl-synth lint-rtl ## array core: Verilator regression vs golden, checker self-test, Icarus subset, lint, small-config Yosys synth
	$(RTL_BUILD)/test_rtl $(RTL_TEST_ARGS)

test-rtl-full: $(RTL_BUILD)/test_rtl ## array core: long Verilator regression (8 rounds of all pairs x signedness, larger shapes)
	$(RTL_BUILD)/test_rtl $(RTL_TEST_ARGS) --full

test-rtl-selfcheck: $(RTL_BUILD)/test_rtl_broken ## checker self-test: a golden model without sign-plane negation must fail the regression
	@set -o pipefail; if $(RTL_BUILD)/test_rtl_broken --seed $(SEED) --selfcheck > $(RTL_BUILD)/selfcheck.log 2>&1; then \
	  echo "rtl-selfcheck: broken golden model was NOT detected"; tail -5 $(RTL_BUILD)/selfcheck.log; \
	  echo "rtl-selfcheck: 0 passed, 1 failed"; exit 1; \
	else grep -m1 MISMATCH $(RTL_BUILD)/selfcheck.log; echo "rtl-selfcheck: 1 passed, 0 failed"; fi

# ---------------------------------------------------------------- lint, synth
lint-rtl: ## verilator --lint-only -Wall of the array core (top bc_core_top) and bc_array_core
	verilator --lint-only -Wall --top-module bc_core_top $(RTL_HARNESS_SRCS)
	verilator --lint-only -Wall --top-module bc_array_core $(RTL_CORE_SRCS)
	@echo "lint-rtl: 2 passed, 0 failed"

# Small configuration so synthesis stays fast: 2x2 units, 16-word banks, 4-tile result ring.
RTL_SMALL := chparam -set DM 2 -set DN 2 -set ABUF_WORDS 16 -set BBUF_WORDS 16 -set MAX_KC 4 -set RES_TILES 4 bc_core_top
test-rtl-synth: | $(RTL_BUILD)/ ## Yosys read_verilog -sv + synth of a small (2x2) configuration of bc_core_top (all core modules)
	@yosys -q -l $(RTL_BUILD)/synth_small.log -p "read_verilog -sv $(RTL_HARNESS_SRCS); $(RTL_SMALL); \
	  synth -top bc_core_top; tee -q -o $(RTL_BUILD)/synth_small_stat.txt stat" >/dev/null
	@grep -q "Number of cells" $(RTL_BUILD)/synth_small_stat.txt
	@echo "rtl-synth: 2x2 bc_core_top, $$(grep 'Number of cells' $(RTL_BUILD)/synth_small_stat.txt | tail -1 | tr -s ' ')"
	@echo "rtl-synth: 1 passed, 0 failed"

synth-rtl: test-rtl-synth ## Yosys synth of the small array core configuration (report in build/rtl/)

# ---------------------------------------------------------------- demo, bench
rtl-demo: $(RTL_BUILD)/rtl_demo ## the same GEMM at 8/8, 4/4, 2/2 on the RTL core: cycles, ratio, bit-exact vs golden
	@$(RTL_BUILD)/rtl_demo

bench-rtl: $(RTL_BUILD)/rtl_bench $(RTL_BUILD)/tb_core_icarus.vvp $(RTL_BUILD)/gen_vectors | $(BUILD)/bench/ ## Verilator vs Icarus cycles/s and array utilisation at 8/8, 4/4, 2/2 (build/bench/rtl.md)
	@$(RTL_BUILD)/gen_vectors --seed 1 --out $(RTL_BUILD)/bench_vectors.txt >/dev/null
	@$(RTL_BUILD)/rtl_bench --vectors $(RTL_BUILD)/bench_vectors.txt --vvp $(RTL_BUILD)/tb_core_icarus.vvp \
	  --out $(BUILD)/bench/rtl.md
