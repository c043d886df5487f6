/* Quantized MLP trainer on the accelerator (see bc_mlp.h, docs/firmware.md).
 *
 * A GEMM operand X is coded as x_hat = offset + scale * q. For
 * C = A (M x K) * B (K x N) with A per row i and B per tensor:
 *   sum_k x_hat_a x_hat_b = sa_i sb (sum q_a q_b) + sa_i ob RA_i + oa_i sb CB_j + K oa_i ob
 * where RA_i / CB_j are code sums along k. The accelerator computes the
 * integer term; the CPU adds the other three. */
#include "bc_mlp.h"

#include <math.h>
#include <string.h>

#define MAX_DIM 2048u

/* ---------- tiny freestanding message builder ---------- */
static void msg_add(char *dst, size_t len, const char *s)
{
    size_t o = strlen(dst);
    while (*s && o + 1 < len)
        dst[o++] = *s++;
    dst[o] = 0;
}

static void msg_num(char *dst, size_t len, uint64_t v)
{
    char tmp[24];
    int i = 0;
    do {
        tmp[i++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    char out[24];
    int o = 0;
    while (i)
        out[o++] = tmp[--i];
    out[o] = 0;
    msg_add(dst, len, out);
}

static int fail(bc_mlp_t *m, const char *what, unsigned layer, const char *detail)
{
    m->err[0] = 0;
    msg_add(m->err, sizeof m->err, what);
    msg_add(m->err, sizeof m->err, " of layer ");
    msg_num(m->err, sizeof m->err, layer + 1u);
    msg_add(m->err, sizeof m->err, ": ");
    msg_add(m->err, sizeof m->err, detail);
    return -1;
}

int bc_mlp_check_config(const bc_mlp_config_t *cfg, char *err, size_t errlen)
{
    const char *msg = NULL;
    if (cfg->n_layers < 1 || cfg->n_layers > BC_MLP_MAX_LAYERS)
        msg = "layers: need 2 to 7 sizes (1 to 6 weight layers)";
    else if (cfg->batch < 1 || cfg->batch > MAX_DIM)
        msg = "batch: must be 1..2048 (the accelerator's K limit for the weight gradient)";
    else {
        for (unsigned l = 0; l <= cfg->n_layers; l++)
            if (cfg->sizes[l] < 1 || cfg->sizes[l] > MAX_DIM)
                msg = "layers: every size must be 1..2048 (the accelerator's K limit)";
        if (!msg && cfg->sizes[cfg->n_layers] < 2)
            msg = "layers: the output layer needs at least 2 classes";
    }
    if (!msg && !(cfg->lr > 0.0f && cfg->lr < 100.0f))
        msg = "lr: must be in (0, 100)";
    if (!msg && !(cfg->momentum >= 0.0f && cfg->momentum < 1.0f))
        msg = "momentum: must be in [0, 1)";
    if (!msg && !(cfg->weight_decay >= 0.0f && cfg->weight_decay < 1.0f))
        msg = "weight decay: must be in [0, 1)";
    if (msg) {
        if (err && errlen) {
            err[0] = 0;
            msg_add(err, errlen, msg);
        }
        return -1;
    }
    return 0;
}

/* ---------- workspace layout ---------- */
static size_t align16(size_t v)
{
    return (v + 15u) & ~(size_t)15u;
}

static size_t max_width(const bc_mlp_config_t *c)
{
    size_t w = 0;
    for (unsigned l = 0; l <= c->n_layers; l++)
        if (c->sizes[l] > w)
            w = c->sizes[l];
    return w;
}

static size_t max_weights(const bc_mlp_config_t *c)
{
    size_t w = 0;
    for (unsigned l = 0; l < c->n_layers; l++)
        if ((size_t)c->sizes[l] * c->sizes[l + 1] > w)
            w = (size_t)c->sizes[l] * c->sizes[l + 1];
    return w;
}

/* Largest packed operand (bytes) and result (bytes) over every GEMM, at 16 bits. */
static void gemm_extents(const bc_mlp_config_t *c, size_t *pack_bytes, size_t *res_bytes)
{
    size_t p = 0, r = 0, B = c->batch;
    for (unsigned l = 0; l < c->n_layers; l++) {
        size_t in = c->sizes[l], out = c->sizes[l + 1];
        /* forward: A = W (out x in), B = X (batch rows of in), C out x batch */
        size_t cand[6] = {out * bc_packed_row_bytes((unsigned)in, 16), B * bc_packed_row_bytes((unsigned)in, 16),
                          /* backprop: A = W^T (in x out), B = E (batch rows of out) */
                          in * bc_packed_row_bytes((unsigned)out, 16), B * bc_packed_row_bytes((unsigned)out, 16),
                          /* weight gradient: A = E^T (out x batch), B = X^T (in rows of batch) */
                          out * bc_packed_row_bytes((unsigned)B, 16), in * bc_packed_row_bytes((unsigned)B, 16)};
        for (int i = 0; i < 6; i++)
            if (cand[i] > p)
                p = cand[i];
        size_t ldc_n[3][2] = {{out, B}, {in, B}, {out, in}};
        for (int i = 0; i < 3; i++) {
            size_t bytes = ldc_n[i][0] * ((ldc_n[i][1] * 4u + 7u) & ~(size_t)7u);
            if (bytes > r)
                r = bytes;
        }
    }
    *pack_bytes = align16(p);
    *res_bytes = align16(r);
}

size_t bc_mlp_device_bytes(const bc_mlp_config_t *cfg)
{
    size_t p, r;
    gemm_extents(cfg, &p, &r);
    return 2 * p + r;
}

/* Carve the workspace; with base == NULL only measures. */
static size_t layout(bc_mlp_t *m, const bc_mlp_config_t *c, uint8_t *base)
{
    size_t off = 0;
#define CARVE(ptr, type, count)                                  \
    do {                                                         \
        if (base)                                                \
            (ptr) = (type *)(void *)(base + off);                \
        off += align16(sizeof(type) * (size_t)(count));          \
    } while (0)
    size_t B = c->batch, W = max_width(c), MW = max_weights(c);
    for (unsigned l = 0; l < c->n_layers; l++) {
        size_t in = c->sizes[l], out = c->sizes[l + 1];
        CARVE(m->w[l], float, in * out);
        CARVE(m->b[l], float, out);
        CARVE(m->vw[l], float, in * out);
        CARVE(m->vb[l], float, out);
        CARVE(m->pre[l], float, B * out);
        CARVE(m->qact[l], int32_t, B * in);
        if (l + 1 < c->n_layers)
            CARVE(m->act[l + 1], float, B * out);
    }
    CARVE(m->gz, float, B * W);
    CARVE(m->ga, float, B * W);
    CARVE(m->dw, float, MW);
    CARVE(m->qw, int32_t, MW);
    CARVE(m->qe, int32_t, B * W);
    CARVE(m->qw_p, bc_qp_t, W);
    size_t pbytes, rbytes;
    gemm_extents(c, &pbytes, &rbytes);
    CARVE(m->cres, int32_t, rbytes / 4u);
    CARVE(m->pack, uint64_t, pbytes / 8u);
    size_t sums = W > B ? W : B;
    CARVE(m->sum_a, int64_t, sums);
    CARVE(m->sum_b, int64_t, sums);
    if (base)
        m->pack_words = pbytes / 8u;
#undef CARVE
    return off;
}

size_t bc_mlp_workspace_bytes(const bc_mlp_config_t *cfg)
{
    bc_mlp_t scratch;
    return layout(&scratch, cfg, NULL);
}

int bc_mlp_init(bc_mlp_t *m, const bc_mlp_config_t *cfg, void *ws, size_t ws_bytes, bc_dev_t *dev,
                uint64_t dev_base)
{
    memset(m, 0, sizeof *m);
    if (bc_mlp_check_config(cfg, m->err, sizeof m->err))
        return -1;
    if (!ws || ((uintptr_t)ws & 15u) || ws_bytes < bc_mlp_workspace_bytes(cfg) || !dev) {
        msg_add(m->err, sizeof m->err, "workspace too small, unaligned, or no device");
        return -1;
    }
    m->cfg = *cfg;
    if (!m->cfg.timeout_ns)
        m->cfg.timeout_ns = 10000000000ull;
    m->dev = dev;
    layout(m, cfg, ws);
    size_t p, r;
    gemm_extents(cfg, &p, &r);
    m->dev_a = (dev_base + 15u) & ~(uint64_t)15u;
    m->dev_b = m->dev_a + p;
    m->dev_c = m->dev_b + p;
    bc_fw_rng_t init;
    bc_fw_rng_seed(&init, cfg->seed);
    bc_fw_rng_seed(&m->rng, cfg->seed ^ 0x5eed5eed5eed5eedull);
    for (unsigned l = 0; l < cfg->n_layers; l++) {
        size_t in = cfg->sizes[l], out = cfg->sizes[l + 1];
        float bound = 1.0f / sqrtf((float)in);
        for (size_t i = 0; i < in * out; i++) {
            m->w[l][i] = (2.0f * bc_fw_rng_unit(&init) - 1.0f) * bound;
            m->vw[l][i] = 0.0f;
        }
        for (size_t i = 0; i < out; i++) {
            m->b[l][i] = (2.0f * bc_fw_rng_unit(&init) - 1.0f) * bound;
            m->vb[l][i] = 0.0f;
        }
    }
    return 0;
}

/* ---------- one GEMM on the accelerator ---------- */
typedef struct operand {
    const int32_t *q;
    size_t ld, cs;     /* element (row, kk) = q[row*ld + kk*cs] */
    unsigned rows;
    const bc_qp_t *p;  /* parameters: per row when per_row, else p[0] */
    bool per_row;
} operand_t;

static uint64_t max_code(const bc_qp_t *p)
{
    return p->is_signed ? (1ull << (p->bits - 1u)) : ((1ull << p->bits) - 1u);
}

static int pack_to_device(bc_mlp_t *m, const operand_t *o, unsigned k, uint64_t addr, const char *what,
                          unsigned layer)
{
    unsigned bits = o->p[0].bits;
    size_t ld_words = bc_packed_row_bytes(k, bits) / 8u;
    if ((size_t)o->rows * ld_words > m->pack_words)
        return fail(m, what, layer, "packed operand exceeds the packing buffer");
    bc_status_t st = bc_pack(o->q, o->ld, o->cs, o->rows, k, bits, m->pack, ld_words);
    if (st == BC_OK)
        st = bc_mem_write(m->dev, addr, m->pack, (size_t)o->rows * ld_words * 8u);
    if (st != BC_OK)
        return fail(m, what, layer, bc_strerror(st));
    return 0;
}

/* out[i*out_li + j*out_lj] = real value of (A B)[i][j], from the integer GEMM on the device. */
static int gemm(bc_mlp_t *m, const operand_t *a, const operand_t *b, unsigned k, float *out, size_t out_li,
                size_t out_lj, const char *what, unsigned layer, bc_mlp_stats_t *st)
{
    unsigned M = a->rows, N = b->rows;
    unsigned wbits = a->p[0].bits, abits = b->p[0].bits;
    /* The int32 result must not saturate: |sum| <= K * max|qa| * max|qb|. */
    if ((uint64_t)k * max_code(&a->p[0]) * max_code(&b->p[0]) > 2147483647ull)
        return fail(m, what, layer, "precision too high for this layer: the int32 result could saturate");
    if (pack_to_device(m, a, k, m->dev_a, what, layer) || pack_to_device(m, b, k, m->dev_b, what, layer))
        return -1;
    bc_gemm_t g;
    bc_gemm_init(m->dev, &g);
    g.a_addr = m->dev_a;
    g.b_addr = m->dev_b;
    g.c_addr = m->dev_c;
    g.m = M;
    g.n = N;
    g.k = k;
    g.wbits = wbits;
    g.abits = abits;
    g.wsigned = a->p[0].is_signed;
    g.asigned = b->p[0].is_signed;
    g.job_id = ++m->job_id;
    bc_gemm_default_strides(&g);
    bc_status_t s = bc_gemm_run(m->dev, &g, m->cfg.timeout_ns);
    if (s != BC_OK)
        return fail(m, what, layer, bc_strerror(s));
    size_t ldc = g.ldc / 4u;
    s = bc_mem_read(m->dev, m->dev_c, m->cres, (size_t)M * g.ldc);
    if (s != BC_OK)
        return fail(m, what, layer, bc_strerror(s));
    st->jobs++;
    st->bitops += (uint64_t)M * N * k * wbits * abits;
    /* code sums along k for the offset corrections */
    for (unsigned i = 0; i < M; i++) {
        int64_t sum = 0;
        for (unsigned kk = 0; kk < k; kk++)
            sum += a->q[i * a->ld + kk * a->cs];
        m->sum_a[i] = sum;
    }
    for (unsigned j = 0; j < N; j++) {
        int64_t sum = 0;
        for (unsigned kk = 0; kk < k; kk++)
            sum += b->q[j * b->ld + kk * b->cs];
        m->sum_b[j] = sum;
    }
    double sb = b->p[0].scale, ob = b->p[0].offset;
    for (unsigned i = 0; i < M; i++) {
        const bc_qp_t *pa = a->per_row ? &a->p[i] : &a->p[0];
        double sa = pa->scale, oa = pa->offset;
        double ssab = sa * sb, sa_ob = sa * ob * (double)m->sum_a[i], koo = (double)k * oa * ob;
        for (unsigned j = 0; j < N; j++) {
            double v = ssab * (double)m->cres[i * ldc + j] + sa_ob + oa * sb * (double)m->sum_b[j] + koo;
            out[i * out_li + j * out_lj] = (float)v;
        }
    }
    return 0;
}

static int read_counters(bc_mlp_t *m, bc_counters_t *c)
{
    bc_status_t s = bc_counters_read(m->dev, c);
    if (s != BC_OK) {
        m->err[0] = 0;
        msg_add(m->err, sizeof m->err, "reading the performance counters: ");
        msg_add(m->err, sizeof m->err, bc_strerror(s));
        return -1;
    }
    return 0;
}

static bool layer_quantized(const bc_mlp_t *m, unsigned l)
{
    return l + 1u < m->cfg.n_layers || m->cfg.quantize_last;
}

/* ---------- forward ---------- */
static int forward(bc_mlp_t *m, const float *x, unsigned n, unsigned fw, bc_mlp_stats_t *st)
{
    m->act[0] = (float *)(uintptr_t)x; /* read only */
    for (unsigned l = 0; l < m->cfg.n_layers; l++) {
        unsigned in = m->cfg.sizes[l], out = m->cfg.sizes[l + 1];
        const float *a = m->act[l];
        float *z = m->pre[l];
        if (layer_quantized(m, l)) {
            /* activations per tensor, unsigned codes (ReLU outputs and pixels are >= 0) */
            m->qact_p[l] = bc_q_tensor(a, (size_t)n * in, fw, false, BC_QROUND_NEAREST, NULL, m->qact[l]);
            /* weights per output channel, signed codes */
            bc_q_rows(m->w[l], out, in, in, fw, true, BC_QROUND_NEAREST, NULL, m->qw, in, m->qw_p);
            operand_t A = {m->qw, in, 1, out, m->qw_p, true};
            operand_t B = {m->qact[l], in, 1, n, &m->qact_p[l], false};
            if (gemm(m, &A, &B, in, z, 1, out, "forward GEMM", l, st))
                return -1;
            for (unsigned s = 0; s < n; s++)
                for (unsigned c = 0; c < out; c++)
                    z[s * out + c] += m->b[l][c];
        } else {
            for (unsigned s = 0; s < n; s++)
                for (unsigned c = 0; c < out; c++) {
                    const float *wr = m->w[l] + (size_t)c * in, *ar = a + (size_t)s * in;
                    float acc = m->b[l][c];
                    for (unsigned i = 0; i < in; i++)
                        acc += wr[i] * ar[i];
                    z[s * out + c] = acc;
                }
        }
        if (l + 1u < m->cfg.n_layers) {
            float *y = m->act[l + 1];
            for (size_t i = 0; i < (size_t)n * out; i++)
                y[i] = z[i] > 0.0f ? z[i] : 0.0f;
        }
    }
    return 0;
}

static int check_bits(bc_mlp_t *m, unsigned fw, unsigned bw)
{
    if (fw < 1 || fw > 16 || bw < 1 || bw > 16) {
        m->err[0] = 0;
        msg_add(m->err, sizeof m->err, "precision out of range 1..16");
        return -1;
    }
    return 0;
}

int bc_mlp_predict(bc_mlp_t *m, const float *x, unsigned n, unsigned fw_bits, uint8_t *pred, bc_mlp_stats_t *st)
{
    bc_mlp_stats_t local;
    memset(&local, 0, sizeof local);
    bc_counters_t c0, c1;
    if (check_bits(m, fw_bits, 8) || n < 1 || n > m->cfg.batch) {
        if (!m->err[0])
            msg_add(m->err, sizeof m->err, "predict: batch size out of range");
        return -1;
    }
    if (read_counters(m, &c0) || forward(m, x, n, fw_bits, &local) || read_counters(m, &c1))
        return -1;
    unsigned L = m->cfg.n_layers, classes = m->cfg.sizes[L];
    const float *z = m->pre[L - 1];
    for (unsigned s = 0; s < n; s++) {
        unsigned best = 0;
        for (unsigned c = 1; c < classes; c++)
            if (z[s * classes + c] > z[s * classes + best])
                best = c;
        pred[s] = (uint8_t)best;
    }
    local.cycles = c1.busy - c0.busy;
    local.hw_switches = c1.switches - c0.switches;
    bc_counters_diff(&c1, &c0, &local.ctr);
    if (st)
        *st = local;
    return 0;
}

/* ---------- training step ---------- */
int bc_mlp_train_step(bc_mlp_t *m, const float *x, const uint8_t *y, unsigned n, unsigned fw, unsigned bw,
                      float *loss_out, unsigned *correct_out, bc_mlp_stats_t *st)
{
    bc_mlp_stats_t local;
    memset(&local, 0, sizeof local);
    bc_counters_t c0, c1;
    m->err[0] = 0;
    if (check_bits(m, fw, bw))
        return -1;
    if (n < 1 || n > m->cfg.batch) {
        msg_add(m->err, sizeof m->err, "train step: batch size out of range");
        return -1;
    }
    if (read_counters(m, &c0) || forward(m, x, n, fw, &local))
        return -1;
    unsigned L = m->cfg.n_layers, classes = m->cfg.sizes[L];
    /* softmax + cross-entropy; gz = (p - onehot) / n */
    const float *z = m->pre[L - 1];
    float *g = m->gz;
    double loss = 0.0;
    unsigned correct = 0;
    for (unsigned s = 0; s < n; s++) {
        const float *zs = z + (size_t)s * classes;
        float mx = zs[0];
        unsigned best = 0;
        for (unsigned c = 1; c < classes; c++)
            if (zs[c] > mx) {
                mx = zs[c];
                best = c;
            }
        if (best == y[s])
            correct++;
        float sum = 0.0f;
        for (unsigned c = 0; c < classes; c++) {
            float e = expf(zs[c] - mx);
            g[(size_t)s * classes + c] = e;
            sum += e;
        }
        unsigned label = y[s] < classes ? y[s] : 0u;
        loss += (double)(logf(sum) - (zs[label] - mx));
        float inv = 1.0f / sum, invn = 1.0f / (float)n;
        for (unsigned c = 0; c < classes; c++) {
            float p = g[(size_t)s * classes + c] * inv;
            g[(size_t)s * classes + c] = (p - (c == label ? 1.0f : 0.0f)) * invn;
        }
    }
    /* backward, last layer first */
    for (unsigned li = L; li-- > 0;) {
        unsigned in = m->cfg.sizes[li], out = m->cfg.sizes[li + 1];
        const float *a = m->act[li];
        float *dw = m->dw;
        bool need_ga = li > 0;
        if (layer_quantized(m, li)) {
            /* errors per tensor, signed codes, stochastic rounding */
            bc_qp_t ep = bc_q_tensor(m->gz, (size_t)n * out, bw, true, BC_QROUND_STOCHASTIC, &m->rng, m->qe);
            /* weight gradient: dW (out x in) = E^T (out x n) * Xq (n x in) */
            operand_t A = {m->qe, 1, out, out, &ep, false};
            operand_t B = {m->qact[li], 1, in, in, &m->qact_p[li], false};
            if (gemm(m, &A, &B, n, dw, in, 1, "weight-gradient GEMM", li, &local))
                return -1;
            if (need_ga) {
                /* error back-propagation: dA^T (in x n) = Wq^T (in x out) * E^T (out x n);
                 * weights per tensor here: per-channel scales would lie along k. */
                bc_qp_t wp = bc_q_tensor(m->w[li], (size_t)in * out, fw, true, BC_QROUND_NEAREST, NULL, m->qw);
                operand_t WA = {m->qw, 1, in, in, &wp, false};
                operand_t EB = {m->qe, out, 1, n, &ep, false};
                if (gemm(m, &WA, &EB, out, m->ga, 1, in, "error back-propagation GEMM", li, &local))
                    return -1;
            }
        } else {
            for (unsigned c = 0; c < out; c++)
                for (unsigned i = 0; i < in; i++) {
                    float acc = 0.0f;
                    for (unsigned s = 0; s < n; s++)
                        acc += m->gz[(size_t)s * out + c] * a[(size_t)s * in + i];
                    dw[(size_t)c * in + i] = acc;
                }
            if (need_ga)
                for (unsigned s = 0; s < n; s++)
                    for (unsigned i = 0; i < in; i++) {
                        float acc = 0.0f;
                        for (unsigned c = 0; c < out; c++)
                            acc += m->gz[(size_t)s * out + c] * m->w[li][(size_t)c * in + i];
                        m->ga[(size_t)s * in + i] = acc;
                    }
        }
        /* SGD with momentum; weight decay on weights only */
        float lr = m->cfg.lr, mom = m->cfg.momentum, wd = m->cfg.weight_decay;
        for (size_t i = 0; i < (size_t)in * out; i++) {
            float gr = dw[i] + wd * m->w[li][i];
            m->vw[li][i] = mom * m->vw[li][i] + gr;
            m->w[li][i] -= lr * m->vw[li][i];
        }
        for (unsigned c = 0; c < out; c++) {
            float gb = 0.0f;
            for (unsigned s = 0; s < n; s++)
                gb += m->gz[(size_t)s * out + c];
            m->vb[li][c] = mom * m->vb[li][c] + gb;
            m->b[li][c] -= lr * m->vb[li][c];
        }
        if (need_ga) {
            /* through the ReLU of the previous layer */
            const float *zp = m->pre[li - 1];
            for (size_t i = 0; i < (size_t)n * in; i++)
                m->gz[i] = zp[i] > 0.0f ? m->ga[i] : 0.0f;
        }
    }
    if (read_counters(m, &c1))
        return -1;
    local.cycles = c1.busy - c0.busy;
    local.hw_switches = c1.switches - c0.switches;
    bc_counters_diff(&c1, &c0, &local.ctr);
    if (st)
        *st = local;
    if (loss_out)
        *loss_out = (float)(loss / (double)n);
    if (correct_out)
        *correct_out = correct;
    return 0;
}

uint64_t bc_mlp_weights_hash(const bc_mlp_t *m)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (unsigned l = 0; l < m->cfg.n_layers; l++) {
        size_t nw = (size_t)m->cfg.sizes[l] * m->cfg.sizes[l + 1];
        const float *arrs[2] = {m->w[l], m->b[l]};
        size_t lens[2] = {nw, m->cfg.sizes[l + 1]};
        for (int a = 0; a < 2; a++)
            for (size_t i = 0; i < lens[a]; i++) {
                uint32_t bits;
                memcpy(&bits, &arrs[a][i], 4);
                for (int byte = 0; byte < 4; byte++) {
                    h ^= (bits >> (8 * byte)) & 0xffu;
                    h *= 0x100000001b3ull;
                }
            }
    }
    return h;
}
