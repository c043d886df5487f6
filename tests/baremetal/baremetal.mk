# tests/baremetal/baremetal.mk: the bare-metal regression suite, ELFs built
# for rv32imac with the driver, its mmio HAL and the platform layer, run on
# the virtual platform by `bitcycle vp run`.
BMT_BUILD := $(BUILD)/baremetal
BMT_TESTS := $(basename $(notdir $(filter-out tests/baremetal/bmt.c tests/baremetal/gen_cases.c,$(wildcard tests/baremetal/*.c))))
BMT_ELFS := $(patsubst %,$(BMT_BUILD)/%.elf,$(BMT_TESTS))
# the driver's rv32 objects (driver/driver.mk builds them)
BMT_FW_OBJS := $(addprefix $(BUILD)/driver/rv32/,bc_driver.o bc_desc.o bc_pack.o bc_quant.o bc_hal_mmio.o bm_libc.o bm_platform.o crt0.o)
BMT_CFLAGS = -march=rv32imac -mabi=ilp32 -ffreestanding -fno-builtin -std=c11 -Wall -Wextra -Werror -Os -g \
  -ffunction-sections -fdata-sections -MMD -MP -Idriver/include -Idriver/baremetal -I$(BUILD)/gen -I$(BMT_BUILD) -Itests/baremetal

$(BMT_BUILD)/gen_cases: tests/baremetal/gen_cases.c sim/golden/bc_golden.c sim/golden/bc_golden.h | $(BMT_BUILD)/
	$(CC) $(CFLAGS) -Isim/golden -o $@ tests/baremetal/gen_cases.c sim/golden/bc_golden.c
$(BMT_BUILD)/bm_cases.h: $(BMT_BUILD)/gen_cases
	$< $@

$(BMT_BUILD)/%.o: tests/baremetal/%.c $(BC_REGS_H) $(BMT_BUILD)/bm_cases.h | $(BMT_BUILD)/
	riscv64-unknown-elf-gcc $(BMT_CFLAGS) -c $< -o $@
-include $(wildcard $(BMT_BUILD)/*.d)

$(BMT_BUILD)/%.elf: $(BMT_BUILD)/%.o $(BMT_BUILD)/bmt.o $(BMT_FW_OBJS) driver/baremetal/link.ld
	riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 -nostdlib -nostartfiles -static -Wl,--gc-sections \
	  -Wl,--no-undefined -Wl,--no-warn-rwx-segments -T driver/baremetal/link.ld -o $@ $(filter %.o,$^) -lgcc

.PHONY: baremetal test-baremetal
baremetal: $(BMT_ELFS) $(BUILD)/driver/rv32/bitcycle_fw.elf ## build the bare-metal regression ELFs (build/baremetal/*.elf)
test-baremetal: $(BMT_ELFS) $(BUILD)/driver/rv32/bitcycle_fw.elf $(BUILD)/bitcycle $(BUILD)/data/digits.csv.gz ## bare-metal ELFs on the VP: registers, GEMMs vs golden, queue, errors, IRQ and timeout, --data
	@bash tests/baremetal/run.sh $(BUILD)/bitcycle $(BUILD)/data/digits.csv.gz $(BUILD)/driver/rv32/bitcycle_fw.elf $(BMT_ELFS)
TEST_TARGETS += test-baremetal

# ---- the training ELF against the host-built trainer (not in make test: minutes on the VP)
BMT_TRAIN_ITERS ?= 4
BMT_FW_RV32 := $(addprefix $(BUILD)/firmware/rv32/,bc_mlp.o bc_quant.o bc_schedule.o)
$(BMT_BUILD)/train/train_mlp.o: tests/baremetal/train/train_mlp.c tests/baremetal/train/train_cfg.h $(BC_REGS_H) | $(BMT_BUILD)/train/
	riscv64-unknown-elf-gcc $(BMT_CFLAGS) --specs=picolibc.specs -ffp-contract=off -Ifirmware/include \
	  -DTRAIN_ITERS=$(BMT_TRAIN_ITERS) -c $< -o $@
$(BMT_BUILD)/train/train_mlp.elf: $(BMT_BUILD)/train/train_mlp.o $(BMT_BUILD)/bmt.o $(BMT_FW_OBJS) $(BMT_FW_RV32) driver/baremetal/link.ld
	riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 --specs=picolibc.specs -nostartfiles -static -Wl,--gc-sections \
	  -Wl,--no-warn-rwx-segments -T driver/baremetal/link.ld -o $@ $(filter %.o,$^) -lm -lc -lgcc
$(BMT_BUILD)/train/train_ref: tests/baremetal/train/train_ref.c tests/baremetal/train/train_cfg.h $(BUILD)/bitcycle | $(BMT_BUILD)/train/
	$(CC) $(CFLAGS) -Ifirmware/include -Idriver/include -I$(BUILD)/gen -Isim/model -DTRAIN_ITERS=$(BMT_TRAIN_ITERS) \
	  -c $< -o $(BMT_BUILD)/train/train_ref.o
	$(CXX) $(LDFLAGS) -o $@ $(BMT_BUILD)/train/train_ref.o $(HOST_OBJS) $(HOST_LIBS) -lz -lm

.PHONY: test-train-elf
test-train-elf: $(BMT_BUILD)/train/train_mlp.elf $(BMT_BUILD)/train/train_ref $(BUILD)/bitcycle $(BUILD)/data/digits.csv.gz ## training ELF (digits MLP, CPT, BMT_TRAIN_ITERS steps) on the VP: weights hash equals the host trainer's on fsim
	@BITCYCLE_DATA=$(BUILD)/data bash tests/baremetal/train/run_train.sh $(BUILD)/bitcycle $(BMT_BUILD)/train/train_mlp.elf $(BMT_BUILD)/train/train_ref
