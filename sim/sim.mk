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
