# firmware/: CPT schedule engine, precision range test, quantized MLP trainer.
# Built for the host (linked into build/bitcycle) and compile-checked for rv32
# (soft float). The quantizer lives in the driver (bc_quant.h).
# Exports:
#   FW_INC       include flags of the firmware headers (and the driver's)
#   FW_LIB       build/firmware/libbcfw.a: the firmware core (schedules, range test, trainer)
#   FW_OBJS      every firmware object the host tool links (core + host-side loaders)
FW_BUILD := $(BUILD)/firmware
FW_INC := -Ifirmware/include $(BCDRV_INC)
# -ffp-contract=off: schedules and quantization must round identically everywhere.
FW_CFLAGS = $(CFLAGS) -ffp-contract=off $(FW_INC) $(BCTIMING_INC)
FW_ALL_SRCS := $(wildcard firmware/src/*.c)
# Host-only parts of training (data loaders, the training run and its report)
# live in host/train/ and are built by host.mk's rule.
FW_HOST_SRCS :=
FW_CORE_SRCS := $(filter-out $(FW_HOST_SRCS),$(FW_ALL_SRCS))
FW_CORE_OBJS := $(patsubst firmware/src/%.c,$(FW_BUILD)/%.o,$(FW_CORE_SRCS))
FW_OBJS := $(patsubst firmware/src/%.c,$(FW_BUILD)/%.o,$(FW_CORE_SRCS) $(FW_HOST_SRCS))
FW_LIB := $(FW_BUILD)/libbcfw.a
HOST_OBJS += $(FW_OBJS)

# The training driver picks its backend (compatibility defines until it uses bc_backend.h).
FW_BACKEND_DEFS := $(if $(BCBE_HAVE_SIM),-DBC_TRAIN_HAVE_SIM) $(if $(BCBE_HAVE_VP),-DBC_TRAIN_HAVE_VP)
$(BUILD)/host/train/%.o: CFLAGS += -ffp-contract=off
$(BUILD)/host/train/bc_train.o: $(BC_BACKENDS_H)

$(FW_BUILD)/%.o: firmware/src/%.c | $(FW_BUILD)/ $(BC_REGS_H)
	$(CC) $(FW_CFLAGS) -c $< -o $@
$(FW_LIB): $(FW_CORE_OBJS) | $(FW_BUILD)/
	rm -f $@ && ar rcs $@ $^

# ---- data: Fashion-MNIST from dataset-fashion-mnist, digits.csv.gz from the python3-sklearn .deb
DATA_DIR := $(BUILD)/data
FMNIST_SRC := /usr/share/datasets/fashion-mnist
FMNIST_FILES := train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz

.PHONY: data
data: $(addprefix $(DATA_DIR)/fashion-mnist/,$(FMNIST_FILES)) $(DATA_DIR)/digits.csv.gz ## fetch Fashion-MNIST and UCI digits into build/data/ (with deps, the only target that reaches the package registry)

$(DATA_DIR)/fashion-mnist/%.gz: | $(DATA_DIR)/fashion-mnist/
	@if [ ! -f $(FMNIST_SRC)/$*.gz ]; then \
	  echo "make data: $(FMNIST_SRC)/$*.gz missing: install the Debian package dataset-fashion-mnist (make deps)" >&2; exit 1; fi
	cp $(FMNIST_SRC)/$*.gz $@.tmp && mv $@.tmp $@

$(DATA_DIR)/digits.csv.gz: | $(DATA_DIR)/
	@rm -rf $(DATA_DIR)/sklearn-deb && mkdir -p $(DATA_DIR)/sklearn-deb
	cd $(DATA_DIR)/sklearn-deb && apt-get download python3-sklearn
	dpkg -x $(DATA_DIR)/sklearn-deb/python3-sklearn_*.deb $(DATA_DIR)/sklearn-deb/x
	@f=$$(find $(DATA_DIR)/sklearn-deb/x -name digits.csv.gz | head -n1); \
	  if [ -z "$$f" ]; then echo "make data: digits.csv.gz not found in the python3-sklearn package" >&2; exit 1; fi; \
	  cp "$$f" $@.tmp && mv $@.tmp $@
	rm -rf $(DATA_DIR)/sklearn-deb

# ---- tests
FW_TEST_CFLAGS = $(FW_CFLAGS) -Ihost/train $(GOLDEN_INC) $(TESTS_COMMON_INC) $(CMOCKA_CFLAGS)
FW_TEST_LIBS := $(CMOCKA_LIBS) -lz -lm
FW_UNIT_SRCS := tests/firmware/test_firmware_main.c tests/firmware/test_schedule.c tests/firmware/test_quant.c \
  tests/firmware/test_data.c tests/firmware/test_range.c tests/firmware/test_trainer.c tests/firmware/test_lower.c tests/firmware/test_cnn.c
FW_UNIT_OBJS := $(patsubst tests/firmware/%.c,$(FW_BUILD)/tests/%.o,$(FW_UNIT_SRCS))
FW_DATA_OBJS := $(BUILD)/host/train/bc_data.o

$(FW_BUILD)/tests/%.o: tests/firmware/%.c | $(FW_BUILD)/tests/ $(BC_REGS_H)
	$(CC) $(FW_TEST_CFLAGS) -Itests/firmware -c $< -o $@

$(FW_BUILD)/test_firmware: $(FW_UNIT_OBJS) $(FW_DATA_OBJS) $(FW_LIB) $(BCDRV_DEPS) $(TESTS_COMMON_OBJ)
	$(CC) $(LDFLAGS) -o $@ $(FW_UNIT_OBJS) $(FW_DATA_OBJS) $(TESTS_COMMON_OBJ) $(FW_LIB) $(BCDRV_LIB) $(FW_TEST_LIBS)

# The schedule vectors come from an independent Python script; check the committed copy is current.
.PHONY: test-firmware
test-firmware: $(FW_BUILD)/test_firmware ## firmware regression: schedules vs independent vectors, quantizer, loaders, range test
	@if command -v python3 >/dev/null; then \
	  python3 tests/firmware/gen_sched_vectors.py > $(FW_BUILD)/sched_vectors.txt && \
	  cmp -s $(FW_BUILD)/sched_vectors.txt tests/firmware/sched_vectors.txt || \
	  { echo "test-firmware: tests/firmware/sched_vectors.txt is stale (regenerate with gen_sched_vectors.py)"; exit 1; }; fi
	@cd $(FW_BUILD) && SEED=$(SEED) $(abspath $(FW_BUILD)/test_firmware) $(abspath tests/firmware/sched_vectors.txt)

TEST_TARGETS += test-firmware

# ---- rv32 build check: the trainer core is freestanding C (soft float, no malloc)
FW_RV32_CC := riscv64-unknown-elf-gcc
FW_RV32_CFLAGS := -std=c11 -Wall -Wextra -Werror -O2 -march=rv32imac -mabi=ilp32 --specs=picolibc.specs \
  -ffp-contract=off $(FW_INC) $(DEPFLAGS)
# The firmware core and the driver's quantizer it uses.
FW_RV32_OBJS := $(patsubst firmware/src/%.c,$(FW_BUILD)/rv32/%.o,$(FW_CORE_SRCS)) $(FW_BUILD)/rv32/drv/bc_quant.o

$(FW_BUILD)/rv32/%.o: firmware/src/%.c | $(FW_BUILD)/rv32/ $(BC_REGS_H)
	$(FW_RV32_CC) $(FW_RV32_CFLAGS) -c $< -o $@
$(FW_BUILD)/rv32/drv/%.o: driver/src/%.c | $(FW_BUILD)/rv32/drv/ $(BC_REGS_H)
	$(FW_RV32_CC) $(FW_RV32_CFLAGS) -c $< -o $@

.PHONY: firmware-rv32
firmware-rv32: $(FW_RV32_OBJS) ## compile the firmware core (schedules, quantizer, trainer) for rv32imac soft-float
	@riscv64-unknown-elf-size $(FW_RV32_OBJS)
	@# the core allocates nothing; the trainer, quantizer and range test use no stdio; floats are soft
	@if riscv64-unknown-elf-nm -u $(FW_RV32_OBJS) | grep -wE 'malloc|calloc|realloc|free|fopen|printf|puts|fwrite'; then \
	  echo "firmware-rv32: the firmware core must not allocate or print"; exit 1; fi
	@if riscv64-unknown-elf-nm -u $(filter-out %bc_schedule.o,$(FW_RV32_OBJS)) | grep -wE '[a-z]*printf|stdout|stderr'; then \
	  echo "firmware-rv32: trainer, quantizer and range test must be freestanding (no stdio)"; exit 1; fi
	@riscv64-unknown-elf-nm -u $(FW_BUILD)/rv32/bc_mlp.o | grep -qw __addsf3 || \
	  { echo "firmware-rv32: expected soft-float calls in bc_mlp.o"; exit 1; }
	@echo "firmware-rv32: core builds for rv32imac/ilp32: no allocation, trainer without stdio, soft float"

test-firmware: firmware-rv32

# ---- demo and bench (need the data sets: make data)
.PHONY: train-demo bench-firmware
train-demo: $(BUILD)/bitcycle data ## short CPT training on digits on the RTL (sim backend; fsim if the RTL is not built)
	@bash firmware/train-demo.sh $(BUILD)/bitcycle

bench-firmware: $(BUILD)/bitcycle data | $(BUILD)/bench/ ## wall time of a Fashion-MNIST epoch on fsim, training iterations/s on the RTL
	@bash firmware/bench.sh $(BUILD)/bitcycle $(BUILD)/bench/firmware.md

DEMO_STEPS += train-demo
BENCH_TARGETS += bench-firmware

# ---- backend equality (fsim vs the RTL), when the sim backend is built
ifneq ($(BCBE_HAVE_SIM),)
$(FW_BUILD)/tests/test_backend_eq.o: tests/firmware/test_backend_eq.c $(BC_BACKENDS_H) | $(FW_BUILD)/tests/ $(BC_REGS_H)
	$(CC) $(FW_TEST_CFLAGS) $(FW_BACKEND_DEFS) $(BCBE_INC) -c $< -o $@

$(FW_BUILD)/test_backend_eq: $(FW_BUILD)/tests/test_backend_eq.o $(FW_DATA_OBJS) $(FW_LIB) $(BCBE_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $< $(FW_DATA_OBJS) $(FW_LIB) $(BCBE_LIBS) $(FW_TEST_LIBS)

.PHONY: test-firmware-rtl
test-firmware-rtl: $(FW_BUILD)/test_backend_eq ## backend equality: a short training with precision switches, fsim vs RTL, bit-identical weights
	@SEED=$(SEED) FW_DATA_DIR=$(abspath $(DATA_DIR)) $(FW_BUILD)/test_backend_eq

TEST_TARGETS += test-firmware-rtl
endif

# ---- make test-full: the firmware suite over 40 seeds (quantizer, stochastic rounding, trainer)
.PHONY: test-firmware-full
test-firmware-full: $(FW_BUILD)/test_firmware firmware-rv32 ## firmware suite over SEED=1..40
	@cd $(FW_BUILD) && fails=0; for s in $$(seq 1 40); do \
	  SEED=$$s $(abspath $(FW_BUILD)/test_firmware) $(abspath tests/firmware/sched_vectors.txt) > seed-$$s.log 2>&1 \
	    || { echo "test-firmware-full: SEED=$$s failed (build/firmware/seed-$$s.log)"; fails=$$((fails+1)); }; done; \
	  echo "test-firmware-full: $$((40 - fails)) passed, $$fails failed"; [ $$fails -eq 0 ]
TEST_FULL_TARGETS += test-firmware-full

# ---- CLI: bitcycle schedule / train outputs and bad inputs (synthetic digits file, no network)
.PHONY: test-firmware-cli
test-firmware-cli: $(BUILD)/bitcycle ## bitcycle schedule/train: CSV vs independent vectors, JSON keys, every bad input
	@bash tests/firmware/test_cli.sh $(BUILD)/bitcycle tests/firmware/sched_vectors.txt
TEST_TARGETS += test-firmware-cli
include tests/peer/peer.mk
include firmware/cnn.mk
