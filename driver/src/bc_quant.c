/* Min/max linear quantizer and its generator (see bc_quant.h). Float and
 * double arithmetic only, no libm, so it links on bare metal unchanged. */
#include "bc_quant.h"

#include <float.h>

void bc_rng_seed(bc_rng_t *r, uint64_t seed)
{
    r->s = seed ^ 0x6a09e667f3bcc909ull;
}

uint64_t bc_rng_u64(bc_rng_t *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

float bc_rng_unit(bc_rng_t *r)
{
    return (float)(bc_rng_u64(r) >> 40) * (1.0f / 16777216.0f);
}

static bool finite_f(float v)
{
    return v == v && v - v == 0.0f;
}

/* Doubles at or beyond 2^52 in magnitude are integers (or inf/NaN). */
#define BC_Q_INTEGRAL 4503599627370496.0

static double floor_d(double x)
{
    if (!(x > -BC_Q_INTEGRAL && x < BC_Q_INTEGRAL))
        return x;
    double t = (double)(int64_t)x; /* truncates toward zero; exact below 2^52 */
    return t > x ? t - 1.0 : t;
}

double bc_q_rint(double x)
{
    if (!(x > -BC_Q_INTEGRAL && x < BC_Q_INTEGRAL))
        return x;
    double f = floor_d(x);
    double d = x - f; /* exact below 2^52 */
    if (d > 0.5)
        return f + 1.0;
    if (d < 0.5)
        return f;
    return (int64_t)f % 2 == 0 ? f : f + 1.0;
}

bool bc_q_minmax(const float *x, size_t n, size_t stride, float *mn, float *mx)
{
    bool any = false;
    float lo = 0.0f, hi = 0.0f;
    for (size_t i = 0; i < n; i++) {
        float v = x[i * stride];
        if (!finite_f(v))
            continue;
        if (!any || v < lo)
            lo = v;
        if (!any || v > hi)
            hi = v;
        any = true;
    }
    *mn = lo;
    *mx = hi;
    return any;
}

bc_qp_t bc_q_params(float mn, float mx, unsigned bits, bool is_signed)
{
    bc_qp_t p;
    if (bits < 1)
        bits = 1;
    if (bits > 16)
        bits = 16;
    p.bits = bits;
    p.is_signed = is_signed;
    p.min = mn;
    float levels = (float)((1u << bits) - 1u);
    float scale = (mx - mn) / levels;
    if (!finite_f(scale)) { /* mx - mn overflowed float: do it in double */
        double d = ((double)mx - (double)mn) / (double)levels;
        scale = (float)(d < (double)FLT_MAX ? d : (double)FLT_MAX);
    }
    if (!(scale > 0.0f))
        scale = (mx > mn) ? FLT_MIN : 1.0f; /* constant tensor: codes 0 stand for mn exactly */
    p.scale = scale;
    double off = (double)mn;
    if (is_signed)
        off += (double)scale * (double)(1u << (bits - 1u));
    p.offset = (float)off;
    return p;
}

int32_t bc_q_code(const bc_qp_t *p, float x, bc_qround_t round, bc_rng_t *rng)
{
    int32_t half = p->is_signed ? (int32_t)(1u << (p->bits - 1u)) : 0;
    int32_t qmax = (int32_t)((1u << p->bits) - 1u);
    float v = (x - p->min) / p->scale; /* inf/nan handled by the clamps below */
    double r;
    if (x != x)
        r = 0.0;
    else if (round == BC_QROUND_STOCHASTIC && rng)
        r = floor_d((double)(v + bc_rng_unit(rng)));
    else
        r = bc_q_rint((double)v);
    if (!(r >= 0.0))
        r = 0.0;
    if (r > (double)qmax)
        r = (double)qmax;
    return (int32_t)r - half;
}

bc_qp_t bc_q_tensor(const float *x, size_t n, unsigned bits, bool is_signed, bc_qround_t round,
                    bc_rng_t *rng, int32_t *q)
{
    float mn, mx;
    bc_q_minmax(x, n, 1, &mn, &mx);
    bc_qp_t p = bc_q_params(mn, mx, bits, is_signed);
    for (size_t i = 0; i < n; i++)
        q[i] = bc_q_code(&p, x[i], round, rng);
    return p;
}

void bc_q_rows(const float *x, size_t rows, size_t cols, size_t ldx, unsigned bits, bool is_signed,
               bc_qround_t round, bc_rng_t *rng, int32_t *q, size_t ldq, bc_qp_t *p)
{
    for (size_t r = 0; r < rows; r++)
        p[r] = bc_q_tensor(x + r * ldx, cols, bits, is_signed, round, rng, q + r * ldq);
}
