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
endif
