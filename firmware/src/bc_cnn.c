/* Quantized CNN trainer (see bc_cnn.h, docs/firmware.md): shapes and arena,
 * the CPU layers, and the forward / backward passes that hand every
 * quantized GEMM to bc_cnn_gemm.c. */
#include "bc_cnn.h"

#include <math.h>
#include <string.h>

#include "bc_cnn_gemm.h"

#define MAX_KERNEL 16u

static size_t align16(size_t v)
{
    return (v + 15u) & ~(size_t)15u;
}

static bool is_gemm_op(const bc_cnn_op_t *o)
{
    return o->kind == BC_OP_CONV || o->kind == BC_OP_FC;
}

/* Index of the last FC op (float unless quantize_last), or n_ops. */
static unsigned last_fc(const bc_cnn_net_t *net)
{
    unsigned l = net->n_ops;
    for (unsigned i = 0; i < net->n_ops; i++)
        if (net->ops[i].kind == BC_OP_FC)
            l = i;
    return l;
}

typedef struct shapes {
    uint32_t c[BC_CNN_MAX_OPS + 1], h[BC_CNN_MAX_OPS + 1], w[BC_CNN_MAX_OPS + 1];
} shapes_t;

static const char *op_shape(const bc_cnn_net_t *net, unsigned i, shapes_t *s)
{
    const bc_cnn_op_t *o = &net->ops[i];
    if (o->src > i || (o->kind == BC_OP_ADD && o->src2 > i))
        return "reads a tensor that is not computed yet";
    uint32_t c = s->c[o->src], h = s->h[o->src], w = s->w[o->src], oh = h, ow = w, oc = c;
    const bc_layer_geom_t *g = &o->geom;
    switch (o->kind) {
    case BC_OP_CONV:
        if (g->cin != c || g->in_h != h || g->in_w != w)
            return "convolution geometry does not match its input tensor";
        if (g->groups > 1 || g->dil_h > 1 || g->dil_w > 1 || g->steps > 1 || g->kh > MAX_KERNEL || g->kw > MAX_KERNEL)
            return "convolution: groups, dilation and steps must be 1, kernel at most 16";
        if (bc_layer_out(g, &oh, &ow) != BC_LOWER_OK)
            return "convolution: kernel, stride or channels invalid for its input";
        oc = g->cout;
        break;
    case BC_OP_FC:
        if ((uint64_t)c * h * w != g->cin || !g->cout)
            return "fully connected: in features do not match the input tensor";
        oc = g->cout, oh = ow = 1;
        break;
    case BC_OP_MAXPOOL:
    case BC_OP_AVGPOOL:
        if (!o->pool_k || !o->pool_stride || o->pool_pad * 2u >= o->pool_k + (o->kind == BC_OP_MAXPOOL))
            return "pooling: kernel and stride >= 1, padding below half the kernel";
        if (o->kind == BC_OP_AVGPOOL && o->pool_pad)
            return "average pooling: no padding";
        oh = bc_conv_out_size(h, o->pool_k, o->pool_stride, o->pool_pad, 1);
        ow = bc_conv_out_size(w, o->pool_k, o->pool_stride, o->pool_pad, 1);
        if (!oh || !ow)
            return "pooling: kernel larger than its input";
        break;
    case BC_OP_ADD:
        if (s->c[o->src2] != c || s->h[o->src2] != h || s->w[o->src2] != w)
            return "residual add: the two tensors differ in shape";
        break;
    case BC_OP_FLATTEN:
        oc = c * h * w, oh = ow = 1;
        break;
    case BC_OP_BN:
    case BC_OP_RELU:
        break;
    default:
        return "unknown op kind";
    }
    s->c[i + 1] = oc, s->h[i + 1] = oh, s->w[i + 1] = ow;
    return NULL;
}

static const char *net_shapes(const bc_cnn_net_t *net, shapes_t *s, unsigned *bad)
{
    *bad = 0;
    if (!net->n_ops || net->n_ops > BC_CNN_MAX_OPS)
        return "network: 1 to 64 ops";
    if (!net->in_c || !net->in_h || !net->in_w || (uint64_t)net->in_c * net->in_h * net->in_w > (1u << 24))
        return "network: input shape invalid";
    s->c[0] = net->in_c, s->h[0] = net->in_h, s->w[0] = net->in_w;
    for (unsigned i = 0; i < net->n_ops; i++) {
        const char *m = op_shape(net, i, s);
        if (!m && (uint64_t)s->c[i + 1] * s->h[i + 1] * s->w[i + 1] > (1u << 24))
            m = "tensor too large";
        if (m) {
            *bad = i + 1;
            return m;
        }
    }
    unsigned L = net->n_ops;
    if (s->h[L] != 1 || s->w[L] != 1 || s->c[L] < 2 || s->c[L] > 256)
        return "network: the last op must give 2..256 class scores";
    return NULL;
}

int bc_cnn_check_config(const bc_cnn_config_t *cfg, char *err, size_t errlen)
{
    shapes_t s;
    unsigned bad;
    const char *msg = net_shapes(&cfg->net, &s, &bad);
    if (!msg && (cfg->batch < 1 || cfg->batch > 4096))
        msg = "batch: must be 1..4096";
    if (!msg && !(cfg->lr > 0.0f && cfg->lr < 100.0f))
        msg = "lr: must be in (0, 100)";
    if (!msg && !(cfg->momentum >= 0.0f && cfg->momentum < 1.0f))
        msg = "momentum: must be in [0, 1)";
    if (!msg && !(cfg->weight_decay >= 0.0f && cfg->weight_decay < 1.0f))
        msg = "weight decay: must be in [0, 1)";
    if (!msg && !(cfg->bn_momentum > 0.0f && cfg->bn_momentum <= 1.0f && cfg->bn_eps > 0.0f))
        msg = "batch norm: momentum in (0, 1], eps > 0";
    if (!msg && !(cfg->act_momentum >= 0.0f && cfg->act_momentum < 1.0f))
        msg = "activation range momentum: must be in [0, 1)";
    if (!msg)
        return 0;
    if (err && errlen) {
        err[0] = 0;
        if (bad) {
            cg_msg_add(err, errlen, "op ");
            cg_msg_num(err, errlen, bad);
            cg_msg_add(err, errlen, ": ");
        }
        cg_msg_add(err, errlen, msg);
    }
    return -1;
}

static void op_geom(const bc_cnn_op_t *o, const shapes_t *s, unsigned i, unsigned batch, cg_geom_t *g)
{
    unsigned src = o->src;
    memset(g, 0, sizeof *g);
    g->cout = s->c[i + 1], g->oh = s->h[i + 1], g->ow = s->w[i + 1];
    g->batch = batch;
    if (o->kind == BC_OP_CONV) {
        g->cin = s->c[src], g->h = s->h[src], g->w = s->w[src];
        g->kh = o->geom.kh, g->kw = o->geom.kw, g->sh = o->geom.stride_h, g->sw = o->geom.stride_w;
        g->ph = o->geom.pad_h, g->pw = o->geom.pad_w;
    } else {
        g->cin = s->c[src] * s->h[src] * s->w[src];
        g->h = g->w = g->kh = g->kw = g->sh = g->sw = 1;
    }
}

/* Carve the arena (base == NULL: measure only); dev gets the device bytes. */
static size_t layout(bc_cnn_t *m, const bc_cnn_config_t *c, uint8_t *base, uint64_t *dev)
{
    size_t off = 0;
#define CARVE(ptr, type, count)                                  \
    do {                                                         \
        if (base)                                                \
            (ptr) = (type *)(void *)(base + off);                \
        off += align16(sizeof(type) * (size_t)(count));          \
    } while (0)
    shapes_t s;
    unsigned bad;
    net_shapes(&c->net, &s, &bad);
    size_t B = c->batch, mx_in = 0, mx_out = 0, mx_w = 0, mx_cout = 0;
    cg_need_t need = {0, 0, 0, 0, 0, 0};
    uint64_t dev_need = 0;
    for (unsigned t = 1; t <= c->net.n_ops; t++) {
        size_t n = (size_t)s.c[t] * s.h[t] * s.w[t];
        CARVE(m->act[t], float, B * n);
        CARVE(m->grad[t], float, B * n);
    }
    for (unsigned i = 0; i < c->net.n_ops; i++) {
        const bc_cnn_op_t *o = &c->net.ops[i];
        bc_cnn_layer_t *L = &m->layer[i];
        size_t cout = s.c[i + 1], nin = (size_t)s.c[o->src] * s.h[o->src] * s.w[o->src];
        size_t nout = (size_t)s.c[i + 1] * s.h[i + 1] * s.w[i + 1];
        if (is_gemm_op(o)) {
            cg_geom_t g;
            op_geom(o, &s, i, c->batch, &g);
            size_t nw = cout * g.cin * g.kh * g.kw;
            CARVE(L->w, float, nw);
            CARVE(L->vw, float, nw);
            if (o->kind == BC_OP_FC) {
                CARVE(L->b, float, cout);
                CARVE(L->vb, float, cout);
            }
            mx_w = nw > mx_w ? nw : mx_w;
            mx_cout = cout > mx_cout ? cout : mx_cout;
            mx_in = nin > mx_in ? nin : mx_in;
            mx_out = nout > mx_out ? nout : mx_out;
            uint64_t dev_fwd = 0, dev_bwd = 0;
            for (unsigned k = 0; k < BC_GEMM_KINDS; k++) {
                cg_need_t n1;
                cg_measure(&g, (bc_gemm_kind_t)k, &n1);
                need.rows_elems = n1.rows_elems > need.rows_elems ? n1.rows_elems : need.rows_elems;
                need.acc_elems = n1.acc_elems > need.acc_elems ? n1.acc_elems : need.acc_elems;
                need.sumb_elems = n1.sumb_elems > need.sumb_elems ? n1.sumb_elems : need.sumb_elems;
                need.corr_elems = n1.corr_elems > need.corr_elems ? n1.corr_elems : need.corr_elems;
                if (k == BC_GEMM_FWD)
                    dev_fwd = n1.dev_ab + n1.dev_c;
                else
                    dev_bwd += n1.dev_ab + n1.dev_c;
            }
            uint64_t d = dev_fwd > dev_bwd ? dev_fwd : dev_bwd;
            dev_need = d > dev_need ? d : dev_need;
        } else if (o->kind == BC_OP_BN) {
            mx_w = 2u * cout > mx_w ? 2u * cout : mx_w; /* gamma and beta gradients in dw */
            CARVE(L->w, float, cout);
            CARVE(L->vw, float, cout);
            CARVE(L->b, float, cout);
            CARVE(L->vb, float, cout);
            CARVE(L->run_mean, float, cout);
            CARVE(L->run_var, float, cout);
            CARVE(L->bn_mean, float, cout);
            CARVE(L->bn_rstd, float, cout);
        } else if (o->kind == BC_OP_MAXPOOL) {
            CARVE(L->argmax, uint32_t, B * nout);
        }
    }
    size_t rows = need.rows_elems > 65536u ? need.rows_elems : 65536u;
    CARVE(m->qx, int32_t, B * mx_in);
    CARVE(m->qe, int32_t, B * mx_out);
    CARVE(m->qw, int32_t, mx_w);
    CARVE(m->qw2, int32_t, mx_w);
    CARVE(m->dw, float, mx_w);
    CARVE(m->qw_p, bc_qp_t, mx_cout);
    CARVE(m->rows, int32_t, rows);
    CARVE(m->pack, uint64_t, (rows / 64u + 4096u) * 16u);
    CARVE(m->cpart, int32_t, 65536u);
    for (int q = 0; q < 2; q++) {
        CARVE(m->acc[q], int64_t, need.acc_elems);
        CARVE(m->sum_b[q], int64_t, need.sumb_elems);
        CARVE(m->corr[q], int64_t, need.corr_elems);
    }
    if (base) {
        m->rows_elems = rows;
        m->pack_words = (rows / 64u + 4096u) * 16u;
        m->cpart_elems = 65536u;
    }
    if (dev)
        *dev = dev_need + 64u;
#undef CARVE
    return off;
}

size_t bc_cnn_workspace_bytes(const bc_cnn_config_t *cfg)
{
    static bc_cnn_t scratch; /* only written through measuring-mode CARVE (never) */
    if (bc_cnn_check_config(cfg, NULL, 0))
        return 0;
    return layout(&scratch, cfg, NULL, NULL);
}

size_t bc_cnn_device_bytes(const bc_cnn_config_t *cfg)
{
    static bc_cnn_t scratch;
    uint64_t dev = 0;
    if (bc_cnn_check_config(cfg, NULL, 0))
        return 0;
    layout(&scratch, cfg, NULL, &dev);
    return (size_t)dev;
}

static float normal(bc_fw_rng_t *r)
{
    float u1 = 1.0f - bc_fw_rng_unit(r), u2 = bc_fw_rng_unit(r);
    return sqrtf(-2.0f * logf(u1)) * cosf(6.28318530718f * u2);
}

static void init_params(bc_cnn_t *m)
{
    bc_fw_rng_t init;
    bc_fw_rng_seed(&init, m->cfg.seed);
    for (unsigned i = 0; i < m->n_ops; i++) {
        const bc_cnn_op_t *o = &m->cfg.net.ops[i];
        bc_cnn_layer_t *L = &m->layer[i];
        if (o->kind == BC_OP_CONV) {
            size_t fan = (size_t)o->geom.kh * o->geom.kw * o->geom.cout, nw = fan * o->geom.cin;
            float sd = sqrtf(2.0f / (float)fan);
            for (size_t k = 0; k < nw; k++)
                L->w[k] = normal(&init) * sd, L->vw[k] = 0.0f;
        } else if (o->kind == BC_OP_FC) {
            size_t nw = (size_t)o->geom.cin * o->geom.cout;
            float bound = 1.0f / sqrtf((float)o->geom.cin);
            for (size_t k = 0; k < nw; k++)
                L->w[k] = (2.0f * bc_fw_rng_unit(&init) - 1.0f) * bound, L->vw[k] = 0.0f;
            for (size_t k = 0; k < o->geom.cout; k++)
                L->b[k] = (2.0f * bc_fw_rng_unit(&init) - 1.0f) * bound, L->vb[k] = 0.0f;
        } else if (o->kind == BC_OP_BN) {
            for (size_t k = 0; k < m->tc[i + 1]; k++) {
                L->w[k] = 1.0f, L->b[k] = 0.0f, L->vw[k] = L->vb[k] = 0.0f;
                L->run_mean[k] = 0.0f, L->run_var[k] = 1.0f;
            }
        }
        L->quantized = is_gemm_op(o) && !m->cfg.float_only && (i != last_fc(&m->cfg.net) || m->cfg.quantize_last);
        L->run_min = L->run_max = 0.0f;
    }
}

int bc_cnn_init(bc_cnn_t *m, const bc_cnn_config_t *cfg, void *ws, size_t ws_bytes, bc_dev_t *dev,
                uint64_t dev_base, uint64_t dev_bytes)
{
    memset(m, 0, sizeof *m);
    if (bc_cnn_check_config(cfg, m->err, sizeof m->err))
        return -1;
    uint64_t dev_need = 0;
    if (!ws || ((uintptr_t)ws & 15u) || ws_bytes < bc_cnn_workspace_bytes(cfg) || !dev) {
        cg_msg_add(m->err, sizeof m->err, "workspace too small, unaligned, or no device");
        return -1;
    }
    m->cfg = *cfg;
    if (!m->cfg.timeout_ns)
        m->cfg.timeout_ns = 60000000000ull;
    m->dev = dev;
    m->n_ops = cfg->net.n_ops;
    layout(m, cfg, ws, &dev_need);
    if (dev_bytes < dev_need) {
        cg_msg_add(m->err, sizeof m->err, "device memory window smaller than bc_cnn_device_bytes");
        return -1;
    }
    m->dev_base = dev_base;
    m->dev_bytes = dev_bytes;
    m->lim.max_m = dev->cfg.max_m;
    m->lim.max_n = dev->cfg.max_n;
    m->lim.max_k = dev->cfg.max_k & ~63u;
    if (!m->lim.max_m || !m->lim.max_n || m->lim.max_k < 64u) {
        cg_msg_add(m->err, sizeof m->err, "the device reports descriptor limits below 1 x 1 x 64");
        return -1;
    }
    shapes_t s;
    unsigned bad;
    net_shapes(&cfg->net, &s, &bad);
    for (unsigned t = 0; t <= m->n_ops; t++) {
        m->tc[t] = s.c[t], m->th[t] = s.h[t], m->tw[t] = s.w[t];
        m->numel[t] = (size_t)s.c[t] * s.h[t] * s.w[t];
    }
    m->classes = s.c[m->n_ops];
    bc_fw_rng_seed(&m->rng, cfg->seed ^ 0x5eed5eed5eed5eedull);
    init_params(m);
    return 0;
}
