# host/onnx/: ONNX import (bitcycle model import, --model FILE.onnx). The
# protobuf-c reader is generated at build time from Debian's onnx.proto
# (libonnx-dev) into build/onnx/. host/host.mk compiles host/onnx/*.c.
ifndef BC_ONNX_MK
BC_ONNX_MK := 1
DEB_PKGS += libprotobuf-c-dev protobuf-c-compiler libonnx-dev
# PyTorch is large: installed only by the targets that need it (peer-onnx,
# onnx-fixtures), not by make deps.
ONNX_PEER_PKGS := python3-torch python3-torchvision python3-onnx python3-numpy

ONNX_BUILD := $(BUILD)/onnx
ONNX_PROTO := $(firstword $(shell dpkg -L libonnx-dev 2>/dev/null | grep '/onnx\.proto$$') \
  $(wildcard /usr/include/onnx/onnx.proto))
ONNX_PB_C := $(ONNX_BUILD)/onnx.pb-c.c
ONNX_PB_H := $(ONNX_BUILD)/onnx.pb-c.h
ONNX_PB_OBJ := $(ONNX_BUILD)/onnx.pb-c.o
ONNX_OBJS := $(patsubst host/%.c,$(BUILD)/host/%.o,$(wildcard host/onnx/*.c))

# one recipe writes both files; the header is ordered after the source
$(ONNX_PB_C): $(ONNX_PROTO) | $(ONNX_BUILD)/
	@test -n "$(ONNX_PROTO)" || { echo "onnx.proto not found: make deps (libonnx-dev)"; exit 1; }
	protoc-c --c_out=$(ONNX_BUILD) -I$(dir $(ONNX_PROTO)) $(ONNX_PROTO)
$(ONNX_PB_H): $(ONNX_PB_C)
	@test -f $@

# generated code: compiled with our warnings (it is clean) and header deps
$(ONNX_PB_OBJ): $(ONNX_PB_C) $(ONNX_PB_H)
	$(CC) $(CFLAGS) -MMD -MP -I$(ONNX_BUILD) -c $< -o $@
-include $(ONNX_PB_OBJ:.o=.d)

$(ONNX_OBJS): CFLAGS += -I$(ONNX_BUILD)
$(ONNX_OBJS): $(ONNX_PB_H)

HOST_OBJS += $(ONNX_PB_OBJ)
HOST_LDLIBS += -lprotobuf-c
$(BUILD)/bitcycle: $(ONNX_PB_OBJ)

# ONNX fixtures and bad files (no PyTorch needed); torchvision MAC check.
.PHONY: test-onnx peer-onnx peer onnx-fixtures
test-onnx: $(BUILD)/bitcycle ## ONNX import: committed fixtures' layers and MACs, bad files named (no PyTorch needed)
	@bash tests/onnx/onnx_test.sh $(BUILD)/bitcycle $(ONNX_BUILD)/test
TEST_TARGETS += test-onnx

peer-onnx: $(BUILD)/bitcycle ## export torchvision ResNet-18/50, MobileNetV2, VGG-16 to ONNX; imported MACs must equal the zoo's
	@bash mk/deps.sh $(ONNX_PEER_PKGS)
	@/usr/bin/python3 tests/onnx/peer_torchvision.py $(BUILD)/bitcycle $(ONNX_BUILD)/peer
onnx-fixtures: ## regenerate the committed ONNX fixtures of tests/onnx/ (needs PyTorch)
	@bash mk/deps.sh $(ONNX_PEER_PKGS)
	/usr/bin/python3 tests/onnx/make_fixtures.py tests/onnx
peer: peer-onnx ## comparisons against other tools (PyTorch); not part of make test

# libFuzzer target over the importer (clang, like tests/fuzz/); make fuzz runs
# it for FUZZ_SECONDS, test-fuzz-onnx for 3 s over the committed seeds.
ONNX_FUZZ_SRCS := $(wildcard host/onnx/*.c) host/est/est_zoo.c host/est/est_topo.c firmware/src/bc_lower.c host/safeio.c
ONNX_FUZZ_FLAGS := -std=c11 -g -O1 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
$(BUILD)/fuzz/fuzz_onnx: tests/fuzz/fuzz_onnx.c tests/fuzz/fuzz_util.h $(ONNX_FUZZ_SRCS) $(ONNX_PB_C) $(ONNX_PB_H) \
    $(wildcard host/onnx/*.h host/est/*.h) $(BC_REGS_H) | $(BUILD)/fuzz/
	clang-14 $(ONNX_FUZZ_FLAGS) -Ihost -Ihost/est -Isim/model -Ifirmware/include -Idriver/include -I$(BUILD)/gen \
	  -I$(ONNX_BUILD) -Itests/fuzz -o $@ \
	  tests/fuzz/fuzz_onnx.c $(ONNX_FUZZ_SRCS) $(ONNX_PB_C) -lprotobuf-c -lm
.PHONY: fuzz-onnx test-fuzz-onnx
fuzz-onnx: $(BUILD)/fuzz/fuzz_onnx ## libFuzzer on the ONNX importer for FUZZ_SECONDS (default 60)
	@bash tests/fuzz/run_fuzz.sh $(BUILD)/fuzz tests/fuzz $(or $(FUZZ_SECONDS),60) onnx ""
test-fuzz-onnx: $(BUILD)/fuzz/fuzz_onnx ## the ONNX importer's libFuzzer target for 3 s over the committed seeds
	@bash tests/fuzz/run_fuzz.sh $(BUILD)/fuzz tests/fuzz 3 onnx --smoke
FUZZ_TARGETS += fuzz-onnx
TEST_TARGETS += test-fuzz-onnx
endif
