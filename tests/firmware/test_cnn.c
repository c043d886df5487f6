/* CNN trainer on the fsim backend: the three lowered GEMMs of a convolution
 * (im2col forward, transposed-convolution error, weight gradient) with their
 * zero-offset corrections against direct double convolutions of the
 * dequantized operands, at several strides, paddings and kernels, with
 * descriptor splits and result drains forced; then whole-network training
 * (learning, determinism, queueing of independent GEMMs) and bad configs. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "../../firmware/src/bc_cnn_gemm.h"
#include "bc_cnn.h"
#include "bc_hal_fsim.h"
#include "fw_tests.h"

typedef struct fsim_dev {
    bc_fsim_t *fsim;
    bc_hal_t hal;
    bc_dev_t dev;
} fsim_dev_t;

static void dev_open(fsim_dev_t *d, size_t mem)
{
    bc_fsim_config_t fc;
    bc_fsim_config_default(&fc);
    fc.mem_bytes = mem;
    char err[256];
    d->fsim = bc_fsim_create(&fc, err, sizeof err);
    if (!d->fsim)
        fail_msg("bc_fsim_create: %s", err);
    bc_fsim_hal(d->fsim, &d->hal);
    assert_int_equal(bc_open(&d->dev, &d->hal), BC_OK);
}

static uint64_t lcg(uint64_t *s)
{
    *s = *s * 6364136223846793005ull + 1442695040888963407ull;
    return *s >> 33;
}

/* Random codes for params p (signed: -2^(b-1)..2^(b-1)-1). */
static void rand_codes(int32_t *q, size_t n, const bc_qp_t *p, uint64_t *s)
{
    uint32_t span = 1u << p->bits;
    int32_t lo = p->is_signed ? -(int32_t)(span / 2u) : 0;
    for (size_t i = 0; i < n; i++)
        q[i] = lo + (int32_t)(lcg(s) % span);
}

typedef struct case_geom {
    uint32_t cin, cout, h, w, k, s, p;
    unsigned batch;
} case_geom_t;

/* A bare trainer context around the GEMM engine: arena from malloc, small
 * descriptor limits so M, N and K split, and a device window small enough
 * to force result drains. */
static void engine_ctx(bc_cnn_t *t, fsim_dev_t *d, const bc_gemm_limits_t *lim, uint64_t dev_bytes)
{
    memset(t, 0, sizeof *t);
    t->dev = &d->dev;
    t->cfg.timeout_ns = 10000000000ull;
    t->dev_base = 0x1000;
    t->dev_bytes = dev_bytes;
    t->lim = *lim;
    t->rows_elems = 1u << 16;
    t->pack_words = (t->rows_elems / 64u + 4096u) * 16u;
    t->cpart_elems = 1024; /* read results back in several chunks */
    t->rows = malloc(t->rows_elems * sizeof(int32_t));
    t->pack = malloc(t->pack_words * 8u);
    t->cpart = malloc(t->cpart_elems * 4u);
    for (int q = 0; q < 2; q++) {
        t->acc[q] = malloc((1u << 16) * 8u);
        t->sum_b[q] = malloc((1u << 14) * 8u);
        t->corr[q] = malloc((1u << 14) * 8u);
    }
}

static void engine_free(bc_cnn_t *t)
{
    free(t->rows);
    free(t->pack);
    free(t->cpart);
    for (int q = 0; q < 2; q++) {
        free(t->acc[q]);
        free(t->sum_b[q]);
        free(t->corr[q]);
    }
}

static double val(const bc_qp_t *p, int32_t q)
{
    return (double)p->offset + (double)p->scale * q;
}

static void expect_close(const float *got, const double *want, const double *mag, size_t n, const char *what,
                         const case_geom_t *c)
{
    for (size_t i = 0; i < n; i++)
        if (fabs(got[i] - want[i]) > 1e-5 * (mag[i] + 1.0))
            fail_msg("%s (cin %u cout %u %ux%u k%u s%u p%u): element %zu: %.9g, reference %.9g", what, c->cin,
                     c->cout, c->h, c->w, c->k, c->s, c->p, i, got[i], want[i]);
}

static void run_case(const case_geom_t *c, uint64_t seed)
{
    fsim_dev_t d;
    dev_open(&d, 8u << 20);
    bc_gemm_limits_t lim = {5, 7, 64};
    bc_cnn_t t;
    engine_ctx(&t, &d, &lim, 96u << 10);
    cg_geom_t g = {c->cin, c->cout, c->h, c->w, c->k, c->k, c->s, c->s, c->p, c->p, 0, 0, c->batch};
    g.oh = bc_conv_out_size(c->h, c->k, c->s, c->p, 1);
    g.ow = bc_conv_out_size(c->w, c->k, c->s, c->p, 1);
    size_t T = (size_t)c->k * c->k, nx = (size_t)c->batch * c->cin * c->h * c->w;
    size_t ne = (size_t)c->batch * c->cout * g.oh * g.ow, nw = (size_t)c->cout * c->cin * T;
    int32_t *qx = malloc(nx * 4), *qe = malloc(ne * 4), *qw = malloc(nw * 4);
    bc_qp_t px = bc_q_params(-0.25f, 1.5f, 5, false), pe = bc_q_params(-0.01f, 0.02f, 6, true);
    bc_qp_t pw_t = bc_q_params(-0.7f, 0.4f, 4, true), pw_rows[64];
    for (uint32_t co = 0; co < c->cout; co++)
        pw_rows[co] = bc_q_params(-0.5f - 0.01f * co, 0.3f + 0.02f * co, 4, true);
    rand_codes(qx, nx, &px, &seed);
    rand_codes(qe, ne, &pe, &seed);
    rand_codes(qw, nw, &pw_t, &seed);
    float *y = malloc(ne * 4), *dx = malloc(nx * 4), *dw = malloc(nw * 4);
    double *ry = calloc(ne, 8), *my = calloc(ne, 8), *rdx = calloc(nx, 8), *mdx = calloc(nx, 8);
    double *rdw = calloc(nw, 8), *mdw = calloc(nw, 8);
    for (size_t i = 0; i < nx; i++)
        dx[i] = 0.5f; /* the error GEMM accumulates */
    /* direct convolution of the dequantized operands, scattering over every tap */
    for (unsigned b = 0; b < c->batch; b++)
        for (uint32_t co = 0; co < c->cout; co++)
            for (uint32_t oy = 0; oy < g.oh; oy++)
                for (uint32_t ox = 0; ox < g.ow; ox++)
                    for (uint32_t ci = 0; ci < c->cin; ci++)
                        for (uint32_t ky = 0; ky < c->k; ky++)
                            for (uint32_t kx = 0; kx < c->k; kx++) {
                                int64_t iy = (int64_t)oy * c->s - c->p + ky, ix = (int64_t)ox * c->s - c->p + kx;
                                if (iy < 0 || ix < 0 || iy >= c->h || ix >= c->w)
                                    continue;
                                size_t xi = ((b * c->cin + ci) * c->h + iy) * c->w + ix;
                                size_t wi = (co * c->cin + ci) * T + ky * c->k + kx;
                                size_t yi = ((b * c->cout + co) * g.oh + oy) * g.ow + ox;
                                double fw = val(&pw_rows[co], qw[wi]) * val(&px, qx[xi]);
                                ry[yi] += fw, my[yi] += fabs(fw);
                                double er = val(&pw_t, qw[wi]) * val(&pe, qe[yi]);
                                rdx[xi] += er, mdx[xi] += fabs(er);
                                double gr = val(&pe, qe[yi]) * val(&px, qx[xi]);
                                rdw[wi] += gr, mdw[wi] += fabs(gr);
                            }
    for (size_t i = 0; i < nx; i++)
        rdx[i] += 0.5;
    bc_cnn_stats_t st;
    memset(&st, 0, sizeof st);
    cg_job_t fwd = {.kind = BC_GEMM_FWD, .g = g, .qa = qw, .qb = qx, .pa = pw_rows, .pa_rows = true, .pb = px, .out = y};
    if (cg_run(&t, &fwd, 1, "forward", 0, &st))
        fail_msg("forward: %s", t.err);
    expect_close(y, ry, my, ne, "forward", c);
    uint64_t jobs_fwd = st.jobs;
    uint64_t m, n, k;
    cg_shape(&fwd, &m, &n, &k);
    assert_int_equal(jobs_fwd, bc_split_count(m, n, k, &lim));
    cg_job_t bwd[2] = {
        {.kind = BC_GEMM_ERR, .g = g, .qa = qw, .qb = qe, .pa = &pw_t, .pb = pe, .out = dx, .accumulate = true},
        {.kind = BC_GEMM_WGRAD, .g = g, .qa = qe, .qb = qx, .pa = &pe, .pb = px, .out = dw},
    };
    memset(&st, 0, sizeof st);
    if (cg_run(&t, bwd, 2, "backward", 0, &st))
        fail_msg("backward: %s", t.err);
    expect_close(dx, rdx, mdx, nx, "error (transposed convolution)", c);
    expect_close(dw, rdw, mdw, nw, "weight gradient", c);
    /* the lowering module gives the shapes the engine ran */
    bc_layer_geom_t lg = {BC_LAYER_CONV, c->cin, c->cout, c->h, c->w, c->k, c->k, c->s, c->s, c->p, c->p, 1, 1, 1, 1, false};
    bc_gemm_desc_t desc[3];
    unsigned nd;
    assert_int_equal(bc_lower_layer(&lg, c->batch, 4, 6, desc, &nd), BC_LOWER_OK);
    assert_int_equal(nd, 3);
    uint64_t expect_jobs = 0;
    for (unsigned q = 0; q < 2; q++) {
        cg_shape(&bwd[q], &m, &n, &k);
        assert_int_equal(m, desc[q + 1].m);
        assert_int_equal(n, desc[q + 1].n);
        assert_int_equal(k, desc[q + 1].k);
        expect_jobs += bc_split_count(m, n, k, &lim);
    }
    assert_int_equal(st.jobs, expect_jobs);
    assert_true(st.im2col_ops > 0);
    free(qx), free(qe), free(qw), free(y), free(dx), free(dw);
    free(ry), free(my), free(rdx), free(mdx), free(rdw), free(mdw);
    engine_free(&t);
    bc_fsim_destroy(d.fsim);
}

static void test_conv_gemms_match_direct_convolution(void **state)
{
    (void)state;
    static const case_geom_t cases[] = {
        {3, 4, 7, 7, 3, 1, 1, 2}, {3, 5, 8, 6, 3, 2, 1, 2}, {2, 3, 9, 9, 5, 2, 2, 1},
        {4, 6, 6, 6, 1, 2, 0, 3}, {2, 2, 5, 7, 3, 3, 0, 2}, {70, 3, 3, 3, 3, 1, 1, 1},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        run_case(&cases[i], fw_seed * 131u + i);
}

/* ---------- whole networks ---------- */

/* Two classes: a bright bar in the top or in the bottom half, plus noise. */
static void bars(float *x, uint8_t *y, unsigned n, unsigned hw, uint64_t *s)
{
    for (unsigned i = 0; i < n; i++) {
        y[i] = (uint8_t)(lcg(s) & 1u);
        for (unsigned p = 0; p < hw * hw; p++) {
            unsigned row = p / hw;
            bool bar = y[i] ? row >= hw / 2 + 1 && row < hw / 2 + 3 : row >= 1 && row < 3;
            x[i * hw * hw + p] = (bar ? 0.8f : 0.1f) + (float)(lcg(s) % 100u) / 500.0f;
        }
    }
}

typedef struct net_run {
    fsim_dev_t d;
    bc_cnn_t *m;
    void *ws;
} net_run_t;

static void net_open(net_run_t *r, const bc_cnn_config_t *cfg)
{
    dev_open(&r->d, 32u << 20);
    size_t wsb = (bc_cnn_workspace_bytes(cfg) + 15u) & ~(size_t)15u;
    assert_true(wsb > 0);
    r->ws = aligned_alloc(16, wsb);
    r->m = malloc(sizeof *r->m);
    assert_non_null(r->ws);
    size_t devb = bc_cnn_device_bytes(cfg);
    assert_true(devb + 0x1000u < (32u << 20));
    if (bc_cnn_init(r->m, cfg, r->ws, wsb, &r->d.dev, 0x1000, devb))
        fail_msg("bc_cnn_init: %s", r->m->err);
}

static void net_close(net_run_t *r)
{
    bc_fsim_destroy(r->d.fsim);
    free(r->ws);
    free(r->m);
}

static bc_cnn_config_t base_cfg(void)
{
    bc_cnn_config_t c;
    memset(&c, 0, sizeof c);
    c.batch = 16;
    c.lr = 0.05f;
    c.momentum = 0.9f;
    c.weight_decay = 1e-4f;
    c.bn_momentum = 0.1f;
    c.bn_eps = 1e-5f;
    c.act_momentum = 0.9f;
    c.seed = fw_seed;
    return c;
}

/* Trains `steps` steps at 8/8 and returns the accuracy on fresh samples. */
static double train_bars(const bc_cnn_config_t *cfg, unsigned steps, uint64_t *hash, bc_cnn_stats_t *last)
{
    net_run_t r;
    net_open(&r, cfg);
    enum { N = 16, HW = 12 };
    float x[N * HW * HW];
    uint8_t y[N], pred[N];
    uint64_t s = fw_seed * 977u + 5u;
    for (unsigned t = 0; t < steps; t++) {
        bars(x, y, N, HW, &s);
        unsigned fw = 3u + t % 6u; /* precision switches every step */
        if (bc_cnn_train_step(r.m, x, y, N, fw, 8, NULL, NULL, last))
            fail_msg("step %u: %s", t, r.m->err);
    }
    unsigned hits = 0, total = 0;
    for (unsigned b = 0; b < 4; b++) {
        bars(x, y, N, HW, &s);
        if (bc_cnn_predict(r.m, x, N, 8, pred, NULL))
            fail_msg("predict: %s", r.m->err);
        for (unsigned i = 0; i < N; i++)
            hits += pred[i] == y[i], total++;
    }
    *hash = bc_cnn_weights_hash(r.m);
    net_close(&r);
    return (double)hits / total;
}

static void test_lenet_and_resnet_learn_deterministically(void **state)
{
    (void)state;
    bc_cnn_config_t c = base_cfg();
    assert_int_equal(bc_cnn_lenet5(&c.net, 1, 12, 12, 2), 0);
    uint64_t h1, h2, h3;
    bc_cnn_stats_t st;
    double acc = train_bars(&c, 30, &h1, &st);
    assert_true(acc >= 0.9);
    assert_true(train_bars(&c, 30, &h2, &st) == acc);
    assert_true(h1 == h2);
    c.seed += 1;
    train_bars(&c, 30, &h3, &st);
    assert_true(h3 != h1);

    bc_cnn_config_t r = base_cfg();
    assert_int_equal(bc_cnn_resnet(&r.net, 1, 12, 12, 2, 1, 4), 0);
    acc = train_bars(&r, 30, &h1, &st);
    assert_true(acc >= 0.9);
    /* every quantized layer's GEMMs ran: forward, error (not the first layer), weight gradient */
    bc_layer_geom_t geoms[16];
    unsigned ng = bc_cnn_geoms(&r.net, geoms, 16);
    assert_int_equal(ng, 10); /* stem, 2 per block x 3, 2 shortcuts, FC */
    uint64_t bitops = 0;
    for (unsigned i = 0; i + 1 < ng; i++) { /* the last FC is float */
        bc_gemm_desc_t dsc[3];
        unsigned nd;
        assert_int_equal(bc_lower_layer(&geoms[i], 16, 8, 8, dsc, &nd), BC_LOWER_OK);
        assert_int_equal(nd, geoms[i].first ? 2u : 3u);
        for (unsigned q = 0; q < nd; q++)
            bitops += dsc[q].m * dsc[q].n * dsc[q].k * 64u;
    }
    /* the last step ran at 3 + 29 % 6 = 8 bits forward and 8 backward */
    assert_int_equal(st.bitops, bitops);
    assert_true(st.ctr.jobs == st.jobs);
    /* a forward GEMM per layer waits alone; a layer's two backward GEMMs share one wait */
    assert_int_equal(st.waits, 2u * (ng - 1u));
    assert_true(st.im2col_ops > 0 && st.corr_ops > 0);
}

/* Central differences of the loss in one parameter at several step sizes:
 * a ReLU or max-pool decision that flips inside one step spoils that
 * estimate, a wrong gradient spoils all of them. */
enum { FD_STEPS = 4 };
static const float fd_eps[FD_STEPS] = {3e-3f, 1e-3f, 3e-4f, 1e-4f};

static void fd_grads(bc_cnn_t *m, const float *x, const uint8_t *y, unsigned n, float *param, double *out)
{
    float keep = *param;
    for (unsigned e = 0; e < FD_STEPS; e++) {
        float lp, lm;
        *param = keep + fd_eps[e];
        assert_int_equal(bc_cnn_loss(m, x, y, n, 8, &lp), 0);
        *param = keep - fd_eps[e];
        assert_int_equal(bc_cnn_loss(m, x, y, n, 8, &lm), 0);
        out[e] = ((double)lp - (double)lm) / (2.0 * fd_eps[e]);
    }
    *param = keep;
}

static void expect_fd(double g, const double *fd, const char *what, unsigned p)
{
    if (getenv("FW_VERBOSE"))
        printf("%s %u: gradient %.6g, finite differences %.6g %.6g %.6g %.6g\n", what, p, g, fd[0], fd[1], fd[2],
               fd[3]);
    for (unsigned e = 0; e < FD_STEPS; e++)
        if (fabs(g - fd[e]) <= 1e-3 + 0.01 * fabs(fd[e]))
            return;
    fail_msg("%s %u: gradient %.6g, finite differences %.6g %.6g %.6g %.6g", what, p, g, fd[0], fd[1], fd[2], fd[3]);
}

/* The CPU layers' backward passes (batch norm, ReLU, max and average pooling,
 * residual add, flatten, float FC) against central finite differences of the
 * loss: one SGD step with lr 1, no momentum or decay, moves each parameter by
 * minus its gradient. */
static void test_cpu_layers_match_finite_differences(void **state)
{
    (void)state;
    bc_cnn_config_t c = base_cfg();
    c.lr = 1.0f, c.momentum = 0.0f, c.weight_decay = 0.0f, c.batch = 4;
    bc_cnn_net_t *net = &c.net;
    memset(net, 0, sizeof *net);
    net->in_c = 2, net->in_h = net->in_w = 6;
    bc_cnn_op_t ops[] = {
        {.kind = BC_OP_BN, .src = 0},                                              /* t1 */
        {.kind = BC_OP_RELU, .src = 1},                                            /* t2 */
        {.kind = BC_OP_BN, .src = 2},                                              /* t3 */
        {.kind = BC_OP_MAXPOOL, .src = 3, .pool_k = 3, .pool_stride = 2, .pool_pad = 1}, /* t4: 3x3 */
        {.kind = BC_OP_AVGPOOL, .src = 2, .pool_k = 2, .pool_stride = 2},          /* t5: 3x3 */
        {.kind = BC_OP_ADD, .src = 4, .src2 = 5},                                  /* t6 */
        {.kind = BC_OP_FLATTEN, .src = 6},                                         /* t7: 18 */
        {.kind = BC_OP_FC, .src = 7, .geom = {.kind = BC_LAYER_FC, .cin = 18, .cout = 3, .in_h = 1, .in_w = 1}},
    };
    net->n_ops = sizeof ops / sizeof ops[0];
    memcpy(net->ops, ops, sizeof ops);
    net_run_t r;
    net_open(&r, &c);
    enum { N = 4 };
    float x[N * 72];
    uint8_t y[N] = {0, 1, 2, 1};
    uint64_t s = fw_seed * 31u + 7u;
    for (unsigned i = 0; i < N * 72; i++)
        x[i] = (float)(lcg(&s) % 1000u) / 250.0f - 1.5f;
    bc_cnn_t *m = r.m;
    for (unsigned k = 0; k < 2; k++) /* BN gamma/beta away from 1/0 so every term matters */
        m->layer[0].w[k] = 0.7f + 0.4f * k, m->layer[0].b[k] = 0.2f - 0.5f * k, m->layer[2].w[k] = 1.3f - 0.5f * k;
    /* parameters to check: both BNs' gamma and beta, a few FC weights and biases */
    float *params[] = {&m->layer[0].w[0], &m->layer[0].w[1], &m->layer[0].b[0], &m->layer[0].b[1],
                       &m->layer[2].w[0], &m->layer[2].b[1], &m->layer[7].w[0], &m->layer[7].w[20],
                       &m->layer[7].w[53], &m->layer[7].b[2]};
    enum { P = sizeof params / sizeof params[0] };
    double fd[P][FD_STEPS];
    for (unsigned p = 0; p < P; p++)
        fd_grads(m, x, y, N, params[p], fd[p]);
    float before[P];
    for (unsigned p = 0; p < P; p++)
        before[p] = *params[p];
    if (bc_cnn_train_step(m, x, y, N, 8, 8, NULL, NULL, NULL))
        fail_msg("step: %s", m->err);
    for (unsigned p = 0; p < P; p++)
        expect_fd((double)before[p] - (double)*params[p], fd[p], "parameter", p);
    net_close(&r);
}

/* The float baseline's convolution (forward, weight gradient, transposed
 * input gradient) against finite differences as above: BN -> conv 3x3
 * stride 2 pad 1 -> ReLU -> flatten -> FC, every layer in float. */
static void test_float_conv_matches_finite_differences(void **state)
{
    (void)state;
    bc_cnn_config_t c = base_cfg();
    c.lr = 1.0f, c.momentum = 0.0f, c.weight_decay = 0.0f, c.batch = 3, c.float_only = true;
    bc_cnn_net_t *net = &c.net;
    memset(net, 0, sizeof *net);
    net->in_c = 2, net->in_h = 5, net->in_w = 6;
    bc_cnn_op_t ops[] = {
        {.kind = BC_OP_BN, .src = 0},
        {.kind = BC_OP_CONV, .src = 1, .geom = {.kind = BC_LAYER_CONV, .cin = 2, .cout = 3, .in_h = 5, .in_w = 6,
                                                .kh = 3, .kw = 3, .stride_h = 2, .stride_w = 2, .pad_h = 1, .pad_w = 1}},
        {.kind = BC_OP_RELU, .src = 2},
        {.kind = BC_OP_FLATTEN, .src = 3},
        {.kind = BC_OP_FC, .src = 4, .geom = {.kind = BC_LAYER_FC, .cin = 27, .cout = 3, .in_h = 1, .in_w = 1}},
    };
    net->n_ops = sizeof ops / sizeof ops[0];
    memcpy(net->ops, ops, sizeof ops);
    net_run_t r;
    net_open(&r, &c);
    enum { N = 3 };
    float x[N * 60];
    uint8_t y[N] = {2, 0, 1};
    uint64_t s = fw_seed * 17u + 3u;
    for (unsigned i = 0; i < N * 60; i++)
        x[i] = (float)(lcg(&s) % 1000u) / 300.0f - 1.0f;
    bc_cnn_t *m = r.m;
    m->layer[0].w[1] = 0.6f, m->layer[0].b[0] = 0.3f;
    float *params[] = {&m->layer[0].w[0], &m->layer[0].w[1], &m->layer[0].b[1], &m->layer[1].w[0],
                       &m->layer[1].w[13], &m->layer[1].w[40], &m->layer[4].w[5]};
    enum { P = sizeof params / sizeof params[0] };
    double fd[P][FD_STEPS];
    float before[P];
    for (unsigned p = 0; p < P; p++) {
        before[p] = *params[p];
        fd_grads(m, x, y, N, params[p], fd[p]);
    }
    bc_cnn_stats_t st;
    if (bc_cnn_train_step(m, x, y, N, 8, 8, NULL, NULL, &st))
        fail_msg("step: %s", m->err);
    assert_int_equal(st.jobs, 0); /* float baseline: nothing on the accelerator */
    for (unsigned p = 0; p < P; p++)
        expect_fd((double)before[p] - (double)*params[p], fd[p], "float conv parameter", p);
    net_close(&r);
}

static void test_bad_configs(void **state)
{
    (void)state;
    bc_cnn_config_t c = base_cfg();
    char err[192];
    assert_int_equal(bc_cnn_lenet5(&c.net, 1, 28, 28, 10), 0);
    assert_int_equal(bc_cnn_check_config(&c, err, sizeof err), 0);
    bc_cnn_config_t b = c;
    b.net.ops[4].geom.cin = 7; /* second conv */
    assert_int_equal(bc_cnn_check_config(&b, err, sizeof err), -1);
    assert_non_null(strstr(err, "op 5"));
    b = c;
    b.batch = 0;
    assert_int_equal(bc_cnn_check_config(&b, err, sizeof err), -1);
    assert_non_null(strstr(err, "batch"));
    b = c;
    b.net.ops[2].src = 9;
    assert_int_equal(bc_cnn_check_config(&b, err, sizeof err), -1);
    assert_non_null(strstr(err, "op 3"));
    assert_int_equal(bc_cnn_lenet5(&b.net, 1, 3, 3, 10), -1); /* too small for two pooling stages */
    assert_int_equal(bc_cnn_workspace_bytes(&b), 0);
    /* a device window that is too small is refused */
    fsim_dev_t d;
    dev_open(&d, 1u << 20);
    bc_cnn_config_t s = base_cfg();
    assert_int_equal(bc_cnn_resnet(&s.net, 1, 8, 8, 3, 1, 4), 0);
    size_t wsb = bc_cnn_workspace_bytes(&s);
    void *ws = aligned_alloc(16, (wsb + 15u) & ~(size_t)15u);
    bc_cnn_t *m = malloc(sizeof *m);
    assert_int_equal(bc_cnn_init(m, &s, ws, wsb, &d.dev, 0x1000, 64), -1);
    assert_non_null(strstr(m->err, "device memory"));
    free(ws);
    free(m);
    bc_fsim_destroy(d.fsim);
}

int fw_run_cnn_tests(unsigned *ntests)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conv_gemms_match_direct_convolution),
        cmocka_unit_test(test_lenet_and_resnet_learn_deterministically),
        cmocka_unit_test(test_cpu_layers_match_finite_differences),
        cmocka_unit_test(test_float_conv_matches_finite_differences),
        cmocka_unit_test(test_bad_configs),
    };
    return FW_RUN_GROUP("cnn", tests, ntests);
}
