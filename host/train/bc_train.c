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

/* ---------- one interface over the MLP and CNN trainers ---------- */
typedef struct step_stats {
    uint64_t cycles, bitops, hw_switches, jobs, waits, elapsed_ns, im2col_ops, corr_ops;
    bc_counters_t ctr;
} step_stats_t;

typedef struct trainer {
    bool is_cnn;
    bc_mlp_config_t mcfg;
    bc_cnn_config_t ccfg;
    bc_mlp_t *mlp;
    bc_cnn_t *cnn;
    void *ws;
    size_t wsb;
    uint64_t dev_bytes;
    unsigned batch, dim;
} trainer_t;

static bool is_cnn_model(const char *model)
{
    return model && strcmp(model, "mlp") != 0;
}

int bc_train_cnn_net(const char *model, unsigned side, unsigned classes, bc_cnn_net_t *net)
{
    if (!strcmp(model, "lenet5"))
        return bc_cnn_lenet5(net, 1, side, side, classes);
    if (!strcmp(model, "resnet8"))
        return bc_cnn_resnet(net, 1, side, side, classes, 1, 16);
    if (!strcmp(model, "resnet20n"))
        return bc_cnn_resnet(net, 1, side, side, classes, 3, 8);
    return -1;
}

static unsigned square_side(unsigned dim)
{
    unsigned s = 1;
    while (s * s < dim)
        s++;
    return s * s == dim ? s : 0;
}

/* Configure (no allocation yet); 0 or -1 with a message. */
static int tr_config(trainer_t *t, const bc_train_opts_t *o, unsigned dim, unsigned classes, char *err, size_t errlen)
{
    memset(t, 0, sizeof *t);
    t->is_cnn = is_cnn_model(o->model);
    t->batch = o->mlp.batch;
    t->dim = dim;
    if (!t->is_cnn && o->float_only)
        return terr(err, errlen, "--float: only for the CNN models");
    if (!t->is_cnn) {
        t->mcfg = o->mlp;
        if (bc_mlp_check_config(&t->mcfg, err, errlen))
            return -1;
        t->dev_bytes = bc_mlp_device_bytes(&t->mcfg);
        return 0;
    }
    bc_cnn_config_t *c = &t->ccfg;
    unsigned side = square_side(dim);
    if (!side || bc_train_cnn_net(o->model, side, classes < 2 ? 2 : classes, &c->net))
        return terr(err, errlen, "--model %s: does not fit inputs of %u features (need a square image)", o->model,
                    dim);
    c->batch = o->mlp.batch;
    c->lr = o->mlp.lr;
    c->momentum = o->mlp.momentum;
    c->weight_decay = o->mlp.weight_decay;
    c->seed = o->mlp.seed;
    c->quantize_last = o->mlp.quantize_last;
    c->float_only = o->float_only;
    c->bn_momentum = 0.1f;
    c->bn_eps = 1e-5f;
    c->act_momentum = 0.9f;
    if (bc_cnn_check_config(c, err, errlen))
        return -1;
    t->dev_bytes = bc_cnn_device_bytes(c);
    return 0;
}

static int tr_alloc(trainer_t *t)
{
    t->wsb = t->is_cnn ? bc_cnn_workspace_bytes(&t->ccfg) : bc_mlp_workspace_bytes(&t->mcfg);
    t->wsb = (t->wsb + 15u) & ~(size_t)15u;
    t->ws = aligned_alloc(16, t->wsb);
    if (t->is_cnn)
        t->cnn = malloc(sizeof *t->cnn);
    else
        t->mlp = malloc(sizeof *t->mlp);
    return t->ws && (t->cnn || t->mlp) ? 0 : -1;
}

static void tr_free(trainer_t *t)
{
    free(t->ws);
    free(t->cnn);
    free(t->mlp);
}

static const char *tr_err(const trainer_t *t)
{
    return t->is_cnn ? t->cnn->err : t->mlp->err;
}

static int tr_init(trainer_t *t, bc_dev_t *dev)
{
    if (t->is_cnn)
        return bc_cnn_init(t->cnn, &t->ccfg, t->ws, t->wsb, dev, DEV_BASE, t->dev_bytes);
    return bc_mlp_init(t->mlp, &t->mcfg, t->ws, t->wsb, dev, DEV_BASE);
}

static int tr_step(trainer_t *t, const float *x, const uint8_t *y, unsigned n, unsigned fw, unsigned bw, float *loss,
                   unsigned *corr, step_stats_t *st)
{
    memset(st, 0, sizeof *st);
    if (t->is_cnn) {
        bc_cnn_stats_t s;
        if (bc_cnn_train_step(t->cnn, x, y, n, fw, bw, loss, corr, &s))
            return -1;
        *st = (step_stats_t){s.cycles, s.bitops, s.hw_switches, s.jobs, s.waits, s.elapsed_ns, s.im2col_ops,
                             s.corr_ops, s.ctr};
        return 0;
    }
    bc_mlp_stats_t s;
    if (bc_mlp_train_step(t->mlp, x, y, n, fw, bw, loss, corr, &s))
        return -1;
    st->cycles = s.cycles, st->bitops = s.bitops, st->hw_switches = s.hw_switches, st->jobs = s.jobs;
    st->waits = s.jobs, st->ctr = s.ctr;
    return 0;
}

static int tr_predict(trainer_t *t, const float *x, unsigned n, unsigned bits, uint8_t *pred)
{
    return t->is_cnn ? bc_cnn_predict(t->cnn, x, n, bits, pred, NULL) : bc_mlp_predict(t->mlp, x, n, bits, pred, NULL);
}

static uint64_t tr_hash(const trainer_t *t)
{
    return t->is_cnn ? bc_cnn_weights_hash(t->cnn) : bc_mlp_weights_hash(t->mlp);
}

void bc_train_opts_default(bc_train_opts_t *o)
{
    memset(o, 0, sizeof *o);
    o->backend = "fsim";
    o->model = "mlp";
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
    trainer_t *tr;
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

static double evaluate(trainer_t *m, const bc_dataset_t *test, unsigned limit, unsigned bits, float *x, uint8_t *y,
                       uint8_t *pred, uint32_t *idx, int *rc)
{
    unsigned n = limit && limit < test->n ? limit : test->n, B = m->batch, hits = 0;
    for (unsigned s = 0; s < n; s += B) {
        unsigned cnt = n - s < B ? n - s : B;
        for (unsigned i = 0; i < cnt; i++)
            idx[i] = s + i;
        bc_data_batch(test, idx, cnt, x, y);
        if (tr_predict(m, x, cnt, bits, pred)) {
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
    fprintf(fp, ", \"iters\": %llu, \"train_accuracy\": %.6f, \"jobs\": %llu, \"waits\": %llu, \"idle_fraction\": %.6f, "
                "\"im2col_ops\": %llu, \"corr_ops\": %llu",
            (unsigned long long)ep->iters, ep->train_acc, (unsigned long long)ep->jobs, (unsigned long long)ep->waits,
            ep->idle_frac, (unsigned long long)ep->im2col_ops, (unsigned long long)ep->corr_ops);
    if (with_energy)
        fprintf(fp, ", \"energy_j\": %.6g", ep->energy_j);
    fprintf(fp, "}");
}

/* The run's settings: JSON object members, or CSV values (same order as settings_csv_header). */
static void print_settings(FILE *fp, const bc_train_opts_t *o, const char *fws, const char *bws, bool json)
{
    char layers[96] = "";
    size_t off = 0;
    for (unsigned l = 0; l <= o->mlp.n_layers && off + 8 < sizeof layers; l++)
        off += (size_t)snprintf(layers + off, sizeof layers - off, "%s%u", l ? "-" : "", o->mlp.sizes[l]);
    const char *model = o->model ? o->model : "mlp";
    bool mlp = !is_cnn_model(o->model);
    if (json)
        fprintf(fp, "  \"settings\": {\"model\": \"%s\", \"layers\": \"%s\", \"data\": \"%s\", \"backend\": \"%s\", "
                    "\"batch\": %u, \"lr\": %.6g, \"momentum\": %.6g, \"weight_decay\": %.6g, \"seed\": %llu, "
                    "\"schedule\": \"%s\", \"grad_schedule\": \"%s\", \"schedule_cycles\": %u, \"epochs\": %u, "
                    "\"max_iters\": %llu, \"quantize_last\": %s, \"eval_bits\": %u, \"float\": %s},\n",
                model, mlp ? layers : model, o->data, o->backend, o->mlp.batch, (double)o->mlp.lr,
                (double)o->mlp.momentum, (double)o->mlp.weight_decay, (unsigned long long)o->mlp.seed, fws, bws,
                o->cycles, o->epochs, (unsigned long long)o->max_iters, o->mlp.quantize_last ? "true" : "false",
                o->eval_bits, o->float_only ? "true" : "false");
    else
        fprintf(fp, ",%s,%s,%s,%u,%.6g,%.6g,%.6g,%llu,%s,%s,%u", model, o->data, o->backend, o->mlp.batch,
                (double)o->mlp.lr, (double)o->mlp.momentum, (double)o->mlp.weight_decay,
                (unsigned long long)o->mlp.seed, fws, bws, o->cycles);
}

/* The table's last lines: queueing, wall time split, CPU side of the GEMMs. */
static void report_queueing(FILE *fp, const bc_train_opts_t *o, const bc_train_result_t *r)
{
    uint64_t jobs = 0, waits = 0, im2col = 0, corr = 0;
    double idle = 0.0;
    for (unsigned e = 0; e < r->n_epochs; e++) {
        jobs += r->ep[e].jobs, waits += r->ep[e].waits, im2col += r->ep[e].im2col_ops, corr += r->ep[e].corr_ops;
        idle += r->ep[e].idle_frac * (double)r->ep[e].iters;
    }
    fprintf(fp, "accelerator: %llu GEMM jobs in %llu waits, idle %.2f%% of device time per iteration (mean)\n",
            (unsigned long long)jobs, (unsigned long long)waits, r->iters ? 100.0 * idle / (double)r->iters : 0.0);
    fprintf(fp, "training steps: %.2f s wall, %.1f iterations/s, %.1f samples/s; %.1f%% of it on the CPU side "
                "(outside the %s backend)\n",
            r->train_seconds, r->train_seconds > 0 ? (double)r->iters / r->train_seconds : 0.0,
            r->train_seconds > 0 ? (double)r->samples / r->train_seconds : 0.0,
            r->train_seconds > 0 ? 100.0 * (1.0 - r->backend_seconds / r->train_seconds) : 0.0, o->backend);
    if (is_cnn_model(o->model))
        fprintf(fp, "CPU side of the GEMMs: %llu im2col element copies, %llu correction operations\n",
                (unsigned long long)im2col, (unsigned long long)corr);
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
        fprintf(fp, "{\n");
        print_settings(fp, o, fws, bws, true);
        fprintf(fp, "  \"epochs\": [\n");
        for (unsigned e = 0; e < r->n_epochs; e++) {
            print_json_epoch(fp, e + 1, &r->ep[e], o->energy != NULL);
            fprintf(fp, "%s\n", e + 1 < r->n_epochs ? "," : "");
        }
        fprintf(fp, "  ],\n  \"total\": {\"cycles\": %llu, \"bitops\": %llu, \"mean_fw_bits\": %.4f, \"switches\": %llu",
                (unsigned long long)cyc, (unsigned long long)ops, mean_bits, (unsigned long long)sw);
        fprintf(fp, ", \"iters\": %llu, \"train_seconds\": %.4f, \"backend_seconds\": %.4f",
                (unsigned long long)r->iters, r->train_seconds, r->backend_seconds);
        if (en)
            fprintf(fp, ", \"energy_j\": %.6g", joules);
        fprintf(fp, "}\n}\n");
        return;
    }
    if (o->fmt == BC_TRAIN_FMT_CSV) {
        fprintf(fp, "epoch,train_loss,test_accuracy,cycles,bitops,mean_fw_bits,switches%s,iters,train_accuracy,jobs,waits,"
                    "idle_fraction,im2col_ops,corr_ops,model,data,backend,batch,lr,momentum,weight_decay,seed,schedule,"
                    "grad_schedule,schedule_cycles\n",
                en ? ",energy_j" : "");
        for (unsigned e = 0; e < r->n_epochs; e++) {
            fprintf(fp, "%u,%.6f,%.6f,%llu,%llu,%.4f,%llu", e + 1, r->ep[e].train_loss, r->ep[e].test_acc,
                    (unsigned long long)r->ep[e].cycles, (unsigned long long)r->ep[e].bitops, r->ep[e].mean_fw_bits,
                    (unsigned long long)r->ep[e].switches);
            if (en)
                fprintf(fp, ",%.6g", r->ep[e].energy_j);
            const bc_train_epoch_t *p = &r->ep[e];
            fprintf(fp, ",%llu,%.6f,%llu,%llu,%.6f,%llu,%llu", (unsigned long long)p->iters, p->train_acc,
                    (unsigned long long)p->jobs, (unsigned long long)p->waits, p->idle_frac,
                    (unsigned long long)p->im2col_ops, (unsigned long long)p->corr_ops);
            print_settings(fp, o, fws, bws, false);
            fprintf(fp, "\n");
        }
        return;
    }
    fprintf(fp, "training  %s on %s, ", o->data, o->backend);
    if (is_cnn_model(o->model))
        fprintf(fp, "model %s", o->model);
    else {
        fprintf(fp, "layers");
        for (unsigned l = 0; l <= o->mlp.n_layers; l++)
            fprintf(fp, "%c%u", l ? '-' : ' ', o->mlp.sizes[l]);
    }
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
    report_queueing(fp, o, r);
}

/* A HAL that forwards to the backend's and adds up the host time spent in
 * it, so the report can split wall time into the backend (model or RTL
 * simulation) and the CPU side (trainer, quantization, im2col). */
typedef struct timed_hal {
    bc_hal_t inner;
    double seconds;
} timed_hal_t;

static int th_read32(void *ctx, uint32_t off, uint32_t *val)
{
    timed_hal_t *t = ctx;
    double t0 = now_s();
    int rc = t->inner.read32(t->inner.ctx, off, val);
    t->seconds += now_s() - t0;
    return rc;
}

static int th_write32(void *ctx, uint32_t off, uint32_t val)
{
    timed_hal_t *t = ctx;
    double t0 = now_s();
    int rc = t->inner.write32(t->inner.ctx, off, val);
    t->seconds += now_s() - t0;
    return rc;
}

static int th_wait_irq(void *ctx, uint64_t timeout_ns)
{
    timed_hal_t *t = ctx;
    double t0 = now_s();
    int rc = t->inner.wait_irq(t->inner.ctx, timeout_ns);
    t->seconds += now_s() - t0;
    return rc;
}

static uint64_t th_now_ns(void *ctx)
{
    timed_hal_t *t = ctx;
    return t->inner.now_ns(t->inner.ctx);
}

static int th_mem_read(void *ctx, uint64_t addr, void *dst, size_t len)
{
    timed_hal_t *t = ctx;
    double t0 = now_s();
    int rc = t->inner.mem_read(t->inner.ctx, addr, dst, len);
    t->seconds += now_s() - t0;
    return rc;
}

static int th_mem_write(void *ctx, uint64_t addr, const void *src, size_t len)
{
    timed_hal_t *t = ctx;
    double t0 = now_s();
    int rc = t->inner.mem_write(t->inner.ctx, addr, src, len);
    t->seconds += now_s() - t0;
    return rc;
}

static void timed_hal_init(timed_hal_t *t, const bc_hal_t *inner, bc_hal_t *out)
{
    t->inner = *inner;
    t->seconds = 0.0;
    *out = *inner;
    out->ctx = t;
    out->read32 = th_read32;
    out->write32 = th_write32;
    out->wait_irq = inner->wait_irq ? th_wait_irq : NULL;
    out->now_ns = th_now_ns;
    out->mem_read = inner->mem_read ? th_mem_read : NULL;
    out->mem_write = inner->mem_write ? th_mem_write : NULL;
}

/* Adds one training step's figures to its epoch and to the run. */
static void add_step(bc_train_epoch_t *ep, bc_train_result_t *r, const step_stats_t *s, unsigned fw, unsigned cnt,
                     double clock_hz)
{
    ep->jobs += s->jobs;
    ep->waits += s->waits;
    ep->elapsed_ns += s->elapsed_ns;
    ep->im2col_ops += s->im2col_ops;
    ep->corr_ops += s->corr_ops;
    double dev_cycles = (double)s->elapsed_ns * 1e-9 * clock_hz;
    if (dev_cycles > 0.0)
        ep->idle_frac += 1.0 - (double)s->cycles / dev_cycles;
    ep->iters++;
    ep->cycles += s->cycles;
    ep->bitops += s->bitops;
    ep->hw_switches += s->hw_switches;
    for (unsigned ci = 0; ci < BC_NUM_COUNTERS; ci++) {
        const bc_counter_info_t *info = bc_counter_info(ci);
        *(uint64_t *)(void *)((char *)&ep->ctr + info->offset) += bc_counter_get(&s->ctr, ci);
    }
    r->iters_at[fw]++;
    r->cycles_at[fw] += s->cycles;
    r->bitops_at[fw] += s->bitops;
    r->iters++;
    r->samples += cnt;
}

/* Precision range test: Bmin from short runs at 2, 3, ... bits; sets r->fw. */
static int range_test(run_ctx_t *c, trainer_t *m, bc_dev_t *dev_p, float *x, uint8_t *y, uint32_t *idx)
{
    const bc_train_opts_t *o = c->o;
    bc_train_result_t *r = c->res;
    unsigned B = m->batch;
    FILE *lg = o->fmt == BC_TRAIN_FMT_TABLE && o->out ? o->out : (o->log ? o->log : stderr);
    unsigned first = 2, last = o->range_max_bits;
    double acc[BC_SCHED_MAX_BITS + 1];
    fprintf(lg, "range test: %u iterations per precision, backward %u bits, threshold %.4f\n", o->range_iters,
            o->bw.hi, o->range_threshold);
    for (unsigned b = first; b <= last; b++) {
        if (tr_init(m, dev_p)) {
            terr(c->err, c->errlen, "%s", tr_err(m));
            return -1;
        }
        bc_fw_rng_t sr;
        bc_fw_rng_seed(&sr, o->mlp.seed * 0x9e3779b97f4a7c15ull + 7u);
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
            step_stats_t rs;
            if (tr_step(m, x, y, cnt, b, o->bw.hi, &loss, &corr, &rs)) {
                terr(c->err, c->errlen, "range test at %u bits: %s", b, tr_err(m));
                return -1;
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
        return -1;
    }
    r->range_bmin = rr.bmin;
    r->range_bmax = rr.bmax;
    r->fw = (bc_sched_t){BC_SCHED_COS, rr.bmin, rr.bmax};
    fprintf(lg, "range test: Bmin = %u (%s), Bmax = %u -> schedule cpt:%u-%u\n", rr.bmin,
            rr.decided_at ? "first gain above the threshold" : "no gain above the threshold: lowest tried",
            rr.bmax, rr.bmin, rr.bmax);
    return 0;
}

/* Everything that talks to the device, given a HAL (called inside the VP for vp). */
static int train_on_hal(run_ctx_t *c, const bc_hal_t *backend_hal)
{
    timed_hal_t timed;
    bc_hal_t timed_hal;
    timed_hal_init(&timed, backend_hal, &timed_hal);
    const bc_hal_t *hal = &timed_hal;
    const bc_train_opts_t *o = c->o;
    bc_train_result_t *r = c->res;
    bc_dev_t dev;
    bc_status_t st = bc_open(&dev, hal);
    if (st != BC_OK)
        return terr(c->err, c->errlen, "backend %s: bc_open: %s", o->backend, bc_strerror(st));
    trainer_t *m = c->tr;
    unsigned B = m->batch, dim = m->dim;
    float *x = malloc(sizeof(float) * B * dim);
    uint8_t *y = malloc(B), *pred = malloc(B);
    uint32_t *idx = malloc(sizeof(uint32_t) * (c->train->n > B ? c->train->n : B));
    int rc = -1;
    double clock_hz = o->clock_hz > 0.0 ? o->clock_hz : 200e6;
    if (tr_alloc(m) || !x || !y || !pred || !idx) {
        terr(c->err, c->errlen, "out of memory for the trainer workspace (%zu bytes)", m->wsb);
        goto done;
    }
    unsigned per_epoch = (c->train->n + B - 1) / B;
    uint64_t total = (uint64_t)per_epoch * o->epochs;
    if (o->max_iters && o->max_iters < total)
        total = o->max_iters;
    r->fw = o->fw;
    r->bw = o->bw;

    /* Precision range test: Bmin from short runs at 2, 3, ... bits. */
    if (o->auto_range && range_test(c, m, &dev, x, y, idx))
        goto done;

    if (tr_init(m, &dev)) {
        terr(c->err, c->errlen, "%s", tr_err(m));
        goto done;
    }
    unsigned eval_bits = o->eval_bits ? o->eval_bits : r->fw.hi;
    bc_fw_rng_t shuf;
    bc_fw_rng_seed(&shuf, o->mlp.seed * 0x9e3779b97f4a7c15ull + 7u);
    uint64_t t = 0;
    unsigned prev_fw = 0, prev_bw = 0;
    double t0 = now_s(), train_s = 0.0, backend_s = 0.0;
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
            step_stats_t s;
            double s0 = now_s(), b0 = timed.seconds;
            int step_rc = tr_step(m, x, y, cnt, fw, bw, &loss, &corr, &s);
            train_s += now_s() - s0;
            backend_s += timed.seconds - b0;
            if (step_rc) {
                terr(c->err, c->errlen, "iteration %llu (%u/%u bits): %s", (unsigned long long)t, fw, bw, tr_err(m));
                goto done;
            }
            add_step(ep, r, &s, fw, cnt, clock_hz);
            loss_sum += (double)loss * cnt;
            hits += corr;
            seen += cnt;
            bits_sum += fw;
            if (o->progress)
                o->progress(o->progress_ctx, t + 1, total);
        }
        ep->train_loss = seen ? loss_sum / (double)seen : 0.0;
        ep->train_acc = seen ? (double)hits / (double)seen : 0.0;
        ep->mean_fw_bits = ep->iters ? bits_sum / (double)ep->iters : 0.0;
        ep->idle_frac = ep->iters ? ep->idle_frac / (double)ep->iters : 0.0;
        if (o->energy)
            ep->energy_j = o->energy(o->energy_ctx, &ep->ctr);
        int erc;
        ep->test_acc = evaluate(m, c->test, o->test_limit, eval_bits, x, y, pred, idx, &erc);
        if (erc) {
            terr(c->err, c->errlen, "evaluation after epoch %u: %s", e + 1, tr_err(m));
            goto done;
        }
        r->n_epochs++;
    }
    r->seconds = now_s() - t0;
    r->train_seconds = train_s;
    r->backend_seconds = backend_s;
    r->weights_hash = tr_hash(m);
    rc = 0;
done:
    tr_free(m);
    free(x);
    free(y);
    free(pred);
    free(idx);
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
    trainer_t tr;
    if (tr_config(&tr, o, train->dim, train->classes, err, errlen))
        return -1;
    if (!tr.is_cnn && train->dim != o->mlp.sizes[0])
        return terr(err, errlen, "layers: the data has %u inputs but the first layer size is %u", train->dim,
                    o->mlp.sizes[0]);
    res->ep = calloc(o->epochs ? o->epochs : 1, sizeof *res->ep);
    if (!res->ep)
        return terr(err, errlen, "out of memory");
    run_ctx_t c = {o, train, test, res, err, errlen, (size_t)tr.dev_bytes, &tr};
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
