/* Generated tables of the docs: writes (or, with --check, compares) the text
 * between "<!-- gen:NAME begin -->" and "<!-- gen:NAME end -->" markers in
 * the files it is given, from the estimator itself. `make docs` runs it;
 * `make test-docs-gen` fails when a table is stale.
 *
 * usage: est_gen_docs [--check] FILE... */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "est.h"
#include "est_run.h"

/* One configuration of the mapped table: a row is one line. Fields that a
 * later timing model adds (AXI width, write-back width) become columns. */
typedef struct config_row {
    const char *model, *schedule, *baseline;
    unsigned grad_bits, dm, dn, dk;
    const char *dram;
} config_row_t;

static const config_row_t memory_rows[] = {
    {"cpt-resnet74", "cpt:3-8", "static:8", 8, 8, 8, 64, "ddr3"},
    {"cpt-resnet74", "cpt:3-8", "static:8", 8, 8, 8, 64, "ddr4"},
    {"cpt-resnet74", "cpt:3-8", "static:8", 8, 8, 8, 64, "lpddr4"},
    {"cpt-resnet74", "cpt:3-8", "static:8", 8, 8, 8, 64, "hbm2"},
    {"cpt-resnet74", "cpt:3-8", "static:8", 8, 16, 16, 64, "ddr3"},
    {"cpt-resnet74", "cpt:3-8", "static:8", 8, 16, 16, 64, "hbm2"},
    {"cpt-resnet74", "cpt:3-8", "static:8", 8, 32, 32, 64, "ddr3"},
    {"cpt-resnet74", "cpt:3-8", "static:8", 8, 8, 8, 128, "ddr3"},
    {"resnet18", "cpt:4-8", "static:8", 8, 8, 8, 64, "ddr3"},
    {"resnet18", "cpt:4-8", "static:8", 8, 8, 8, 64, "hbm2"},
    {"resnet18", "cpt:4-8", "static:8", 8, 16, 16, 64, "ddr3"},
    {"resnet18", "cpt:4-8", "static:8", 8, 32, 32, 64, "ddr3"},
    {"resnet18", "cpt:4-8", "static:8", 8, 32, 32, 64, "hbm2"},
};

typedef struct answer {
    double s_bitops, s_cycles, s_energy, base_j, base_dram_wr_share, base_dram_share;
    bool default_hw;
} answer_t;

static bool estimate(const config_row_t *r, answer_t *a, char *err, size_t errlen)
{
    est_model_t m;
    if (!est_zoo_build(r->model, 0, &m, err, errlen))
        return false;
    est_run_ctx_t *ctx = calloc(1, sizeof *ctx);
    bool ok = ctx != NULL;
    bc_sched_t fw, bw = bc_sched_static(r->grad_bits), bfw;
    est_run_t run = {0}, base = {0};
    if (ok) {
        ctx->model = &m;
        bc_hw_default(&ctx->hw);
        ctx->hw.dm = r->dm;
        ctx->hw.dn = r->dn;
        ctx->hw.dk = r->dk;
        bc_calib_default(&ctx->cal); /* fitted on the RTL at the default configuration */
        est_energy_for_hw(&ctx->energy, &ctx->hw, est_dram_find(r->dram));
        ctx->batch = 128;
        ctx->iters = 64000;
        ctx->iters_per_epoch = 391;
        ctx->cycles = 32;
        ok = !bc_sched_parse(r->schedule, &fw, err, errlen) && !bc_sched_parse(r->baseline, &bfw, err, errlen) &&
             est_run(ctx, &fw, &bw, &run, err, errlen) && est_run(ctx, &bfw, &bw, &base, err, errlen);
    }
    if (ok) {
        const est_epoch_t *rt = &run.total, *bt = &base.total;
        a->s_bitops = 1 - rt->bitops / bt->bitops;
        a->s_cycles = 1 - (double)rt->ev.cycles / (double)bt->ev.cycles;
        a->s_energy = 1 - rt->joules.total / bt->joules.total;
        a->base_j = bt->joules.total;
        a->base_dram_share = bt->joules.dram / bt->joules.total;
        a->base_dram_wr_share = bt->joules.dram_wr / bt->joules.total;
        bc_hw_t def;
        bc_hw_default(&def);
        a->default_hw = def.dm == r->dm && def.dn == r->dn && def.dk == r->dk;
    } else if (!ctx) {
        snprintf(err, errlen, "out of memory");
    }
    est_run_free(&run);
    est_run_free(&base);
    free(ctx);
    est_model_free(&m);
    return ok;
}

/* A growing text buffer. */
typedef struct text {
    char *s;
    size_t n, cap;
} text_t;

static void put(text_t *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
#include <stdarg.h>
static void put(text_t *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int len = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (len < 0)
        abort();
    if (t->n + (size_t)len + 1 > t->cap) {
        t->cap = (t->n + (size_t)len + 1) * 2;
        t->s = realloc(t->s, t->cap);
        if (!t->s)
            abort();
    }
    va_start(ap, fmt);
    vsnprintf(t->s + t->n, t->cap - t->n, fmt, ap);
    va_end(ap);
    t->n += (size_t)len;
}

static bool gen_memory_system(text_t *t, char *err, size_t errlen)
{
    put(t, "| model | schedule | array | Dk | DRAM | BitOPs saved | cycles saved | energy saved | baseline energy | "
           "DRAM share of baseline energy (write-back) | calibration |\n|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < sizeof memory_rows / sizeof memory_rows[0]; i++) {
        const config_row_t *r = &memory_rows[i];
        answer_t a;
        if (!estimate(r, &a, err, errlen))
            return false;
        put(t, "| %s | %s/%u vs %s/%u | %ux%u | %u | %s | %.2f %% | %.2f %% | %.2f %% | %.4g J | %.1f %% (%.1f %%) | %s |\n",
            r->model, r->schedule, r->grad_bits, r->baseline, r->grad_bits, r->dm, r->dn, r->dk, r->dram,
            100 * a.s_bitops, 100 * a.s_cycles, 100 * a.s_energy, a.base_j, 100 * a.base_dram_share,
            100 * a.base_dram_wr_share, a.default_hw ? "default (RTL-fitted)" : "default, extrapolated");
    }
    return true;
}

static bool gen_dram_presets(text_t *t, char *err, size_t errlen)
{
    put(t, "| `--dram` | pJ/bit | basis | ResNet-74 (cpt-resnet74) energy saved | baseline energy | DRAM share of "
           "baseline energy |\n|---|---|---|---|---|---|\n");
    for (size_t i = 0; est_dram_presets[i].name; i++) {
        config_row_t r = memory_rows[0];
        r.dram = est_dram_presets[i].name;
        answer_t a;
        if (!estimate(&r, &a, err, errlen))
            return false;
        put(t, "| `%s`%s | %.3g | %s | %.2f %% | %.4g J | %.1f %% |\n", r.dram, i == 0 ? " (default)" : "",
            est_dram_presets[i].pj_per_bit, est_dram_presets[i].source, 100 * a.s_energy, a.base_j,
            100 * a.base_dram_share);
    }
    return true;
}

static bool gen_energy_values(text_t *t, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    bc_hw_t hw;
    bc_hw_default(&hw);
    est_energy_t e;
    est_energy_default(&e);
    put(t, "| entry | default | at 16x16, Dk 128, 4096/8192-word banks |\n|---|---|---|\n");
    bc_hw_t big = hw;
    big.dm = big.dn = 16;
    big.dk = 128;
    big.abuf_words = 4096;
    big.bbuf_words = 8192;
    est_energy_t b;
    est_energy_for_hw(&b, &big, NULL);
    put(t, "| `dpu_and_popcount_pj` | %.4g pJ | %.4g pJ |\n", e.dpu_pj, b.dpu_pj);
    put(t, "| `acc_update_pj` | %.4g pJ | %.4g pJ |\n", e.acc_pj, b.acc_pj);
    put(t, "| `abuf_read_pj`, `abuf_write_pj` | %.4g pJ | %.4g pJ |\n", e.abuf_read_pj, b.abuf_read_pj);
    put(t, "| `bbuf_read_pj`, `bbuf_write_pj` | %.4g pJ | %.4g pJ |\n", e.bbuf_read_pj, b.bbuf_read_pj);
    put(t, "| `dram_byte_pj` | %.4g pJ | %.4g pJ |\n", e.dram_byte_pj, b.dram_byte_pj);
    put(t, "| `ctrl_cycle_pj` | %.4g pJ (%.0f flip-flops) | %.4g pJ (%.0f flip-flops) |\n", e.ctrl_cycle_pj,
        est_flip_flops(&hw), b.ctrl_cycle_pj, est_flip_flops(&big));
    put(t, "| `static_mw` | %.4g mW | %.4g mW |\n", e.static_w * 1e3, b.static_w * 1e3);
    return true;
}

/* pJ per MAC of one compute-bound GEMM, as `bitcycle bench energy` prints. */
static bool gen_energy_per_mac(text_t *t, char *err, size_t errlen)
{
    (void)err;
    (void)errlen;
    bc_hw_t hw;
    bc_calib_t cal;
    est_energy_t e;
    bc_hw_default(&hw);
    bc_calib_default(&cal);
    est_energy_default(&e);
    const uint64_t m = 256, n = 1024, k = 2048;
    static const unsigned bits[] = {1, 2, 4, 8, 16};
    put(t, "| bits (w x a) | cycles | compute pJ/MAC | buffers pJ/MAC | DRAM pJ/MAC | static pJ/MAC | total pJ/MAC |\n"
           "|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++) {
        bc_events_t ev;
        memset(&ev, 0, sizeof ev);
        est_gemm_events(&hw, &cal, m, n, k, bits[i], bits[i], &ev);
        est_joules_t j;
        est_energy_of(&e, &ev, hw.clock_hz, &j);
        double macs = (double)m * n * k, pj = 1e12 / macs;
        put(t, "| %u x %u | %" PRIu64 " | %.3f | %.3f | %.3f | %.3f | %.3f |\n", bits[i], bits[i], ev.cycles,
            j.compute * pj, j.buffers * pj, j.dram * pj, j.stat * pj, j.total * pj);
    }
    return true;
}

/* BitOPs of a whole run through est_run: the schedule engine's factor and period. */
static double run_bitops(const est_model_t *m, const char *fw_spec, unsigned bw_bits, char *err, size_t errlen)
{
    est_run_ctx_t *ctx = calloc(1, sizeof *ctx);
    bc_sched_t fw, bw = bc_sched_static(bw_bits);
    est_run_t r = {0};
    double b = -1;
    if (ctx && !bc_sched_parse(fw_spec, &fw, err, errlen)) {
        ctx->model = m;
        bc_hw_default(&ctx->hw);
        bc_calib_default(&ctx->cal);
        est_energy_default(&ctx->energy);
        ctx->batch = 128;
        ctx->iters = 64000;
        ctx->iters_per_epoch = 391;
        ctx->cycles = 32;
        if (est_run(ctx, &fw, &bw, &r, err, errlen))
            b = r.total.bitops;
    }
    est_run_free(&r);
    free(ctx);
    return b;
}

/* The CPT paper's published training costs against the zoo's networks,
 * 64,000 x 128 samples (the same figures tests/host/test_est.c holds). */
static bool gen_paper_costs(text_t *t, char *err, size_t errlen)
{
    static const struct {
        const char *model, *paper_name;
        unsigned lo, hi, bw;
        double st, cpt;
    } rows[] = {
        {"cpt-resnet38", "ResNet-38", 3, 8, 8, 1.32e8, 0},    {"cpt-resnet74", "ResNet-74", 3, 8, 8, 2.67e8, 0},
        {"cpt-resnet110", "ResNet-110", 3, 8, 8, 4.02e8, 0},  {"cpt-resnet152", "ResNet-152", 3, 8, 8, 5.58e8, 0},
        {"cpt-resnet164", "ResNet-164", 3, 8, 8, 6.05e8, 0},  {"cpt-mobilenetv2", "MobileNetV2", 3, 8, 8, 1.49e8, 0},
        {"resnet18", "ResNet-18", 4, 8, 8, 2.86e9, 1.99e9},   {"resnet18", "ResNet-18", 4, 6, 6, 1.61e9, 1.27e9},
        {"resnet34", "ResNet-34", 4, 8, 8, 5.77e9, 4.03e9},   {"resnet34", "ResNet-34", 4, 6, 6, 3.24e9, 2.57e9},
        {"resnet50", "ResNet-50", 4, 8, 8, 6.47e9, 4.51e9},   {"resnet50", "ResNet-50", 4, 6, 6, 3.63e9, 2.87e9},
    };
    put(t, "| network (zoo name) | static | MACs/sample (conv) | static GBitOPs: conv | + BN | published | CPT | "
           "CPT saves | published saving |\n|---|---|---|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        est_model_t m;
        if (!est_zoo_build(rows[i].model, 0, &m, err, errlen))
            return false;
        double bn = 0;
        for (size_t l = 0; l < m.n; l++)
            if (m.layers[l].kh)
                bn += 2.0 * m.layers[l].cout * m.layers[l].out_h * m.layers[l].out_w;
        double macs = (double)est_model_macs(&m);
        char st[16], cpt[16];
        snprintf(st, sizeof st, "static:%u", rows[i].hi);
        snprintf(cpt, sizeof cpt, "cpt:%u-%u", rows[i].lo, rows[i].hi);
        double bs = run_bitops(&m, st, rows[i].bw, err, errlen), bc = run_bitops(&m, cpt, rows[i].bw, err, errlen);
        est_model_free(&m);
        if (bs < 0 || bc < 0)
            return false;
        char pub[48];
        if (rows[i].cpt)
            snprintf(pub, sizeof pub, "%.2f %% (%.3g vs %.3g)", 100 * (1 - rows[i].cpt / rows[i].st), rows[i].cpt,
                     rows[i].st);
        else
            snprintf(pub, sizeof pub, "%s", rows[i].bw == 8 ? "36.67 %" : "30.04 %");
        put(t, "| %s (`%s`) | %u/%u | %.4g M | %.4g | %.4g (%+.2f %%) | %.3g | %u-%u/%u | %.2f %% | %s |\n",
            rows[i].paper_name, rows[i].model, rows[i].hi, rows[i].bw, macs / 1e6, bs / 1e9,
            bs * (macs + bn) / macs / 1e9, 100 * (bs * (macs + bn) / macs / 1e9 / rows[i].st - 1), rows[i].st,
            rows[i].lo, rows[i].hi, rows[i].bw, 100 * (1 - bc / bs), pub);
    }
    return true;
}

/* Run `bitcycle estimate ARGS -o TMP` in process and append the lines the
 * docs show: the header and first epoch (full) or only the totals. */
static bool run_example(text_t *t, char **args, size_t nargs, bool full, char *err, size_t errlen)
{
    char path[] = "/tmp/est-gen-docs-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) {
        snprintf(err, errlen, "cannot create a temporary file");
        return false;
    }
    close(fd);
    char *argv[40];
    size_t argc = 0;
    argv[argc++] = "estimate";
    for (size_t i = 0; i < nargs && argc + 3 < sizeof argv / sizeof argv[0]; i++)
        argv[argc++] = args[i];
    argv[argc++] = "-o";
    argv[argc++] = path;
    argv[argc] = NULL;
    int rc = cmd_estimate((int)argc, argv);
    size_t len = 0;
    FILE *fp = rc == 0 ? fopen(path, "r") : NULL;
    char line[512];
    bool skipped = false, table = false;
    for (unsigned n = 0; fp && fgets(line, sizeof line, fp); n++) {
        len++;
        table |= !strncmp(line, "epoch ", 6);
        bool tail = table && (!strncmp(line, "total", 5) || !strncmp(line, "baseline", 8) ||
                              !strncmp(line, "savings", 7) || !strncmp(line, "why", 3) || !strncmp(line, "DRAM B", 6));
        if ((full && (n < 10 || line[0] == '\n')) || tail) {
            put(t, "%s", line);
        } else if (!skipped) {
            put(t, "...\n");
            skipped = true;
        }
    }
    if (fp)
        fclose(fp);
    unlink(path);
    if (rc || !len) {
        snprintf(err, errlen, "the example estimate failed (exit %d)", rc);
        return false;
    }
    return true;
}

/* The documented first example: ResNet-74, the paper's CIFAR settings. */
static bool gen_example(text_t *t, char *err, size_t errlen)
{
    char *args[] = {"--model", "resnet74-cifar", "--dataset", "cifar10", "--batch", "128", "--iters", "64000",
                    "--schedule", "cpt:3-8", "--grad-bits", "8", "--cycles", "32", "--baseline", "static:8",
                    "--no-calibrate"};
    put(t, "```\n$ build/bitcycle estimate --model resnet74-cifar --dataset cifar10 --batch 128 --iters 64000 \\\n"
           "    --schedule cpt:3-8 --grad-bits 8 --cycles 32 --baseline static:8 --no-calibrate\n");
    bool ok = run_example(t, args, sizeof args / sizeof args[0], true, err, errlen);
    put(t, "```\n");
    return ok;
}

/* The documented topology example: the firmware's MLP as an M, N, K file. */
static bool gen_example_topology(text_t *t, char *err, size_t errlen)
{
    static const char csv[] = "Layer, M, N, K,\nfc1, 1, 256, 784,\nfc2, 1, 128, 256,\nfc3, 1, 10, 128,\n";
    char path[] = "/tmp/est-gen-mlp-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0 || write(fd, csv, sizeof csv - 1) != (ssize_t)(sizeof csv - 1)) {
        snprintf(err, errlen, "cannot write a temporary topology file");
        if (fd >= 0)
            close(fd);
        return false;
    }
    close(fd);
    char *args[] = {"--topology", path, "--dataset", "fashion-mnist", "--batch", "64", "--epochs", "4",
                    "--schedule", "cpt:2-8", "--cycles", "4", "--no-calibrate"};
    put(t, "```\n$ printf 'Layer, M, N, K,\\nfc1, 1, 256, 784,\\nfc2, 1, 128, 256,\\nfc3, 1, 10, 128,\\n' > mlp.csv\n"
           "$ build/bitcycle estimate --topology mlp.csv --dataset fashion-mnist --batch 64 --epochs 4 \\\n"
           "    --schedule cpt:2-8 --cycles 4 --no-calibrate\n");
    bool ok = run_example(t, args, sizeof args / sizeof args[0], false, err, errlen);
    put(t, "```\n");
    unlink(path);
    return ok;
}

typedef struct section {
    const char *name;
    bool (*gen)(text_t *, char *, size_t);
} section_t;

static const section_t sections[] = {
    {"memory-system", gen_memory_system},
    {"dram-presets", gen_dram_presets},
    {"energy-values", gen_energy_values},
    {"energy-per-mac", gen_energy_per_mac},
    {"paper-costs", gen_paper_costs},
    {"example-resnet74", gen_example},
    {"example-topology", gen_example_topology},
};

static char *read_all(const char *path, size_t *len)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    text_t t = {0};
    char buf[8192];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0) {
        put(&t, "%.*s", (int)n, buf);
    }
    fclose(fp);
    if (!t.s)
        put(&t, "%s", "");
    *len = t.n;
    return t.s;
}

/* Replace every known section of `in` by its generated text. */
static bool splice(const char *path, const char *in, text_t *out, const text_t *gen, char *err, size_t errlen)
{
    const char *p = in;
    for (;;) {
        const char *b = strstr(p, "<!-- gen:");
        if (!b) {
            put(out, "%s", p);
            return true;
        }
        const char *name = b + 9, *dash = strstr(name, " begin -->");
        size_t i = 0, nl = dash ? (size_t)(dash - name) : 0;
        while (i < sizeof sections / sizeof sections[0] &&
               (strlen(sections[i].name) != nl || strncmp(sections[i].name, name, nl)))
            i++;
        if (!dash || i == sizeof sections / sizeof sections[0]) {
            snprintf(err, errlen, "%s: unknown or malformed marker near '%.40s'", path, b);
            return false;
        }
        char endmark[80];
        snprintf(endmark, sizeof endmark, "<!-- gen:%s end -->", sections[i].name);
        const char *e = strstr(dash, endmark);
        if (!e) {
            snprintf(err, errlen, "%s: '%s' has no end marker", path, sections[i].name);
            return false;
        }
        const char *body = strchr(dash, '\n');
        body = body ? body + 1 : dash + strlen(dash);
        put(out, "%.*s%s%s", (int)(body - p), p, gen[i].s, endmark);
        p = e + strlen(endmark);
    }
}

int main(int argc, char **argv)
{
    bool check = argc > 1 && !strcmp(argv[1], "--check");
    int first = check ? 2 : 1;
    if (first >= argc) {
        fprintf(stderr, "usage: est_gen_docs [--check] FILE...\n");
        return 2;
    }
    char err[512];
    text_t gen[sizeof sections / sizeof sections[0]] = {{0}};
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        if (!sections[i].gen(&gen[i], err, sizeof err)) {
            fprintf(stderr, "est_gen_docs: %s: %s\n", sections[i].name, err);
            return 1;
        }
    int stale = 0;
    for (int a = first; a < argc; a++) {
        size_t len;
        char *in = read_all(argv[a], &len);
        if (!in) {
            fprintf(stderr, "est_gen_docs: %s: no such file\n", argv[a]);
            return 1;
        }
        text_t out = {0};
        if (!splice(argv[a], in, &out, gen, err, sizeof err)) {
            fprintf(stderr, "est_gen_docs: %s\n", err);
            return 1;
        }
        if (out.n != len || memcmp(out.s, in, len)) {
            if (check) {
                fprintf(stderr, "est_gen_docs: %s: generated tables are stale; run 'make docs'\n", argv[a]);
                stale = 1;
            } else {
                char tmp[1100];
                snprintf(tmp, sizeof tmp, "%s.tmp", argv[a]);
                FILE *fp = fopen(tmp, "wb");
                if (!fp || fwrite(out.s, 1, out.n, fp) != out.n || fclose(fp) || rename(tmp, argv[a])) {
                    fprintf(stderr, "est_gen_docs: cannot write %s\n", argv[a]);
                    return 1;
                }
                printf("est_gen_docs: updated %s\n", argv[a]);
            }
        }
        free(in);
        free(out.s);
    }
    for (size_t i = 0; i < sizeof sections / sizeof sections[0]; i++)
        free(gen[i].s);
    return stale;
}
