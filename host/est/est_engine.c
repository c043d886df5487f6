/* The estimator's cost engine: training GEMMs per layer, split at the
 * descriptor limits, costed by the timing model (sim/model/bc_timing.h),
 * and a run grouped by precision pair. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "est.h"
#include "est_run.h"

void est_events_add(bc_events_t *acc, const bc_events_t *ev, uint64_t times)
{
    acc->cycles += ev->cycles * times;
#define EVENT_ADD(name, off, unit, desc) acc->name += ev->name * times;
    BC_COUNTERS(EVENT_ADD)
#undef EVENT_ADD
}

void est_gemm_shape(const est_layer_t *l, est_gemm_kind_t kind, uint64_t batch, unsigned fw, unsigned bw,
                    uint64_t *m, uint64_t *n, uint64_t *k, unsigned *wbits, unsigned *abits)
{
    uint64_t nn = l->n_per_sample * batch;
    switch (kind) {
    case EST_GEMM_FW: /* Y = W X: weights x activations */
        *m = l->m, *n = nn, *k = l->k, *wbits = fw, *abits = fw;
        break;
    case EST_GEMM_BP: /* dX = W^T dY: weights x errors */
        *m = l->k, *n = nn, *k = l->m, *wbits = fw, *abits = bw;
        break;
    default: /* dW = dY X^T: errors x activations */
        *m = l->m, *n = l->k, *k = nn, *wbits = bw, *abits = fw;
        break;
    }
}

void est_gemm_events(const bc_hw_t *hw, const bc_calib_t *cal, uint64_t m, uint64_t n, uint64_t k,
                     unsigned wbits, unsigned abits, bc_events_t *acc)
{
    /* Split into full-size jobs and one remainder per dimension: at most
     * eight distinct job shapes, each costed once. */
    uint64_t dm[2] = {EST_MAX_M, m % EST_MAX_M}, cm[2] = {m / EST_MAX_M, m % EST_MAX_M ? 1 : 0};
    uint64_t dn[2] = {EST_MAX_N, n % EST_MAX_N}, cn[2] = {n / EST_MAX_N, n % EST_MAX_N ? 1 : 0};
    uint64_t dk[2] = {EST_MAX_K, k % EST_MAX_K}, ck[2] = {k / EST_MAX_K, k % EST_MAX_K ? 1 : 0};
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 2; j++)
            for (int q = 0; q < 2; q++) {
                uint64_t count = cm[i] * cn[j] * ck[q];
                if (!count)
                    continue;
                bc_job_shape_t s = {.m = (unsigned)dm[i], .n = (unsigned)dn[j], .k = (unsigned)dk[q],
                                    .wbits = wbits, .abits = abits, .wsigned = true, .asigned = true};
                bc_events_t ev;
                bc_timing_job(hw, cal, &s, &ev);
                est_events_add(acc, &ev, count);
            }
}

/* One iteration's jobs run as one stream of queued jobs (bc_timing_next): the
 * next job's fetch overlaps the current job's last block and its C drain. A
 * run of identical jobs costs the first, then the second for every later one
 * (from the second on, the stream state repeats relative to the job). */
typedef struct iter_stream {
    const bc_hw_t *hw;
    const bc_calib_t *cal;
    bc_timing_state_t st;
    bc_events_t ev;
} iter_stream_t;

static void stream_run(iter_stream_t *s, const bc_job_shape_t *job, uint64_t count)
{
    for (uint64_t i = 0; i < count && i < 2; i++) {
        bc_events_t ev;
        bc_timing_next(s->hw, s->cal, &s->st, job, &ev);
        est_events_add(&s->ev, &ev, i == 1 ? count - 1 : 1);
    }
}

/* A GEMM split at the descriptor limits, in the order the test and the
 * trainer issue the parts: M outer, then N, then K. */
static void stream_gemm(iter_stream_t *s, uint64_t m, uint64_t n, uint64_t k, unsigned wbits, unsigned abits)
{
    uint64_t dm[2] = {EST_MAX_M, m % EST_MAX_M}, cm[2] = {m / EST_MAX_M, m % EST_MAX_M ? 1 : 0};
    uint64_t dn[2] = {EST_MAX_N, n % EST_MAX_N}, cn[2] = {n / EST_MAX_N, n % EST_MAX_N ? 1 : 0};
    uint64_t dk[2] = {EST_MAX_K, k % EST_MAX_K}, ck[2] = {k / EST_MAX_K, k % EST_MAX_K ? 1 : 0};
    for (int i = 0; i < 2; i++)
        for (uint64_t mi = 0; mi < cm[i]; mi++)
            for (int j = 0; j < 2; j++)
                for (uint64_t ni = 0; ni < cn[j]; ni++)
                    for (int q = 0; q < 2; q++) {
                        if (!ck[q])
                            continue;
                        bc_job_shape_t sh = {.m = (unsigned)dm[i], .n = (unsigned)dn[j], .k = (unsigned)dk[q],
                                             .wbits = wbits, .abits = abits, .wsigned = true, .asigned = true};
                        stream_run(s, &sh, ck[q]);
                    }
}

/* reps repetitions of one GEMM: the first, the second, and the second's cost
 * again for each later one. */
static void stream_reps(iter_stream_t *s, uint64_t m, uint64_t n, uint64_t k, unsigned wbits, unsigned abits,
                        uint64_t reps)
{
    for (uint64_t r = 0; r < reps && r < 2; r++) {
        bc_events_t before = s->ev;
        stream_gemm(s, m, n, k, wbits, abits);
        if (r == 1 && reps > 2) {
            bc_events_t one = s->ev;
            uint64_t *d = (uint64_t *)&one;
            const uint64_t *b = (const uint64_t *)&before;
            for (size_t f = 0; f < sizeof one / sizeof(uint64_t); f++)
                d[f] -= b[f];
            est_events_add(&s->ev, &one, reps - 2);
        }
    }
}

void est_iter_cost(const est_model_t *model, const bc_hw_t *hw, const bc_calib_t *cal, uint64_t batch,
                   unsigned fw, unsigned bw, est_iter_cost_t *out)
{
    memset(out, 0, sizeof *out);
    /* Job order: forward over the layers at (fw, fw); then from the last
     * layer back, error back-prop (fw, bw) and weight gradient (bw, fw). The
     * stream counts the precision switches inside the iteration (2 per layer
     * when fw != bw); the change into the next iteration is counted by
     * est_run. Each iteration is a stream of its own: the host's weight update
     * between iterations lets the queue run empty. A layer's groups/steps
     * repeat its GEMM: the second repetition costs what every later one does. */
    iter_stream_t s = {.hw = hw, .cal = cal};
    bc_timing_state_init(&s.st);
    for (size_t i = 0; i < model->n; i++) {
        const est_layer_t *l = &model->layers[i];
        uint64_t m, n, k;
        unsigned wb, ab;
        est_gemm_shape(l, EST_GEMM_FW, batch, fw, bw, &m, &n, &k, &wb, &ab);
        stream_reps(&s, m, n, k, wb, ab, (uint64_t)l->groups * l->steps);
        double macs = (double)est_layer_macs(l) * (double)batch;
        out->macs += macs;
        out->bitops += macs * ((double)fw * fw + 2.0 * fw * bw);
    }
    for (size_t i = model->n; i-- > 0;) {
        const est_layer_t *l = &model->layers[i];
        for (int kind = EST_GEMM_BP; kind <= EST_GEMM_WG; kind++) {
            uint64_t m, n, k;
            unsigned wb, ab;
            est_gemm_shape(l, (est_gemm_kind_t)kind, batch, fw, bw, &m, &n, &k, &wb, &ab);
            stream_reps(&s, m, n, k, wb, ab, (uint64_t)l->groups * l->steps);
        }
    }
    out->ev = s.ev;
}

/* ------------------------------------------------------------------ runs */

static bool cost_of(est_run_ctx_t *ctx, unsigned fw, unsigned bw, const est_iter_cost_t **out)
{
    size_t idx = (size_t)fw * (EST_MAX_BITS + 1) + bw;
    if (!ctx->have[idx]) {
        est_iter_cost(ctx->model, &ctx->hw, &ctx->cal, ctx->batch, fw, bw, &ctx->cost[idx]);
        ctx->have[idx] = true;
    }
    *out = &ctx->cost[idx];
    return true;
}

void est_run_free(est_run_t *r)
{
    free(r->epochs);
    r->epochs = NULL;
    r->n_epochs = 0;
}

static void finish(const est_run_ctx_t *ctx, est_epoch_t *e)
{
    est_energy_of(&ctx->energy, &e->ev, ctx->hw.clock_hz, &e->joules);
    e->latency_s = ctx->hw.clock_hz > 0 ? (double)e->ev.cycles / ctx->hw.clock_hz : 0.0;
    e->mean_fw_bits = e->iters ? e->fw_bits_sum / (double)e->iters : 0.0;
    e->mean_bw_bits = e->iters ? e->bw_bits_sum / (double)e->iters : 0.0;
}

bool est_run(est_run_ctx_t *ctx, const bc_sched_t *fw, const bc_sched_t *bw, est_run_t *out, char *err,
             size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (!ctx->iters || !ctx->iters_per_epoch) {
        snprintf(err, errlen, "nothing to estimate: 0 iterations");
        return false;
    }
    size_t n_epochs = (size_t)((ctx->iters + ctx->iters_per_epoch - 1) / ctx->iters_per_epoch);
    out->epochs = calloc(n_epochs, sizeof *out->epochs);
    if (!out->epochs) {
        snprintf(err, errlen, "out of memory for %zu epochs", n_epochs);
        return false;
    }
    out->n_epochs = n_epochs;
    uint64_t counts[EST_MAX_BITS + 1][EST_MAX_BITS + 1];
    unsigned prev_fw = 0, prev_bw = 0;
    for (size_t e = 0; e < n_epochs; e++) {
        memset(counts, 0, sizeof counts);
        uint64_t t0 = (uint64_t)e * ctx->iters_per_epoch;
        uint64_t t1 = t0 + ctx->iters_per_epoch, boundary_switches = 0;
        if (t1 > ctx->iters)
            t1 = ctx->iters;
        est_epoch_t *ep = &out->epochs[e];
        ep->first_iter = t0;
        for (uint64_t t = t0; t < t1; t++) {
            unsigned f = bc_sched_bits(fw, t, ctx->iters, ctx->cycles);
            unsigned b = bc_sched_bits(bw, t, ctx->iters, ctx->cycles);
            if (f < 1 || f > EST_MAX_BITS || b < 1 || b > EST_MAX_BITS) {
                snprintf(err, errlen, "schedule gives %u/%u bits at iteration %llu (1..%u allowed)", f, b,
                         (unsigned long long)t, EST_MAX_BITS);
                est_run_free(out);
                return false;
            }
            counts[f][b]++;
            if (ctx->precision_trace)
                ctx->precision_trace[t] = (uint8_t)f;
            if (t > 0 && (f != prev_fw || b != prev_bw))
                ep->precision_changes++;
            /* last job of the previous iteration: weight gradient at
             * (prev_bw, prev_fw); first of this one: forward at (f, f) */
            if (t > 0 && (prev_bw != f || prev_fw != f))
                boundary_switches++;
            prev_fw = f;
            prev_bw = b;
        }
        ep->iters = t1 - t0;
        ep->ev.switches += boundary_switches;
        for (unsigned f = 1; f <= EST_MAX_BITS; f++)
            for (unsigned b = 1; b <= EST_MAX_BITS; b++) {
                if (!counts[f][b])
                    continue;
                const est_iter_cost_t *c;
                cost_of(ctx, f, b, &c);
                est_events_add(&ep->ev, &c->ev, counts[f][b]);
                ep->bitops += c->bitops * (double)counts[f][b];
                ep->macs += c->macs * (double)counts[f][b];
                ep->fw_bits_sum += (double)f * (double)counts[f][b];
                ep->bw_bits_sum += (double)b * (double)counts[f][b];
            }
        finish(ctx, ep);
        est_epoch_t *tot = &out->total;
        tot->iters += ep->iters;
        est_events_add(&tot->ev, &ep->ev, 1);
        tot->bitops += ep->bitops;
        tot->macs += ep->macs;
        tot->fw_bits_sum += ep->fw_bits_sum;
        tot->bw_bits_sum += ep->bw_bits_sum;
        tot->precision_changes += ep->precision_changes;
    }
    finish(ctx, &out->total);
    return true;
}
