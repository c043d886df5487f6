# host/est/est.mk (issue 6): the estimator (model zoo, topology CSV, energy
# table, calibration, cost engine), its commands and tests/host/.
# host/host.mk compiles host/est/*.c and host/cmd_*.c into build/bitcycle.

EST_BUILD := $(BUILD)/est
EST_SRCS := $(wildcard host/est/*.c)
EST_OBJS := $(patsubst host/%.c,$(BUILD)/host/%.o,$(EST_SRCS))

# The estimator needs the timing model (sim/model) and the schedule engine
# (firmware/); link them into build/bitcycle unless their owners already do.
EST_DEP_SRCS := $(wildcard sim/model/bc_timing.c firmware/src/bc_schedule.c)
EST_DEP_OBJS := $(patsubst %.c,$(EST_BUILD)/dep/%.o,$(notdir $(EST_DEP_SRCS)))
ifeq ($(filter %bc_timing.o,$(HOST_OBJS)),)
HOST_OBJS += $(filter %bc_timing.o,$(EST_DEP_OBJS))
endif
ifeq ($(filter %bc_schedule.o,$(HOST_OBJS)),)
HOST_OBJS += $(filter %bc_schedule.o,$(EST_DEP_OBJS))
endif

$(EST_BUILD)/dep/bc_timing.o: sim/model/bc_timing.c sim/model/bc_timing.h | $(EST_BUILD)/dep/
	$(CC) $(CFLAGS) -Isim/model -c $< -o $@
$(EST_BUILD)/dep/bc_schedule.o: firmware/src/bc_schedule.c firmware/include/bc_schedule.h | $(EST_BUILD)/dep/
	$(CC) $(CFLAGS) -Ifirmware/include -c $< -o $@

# The calibration hash folds in BC_TIMING_MODEL_VERSION (and the engine
# uses the stream API): rebuild when the timing model's header changes.
$(EST_OBJS): sim/model/bc_timing.h

# Calibration runs the RTL only when sim/sim.mk provides the simulator
# library; a stamp file rebuilds est_rtl.o when that changes.
EST_HAVE_SIM := $(if $(and $(wildcard sim/lib/bc_sim.h),$(strip $(BCSIM_LIBS))),1,0)
$(BUILD)/host/est/est_rtl.o: CFLAGS += -DEST_HAVE_SIM=$(EST_HAVE_SIM)
$(BUILD)/host/est/est_rtl.o: $(EST_BUILD)/have-sim-$(EST_HAVE_SIM)
$(EST_BUILD)/have-sim-%: | $(EST_BUILD)/
	@rm -f $(EST_BUILD)/have-sim-*; touch $@
# Test binaries link private copies of the timing model and the schedule
# engine, plus, when the simulator is in the build (est_rtl.o then needs
# them), the driver with its sim HAL and sim/lib: nothing else of the host.
ifeq ($(EST_HAVE_SIM),1)
# the driver's sim HAL backend (built by driver/driver.mk) and sim/lib
ifeq ($(filter %bc_hal_sim.o,$(HOST_OBJS)),)
HOST_OBJS += $(BUILD)/driver/rtl/hal/bc_hal_sim.o
endif
ifeq ($(filter $(BCSIM_LIBS),$(HOST_LIBS)),)
HOST_LIBS += $(BCSIM_LIBS)
endif
$(BUILD)/bitcycle: $(BCSIM_DEPS)
EST_TEST_LINK = $(EST_DEP_OBJS) $(BUILD)/driver/rtl/hal/bc_hal_sim.o $(BUILD)/driver/libbcdrv.a $(BCSIM_LIBS)
EST_TEST_DEPS := $(EST_DEP_OBJS) $(BUILD)/driver/rtl/hal/bc_hal_sim.o $(BUILD)/driver/libbcdrv.a $(BCSIM_DEPS)
else
EST_TEST_LINK = $(EST_DEP_OBJS)
EST_TEST_DEPS := $(EST_DEP_OBJS)
endif

EST_TEST_BIN := $(EST_BUILD)/test_est
$(EST_TEST_BIN): $(EST_BUILD)/test_est.o $(EST_OBJS) $(BUILD)/host/cli.o $(EST_TEST_DEPS) | $(EST_BUILD)/
	$(CXX) $(LDFLAGS) -o $@ $(EST_BUILD)/test_est.o $(EST_OBJS) $(BUILD)/host/cli.o $(EST_TEST_LINK) \
	  $$(pkg-config --libs cmocka) -lm
$(EST_BUILD)/%.o: tests/host/%.c $(wildcard host/est/*.h) | $(EST_BUILD)/
	$(CC) $(CFLAGS) $(HOST_INC) -Ihost/est $$(pkg-config --cflags cmocka) -c $< -o $@

# Estimator against the full RTL (needs the simulator library).
EST_RTL_BIN := $(EST_BUILD)/test_est_rtl
$(EST_RTL_BIN): $(EST_BUILD)/test_est_rtl.o $(EST_OBJS) $(BUILD)/host/cli.o $(EST_TEST_DEPS) | $(EST_BUILD)/
	$(CXX) $(LDFLAGS) -o $@ $(EST_BUILD)/test_est_rtl.o $(EST_OBJS) $(BUILD)/host/cli.o $(EST_TEST_LINK) -lm

.PHONY: test-host-rtl
test-host-rtl: $(EST_RTL_BIN) ## estimator vs full RTL: cycles and every event count within 1 % (needs sim/lib)
	@$(EST_RTL_BIN)
# Part of test-host whenever the simulator library is in the build
# (EST_RTL_CHECK=0 leaves it out); see docs/estimator.md, Validation.
EST_RTL_CHECK ?= 1
ifeq ($(EST_HAVE_SIM)$(EST_RTL_CHECK),11)
EST_TEST_PARTS := test-host-rtl
endif

.PHONY: test-host test-host-unit test-host-cli estimate-demo bench-estimator
test-host: test-host-unit test-host-cli $(EST_TEST_PARTS) ## estimator: zoo MACs, paper BitOPs ratios, parsers, bad-input CLI cases

test-host-unit: $(EST_TEST_BIN) ## estimator unit tests (CMocka)
	@mkdir -p $(EST_BUILD)/tmp && EST_TEST_TMP=$(EST_BUILD)/tmp $(EST_TEST_BIN)

test-host-cli: $(BUILD)/bitcycle ## estimator CLI: bad input names file/line/option, exits non-zero, no partial output
	@bash tests/host/cli_test.sh $(BUILD)/bitcycle $(EST_BUILD)/cli

TEST_TARGETS += test-host

estimate-demo: $(BUILD)/bitcycle ## estimate ResNet-74/CIFAR-10, CPT 3-8/8 vs static 8/8 (paper settings); plot in build/
	@$(BUILD)/bitcycle calibrate --if-stale
	$(BUILD)/bitcycle estimate --model resnet74-cifar --dataset cifar10 --batch 128 --iters 64000 \
	  --schedule cpt:3-8 --grad-bits 8 --cycles 32 --baseline static:8 --plot $(BUILD)/estimate-demo.png
	@echo "plot: $(BUILD)/estimate-demo.png"

DEMO_STEPS += estimate-demo

bench-estimator: $(BUILD)/bitcycle | $(BUILD)/bench/ $(EST_BUILD)/ ## estimator speed: 64k iterations x 110 layers with CPT; writes build/bench/estimator.md
	@BITCYCLE_NO_PROGRESS=1 $(BUILD)/bitcycle bench estimator -o $(EST_BUILD)/bench.part
	@{ cat $(EST_BUILD)/bench.part; \
	  if [ -x /usr/bin/time ]; then \
	    /usr/bin/time -v $(BUILD)/bitcycle estimate --no-calibrate --model resnet110-cifar --iters 64000 \
	      -o /dev/null 2>&1 >/dev/null | sed -n 's/.*Maximum resident set size (kbytes): *\([0-9]*\).*/| peak RSS of `bitcycle estimate` (\/usr\/bin\/time -v) | \1 KiB |/p'; \
	  else echo "| peak RSS of \`bitcycle estimate\` | n/a (/usr/bin/time not installed; see getrusage above) |"; fi; \
	} > $(BUILD)/bench/estimator.md.tmp && mv $(BUILD)/bench/estimator.md.tmp $(BUILD)/bench/estimator.md
	@cat $(BUILD)/bench/estimator.md

BENCH_TARGETS += bench-estimator
