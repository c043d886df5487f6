/* Forward and backward passes of the CNN trainer (see bc_cnn.h). */
#include <math.h>
#include <string.h>

#include "bc_cnn.h"
#include "bc_cnn_gemm.h"

static void geom_of(const bc_cnn_t *m, unsigned i, unsigned n, cg_geom_t *g)
{
    const bc_cnn_op_t *o = &m->cfg.net.ops[i];
    unsigned src = o->src;
    memset(g, 0, sizeof *g);
    g->cout = m->tc[i + 1], g->oh = m->th[i + 1], g->ow = m->tw[i + 1];
    g->batch = n;
    if (o->kind == BC_OP_CONV) {
        g->cin = m->tc[src], g->h = m->th[src], g->w = m->tw[src];
        g->kh = o->geom.kh, g->kw = o->geom.kw, g->sh = o->geom.stride_h, g->sw = o->geom.stride_w;
        g->ph = o->geom.pad_h, g->pw = o->geom.pad_w;
    } else {
        g->cin = (uint32_t)m->numel[src];
        g->h = g->w = g->kh = g->kw = g->sh = g->sw = 1;
    }
}

static size_t weights_of(const cg_geom_t *g)
{
    return (size_t)g->cout * g->cin * g->kh * g->kw;
}

static void sgd(const bc_cnn_t *m, float *w, float *v, const float *g, size_t n)
{
    float lr = m->cfg.lr, mom = m->cfg.momentum, wd = m->cfg.weight_decay;
    for (size_t i = 0; i < n; i++) {
        v[i] = mom * v[i] + (g[i] + wd * w[i]);
        w[i] -= lr * v[i];
    }
}

/* Activation parameters of a quantized layer's input: the batch range in
 * training (and the running range follows it), the running range in evaluation. */
static bc_qp_t act_params(bc_cnn_t *m, bc_cnn_layer_t *L, const float *x, size_t count, unsigned fw)
{
    if (m->training) {
        float mn, mx;
        bc_q_minmax(x, count, 1, &mn, &mx);
        float a = m->cfg.act_momentum;
        if (!L->range_set)
            L->run_min = mn, L->run_max = mx, L->range_set = true;
        else
            L->run_min = a * L->run_min + (1.0f - a) * mn, L->run_max = a * L->run_max + (1.0f - a) * mx;
        return bc_q_params(mn, mx, fw, false);
    }
    return bc_q_params(L->run_min, L->run_max, fw, false);
}

/* Float convolution on the CPU (float baseline): y = conv(x, w); with
 * dy given, dw = dY * X^T and (dx != NULL) dx += transposed conv(dy, w). */
static void float_conv(const cg_geom_t *g, const float *x, const float *w, float *y, const float *dy, float *dw,
                       float *dx)
{
    size_t HW = (size_t)g->h * g->w, P = (size_t)g->oh * g->ow, T = (size_t)g->kh * g->kw;
    if (dy)
        memset(dw, 0, sizeof(float) * g->cout * g->cin * T);
    for (unsigned b = 0; b < g->batch; b++)
        for (uint32_t co = 0; co < g->cout; co++)
            for (uint32_t oy = 0; oy < g->oh; oy++)
                for (uint32_t ox = 0; ox < g->ow; ox++) {
                    size_t yi = ((size_t)b * g->cout + co) * P + (size_t)oy * g->ow + ox;
                    float acc = 0.0f, e = dy ? dy[yi] : 0.0f;
                    for (uint32_t ci = 0; ci < g->cin; ci++)
                        for (uint32_t ky = 0; ky < g->kh; ky++) {
                            int64_t iy = (int64_t)oy * g->sh - g->ph + ky;
                            if (iy < 0 || iy >= g->h)
                                continue;
                            for (uint32_t kx = 0; kx < g->kw; kx++) {
                                int64_t ix = (int64_t)ox * g->sw - g->pw + kx;
                                if (ix < 0 || ix >= g->w)
                                    continue;
                                size_t xi = ((size_t)b * g->cin + ci) * HW + (size_t)iy * g->w + (size_t)ix;
                                size_t wi = ((size_t)co * g->cin + ci) * T + (size_t)ky * g->kw + kx;
                                if (!dy)
                                    acc += w[wi] * x[xi];
                                else {
                                    dw[wi] += e * x[xi];
                                    if (dx)
                                        dx[xi] += e * w[wi];
                                }
                            }
                        }
                    if (!dy)
                        y[yi] = acc;
                }
}

static int fwd_gemm(bc_cnn_t *m, unsigned i, unsigned n, unsigned fw, bc_cnn_stats_t *st)
{
    const bc_cnn_op_t *o = &m->cfg.net.ops[i];
    bc_cnn_layer_t *L = &m->layer[i];
    const float *x = m->act[o->src];
    float *y = m->act[i + 1];
    cg_geom_t g;
    geom_of(m, i, n, &g);
    size_t K = (size_t)g.cin * g.kh * g.kw, nin = (size_t)n * m->numel[o->src];
    if (L->quantized) {
        L->in_q = act_params(m, L, x, nin, fw);
        for (size_t k = 0; k < nin; k++)
            m->qx[k] = bc_q_code(&L->in_q, x[k], BC_QROUND_NEAREST, NULL);
        bc_q_rows(L->w, g.cout, K, K, fw, true, BC_QROUND_NEAREST, NULL, m->qw, K, m->qw_p);
        cg_job_t j;
        memset(&j, 0, sizeof j);
        j.kind = BC_GEMM_FWD, j.g = g, j.qa = m->qw, j.pa = m->qw_p, j.pa_rows = true;
        j.qb = m->qx, j.pb = L->in_q, j.out = y;
        if (cg_run(m, &j, 1, "forward GEMM", i, st))
            return -1;
    } else if (o->kind == BC_OP_CONV) {
        float_conv(&g, x, L->w, y, NULL, NULL, NULL);
    } else { /* float FC on the CPU */
        for (unsigned s = 0; s < n; s++)
            for (unsigned c = 0; c < g.cout; c++) {
                const float *wr = L->w + (size_t)c * K, *xr = x + (size_t)s * K;
                float acc = 0.0f;
                for (size_t k = 0; k < K; k++)
                    acc += wr[k] * xr[k];
                y[(size_t)s * g.cout + c] = acc;
            }
    }
    if (o->kind == BC_OP_FC)
        for (unsigned s = 0; s < n; s++)
            for (unsigned c = 0; c < g.cout; c++)
                y[(size_t)s * g.cout + c] += L->b[c];
    return 0;
}

static int bwd_gemm(bc_cnn_t *m, unsigned i, unsigned n, unsigned fw, unsigned bw, bc_cnn_stats_t *st)
{
    const bc_cnn_op_t *o = &m->cfg.net.ops[i];
    bc_cnn_layer_t *L = &m->layer[i];
    const float *x = m->act[o->src], *gy = m->grad[i + 1];
    float *gx = o->src ? m->grad[o->src] : NULL; /* the first layer computes no input error */
    cg_geom_t g;
    geom_of(m, i, n, &g);
    size_t K = (size_t)g.cin * g.kh * g.kw, nw = weights_of(&g), nout = (size_t)n * m->numel[i + 1];
    if (L->quantized) {
        /* errors per tensor, signed codes, stochastic rounding; the input codes of the forward again */
        bc_qp_t ep = bc_q_tensor(gy, nout, bw, true, BC_QROUND_STOCHASTIC, &m->rng, m->qe);
        size_t nin = (size_t)n * m->numel[o->src];
        for (size_t k = 0; k < nin; k++)
            m->qx[k] = bc_q_code(&L->in_q, x[k], BC_QROUND_NEAREST, NULL);
        cg_job_t j[2];
        unsigned nj = 0;
        bc_qp_t wp;
        memset(j, 0, sizeof j);
        if (gx) {
            /* weights per tensor here: per-channel scales would lie along K */
            wp = bc_q_tensor(L->w, nw, fw, true, BC_QROUND_NEAREST, NULL, m->qw2);
            j[nj].kind = BC_GEMM_ERR, j[nj].g = g, j[nj].qa = m->qw2, j[nj].pa = &wp;
            j[nj].qb = m->qe, j[nj].pb = ep, j[nj].out = gx, j[nj].accumulate = true;
            nj++;
        }
        j[nj].kind = BC_GEMM_WGRAD, j[nj].g = g, j[nj].qa = m->qe, j[nj].pa = &ep;
        j[nj].qb = m->qx, j[nj].pb = L->in_q, j[nj].out = m->dw;
        nj++;
        if (cg_run(m, j, nj, gx ? "error and weight-gradient GEMMs" : "weight-gradient GEMM", i, st))
            return -1;
    } else if (o->kind == BC_OP_CONV) {
        float_conv(&g, x, L->w, NULL, gy, m->dw, gx);
    } else {
        for (unsigned c = 0; c < g.cout; c++)
            for (size_t k = 0; k < K; k++) {
                float acc = 0.0f;
                for (unsigned s = 0; s < n; s++)
                    acc += gy[(size_t)s * g.cout + c] * x[(size_t)s * K + k];
                m->dw[(size_t)c * K + k] = acc;
            }
        if (gx)
            for (unsigned s = 0; s < n; s++)
                for (size_t k = 0; k < K; k++) {
                    float acc = 0.0f;
                    for (unsigned c = 0; c < g.cout; c++)
                        acc += gy[(size_t)s * g.cout + c] * L->w[(size_t)c * K + k];
                    gx[(size_t)s * K + k] += acc;
                }
    }
    sgd(m, L->w, L->vw, m->dw, nw);
    if (o->kind == BC_OP_FC) {
        float *gb = m->dw; /* dw is free again */
        for (unsigned c = 0; c < g.cout; c++) {
            float acc = 0.0f;
            for (unsigned s = 0; s < n; s++)
                acc += gy[(size_t)s * g.cout + c];
            gb[c] = acc;
        }
        sgd(m, L->b, L->vb, gb, g.cout);
    }
    return 0;
}

/* ---------- batch norm (float on the CPU) ---------- */
static void bn_fwd(bc_cnn_t *m, unsigned i, unsigned n)
{
    const bc_cnn_op_t *o = &m->cfg.net.ops[i];
    bc_cnn_layer_t *L = &m->layer[i];
    const float *x = m->act[o->src];
    float *y = m->act[i + 1];
    size_t C = m->tc[i + 1], HW = (size_t)m->th[i + 1] * m->tw[i + 1], N = (size_t)n * HW;
    for (size_t c = 0; c < C; c++) {
        float mean, rstd;
        if (m->training) {
            double s = 0.0, s2 = 0.0;
            for (unsigned b = 0; b < n; b++)
                for (size_t p = 0; p < HW; p++)
                    s += x[(b * C + c) * HW + p];
            double mu = s / (double)N;
            for (unsigned b = 0; b < n; b++)
                for (size_t p = 0; p < HW; p++) {
                    double d = x[(b * C + c) * HW + p] - mu;
                    s2 += d * d;
                }
            double var = s2 / (double)N;
            mean = (float)mu;
            rstd = (float)(1.0 / sqrt(var + (double)m->cfg.bn_eps));
            float a = m->cfg.bn_momentum;
            double unbiased = N > 1 ? s2 / (double)(N - 1) : var;
            L->run_mean[c] = (1.0f - a) * L->run_mean[c] + a * mean;
            L->run_var[c] = (1.0f - a) * L->run_var[c] + a * (float)unbiased;
            L->bn_mean[c] = mean, L->bn_rstd[c] = rstd;
        } else {
            mean = L->run_mean[c];
            rstd = 1.0f / sqrtf(L->run_var[c] + m->cfg.bn_eps);
        }
        float ga = L->w[c] * rstd, be = L->b[c];
        for (unsigned b = 0; b < n; b++)
            for (size_t p = 0; p < HW; p++)
                y[(b * C + c) * HW + p] = (x[(b * C + c) * HW + p] - mean) * ga + be;
    }
}

static void bn_bwd(bc_cnn_t *m, unsigned i, unsigned n)
{
    const bc_cnn_op_t *o = &m->cfg.net.ops[i];
    bc_cnn_layer_t *L = &m->layer[i];
    const float *x = m->act[o->src], *gy = m->grad[i + 1];
    float *gx = o->src ? m->grad[o->src] : NULL;
    size_t C = m->tc[i + 1], HW = (size_t)m->th[i + 1] * m->tw[i + 1], N = (size_t)n * HW;
    float *dg = m->dw, *db = m->dw + C;
    for (size_t c = 0; c < C; c++) {
        double sg = 0.0, sgx = 0.0;
        float mean = L->bn_mean[c], rstd = L->bn_rstd[c];
        for (unsigned b = 0; b < n; b++)
            for (size_t p = 0; p < HW; p++) {
                size_t k = (b * C + c) * HW + p;
                sg += gy[k];
                sgx += (double)gy[k] * (double)((x[k] - mean) * rstd);
            }
        dg[c] = (float)sgx, db[c] = (float)sg;
        if (gx) {
            float k1 = L->w[c] * rstd, mg = (float)(sg / (double)N), mgx = (float)(sgx / (double)N);
            for (unsigned b = 0; b < n; b++)
                for (size_t p = 0; p < HW; p++) {
                    size_t k = (b * C + c) * HW + p;
                    gx[k] += k1 * (gy[k] - mg - (x[k] - mean) * rstd * mgx);
                }
        }
    }
    sgd(m, L->w, L->vw, dg, C);
    sgd(m, L->b, L->vb, db, C);
}

/* ---------- pooling, ReLU, add, flatten ---------- */
static void pool_fwd(bc_cnn_t *m, unsigned i, unsigned n)
{
    const bc_cnn_op_t *o = &m->cfg.net.ops[i];
    const float *x = m->act[o->src];
    float *y = m->act[i + 1];
    uint32_t C = m->tc[i + 1], H = m->th[o->src], W = m->tw[o->src], OH = m->th[i + 1], OW = m->tw[i + 1];
    uint32_t k = o->pool_k, s = o->pool_stride, p = o->pool_pad;
    bool is_max = o->kind == BC_OP_MAXPOOL;
    float inv = 1.0f / (float)(k * k);
    for (size_t bc = 0; bc < (size_t)n * C; bc++)
        for (uint32_t oy = 0; oy < OH; oy++)
            for (uint32_t ox = 0; ox < OW; ox++) {
                float best = -INFINITY, sum = 0.0f;
                uint32_t arg = 0;
                for (uint32_t ky = 0; ky < k; ky++) {
                    int64_t iy = (int64_t)oy * s - p + ky;
                    for (uint32_t kx = 0; kx < k; kx++) {
                        int64_t ix = (int64_t)ox * s - p + kx;
                        if (iy < 0 || iy >= H || ix < 0 || ix >= W)
                            continue;
                        uint32_t idx = (uint32_t)(bc * H * W + (size_t)iy * W + (size_t)ix);
                        sum += x[idx];
                        if (x[idx] > best || best == -INFINITY)
                            best = x[idx], arg = idx;
                    }
                }
                size_t out = (bc * OH + oy) * OW + ox;
                y[out] = is_max ? best : sum * inv;
                if (is_max && m->training)
                    m->layer[i].argmax[out] = arg;
            }
}

static void pool_bwd(bc_cnn_t *m, unsigned i, unsigned n)
{
    const bc_cnn_op_t *o = &m->cfg.net.ops[i];
    const float *gy = m->grad[i + 1];
    float *gx = m->grad[o->src];
    uint32_t C = m->tc[i + 1], H = m->th[o->src], W = m->tw[o->src], OH = m->th[i + 1], OW = m->tw[i + 1];
    uint32_t k = o->pool_k, s = o->pool_stride;
    size_t nout = (size_t)n * C * OH * OW;
    if (o->kind == BC_OP_MAXPOOL) {
        for (size_t q = 0; q < nout; q++)
            gx[m->layer[i].argmax[q]] += gy[q];
        return;
    }
    float inv = 1.0f / (float)(k * k);
    for (size_t bc = 0; bc < (size_t)n * C; bc++)
        for (uint32_t oy = 0; oy < OH; oy++)
            for (uint32_t ox = 0; ox < OW; ox++) {
                float v = gy[(bc * OH + oy) * OW + ox] * inv;
                for (uint32_t ky = 0; ky < k; ky++)
                    for (uint32_t kx = 0; kx < k; kx++)
                        gx[bc * H * W + (size_t)(oy * s + ky) * W + ox * s + kx] += v;
            }
}

static int op_fwd(bc_cnn_t *m, unsigned i, unsigned n, unsigned fw, bc_cnn_stats_t *st)
{
    const bc_cnn_op_t *o = &m->cfg.net.ops[i];
    const float *x = m->act[o->src];
    float *y = m->act[i + 1];
    size_t cnt = (size_t)n * m->numel[i + 1];
    switch (o->kind) {
    case BC_OP_CONV:
    case BC_OP_FC:
        return fwd_gemm(m, i, n, fw, st);
    case BC_OP_BN:
        bn_fwd(m, i, n);
        return 0;
    case BC_OP_RELU:
        for (size_t k = 0; k < cnt; k++)
            y[k] = x[k] > 0.0f ? x[k] : 0.0f;
        return 0;
    case BC_OP_MAXPOOL:
    case BC_OP_AVGPOOL:
        pool_fwd(m, i, n);
        return 0;
    case BC_OP_ADD: {
        const float *x2 = m->act[o->src2];
        for (size_t k = 0; k < cnt; k++)
            y[k] = x[k] + x2[k];
        return 0;
    }
    case BC_OP_FLATTEN:
        memcpy(y, x, cnt * sizeof *y);
        return 0;
    }
    return -1;
}

static int op_bwd(bc_cnn_t *m, unsigned i, unsigned n, unsigned fw, unsigned bw, bc_cnn_stats_t *st)
{
    const bc_cnn_op_t *o = &m->cfg.net.ops[i];
    const float *gy = m->grad[i + 1], *y = m->act[i + 1];
    float *gx = o->src ? m->grad[o->src] : NULL;
    size_t cnt = (size_t)n * m->numel[i + 1];
    if (o->kind == BC_OP_CONV || o->kind == BC_OP_FC)
        return bwd_gemm(m, i, n, fw, bw, st);
    if (o->kind == BC_OP_BN) {
        bn_bwd(m, i, n);
        return 0;
    }
    if (o->kind == BC_OP_ADD && o->src2) {
        float *g2 = m->grad[o->src2];
        for (size_t k = 0; k < cnt; k++)
            g2[k] += gy[k];
    }
    if (!gx)
        return 0;
    switch (o->kind) {
    case BC_OP_RELU:
        for (size_t k = 0; k < cnt; k++)
            gx[k] += y[k] > 0.0f ? gy[k] : 0.0f;
        break;
    case BC_OP_MAXPOOL:
    case BC_OP_AVGPOOL:
        pool_bwd(m, i, n);
        break;
    default: /* ADD (first operand), FLATTEN */
        for (size_t k = 0; k < cnt; k++)
            gx[k] += gy[k];
        break;
    }
    return 0;
}

static int check_call(bc_cnn_t *m, unsigned n, unsigned fw, unsigned bw)
{
    m->err[0] = 0;
    if (fw < 1 || fw > 16 || bw < 1 || bw > 16)
        cg_msg_add(m->err, sizeof m->err, "precision out of range 1..16");
    else if (n < 1 || n > m->cfg.batch)
        cg_msg_add(m->err, sizeof m->err, "batch size out of range");
    return m->err[0] ? -1 : 0;
}

static int counters(bc_cnn_t *m, bc_counters_t *c, uint64_t *ns)
{
    bc_status_t s = bc_counters_read(m->dev, c);
    *ns = m->dev->hal.now_ns(m->dev->hal.ctx);
    if (s != BC_OK) {
        m->err[0] = 0;
        cg_msg_add(m->err, sizeof m->err, "reading the performance counters: ");
        cg_msg_add(m->err, sizeof m->err, bc_strerror(s));
        return -1;
    }
    return 0;
}

static void finish_stats(bc_cnn_stats_t *st, const bc_counters_t *c0, const bc_counters_t *c1, uint64_t t0,
                         uint64_t t1)
{
    st->cycles = c1->busy - c0->busy;
    st->hw_switches = c1->switches - c0->switches;
    st->elapsed_ns = t1 - t0;
    bc_counters_diff(c1, c0, &st->ctr);
}

static int forward(bc_cnn_t *m, const float *x, unsigned n, unsigned fw, bc_cnn_stats_t *st)
{
    m->act[0] = (float *)(uintptr_t)x; /* read only */
    for (unsigned i = 0; i < m->n_ops; i++)
        if (op_fwd(m, i, n, fw, st))
            return -1;
    return 0;
}

/* Mean cross-entropy; grad of the logits = (softmax - onehot) / n. */
static double softmax_ce(bc_cnn_t *m, const uint8_t *y, unsigned n, unsigned *correct)
{
    unsigned C = m->classes;
    const float *z = m->act[m->n_ops];
    float *g = m->grad[m->n_ops];
    double loss = 0.0;
    *correct = 0;
    for (unsigned s = 0; s < n; s++) {
        const float *zs = z + (size_t)s * C;
        float *gs = g + (size_t)s * C, mx = zs[0], sum = 0.0f;
        unsigned best = 0, label = y[s] < C ? y[s] : 0u;
        for (unsigned c = 1; c < C; c++)
            if (zs[c] > mx)
                mx = zs[c], best = c;
        *correct += best == y[s];
        for (unsigned c = 0; c < C; c++)
            sum += (gs[c] = expf(zs[c] - mx));
        loss += (double)(logf(sum) - (zs[label] - mx));
        float inv = 1.0f / sum, invn = 1.0f / (float)n;
        for (unsigned c = 0; c < C; c++)
            gs[c] = (gs[c] * inv - (c == label ? 1.0f : 0.0f)) * invn;
    }
    return loss / (double)n;
}

int bc_cnn_train_step(bc_cnn_t *m, const float *x, const uint8_t *y, unsigned n, unsigned fw, unsigned bw,
                      float *loss, unsigned *correct, bc_cnn_stats_t *st)
{
    bc_cnn_stats_t local;
    memset(&local, 0, sizeof local);
    bc_counters_t c0, c1;
    uint64_t t0, t1;
    if (check_call(m, n, fw, bw) || counters(m, &c0, &t0))
        return -1;
    m->training = true;
    if (forward(m, x, n, fw, &local))
        return -1;
    unsigned hits;
    double l = softmax_ce(m, y, n, &hits);
    for (unsigned t = 1; t < m->n_ops; t++)
        memset(m->grad[t], 0, (size_t)n * m->numel[t] * sizeof(float));
    for (unsigned i = m->n_ops; i-- > 0;)
        if (op_bwd(m, i, n, fw, bw, &local))
            return -1;
    if (counters(m, &c1, &t1))
        return -1;
    finish_stats(&local, &c0, &c1, t0, t1);
    if (st)
        *st = local;
    if (loss)
        *loss = (float)l;
    if (correct)
        *correct = hits;
    return 0;
}

int bc_cnn_loss(bc_cnn_t *m, const float *x, const uint8_t *y, unsigned n, unsigned fw_bits, float *loss)
{
    bc_cnn_stats_t local;
    memset(&local, 0, sizeof local);
    if (check_call(m, n, fw_bits, 8))
        return -1;
    m->training = true;
    if (forward(m, x, n, fw_bits, &local))
        return -1;
    unsigned hits;
    *loss = (float)softmax_ce(m, y, n, &hits);
    return 0;
}

int bc_cnn_predict(bc_cnn_t *m, const float *x, unsigned n, unsigned fw, uint8_t *pred, bc_cnn_stats_t *st)
{
    bc_cnn_stats_t local;
    memset(&local, 0, sizeof local);
    bc_counters_t c0, c1;
    uint64_t t0, t1;
    if (check_call(m, n, fw, 8) || counters(m, &c0, &t0))
        return -1;
    m->training = false;
    if (forward(m, x, n, fw, &local) || counters(m, &c1, &t1))
        return -1;
    const float *z = m->act[m->n_ops];
    for (unsigned s = 0; s < n; s++) {
        unsigned best = 0;
        for (unsigned c = 1; c < m->classes; c++)
            if (z[(size_t)s * m->classes + c] > z[(size_t)s * m->classes + best])
                best = c;
        pred[s] = (uint8_t)best;
    }
    finish_stats(&local, &c0, &c1, t0, t1);
    if (st)
        *st = local;
    return 0;
}

static uint64_t fnv(uint64_t h, const float *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        uint32_t bits;
        memcpy(&bits, &v[i], 4);
        for (int b = 0; b < 4; b++) {
            h ^= (bits >> (8 * b)) & 0xffu;
            h *= 0x100000001b3ull;
        }
    }
    return h;
}

uint64_t bc_cnn_weights_hash(const bc_cnn_t *m)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned i = 0; i < m->n_ops; i++) {
        const bc_cnn_op_t *o = &m->cfg.net.ops[i];
        const bc_cnn_layer_t *L = &m->layer[i];
        if (o->kind == BC_OP_CONV || o->kind == BC_OP_FC) {
            cg_geom_t g;
            geom_of(m, i, 1, &g);
            h = fnv(h, L->w, weights_of(&g));
            if (o->kind == BC_OP_FC)
                h = fnv(h, L->b, g.cout);
        } else if (o->kind == BC_OP_BN) {
            h = fnv(h, L->w, m->tc[i + 1]);
            h = fnv(h, L->b, m->tc[i + 1]);
            h = fnv(h, L->run_mean, m->tc[i + 1]);
            h = fnv(h, L->run_var, m->tc[i + 1]);
        }
    }
    return h;
}
