# host/wave/: trace reader (FST via Verilator's fstapi, VCD) and precision-switch extractor.
# host/host.mk compiles host/wave/*.c; this fragment adds the fstapi objects, compiled as
# C from Verilator's include directory (third-party code: warnings relaxed for it only).
FSTAPI_DIR := $(shell verilator --getenv VERILATOR_ROOT 2>/dev/null)/include/gtkwave
ifeq ($(wildcard $(FSTAPI_DIR)/fstapi.c),)
FSTAPI_DIR := /usr/share/verilator/include/gtkwave
endif
FSTAPI_OBJS := $(BUILD)/host/wave/fstapi/fstapi.o $(BUILD)/host/wave/fstapi/lz4.o $(BUILD)/host/wave/fstapi/fastlz.o
FSTAPI_CFLAGS := -std=gnu11 -O2 -g -w -DFST_CONFIG_INCLUDE='"fst_config.h"' -I$(FSTAPI_DIR) \
  $(if $(filter 1,$(SAN)),$(SAN_CFLAGS))
# libverilated (linked with the sim backend) already contains fstapi with C
# linkage; linking our copy as well would define every fst* symbol twice.
ifeq ($(BCBE_HAVE_SIM),)
HOST_OBJS += $(FSTAPI_OBJS)
endif

$(BUILD)/host/wave/fstapi/%.o: $(FSTAPI_DIR)/%.c | $(BUILD)/host/wave/fstapi/
	$(CC) $(FSTAPI_CFLAGS) -c $< -o $@

# Our own files that include fstapi.h need its directory.
$(BUILD)/host/wave/wave_fst.o: HOST_CFLAGS += -I$(FSTAPI_DIR)

# The waveform library alone (reader + extractor + renderer), for tests and scenarios.
WAVE_LIB_OBJS := $(patsubst host/%.c,$(BUILD)/host/%.o,$(wildcard host/wave/*.c)) $(FSTAPI_OBJS) $(BUILD)/host/plot.o $(BUILD)/host/safeio.o
