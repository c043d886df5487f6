# waveforms/: waveform scenarios, GTKWave save files, and the tests of `bitcycle wave`.
WAVE_DIR := $(BUILD)/waveforms
WAVE_FIX_DIR := $(WAVE_DIR)/fixture
WAVE_FIX_SV := tests/waveforms/wave_fixture.sv tests/waveforms/wave_fixture_tb.sv
WAVE_CFLAGS = $(CFLAGS) -Ihost -Ihost/wave $(CMOCKA_CFLAGS)
WAVE_OBJ := $(WAVE_DIR)/obj

.PHONY: test-waveforms wave-fixture wave-view lint-waveforms

# ---- fixture traces: the same SV job table traced by Verilator (FST) and Icarus (VCD)
# Verilator writes the C++ and its makefile; the makefile runs under our jobserver.
WAVE_FIX_VDIR := $(WAVE_FIX_DIR)/vfix
$(WAVE_FIX_VDIR)/Vwave_fixture_tb: $(WAVE_FIX_SV) | $(WAVE_FIX_DIR)/
	verilator --cc --exe --main --timing --trace-fst -O1 --x-assign fast -Wall \
	  --top-module wave_fixture_tb -Mdir $(WAVE_FIX_VDIR) $(WAVE_FIX_SV) >$(WAVE_FIX_DIR)/verilator.log 2>&1 \
	  || { tail -30 $(WAVE_FIX_DIR)/verilator.log; exit 1; }
	$(call vmake,--no-print-directory -s -C $(WAVE_FIX_VDIR) -f Vwave_fixture_tb.mk Vwave_fixture_tb,$(WAVE_FIX_DIR)/verilator.log)

$(WAVE_FIX_DIR)/fixture.fst: $(WAVE_FIX_VDIR)/Vwave_fixture_tb
	$< +trace=$@.tmp >/dev/null && mv $@.tmp $@

$(WAVE_FIX_DIR)/fixture.vvp: $(WAVE_FIX_SV) | $(WAVE_FIX_DIR)/
	iverilog -g2012 -o $@ $(WAVE_FIX_SV) 2>$(WAVE_FIX_DIR)/iverilog.log || { cat $(WAVE_FIX_DIR)/iverilog.log; exit 1; }

$(WAVE_FIX_DIR)/fixture.vcd: $(WAVE_FIX_DIR)/fixture.vvp
	vvp -n $< +trace=$@.tmp >/dev/null && mv $@.tmp $@

wave-fixture: $(WAVE_FIX_DIR)/fixture.fst $(WAVE_FIX_DIR)/fixture.vcd ## traces of the switch-extractor fixture (Verilator FST, Icarus VCD)

lint-waveforms: ## verilator --lint-only -Wall of the waveform test fixture
	verilator --lint-only -Wall tests/waveforms/wave_fixture.sv
LINT_TARGETS += lint-waveforms

# ---- test programs
$(WAVE_OBJ)/%.o: tests/waveforms/%.c | $(WAVE_OBJ)/
	$(CC) $(WAVE_CFLAGS) -c $< -o $@
$(WAVE_DIR)/wave_cli: $(WAVE_OBJ)/wave_cli_main.o $(BUILD)/host/cmd_wave.o $(HOST_CLI_OBJS) $(WAVE_LIB_OBJS) | $(WAVE_DIR)/
	$(CC) $(LDFLAGS) -o $@ $^ -lz -lm

$(WAVE_DIR)/test_wave: $(WAVE_OBJ)/test_wave.o $(WAVE_LIB_OBJS) | $(WAVE_DIR)/
	$(CC) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) -lz -lm

WAVE_TEST_DEPS := $(WAVE_DIR)/test_wave $(WAVE_DIR)/wave_cli $(WAVE_FIX_DIR)/fixture.fst $(WAVE_FIX_DIR)/fixture.vcd

test-waveforms: $(WAVE_TEST_DEPS) ## switch extractor on fixture and scenario traces, corrupt traces, wave CLI
	@bash tests/waveforms/run_tests.sh $(WAVE_DIR)
TEST_TARGETS += test-waveforms

wave-view: ## open a scenario in GTKWave: make wave-view SCENARIO=queue (after make wave)
	@bash waveforms/wave_view.sh $(WAVE_DIR) "$(SCENARIO)"

# ---- scenarios on bitcycle_top (need the sim backend)
WAVE_SCENARIOS := queue stall cpt error
WAVE_HAVE_SIM := $(if $(BCBE_HAVE_SIM),1)
# make wave options: WAVE_VCD=1 (VCD instead of FST), WAVE_START=N WAVE_END=N (cycle window),
# WAVE_TRIGGER=N (only +-N cycles around each precision switch).
WAVE_EXT := $(if $(filter 1,$(WAVE_VCD)),vcd,fst)
WAVE_OPTS := $(if $(filter 1,$(WAVE_VCD)),--vcd) $(if $(WAVE_START),--start $(WAVE_START)) \
  $(if $(WAVE_END),--end $(WAVE_END)) $(if $(WAVE_TRIGGER),--trigger $(WAVE_TRIGGER))
WAVE_SCN_BIN := $(WAVE_DIR)/wave_scenarios
WAVE_SCN_CFLAGS = $(CFLAGS) $(FW_INC) $(BCBE_INC) -I$(FSTAPI_DIR)

.PHONY: wave-scenarios
ifeq ($(WAVE_HAVE_SIM),1)
$(WAVE_DIR)/scenarios.o: waveforms/scenarios.c | $(WAVE_DIR)/ $(BC_REGS_H) $(VTOP_LIB)
	$(CC) $(WAVE_SCN_CFLAGS) -c $< -o $@

# fstapi (for --vcd) comes from libverilated in the sim backend's libraries.
$(WAVE_SCN_BIN): $(WAVE_DIR)/scenarios.o $(FW_LIB) $(BCBE_DEPS)
	$(CXX) $(LDFLAGS) -o $@ $(WAVE_DIR)/scenarios.o $(FW_LIB) $(BCBE_LIBS) -lz -lm

# The traces depend on the options: a stamp that changes with them reruns the scenarios.
WAVE_OPTS_STAMP := $(WAVE_DIR)/.scenario-options
WAVE_OPTS_NOW := $(WAVE_OPTS) --seed $(SEED)
$(WAVE_OPTS_STAMP): $(call stamp_force,$(WAVE_OPTS_STAMP),$(WAVE_OPTS_NOW)) | $(WAVE_DIR)/
	@bash mk/write-if-changed.sh $@ '$(strip $(WAVE_OPTS_NOW))'


# One trace + job log per scenario (FST by default).
$(WAVE_DIR)/%.$(WAVE_EXT) $(WAVE_DIR)/%.jobs: $(WAVE_SCN_BIN) $(WAVE_OPTS_STAMP)
	$(WAVE_SCN_BIN) $* -d $(WAVE_DIR) --seed $(SEED) $(WAVE_OPTS)

# Extra traces for the tests: trigger window, cycle window and VCD output on real RTL.
$(WAVE_DIR)/queue_trigger.fst $(WAVE_DIR)/queue_trigger.jobs &: $(WAVE_SCN_BIN)
	$(WAVE_SCN_BIN) queue -d $(WAVE_DIR) --seed $(SEED) --trigger 24 --name queue_trigger
$(WAVE_DIR)/cpt_window.fst $(WAVE_DIR)/cpt_window.jobs &: $(WAVE_SCN_BIN)
	$(WAVE_SCN_BIN) cpt -d $(WAVE_DIR) --seed $(SEED) --start 10000 --end 30000 --name cpt_window
$(WAVE_DIR)/error_vcd.vcd $(WAVE_DIR)/error_vcd.jobs &: $(WAVE_SCN_BIN)
	$(WAVE_SCN_BIN) error -d $(WAVE_DIR) --seed $(SEED) --vcd --trigger 32 --name error_vcd

$(WAVE_DIR)/check_scenario: $(WAVE_OBJ)/check_scenario.o $(WAVE_LIB_OBJS) | $(WAVE_DIR)/
	$(CC) $(LDFLAGS) -o $@ $^ -lz -lm

# Per scenario: switch table, JSON, GTKWave save file with markers, picture of the first switch.
$(WAVE_DIR)/%.switches.txt: $(WAVE_DIR)/%.$(WAVE_EXT) $(WAVE_DIR)/wave_cli
	$(WAVE_DIR)/wave_cli switches $< -o $@
$(WAVE_DIR)/%.switches.json: $(WAVE_DIR)/%.$(WAVE_EXT) $(WAVE_DIR)/wave_cli
	$(WAVE_DIR)/wave_cli switches --json $< -o $@
$(WAVE_DIR)/%.gtkw: waveforms/%.gtkw $(WAVE_DIR)/%.$(WAVE_EXT) $(WAVE_DIR)/wave_cli
	$(WAVE_DIR)/wave_cli gtkw $(WAVE_DIR)/$*.$(WAVE_EXT) --template $< -o $@
$(WAVE_DIR)/%.png: $(WAVE_DIR)/%.$(WAVE_EXT) $(WAVE_DIR)/wave_cli
	$(WAVE_DIR)/wave_cli render $< --span 24 -o $@

WAVE_OUTPUTS := $(foreach s,$(WAVE_SCENARIOS),$(addprefix $(WAVE_DIR)/$(s),.switches.txt .switches.json .gtkw .png))
wave-scenarios: $(WAVE_OUTPUTS) ## run the waveform scenarios (queue, stall, cpt, error) into build/waveforms/
	@for s in $(WAVE_SCENARIOS); do echo "== $$s"; cat $(WAVE_DIR)/$$s.switches.txt; done
	@echo "wave: traces, switch tables, save files and pictures in $(WAVE_DIR)/ (make wave-view SCENARIO=queue)"

WAVE_TEST_SCN := $(foreach s,$(WAVE_SCENARIOS),$(WAVE_DIR)/$(s).fst $(WAVE_DIR)/$(s).jobs $(WAVE_DIR)/$(s).gtkw) \
  $(WAVE_DIR)/queue_trigger.fst $(WAVE_DIR)/cpt_window.fst $(WAVE_DIR)/error_vcd.vcd $(WAVE_DIR)/check_scenario
test-waveforms: $(WAVE_TEST_SCN)
else
wave-scenarios: wave-fixture
	@echo "wave: the sim backend is not in BC_BACKENDS ($(BC_BACKENDS)); only the fixture traces are made"
endif
WAVE_TARGETS += wave-scenarios
