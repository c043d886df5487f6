/* bitcycle simulator library: the Verilated bitcycle_top behind a plain C ABI,
 * with an AXI4 memory model (latency, bandwidth cap, random stalls, bus-error
 * injection) and an AXI protocol checker that runs on every cycle. */
#ifndef BC_SIM_H
#define BC_SIM_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bc_sim bc_sim_t;

typedef struct bc_sim_config {
    size_t mem_bytes;                 /* memory model size (bytes, multiple of the bus width) */
    unsigned rd_latency, wr_latency;  /* cycles from address to first data / to response */
    unsigned bytes_per_cycle;         /* bandwidth cap shared by reads and writes, 1..bus bytes;
                                         0 (default) = one beat per cycle */
    double stall_prob;                /* probability of a random ready/valid stall per cycle */
    uint64_t seed;                    /* seed of the stall generator */
    uint32_t err_lo, err_hi;          /* bus-error window [err_lo, err_hi] (bytes, inclusive) */
    int err_kind;                     /* 0 off, 1 reads, 2 writes, 3 both (SLVERR) */
    const char *trace_path;           /* NULL: no trace; *.fst or *.vcd */
    uint64_t trace_start, trace_end;  /* cycle window, 0,0 = all */
    bool trace_on_switch;             /* only around precision switches */
    unsigned trace_switch_window;     /* cycles after each switch (see docs/platform.md) */
} bc_sim_config_t;

void bc_sim_config_default(bc_sim_config_t *cfg);
/* NULL on error, with a message naming the bad field in err. */
bc_sim_t *bc_sim_create(const bc_sim_config_t *cfg, char *err, size_t errlen);
void bc_sim_destroy(bc_sim_t *sim);
int bc_sim_reg_read(bc_sim_t *sim, uint32_t addr, uint32_t *val);   /* 0 ok, -1 SLVERR, -2 stopped */
int bc_sim_reg_write(bc_sim_t *sim, uint32_t addr, uint32_t val);   /* 0 ok, -1 SLVERR, -2 stopped */
int bc_sim_mem_read(bc_sim_t *sim, uint64_t addr, void *dst, size_t len);        /* 0, -1 range */
int bc_sim_mem_write(bc_sim_t *sim, uint64_t addr, const void *src, size_t len); /* 0, -1 range */
int bc_sim_run(bc_sim_t *sim, uint64_t cycles);                     /* 0 ok, -1 protocol error */
int bc_sim_run_until_irq(bc_sim_t *sim, uint64_t timeout_cycles);   /* 0 irq, 1 timeout, -1 protocol error */
uint64_t bc_sim_cycles(const bc_sim_t *sim);
const char *bc_sim_last_error(const bc_sim_t *sim);

/* Extensions beyond docs/contracts.md (used by tests, the VP and the benches). */
/* AXI data width (bits) of the model this library was built with: one library per
 * width (build/sim/libbcsim.a is 64 bits; see docs/platform.md). */
unsigned bc_sim_axi_bits(void);
bool bc_sim_irq(const bc_sim_t *sim);
/* Test-only fault hooks in the memory model: 1 = RLAST one beat early,
 * 2 = B response before the burst's last W beat. 0 = off. */
void bc_sim_inject_protocol_fault(bc_sim_t *sim, int kind);
/* Idle cycles of the array between two consecutive passes while a job is
 * queued or running (for the zero-idle-cycle test). */
uint64_t bc_sim_compute_gaps(const bc_sim_t *sim);
/* Idle array cycles between a job's last pass and the next job's first pass. */
uint64_t bc_sim_job_gaps(const bc_sim_t *sim);
/* Number of times the precision changed between consecutive passes. */
uint64_t bc_sim_precision_switches(const bc_sim_t *sim);

#ifdef __cplusplus
}
#endif
#endif
