# make deps: install the Debian 12 packages bitcycle needs (idempotent, quick when present).
DEB_PKGS := verilator libsystemc-dev libcmocka-dev iverilog yosys gcc-riscv64-unknown-elf \
  picolibc-riscv64-unknown-elf zlib1g-dev gnuplot-nox dataset-fashion-mnist clang \
  libclang-rt-14-dev pkg-config g++ make gtkwave xvfb valgrind python3 time

deps: ## install missing Debian packages (apt-get as root; otherwise print the command)
	@bash mk/deps.sh $(DEB_PKGS)
