# make peer: PyTorch fake-quant cross-check of the CNN trainer (not in make test).
# Debian's python3-torch is installed here when missing (not a make deps package).
PEER_PY := /usr/bin/python3
PEER_MODEL ?= lenet5
PEER_ITERS ?= 469
PEER_SEEDS ?= 1,2,3

.PHONY: peer
peer: $(BUILD)/bitcycle data | $(BUILD)/bench/ ## PyTorch fake-quant peer vs fsim CNN training: mean test accuracy over 3 seeds within 1 point
	@$(PEER_PY) -c 'import torch' 2>/dev/null || { echo "make peer: installing python3-torch"; \
	  apt-get install -y python3-torch >/dev/null || { echo "make peer: apt-get install python3-torch failed" >&2; exit 1; }; }
	$(PEER_PY) tests/peer/compare.py --bitcycle $(BUILD)/bitcycle --data-dir $(DATA_DIR) --model $(PEER_MODEL) \
	  --iters $(PEER_ITERS) --seeds $(PEER_SEEDS) --out $(BUILD)/bench/peer.md
