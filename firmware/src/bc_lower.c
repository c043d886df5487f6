/* Lowering of trained layers to accelerator GEMMs (see bc_lower.h). */
#include "bc_lower.h"

const char *bc_gemm_kind_name(bc_gemm_kind_t k)
{
    switch (k) {
    case BC_GEMM_FWD:
        return "forward";
    case BC_GEMM_ERR:
        return "error";
    case BC_GEMM_WGRAD:
        return "wgrad";
    }
    return "unknown";
}

const char *bc_lower_strerror(bc_lower_status_t s)
{
    switch (s) {
    case BC_LOWER_OK:
        return "ok";
    case BC_LOWER_E_ZERO:
        return "a channel count, input size, kernel, stride or the batch is 0";
    case BC_LOWER_E_GROUPS:
        return "input and output channels must be divisible by the group count";
    case BC_LOWER_E_KERNEL:
        return "the (dilated) kernel is larger than the padded input";
    case BC_LOWER_E_OVERFLOW:
        return "a GEMM dimension does not fit in 64 bits";
    case BC_LOWER_E_BITS:
        return "precision outside 1..16 bits";
    }
    return "unknown lowering error";
}

static uint32_t or_one(uint32_t v)
{
    return v ? v : 1u;
}

uint32_t bc_conv_out_size(uint32_t in, uint32_t k, uint32_t stride, uint32_t pad, uint32_t dil)
{
    uint64_t span = (uint64_t)or_one(dil) * (k ? k - 1u : 0u) + 1u;
    uint64_t padded = (uint64_t)in + 2u * (uint64_t)pad;
    if (!in || !k || !stride || span > padded)
        return 0;
    return (uint32_t)((padded - span) / stride + 1u);
}

static bool is_conv(const bc_layer_geom_t *l)
{
    return l->kind == BC_LAYER_CONV;
}

static bc_lower_status_t check_geom(const bc_layer_geom_t *l)
{
    if (!l->cin || !l->cout)
        return BC_LOWER_E_ZERO;
    uint32_t g = or_one(l->groups);
    if (l->cin % g || l->cout % g)
        return BC_LOWER_E_GROUPS;
    if (is_conv(l) && (!l->in_h || !l->in_w || !l->kh || !l->kw || !l->stride_h || !l->stride_w))
        return BC_LOWER_E_ZERO;
    return BC_LOWER_OK;
}

bc_lower_status_t bc_layer_out(const bc_layer_geom_t *l, uint32_t *out_h, uint32_t *out_w)
{
    bc_lower_status_t s = check_geom(l);
    if (s != BC_LOWER_OK)
        return s;
    if (!is_conv(l)) {
        *out_h = *out_w = 1;
        return BC_LOWER_OK;
    }
    *out_h = bc_conv_out_size(l->in_h, l->kh, l->stride_h, l->pad_h, l->dil_h);
    *out_w = bc_conv_out_size(l->in_w, l->kw, l->stride_w, l->pad_w, l->dil_w);
    return (*out_h && *out_w) ? BC_LOWER_OK : BC_LOWER_E_KERNEL;
}

/* a * b into *r; false on overflow. */
static bool mul64(uint64_t a, uint64_t b, uint64_t *r)
{
    return !__builtin_mul_overflow(a, b, r);
}

/* Per-group sizes of a layer: kernel volume per output (kvol = Cin/g*kh*kw),
 * output and input positions per sample. */
typedef struct layer_dims {
    uint64_t cin_g, cout_g, kvol_in, kvol_out, out_pos, in_pos, count;
} layer_dims_t;

static bc_lower_status_t layer_dims(const bc_layer_geom_t *l, layer_dims_t *d)
{
    uint32_t oh, ow;
    bc_lower_status_t s = bc_layer_out(l, &oh, &ow);
    if (s != BC_LOWER_OK)
        return s;
    uint64_t g = or_one(l->groups), kk = is_conv(l) ? (uint64_t)l->kh * l->kw : 1u;
    d->cin_g = l->cin / g;
    d->cout_g = l->cout / g;
    if (!mul64(d->cin_g, kk, &d->kvol_in) || !mul64(d->cout_g, kk, &d->kvol_out))
        return BC_LOWER_E_OVERFLOW;
    d->out_pos = (uint64_t)oh * ow;
    d->in_pos = is_conv(l) ? (uint64_t)l->in_h * l->in_w : 1u;
    d->count = g * or_one(l->steps);
    return BC_LOWER_OK;
}

bc_lower_status_t bc_layer_macs(const bc_layer_geom_t *l, uint64_t *macs)
{
    layer_dims_t d;
    bc_lower_status_t s = layer_dims(l, &d);
    if (s != BC_LOWER_OK)
        return s;
    uint64_t v;
    if (!mul64(d.cout_g, d.kvol_in, &v) || !mul64(v, d.out_pos, &v) || !mul64(v, d.count, &v))
        return BC_LOWER_E_OVERFLOW;
    *macs = v;
    return BC_LOWER_OK;
}

static bc_lower_status_t set_desc(bc_gemm_desc_t *g, bc_gemm_kind_t kind, uint64_t m, uint64_t n_per_sample,
                                  uint64_t batch, uint64_t k, uint64_t count, unsigned wbits, unsigned abits,
                                  bool batch_on_k)
{
    uint64_t nb;
    if (!mul64(batch_on_k ? k : n_per_sample, batch, &nb))
        return BC_LOWER_E_OVERFLOW;
    g->kind = kind;
    g->m = m;
    g->n = batch_on_k ? n_per_sample : nb;
    g->k = batch_on_k ? nb : k;
    g->count = count;
    g->wbits = wbits;
    g->abits = abits;
    return BC_LOWER_OK;
}

bc_lower_status_t bc_lower_layer(const bc_layer_geom_t *l, uint64_t batch, unsigned fw, unsigned bw,
                                 bc_gemm_desc_t out[BC_GEMM_KINDS], unsigned *n)
{
    if (!batch)
        return BC_LOWER_E_ZERO;
    if (fw < 1 || fw > 16 || bw < 1 || bw > 16)
        return BC_LOWER_E_BITS;
    layer_dims_t d;
    bc_lower_status_t s = layer_dims(l, &d);
    if (s != BC_LOWER_OK)
        return s;
    unsigned i = 0;
    s = set_desc(&out[i++], BC_GEMM_FWD, d.cout_g, d.out_pos, batch, d.kvol_in, d.count, fw, fw, false);
    if (s == BC_LOWER_OK && !l->first)
        s = set_desc(&out[i++], BC_GEMM_ERR, d.cin_g, d.in_pos, batch, d.kvol_out, d.count, fw, bw, false);
    if (s == BC_LOWER_OK)
        s = set_desc(&out[i++], BC_GEMM_WGRAD, d.cout_g, d.kvol_in, batch, d.out_pos, d.count, bw, fw, true);
    if (s != BC_LOWER_OK)
        return s;
    *n = i;
    return BC_LOWER_OK;
}

/* ------------------------------------------------------------------ */

static uint64_t ceil_div(uint64_t a, uint64_t b)
{
    return a / b + (a % b ? 1u : 0u);
}

uint64_t bc_split_count(uint64_t m, uint64_t n, uint64_t k, const bc_gemm_limits_t *lim)
{
    if (!m || !n || !k || !lim->max_m || !lim->max_n || !lim->max_k)
        return 0;
    uint64_t c;
    if (!mul64(ceil_div(m, lim->max_m), ceil_div(n, lim->max_n), &c) || !mul64(c, ceil_div(k, lim->max_k), &c))
        return UINT64_MAX;
    return c;
}

void bc_split_begin(bc_split_iter_t *it, uint64_t m, uint64_t n, uint64_t k, const bc_gemm_limits_t *lim)
{
    it->m = m;
    it->n = n;
    it->k = k;
    it->lim = *lim;
    it->mi = it->ni = it->ki = 0;
    it->done = bc_split_count(m, n, k, lim) == 0;
}

static uint32_t part_len(uint64_t total, uint64_t start, uint32_t max)
{
    uint64_t rest = total - start;
    return (uint32_t)(rest < max ? rest : max);
}

bool bc_split_next(bc_split_iter_t *it, bc_gemm_part_t *p)
{
    if (it->done)
        return false;
    p->m0 = it->mi;
    p->n0 = it->ni;
    p->k0 = it->ki;
    p->m = part_len(it->m, it->mi, it->lim.max_m);
    p->n = part_len(it->n, it->ni, it->lim.max_n);
    p->k = part_len(it->k, it->ki, it->lim.max_k);
    p->k_first = it->ki == 0;
    p->k_last = it->ki + p->k >= it->k;
    /* advance: K innermost, then N, then M */
    it->ki += p->k;
    if (it->ki >= it->k) {
        it->ki = 0;
        it->ni += p->n;
        if (it->ni >= it->n) {
            it->ni = 0;
            it->mi += p->m;
            if (it->mi >= it->m)
                it->done = true;
        }
    }
    return true;
}
