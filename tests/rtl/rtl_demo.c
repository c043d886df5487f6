/* make rtl-demo: the same GEMM (one 8-bit signed operand set, requantized by arithmetic
 * shift to 4 and 2 bits) at 8/8, 4/4 and 2/2 on the RTL array core, checked bit-exact
 * against the golden model, with cycles and the cycle ratio to 8/8. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "rtl_util.h"

int main(void)
{
    const unsigned m = 64, n = 64, k = 256, bits[3] = {8, 4, 2};
    char err[256];
    bc_core_sim_t *sim = bc_core_sim_create(NULL, err, sizeof err);
    if (!sim) {
        fprintf(stderr, "rtl-demo: %s\n", err);
        return 1;
    }
    bc_core_geom_t geo;
    bc_core_sim_geometry(sim, &geo);
    rtl_rng_t rng;
    rtl_rng_seed(&rng, 2021);
    int32_t *a8 = malloc(sizeof(int32_t) * m * k), *b8 = malloc(sizeof(int32_t) * k * n);
    if (!a8 || !b8)
        return 1;
    for (unsigned e = 0; e < m * k; e++)
        a8[e] = (int32_t)(rtl_rng_next(&rng) % 256u) - 128;
    for (unsigned e = 0; e < k * n; e++)
        b8[e] = (int32_t)(rtl_rng_next(&rng) % 256u) - 128;
    printf("rtl-demo: C(%ux%u) = A(%ux%u) * B(%ux%u) on the %ux%u x %u-bit bit-serial array (Verilator)\n", m, n,
           m, k, k, n, geo.dm, geo.dn, geo.dk);
    printf("  %-6s %10s %10s %8s  %s\n", "bits", "cycles", "formula", "vs 8/8", "bit-exact vs golden");
    uint64_t base = 0;
    int rc = 0;
    for (unsigned p = 0; p < 3; p++) {
        bc_core_job_t job = {m, n, k, bits[p], bits[p], true, true, 0, 0};
        rtl_gemm_t g;
        if (!rtl_gemm_alloc(&g, &job))
            return 1;
        /* Requantize: keep the top `bits` bits of the 8-bit value (floor division). */
        for (unsigned e = 0; e < m * k; e++)
            g.a[e] = a8[e] >> (8 - bits[p]);
        for (unsigned e = 0; e < k * n; e++)
            g.b[e] = b8[e] >> (8 - bits[p]);
        if (rtl_load(sim, &geo, &g, NULL, NULL, NULL) || (g.idx = bc_core_sim_push_job(sim, &job)) < 0 ||
            bc_core_sim_run(sim, 10000000)) {
            fprintf(stderr, "rtl-demo: %s\n", bc_core_sim_last_error(sim));
            return 1;
        }
        bool exact = rtl_check(sim, &g, 2021, "rtl-demo");
        bc_core_job_rec_t rec;
        bc_core_sim_job(sim, (unsigned)g.idx, &rec);
        uint64_t cyc = rec.done_cycle - rec.accept_cycle + 1;
        uint64_t formula = bc_golden_core_cycles(m, n, k, bits[p], bits[p], geo.dm, geo.dn, geo.dk);
        if (p == 0)
            base = cyc;
        printf("  %2u/%-3u %10" PRIu64 " %10" PRIu64 " %7.2fx  %s\n", bits[p], bits[p], cyc, formula,
               (double)base / (double)cyc, exact ? "yes" : "NO");
        if (!exact || cyc != formula)
            rc = 1;
        rtl_gemm_free(&g);
    }
    printf("rtl-demo: cycles scale with wbits*abits (64:16:4); %s\n", rc ? "FAILED" : "all bit-exact");
    free(a8);
    free(b8);
    bc_core_sim_destroy(sim);
    return rc;
}
