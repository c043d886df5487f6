/* Host-side training run over the fsim, sim or vp backend (see bc_train.h). */
#include "bc_train.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "bc_hal_fsim.h"
#include "bc_range.h"
#include "bitcycle.h"

/* The RTL backends are optional parts of the build: firmware.mk defines
 * BC_TRAIN_HAVE_SIM / BC_TRAIN_HAVE_VP when sim/ provides them and links them. */
#ifdef BC_TRAIN_HAVE_SIM
#include "bc_hal_sim.h"
#include "bc_sim.h"
#define HAVE_SIM_HDR 1
#endif
#ifdef BC_TRAIN_HAVE_VP
#include "bc_hal_vp.h"
#include "bc_vp.h"
#define HAVE_VP_HDR 1
#endif

#define DEV_BASE 0x1000u

static int terr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int terr(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
    return -1;
}

void bc_train_opts_default(bc_train_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->backend = "fsim";
    o->data = "digits";
    o->mlp.batch = 128;
    o->mlp.lr = 0.05f;
    o->mlp.momentum = 0.9f;
    o->mlp.weight_decay = 5e-4f;
    o->mlp.seed = 1;
    o->fw = (bc_sched_t){BC_SCHED_COS, 3, 8};
    o->bw = bc_sched_static(8);
    o->cycles = 32;
    o->epochs = 1;
    o->range_iters = 100;
    o->range_max_bits = 8;
    o->range_threshold = 0.02;
}

void bc_train_result_free(bc_train_result_t *res)
{
    free(res->ep);
    res->ep = NULL;
}

typedef struct run_ctx {
    const bc_train_opts_t *o;
    const bc_dataset_t *train, *test;
    bc_train_result_t *res;
    char *err;
    size_t errlen;
    size_t dev_bytes;
} run_ctx_t;

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

static void shuffle(uint32_t *idx, unsigned n, bc_fw_rng_t *r)
{
    for (unsigned i = 0; i < n; i++)
        idx[i] = i;
    for (unsigned i = n; i > 1; i--) {
        unsigned j = (unsigned)(bc_fw_rng_u64(r) % i);
        uint32_t t = idx[i - 1];
        idx[i - 1] = idx[j];
        idx[j] = t;
    }
}

static double evaluate(bc_mlp_t *m, const bc_dataset_t *test, unsigned limit, unsigned bits, float *x, uint8_t *y,
                       uint8_t *pred, uint32_t *idx, int *rc)
{
    unsigned n = limit && limit < test->n ? limit : test->n, B = m->cfg.batch, hits = 0;
    for (unsigned s = 0; s < n; s += B) {
        unsigned cnt = n - s < B ? n - s : B;
        for (unsigned i = 0; i < cnt; i++)
            idx[i] = s + i;
        bc_data_batch(test, idx, cnt, x, y);
        if (bc_mlp_predict(m, x, cnt, bits, pred, NULL)) {
            *rc = -1;
            return 0.0;
        }
        for (unsigned i = 0; i < cnt; i++)
            hits += pred[i] == y[i];
    }
    *rc = 0;
    return (double)hits / (double)n;
}

static void print_json_epoch(FILE *fp, unsigned e, const bc_train_epoch_t *ep, bool with_energy)
{
    fprintf(fp, "    {\"epoch\": %u, \"train_loss\": %.6f, \"test_accuracy\": %.6f, \"cycles\": %llu, \"bitops\": %llu, "
                "\"mean_fw_bits\": %.4f, \"switches\": %llu",
            e, ep->train_loss, ep->test_acc, (unsigned long long)ep->cycles, (unsigned long long)ep->bitops,
            ep->mean_fw_bits, (unsigned long long)ep->switches);
    if (with_energy)
        fprintf(fp, ", \"energy_j\": %.6g", ep->energy_j);
    fprintf(fp, "}");
}

static void report(const bc_train_opts_t *o, const bc_train_result_t *r)
{
    FILE *fp = o->out;
    if (!fp)
        return;
    uint64_t cyc = 0, ops = 0, sw = 0, hsw = 0;
    double bits = 0.0, joules = 0.0;
    bool en = o->energy != NULL;
    for (unsigned e = 0; e < r->n_epochs; e++) {
        cyc += r->ep[e].cycles;
        ops += r->ep[e].bitops;
        sw += r->ep[e].switches;
        hsw += r->ep[e].hw_switches;
        joules += r->ep[e].energy_j;
        bits += r->ep[e].mean_fw_bits * (double)r->ep[e].iters;
    }
    double mean_bits = r->iters ? bits / (double)r->iters : 0.0;
    char fws[48], bws[48];
    bc_sched_format(&r->fw, fws, sizeof fws);
    bc_sched_format(&r->bw, bws, sizeof bws);
    if (o->fmt == BC_TRAIN_FMT_JSON) {
        fprintf(fp, "{\n  \"epochs\": [\n");
        for (unsigned e = 0; e < r->n_epochs; e++) {
            print_json_epoch(fp, e + 1, &r->ep[e], o->energy != NULL);
            fprintf(fp, "%s\n", e + 1 < r->n_epochs ? "," : "");
        }
        fprintf(fp, "  ],\n  \"total\": {\"cycles\": %llu, \"bitops\": %llu, \"mean_fw_bits\": %.4f, \"switches\": %llu",
                (unsigned long long)cyc, (unsigned long long)ops, mean_bits, (unsigned long long)sw);
        if (en)
            fprintf(fp, ", \"energy_j\": %.6g", joules);
        fprintf(fp, "}\n}\n");
        return;
    }
    if (o->fmt == BC_TRAIN_FMT_CSV) {
        fprintf(fp, "epoch,train_loss,test_accuracy,cycles,bitops,mean_fw_bits,switches%s\n", en ? ",energy_j" : "");
        for (unsigned e = 0; e < r->n_epochs; e++) {
            fprintf(fp, "%u,%.6f,%.6f,%llu,%llu,%.4f,%llu", e + 1, r->ep[e].train_loss, r->ep[e].test_acc,
                    (unsigned long long)r->ep[e].cycles, (unsigned long long)r->ep[e].bitops, r->ep[e].mean_fw_bits,
                    (unsigned long long)r->ep[e].switches);
            if (en)
                fprintf(fp, ",%.6g", r->ep[e].energy_j);
            fprintf(fp, "\n");
        }
        return;
    }
    fprintf(fp, "training  %s on %s, layers", o->data, o->backend);
    for (unsigned l = 0; l <= o->mlp.n_layers; l++)
        fprintf(fp, "%c%u", l ? '-' : ' ', o->mlp.sizes[l]);
    fprintf(fp, ", batch %u, seed %llu\nschedule  forward %s, backward %s, %u cycles over %llu iterations%s\n\n",
            o->mlp.batch, (unsigned long long)o->mlp.seed, fws, bws, o->cycles, (unsigned long long)r->iters,
            o->mlp.quantize_last ? "" : " (last layer in float)");
    fprintf(fp, "epoch  iters  train_loss  train_acc  test_acc        cycles           bitops  mean_fw  switches%s\n",
            en ? "  energy_mJ" : "");
    for (unsigned e = 0; e < r->n_epochs; e++) {
        const bc_train_epoch_t *p = &r->ep[e];
        fprintf(fp, "%5u %6llu %11.4f %9.2f%% %8.2f%% %13llu %16llu %8.3f %9llu", e + 1,
                (unsigned long long)p->iters, p->train_loss, 100.0 * p->train_acc, 100.0 * p->test_acc,
                (unsigned long long)p->cycles, (unsigned long long)p->bitops, p->mean_fw_bits,
                (unsigned long long)p->switches);
        if (en)
            fprintf(fp, "%12.3f", 1e3 * p->energy_j);
        fprintf(fp, "\n");
    }
    fprintf(fp, "total %7llu %43llu %16llu %8.3f %9llu", (unsigned long long)r->iters, (unsigned long long)cyc,
            (unsigned long long)ops, mean_bits, (unsigned long long)sw);
    if (en)
        fprintf(fp, "%12.3f", 1e3 * joules);
    fprintf(fp, "\n\n");
    fprintf(fp, "per forward precision (accelerator busy cycles of the training GEMMs)\n");
    fprintf(fp, "fw bits  iterations        cycles  cycles/iter           bitops  cycle share\n");
    for (unsigned b = 1; b <= BC_SCHED_MAX_BITS; b++)
        if (r->iters_at[b])
            fprintf(fp, "%7u %11llu %13llu %12.0f %16llu %11.1f%%\n", b, (unsigned long long)r->iters_at[b],
                    (unsigned long long)r->cycles_at[b], (double)r->cycles_at[b] / (double)r->iters_at[b],
                    (unsigned long long)r->bitops_at[b], cyc ? 100.0 * (double)r->cycles_at[b] / (double)cyc : 0.0);
    fprintf(fp, "hardware precision switches between jobs: %llu; wall time %.1f s\n", (unsigned long long)hsw,
            r->seconds);
}

/* Everything that talks to the device, given a HAL (called inside the VP for vp). */
static int train_on_hal(run_ctx_t *c, const bc_hal_t *hal)
{
    const bc_train_opts_t *o = c->o;
    bc_train_result_t *r = c->res;
    bc_dev_t dev;
    bc_status_t st = bc_open(&dev, hal);
    if (st != BC_OK)
        return terr(c->err, c->errlen, "backend %s: bc_open: %s", o->backend, bc_strerror(st));
    bc_mlp_config_t cfg = o->mlp;
    size_t wsb = (bc_mlp_workspace_bytes(&cfg) + 15u) & ~(size_t)15u;
    void *ws = aligned_alloc(16, wsb);
    unsigned B = cfg.batch, dim = cfg.sizes[0];
    float *x = malloc(sizeof(float) * B * dim);
    uint8_t *y = malloc(B), *pred = malloc(B);
    uint32_t *idx = malloc(sizeof(uint32_t) * (c->train->n > B ? c->train->n : B));
    bc_mlp_t *m = malloc(sizeof *m);
    int rc = -1;
    if (!ws || !x || !y || !pred || !idx || !m) {
        terr(c->err, c->errlen, "out of memory for the trainer workspace (%zu bytes)", wsb);
        goto done;
    }
    unsigned per_epoch = (c->train->n + B - 1) / B;
    uint64_t total = (uint64_t)per_epoch * o->epochs;
    if (o->max_iters && o->max_iters < total)
        total = o->max_iters;
    r->fw = o->fw;
    r->bw = o->bw;
    if (total < o->cycles)
        fprintf(o->log ? o->log : stderr,
                "warning: %llu iterations but %u cycles: the schedule period T is clamped to 1 iteration "
                "(precision stays at the lower bound); lower --cycles\n",
                (unsigned long long)total, o->cycles);

    /* Precision range test: Bmin from short runs at 2, 3, ... bits. */
    if (o->auto_range) {
        FILE *lg = o->fmt == BC_TRAIN_FMT_TABLE && o->out ? o->out : (o->log ? o->log : stderr);
        unsigned first = 2, last = o->range_max_bits;
        double acc[BC_SCHED_MAX_BITS + 1];
        fprintf(lg, "range test: %u iterations per precision, backward %u bits, threshold %.4f\n", o->range_iters,
                o->bw.hi, o->range_threshold);
        for (unsigned b = first; b <= last; b++) {
            if (bc_mlp_init(m, &cfg, ws, wsb, &dev, DEV_BASE)) {
                terr(c->err, c->errlen, "%s", m->err);
                goto done;
            }
            bc_fw_rng_t sr;
            bc_fw_rng_seed(&sr, cfg.seed * 0x9e3779b97f4a7c15ull + 7u);
            unsigned hits = 0, seen = 0, pos = c->train->n;
            for (unsigned t = 0; t < o->range_iters; t++) {
                if (pos + B > c->train->n) {
                    shuffle(idx, c->train->n, &sr);
                    pos = 0;
                }
                unsigned cnt = c->train->n < B ? c->train->n : B;
                bc_data_batch(c->train, idx + pos, cnt, x, y);
                pos += cnt;
                float loss;
                unsigned corr;
                if (bc_mlp_train_step(m, x, y, cnt, b, o->bw.hi, &loss, &corr, NULL)) {
                    terr(c->err, c->errlen, "range test at %u bits: %s", b, m->err);
                    goto done;
                }
                if (t >= o->range_iters / 2) { /* accuracy over the second half */
                    hits += corr;
                    seen += cnt;
                }
            }
            acc[b - first] = seen ? (double)hits / seen : 0.0;
            r->range_acc[b] = acc[b - first];
            fprintf(lg, "range test: %2u bits  train accuracy %6.2f%%%s\n", b, 100.0 * acc[b - first],
                    b > first ? "" : "");
        }
        bc_range_result_t rr;
        if (bc_range_pick(acc, first, last - first + 1, o->range_threshold, &rr)) {
            terr(c->err, c->errlen, "range test: no decision (accuracy not a number)");
            goto done;
        }
        r->range_bmin = rr.bmin;
        r->range_bmax = rr.bmax;
        r->fw = (bc_sched_t){BC_SCHED_COS, rr.bmin, rr.bmax};
        fprintf(lg, "range test: Bmin = %u (%s), Bmax = %u -> schedule cpt:%u-%u\n", rr.bmin,
                rr.decided_at ? "first gain above the threshold" : "no gain above the threshold: lowest tried",
                rr.bmax, rr.bmin, rr.bmax);
    }

    if (bc_mlp_init(m, &cfg, ws, wsb, &dev, DEV_BASE)) {
        terr(c->err, c->errlen, "%s", m->err);
        goto done;
    }
    unsigned eval_bits = o->eval_bits ? o->eval_bits : r->fw.hi;
    bc_fw_rng_t shuf;
    bc_fw_rng_seed(&shuf, cfg.seed * 0x9e3779b97f4a7c15ull + 7u);
    uint64_t t = 0;
    unsigned prev_fw = 0, prev_bw = 0;
    double t0 = now_s();
    for (unsigned e = 0; e < o->epochs && t < total; e++) {
        bc_train_epoch_t *ep = &r->ep[r->n_epochs];
        memset(ep, 0, sizeof *ep);
        shuffle(idx, c->train->n, &shuf);
        double loss_sum = 0.0, bits_sum = 0.0;
        uint64_t hits = 0, seen = 0;
        for (unsigned bi = 0; bi < per_epoch && t < total; bi++, t++) {
            unsigned start = bi * B, cnt = c->train->n - start < B ? c->train->n - start : B;
            bc_data_batch(c->train, idx + start, cnt, x, y);
            unsigned fw = bc_sched_bits(&r->fw, t, total, o->cycles), bw = bc_sched_bits(&r->bw, t, total, o->cycles);
            if (t > 0 && (fw != prev_fw || bw != prev_bw))
                ep->switches++;
            prev_fw = fw;
            prev_bw = bw;
            float loss;
            unsigned corr;
            bc_mlp_stats_t s;
            if (bc_mlp_train_step(m, x, y, cnt, fw, bw, &loss, &corr, &s)) {
                terr(c->err, c->errlen, "iteration %llu (%u/%u bits): %s", (unsigned long long)t, fw, bw, m->err);
                goto done;
            }
            loss_sum += (double)loss * cnt;
            hits += corr;
            seen += cnt;
            bits_sum += fw;
            ep->iters++;
            ep->cycles += s.cycles;
            ep->bitops += s.bitops;
            ep->hw_switches += s.hw_switches;
            for (unsigned ci = 0; ci < BC_NUM_COUNTERS; ci++) {
                const bc_counter_info_t *info = bc_counter_info(ci);
                *(uint64_t *)(void *)((char *)&ep->ctr + info->offset) += bc_counter_get(&s.ctr, ci);
            }
            r->iters_at[fw]++;
            r->cycles_at[fw] += s.cycles;
            r->bitops_at[fw] += s.bitops;
            r->iters++;
            if (o->progress)
                o->progress(o->progress_ctx, t + 1, total);
        }
        ep->train_loss = seen ? loss_sum / (double)seen : 0.0;
        ep->train_acc = seen ? (double)hits / (double)seen : 0.0;
        ep->mean_fw_bits = ep->iters ? bits_sum / (double)ep->iters : 0.0;
        if (o->energy)
            ep->energy_j = o->energy(o->energy_ctx, &ep->ctr);
        int erc;
        ep->test_acc = evaluate(m, c->test, o->test_limit, eval_bits, x, y, pred, idx, &erc);
        if (erc) {
            terr(c->err, c->errlen, "evaluation after epoch %u: %s", e + 1, m->err);
            goto done;
        }
        r->n_epochs++;
    }
    r->seconds = now_s() - t0;
    r->weights_hash = bc_mlp_weights_hash(m);
    rc = 0;
done:
    free(ws);
    free(x);
    free(y);
    free(pred);
    free(idx);
    free(m);
    return rc;
}

#ifdef HAVE_VP_HDR
static int vp_entry(bc_vp_t *vp, void *arg)
{
    bc_hal_t hal;
    bc_hal_vp_init(&hal, vp);
    return train_on_hal(arg, &hal) ? 1 : 0;
}
#endif

int bc_train_run(const bc_train_opts_t *o, const bc_dataset_t *train, const bc_dataset_t *test,
                 bc_train_result_t *res, char *err, size_t errlen)
{
    memset(res, 0, sizeof *res);
    if (bc_mlp_check_config(&o->mlp, err, errlen))
        return -1;
    if (train->dim != o->mlp.sizes[0])
        return terr(err, errlen, "layers: the data has %u inputs but the first layer size is %u", train->dim,
                    o->mlp.sizes[0]);
    res->ep = calloc(o->epochs ? o->epochs : 1, sizeof *res->ep);
    if (!res->ep)
        return terr(err, errlen, "out of memory");
    run_ctx_t c = {o, train, test, res, err, errlen, bc_mlp_device_bytes(&o->mlp)};
    size_t mem = DEV_BASE + c.dev_bytes + 4096u;
    size_t mem_pow2 = 1u << 20;
    while (mem_pow2 < mem)
        mem_pow2 <<= 1;
    int rc = -1;
    err[0] = 0;
    if (!strcmp(o->backend, "fsim")) {
        bc_fsim_config_t fc;
        bc_fsim_config_default(&fc);
        if (fc.mem_bytes < mem_pow2)
            fc.mem_bytes = mem_pow2;
        bc_fsim_t *f = bc_fsim_create(&fc, err, errlen);
        if (!f)
            return -1;
        bc_hal_t hal;
        bc_fsim_hal(f, &hal);
        rc = train_on_hal(&c, &hal);
        bc_fsim_destroy(f);
    } else if (!strcmp(o->backend, "sim")) {
#ifdef HAVE_SIM_HDR
        bc_sim_config_t sc;
        bc_sim_config_default(&sc);
        if (sc.mem_bytes < mem_pow2)
            sc.mem_bytes = mem_pow2;
        bc_sim_t *s = bc_sim_create(&sc, err, errlen);
        if (!s)
            return -1;
        bc_hal_sim_t hs = {s, 0.0};
        bc_hal_t hal;
        bc_hal_sim_init(&hal, &hs);
        rc = train_on_hal(&c, &hal);
        bc_sim_destroy(s);
#else
        return terr(err, errlen, "backend sim: the Verilator simulator library is not part of this build");
#endif
    } else if (!strcmp(o->backend, "vp")) {
#ifdef HAVE_VP_HDR
        bc_vp_config_t vc;
        bc_vp_config_default(&vc);
        if (vc.sim.mem_bytes < mem_pow2)
            vc.sim.mem_bytes = mem_pow2;
        char verr[256] = "";
        int vrc = bc_vp_run(&vc, vp_entry, &c, verr, sizeof verr);
        if (vrc != 0 && !err[0])
            terr(err, errlen, "backend vp: %s", verr[0] ? verr : "the virtual platform failed");
        rc = vrc == 0 ? 0 : -1;
#else
        return terr(err, errlen, "backend vp: the SystemC virtual platform is not part of this build");
#endif
    } else {
        return terr(err, errlen, "backend '%s' is not one of fsim, sim, vp", o->backend);
    }
    if (rc == 0)
        report(o, res);
    return rc;
}
