# host/est/est.mk: the estimator (model zoo, topology CSV, energy table,
# calibration, cost engine), its commands and tests/host/.
# host/host.mk compiles host/est/*.c and host/cmd_*.c into build/bitcycle; the
# timing model and the schedule engine come from sim/ and firmware/.

EST_BUILD := $(BUILD)/est
EST_SRCS := $(wildcard host/est/*.c)
EST_OBJS := $(patsubst host/%.c,$(BUILD)/host/%.o,$(EST_SRCS))

# Test binaries link the estimator, the CLI helpers, the firmware core (schedule
# engine) and, for RTL calibration, the backend registry with the driver.
EST_TEST_LINK = $(FW_LIB) $(BCBE_LIBS)
EST_TEST_DEPS = $(FW_LIB) $(BCBE_DEPS)

EST_TEST_BIN := $(EST_BUILD)/test_est
$(EST_TEST_BIN): $(EST_BUILD)/test_est.o $(EST_OBJS) $(HOST_CLI_OBJS) $(EST_TEST_DEPS) | $(EST_BUILD)/
	$(CXX) $(LDFLAGS) -o $@ $(EST_BUILD)/test_est.o $(EST_OBJS) $(HOST_CLI_OBJS) $(EST_TEST_LINK) \
	  $(CMOCKA_LIBS) -lm
$(EST_BUILD)/%.o: tests/host/%.c | $(EST_BUILD)/ $(BC_REGS_H)
	$(CC) $(HOST_CFLAGS) -Ihost/est $(TESTS_COMMON_INC) $(CMOCKA_CFLAGS) -c $< -o $@

# Estimator against the full RTL (needs the simulator library).
EST_RTL_BIN := $(EST_BUILD)/test_est_rtl
$(EST_RTL_BIN): $(EST_BUILD)/test_est_rtl.o $(EST_OBJS) $(HOST_CLI_OBJS) $(EST_TEST_DEPS) | $(EST_BUILD)/
	$(CXX) $(LDFLAGS) -o $@ $(EST_BUILD)/test_est_rtl.o $(EST_OBJS) $(HOST_CLI_OBJS) $(EST_TEST_LINK) -lm

.PHONY: test-host-rtl
test-host-rtl: $(EST_RTL_BIN) ## estimator vs full RTL: cycles and every event count within 1 % (needs the sim backend)
	@$(EST_RTL_BIN)
# Part of test-host whenever the sim backend is in the build
# (EST_RTL_CHECK=0 leaves it out); see docs/estimator.md, Validation.
EST_RTL_CHECK ?= 1
ifeq ($(if $(BCBE_HAVE_SIM),1,0)$(EST_RTL_CHECK),11)
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
DEMO_BUILD += $(BUILD)/bitcycle

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
include host/est/gen/docs.mk
include host/est/calib.mk
