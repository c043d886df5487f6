# host/sweep/: bitcycle sweep (sweep files through cJSON, local and Slurm
# executors, merge and plots). host/host.mk compiles host/sweep/*.c.
ifndef BC_SWEEP_MK
BC_SWEEP_MK := 1
DEB_PKGS += libcjson-dev gnuplot-nox
HOST_LIBS += -lcjson

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
endif
