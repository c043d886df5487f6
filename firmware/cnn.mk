# CNN trainer benchmarks (reports only; never asserted).
.PHONY: bench-cnn
bench-cnn: $(BUILD)/bitcycle data | $(BUILD)/bench/ ## CNN training: fsim samples/s vs the PyTorch peer, a Fashion-MNIST epoch, RTL iterations/s
	@bash firmware/bench-cnn.sh $(BUILD)/bitcycle $(DATA_DIR) $(BUILD)/bench/cnn.md
BENCH_TARGETS += bench-cnn

.PHONY: cnn-results
cnn-results: $(BUILD)/bitcycle data | $(BUILD)/bench/ ## the CNN results table of docs/firmware.md (static, CPT, float; 3 seeds) into build/bench/cnn-results.md
	/usr/bin/python3 firmware/cnn-results.py --bitcycle $(BUILD)/bitcycle --data-dir $(DATA_DIR) > $(BUILD)/bench/cnn-results.md.tmp
	mv $(BUILD)/bench/cnn-results.md.tmp $(BUILD)/bench/cnn-results.md
	@cat $(BUILD)/bench/cnn-results.md
