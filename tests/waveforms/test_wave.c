/* Tests of the trace readers and the precision-switch extractor.
 *
 * The fixture (tests/waveforms/wave_fixture.sv) replays a job table; the expected
 * switches here are derived from an independent copy of that table and the fixture's
 * timing rules, never from the extractor's own output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "wave_switch.h"
#include "wave_trace.h"

static const char *g_dir; /* build/waveforms */

typedef struct fixture_job {
    unsigned id, wbits, abits;
    bool wsigned, asigned;
    unsigned gap; /* stall cycles before the first pass */
} fixture_job_t;

/* Copy of the fixture's table: passes = wbits*abits, gap cycles with mem_stall = 1. */
static const fixture_job_t fixture_jobs[] = {
    {1, 8, 8, false, false, 2}, {2, 3, 3, false, false, 0}, {3, 5, 5, false, false, 0},
    {4, 5, 5, false, false, 0}, {5, 8, 8, true, false, 3},  {6, 4, 2, true, true, 0},
    {7, 4, 2, true, false, 1},  {8, 4, 2, true, false, 0},
};
#define NJOBS (sizeof fixture_jobs / sizeof fixture_jobs[0])
/* Clock edges at 5 + 10k ns; cycle k is the period ended by edge k, so cycle 3 is
 * [25, 35) ns, where the testbench releases reset (26 ns). The fixture then waits
 * gap[0] cycles; mem_stall is high from cycle 0 until the first pass. */
#define RESET_RELEASE_CYCLE 3u

typedef struct expect {
    uint64_t cycle;
    unsigned old_job, new_job;
    const fixture_job_t *old, *new_;
    int64_t idle;
    int64_t stalls;
} expect_t;

static bool stall_cycle(uint64_t c, const uint64_t *start)
{
    if (c < start[0])
        return true;
    for (size_t j = 1; j < NJOBS; j++)
        if (c < start[j] && c + fixture_jobs[j].gap >= start[j])
            return true;
    return false;
}

static size_t expected_switches(unsigned window, expect_t *out)
{
    uint64_t start[NJOBS];
    start[0] = RESET_RELEASE_CYCLE + fixture_jobs[0].gap;
    for (size_t j = 1; j < NJOBS; j++)
        start[j] = start[j - 1] + (uint64_t)fixture_jobs[j - 1].wbits * fixture_jobs[j - 1].abits +
                   fixture_jobs[j].gap;
    size_t n = 0;
    for (size_t j = 1; j < NJOBS; j++) {
        const fixture_job_t *a = &fixture_jobs[j - 1], *b = &fixture_jobs[j];
        if (a->wbits == b->wbits && a->abits == b->abits && a->wsigned == b->wsigned && a->asigned == b->asigned)
            continue;
        int64_t stalls = 0;
        for (uint64_t c = start[j] > window ? start[j] - window : 0; c <= start[j] + window; c++)
            stalls += stall_cycle(c, start);
        out[n++] = (expect_t){start[j], a->id, b->id, a, b, b->gap, stalls};
    }
    return n;
}

static void check_against_table(const char *path, const char *scope, unsigned window)
{
    wave_switch_opts_t o = {.scope = scope, .window = window};
    wave_switch_result_t r;
    char err[512] = "";
    int rc = wave_switches_file(path, &o, &r, err, sizeof err);
    if (rc)
        print_error("%s\n", err);
    assert_int_equal(rc, 0);
    expect_t e[NJOBS];
    size_t n = expected_switches(window, e);
    assert_int_equal(n, 5); /* the table has five switches; guards the expectation itself */
    assert_int_equal(r.nsw, n);
    assert_int_equal(r.jobs, NJOBS);
    assert_true(r.has_stall);
    for (size_t i = 0; i < n; i++) {
        const wave_switch_t *s = &r.sw[i];
        assert_int_equal(s->cycle, e[i].cycle);
        assert_int_equal(s->old_job_id, e[i].old_job);
        assert_int_equal(s->new_job_id, e[i].new_job);
        assert_int_equal(s->old_prec.wbits, e[i].old->wbits);
        assert_int_equal(s->old_prec.abits, e[i].old->abits);
        assert_int_equal(s->old_prec.wsigned, e[i].old->wsigned);
        assert_int_equal(s->old_prec.asigned, e[i].old->asigned);
        assert_int_equal(s->new_prec.wbits, e[i].new_->wbits);
        assert_int_equal(s->new_prec.abits, e[i].new_->abits);
        assert_int_equal(s->new_prec.wsigned, e[i].new_->wsigned);
        assert_int_equal(s->new_prec.asigned, e[i].new_->asigned);
        assert_int_equal(s->idle_cycles, e[i].idle);
        assert_int_equal(s->stall_cycles, e[i].stalls);
        /* time = the edge that starts the cycle: phase + (cycle - 1) * period */
        assert_int_equal(s->time, r.phase + (s->cycle - 1) * r.period);
    }
    assert_int_equal(r.period, 10000); /* 10 ns clock at 1 ps resolution */
    wave_switch_result_free(&r);
}

static char *fixture_path(const char *ext)
{
    static char buf[2][1024];
    char *b = buf[ext[0] == 'f'];
    snprintf(b, sizeof buf[0], "%s/fixture/fixture.%s", g_dir, ext);
    return b;
}

static void test_fixture_fst(void **state)
{
    (void)state;
    check_against_table(fixture_path("fst"), "dut", 16);
    check_against_table(fixture_path("fst"), "wave_fixture_tb.dut", 0);
}

static void test_fixture_vcd(void **state)
{
    (void)state;
    check_against_table(fixture_path("vcd"), "dut", 16);
    check_against_table(fixture_path("vcd"), "dut", 3);
}

/* Without --scope, the only scope holding every exec_* signal is chosen. */
static void test_scope_auto_and_bad(void **state)
{
    (void)state;
    check_against_table(fixture_path("fst"), NULL, 5);
    wave_switch_opts_t o = {.scope = "nosuch", .window = 4};
    wave_switch_result_t r;
    char err[512] = "";
    assert_int_equal(wave_switches_file(fixture_path("vcd"), &o, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "--scope nosuch"));
    o = (wave_switch_opts_t){.scope = "dut", .clock = "nosuch_clk"};
    assert_int_equal(wave_switches_file(fixture_path("vcd"), &o, &r, err, sizeof err), -1);
    assert_non_null(strstr(err, "nosuch_clk"));
}

/* ---- damaged files ----------------------------------------------------------- */

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    fseek(fp, 0, SEEK_END);
    long n = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = malloc((size_t)n + 1);
    assert_non_null(buf);
    assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
    fclose(fp);
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static const char *write_tmp(const char *name, const void *data, size_t len)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/tmp_%s", g_dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    if (len)
        assert_int_equal(fwrite(data, 1, len, fp), len);
    fclose(fp);
    return path;
}

static void expect_load_error(const char *path, const char *needle)
{
    wave_switch_opts_t o = {.window = 4};
    wave_switch_result_t r;
    char err[512] = "";
    int rc = wave_switches_file(path, &o, &r, err, sizeof err);
    if (rc == 0 || !strstr(err, needle))
        print_error("%s: rc=%d err='%s' (wanted '%s')\n", path, rc, err, needle);
    assert_int_equal(rc, -1);
    assert_non_null(strstr(err, needle));
    assert_non_null(strstr(err, path)); /* the message names the file */
}

static void test_fst_truncated(void **state)
{
    (void)state;
    size_t len;
    char *buf = read_all(fixture_path("fst"), &len);
    const size_t cuts[] = {1, 8, 9, 100, 328, 329, 330, 400, len / 2, len - 10, len - 1};
    for (size_t i = 0; i < sizeof cuts / sizeof cuts[0]; i++) {
        const char *p = write_tmp("trunc.fst", buf, cuts[i]);
        expect_load_error(p, cuts[i] < 9 ? "truncated FST" : "FST");
        char err[512] = "";
        wave_switch_opts_t o = {.window = 4};
        wave_switch_result_t r;
        assert_int_equal(wave_switches_file(p, &o, &r, err, sizeof err), -1);
        assert_true(strstr(err, "truncated") || strstr(err, "incomplete"));
    }
    free(buf);
}

static void test_fst_corrupt(void **state)
{
    (void)state;
    size_t len;
    char *buf = read_all(fixture_path("fst"), &len);
    /* A block type that does not exist. */
    char *bad = malloc(len);
    assert_non_null(bad);
    memcpy(bad, buf, len);
    bad[330] = 0x42;
    expect_load_error(write_tmp("badtype.fst", bad, len), "corrupt FST");
    /* A block length pointing past the end. */
    memcpy(bad, buf, len);
    bad[331] = 0x7f;
    expect_load_error(write_tmp("badlen.fst", bad, len), "truncated FST");
    /* Zeroed tail: the hierarchy block's compressed data is garbage; fstapi must
     * not hang or crash the tool (it runs isolated under a watchdog). */
    memcpy(bad, buf, len);
    memset(bad + len - 100, 0, 100);
    expect_load_error(write_tmp("badhier.fst", bad, len), "FST");
    free(bad);
    free(buf);
}

static void test_vcd_damaged(void **state)
{
    (void)state;
    size_t len;
    char *buf = read_all(fixture_path("vcd"), &len);
    /* Header cut: no $enddefinitions. */
    const char *hdr_end = strstr(buf, "$enddefinitions");
    assert_non_null(hdr_end);
    expect_load_error(write_tmp("hdr.vcd", buf, (size_t)(hdr_end - buf) - 3), "truncated");
    /* Cut in the middle of a value-change line. */
    size_t cut = len / 2;
    while (buf[cut] == '\n' || buf[cut - 1] == '\n')
        cut++;
    expect_load_error(write_tmp("mid.vcd", buf, cut), "truncated");
    /* Cut right after a vector value, before its identifier. */
    const char *vec = strstr(hdr_end, "\nb");
    assert_non_null(vec);
    const char *sp = strchr(vec + 1, ' ');
    assert_non_null(sp);
    expect_load_error(write_tmp("vec.vcd", buf, (size_t)(sp - buf) + 1), "truncated");
    free(buf);

    static const char garbage[] = "$timescale 1ps $end\n$scope module t $end\n$var wire 1 ! clk $end\n"
                                  "$upscope $end\n$enddefinitions $end\n#0\n0!\n#5\n1!\n@@@\n";
    expect_load_error(write_tmp("garbage.vcd", garbage, sizeof garbage - 1), ":10:");
    static const char undeclared[] = "$timescale 1ps $end\n$scope module t $end\n$var wire 1 ! clk $end\n"
                                     "$upscope $end\n$enddefinitions $end\n#0\n0!\n1?\n";
    expect_load_error(write_tmp("undecl.vcd", undeclared, sizeof undeclared - 1), "undeclared identifier '?'");
    static const char backwards[] = "$timescale 1ps $end\n$scope module t $end\n$var wire 1 ! clk $end\n"
                                    "$upscope $end\n$enddefinitions $end\n#10\n0!\n#5\n1!\n";
    expect_load_error(write_tmp("back.vcd", backwards, sizeof backwards - 1), "time goes backwards");
    static const char badts[] = "$timescale 7 ps $end\n$enddefinitions $end\n";
    expect_load_error(write_tmp("ts.vcd", badts, sizeof badts - 1), "bad $timescale");
}

static void test_not_a_trace(void **state)
{
    (void)state;
    expect_load_error(write_tmp("empty.fst", "", 0), "empty file");
    expect_load_error(write_tmp("text.txt", "hello world\n", 12), "not an FST or VCD");
    char missing[1024];
    snprintf(missing, sizeof missing, "%s/no/such/file.fst", g_dir);
    expect_load_error(missing, "No such file");
}

/* ---- hand-written VCD: windowed trace, x values, unknown idle --------------- */

/* A window that opens in the middle of job 7 (no job start seen for it), then job 8 at
 * another precision after 2 idle cycles, then job 9 whose old job's compute is known. */
static const char window_vcd[] =
    "$timescale 1ns $end\n"
    "$scope module TOP $end\n$scope module bitcycle_top $end\n"
    "$var wire 1 c clk_i $end\n$var wire 8 j exec_job_id [7:0] $end\n"
    "$var wire 5 w exec_wbits [4:0] $end\n$var wire 5 a exec_abits [4:0] $end\n"
    "$var wire 1 s exec_wsigned $end\n$var wire 1 t exec_asigned $end\n"
    "$var wire 1 p exec_compute $end\n$var wire 1 q exec_job_start $end\n"
    "$var wire 1 m mem_stall $end\n"
    "$upscope $end\n$upscope $end\n$enddefinitions $end\n"
    /* edges at 5, 15, 25, ...: cycle k = [10k - 5, 10k + 5); values change at edges */
    "#0\n$dumpvars\n0c\nb111 j\nb110 w\nb101 a\n1s\n0t\n1p\n0q\nxm\n$end\n"
    "#5\n1c\n#10\n0c\n"                      /* edge at 5: phase 5 */
    "#15\n1c\n#20\n0c\n"
    "#25\n1c\n0p\n1m\n#30\n0c\n"             /* cycles 3,4 idle with stall */
    "#35\n1c\n#40\n0c\n"
    "#45\n1c\n1p\n1q\nb1000 j\nb11 w\nb11 a\n0s\n0m\n#50\n0c\n" /* cycle 5: job 8 starts at 3u/3u */
    "#55\n1c\n0q\n#60\n0c\n"
    "#65\n1c\n1q\nb1001 j\nb10 a\n#70\n0c\n" /* cycle 7: job 9 at 3u/2u, no idle */
    "#75\n1c\n0q\n#80\n0c\n#85\n1c\n#90\n0c\n";

static void test_window_vcd(void **state)
{
    (void)state;
    const char *p = write_tmp("window.vcd", window_vcd, sizeof window_vcd - 1);
    wave_switch_opts_t o = {.window = 1};
    wave_switch_result_t r;
    char err[512] = "";
    int rc = wave_switches_file(p, &o, &r, err, sizeof err);
    if (rc)
        print_error("%s\n", err);
    assert_int_equal(rc, 0);
    assert_string_equal(r.scope, "TOP.bitcycle_top");
    assert_string_equal(r.timescale, "1ns");
    assert_int_equal(r.period, 10);
    assert_int_equal(r.phase, 5);
    assert_int_equal(r.nsw, 2);
    /* job 7 (6s/5u, seen only by its compute cycles) -> job 8 (3u/3u) */
    assert_int_equal(r.sw[0].cycle, 5);
    assert_int_equal(r.sw[0].time, 45);
    assert_int_equal(r.sw[0].old_job_id, 7);
    assert_int_equal(r.sw[0].new_job_id, 8);
    assert_int_equal(r.sw[0].old_prec.wbits, 6);
    assert_int_equal(r.sw[0].old_prec.abits, 5);
    assert_true(r.sw[0].old_prec.wsigned);
    assert_int_equal(r.sw[0].new_prec.wbits, 3);
    assert_false(r.sw[0].new_prec.wsigned);
    assert_int_equal(r.sw[0].idle_cycles, 2);
    assert_int_equal(r.sw[0].stall_cycles, 1); /* cycles 4..6: only 4 stalls (x reads as 0) */
    assert_int_equal(r.sw[1].cycle, 7);
    assert_int_equal(r.sw[1].new_prec.abits, 2);
    assert_int_equal(r.sw[1].idle_cycles, 0);
    assert_int_equal(r.jobs, 2);
    wave_switch_result_free(&r);
}

/* A trigger-windowed trace: the clock stops being dumped between windows. The idle
 * count of a switch right after a gap is unknown (-1), not measured across the gap. */
static const char gap_vcd[] =
    "$timescale 1ns $end\n"
    "$scope module bitcycle_top $end\n"
    "$var wire 1 c clk_i $end\n$var wire 8 j exec_job_id $end\n"
    "$var wire 5 w exec_wbits $end\n$var wire 5 a exec_abits $end\n"
    "$var wire 1 s exec_wsigned $end\n$var wire 1 t exec_asigned $end\n"
    "$var wire 1 p exec_compute $end\n$var wire 1 q exec_job_start $end\n"
    "$upscope $end\n$enddefinitions $end\n"
    "#0\n0c\nb1 j\nb1000 w\nb1000 a\n0s\n0t\n1p\n0q\n"
    "#5\n1c\n#10\n0c\n#15\n1c\n#20\n0c\n#25\n1c\n0p\n#30\n0c\n"
    /* dump resumes at cycle 21: job 2 at 4u/4u starts at once */
    "#205\n1c\n1p\n1q\nb10 j\nb100 w\nb100 a\n#210\n0c\n#215\n1c\n0q\n#220\n0c\n#225\n1c\n#230\n0c\n";

static void test_gap_vcd(void **state)
{
    (void)state;
    const char *p = write_tmp("gap.vcd", gap_vcd, sizeof gap_vcd - 1);
    wave_switch_opts_t o = {.window = 2};
    wave_switch_result_t r;
    char err[512] = "";
    int rc = wave_switches_file(p, &o, &r, err, sizeof err);
    if (rc)
        print_error("%s\n", err);
    assert_int_equal(rc, 0);
    assert_int_equal(r.nsw, 1);
    assert_int_equal(r.sw[0].cycle, 21);
    assert_int_equal(r.sw[0].old_prec.wbits, 8);
    assert_int_equal(r.sw[0].new_prec.wbits, 4);
    assert_int_equal(r.sw[0].idle_cycles, -1);
    assert_int_equal(r.sw[0].stall_cycles, -1); /* no mem_stall in this trace */
    assert_false(r.has_stall);
    wave_switch_result_free(&r);
}

/* ---- small helpers ----------------------------------------------------------- */

static void test_bits_and_lookup(void **state)
{
    (void)state;
    uint64_t v, x;
    wave_parse_bits("1010", 4, &v, &x);
    assert_int_equal(v, 10);
    assert_int_equal(x, 0);
    wave_parse_bits("1x0z", 4, &v, &x);
    assert_int_equal(v, 8);
    assert_int_equal(x, 5);
    char name[] = "exec_wbits [4:0]";
    wave_strip_range(name);
    assert_string_equal(name, "exec_wbits");

    wave_signal_t s = {0};
    assert_true(wave_push(&s, 10, 1, 0));
    assert_true(wave_push(&s, 20, 2, 0));
    assert_true(wave_push(&s, 20, 3, 0)); /* same time replaces */
    assert_int_equal(s.n, 2);
    size_t cur = 0;
    assert_false(wave_value_before(&s, 10, &cur, &v, &x));
    assert_true(wave_value_before(&s, 11, &cur, &v, &x));
    assert_int_equal(v, 1);
    assert_true(wave_value_before(&s, 20, &cur, &v, &x));
    assert_int_equal(v, 1);
    assert_true(wave_value_before(&s, 21, &cur, &v, &x));
    assert_int_equal(v, 3);
    assert_true(wave_value_before(&s, 15, &cur, &v, &x)); /* going backwards rewinds */
    assert_int_equal(v, 1);
    free(s.ch);

    wave_trace_t t = {.timescale_exp = -12, .timescale_mul = 1};
    char buf[16];
    wave_timescale_str(&t, buf, sizeof buf);
    assert_string_equal(buf, "1ps");
    t.timescale_exp = -11;
    wave_timescale_str(&t, buf, sizeof buf);
    assert_string_equal(buf, "10ps");
    t.timescale_exp = -9;
    t.timescale_mul = 100;
    wave_timescale_str(&t, buf, sizeof buf);
    assert_string_equal(buf, "100ns");
}

int main(int argc, char **argv)
{
    g_dir = argc > 1 ? argv[1] : "build/waveforms";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bits_and_lookup), cmocka_unit_test(test_fixture_fst),
        cmocka_unit_test(test_fixture_vcd),     cmocka_unit_test(test_scope_auto_and_bad),
        cmocka_unit_test(test_window_vcd),      cmocka_unit_test(test_gap_vcd),      cmocka_unit_test(test_fst_truncated),
        cmocka_unit_test(test_fst_corrupt),     cmocka_unit_test(test_vcd_damaged),
        cmocka_unit_test(test_not_a_trace),
    };
    return cmocka_run_group_tests_name("waveforms-extractor", tests, NULL, NULL);
}
