# tests/common/: plumbing every C test program shares (SEED/FAST/TRACE parsing).
# Included early by the top Makefile so each part's test rules can use it.
# Exports: TESTS_COMMON_INC, TESTS_COMMON_OBJ (link it, depend on it).
TESTS_COMMON_INC := -Itests/common
TESTS_COMMON_OBJ := $(BUILD)/tests/common/test_env.o
$(TESTS_COMMON_OBJ): tests/common/test_env.c | $(BUILD)/tests/common/
	$(CC) $(CFLAGS) $(TESTS_COMMON_INC) -c $< -o $@
