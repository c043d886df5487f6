# host/est/gen/docs.mk: tables in docs/ generated from the estimator
# (between "<!-- gen:NAME begin -->" and "<!-- gen:NAME end -->" markers).
EST_GEN_DOCS := $(EST_BUILD)/est_gen_docs
EST_GEN_FILES := docs/estimator.md docs/energy.md

$(EST_BUILD)/est_gen_docs.o: host/est/gen/est_gen_docs.c | $(EST_BUILD)/
	$(CC) $(CFLAGS) -MMD -MP $(HOST_INC) -Ihost/est -c $< -o $@
-include $(EST_BUILD)/est_gen_docs.d

# links the estimate command itself, for the documented example's output
$(EST_GEN_DOCS): $(EST_BUILD)/est_gen_docs.o $(BUILD)/host/cmd_estimate.o $(EST_OBJS) $(HOST_CLI_OBJS) \
  $(EST_TEST_DEPS) | $(EST_BUILD)/
	$(CXX) $(LDFLAGS) -o $@ $(EST_BUILD)/est_gen_docs.o $(BUILD)/host/cmd_estimate.o $(EST_OBJS) \
	  $(HOST_CLI_OBJS) $(EST_TEST_LINK) -lm

.PHONY: docs test-docs-gen
docs: $(EST_GEN_DOCS) ## regenerate the generated tables in docs/ (estimator map, DRAM presets, energy values)
	@$(EST_GEN_DOCS) $(EST_GEN_FILES)

test-docs-gen: $(EST_GEN_DOCS) ## fail when a generated table in docs/ is stale (fix: make docs)
	@$(EST_GEN_DOCS) --check $(EST_GEN_FILES)
	@# the check itself: a copy with one changed figure must be reported stale
	@mkdir -p $(EST_BUILD)/gen && sed 's/| 36.67 % |/| 36.68 % |/' docs/estimator.md >$(EST_BUILD)/gen/stale.md && \
	  ! $(EST_GEN_DOCS) --check $(EST_BUILD)/gen/stale.md 2>/dev/null
	@echo "test-docs-gen: generated tables up to date; a changed figure is caught"

TEST_TARGETS += test-docs-gen
