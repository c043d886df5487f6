# rtl/regmap/: the register description and its generator. Included first by
# the top Makefile: every other part reads the generated files.
# Exports:
#   BC_REGS_H    build/gen/bc_regs.h (registers, fields, counters X-macro, params, errors)
#   BC_REGS_PKG  build/gen/bc_regs_pkg.sv (the RTL constants)
#   REGS_INC     include flag for the generated C header
#   GEN_DIR      build/gen/: every generated source lives here
REGMAP_DESC := rtl/regmap/bitcycle.regs
REGMAP_GEN := $(BUILD)/regmap/bc_regmap_gen
GEN_DIR := $(BUILD)/gen
BC_REGS_H := $(GEN_DIR)/bc_regs.h
BC_REGS_PKG := $(GEN_DIR)/bc_regs_pkg.sv
REGS_INC := -I$(GEN_DIR)
# $(call regs_param,NAME): a parameter's default straight from the description
# (read only; make itself needs no generated file to parse).
regs_param = $(shell awk '$$1 == "param" && $$2 == "$(1)" { print $$3 }' $(REGMAP_DESC))

$(REGMAP_GEN): rtl/regmap/bc_regmap_gen.c | $(BUILD)/regmap/
	$(CC) $(CSTD) $(WARN) -O1 -g -D_POSIX_C_SOURCE=200809L $(if $(filter 1,$(SAN)),$(SAN_CFLAGS)) $< -o $@

$(BC_REGS_H) $(BC_REGS_PKG) &: $(REGMAP_DESC) $(REGMAP_GEN) | $(GEN_DIR)/
	$(REGMAP_GEN) $(REGMAP_DESC) --c $(BC_REGS_H) --sv $(BC_REGS_PKG)

.PHONY: regs test-regmap
regs: $(BC_REGS_H) $(BC_REGS_PKG) ## generate the register header/package/docs (updates docs/registers.md)
	$(REGMAP_GEN) $(REGMAP_DESC) --md-in docs/registers.md --md docs/registers.md

test-regmap: $(REGMAP_GEN) ## register map: docs table not stale, generator rejects bad input, a .regs-only counter reaches driver and estimator
	@bash tests/platform/regmap_test.sh $(REGMAP_GEN) $(REGMAP_DESC) docs/registers.md $(BUILD)/regmap
	@bash tests/platform/counter_path_test.sh $(REGMAP_GEN) $(REGMAP_DESC) $(BUILD)/regmap

TEST_TARGETS += test-regmap
