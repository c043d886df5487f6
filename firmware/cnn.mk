# CNN trainer benchmarks (reports only; never asserted).
.PHONY: bench-cnn
bench-cnn: $(BUILD)/bitcycle data | $(BUILD)/bench/ ## CNN training: fsim samples/s vs the PyTorch peer, a Fashion-MNIST epoch, RTL iterations/s
	@bash firmware/bench-cnn.sh $(BUILD)/bitcycle $(DATA_DIR) $(BUILD)/bench/cnn.md
BENCH_TARGETS += bench-cnn
