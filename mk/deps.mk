# make deps: install the Debian 12 packages bitcycle needs (idempotent, quick when present).
# `make deps` and `make data` are the only targets that reach the package registry;
# the others only check (deps-check) and name the command that installs what is missing.
DEB_PKGS := verilator libsystemc-dev libcmocka-dev iverilog yosys gcc-riscv64-unknown-elf \
  picolibc-riscv64-unknown-elf zlib1g-dev gnuplot-nox dataset-fashion-mnist clang \
  libclang-rt-14-dev pkg-config g++ make gtkwave xvfb valgrind python3 time git

.PHONY: deps deps-check
deps: ## install missing Debian packages (apt-get as root; otherwise print the command)
	@bash mk/deps.sh $(DEB_PKGS)

deps-check: ## fail, naming `make deps`, when a Debian package bitcycle needs is missing (never installs)
	@bash mk/deps.sh --check $(DEB_PKGS)
