/* The estimator's cost engine: training GEMMs per layer, split at the
 * descriptor limits, costed by the timing model (sim/model/bc_timing.h),
 * and a run grouped by precision pair. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "est.h"
#include "est_run.h"

/* Every field of bc_events_t is a uint64_t count; adding them as an array
 * keeps this independent of the field list. */
#define EV_WORDS (sizeof(bc_events_t) / sizeof(uint64_t))
_Static_assert(sizeof(bc_events_t) % sizeof(uint64_t) == 0, "bc_events_t holds only uint64_t counters");

/* The counters' names, in bc_events_t's field order (the register description's). */
#define EV_NAME_(name, off, unit, desc) #name,
static const char *const ev_names[] = {"cycles", BC_COUNTERS(EV_NAME_)};
#undef EV_NAME_
_Static_assert(sizeof ev_names / sizeof ev_names[0] == EV_WORDS, "one name per bc_events_t counter");

/* Checked: a count that does not fit 64 bits sticks at UINT64_MAX, which
 * est_events_overflow reports by name (no count reaches 2^64 - 1 exactly). */
void est_events_add(bc_events_t *acc, const bc_events_t *ev, uint64_t times)
{
    uint64_t a[EV_WORDS], e[EV_WORDS];
    memcpy(a, acc, sizeof a);
    memcpy(e, ev, sizeof e);
    for (size_t i = 0; i < EV_WORDS; i++) {
        uint64_t prod;
        if (__builtin_mul_overflow(e[i], times, &prod) || __builtin_add_overflow(a[i], prod, &a[i]))
            a[i] = UINT64_MAX;
    }
    memcpy(acc, a, sizeof a);
}

const char *est_events_overflow(const bc_events_t *ev)
{
    uint64_t a[EV_WORDS];
    memcpy(a, ev, sizeof a);
    for (size_t i = 0; i < EV_WORDS; i++)
        if (a[i] == UINT64_MAX)
            return ev_names[i];
    return NULL;
}

/* after - before, field by field (after >= before). */
static bc_events_t events_sub(const bc_events_t *after, const bc_events_t *before)
{
    uint64_t a[EV_WORDS], b[EV_WORDS];
    memcpy(a, after, sizeof a);
    memcpy(b, before, sizeof b);
    for (size_t i = 0; i < EV_WORDS; i++)
        a[i] -= b[i];
    bc_events_t d;
    memcpy(&d, a, sizeof d);
    return d;
}

/* The most epochs a run holds (one record each, about 500 bytes), as many as
 * estimate --epochs allows. */
#define EST_MAX_EPOCHS 1000000ull
/* The most iterations of a run whose schedule varies: it is sampled at every
 * iteration (about 30 ns each), so this bounds a run to about 30 s. */
#define EST_MAX_SAMPLED_ITERS 1000000000ull

static const bc_gemm_limits_t est_limits = {.max_m = EST_MAX_M, .max_n = EST_MAX_N, .max_k = EST_MAX_K};

void est_gemm_shape(const est_layer_t *l, est_gemm_kind_t kind, uint64_t batch, unsigned fw, unsigned bw,
                    uint64_t *m, uint64_t *n, uint64_t *k, unsigned *wbits, unsigned *abits)
{
    static const bc_gemm_kind_t lowered[] = {[EST_GEMM_FW] = BC_GEMM_FWD, [EST_GEMM_BP] = BC_GEMM_ERR,
                                             [EST_GEMM_WG] = BC_GEMM_WGRAD};
    bc_gemm_desc_t g[BC_GEMM_KINDS];
    unsigned ng = 0;
    *m = *n = *k = 0;
    *wbits = kind == EST_GEMM_WG ? bw : fw;
    *abits = kind == EST_GEMM_FW ? fw : kind == EST_GEMM_BP ? bw : fw;
    if (est_layer_lower(l, batch, fw, bw, g, &ng) != BC_LOWER_OK)
        return;
    for (unsigned i = 0; i < ng; i++)
        if (g[i].kind == lowered[kind]) {
            *m = g[i].m, *n = g[i].n, *k = g[i].k, *wbits = g[i].wbits, *abits = g[i].abits;
        }
}

static bc_job_shape_t job_of(const bc_gemm_part_t *p, unsigned wbits, unsigned abits)
{
    return (bc_job_shape_t){.m = p->m, .n = p->n, .k = p->k, .wbits = wbits, .abits = abits,
                            .wsigned = true, .asigned = true};
}

static bool same_job(const bc_job_shape_t *a, const bc_job_shape_t *b)
{
    return a->m == b->m && a->n == b->n && a->k == b->k && a->wbits == b->wbits && a->abits == b->abits;
}

void est_gemm_events(const bc_hw_t *hw, const bc_calib_t *cal, uint64_t m, uint64_t n, uint64_t k,
                     unsigned wbits, unsigned abits, bc_events_t *acc)
{
    /* parts of equal shape cost the same when run alone: cost each run of
     * equal consecutive parts once */
    bc_split_iter_t it;
    bc_gemm_part_t p;
    bc_job_shape_t run_job = {0};
    uint64_t run_len = 0;
    bc_split_begin(&it, m, n, k, &est_limits);
    for (bool more = bc_split_next(&it, &p);; more = bc_split_next(&it, &p)) {
        bc_job_shape_t j = more ? job_of(&p, wbits, abits) : run_job;
        if (run_len && (!more || !same_job(&j, &run_job))) {
            bc_events_t ev;
            bc_timing_job(hw, cal, &run_job, &ev);
            est_events_add(acc, &ev, run_len);
            run_len = 0;
        }
        if (!more)
            break;
        run_job = j;
        run_len++;
    }
}

/* One iteration's jobs run as one stream of queued jobs (bc_timing_next): the
 * next job's fetch overlaps the current job's last block and its C drain. A
 * run of identical jobs costs the first, then the second for every later one
 * (from the second on, the stream state repeats relative to the job). Events
 * go to the whole iteration and to the GEMM kind being streamed. */
typedef struct iter_stream {
    const bc_hw_t *hw;
    const bc_calib_t *cal;
    bc_timing_state_t st;
    bc_events_t ev;
    bc_events_t by_kind[BC_GEMM_KINDS];
    bc_gemm_kind_t kind;
} iter_stream_t;

static void stream_add(iter_stream_t *s, const bc_events_t *ev, uint64_t times)
{
    est_events_add(&s->ev, ev, times);
    est_events_add(&s->by_kind[s->kind], ev, times);
}

static void stream_run(iter_stream_t *s, const bc_job_shape_t *job, uint64_t count)
{
    for (uint64_t i = 0; i < count && i < 2; i++) {
        bc_events_t ev;
        bc_timing_next(s->hw, s->cal, &s->st, job, &ev);
        stream_add(s, &ev, i == 1 ? count - 1 : 1);
    }
}

/* A GEMM split at the descriptor limits (bc_split_*: M outer, then N, then
 * K, the order the trainer issues them); equal consecutive parts as runs. */
static void stream_gemm(iter_stream_t *s, const bc_gemm_desc_t *g)
{
    bc_split_iter_t it;
    bc_gemm_part_t p;
    bc_job_shape_t run_job = {0};
    uint64_t run_len = 0;
    bc_split_begin(&it, g->m, g->n, g->k, &est_limits);
    for (bool more = bc_split_next(&it, &p);; more = bc_split_next(&it, &p)) {
        bc_job_shape_t j = more ? job_of(&p, g->wbits, g->abits) : run_job;
        if (run_len && (!more || !same_job(&j, &run_job))) {
            stream_run(s, &run_job, run_len);
            run_len = 0;
        }
        if (!more)
            break;
        run_job = j;
        run_len++;
    }
}

/* g->count repetitions of one GEMM (groups x steps): the first, the second,
 * and the second's cost again for each later one. */
static void stream_reps(iter_stream_t *s, const bc_gemm_desc_t *g)
{
    s->kind = g->kind;
    for (uint64_t r = 0; r < g->count && r < 2; r++) {
        bc_events_t before = s->ev;
        stream_gemm(s, g);
        if (r == 1 && g->count > 2) {
            bc_events_t one = events_sub(&s->ev, &before);
            stream_add(s, &one, g->count - 2);
        }
    }
}

/* The lowered GEMMs of a layer; a layer that does not lower (est_model_push
 * refuses those) contributes none. */
static unsigned layer_gemms(const est_layer_t *l, uint64_t batch, unsigned fw, unsigned bw,
                            bc_gemm_desc_t g[BC_GEMM_KINDS])
{
    unsigned n = 0;
    return est_layer_lower(l, batch, fw, bw, g, &n) == BC_LOWER_OK ? n : 0;
}

void est_iter_cost(const est_model_t *model, const bc_hw_t *hw, const bc_calib_t *cal, uint64_t batch,
                   unsigned fw, unsigned bw, est_iter_cost_t *out)
{
    memset(out, 0, sizeof *out);
    /* Job order (the trainer's): forward over the layers at (fw, fw); then
     * from the last layer back, error (fw, bw; none for the first layer) and
     * weight gradient (bw, fw). The stream counts the precision switches
     * inside the iteration; the change into the next iteration is counted by
     * est_run. Each iteration is a stream of its own: the host's weight
     * update between iterations lets the queue run empty. */
    iter_stream_t stream = {.hw = hw, .cal = cal}, *s = &stream;
    bc_timing_state_init(&s->st);
    const double factor = (double)bc_sched_bitops_factor(fw, bw);
    bc_gemm_desc_t g[BC_GEMM_KINDS];
    for (size_t i = 0; i < model->n; i++) {
        unsigned ng = layer_gemms(&model->layers[i], batch, fw, bw, g);
        if (ng)
            stream_reps(s, &g[0]);
        double macs = (double)est_layer_macs(&model->layers[i]) * (double)batch;
        out->macs += macs;
        out->bitops += macs * factor;
    }
    for (size_t i = model->n; i-- > 0;) {
        unsigned ng = layer_gemms(&model->layers[i], batch, fw, bw, g);
        for (unsigned j = 1; j < ng; j++)
            stream_reps(s, &g[j]);
    }
    out->ev = s->ev;
    memcpy(out->by_kind, s->by_kind, sizeof out->by_kind);
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

static bool sched_constant(const bc_sched_t *s)
{
    return s->family == BC_SCHED_STATIC || s->lo == s->hi;
}

/* Samples the schedules at every iteration of [t0, t1): the precision pair
 * counts, the changes and the switches at iteration boundaries. */
static bool sample_epoch(est_run_ctx_t *ctx, const bc_sched_t *fw, const bc_sched_t *bw, uint64_t t0, uint64_t t1,
                         uint64_t counts[EST_MAX_BITS + 1][EST_MAX_BITS + 1], unsigned *pf, unsigned *pb,
                         est_epoch_t *ep, uint64_t *boundary_switches, char *err, size_t errlen)
{
    unsigned prev_fw = *pf, prev_bw = *pb;
    for (uint64_t t = t0; t < t1; t++) {
        unsigned f = bc_sched_bits(fw, t, ctx->iters, ctx->cycles);
        unsigned b = bc_sched_bits(bw, t, ctx->iters, ctx->cycles);
        if (f < 1 || f > EST_MAX_BITS || b < 1 || b > EST_MAX_BITS) {
            snprintf(err, errlen, "schedule gives %u/%u bits at iteration %llu (1..%u allowed)", f, b,
                     (unsigned long long)t, EST_MAX_BITS);
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
            (*boundary_switches)++;
        prev_fw = f;
        prev_bw = b;
    }
    *pf = prev_fw;
    *pb = prev_bw;
    return true;
}

bool est_run(est_run_ctx_t *ctx, const bc_sched_t *fw, const bc_sched_t *bw, est_run_t *out, char *err,
             size_t errlen)
{
    memset(out, 0, sizeof *out);
    if (!ctx->iters || !ctx->iters_per_epoch) {
        snprintf(err, errlen, "nothing to estimate: 0 iterations");
        return false;
    }
    uint64_t epochs = ctx->iters / ctx->iters_per_epoch + (ctx->iters % ctx->iters_per_epoch != 0);
    if (epochs > EST_MAX_EPOCHS) {
        snprintf(err, errlen, "%llu iterations of %llu per epoch: %llu epochs is more than the limit of %llu",
                 (unsigned long long)ctx->iters, (unsigned long long)ctx->iters_per_epoch,
                 (unsigned long long)epochs, (unsigned long long)EST_MAX_EPOCHS);
        return false;
    }
    size_t n_epochs = (size_t)epochs;
    if (!(sched_constant(fw) && sched_constant(bw)) && ctx->iters > EST_MAX_SAMPLED_ITERS) {
        snprintf(err, errlen,
                 "%llu iterations is more than the limit of %llu for a schedule that varies (it is sampled at "
                 "every iteration)",
                 (unsigned long long)ctx->iters, (unsigned long long)EST_MAX_SAMPLED_ITERS);
        return false;
    }
    out->epochs = calloc(n_epochs, sizeof *out->epochs);
    if (!out->epochs) {
        snprintf(err, errlen, "out of memory for %zu epochs", n_epochs);
        return false;
    }
    out->n_epochs = n_epochs;
    uint64_t counts[EST_MAX_BITS + 1][EST_MAX_BITS + 1];
    unsigned prev_fw = 0, prev_bw = 0;
    const bool constant = sched_constant(fw) && sched_constant(bw);
    const unsigned cf = fw->lo, cb = bw->lo;
    if (constant && (cf < 1 || cf > EST_MAX_BITS || cb < 1 || cb > EST_MAX_BITS)) {
        snprintf(err, errlen, "schedule gives %u/%u bits (1..%u allowed)", cf, cb, EST_MAX_BITS);
        est_run_free(out);
        return false;
    }
    for (size_t e = 0; e < n_epochs; e++) {
        memset(counts, 0, sizeof counts);
        uint64_t t0 = (uint64_t)e * ctx->iters_per_epoch;
        uint64_t t1 = t0 + ctx->iters_per_epoch, boundary_switches = 0;
        if (t1 > ctx->iters)
            t1 = ctx->iters;
        est_epoch_t *ep = &out->epochs[e];
        ep->first_iter = t0;
        if (constant) {
            /* work per epoch, not per iteration: every iteration at (cf, cb) */
            counts[cf][cb] = t1 - t0;
            if (ctx->precision_trace)
                memset(ctx->precision_trace + t0, (int)cf, (size_t)(t1 - t0));
            if (cb != cf)
                boundary_switches = t1 - t0 - (t0 == 0);
        } else if (!sample_epoch(ctx, fw, bw, t0, t1, counts, &prev_fw, &prev_bw, ep, &boundary_switches, err,
                                 errlen)) {
            est_run_free(out);
            return false;
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
                for (unsigned g = 0; g < BC_GEMM_KINDS; g++)
                    est_events_add(&ep->by_kind[g], &c->by_kind[g], counts[f][b]);
                ep->bitops += c->bitops * (double)counts[f][b];
                ep->macs += c->macs * (double)counts[f][b];
                ep->fw_bits_sum += (double)f * (double)counts[f][b];
                ep->bw_bits_sum += (double)b * (double)counts[f][b];
            }
        finish(ctx, ep);
        est_epoch_t *tot = &out->total;
        tot->iters += ep->iters;
        est_events_add(&tot->ev, &ep->ev, 1);
        for (unsigned g = 0; g < BC_GEMM_KINDS; g++)
            est_events_add(&tot->by_kind[g], &ep->by_kind[g], 1);
        tot->bitops += ep->bitops;
        tot->macs += ep->macs;
        tot->fw_bits_sum += ep->fw_bits_sum;
        tot->bw_bits_sum += ep->bw_bits_sum;
        tot->precision_changes += ep->precision_changes;
    }
    finish(ctx, &out->total);
    const char *which = est_events_overflow(&out->total.ev);
    for (unsigned g = 0; g < BC_GEMM_KINDS && !which; g++)
        which = est_events_overflow(&out->total.by_kind[g]);
    if (which) {
        snprintf(err, errlen, "the count of %s overflows 64 bits (reduce the iterations, the batch or the model)",
                 which);
        est_run_free(out);
        return false;
    }
    return true;
}
