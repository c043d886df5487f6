# tests/common/: plumbing the C test programs share (SEED/FAST/TRACE parsing,
# descriptor pushes through the staging registers).
# Included early by the top Makefile so each part's test rules can use it.
# Exports: TESTS_COMMON_INC, TESTS_COMMON_OBJ (link it, depend on it).
TESTS_COMMON_INC := -Itests/common
TESTS_COMMON_OBJ := $(BUILD)/tests/common/libtestcommon.a
TESTS_COMMON_OBJS := $(BUILD)/tests/common/test_env.o $(BUILD)/tests/common/test_job.o
$(TESTS_COMMON_OBJS): $(BUILD)/tests/common/%.o: tests/common/%.c | $(BUILD)/tests/common/ $(BC_REGS_H)
	$(CC) $(CFLAGS) $(TESTS_COMMON_INC) $(REGS_INC) -c $< -o $@
$(TESTS_COMMON_OBJ): $(TESTS_COMMON_OBJS)
	rm -f $@ && ar rcs $@ $^
