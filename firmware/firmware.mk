# firmware/: CPT schedule engine, quantizer, data loaders, quantized MLP
# trainer, precision range test (issue 5). Built for the host (linked into
# build/bitcycle) and compile-checked for rv32 (soft float).
FW_BUILD := $(BUILD)/firmware
# -ffp-contract=off: schedules and quantization must round identically everywhere.
FW_CFLAGS = $(CFLAGS) -ffp-contract=off -Ifirmware/include -Idriver/include -Isim/golden -Isim/lib -Isim/vp -Isim/model -I$(BUILD)/gen
# Host-only parts of training (data loaders, the training run and its report)
# live in host/train/ and are built by host.mk's rule; the RTL defines below.
FW_CORE_SRCS := $(wildcard firmware/src/*.c)
FW_OBJS := $(patsubst firmware/src/%.c,$(FW_BUILD)/%.o,$(FW_CORE_SRCS))
FW_HDRS := $(wildcard firmware/include/*.h firmware/src/*.h)
FW_TRAIN_OBJ := $(BUILD)/host/train/bc_train.o
FW_DATA_OBJ := $(BUILD)/host/train/bc_data.o
HOST_OBJS += $(FW_OBJS)

# The RTL backends (driver's sim/vp HALs over sim/'s libraries), once they exist.
FW_HAVE_SIM := $(DRV_HAVE_SIM)
FW_HAVE_VP := $(DRV_HAVE_VP)
FW_RTL_DEFS := $(if $(FW_HAVE_SIM),-DBC_TRAIN_HAVE_SIM) $(if $(FW_HAVE_VP),-DBC_TRAIN_HAVE_VP)
FW_RTL_OBJS := $(if $(FW_HAVE_SIM),$(DRV_BUILD)/rtl/hal/bc_hal_sim.o) $(if $(FW_HAVE_VP),$(DRV_BUILD)/rtl/hal/bc_hal_vp.o)
FW_RTL_LIBS := $(if $(FW_HAVE_SIM),$(BCSIM_LIBS)) $(if $(FW_HAVE_VP),$(BCVP_LIBS))
HOST_OBJS += $(filter-out $(HOST_OBJS),$(FW_RTL_OBJS))
HOST_LIBS += $(filter-out $(HOST_LIBS),$(FW_RTL_LIBS))
$(FW_TRAIN_OBJ): CFLAGS += -ffp-contract=off $(FW_RTL_DEFS) $(BCSIM_INC) $(BCVP_INC)
$(FW_TRAIN_OBJ): $(FW_HDRS) $(BC_REGS_H)
# Rebuild bc_train.o when the set of RTL backends changes.
FW_RTL_STAMP := $(FW_BUILD)/rtl-backends.txt
$(shell mkdir -p $(FW_BUILD) && { echo '$(FW_RTL_DEFS)' | cmp -s - $(FW_RTL_STAMP) || echo '$(FW_RTL_DEFS)' > $(FW_RTL_STAMP); })
$(FW_TRAIN_OBJ): $(FW_RTL_STAMP)

$(FW_BUILD)/%.o: firmware/src/%.c $(FW_HDRS) $(BC_REGS_H) | $(FW_BUILD)/
	$(CC) $(FW_CFLAGS) -c $< -o $@

# ---- data: Fashion-MNIST from dataset-fashion-mnist, digits.csv.gz from the python3-sklearn .deb
DATA_DIR := $(BUILD)/data
FMNIST_SRC := /usr/share/datasets/fashion-mnist
FMNIST_FILES := train-images-idx3-ubyte.gz train-labels-idx1-ubyte.gz t10k-images-idx3-ubyte.gz t10k-labels-idx1-ubyte.gz

.PHONY: data
data: $(addprefix $(DATA_DIR)/fashion-mnist/,$(FMNIST_FILES)) $(DATA_DIR)/digits.csv.gz ## fetch Fashion-MNIST and UCI digits into build/data/

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
FW_TEST_CFLAGS = $(FW_CFLAGS) -Ihost/train $(shell pkg-config --cflags cmocka 2>/dev/null)
FW_TEST_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka) -lz -lm
FW_UNIT_SRCS := tests/firmware/test_firmware_main.c tests/firmware/test_schedule.c tests/firmware/test_quant.c \
  tests/firmware/test_data.c tests/firmware/test_range.c tests/firmware/test_trainer.c tests/firmware/test_lower.c tests/firmware/test_cnn.c
FW_UNIT_OBJS := $(patsubst tests/firmware/%.c,$(FW_BUILD)/tests/%.o,$(FW_UNIT_SRCS))
FW_UNIT_LIBOBJS := $(FW_BUILD)/bc_cnn.o $(FW_BUILD)/bc_cnn_gemm.o $(FW_BUILD)/bc_cnn_pass.o $(FW_BUILD)/bc_cnn_models.o $(FW_BUILD)/bc_schedule.o $(FW_BUILD)/bc_quant.o $(FW_DATA_OBJ) $(FW_BUILD)/bc_range.o \
  $(FW_BUILD)/bc_mlp.o $(FW_BUILD)/bc_lower.o $(BCDRV_LIB)

$(FW_BUILD)/tests/%.o: tests/firmware/%.c $(FW_HDRS) $(wildcard host/train/*.h) tests/firmware/fw_tests.h | $(FW_BUILD)/tests/
	$(CC) $(FW_TEST_CFLAGS) -Itests/firmware -c $< -o $@

$(FW_BUILD)/test_firmware: $(FW_UNIT_OBJS) $(FW_UNIT_LIBOBJS)
	$(CC) $(LDFLAGS) -o $@ $^ $(FW_TEST_LIBS)

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
  -ffp-contract=off -Ifirmware/include -Idriver/include
FW_RV32_OBJS := $(patsubst firmware/src/%.c,$(FW_BUILD)/rv32/%.o,$(FW_CORE_SRCS))

$(FW_BUILD)/rv32/%.o: firmware/src/%.c $(FW_HDRS) | $(FW_BUILD)/rv32/
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

# ---- backend equality (fsim vs the RTL), once sim/ provides the simulator library
ifneq ($(FW_HAVE_SIM),)
$(FW_BUILD)/tests/test_backend_eq.o: tests/firmware/test_backend_eq.c $(FW_HDRS) $(FW_RTL_STAMP) | $(FW_BUILD)/tests/
	$(CC) $(FW_TEST_CFLAGS) $(FW_RTL_DEFS) $(BCSIM_INC) $(BCVP_INC) -c $< -o $@

$(FW_BUILD)/test_backend_eq: $(FW_BUILD)/tests/test_backend_eq.o $(FW_BUILD)/bc_mlp.o $(FW_BUILD)/bc_quant.o \
  $(FW_BUILD)/bc_cnn.o $(FW_BUILD)/bc_cnn_gemm.o $(FW_BUILD)/bc_cnn_pass.o $(FW_BUILD)/bc_cnn_models.o $(FW_BUILD)/bc_lower.o \
  $(FW_BUILD)/bc_schedule.o $(FW_DATA_OBJ) $(FW_RTL_OBJS) $(BCDRV_LIB) $(BCSIM_DEPS) $(if $(FW_HAVE_VP),$(BCVP_DEPS))
	$(CXX) $(LDFLAGS) -o $@ $(filter %.o %.a,$^) $(FW_RTL_LIBS) $(FW_TEST_LIBS)

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
