/* Quantized GEMMs of the CNN trainer (see bc_cnn_gemm.h).
 *
 * An operand value is x_hat = offset + scale * q. Entries the lowering
 * introduces (zero padding of im2col, the holes of a strided transposed
 * convolution) are exact zeros in the reference, which no code of a min/max
 * quantizer need represent; they are packed as code 0 and left out of the
 * corrections. With V(i,j) the real (non-structural) k of output (i,j):
 *   sum_V a_hat b_hat = sa sb sum qa qb + sa ob sum_V qa + oa sb sum_V qb + oa ob |V|
 * The accelerator computes sum qa qb (code 0 where structural); the CPU adds
 * the rest: sum_V qb is the B row sum, sum_V qa comes from per-tap sums of A
 * (forward, error) or 2-D prefix sums of A over output positions (weight
 * gradient). */
#include "bc_cnn_gemm.h"

#include <string.h>

#define MAX_TAPS 16 /* kernel side limit (bc_cnn_check_config) */

void cg_msg_add(char *dst, size_t len, const char *s)
{
    size_t o = strlen(dst);
    while (*s && o + 1 < len)
        dst[o++] = *s++;
    dst[o] = 0;
}

void cg_msg_num(char *dst, size_t len, uint64_t v)
{
    char tmp[24], out[24];
    int i = 0, o = 0;
    do {
        tmp[i++] = (char)('0' + v % 10u);
        v /= 10u;
    } while (v);
    while (i)
        out[o++] = tmp[--i];
    out[o] = 0;
    cg_msg_add(dst, len, out);
}

int cg_fail(bc_cnn_t *t, const char *what, unsigned op, const char *detail)
{
    t->err[0] = 0;
    cg_msg_add(t->err, sizeof t->err, what);
    cg_msg_add(t->err, sizeof t->err, " of op ");
    cg_msg_num(t->err, sizeof t->err, op + 1u);
    cg_msg_add(t->err, sizeof t->err, ": ");
    cg_msg_add(t->err, sizeof t->err, detail);
    return -1;
}

static uint64_t taps(const cg_geom_t *g)
{
    return (uint64_t)g->kh * g->kw;
}

int cg_shape(const cg_job_t *j, uint64_t *m, uint64_t *n, uint64_t *k)
{
    const cg_geom_t *g = &j->g;
    uint64_t P = (uint64_t)g->oh * g->ow, HW = (uint64_t)g->h * g->w, B = g->batch;
    switch (j->kind) {
    case BC_GEMM_FWD:
        *m = g->cout, *n = P * B, *k = g->cin * taps(g);
        return 0;
    case BC_GEMM_ERR:
        *m = g->cin, *n = HW * B, *k = g->cout * taps(g);
        return 0;
    case BC_GEMM_WGRAD:
        *m = g->cout, *n = g->cin * taps(g), *k = P * B;
        return 0;
    }
    return -1;
}

static uint64_t max_code(const bc_qp_t *p)
{
    return p->is_signed ? (1ull << (p->bits - 1u)) : ((1ull << p->bits) - 1u);
}

static size_t ldc_bytes(uint64_t n)
{
    return (size_t)((n * 4u + 7u) & ~(uint64_t)7u);
}

void cg_measure(const cg_geom_t *g, bc_gemm_kind_t kind, cg_need_t *need)
{
    cg_job_t j;
    memset(&j, 0, sizeof j);
    j.kind = kind;
    j.g = *g;
    uint64_t m, n, k;
    cg_shape(&j, &m, &n, &k);
    need->rows_elems = (size_t)k;
    need->acc_elems = (size_t)(m * n);
    need->sumb_elems = (size_t)n;
    uint64_t P1 = (uint64_t)(g->oh + 1u) * (g->ow + 1u);
    need->corr_elems = (size_t)(kind == BC_GEMM_WGRAD ? m * P1 : m * (taps(g) + 1u));
    need->dev_ab = (m + n) * bc_packed_row_bytes((unsigned)(k < 0xffffffffu ? k : 0xffffffffu), 16) + 32u;
    uint64_t kparts = (k + 2047u) / 2048u, mm = m < 4096u ? m : 4096u;
    need->dev_c = kparts * ((m + 4095u) / 4096u) * mm * ldc_bytes(n) + 4096u * 8u;
}

/* ---------- operand rows (im2col and its transposed forms) ---------- */

/* Valid kernel taps along one axis: forward (output o), or error (input i). */
static uint32_t taps_fwd(uint32_t o, uint32_t s, uint32_t p, uint32_t k, uint32_t in)
{
    uint32_t mask = 0;
    for (uint32_t t = 0; t < k; t++) {
        int64_t i = (int64_t)o * s - p + t;
        if (i >= 0 && i < (int64_t)in)
            mask |= 1u << t;
    }
    return mask;
}

static uint32_t taps_err(uint32_t i, uint32_t s, uint32_t p, uint32_t k, uint32_t out)
{
    uint32_t mask = 0;
    for (uint32_t t = 0; t < k; t++) {
        int64_t v = (int64_t)i + p - t;
        if (v >= 0 && v % s == 0 && v / s < (int64_t)out)
            mask |= 1u << t;
    }
    return mask;
}

static void a_row(const cg_job_t *j, uint64_t i, int32_t *dst)
{
    const cg_geom_t *g = &j->g;
    uint64_t T = taps(g), P = (uint64_t)g->oh * g->ow;
    switch (j->kind) {
    case BC_GEMM_FWD:
        memcpy(dst, j->qa + i * g->cin * T, sizeof(int32_t) * g->cin * T);
        return;
    case BC_GEMM_ERR: /* W'[ci][co][t] = W[co][ci][t] */
        for (uint64_t co = 0; co < g->cout; co++)
            memcpy(dst + co * T, j->qa + (co * g->cin + i) * T, sizeof(int32_t) * T);
        return;
    case BC_GEMM_WGRAD:
        for (uint64_t b = 0; b < g->batch; b++)
            memcpy(dst + b * P, j->qa + (b * g->cout + i) * P, sizeof(int32_t) * P);
        return;
    }
}

/* Contiguous range [lo, hi) of outputs o with o*s - p + t inside [0, in). */
static void out_range(uint32_t t, uint32_t s, uint32_t p, uint32_t in, uint32_t out, uint32_t *lo, uint32_t *hi)
{
    int64_t l = ((int64_t)p - t + s - 1) / (int64_t)s;
    if ((int64_t)p - (int64_t)t < 0)
        l = 0;
    int64_t h = ((int64_t)in - 1 + p - t);
    h = h < 0 ? 0 : h / s + 1;
    if (h > out)
        h = out;
    if (l > h)
        l = h;
    *lo = (uint32_t)l;
    *hi = (uint32_t)h;
}

/* im2col row of output position (b, oy, ox): K = cin*kh*kw codes. */
static int64_t b_row_fwd(const cg_job_t *j, uint64_t r, int32_t *dst)
{
    const cg_geom_t *g = &j->g;
    uint64_t P = (uint64_t)g->oh * g->ow, HW = (uint64_t)g->h * g->w, b = r / P, pos = r % P;
    int64_t y0 = (int64_t)(pos / g->ow) * g->sh - g->ph, x0 = (int64_t)(pos % g->ow) * g->sw - g->pw;
    bool inside = y0 >= 0 && x0 >= 0 && y0 + g->kh <= g->h && x0 + g->kw <= g->w;
    int64_t sum = 0;
    for (uint64_t c = 0; c < g->cin; c++) {
        const int32_t *x = j->qb + (b * g->cin + c) * HW;
        for (uint32_t ky = 0; ky < g->kh; ky++) {
            int64_t iy = y0 + ky;
            if (inside) {
                const int32_t *src = x + iy * g->w + x0;
                for (uint32_t kx = 0; kx < g->kw; kx++)
                    sum += (dst[kx] = src[kx]);
            } else {
                bool vy = iy >= 0 && iy < g->h;
                for (uint32_t kx = 0; kx < g->kw; kx++) {
                    int64_t ix = x0 + kx;
                    int32_t v = (vy && ix >= 0 && ix < g->w) ? x[iy * g->w + ix] : 0;
                    sum += (dst[kx] = v);
                }
            }
            dst += g->kw;
        }
    }
    return sum;
}

/* Transposed-convolution row of input position (b, iy, ix): K = cout*kh*kw codes. */
static int64_t b_row_err(const cg_job_t *j, uint64_t r, int32_t *dst)
{
    const cg_geom_t *g = &j->g;
    uint64_t P = (uint64_t)g->oh * g->ow, HW = (uint64_t)g->h * g->w, b = r / HW, pos = r % HW;
    int64_t iy = (int64_t)(pos / g->w), ix = (int64_t)(pos % g->w);
    int64_t yoff[MAX_TAPS], xoff[MAX_TAPS]; /* offset into an error map, -1: structural zero */
    for (uint32_t t = 0; t < g->kh; t++) {
        int64_t ty = iy + g->ph - t;
        yoff[t] = (ty >= 0 && ty % g->sh == 0 && ty / g->sh < g->oh) ? (ty / g->sh) * g->ow : -1;
    }
    for (uint32_t t = 0; t < g->kw; t++) {
        int64_t tx = ix + g->pw - t;
        xoff[t] = (tx >= 0 && tx % g->sw == 0 && tx / g->sw < g->ow) ? tx / g->sw : -1;
    }
    int64_t sum = 0;
    for (uint64_t co = 0; co < g->cout; co++) {
        const int32_t *e = j->qb + (b * g->cout + co) * P;
        for (uint32_t ky = 0; ky < g->kh; ky++)
            for (uint32_t kx = 0; kx < g->kw; kx++) {
                int32_t c = (yoff[ky] >= 0 && xoff[kx] >= 0) ? e[yoff[ky] + xoff[kx]] : 0;
                sum += (*dst++ = c);
            }
    }
    return sum;
}

/* Weight-gradient row of tap (c, ky, kx): K = batch*oh*ow codes. */
static int64_t b_row_wgrad(const cg_job_t *j, uint64_t r, int32_t *dst)
{
    const cg_geom_t *g = &j->g;
    uint64_t T = taps(g), HW = (uint64_t)g->h * g->w, c = r / T, t = r % T;
    uint32_t ky = (uint32_t)(t / g->kw), kx = (uint32_t)(t % g->kw), ylo, yhi, xlo, xhi;
    out_range(ky, g->sh, g->ph, g->h, g->oh, &ylo, &yhi);
    out_range(kx, g->sw, g->pw, g->w, g->ow, &xlo, &xhi);
    int64_t sum = 0;
    for (uint64_t b = 0; b < g->batch; b++) {
        const int32_t *x = j->qb + (b * g->cin + c) * HW;
        for (uint32_t oy = 0; oy < g->oh; oy++, dst += g->ow) {
            if (oy < ylo || oy >= yhi) {
                memset(dst, 0, sizeof(int32_t) * g->ow);
                continue;
            }
            const int32_t *row = x + ((int64_t)oy * g->sh - g->ph + ky) * (int64_t)g->w;
            for (uint32_t ox = 0; ox < xlo; ox++)
                dst[ox] = 0;
            for (uint32_t ox = xlo; ox < xhi; ox++)
                sum += (dst[ox] = row[(int64_t)ox * g->sw - g->pw + kx]);
            for (uint32_t ox = xhi; ox < g->ow; ox++)
                dst[ox] = 0;
        }
    }
    return sum;
}

/* Row r of B^T; returns the row sum of its codes. */
static int64_t b_row(const cg_job_t *j, uint64_t r, int32_t *dst)
{
    if (j->kind == BC_GEMM_FWD)
        return b_row_fwd(j, r, dst);
    if (j->kind == BC_GEMM_ERR)
        return b_row_err(j, r, dst);
    return b_row_wgrad(j, r, dst);
}

/* Pack `rows` rows of K codes (A when is_a) into device memory at addr. */
static int pack_operand(bc_cnn_t *t, const cg_job_t *j, bool is_a, uint64_t rows, uint64_t addr, int slot,
                        const char *what, unsigned op, bc_cnn_stats_t *st)
{
    unsigned bits = is_a ? j->pa[0].bits : j->pb.bits;
    uint64_t K = j->k;
    size_t ld_words = bc_packed_row_bytes((unsigned)K, bits) / 8u;
    uint64_t per = t->rows_elems / K;
    if (per > 4096u)
        per = 4096u;
    if (!per || per * ld_words > t->pack_words)
        return cg_fail(t, what, op, "operand row exceeds the packing buffer");
    for (uint64_t r0 = 0; r0 < rows; r0 += per) {
        uint64_t nr = rows - r0 < per ? rows - r0 : per;
        for (uint64_t r = 0; r < nr; r++) {
            if (is_a)
                a_row(j, r0 + r, t->rows + r * K);
            else
                t->sum_b[slot][r0 + r] = b_row(j, r0 + r, t->rows + r * K);
        }
        if (j->kind != BC_GEMM_FWD || !is_a)
            st->im2col_ops += nr * K;
        bc_status_t s = bc_pack(t->rows, (size_t)K, 1, (unsigned)nr, (unsigned)K, bits, t->pack, ld_words);
        if (s == BC_OK)
            s = bc_mem_write(t->dev, addr + r0 * ld_words * 8u, t->pack, (size_t)(nr * ld_words * 8u));
        if (s != BC_OK)
            return cg_fail(t, what, op, bc_strerror(s));
    }
    return 0;
}

/* Sums of A codes the corrections need (see the file comment). */
static void a_sums(bc_cnn_t *t, const cg_job_t *j, int slot, bc_cnn_stats_t *st)
{
    const cg_geom_t *g = &j->g;
    int64_t *c = t->corr[slot];
    uint64_t T = taps(g);
    if (j->kind != BC_GEMM_WGRAD) {
        uint64_t chans = j->kind == BC_GEMM_FWD ? g->cin : g->cout;
        for (uint64_t i = 0; i < j->m; i++) {
            int64_t *row = c + i * (T + 1u), total = 0;
            for (uint64_t tp = 0; tp < T; tp++) {
                int64_t s = 0;
                for (uint64_t ch = 0; ch < chans; ch++)
                    s += j->kind == BC_GEMM_FWD ? j->qa[(i * g->cin + ch) * T + tp] : j->qa[(ch * g->cin + i) * T + tp];
                row[tp] = s;
                total += s;
            }
            row[T] = total;
        }
        st->corr_ops += j->m * j->k;
        return;
    }
    uint64_t OW1 = g->ow + 1u, P = (uint64_t)g->oh * g->ow;
    for (uint64_t co = 0; co < j->m; co++) {
        int64_t *ps = c + co * (g->oh + 1u) * OW1;
        for (uint64_t x = 0; x < OW1; x++)
            ps[x] = 0;
        for (uint32_t oy = 0; oy < g->oh; oy++) {
            int64_t run = 0;
            ps[(oy + 1u) * OW1] = 0;
            for (uint32_t ox = 0; ox < g->ow; ox++) {
                for (uint64_t b = 0; b < g->batch; b++)
                    run += j->qa[(b * g->cout + co) * P + oy * g->ow + ox];
                ps[(oy + 1u) * OW1 + ox + 1u] = ps[oy * OW1 + ox + 1u] + run;
            }
        }
    }
    st->corr_ops += j->m * j->k;
}

/* The non-structural k of one output column r: which kernel taps
 * (forward, error) or which rectangle of output positions (weight gradient). */
typedef struct valid_set {
    bool full;
    unsigned n_taps;
    uint16_t tap[MAX_TAPS * MAX_TAPS];
    uint32_t ylo, yhi, xlo, xhi;
    int64_t cnt;
} valid_set_t;

static void valid_prep(const cg_job_t *j, uint64_t r, valid_set_t *v)
{
    const cg_geom_t *g = &j->g;
    uint64_t T = taps(g);
    v->full = false;
    v->n_taps = 0;
    v->ylo = v->yhi = v->xlo = v->xhi = 0;
    if (j->kind == BC_GEMM_WGRAD) {
        uint64_t t = r % T;
        out_range((uint32_t)(t / g->kw), g->sh, g->ph, g->h, g->oh, &v->ylo, &v->yhi);
        out_range((uint32_t)(t % g->kw), g->sw, g->pw, g->w, g->ow, &v->xlo, &v->xhi);
        v->cnt = (int64_t)g->batch * (v->yhi - v->ylo) * (v->xhi - v->xlo);
        return;
    }
    uint32_t my, mx;
    uint64_t chans;
    if (j->kind == BC_GEMM_FWD) {
        uint64_t pos = r % ((uint64_t)g->oh * g->ow);
        my = taps_fwd((uint32_t)(pos / g->ow), g->sh, g->ph, g->kh, g->h);
        mx = taps_fwd((uint32_t)(pos % g->ow), g->sw, g->pw, g->kw, g->w);
        chans = g->cin;
    } else {
        uint64_t pos = r % ((uint64_t)g->h * g->w);
        my = taps_err((uint32_t)(pos / g->w), g->sh, g->ph, g->kh, g->oh);
        mx = taps_err((uint32_t)(pos % g->w), g->sw, g->pw, g->kw, g->ow);
        chans = g->cout;
    }
    uint32_t full_y = (uint32_t)((1ull << g->kh) - 1u), full_x = (uint32_t)((1ull << g->kw) - 1u);
    v->full = my == full_y && mx == full_x;
    v->n_taps = 0;
    for (uint32_t ky = 0; ky < g->kh; ky++)
        if (my >> ky & 1u)
            for (uint32_t kx = 0; kx < g->kw; kx++)
                if (mx >> kx & 1u)
                    v->tap[v->n_taps++] = (uint16_t)(ky * g->kw + kx);
    v->cnt = (int64_t)(v->n_taps * chans);
}

/* sum_V qa for row i. */
static int64_t valid_sa(const cg_job_t *j, const int64_t *corr, uint64_t i, const valid_set_t *v)
{
    const cg_geom_t *g = &j->g;
    if (j->kind == BC_GEMM_WGRAD) {
        uint64_t OW1 = g->ow + 1u;
        const int64_t *ps = corr + i * (g->oh + 1u) * OW1;
        return ps[v->yhi * OW1 + v->xhi] - ps[v->ylo * OW1 + v->xhi] - ps[v->yhi * OW1 + v->xlo] +
               ps[v->ylo * OW1 + v->xlo];
    }
    uint64_t T = taps(g);
    const int64_t *row = corr + i * (T + 1u);
    if (v->full)
        return row[T];
    int64_t s = 0;
    for (unsigned q = 0; q < v->n_taps; q++)
        s += row[v->tap[q]];
    return s;
}

/* Real results into j->out (NCHW for FWD/ERR, [cout][cin*kh*kw] for WGRAD). */
static void epilogue(bc_cnn_t *t, const cg_job_t *j, int slot, bc_cnn_stats_t *st)
{
    const cg_geom_t *g = &j->g;
    uint64_t P = j->kind == BC_GEMM_FWD ? (uint64_t)g->oh * g->ow
               : j->kind == BC_GEMM_ERR ? (uint64_t)g->h * g->w
                                        : j->n;
    const int64_t *acc = t->acc[slot], *sb_row = t->sum_b[slot], *corr = t->corr[slot];
    double sb = j->pb.scale, ob = j->pb.offset;
    valid_set_t v;
    for (uint64_t r = 0; r < j->n; r++) {
        valid_prep(j, r, &v);
        float *out = j->out + (r / P) * (j->m * P) + r % P;
        for (uint64_t i = 0; i < j->m; i++) {
            const bc_qp_t *pa = j->pa_rows ? &j->pa[i] : &j->pa[0];
            double sa = pa->scale, oa = pa->offset, ssab = sa * sb;
            double x = ssab * (double)acc[i * j->n + r] + sa * ob * (double)valid_sa(j, corr, i, &v) +
                       oa * sb * (double)sb_row[r] + oa * ob * (double)v.cnt;
            if (j->accumulate)
                out[i * P] += (float)x;
            else
                out[i * P] = (float)x;
        }
    }
    st->corr_ops += j->m * j->n * 4u;
}

/* ---------- submission and read-back ---------- */

static int submit_fed(bc_cnn_t *t, const bc_gemm_t *g, const char *what, unsigned op)
{
    uint64_t start = t->dev->hal.now_ns(t->dev->hal.ctx);
    for (;;) {
        bc_status_t s = bc_gemm_submit(t->dev, g);
        if (s == BC_OK)
            return 0;
        if (s != BC_E_QUEUE_FULL)
            return cg_fail(t, what, op, bc_strerror(s));
        unsigned free_entries = 0;
        s = bc_queue_free(t->dev, &free_entries);
        if (s != BC_OK)
            return cg_fail(t, what, op, bc_strerror(s));
        if (t->dev->hal.now_ns(t->dev->hal.ctx) - start > t->cfg.timeout_ns)
            return cg_fail(t, what, op, "the command queue did not drain before the timeout");
    }
}

typedef struct cg_cursor {
    bc_split_iter_t it;
    uint64_t pending; /* parts submitted, not yet read back */
} cg_cursor_t;

/* Wait for every submitted part and accumulate the pending ones, in
 * submission order, from c_base. */
static int drain(bc_cnn_t *t, cg_job_t *jobs, cg_cursor_t *rd, unsigned n_jobs, uint64_t c_base, const char *what,
                 unsigned op, bc_cnn_stats_t *st)
{
    bc_status_t s = bc_wait(t->dev, t->cfg.timeout_ns);
    st->waits++;
    if (s != BC_OK)
        return cg_fail(t, what, op, bc_strerror(s));
    uint64_t c_addr = c_base;
    for (unsigned q = 0; q < n_jobs; q++) {
        cg_job_t *j = &jobs[q];
        for (; rd[q].pending; rd[q].pending--) {
            bc_gemm_part_t p;
            bc_split_next(&rd[q].it, &p);
            size_t ldc = ldc_bytes(p.n), lde = ldc / 4u;
            size_t rows_per = t->cpart_elems / lde;
            for (uint32_t r0 = 0; r0 < p.m; r0 += (uint32_t)rows_per) {
                uint32_t nr = p.m - r0 < rows_per ? p.m - r0 : (uint32_t)rows_per;
                s = bc_mem_read(t->dev, c_addr + (uint64_t)r0 * ldc, t->cpart, nr * ldc);
                if (s != BC_OK)
                    return cg_fail(t, what, op, bc_strerror(s));
                for (uint32_t r = 0; r < nr; r++) {
                    int64_t *dst = t->acc[q] + (p.m0 + r0 + r) * j->n + p.n0;
                    const int32_t *src = t->cpart + r * lde;
                    if (p.k_first)
                        for (uint32_t c = 0; c < p.n; c++)
                            dst[c] = src[c];
                    else
                        for (uint32_t c = 0; c < p.n; c++)
                            dst[c] += src[c];
                }
            }
            c_addr += (uint64_t)p.m * ldc;
        }
    }
    return 0;
}

static int prepare(bc_cnn_t *t, cg_job_t *j, uint64_t *dev_next, int slot, const char *what, unsigned op,
                   bc_cnn_stats_t *st)
{
    cg_shape(j, &j->m, &j->n, &j->k);
    unsigned wb = j->pa[0].bits, ab = j->pb.bits;
    /* int32 results must not saturate: cap K per part (a multiple of 64). */
    uint64_t kmax = 2147483647ull / (max_code(&j->pa[0]) * max_code(&j->pb));
    kmax &= ~(uint64_t)63u;
    if (kmax > t->lim.max_k)
        kmax = t->lim.max_k;
    if (kmax < 64u && kmax < j->k)
        return cg_fail(t, what, op, "precision too high: the int32 result could saturate");
    j->lim = t->lim;
    j->lim.max_k = (uint32_t)kmax;
    j->lda = (uint32_t)bc_packed_row_bytes((unsigned)j->k, wb);
    j->ldb = (uint32_t)bc_packed_row_bytes((unsigned)j->k, ab);
    j->a_addr = *dev_next;
    j->b_addr = j->a_addr + j->m * j->lda;
    *dev_next = (j->b_addr + j->n * j->ldb + 15u) & ~(uint64_t)15u;
    if (*dev_next > t->dev_base + t->dev_bytes)
        return cg_fail(t, what, op, "operands exceed the device memory window");
    if (pack_operand(t, j, true, j->m, j->a_addr, slot, what, op, st) ||
        pack_operand(t, j, false, j->n, j->b_addr, slot, what, op, st))
        return -1;
    return 0;
}

static void part_desc(bc_cnn_t *t, const cg_job_t *j, const bc_gemm_part_t *p, uint64_t c_addr, bc_gemm_t *g)
{
    bc_gemm_init(t->dev, g);
    g->a_addr = (uint32_t)(j->a_addr + p->m0 * j->lda + (p->k0 / 64u) * j->pa[0].bits * 8u);
    g->b_addr = (uint32_t)(j->b_addr + p->n0 * j->ldb + (p->k0 / 64u) * j->pb.bits * 8u);
    g->c_addr = (uint32_t)c_addr;
    g->m = p->m;
    g->n = p->n;
    g->k = p->k;
    g->lda = j->lda;
    g->ldb = j->ldb;
    g->ldc = (uint32_t)ldc_bytes(p->n);
    g->wbits = j->pa[0].bits;
    g->abits = j->pb.bits;
    g->wsigned = j->pa[0].is_signed;
    g->asigned = j->pb.is_signed;
    g->job_id = ++t->job_id;
}

int cg_run(bc_cnn_t *t, cg_job_t *jobs, unsigned n_jobs, const char *what, unsigned op, bc_cnn_stats_t *st)
{
    uint64_t dev_next = (t->dev_base + 15u) & ~(uint64_t)15u;
    cg_cursor_t wr[2], rd[2];
    for (unsigned q = 0; q < n_jobs; q++)
        if (prepare(t, &jobs[q], &dev_next, (int)q, what, op, st))
            return -1;
    uint64_t c_base = dev_next, c_end = t->dev_base + t->dev_bytes, c_addr = c_base;
    for (unsigned q = 0; q < n_jobs; q++) {
        cg_job_t *j = &jobs[q];
        bc_split_begin(&wr[q].it, j->m, j->n, j->k, &j->lim);
        rd[q].it = wr[q].it;
        rd[q].pending = 0;
        a_sums(t, j, (int)q, st);
    }
    /* Every part of every job goes to the queue before the first wait. */
    for (unsigned q = 0; q < n_jobs; q++) {
        cg_job_t *j = &jobs[q];
        bc_gemm_part_t p;
        while (bc_split_next(&wr[q].it, &p)) {
            uint64_t need = (uint64_t)p.m * ldc_bytes(p.n);
            if (c_addr + need > c_end) {
                if (c_addr == c_base)
                    return cg_fail(t, what, op, "one result part exceeds the device memory window");
                if (drain(t, jobs, rd, n_jobs, c_base, what, op, st))
                    return -1;
                c_addr = c_base;
            }
            bc_gemm_t g;
            part_desc(t, j, &p, c_addr, &g);
            if (submit_fed(t, &g, what, op))
                return -1;
            c_addr += need;
            rd[q].pending++;
            st->jobs++;
            st->bitops += (uint64_t)p.m * p.n * p.k * g.wbits * g.abits;
        }
    }
    if (drain(t, jobs, rd, n_jobs, c_base, what, op, st))
        return -1;
    for (unsigned q = 0; q < n_jobs; q++)
        epilogue(t, &jobs[q], (int)q, st);
    return 0;
}
