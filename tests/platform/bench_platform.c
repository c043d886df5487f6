/* Platform benchmark (reports, asserts nothing): end-to-end efficiency of
 * bitcycle_top (ideal pass cycles / busy cycles) on compute-bound GEMMs at
 * 8/8, 4/4, 2/2 and on a memory-bound shape, the timing model against the RTL,
 * and simulation speed of the SystemC VP against the C-ABI harness.
 * Writes build/bench/platform.md. Built with -DBENCH_NO_VP against a per-width
 * simulator library it measures that AXI width only (no VP). */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bc_regs.h"
#include "bc_sim.h"
#include "bc_timing.h"
#ifndef BENCH_NO_VP
#include "bc_vp.h"
#endif
#include "plat.h"

static const double CLOCK_HZ = PLAT_VP_CLOCK_HZ;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}


typedef struct row {
    const char *label;
    unsigned m, n, k, wb, ab, bpc; /* bpc 0: one beat per cycle */
    uint64_t ideal, busy, model, cycles;
    double wall, eff;
    unsigned bad;
} row_t;

/* One job on the C-ABI harness; fills busy/ideal/model/wall. */
static void run_sim_job(row_t *r)
{
    bc_sim_config_t cfg;
    bc_sim_config_default(&cfg);
    cfg.mem_bytes = 32u << 20;
    cfg.rd_latency = 20;
    cfg.wr_latency = 20;
    cfg.bytes_per_cycle = r->bpc;
    char err[200];
    bc_sim_t *s = bc_sim_create(&cfg, err, sizeof err);
    if (!s) {
        fprintf(stderr, "bench: %s\n", err);
        exit(1);
    }
    plat_bus_t b = plat_bus_sim(s);
    uint64_t rng = 42;
    uint32_t next = 0x1000;
    plat_job_t j;
    plat_job_make(&b, &j, r->m, r->n, r->k, r->wb, r->ab, true, true, &next, 0, &rng);
    plat_wr(&b, BC_REG_IRQ_ENABLE, 3);
    uint64_t c0 = bc_sim_cycles(s);
    double t0 = now_s();
    plat_job_push(&b, &j);
    int rc = bc_sim_run_until_irq(s, 100000000);
    r->wall = now_s() - t0;
    r->cycles = bc_sim_cycles(s) - c0;
    if (rc != 0)
        fprintf(stderr, "bench: %s did not finish (%d): %s\n", r->label, rc, bc_sim_last_error(s));
    r->busy = plat_rd64(&b, BC_REG_CNT_BUSY_LO);
    r->ideal = plat_rd64(&b, BC_REG_CNT_COMPUTE_LO);
    r->bad = plat_job_check(&b, &j);
    r->eff = r->busy ? (double)r->ideal / (double)r->busy : 0;
    bc_hw_t hw;
    bc_calib_t cal;
    bc_hw_default(&hw);
    bc_calib_default(&cal);
    hw.mem_latency = 20;
    hw.mem_bytes_per_cycle = r->bpc ? r->bpc : bc_sim_axi_bits() / 8;
    hw.bus_bytes = bc_sim_axi_bits() / 8;
    bc_job_shape_t js = {r->m, r->n, r->k, r->wb, r->ab, true, true, 0};
    bc_events_t ev;
    bc_timing_job(&hw, &cal, &js, &ev);
    r->model = ev.busy;
    plat_job_free(&j);
    bc_sim_destroy(s);
}

#ifndef BENCH_NO_VP
struct vp_bench {
    row_t *r;
    double wall;
    uint64_t cycles, ns;
    unsigned bad;
};

static int vp_entry(bc_vp_t *vp, void *arg)
{
    struct vp_bench *vb = arg;
    plat_bus_t b = plat_bus_vp(vp);
    uint64_t rng = 42;
    uint32_t next = 0x1000;
    plat_job_t j;
    plat_job_make(&b, &j, vb->r->m, vb->r->n, vb->r->k, vb->r->wb, vb->r->ab, true, true, &next, 0, &rng);
    plat_wr(&b, BC_REG_IRQ_ENABLE, 3);
    uint64_t c0 = bc_vp_cycles(vp), n0 = bc_vp_now_ns(vp);
    double t0 = now_s();
    plat_job_push(&b, &j);
    bc_vp_wait_irq(vp, 10ull * 1000 * 1000 * 1000);
    vb->wall = now_s() - t0;
    vb->cycles = bc_vp_cycles(vp) - c0;
    vb->ns = bc_vp_now_ns(vp) - n0;
    vb->bad = plat_job_check(&b, &j);
    plat_job_free(&j);
    return 0;
}
#endif

int main(int argc, char **argv)
{
    const char *out_path = argc > 1 ? argv[1] : "build/bench/platform.md";
    row_t rows[] = {
        {"compute-bound 8/8", 256, 256, 1024, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0},
        {"compute-bound 4/4", 256, 256, 1024, 4, 4, 0, 0, 0, 0, 0, 0, 0, 0},
        {"compute-bound 2/2", 256, 256, 1024, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0},
        {"memory-bound 2/2, 2 B/cycle", 256, 256, 64, 2, 2, 2, 0, 0, 0, 0, 0, 0, 0},
    };
    unsigned nrows = sizeof rows / sizeof rows[0];
    const unsigned bus_bytes = bc_sim_axi_bits() / 8;
    printf("AXI data width %u bits\n", bc_sim_axi_bits());
    for (unsigned i = 0; i < nrows; i++) {
        run_sim_job(&rows[i]);
        printf("%-30s %4ux%4ux%4u eff %.3f (ideal %" PRIu64 " / busy %" PRIu64 "), model %" PRIu64
               " (%+.2f%%), %s, %.2f s, %.0f kcycles/s\n",
               rows[i].label, rows[i].m, rows[i].n, rows[i].k, rows[i].eff, rows[i].ideal, rows[i].busy,
               rows[i].model, 100.0 * ((double)rows[i].model - (double)rows[i].busy) / (double)rows[i].busy,
               rows[i].bad ? "MISMATCH" : "bit-exact", rows[i].wall, (double)rows[i].cycles / rows[i].wall / 1e3);
    }
#ifndef BENCH_NO_VP
    /* speed: the same workload on both harnesses */
    row_t sp = {"speed 64x256x512 8/8", 64, 256, 512, 8, 8, 0, 0, 0, 0, 0, 0, 0, 0};
    run_sim_job(&sp);
    struct vp_bench vb = {&sp, 0, 0, 0, 0};
    bc_vp_config_t vcfg;
    bc_vp_config_default(&vcfg);
    vcfg.sim.mem_bytes = 32u << 20;
    char err[200];
    if (bc_vp_run(&vcfg, vp_entry, &vb, err, sizeof err) != 0)
        fprintf(stderr, "bench: vp: %s\n", err);
    double sim_rate = (double)sp.cycles / sp.wall, vp_rate = (double)vb.cycles / vb.wall;
    printf("speed: C-ABI harness %.0f kcycles/s, VP %.0f kcycles/s, VP/C-ABI = %.2f (VP result %s)\n",
           sim_rate / 1e3, vp_rate / 1e3, vp_rate / sim_rate, vb.bad ? "MISMATCH" : "bit-exact");
#endif

    char tmp[512];
    snprintf(tmp, sizeof tmp, "%s.tmp", out_path);
    FILE *fp = fopen(tmp, "w");
    if (!fp) {
        fprintf(stderr, "bench: cannot write %s\n", tmp);
        return 1;
    }
    fprintf(fp, "# bitcycle_top platform benchmark\n\n");
    fprintf(fp, "Default configuration (DM=DN=8, DK=64), AXI data width %u bits, memory model: read/write "
                "latency 20 cycles, no random stalls; clock 200 MHz for the VP. Efficiency = ideal pass cycles "
                "(CNT_COMPUTE) / busy cycles (CNT_BUSY) of one job, measured on the RTL.\n\n",
            bus_bytes * 8);
    fprintf(fp, "| workload | M x N x K | bits | bandwidth | ideal | busy | efficiency | model busy | model err | result |\n");
    fprintf(fp, "|---|---|---|---|---|---|---|---|---|---|\n");
    for (unsigned i = 0; i < nrows; i++)
        fprintf(fp, "| %s | %ux%ux%u | %u/%u | %u B/cycle (%.1f GB/s) | %" PRIu64 " | %" PRIu64 " | %.3f | %" PRIu64 " | %+.2f%% | %s |\n",
                rows[i].label, rows[i].m, rows[i].n, rows[i].k, rows[i].wb, rows[i].ab,
                rows[i].bpc ? rows[i].bpc : bus_bytes, (rows[i].bpc ? rows[i].bpc : bus_bytes) * CLOCK_HZ / 1e9, rows[i].ideal, rows[i].busy, rows[i].eff, rows[i].model,
                100.0 * ((double)rows[i].model - (double)rows[i].busy) / (double)rows[i].busy,
                rows[i].bad ? "MISMATCH" : "bit-exact");
#ifndef BENCH_NO_VP
    fprintf(fp, "\n## Simulation speed (same workload: %ux%ux%u at %u/%u)\n\n", sp.m, sp.n, sp.k, sp.wb, sp.ab);
    fprintf(fp, "| harness | simulated cycles | wall s | kcycles/s |\n|---|---|---|---|\n");
    fprintf(fp, "| C-ABI (sim/lib) | %" PRIu64 " | %.3f | %.0f |\n", sp.cycles, sp.wall, sim_rate / 1e3);
    fprintf(fp, "| SystemC VP (sim/vp) | %" PRIu64 " | %.3f | %.0f |\n", vb.cycles, vb.wall, vp_rate / 1e3);
    fprintf(fp, "\nVP / C-ABI speed ratio: %.2f\n", vp_rate / sim_rate);
#endif
    fclose(fp);
    if (rename(tmp, out_path) != 0) {
        fprintf(stderr, "bench: cannot rename %s\n", tmp);
        return 1;
    }
    printf("wrote %s\n", out_path);
    return 0;
}
