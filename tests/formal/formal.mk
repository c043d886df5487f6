# tests/formal/formal.mk: AXI protocol proofs of bitcycle_top's interfaces with
# Yosys, yosys-smtbmc (z3) and yosys-abc (PDR), driven by tests/formal/fv.py
# (docs/formal.md); plus the 4 KiB burst-split simulation test.
FORMAL_DIR := tests/formal
FORMAL_BUILD := $(BUILD)/formal
DEB_PKGS += z3

.PHONY: formal test-formal
formal: $(BC_REGS_PKG) ## AXI proofs in full: PDR of every property, BMC to depth 20, cover reachability, broken variants (build/formal/full/report.md)
	@python3 $(FORMAL_DIR)/fv.py --mode full --pkg $(BC_REGS_PKG) --out $(FORMAL_BUILD)/full

test-formal: $(BC_REGS_PKG) ## the fast AXI proofs (PDR per property) and every broken variant failing with a counterexample
	@python3 $(FORMAL_DIR)/fv.py --mode quick --pkg $(BC_REGS_PKG) --out $(FORMAL_BUILD)/quick
TEST_TARGETS += test-formal

# ---------------------------------------------------------------- 4 KiB split (simulation)
F4K_BUILD := $(BUILD)/formal/sim
$(F4K_BUILD)/test_4k.o: tests/platform/test_4k.c $(BC_REGS_H) | $(F4K_BUILD)/
	$(CC) $(PLAT_CFLAGS) -MMD -MP -c $< -o $@
-include $(F4K_BUILD)/test_4k.d
$(F4K_BUILD)/test_4k: $(F4K_BUILD)/test_4k.o $(PLAT_COMMON) $(BCSIM_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(filter %.o,$^) $(TESTS_COMMON_OBJ) $(BCSIM_LIBS) -lm

.PHONY: test-4k
test-4k: $(F4K_BUILD)/test_4k ## 4 KiB burst split on the RTL: rows just before page ends at every DMA burst limit, bit-exact vs golden, AXI checker silent
	@SEED=$(SEED) $(F4K_BUILD)/test_4k
TEST_TARGETS += test-4k
