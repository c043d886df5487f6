# sim/iss/iss.mk: the RV32IMAC instruction-set simulator (C), its test runner,
# the hand-written assembly tests, the QEMU differential test and the ISS benchmark.
DEB_PKGS += libelf-dev qemu-system-misc

ISS_BUILD := $(BUILD)/iss
ISS_SRCS := $(wildcard sim/iss/*.c)
ISS_OBJS := $(patsubst sim/iss/%.c,$(ISS_BUILD)/%.o,$(ISS_SRCS))
ISS_CFLAGS = $(CFLAGS) -O2 -Isim/iss -MMD -MP
# the interpreter loop is the hot path: optimise it harder than the rest
$(ISS_BUILD)/rv_iss.o: ISS_CFLAGS += -O3 -fno-plt

$(ISS_BUILD)/%.o: sim/iss/%.c | $(ISS_BUILD)/
	$(CC) $(ISS_CFLAGS) -c $< -o $@
-include $(ISS_OBJS:.o=.d)

ISS_LIB := $(ISS_BUILD)/libbciss.a
$(ISS_LIB): $(ISS_OBJS)
	rm -f $@ && ar rcs $@ $^
ISS_INC := -Isim/iss
ISS_LIBS := $(ISS_LIB) -lelf

# the bitcycle CLI's `vp run` (host/cmd_vp.c)
HOST_OBJS += $(ISS_OBJS)
HOST_LDLIBS += -lelf
$(BUILD)/host/cmd_vp.o: CFLAGS += -Isim/iss -Isim/vp

# the ELF runner on the SystemC platform (sim/vp/bc_vp_elf.cpp), linked into the CLI
$(BUILD)/sim/bc_vp_elf.o: sim/vp/bc_vp_elf.cpp | $(BUILD)/sim/
	$(CXX) $(CXXFLAGS) -Werror -MMD -MP -Isim/vp -Isim/iss $(SIMLIB_INC) $(SYSTEMC_CFLAGS) -c $< -o $@
-include $(BUILD)/sim/bc_vp_elf.d
# (only when the VP is part of the build: test-san links the CLI without Verilator/SystemC)
ifneq ($(filter vp,$(BC_BACKENDS)),)
HOST_OBJS += $(BUILD)/sim/bc_vp_elf.o
HOST_LIBS += $(BCVP_DEPS)
endif

# standalone runner used by the ISS tests (same option parsing as `bitcycle vp run`)
$(ISS_BUILD)/rviss: tests/iss/rviss_main.c $(ISS_LIB) | $(ISS_BUILD)/
	$(CC) $(CFLAGS) -Isim/iss -MMD -MP -o $@ $< $(ISS_LIBS)
-include $(ISS_BUILD)/rviss.d

.PHONY: iss
iss: $(ISS_BUILD)/rviss ## build the RV32IMAC ISS and its standalone runner build/iss/rviss

# ---- assembly tests: every instruction and CSR, self-checking through tohost
ISS_RV_CC := riscv64-unknown-elf-gcc
ISS_RV_FLAGS := -march=rv32imac_zicsr_zifencei -mabi=ilp32 -nostdlib -nostartfiles -static -Wl,--no-warn-rwx-segments
ISS_ASM_TESTS := $(basename $(notdir $(wildcard tests/iss/asm/*.S)))
ISS_ASM_ELFS := $(patsubst %,$(ISS_BUILD)/asm/%.elf,$(ISS_ASM_TESTS))
ISS_ASM_QEMU_ELFS := $(patsubst %,$(ISS_BUILD)/asm-qemu/%.elf,$(ISS_ASM_TESTS))
$(ISS_BUILD)/asm/%.elf: tests/iss/asm/%.S tests/iss/asm/rvtest.h tests/iss/link.ld | $(ISS_BUILD)/asm/
	$(ISS_RV_CC) $(ISS_RV_FLAGS) -Itests/iss/asm -T tests/iss/link.ld -o $@ $<
$(ISS_BUILD)/asm-qemu/%.elf: tests/iss/asm/%.S tests/iss/asm/rvtest.h tests/iss/link.ld | $(ISS_BUILD)/asm-qemu/
	$(ISS_RV_CC) $(ISS_RV_FLAGS) -DON_QEMU -Itests/iss/asm -T tests/iss/link.ld -o $@ $<

# ---- compute-only C programs for the differential test (one build per memory map)
ISS_C_PROGS := $(basename $(notdir $(wildcard tests/iss/c/*.c)))
ISS_C_FLAGS := -march=rv32imac -Wa,-march=rv32imac_zicsr -mabi=ilp32 -std=c11 -Wall -Wextra -Werror -O2 -ffreestanding -fno-builtin \
  -nostdlib -nostartfiles -static -Wl,--no-warn-rwx-segments -Itests/iss/c
ISS_C_LAYER := tests/iss/c/layer/crt.S tests/iss/c/layer/io.c tests/iss/c/layer/io_dev.S
$(ISS_BUILD)/c-bc/%.elf: tests/iss/c/%.c $(ISS_C_LAYER) tests/iss/c/layer/io.h tests/iss/link.ld | $(ISS_BUILD)/c-bc/
	$(ISS_RV_CC) $(ISS_C_FLAGS) -Itests/iss/c/layer -T tests/iss/link.ld -o $@ $< $(ISS_C_LAYER) -lgcc
$(ISS_BUILD)/c-qemu/%.elf: tests/iss/c/%.c $(ISS_C_LAYER) tests/iss/c/layer/io.h tests/iss/link.ld | $(ISS_BUILD)/c-qemu/
	$(ISS_RV_CC) $(ISS_C_FLAGS) -DON_QEMU -Itests/iss/c/layer -T tests/iss/link.ld -o $@ $< $(ISS_C_LAYER) -lgcc
ISS_C_ELFS := $(patsubst %,$(ISS_BUILD)/c-bc/%.elf,$(ISS_C_PROGS))
ISS_C_QEMU_ELFS := $(patsubst %,$(ISS_BUILD)/c-qemu/%.elf,$(ISS_C_PROGS))

.PHONY: test-iss peer-iss
test-iss: $(ISS_BUILD)/rviss $(ISS_ASM_ELFS) $(ISS_ASM_QEMU_ELFS) $(ISS_C_ELFS) $(ISS_C_QEMU_ELFS) ## ISS: assembly tests of every instruction/CSR, traps, interrupts, ELF refusal, exit codes, QEMU differential test
	@bash tests/iss/iss_test.sh $(ISS_BUILD) "$(ISS_ASM_TESTS)" "$(ISS_C_PROGS)"
TEST_TARGETS += test-iss
include tests/baremetal/baremetal.mk

# ---- benchmark: ISS vs QEMU on the same program, firmware on the VP
ISS_BENCH_ITERS ?= 400
$(ISS_BUILD)/bench/mix-bc.elf: tests/iss/bench/mix.c $(ISS_C_LAYER) tests/iss/c/layer/io.h tests/iss/link.ld | $(ISS_BUILD)/bench/
	$(ISS_RV_CC) $(ISS_C_FLAGS) -DITERS=$(ISS_BENCH_ITERS) -Itests/iss/c/layer -T tests/iss/link.ld -o $@ $< $(ISS_C_LAYER) -lgcc
$(ISS_BUILD)/bench/mix-qemu.elf: tests/iss/bench/mix.c $(ISS_C_LAYER) tests/iss/c/layer/io.h tests/iss/link.ld | $(ISS_BUILD)/bench/
	$(ISS_RV_CC) $(ISS_C_FLAGS) -DON_QEMU -DITERS=$(ISS_BENCH_ITERS) -Itests/iss/c/layer -T tests/iss/link.ld -o $@ $< $(ISS_C_LAYER) -lgcc
.PHONY: bench-iss
ISS_BENCH_DEPS := $(ISS_BUILD)/rviss $(ISS_BUILD)/bench/mix-bc.elf $(ISS_BUILD)/bench/mix-qemu.elf \
  $(ISS_BUILD)/asm-qemu/rv32i_alu.elf $(BUILD)/bitcycle $(BUILD)/driver/rv32/bitcycle_fw.elf $(BMT_BUILD)/gemm.elf
bench-iss: $(ISS_BENCH_DEPS) | $(BUILD)/bench/ ## ISS MIPS vs qemu-system-riscv32 (ratio), firmware ELFs on the VP (ISS vs SystemC+RTL share) -> build/bench/iss.md
	@bash tests/iss/bench_iss.sh $(BUILD)/bench/iss.md $(ISS_BUILD)/rviss $(ISS_BUILD)/bench/mix-bc.elf \
	  $(ISS_BUILD)/bench/mix-qemu.elf $(ISS_BUILD)/asm-qemu/rv32i_alu.elf $(BUILD)/bitcycle \
	  $(BUILD)/driver/rv32/bitcycle_fw.elf $(BMT_BUILD)/gemm.elf
BENCH_TARGETS += bench-iss
