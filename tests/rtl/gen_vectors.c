/* Writes the Icarus regression's vector file from the golden model: buffer words, jobs,
 * expected results, overflow flags and cycle counts (see tb_core_icarus.sv for the format).
 * Usage: gen_vectors --seed N --out FILE [--jobs-scale S] */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rtl_util.h"

static const bc_core_geom_t k_geo = {8, 8, 64, 16, 32, 1024, 2048, 256};

static int emit_word(void *ctx, bool is_a, unsigned bank, unsigned addr, uint64_t word)
{
    return fprintf((FILE *)ctx, "W %d %u %u %016" PRIx64 "\n", is_a ? 0 : 1, bank, addr, word) < 0;
}

typedef struct gen {
    FILE *fp;
    rtl_rng_t rng;
    unsigned next_job, next_slot;
    rtl_gemm_t g[8];
    unsigned n, a_used, b_used;
} gen_t;

static void add(gen_t *s, unsigned m, unsigned n, unsigned k, unsigned w, unsigned a, bool ws, bool as,
                rtl_fill_t fa, rtl_fill_t fb)
{
    bc_core_job_t j = {m, n, k, w, a, ws, as, s->a_used, s->b_used};
    rtl_gemm_t *g = &s->g[s->n++];
    if (!rtl_gemm_alloc(g, &j)) {
        fprintf(stderr, "gen_vectors: out of memory\n");
        exit(1);
    }
    rtl_fill(&s->rng, g->a, m * k, w, fa);
    rtl_fill(&s->rng, g->b, k * n, a, fb);
    s->a_used += rtl_a_words(&k_geo, &j);
    s->b_used += rtl_b_words(&k_geo, &j);
}

/* Emit the batch: words, jobs, run, then per job the expected elements and flags. */
static void flush(gen_t *s)
{
    uint64_t total = 0;
    for (unsigned i = 0; i < s->n; i++)
        rtl_emit_operands(&k_geo, &s->g[i], &s->rng, emit_word, s->fp);
    for (unsigned i = 0; i < s->n; i++) {
        const bc_core_job_t *j = &s->g[i].job;
        fprintf(s->fp, "J %u %u %u %u %u %d %d %u %u\n", j->m, j->n, j->k, j->wbits, j->abits, j->wsigned,
                j->asigned, j->a_off, j->b_off);
        total += rtl_passes(&k_geo, j);
    }
    fprintf(s->fp, "R\n");
    const bc_core_job_t *j0 = &s->g[0].job;
    fprintf(s->fp, "C %" PRIu64 "\n",
            bc_golden_core_cycles(j0->m, j0->n, j0->k, j0->wbits, j0->abits, k_geo.dm, k_geo.dn, k_geo.dk));
    fprintf(s->fp, "S %" PRIu64 "\n", BC_GOLDEN_CORE_FILL + total + BC_GOLDEN_CORE_DRAIN);
    for (unsigned i = 0; i < s->n; i++) {
        const bc_core_job_t *j = &s->g[i].job;
        int32_t *c = malloc(sizeof(int32_t) * j->m * j->n);
        if (!c)
            exit(1);
        bool ovf = bc_golden_gemm(s->g[i].a, j->k, s->g[i].b, j->n, c, j->n, j->m, j->n, j->k, j->wbits,
                                  j->abits, j->wsigned, j->asigned);
        unsigned nt = (j->n + k_geo.dn - 1) / k_geo.dn, mt = (j->m + k_geo.dm - 1) / k_geo.dm;
        for (unsigned r = 0; r < j->m; r++)
            for (unsigned col = 0; col < j->n; col++) {
                unsigned slot = (s->next_slot + (r / k_geo.dm) * nt + col / k_geo.dn) % k_geo.res_tiles;
                fprintf(s->fp, "E %u %u %u %08x\n", s->next_job, slot, (r % k_geo.dm) * k_geo.dn + col % k_geo.dn,
                        (uint32_t)c[(size_t)r * j->n + col]);
            }
        fprintf(s->fp, "O %u %d\n", s->next_job, ovf);
        s->next_slot = (s->next_slot + mt * nt) % k_geo.res_tiles;
        s->next_job++;
        free(c);
        rtl_gemm_free(&s->g[i]);
    }
    s->n = s->a_used = s->b_used = 0;
}

int main(int argc, char **argv)
{
    uint64_t seed = 1;
    const char *out = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--seed") && i + 1 < argc) {
            char *end;
            seed = strtoull(argv[++i], &end, 10);
            if (*end) {
                fprintf(stderr, "gen_vectors: --seed: '%s' is not a decimal number\n", argv[i]);
                return 2;
            }
        } else if (!strcmp(argv[i], "--out") && i + 1 < argc) {
            out = argv[++i];
        } else {
            fprintf(stderr, "usage: gen_vectors --seed N --out FILE\n");
            return 2;
        }
    }
    if (!out) {
        fprintf(stderr, "gen_vectors: --out FILE is required\n");
        return 2;
    }
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", out);
    gen_t s;
    memset(&s, 0, sizeof s);
    s.fp = fopen(tmp, "w");
    if (!s.fp) {
        fprintf(stderr, "gen_vectors: cannot write %s\n", tmp);
        return 1;
    }
    rtl_rng_seed(&s.rng, seed ^ 0x1ca7);
    fprintf(s.fp, "G %u %u %u\n", k_geo.dm, k_geo.dn, k_geo.dk);
    /* 1: ragged shapes, one job each (cycles checked in isolation). */
    add(&s, 9, 10, 65, 8, 8, true, true, RTL_FILL_RANDOM, RTL_FILL_RANDOM);
    flush(&s);
    add(&s, 1, 1, 1, 3, 5, false, true, RTL_FILL_RANDOM, RTL_FILL_RANDOM);
    flush(&s);
    add(&s, 17, 3, 130, 2, 3, true, false, RTL_FILL_RANDOM, RTL_FILL_RANDOM);
    flush(&s);
    /* 2: back-to-back precision switches, all four signedness combinations. */
    static const unsigned prec[][4] = {{8, 8, 1, 1}, {4, 4, 0, 0}, {2, 2, 1, 0}, {1, 16, 0, 1},
                                       {16, 1, 1, 1}, {5, 3, 0, 0}};
    for (unsigned p = 0; p < 6; p++)
        add(&s, rtl_rng_range(&s.rng, 1, 12), rtl_rng_range(&s.rng, 1, 12), rtl_rng_range(&s.rng, 1, 80),
            prec[p][0], prec[p][1], prec[p][2], prec[p][3], RTL_FILL_RANDOM, RTL_FILL_RANDOM);
    flush(&s);
    /* 3: extremes: most negative x most negative, all ones; saturation at 16/16 (5 * 2^30 > INT32_MAX). */
    add(&s, 3, 4, 70, 16, 16, true, true, RTL_FILL_MOST_NEG, RTL_FILL_MOST_NEG);
    add(&s, 4, 3, 33, 7, 9, true, false, RTL_FILL_ALL_ONES, RTL_FILL_EXTREME);
    add(&s, 2, 2, 40, 1, 1, true, true, RTL_FILL_ALL_ONES, RTL_FILL_ALL_ONES);
    flush(&s);
    add(&s, 2, 3, 5, 16, 16, true, true, RTL_FILL_MOST_NEG, RTL_FILL_MOST_NEG);
    flush(&s);
    fprintf(s.fp, "Q\n");
    if (fclose(s.fp) != 0 || rename(tmp, out) != 0) {
        fprintf(stderr, "gen_vectors: cannot write %s\n", out);
        return 1;
    }
    printf("gen_vectors: %u jobs, seed %" PRIu64 ", written to %s\n", s.next_job, seed, out);
    return 0;
}
