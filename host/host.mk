# host/: the bitcycle CLI shell and shared CLI helpers. Commands live in host/cmd_*.c;
# other parts add their libraries to HOST_OBJS / HOST_LIBS.
HOST_SRCS := $(wildcard host/*.c host/*/*.c)
HOST_MAIN_OBJS := $(patsubst host/%.c,$(BUILD)/host/%.o,$(HOST_SRCS))
HOST_INC := -Ihost -Isim/golden -Isim/model -Isim/lib -Idriver/include -Ifirmware/include -I$(BUILD)/gen

$(BUILD)/host/%.o: host/%.c $(wildcard host/*.h host/*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(HOST_INC) -c $< -o $@

$(BUILD)/bitcycle: $(HOST_MAIN_OBJS) $(HOST_OBJS) ## the host CLI
	$(CXX) $(LDFLAGS) -o $@ $(HOST_MAIN_OBJS) $(HOST_OBJS) $(HOST_LIBS) -lz -lm

# Sub-parts of the host tool (estimator, waveform reader) bring their own fragments.
include host/onnx/onnx.mk
include host/sweep/sweep.mk
-include $(wildcard host/*/*.mk)
