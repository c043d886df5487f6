/* Schedule engine against vectors from tests/firmware/gen_sched_vectors.py
 * (an independent Python implementation of the documented formulas). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bc_schedule.h"
#include "fw_tests.h"

typedef struct {
    char spec[32];
    uint64_t iters;
    unsigned cycles;
    unsigned n;
    unsigned vals[256];
} vec_t;

static vec_t vecs[64];
static unsigned nvecs;
typedef struct {
    char spec[32];
    uint64_t iters;
    unsigned cycles;
    uint64_t t;
    unsigned bits;
} tie_t;
static tie_t ties[128];
static unsigned nties;

static int load_vectors(void **state)
{
    (void)state;
    FILE *fp = fopen(fw_sched_vectors_path, "r");
    if (!fp) {
        fprintf(stderr, "cannot open %s\n", fw_sched_vectors_path);
        return -1;
    }
    char line[4096];
    nvecs = nties = 0;
    while (fgets(line, sizeof line, fp)) {
        if (!strncmp(line, "tie ", 4)) {
            tie_t *t = &ties[nties];
            unsigned long long it, tt;
            if (nties >= 128 || sscanf(line + 4, "%31s %llu %u %llu %u", t->spec, &it, &t->cycles, &tt, &t->bits) != 5)
                return -1;
            t->iters = it;
            t->t = tt;
            nties++;
            continue;
        }
        vec_t *v = &vecs[nvecs];
        unsigned long long it;
        int used = 0;
        if (nvecs >= 64 || sscanf(line, "%31s %llu %u :%n", v->spec, &it, &v->cycles, &used) != 3 || !used)
            return -1;
        v->iters = it;
        char *p = line + used, *end;
        v->n = 0;
        for (;;) {
            unsigned long b = strtoul(p, &end, 10);
            if (end == p)
                break;
            if (v->n >= 256)
                return -1;
            v->vals[v->n++] = (unsigned)b;
            p = end;
        }
        nvecs++;
    }
    fclose(fp);
    return nvecs >= 10 && nties >= 10 ? 0 : -1;
}

static void test_vectors_match(void **state)
{
    (void)state;
    unsigned checked = 0;
    for (unsigned i = 0; i < nvecs; i++) {
        bc_sched_t s;
        char err[256];
        assert_int_equal(bc_sched_parse(vecs[i].spec, &s, err, sizeof err), 0);
        for (unsigned t = 0; t < vecs[i].n; t++) {
            unsigned got = bc_sched_bits(&s, t, vecs[i].iters, vecs[i].cycles);
            if (got != vecs[i].vals[t])
                fail_msg("%s iters=%llu cycles=%u t=%u: got %u, reference %u", vecs[i].spec,
                         (unsigned long long)vecs[i].iters, vecs[i].cycles, t, got, vecs[i].vals[t]);
            checked++;
        }
    }
    assert_true(checked > 500);
}

static void test_tie_cases(void **state)
{
    (void)state;
    for (unsigned i = 0; i < nties; i++) {
        bc_sched_t s;
        assert_int_equal(bc_sched_parse(ties[i].spec, &s, NULL, 0), 0);
        unsigned got = bc_sched_bits(&s, ties[i].t, ties[i].iters, ties[i].cycles);
        if (got != ties[i].bits)
            fail_msg("tie %s t=%llu: got %u, reference %u", ties[i].spec, (unsigned long long)ties[i].t, got,
                     ties[i].bits);
    }
}

static void test_rint_half_even(void **state)
{
    (void)state;
    static const double in[] = {0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 7.5, -0.5, -1.5, -2.5, 2.4999999999999996, 2.5000000000000004, 3.0, 0.0};
    static const double want[] = {0, 2, 2, 4, 4, 6, 8, 0, -2, -2, 2, 3, 3, 0};
    for (size_t i = 0; i < sizeof in / sizeof in[0]; i++)
        if (bc_sched_rint(in[i]) != want[i])
            fail_msg("rint(%.17g) = %.17g, want %g", in[i], bc_sched_rint(in[i]), want[i]);
}

/* Closed-form spot checks from the paper's formula, by hand. */
static void test_cpt_hand_values(void **state)
{
    (void)state;
    bc_sched_t s;
    assert_int_equal(bc_sched_parse("cpt:3-8", &s, NULL, 0), 0);
    assert_int_equal(s.family, BC_SCHED_COS);
    /* paper defaults: 64000 iterations, 32 cycles -> T = 2000 */
    assert_int_equal(bc_sched_bits(&s, 0, 64000, 32), 3);     /* start of a cycle: Bmin */
    assert_int_equal(bc_sched_bits(&s, 1999, 64000, 32), 8);  /* end of a cycle: Bmax */
    assert_int_equal(bc_sched_bits(&s, 2000, 64000, 32), 3);  /* next cycle restarts */
    assert_int_equal(bc_sched_bits(&s, 63999, 64000, 32), 8);
    /* remainder keeps cycling: 10 iters, 3 cycles -> T = 3, t = 9 is t mod 3 = 0 */
    assert_int_equal(bc_sched_bits(&s, 9, 10, 3), 3);
    bc_sched_t st = bc_sched_static(8);
    assert_int_equal(bc_sched_bits(&st, 12345, 64000, 32), 8);
}

static void expect_parse_error(const char *spec, const char *must_contain)
{
    bc_sched_t s;
    char err[256] = "";
    if (bc_sched_parse(spec, &s, err, sizeof err) != -1)
        fail_msg("spec '%s' accepted", spec);
    if (!strstr(err, must_contain))
        fail_msg("spec '%s': message '%s' lacks '%s'", spec, err, must_contain);
    if (*spec && !strstr(err, spec))
        fail_msg("spec '%s': message '%s' does not name the spec", spec, err);
}

static void test_parse_errors(void **state)
{
    (void)state;
    expect_parse_error("", "empty");
    expect_parse_error("cpt", "missing ':'");
    expect_parse_error("bogus:3-8", "unknown family 'bogus'");
    expect_parse_error("cpt:3", "position 6");
    expect_parse_error("cpt:3-", "position 7");
    expect_parse_error("cpt:8-3", "must not exceed");
    expect_parse_error("cpt:0-8", "out of range");
    expect_parse_error("cpt:3-17", "out of range");
    expect_parse_error("static:8x", "unexpected 'x' at position 9");
    expect_parse_error("static:-1", "position 8");
    expect_parse_error("lin:3-8-9", "position 8");
    expect_parse_error("static:99999999999999999999", "out of range");
    expect_parse_error("cpt: 3-8", "position 5");
}

static void test_parse_all_families(void **state)
{
    (void)state;
    static const struct {
        const char *spec;
        bc_sched_family_t fam;
        unsigned lo, hi;
        const char *canon;
    } ok[] = {
        {"static:8", BC_SCHED_STATIC, 8, 8, "static:8"},  {"cpt:3-8", BC_SCHED_COS, 3, 8, "cpt:3-8"},
        {"cos:2-6", BC_SCHED_COS, 2, 6, "cpt:2-6"},        {"cos-rep:2-6", BC_SCHED_COS, 2, 6, "cpt:2-6"},
        {"cos-tri:3-8", BC_SCHED_COS_TRI, 3, 8, "cos-tri:3-8"}, {"lin:1-16", BC_SCHED_LIN, 1, 16, "lin:1-16"},
        {"lin-tri:4-8", BC_SCHED_LIN_TRI, 4, 8, "lin-tri:4-8"}, {"exp:3-8", BC_SCHED_EXP, 3, 8, "exp:3-8"},
        {"exp-tri:3-8", BC_SCHED_EXP_TRI, 3, 8, "exp-tri:3-8"}, {"prog:3-8", BC_SCHED_PROG, 3, 8, "prog:3-8"},
        {"cpt:8-8", BC_SCHED_COS, 8, 8, "cpt:8-8"},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        bc_sched_t s;
        char err[200], buf[64];
        if (bc_sched_parse(ok[i].spec, &s, err, sizeof err))
            fail_msg("'%s' rejected: %s", ok[i].spec, err);
        assert_int_equal(s.family, ok[i].fam);
        assert_int_equal(s.lo, ok[i].lo);
        assert_int_equal(s.hi, ok[i].hi);
        bc_sched_format(&s, buf, sizeof buf);
        assert_string_equal(buf, ok[i].canon);
    }
}

/* Summary counts and BitOPs factor recomputed from the reference vector. */
static void test_summary_from_vectors(void **state)
{
    (void)state;
    for (unsigned i = 0; i < nvecs; i++) {
        if (vecs[i].iters > vecs[i].n)
            continue;
        bc_sched_t fw, bw = bc_sched_static(8);
        assert_int_equal(bc_sched_parse(vecs[i].spec, &fw, NULL, 0), 0);
        bc_sched_summary_t sum;
        bc_sched_summarize(&fw, &bw, vecs[i].iters, vecs[i].cycles, fw.hi, 8, &sum);
        uint64_t cnt[17] = {0}, ops = 0, sw = 0, bits = 0;
        for (unsigned t = 0; t < vecs[i].iters; t++) {
            unsigned b = vecs[i].vals[t];
            cnt[b]++;
            bits += b;
            ops += (uint64_t)b * b + 2u * b * 8u;
            if (t && b != vecs[i].vals[t - 1])
                sw++;
        }
        for (unsigned b = 0; b <= 16; b++)
            assert_int_equal(sum.fw_iters_at[b], cnt[b]);
        assert_int_equal(sum.bw_iters_at[8], vecs[i].iters);
        assert_int_equal(sum.switches, sw);
        assert_true(sum.mean_fw_bits == (double)bits / (double)vecs[i].iters);
        double want = (double)ops / ((double)vecs[i].iters * (double)(fw.hi * fw.hi + 2u * fw.hi * 8u));
        assert_true(sum.bitops_factor == want);
    }
    assert_int_equal(bc_sched_bitops_factor(8, 8), 192);
    assert_int_equal(bc_sched_bitops_factor(3, 8), 57);
}

static void test_prog_only_rises(void **state)
{
    (void)state;
    bc_sched_t s;
    assert_int_equal(bc_sched_parse("prog:2-9", &s, NULL, 0), 0);
    unsigned prev = 0;
    for (uint64_t t = 0; t < 1000; t++) {
        unsigned b = bc_sched_bits(&s, t, 1000, 7);
        assert_true(b >= prev);
        prev = b;
    }
    assert_int_equal(prev, 9);
    assert_int_equal(bc_sched_bits(&s, 5000, 1000, 7), 9); /* past the end stays at HI */
}

int fw_run_schedule_tests(unsigned *ntests)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vectors_match),     cmocka_unit_test(test_tie_cases),
        cmocka_unit_test(test_rint_half_even),    cmocka_unit_test(test_cpt_hand_values),
        cmocka_unit_test(test_parse_errors),      cmocka_unit_test(test_parse_all_families),
        cmocka_unit_test(test_summary_from_vectors), cmocka_unit_test(test_prog_only_rises),
    };
    *ntests += (unsigned)(sizeof tests / sizeof tests[0]);
    return cmocka_run_group_tests_name("schedule", tests, load_vectors, NULL);
}
