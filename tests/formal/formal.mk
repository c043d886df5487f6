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
