# host/sweep/: bitcycle sweep (sweep files through cJSON, local and Slurm
# executors, merge and plots). host/host.mk compiles host/sweep/*.c.
ifndef BC_SWEEP_MK
BC_SWEEP_MK := 1
DEB_PKGS += libcjson-dev gnuplot-nox
HOST_LDLIBS += -lcjson

.PHONY: test-sweep
test-sweep: $(BUILD)/bitcycle ## sweep: plan, bad sweep files named by file:line, resume, stale results refused, merge and plots
	@bash tests/sweep/sweep_test.sh $(BUILD)/bitcycle $(BUILD)/sweep-test
TEST_TARGETS += test-sweep

# the Slurm executor's test and benchmark start a one-node cluster here
DEB_PKGS += slurm-wlm munge

.PHONY: test-slurm bench-sweep bench-slurm
test-slurm: $(BUILD)/bitcycle ## Slurm executor on a one-node cluster started here (root): 12-point sweep equals the local executor's
	@bash tests/sweep/slurm_test.sh $(BUILD)/bitcycle $(BUILD)/slurm-test

bench-sweep: $(BUILD)/bitcycle | $(BUILD)/bench/ ## 1,000-point estimate sweep on 2 workers: wall time, per-point overhead; build/bench/sweep.md
	@bash tests/sweep/bench_sweep.sh $(BUILD)/bitcycle $(BUILD)/bench/sweep1000 > $(BUILD)/bench/sweep.md.tmp
	@mv $(BUILD)/bench/sweep.md.tmp $(BUILD)/bench/sweep.md && cat $(BUILD)/bench/sweep.md

bench-slurm: $(BUILD)/bitcycle | $(BUILD)/bench/ ## Slurm executor per-task overhead on a local one-node cluster (root); build/bench/slurm.md
	@if [ "$$(id -u)" = 0 ] && command -v slurmctld > /dev/null; then \
	  bash tests/sweep/slurm_test.sh $(BUILD)/bitcycle $(BUILD)/slurm-bench --bench > $(BUILD)/slurm-bench.log 2>&1 || \
	    { tail -20 $(BUILD)/slurm-bench.log; exit 1; }; \
	  cp $(BUILD)/slurm-bench/bench.md $(BUILD)/bench/slurm.md; \
	else echo "| Slurm per-task overhead | n/a (needs root and slurm-wlm) |" > $(BUILD)/bench/slurm.md; fi
	@cat $(BUILD)/bench/slurm.md

BENCH_TARGETS += bench-sweep bench-slurm

.PHONY: sweep-doc docs
sweep-doc: $(BUILD)/bitcycle ## the worked example of docs/sweeps.md: sweep, merge, heatmap into docs/img/sweep-heatmap.png
	@BITCYCLE_NO_PROGRESS=1 $(BUILD)/bitcycle sweep tests/sweep/array.json -o $(BUILD)/sweeps/doc-array --force
	@$(BUILD)/bitcycle sweep merge $(BUILD)/sweeps/doc-array
	@cp $(BUILD)/sweeps/doc-array/heatmap.png docs/img/sweep-heatmap.png
docs: sweep-doc ## regenerate the generated parts of docs/

# libFuzzer target over sweep files (option probing off: nothing is spawned)
SWEEP_FUZZ_SRCS := host/sweep/sweep_plan.c host/sweep/sweep_run.c host/cli.c host/safeio.c host/plot.c $(wildcard host/est/*.c) \
  sim/model/bc_timing.c firmware/src/bc_schedule.c firmware/src/bc_lower.c
$(BUILD)/fuzz/fuzz_sweep: tests/fuzz/fuzz_sweep.c tests/fuzz/fuzz_util.h $(SWEEP_FUZZ_SRCS) \
    $(wildcard host/sweep/*.h host/est/*.h) $(BC_REGS_H) | $(BUILD)/fuzz/
	clang-14 -std=c11 -g -O1 -Wall -Wextra -Werror -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -DEST_HAVE_SIM=0 \
	  -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer \
	  -Ihost -Ihost/est -Isim/model -Isim/golden -Isim/lib -Idriver/include -Ifirmware/include -I$(BUILD)/gen -Itests/fuzz \
	  -o $@ tests/fuzz/fuzz_sweep.c $(SWEEP_FUZZ_SRCS) -lcjson -lz -lm
.PHONY: fuzz-sweep test-fuzz-sweep
fuzz-sweep: $(BUILD)/fuzz/fuzz_sweep ## libFuzzer on sweep files for FUZZ_SECONDS (default 60)
	@bash tests/fuzz/run_fuzz.sh $(BUILD)/fuzz tests/fuzz $(or $(FUZZ_SECONDS),60) sweep ""
test-fuzz-sweep: $(BUILD)/fuzz/fuzz_sweep ## the sweep-file libFuzzer target for 3 s over the committed seeds
	@bash tests/fuzz/run_fuzz.sh $(BUILD)/fuzz tests/fuzz 3 sweep --smoke
FUZZ_TARGETS += fuzz-sweep
TEST_TARGETS += test-fuzz-sweep
endif
