/* libFuzzer: arbitrary bytes run as RV32IMAC code by the ISS for a bounded
 * number of instructions in a sandbox RAM. Every access outside the RAM goes
 * to an mmio that faults, so no input reaches anything but the sandbox. The
 * input's first 4 bytes seed mtvec (a trap handler inside the code or none),
 * the rest is the RAM image. */
#include "fuzz_util.h"
#include "rv_iss.h"

#define RAM_BASE 0x80000000u
#define RAM_SIZE (16u << 10)
#define MAX_INSNS 5000u

static int mmio_load(void *ctx, uint32_t addr, unsigned size, uint32_t *val)
{
    (void)ctx, (void)addr, (void)size;
    *val = 0;
    return 1;
}

static int mmio_store(void *ctx, uint32_t addr, unsigned size, uint32_t val)
{
    (void)ctx, (void)addr, (void)size, (void)val;
    return 1;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t ram[RAM_SIZE];
    static rv_cpu_t cpu;
    uint32_t tvec = 0;
    if (size >= 4) {
        memcpy(&tvec, data, 4);
        data += 4, size -= 4;
    }
    memset(ram, 0, sizeof ram);
    memcpy(ram, data, size < RAM_SIZE ? size : RAM_SIZE);
    const rv_mmio_t mmio = {.ctx = NULL, .load = mmio_load, .store = mmio_store};
    rv_init(&cpu, ram, RAM_BASE, RAM_SIZE, &mmio);
    rv_reset(&cpu, RAM_BASE);
    /* half the inputs get a handler inside the RAM (traps loop back into the code) */
    if (tvec & 1)
        cpu.mtvec = RAM_BASE + (tvec & (RAM_SIZE - 4)) + ((tvec >> 1) & 1);
    uint64_t budget = MAX_INSNS;
    for (int round = 0; round < 4 && budget; round++) {
        uint64_t before = cpu.instret;
        rv_stop_t st = rv_run(&cpu, budget / 4 + 1);
        if (st != RV_STOP_NONE)
            break;
        uint64_t ran = cpu.instret - before;
        budget = ran < budget ? budget - ran : 0;
    }
    if (cpu.stop == RV_STOP_FAULT) {
        char msg[512];
        rv_fault_report(&cpu, msg, sizeof msg);
        fuzz_check_msg(msg, sizeof msg);
    }
    if (cpu.x[0] != 0) {
        fprintf(stderr, "fuzz_rv: x0 = %#x\n", cpu.x[0]);
        abort();
    }
    return 0;
}
