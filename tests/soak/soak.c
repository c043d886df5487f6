/* soak: many random GEMM jobs through the driver on one backend, every result
 * compared bit-exactly with the golden model. Jobs cover every precision
 * 1..16 for A and B, both signednesses, K across chunk boundaries, extreme
 * operands (saturation) and garbage above the low bits. Jobs are submitted
 * in batches that fill the queue, so precision switches between queued jobs
 * are exercised too.
 *
 *   soak --backend fsim|sim --jobs N [--seed S] [--max-mn N] [--max-k N]
 *   soak --backend B --job M,N,K,WBITS,ABITS,WS,AS [--seed S]   (replay one job)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hard_util.h"

static int usage(void)
{
    fprintf(stderr, "usage: soak --backend fsim|sim (--jobs N | --job M,N,K,W,A,WS,AS) [--seed S] [--max-mn N] "
                    "[--max-k N]\n");
    return 2;
}

static int parse_u64(const char *opt, const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end;
    unsigned long long v = strtoull(s, &end, 10);
    if (end == s || *end || v < lo || v > hi) {
        fprintf(stderr, "soak: %s: '%s' is not a number in %" PRIu64 "..%" PRIu64 "\n", opt, s, lo, hi);
        return -1;
    }
    *out = v;
    return 0;
}

int main(int argc, char **argv)
{
    const char *backend = "fsim", *one = NULL;
    uint64_t jobs = 1000, seed = 1, max_mn = 40, max_k = 300, batch = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!v)
            return usage();
        int bad = 0;
        if (!strcmp(a, "--backend"))
            backend = v;
        else if (!strcmp(a, "--jobs"))
            bad = parse_u64(a, v, 1, 100000000, &jobs);
        else if (!strcmp(a, "--seed"))
            bad = parse_u64(a, v, 0, UINT64_MAX, &seed);
        else if (!strcmp(a, "--max-mn"))
            bad = parse_u64(a, v, 1, 4096, &max_mn);
        else if (!strcmp(a, "--max-k"))
            bad = parse_u64(a, v, 1, 2048, &max_k);
        else if (!strcmp(a, "--batch"))
            bad = parse_u64(a, v, 1, 16, &batch);
        else if (!strcmp(a, "--job"))
            one = v;
        else
            return usage();
        if (bad)
            return 2;
        i++;
    }
    hu_opts_t o;
    hu_opts_default(&o);
    o.seed = seed;
    hu_dev_t d;
    if (hu_open(&d, backend, &o))
        return 1;
    hu_rng_t r;
    hu_seed(&r, seed);
    if (one) {
        unsigned f[7];
        if (sscanf(one, "%u,%u,%u,%u,%u,%u,%u", &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6]) != 7)
            return usage();
        hu_job_t j = {f[0], f[1], f[2], f[3], f[4], f[5] != 0, f[6] != 0};
        int rc = hu_run(&d, &r, &j, 0x100000, 600000000000ull, "job");
        printf("soak: job %s on %s: %s\n", one, backend, rc ? "MISMATCH" : "bit-exact");
        hu_close(&d);
        return rc ? 1 : 0;
    }
    uint64_t done = 0, bad = 0, per_bits[17][17] = {{0}}, signs[4] = {0};
    unsigned depth = batch ? (unsigned)batch : d.dev.cfg.queue_depth;
    unsigned reported = 0;
    while (done < jobs) {
        /* a batch of up to depth jobs queued back to back, then checked */
        hu_data_t h[16];
        unsigned nb = hu_range(&r, 1, depth < 16 ? depth : 16);
        if (nb > jobs - done)
            nb = (unsigned)(jobs - done);
        uint32_t base = 0x100000 + 8u * hu_range(&r, 0, 511); /* any 8-aligned start */
        unsigned ok = 0, batch_bad = 0;
        for (unsigned b = 0; b < nb; b++) {
            hu_job_t j;
            hu_random_job(&r, (unsigned)max_mn, (unsigned)max_k, &j);
            if (hu_prepare(&d, &r, &j, base, &h[b])) {
                batch_bad++;
                break;
            }
            base = ((h[b].lay.end + 4095u) & ~4095u) + 8u * hu_range(&r, 0, 511);
            bc_gemm_t g;
            hu_gemm_for(&d, &j, &h[b].lay, (uint32_t)(done + b), &g);
            bc_status_t st = bc_gemm_submit(&d.dev, &g);
            ok++;
            if (st != BC_OK) {
                fprintf(stderr, "soak: submit: %s\n", bc_strerror(st));
                batch_bad++;
                break;
            }
        }
        bc_status_t w = batch_bad ? BC_OK : bc_wait(&d.dev, 600000000000ull);
        if (w != BC_OK) {
            /* saturation is not an error; anything else is */
            fprintf(stderr, "soak: bc_wait: %s (%s)\n", bc_strerror(w), d.dev.hw_err.name ? d.dev.hw_err.name : "-");
            batch_bad++;
        }
        if (batch_bad) {
            bad += ok ? ok : 1;
            for (unsigned b = 0; b < ok; b++)
                hu_data_free(&h[b]);
            done += ok;
            break; /* the device state is unknown */
        }
        for (unsigned b = 0; b < ok; b++) {
            if (hu_check(&d, &h[b], reported < 5 ? "soak" : "") != 0) {
                bad++;
                if (reported++ < 5)
                    fprintf(stderr, "soak: job %" PRIu64 " of a batch of %u; replay alone: soak --backend %s --job "
                                    "%u,%u,%u,%u,%u,%d,%d\n",
                            done + b, ok, backend, h[b].job.m, h[b].job.n, h[b].job.k, h[b].job.wbits, h[b].job.abits,
                            h[b].job.wsigned, h[b].job.asigned);
            }
            per_bits[h[b].job.wbits][h[b].job.abits]++;
            signs[h[b].job.wsigned * 2 + h[b].job.asigned]++;
            hu_data_free(&h[b]);
        }
        bc_error_clear(&d.dev); /* sticky overflow flag of saturating jobs */
        done += ok;
    }
    unsigned combos = 0;
    for (int w = 1; w <= 16; w++)
        for (int a = 1; a <= 16; a++)
            combos += per_bits[w][a] != 0;
    printf("soak: %s: %" PRIu64 " random jobs, %" PRIu64 " bit-exact vs golden, %" PRIu64
           " mismatched; %u of 256 (wbits, abits) pairs; signedness uu %" PRIu64 " us %" PRIu64 " su %" PRIu64
           " ss %" PRIu64 " (seed %" PRIu64 ")\n",
           backend, done, done - bad, bad, combos, signs[0], signs[1], signs[2], signs[3], seed);
    printf("soak-%s: %" PRIu64 " passed, %" PRIu64 " failed\n", backend, done - bad, bad);
    hu_close(&d);
    return bad ? 1 : 0;
}
