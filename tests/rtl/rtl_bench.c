/* make bench-rtl: simulated cycles per second under Verilator and Icarus on the same
 * workload (the Icarus vector file, replayed through the Verilator C ABI), and array
 * utilisation (ideal pass cycles / measured cycles) on a large GEMM at 8/8, 4/4, 2/2.
 * Reports only; asserts nothing. Writes a markdown table to --out (atomically). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "rtl_util.h"

static double cpu_self_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static double cpu_children_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_CHILDREN, &ru);
    return (double)ru.ru_utime.tv_sec + 1e-6 * (double)ru.ru_utime.tv_usec + (double)ru.ru_stime.tv_sec +
           1e-6 * (double)ru.ru_stime.tv_usec;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

/* Replay the W/J/R commands of a vector file; returns simulated cycles or 0 on error. */
static uint64_t replay(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        fprintf(stderr, "bench-rtl: cannot open %s\n", path);
        return 0;
    }
    char err[256];
    bc_core_sim_t *sim = bc_core_sim_create(NULL, err, sizeof err);
    if (!sim) {
        fprintf(stderr, "bench-rtl: %s\n", err);
        fclose(fp);
        return 0;
    }
    char line[256];
    unsigned lineno = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof line, fp)) {
        lineno++;
        unsigned ab, bank, addr, ws, as;
        uint64_t word;
        bc_core_job_t j;
        if (line[0] == 'W' && sscanf(line, "W %u %u %u %" SCNx64, &ab, &bank, &addr, &word) == 4) {
            ok = (ab ? bc_core_sim_write_b(sim, bank, addr, word) : bc_core_sim_write_a(sim, bank, addr, word)) == 0;
        } else if (line[0] == 'J' && sscanf(line, "J %u %u %u %u %u %u %u %u %u", &j.m, &j.n, &j.k, &j.wbits,
                                            &j.abits, &ws, &as, &j.a_off, &j.b_off) == 9) {
            j.wsigned = ws, j.asigned = as;
            ok = bc_core_sim_push_job(sim, &j) >= 0;
        } else if (line[0] == 'R') {
            ok = bc_core_sim_run(sim, 10000000) == 0;
        }
        if (!ok)
            fprintf(stderr, "bench-rtl: %s:%u: %s\n", path, lineno, bc_core_sim_last_error(sim));
    }
    uint64_t cycles = ok ? bc_core_sim_cycles(sim) : 0;
    bc_core_sim_destroy(sim);
    fclose(fp);
    return cycles;
}

int main(int argc, char **argv)
{
    const char *vectors = NULL, *vvp = NULL, *out = NULL;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (!strcmp(argv[i], "--vectors"))
            vectors = argv[i + 1];
        else if (!strcmp(argv[i], "--vvp"))
            vvp = argv[i + 1];
        else if (!strcmp(argv[i], "--out"))
            out = argv[i + 1];
        else {
            fprintf(stderr, "bench-rtl: unknown option %s\n", argv[i]);
            return 2;
        }
    }
    if (!vectors || !vvp || !out) {
        fprintf(stderr, "usage: rtl_bench --vectors FILE --vvp TB.vvp --out FILE.md\n");
        return 2;
    }
    /* Verilator: repeat the workload for at least a second of wall time. */
    uint64_t v_cycles = 0, v_one = 0;
    double t0 = now_s(), c0 = cpu_self_s(), v_time;
    do {
        v_one = replay(vectors);
        if (!v_one)
            return 1;
        v_cycles += v_one;
        v_time = now_s() - t0;
    } while (v_time < 1.0);
    double v_cpu = cpu_self_s() - c0;
    /* Icarus: one run of the same vector file (includes vvp start-up). */
    char cmd[2048];
    snprintf(cmd, sizeof cmd, "vvp -n %s +vectors=%s", vvp, vectors);
    double t1 = now_s(), cc1 = cpu_children_s();
    FILE *p = popen(cmd, "r");
    if (!p) {
        fprintf(stderr, "bench-rtl: cannot run %s\n", cmd);
        return 1;
    }
    char line[512];
    uint64_t i_cycles = 0;
    while (fgets(line, sizeof line, p)) {
        uint64_t v;
        if (strstr(line, "simulated cycles") && sscanf(line, "icarus: %" SCNu64, &v) == 1)
            i_cycles = v;
    }
    int prc = pclose(p);
    double i_time = now_s() - t1, i_cpu = cpu_children_s() - cc1;
    if (prc != 0 || i_cycles == 0) {
        fprintf(stderr, "bench-rtl: Icarus run failed (%s)\n", cmd);
        return 1;
    }
    double v_rate = (double)v_cycles / v_time, i_rate = (double)i_cycles / i_time;
    double v_crate = (double)v_cycles / v_cpu, i_crate = (double)i_cycles / i_cpu;

    /* Utilisation on a large compute-bound GEMM. */
    char err[256];
    bc_core_sim_t *sim = bc_core_sim_create(NULL, err, sizeof err);
    if (!sim) {
        fprintf(stderr, "bench-rtl: %s\n", err);
        return 1;
    }
    bc_core_geom_t geo;
    bc_core_sim_geometry(sim, &geo);
    rtl_rng_t rng;
    rtl_rng_seed(&rng, 7);
    const unsigned m = 128, n = 128, k = 512, bits[3] = {8, 4, 2};
    uint64_t measured[3], ideal[3], dpu[3], comp[3];
    for (unsigned b = 0; b < 3; b++) {
        bc_core_job_t j = {m, n, k, bits[b], bits[b], true, true, 0, 0};
        rtl_gemm_t g;
        if (!rtl_gemm_alloc(&g, &j))
            return 1;
        rtl_fill(&rng, g.a, m * k, bits[b], RTL_FILL_RANDOM);
        rtl_fill(&rng, g.b, k * n, bits[b], RTL_FILL_RANDOM);
        bc_core_counters_t c0, c1;
        bc_core_sim_counters(sim, &c0);
        if (rtl_load(sim, &geo, &g, NULL, NULL, NULL) || (g.idx = bc_core_sim_push_job(sim, &j)) < 0 ||
            bc_core_sim_run(sim, 100000000)) {
            fprintf(stderr, "bench-rtl: %s\n", bc_core_sim_last_error(sim));
            return 1;
        }
        bc_core_sim_counters(sim, &c1);
        bc_core_job_rec_t rec;
        bc_core_sim_job(sim, (unsigned)g.idx, &rec);
        measured[b] = rec.done_cycle - rec.accept_cycle + 1;
        ideal[b] = rtl_passes(&geo, &j);
        dpu[b] = c1.dpu_active - c0.dpu_active;
        comp[b] = c1.compute - c0.compute;
        rtl_gemm_free(&g);
    }
    bc_core_sim_destroy(sim);

    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    FILE *md = fopen(tmp, "w");
    if (!md) {
        fprintf(stderr, "bench-rtl: cannot write %s\n", tmp);
        return 1;
    }
    FILE *outs[2] = {stdout, md};
    for (int o = 0; o < 2; o++) {
        FILE *f = outs[o];
        fprintf(f, "### RTL array core (bc_core_top, %ux%u DPUs, Dk=%u)\n\n", geo.dm, geo.dn, geo.dk);
        fprintf(f, "| simulator | workload | simulated cycles | wall s | cycles/wall s | CPU s | cycles/CPU s |\n"
                   "|---|---|---:|---:|---:|---:|---:|\n");
        fprintf(f, "| Verilator 5 (-O3, C++ -O2) | icarus vectors x%" PRIu64 " | %" PRIu64 " | %.2f | %.0f | %.2f | %.0f |\n",
                v_cycles / v_one, v_cycles, v_time, v_rate, v_cpu, v_crate);
        fprintf(f, "| Icarus 11 (vvp) | icarus vectors x1 | %" PRIu64 " | %.2f | %.0f | %.2f | %.0f |\n", i_cycles, i_time,
                i_rate, i_cpu, i_crate);
        fprintf(f, "\nVerilator / Icarus speed ratio: **%.0fx** (wall clock), %.0fx (CPU time; steadier on a shared machine)\n\n",
                v_rate / i_rate, v_crate / i_crate);
        fprintf(f, "| GEMM %ux%ux%u | ideal pass cycles | measured cycles | utilisation (ideal/measured) | DPU occupancy |\n",
                m, n, k);
        fprintf(f, "|---|---:|---:|---:|---:|\n");
        for (unsigned b = 0; b < 3; b++)
            fprintf(f, "| %u/%u | %" PRIu64 " | %" PRIu64 " | %.4f | %.4f |\n", bits[b], bits[b], ideal[b], measured[b],
                    (double)ideal[b] / (double)measured[b],
                    (double)dpu[b] / ((double)comp[b] * geo.dm * geo.dn));
        fprintf(f, "\n");
    }
    if (fclose(md) != 0 || rename(tmp, out) != 0) {
        fprintf(stderr, "bench-rtl: cannot write %s\n", out);
        return 1;
    }
    printf("bench-rtl: table written to %s\n", out);
    return 0;
}
