# host/: the bitcycle CLI shell, shared CLI helpers and the commands (host/cmd_*.c);
# sub-parts (estimator, waveform reader, ...) bring their own fragments in host/*/.
# The link of build/bitcycle lists every object and library it uses as a prerequisite.
HOST_SRCS := $(wildcard host/*.c host/*/*.c)
HOST_MAIN_OBJS := $(patsubst host/%.c,$(BUILD)/host/%.o,$(HOST_SRCS))
HOST_INC := -Ihost -Ihost/train $(FW_INC) $(GOLDEN_INC) $(BCTIMING_INC) $(BCBE_INC)
# Until every host caller uses the backend registry: the compile-time switches
# of the callers that still name backends, from the same BC_BACKENDS.
HOST_BACKEND_DEFS := $(FW_BACKEND_DEFS) -DEST_HAVE_SIM=$(if $(BCBE_HAVE_SIM),1,0)
HOST_CFLAGS = $(CFLAGS) $(HOST_INC) $(HOST_BACKEND_DEFS)

$(BUILD)/host/%.o: host/%.c $(BC_BACKENDS_H) | $(BC_REGS_H)
	@mkdir -p $(dir $@)
	$(CC) $(HOST_CFLAGS) -c $< -o $@

# What the tool links: the firmware (FW_OBJS, added by firmware.mk), the
# backend registry with every backend of BC_BACKENDS and the driver under it.
HOST_LIBS += $(BCBE_DEPS)
HOST_LDLIBS += $(BCBE_LIBS) -lz -lm

# The shared CLI helpers every host program links: option and number parsing,
# safe outputs and bounded readers, the plotting path.
HOST_CLI_OBJS := $(BUILD)/host/cli.o $(BUILD)/host/safeio.o $(BUILD)/host/plot.o

include host/est/est.mk
include host/wave/wave.mk
include host/onnx/onnx.mk
include host/sweep/sweep.mk

$(BUILD)/bitcycle: $(HOST_MAIN_OBJS) $(HOST_OBJS) $(HOST_LIBS) ## the host CLI
	$(CXX) $(LDFLAGS) -o $@ $(HOST_MAIN_OBJS) $(HOST_OBJS) $(HOST_LDLIBS)
