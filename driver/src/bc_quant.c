/* Min/max linear quantization with nearest or stochastic rounding.
 * Float arithmetic only (no libm), so it links on bare metal unchanged. */
#include "bitcycle.h"

void bc_rng_seed(bc_rng_t *r, uint64_t seed)
{
    if (!r)
        return;
    /* splitmix64 step: distinct seeds give well-spread, non-zero states. */
    uint64_t z = seed + 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    z ^= z >> 31;
    r->s = z ? z : 0x2545F4914F6CDD1Dull;
}

uint32_t bc_rng_u32(bc_rng_t *r)
{
    /* xorshift64* */
    uint64_t x = r->s;
    x ^= x >> 12;
    x ^= x << 25;
    x ^= x >> 27;
    r->s = x;
    return (uint32_t)((x * 0x2545F4914F6CDD1Dull) >> 32);
}

float bc_rng_unit(bc_rng_t *r)
{
    return (float)(bc_rng_u32(r) >> 8) * (1.0f / 16777216.0f);
}

static bool finite_f(float v)
{
    return v == v && v - v == 0.0f;
}

/* Inputs are clamped to +-2^30 before conversion, so the casts are defined. */
static float clamp_f(float v, float lo, float hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int64_t floor_f(float v)
{
    int64_t i = (int64_t)v; /* truncates toward zero */
    if ((float)i > v)
        i--;
    return i;
}

/* Round half to even, like rint() in the default rounding mode. */
static int64_t round_even(float v)
{
    int64_t f = floor_f(v);
    float d = v - (float)f;
    if (d > 0.5f)
        return f + 1;
    if (d < 0.5f)
        return f;
    return (f & 1) ? f + 1 : f;
}

bc_status_t bc_quant_params(const float *x, size_t n, unsigned bits, bc_qmode_t mode,
                            bc_qparams_t *out)
{
    if (!x || !out)
        return BC_E_NULL;
    if (n == 0 || bits < 1 || bits > 16 || (mode == BC_QUANT_SYM && bits < 2) ||
        (mode != BC_QUANT_SYM && mode != BC_QUANT_ASYM))
        return BC_E_ARG;
    float lo = 0.0f, hi = 0.0f; /* the range always contains 0 */
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        if (!finite_f(v))
            continue;
        if (v < lo)
            lo = v;
        if (v > hi)
            hi = v;
    }
    bc_qparams_t p;
    p.bits = bits;
    if (mode == BC_QUANT_SYM) {
        float amax = -lo > hi ? -lo : hi;
        p.qmax = (int32_t)((1u << (bits - 1)) - 1u);
        p.qmin = -p.qmax;
        p.scale = amax > 0.0f ? amax / (float)p.qmax : 1.0f;
        p.zero = 0;
        p.is_signed = true;
    } else {
        p.qmin = 0;
        p.qmax = (int32_t)((1u << bits) - 1u);
        p.scale = hi > lo ? (hi - lo) / (float)p.qmax : 1.0f;
        int64_t z = round_even(clamp_f(-lo / p.scale, 0.0f, (float)p.qmax));
        p.zero = (int32_t)z;
        p.is_signed = false;
    }
    if (!(p.scale > 0.0f) || !finite_f(p.scale))
        p.scale = 1.0f; /* denormal ranges */
    *out = p;
    return BC_OK;
}

bc_status_t bc_quantize(const float *x, size_t n, const bc_qparams_t *p, bc_round_t round,
                        bc_rng_t *rng, int32_t *q)
{
    if (!x || !p || !q)
        return BC_E_NULL;
    if (round == BC_ROUND_STOCHASTIC && !rng)
        return BC_E_NULL;
    if ((round != BC_ROUND_NEAREST && round != BC_ROUND_STOCHASTIC) || !(p->scale > 0.0f) ||
        p->qmin > p->qmax)
        return BC_E_ARG;
    const float inv = 1.0f / p->scale;
    const float lim = 1073741824.0f; /* 2^30 */
    for (size_t i = 0; i < n; i++) {
        float v = x[i];
        v = v == v ? clamp_f(v * inv, -lim, lim) : 0.0f; /* NaN quantizes as 0.0 */
        int64_t r;
        if (round == BC_ROUND_NEAREST) {
            r = round_even(v);
        } else {
            int64_t f = floor_f(v);
            r = f + (bc_rng_unit(rng) < v - (float)f ? 1 : 0);
        }
        r += p->zero;
        q[i] = (int32_t)(r < p->qmin ? p->qmin : r > p->qmax ? p->qmax : r);
    }
    return BC_OK;
}

void bc_dequantize(const int32_t *q, size_t n, const bc_qparams_t *p, float *x)
{
    if (!q || !p || !x)
        return;
    for (size_t i = 0; i < n; i++)
        x[i] = p->scale * (float)((int64_t)q[i] - p->zero);
}

bc_status_t bc_quantize_tensor(const float *x, size_t n, unsigned bits, bc_qmode_t mode,
                               bc_round_t round, bc_rng_t *rng, int32_t *q, bc_qparams_t *p)
{
    if (!p)
        return BC_E_NULL;
    bc_status_t st = bc_quant_params(x, n, bits, mode, p);
    return st != BC_OK ? st : bc_quantize(x, n, p, round, rng, q);
}

bc_status_t bc_quantize_rows(const float *x, size_t rows, size_t cols, size_t ldx,
                             unsigned bits, bc_qmode_t mode, bc_round_t round, bc_rng_t *rng,
                             int32_t *q, size_t ldq, bc_qparams_t *p)
{
    if (!x || !q || !p)
        return BC_E_NULL;
    if (rows == 0 || cols == 0 || ldx < cols || ldq < cols)
        return BC_E_ARG;
    for (size_t r = 0; r < rows; r++) {
        bc_status_t st = bc_quantize_tensor(x + r * ldx, cols, bits, mode, round, rng,
                                            q + r * ldq, &p[r]);
        if (st != BC_OK)
            return st;
    }
    return BC_OK;
}
