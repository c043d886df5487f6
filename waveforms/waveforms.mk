# waveforms/: waveform scenarios, GTKWave save files, and the tests of `bitcycle wave`.
WAVE_DIR := $(BUILD)/waveforms
WAVE_FIX_DIR := $(WAVE_DIR)/fixture
WAVE_FIX_SV := tests/waveforms/wave_fixture.sv tests/waveforms/wave_fixture_tb.sv
WAVE_CFLAGS = $(CFLAGS) -Ihost -Ihost/wave
CMOCKA_LIBS := $(shell pkg-config --libs cmocka 2>/dev/null || echo -lcmocka)

.PHONY: test-waveforms wave-fixture wave-view lint-waveforms

# ---- fixture traces: the same SV job table traced by Verilator (FST) and Icarus (VCD)
$(WAVE_FIX_DIR)/obj/Vwave_fixture_tb: $(WAVE_FIX_SV) | $(WAVE_FIX_DIR)/
	verilator --binary --timing --trace-fst -O1 --x-assign fast -j 2 -Wall \
	  --top-module wave_fixture_tb -Mdir $(WAVE_FIX_DIR)/obj $(WAVE_FIX_SV) >$(WAVE_FIX_DIR)/verilator.log 2>&1 \
	  || { tail -30 $(WAVE_FIX_DIR)/verilator.log; exit 1; }

$(WAVE_FIX_DIR)/fixture.fst: $(WAVE_FIX_DIR)/obj/Vwave_fixture_tb
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
$(WAVE_DIR)/wave_cli: tests/waveforms/wave_cli_main.c $(BUILD)/host/cmd_wave.o $(BUILD)/host/cli.o $(WAVE_LIB_OBJS) | $(WAVE_DIR)/
	$(CC) $(WAVE_CFLAGS) $(LDFLAGS) -o $@ $^ -lz -lm

$(WAVE_DIR)/test_wave: tests/waveforms/test_wave.c $(WAVE_LIB_OBJS) | $(WAVE_DIR)/
	$(CC) $(WAVE_CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) -lz -lm

WAVE_TEST_DEPS := $(WAVE_DIR)/test_wave $(WAVE_DIR)/wave_cli $(WAVE_FIX_DIR)/fixture.fst $(WAVE_FIX_DIR)/fixture.vcd

test-waveforms: $(WAVE_TEST_DEPS) ## switch extractor on fixture and scenario traces, corrupt traces, wave CLI
	@bash tests/waveforms/run_tests.sh $(WAVE_DIR)
TEST_TARGETS += test-waveforms

wave-view: ## open a scenario in GTKWave: make wave-view SCENARIO=queue (after make wave)
	@bash waveforms/wave_view.sh $(WAVE_DIR) "$(SCENARIO)"
