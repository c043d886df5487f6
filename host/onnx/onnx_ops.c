/* Shape inference of the ONNX operators the importer knows, and their
 * lowering to GEMM layers: Conv (groups, strides, pads, dilations), Gemm and
 * MatMul become layers; pooling, element-wise and shape operators only carry
 * shapes through (they are no GEMM on the array). */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "onnx_internal.h"

int onnx_node_error(onnx_ctx_t *c, const Onnx__NodeProto *node, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(c->err, c->errlen, "%s: node %s (%s): %s", c->file, c->node_label, node->op_type ? node->op_type : "?",
             msg);
    return ONNX_OP_ERROR;
}

/* ------------------------------------------------------------ attributes */

static const Onnx__AttributeProto *attr(const Onnx__NodeProto *n, const char *name)
{
    for (size_t i = 0; i < n->n_attribute; i++)
        if (n->attribute[i]->name && !strcmp(n->attribute[i]->name, name))
            return n->attribute[i];
    return NULL;
}

static int64_t attr_int(const Onnx__NodeProto *n, const char *name, int64_t def)
{
    const Onnx__AttributeProto *a = attr(n, name);
    return a && a->has_i ? a->i : def;
}

/* Copies an INTS attribute; returns its length, or -1 if longer than max. */
static long attr_ints(const Onnx__NodeProto *n, const char *name, int64_t *out, size_t max)
{
    const Onnx__AttributeProto *a = attr(n, name);
    if (!a)
        return 0;
    if (a->n_ints > max)
        return -1;
    if (a->n_ints)
        memcpy(out, a->ints, a->n_ints * sizeof *out);
    return (long)a->n_ints;
}

static const char *attr_str(const Onnx__NodeProto *n, const char *name, char *buf, size_t len)
{
    const Onnx__AttributeProto *a = attr(n, name);
    if (!a || !a->has_s)
        return NULL;
    size_t l = a->s.len < len - 1 ? a->s.len : len - 1;
    if (l)
        memcpy(buf, a->s.data, l);
    buf[l] = '\0';
    return buf;
}

/* ---------------------------------------------------------------- tensors */

static const onnx_tensor_t *input(onnx_ctx_t *c, const Onnx__NodeProto *n, size_t i)
{
    if (i >= n->n_input || !n->input[i] || !n->input[i][0])
        return NULL;
    return onnx_tab_get(c, n->input[i]);
}

static bool dims_ok(onnx_ctx_t *c, const Onnx__NodeProto *n, unsigned rank, const int64_t *d)
{
    int64_t elems = 1;
    for (unsigned i = 0; i < rank; i++) {
        if (d[i] < 1 || d[i] > ONNX_MAX_DIM) {
            onnx_node_error(c, n, "output dimension %u is %" PRId64 " (must be 1..%lld)", i, d[i], ONNX_MAX_DIM);
            return false;
        }
        if (elems > ONNX_MAX_ELEMS / d[i]) {
            onnx_node_error(c, n, "output has more than %lld elements", ONNX_MAX_ELEMS);
            return false;
        }
        elems *= d[i];
    }
    return true;
}

/* Sets output i; vals may be NULL. */
static int set_out(onnx_ctx_t *c, const Onnx__NodeProto *n, size_t i, unsigned rank, const int64_t *d,
                   const int64_t *vals, unsigned nval)
{
    if (i >= n->n_output || !n->output[i] || !n->output[i][0])
        return ONNX_OP_OK; /* optional output not used */
    if (rank > ONNX_MAX_RANK)
        return onnx_node_error(c, n, "output rank %u exceeds %d", rank, ONNX_MAX_RANK);
    if (!dims_ok(c, n, rank, d))
        return ONNX_OP_ERROR;
    onnx_tensor_t *t = onnx_tab_put(c, n->output[i]);
    if (!t)
        return ONNX_OP_ERROR;
    t->known = true;
    t->rank = rank;
    memcpy(t->dims, d, rank * sizeof *d);
    t->nval = vals && nval <= ONNX_MAX_VALUES ? nval : 0;
    if (t->nval)
        memcpy(t->val, vals, nval * sizeof *vals);
    return ONNX_OP_OK;
}

static int same_shape(onnx_ctx_t *c, const Onnx__NodeProto *n, const onnx_tensor_t *x)
{
    int rc = ONNX_OP_OK;
    for (size_t i = 0; i < n->n_output && rc == ONNX_OP_OK; i++)
        rc = set_out(c, n, i, x->rank, x->dims, x->nval ? x->val : NULL, x->nval);
    return rc;
}

static int need(onnx_ctx_t *c, const Onnx__NodeProto *n, const onnx_tensor_t *t, size_t i)
{
    if (!t)
        return onnx_node_error(c, n, "input %zu is missing", i);
    return ONNX_OP_OK;
}

static bool norm_axis(int64_t *axis, unsigned rank, bool inclusive)
{
    int64_t r = (int64_t)rank + (inclusive ? 1 : 0);
    if (*axis < 0)
        *axis += r;
    return *axis >= 0 && *axis < (r ? r : 1);
}

/* ---------------------------------------------------------------- layers */

static int push_layer(onnx_ctx_t *c, const Onnx__NodeProto *n, est_layer_t *l)
{
    snprintf(l->name, sizeof l->name, "%s", c->node_label);
    l->groups = l->groups ? l->groups : 1;
    l->steps = 1;
    if ((double)l->groups * (double)l->m * (double)l->k * (double)l->n_per_sample > 1e15)
        return onnx_node_error(c, n, "more than 1e15 MACs per sample");
    if (!est_model_push(c->model, l, c->err, c->errlen))
        return ONNX_OP_ERROR;
    return ONNX_OP_OK;
}

/* Spatial attributes shared by Conv and the pools: kernel, strides, pads,
 * dilations and auto_pad over nsp spatial dimensions of x. */
static int spatial_out(onnx_ctx_t *c, const Onnx__NodeProto *n, const onnx_tensor_t *x, const int64_t *kernel,
                       unsigned nsp, bool ceil_mode, int64_t *out, int64_t *stride0)
{
    int64_t strides[4] = {1, 1, 1, 1}, dil[4] = {1, 1, 1, 1}, pads[8] = {0};
    long ns = attr_ints(n, "strides", strides, 4), nd = attr_ints(n, "dilations", dil, 4),
         np = attr_ints(n, "pads", pads, 8);
    if ((ns && ns != (long)nsp) || (nd && nd != (long)nsp) || (np && np != 2 * (long)nsp))
        return onnx_node_error(c, n, "strides/dilations/pads do not match %u spatial dimensions", nsp);
    char ap[32];
    const char *autopad = attr_str(n, "auto_pad", ap, sizeof ap);
    for (unsigned i = 0; i < nsp; i++) {
        int64_t in = x->dims[2 + i], s = strides[i], d = dil[i], k = kernel[i];
        if (s < 1 || d < 1 || k < 1 || s > 65535 || d > 65535 || k > 65535)
            return onnx_node_error(c, n, "kernel, stride and dilation must be 1..65535");
        int64_t eff = (k - 1) * d + 1;
        if (autopad && (!strcmp(autopad, "SAME_UPPER") || !strcmp(autopad, "SAME_LOWER"))) {
            out[i] = (in + s - 1) / s;
        } else {
            if (autopad && strcmp(autopad, "VALID") && strcmp(autopad, "NOTSET"))
                return onnx_node_error(c, n, "auto_pad '%s' is not an ONNX value", autopad);
            int64_t pb = pads[i], pe = pads[i + nsp];
            if (autopad && !strcmp(autopad, "VALID"))
                pb = pe = 0;
            if (pb < 0 || pe < 0 || pb > 65535 || pe > 65535)
                return onnx_node_error(c, n, "pads must be 0..65535");
            int64_t span = in + pb + pe - eff;
            if (span < 0)
                return onnx_node_error(c, n, "kernel extent %" PRId64 " exceeds the padded input %" PRId64, eff,
                                       in + pb + pe);
            out[i] = (ceil_mode ? (span + s - 1) / s : span / s) + 1;
        }
    }
    *stride0 = strides[0];
    return ONNX_OP_OK;
}

static int op_conv(onnx_ctx_t *c, const Onnx__NodeProto *n)
{
    const onnx_tensor_t *x = input(c, n, 0), *w = input(c, n, 1);
    if (need(c, n, x, 0) || need(c, n, w, 1))
        return ONNX_OP_ERROR;
    if (x->rank != 3 && x->rank != 4)
        return ONNX_OP_UNSUPPORTED; /* 3-D convolution */
    if (w->rank != x->rank)
        return onnx_node_error(c, n, "weight rank %u differs from input rank %u", w->rank, x->rank);
    unsigned nsp = x->rank - 2;
    int64_t group = attr_int(n, "group", 1), cin = x->dims[1], cout = w->dims[0];
    if (group < 1 || cin % group || cout % group)
        return onnx_node_error(c, n, "group %" PRId64 " does not divide %" PRId64 " input and %" PRId64
                                     " output channels", group, cin, cout);
    if (w->dims[1] != cin / group)
        return onnx_node_error(c, n, "weight has %" PRId64 " input channels per group, the input %" PRId64 "/%" PRId64,
                               w->dims[1], cin, group);
    int64_t kernel[2] = {w->dims[2], nsp == 2 ? w->dims[3] : 1}, ks[2];
    long nk = attr_ints(n, "kernel_shape", ks, 2);
    if (nk > 0 && (nk != (long)nsp || ks[0] != kernel[0] || (nsp == 2 && ks[1] != kernel[1])))
        return onnx_node_error(c, n, "kernel_shape disagrees with the weight's shape");
    int64_t out[2] = {1, 1}, stride0 = 1;
    if (spatial_out(c, n, x, kernel, nsp, false, out, &stride0))
        return ONNX_OP_ERROR;
    int64_t od[4] = {x->dims[0], cout, out[0], out[1]};
    int rc = set_out(c, n, 0, x->rank, od, NULL, 0);
    if (rc)
        return rc;
    est_layer_t l;
    memset(&l, 0, sizeof l);
    snprintf(l.kind, sizeof l.kind, "%s", group > 1 ? "dwconv" : "conv");
    l.groups = (unsigned)group;
    l.m = (uint64_t)(cout / group);
    l.k = (uint64_t)(cin / group) * (uint64_t)kernel[0] * (uint64_t)kernel[1];
    l.n_per_sample = (uint64_t)out[0] * (uint64_t)out[1];
    l.in_h = (unsigned)x->dims[2];
    l.in_w = nsp == 2 ? (unsigned)x->dims[3] : 1;
    l.cin = (unsigned)cin;
    l.cout = (unsigned)cout;
    l.kh = (unsigned)kernel[0];
    l.kw = (unsigned)kernel[1];
    l.stride = (unsigned)stride0;
    l.out_h = (unsigned)out[0];
    l.out_w = (unsigned)out[1];
    return push_layer(c, n, &l);
}

/* rows of a GEMM operand per sample: the rows over the graph's batch */
static int rows_per_sample(onnx_ctx_t *c, const Onnx__NodeProto *n, int64_t rows, uint64_t *out)
{
    if (c->batch > 1 && rows % (int64_t)c->batch == 0)
        *out = (uint64_t)rows / c->batch;
    else
        *out = (uint64_t)rows;
    (void)n;
    return ONNX_OP_OK;
}

static int op_gemm(onnx_ctx_t *c, const Onnx__NodeProto *n)
{
    const onnx_tensor_t *a = input(c, n, 0), *b = input(c, n, 1);
    if (need(c, n, a, 0) || need(c, n, b, 1))
        return ONNX_OP_ERROR;
    if (a->rank != 2 || b->rank != 2)
        return onnx_node_error(c, n, "Gemm operands must be 2-D (got %u-D and %u-D)", a->rank, b->rank);
    bool ta = attr_int(n, "transA", 0) != 0, tb = attr_int(n, "transB", 0) != 0;
    int64_t rows = ta ? a->dims[1] : a->dims[0], k = ta ? a->dims[0] : a->dims[1];
    int64_t kb = tb ? b->dims[1] : b->dims[0], cols = tb ? b->dims[0] : b->dims[1];
    if (k != kb)
        return onnx_node_error(c, n, "inner dimensions differ (%" PRId64 " and %" PRId64 ")", k, kb);
    int64_t od[2] = {rows, cols};
    int rc = set_out(c, n, 0, 2, od, NULL, 0);
    if (rc)
        return rc;
    est_layer_t l;
    memset(&l, 0, sizeof l);
    snprintf(l.kind, sizeof l.kind, "fc");
    l.m = (uint64_t)cols;
    l.k = (uint64_t)k;
    rows_per_sample(c, n, rows, &l.n_per_sample);
    return push_layer(c, n, &l);
}

static int op_matmul(onnx_ctx_t *c, const Onnx__NodeProto *n, char *why, size_t whylen)
{
    const onnx_tensor_t *a = input(c, n, 0), *b = input(c, n, 1);
    if (need(c, n, a, 0) || need(c, n, b, 1))
        return ONNX_OP_ERROR;
    if (a->rank < 1 || b->rank != 2) {
        snprintf(why, whylen, "only a 2-D right operand (a weight matrix) is supported, got %u-D", b->rank);
        return ONNX_OP_UNSUPPORTED;
    }
    int64_t k = a->dims[a->rank - 1], cols = b->dims[1];
    if (k != b->dims[0])
        return onnx_node_error(c, n, "inner dimensions differ (%" PRId64 " and %" PRId64 ")", k, b->dims[0]);
    int64_t od[ONNX_MAX_RANK], rows = 1;
    for (unsigned i = 0; i + 1 < a->rank; i++) {
        od[i] = a->dims[i];
        rows *= a->dims[i]; /* bounded: a's element count is at most 1e15 */
    }
    od[a->rank - 1] = cols;
    int rc = set_out(c, n, 0, a->rank, od, NULL, 0);
    if (rc)
        return rc;
    est_layer_t l;
    memset(&l, 0, sizeof l);
    snprintf(l.kind, sizeof l.kind, "%s", a->rank == 2 ? "fc" : "gemm");
    l.m = (uint64_t)cols;
    l.k = (uint64_t)k;
    rows_per_sample(c, n, rows, &l.n_per_sample);
    return push_layer(c, n, &l);
}

static int op_pool(onnx_ctx_t *c, const Onnx__NodeProto *n, bool global)
{
    const onnx_tensor_t *x = input(c, n, 0);
    if (need(c, n, x, 0))
        return ONNX_OP_ERROR;
    if (x->rank != 3 && x->rank != 4)
        return onnx_node_error(c, n, "pooling needs a 3-D or 4-D input, got %u-D", x->rank);
    unsigned nsp = x->rank - 2;
    int64_t od[4] = {x->dims[0], x->dims[1], 1, 1};
    if (!global) {
        int64_t kernel[2] = {1, 1}, stride0;
        if (attr_ints(n, "kernel_shape", kernel, 2) != (long)nsp)
            return onnx_node_error(c, n, "kernel_shape must give %u dimensions", nsp);
        if (spatial_out(c, n, x, kernel, nsp, attr_int(n, "ceil_mode", 0) != 0, od + 2, &stride0))
            return ONNX_OP_ERROR;
    }
    return set_out(c, n, 0, x->rank, od, NULL, 0);
}

/* numpy broadcasting of two shapes */
static int op_broadcast(onnx_ctx_t *c, const Onnx__NodeProto *n)
{
    const onnx_tensor_t *a = input(c, n, 0), *b = input(c, n, 1);
    if (need(c, n, a, 0) || need(c, n, b, 1))
        return ONNX_OP_ERROR;
    unsigned r = a->rank > b->rank ? a->rank : b->rank;
    int64_t od[ONNX_MAX_RANK];
    for (unsigned i = 0; i < r; i++) {
        int64_t da = i < r - a->rank ? 1 : a->dims[i - (r - a->rank)];
        int64_t db = i < r - b->rank ? 1 : b->dims[i - (r - b->rank)];
        if (da != db && da != 1 && db != 1)
            return onnx_node_error(c, n, "shapes do not broadcast (dimension %u: %" PRId64 " vs %" PRId64 ")", i, da,
                                   db);
        od[i] = da > db ? da : db;
    }
    return set_out(c, n, 0, r, od, NULL, 0);
}

static int op_flatten(onnx_ctx_t *c, const Onnx__NodeProto *n)
{
    const onnx_tensor_t *x = input(c, n, 0);
    if (need(c, n, x, 0))
        return ONNX_OP_ERROR;
    int64_t axis = attr_int(n, "axis", 1);
    if (!norm_axis(&axis, x->rank, true))
        return onnx_node_error(c, n, "axis out of range for rank %u", x->rank);
    int64_t od[2] = {1, 1};
    for (unsigned i = 0; i < x->rank; i++)
        od[(int64_t)i < axis ? 0 : 1] *= x->dims[i];
    return set_out(c, n, 0, 2, od, NULL, 0);
}

static int64_t elems_of(const onnx_tensor_t *t)
{
    int64_t e = 1;
    for (unsigned i = 0; i < t->rank; i++)
        e *= t->dims[i];
    return e;
}

static int op_reshape(onnx_ctx_t *c, const Onnx__NodeProto *n, char *why, size_t whylen)
{
    const onnx_tensor_t *x = input(c, n, 0), *s = input(c, n, 1);
    if (need(c, n, x, 0) || need(c, n, s, 1))
        return ONNX_OP_ERROR;
    if (s->rank != 1 || !s->nval) {
        snprintf(why, whylen, "the target shape is not a constant");
        return ONNX_OP_UNSUPPORTED;
    }
    if (s->nval > ONNX_MAX_RANK)
        return onnx_node_error(c, n, "target rank %u exceeds %d", s->nval, ONNX_MAX_RANK);
    int64_t od[ONNX_MAX_RANK], known = 1, total = elems_of(x);
    int infer = -1;
    for (unsigned i = 0; i < s->nval; i++) {
        int64_t v = s->val[i];
        if (v == 0) {
            if (i >= x->rank)
                return onnx_node_error(c, n, "0 in the shape at %u copies a dimension the input lacks", i);
            v = x->dims[i];
        }
        if (v == -1) {
            if (infer >= 0)
                return onnx_node_error(c, n, "more than one -1 in the target shape");
            infer = (int)i;
            continue;
        }
        if (v < 1 || v > ONNX_MAX_DIM)
            return onnx_node_error(c, n, "target dimension %" PRId64 " is not allowed", s->val[i]);
        od[i] = v;
        if (known > ONNX_MAX_ELEMS / v)
            return onnx_node_error(c, n, "target shape too large");
        known *= v;
    }
    if (infer >= 0) {
        if (total % known)
            return onnx_node_error(c, n, "%" PRId64 " elements cannot be reshaped with -1", total);
        od[infer] = total / known;
    } else if (known != total) {
        return onnx_node_error(c, n, "reshape of %" PRId64 " elements into %" PRId64, total, known);
    }
    return set_out(c, n, 0, s->nval, od, x->nval ? x->val : NULL, x->nval);
}

static int op_concat(onnx_ctx_t *c, const Onnx__NodeProto *n)
{
    const onnx_tensor_t *x0 = input(c, n, 0);
    if (need(c, n, x0, 0))
        return ONNX_OP_ERROR;
    int64_t axis = attr_int(n, "axis", 0);
    if (!norm_axis(&axis, x0->rank, false) || x0->rank == 0)
        return onnx_node_error(c, n, "axis out of range for rank %u", x0->rank);
    int64_t od[ONNX_MAX_RANK], vals[ONNX_MAX_VALUES];
    memcpy(od, x0->dims, x0->rank * sizeof *od);
    od[axis] = 0;
    unsigned nval = 0;
    bool have_vals = x0->rank == 1;
    for (size_t i = 0; i < n->n_input; i++) {
        const onnx_tensor_t *x = input(c, n, i);
        if (need(c, n, x, i))
            return ONNX_OP_ERROR;
        if (x->rank != x0->rank)
            return onnx_node_error(c, n, "input %zu has rank %u, input 0 rank %u", i, x->rank, x0->rank);
        for (unsigned d = 0; d < x->rank; d++)
            if ((int64_t)d != axis && x->dims[d] != x0->dims[d])
                return onnx_node_error(c, n, "input %zu differs in dimension %u", i, d);
        if (od[axis] > ONNX_MAX_DIM)
            return onnx_node_error(c, n, "concatenated dimension too large");
        od[axis] += x->dims[axis];
        if (have_vals && x->nval && nval + x->nval <= ONNX_MAX_VALUES) {
            memcpy(vals + nval, x->val, x->nval * sizeof *vals);
            nval += x->nval;
        } else {
            have_vals = false;
        }
    }
    return set_out(c, n, 0, x0->rank, od, have_vals ? vals : NULL, have_vals ? nval : 0);
}

static int op_transpose(onnx_ctx_t *c, const Onnx__NodeProto *n)
{
    const onnx_tensor_t *x = input(c, n, 0);
    if (need(c, n, x, 0))
        return ONNX_OP_ERROR;
    int64_t perm[ONNX_MAX_RANK], od[ONNX_MAX_RANK];
    long np = attr_ints(n, "perm", perm, ONNX_MAX_RANK);
    if (np == 0)
        for (unsigned i = 0; i < x->rank; i++)
            perm[i] = x->rank - 1 - i;
    else if (np != (long)x->rank)
        return onnx_node_error(c, n, "perm has %ld entries for rank %u", np, x->rank);
    unsigned seen = 0;
    for (unsigned i = 0; i < x->rank; i++) {
        if (perm[i] < 0 || perm[i] >= x->rank || (seen & (1u << perm[i])))
            return onnx_node_error(c, n, "perm is not a permutation");
        seen |= 1u << perm[i];
        od[i] = x->dims[perm[i]];
    }
    return set_out(c, n, 0, x->rank, od, NULL, 0);
}

/* Squeeze and Unsqueeze: axes from the attribute (opset < 13) or input 1 */
static int op_squeeze(onnx_ctx_t *c, const Onnx__NodeProto *n, bool unsqueeze, char *why, size_t whylen)
{
    const onnx_tensor_t *x = input(c, n, 0), *ax = input(c, n, 1);
    if (need(c, n, x, 0))
        return ONNX_OP_ERROR;
    int64_t axes[ONNX_MAX_RANK];
    long na = attr_ints(n, "axes", axes, ONNX_MAX_RANK);
    if (na < 0)
        return onnx_node_error(c, n, "too many axes");
    if (!na && ax) {
        if (!ax->nval || ax->nval > ONNX_MAX_RANK) {
            snprintf(why, whylen, "axes are not a constant");
            return ONNX_OP_UNSUPPORTED;
        }
        na = ax->nval;
        memcpy(axes, ax->val, (size_t)na * sizeof *axes);
    }
    unsigned out_rank = unsqueeze ? x->rank + (unsigned)na : x->rank;
    if (out_rank > ONNX_MAX_RANK || (unsqueeze && !na))
        return onnx_node_error(c, n, "bad axes for rank %u", x->rank);
    bool mark[ONNX_MAX_RANK] = {false};
    for (long i = 0; i < na; i++) {
        if (!norm_axis(&axes[i], unsqueeze ? out_rank : x->rank, false) || mark[axes[i]])
            return onnx_node_error(c, n, "axis %" PRId64 " out of range or repeated", axes[i]);
        mark[axes[i]] = true;
    }
    int64_t od[ONNX_MAX_RANK];
    unsigned r = 0;
    if (unsqueeze) {
        for (unsigned i = 0, j = 0; i < out_rank; i++)
            od[r++] = mark[i] ? 1 : x->dims[j++];
    } else {
        for (unsigned i = 0; i < x->rank; i++) {
            bool drop = na ? mark[i] : x->dims[i] == 1;
            if (drop && x->dims[i] != 1)
                return onnx_node_error(c, n, "cannot squeeze dimension %u of size %" PRId64, i, x->dims[i]);
            if (!drop)
                od[r++] = x->dims[i];
        }
    }
    return set_out(c, n, 0, r, od, x->nval ? x->val : NULL, x->nval);
}

static int op_pad(onnx_ctx_t *c, const Onnx__NodeProto *n, char *why, size_t whylen)
{
    const onnx_tensor_t *x = input(c, n, 0), *p = input(c, n, 1);
    if (need(c, n, x, 0))
        return ONNX_OP_ERROR;
    int64_t pads[2 * ONNX_MAX_RANK];
    long np = attr_ints(n, "pads", pads, 2 * ONNX_MAX_RANK);
    if (!np && p && p->nval) {
        np = p->nval;
        memcpy(pads, p->val, (size_t)np * sizeof *pads);
    } else if (!np) {
        snprintf(why, whylen, "pads are not a constant");
        return ONNX_OP_UNSUPPORTED;
    }
    if (np != 2 * (long)x->rank)
        return onnx_node_error(c, n, "%ld pads for rank %u", np, x->rank);
    int64_t od[ONNX_MAX_RANK];
    for (unsigned i = 0; i < x->rank; i++) {
        if (pads[i] < -ONNX_MAX_DIM || pads[i] > ONNX_MAX_DIM || pads[i + x->rank] < -ONNX_MAX_DIM ||
            pads[i + x->rank] > ONNX_MAX_DIM)
            return onnx_node_error(c, n, "pad out of range");
        od[i] = x->dims[i] + pads[i] + pads[i + x->rank];
    }
    return set_out(c, n, 0, x->rank, od, NULL, 0);
}

static int op_shape(onnx_ctx_t *c, const Onnx__NodeProto *n)
{
    const onnx_tensor_t *x = input(c, n, 0);
    if (need(c, n, x, 0))
        return ONNX_OP_ERROR;
    int64_t od[1] = {x->rank ? x->rank : 1};
    if (!x->rank)
        return onnx_node_error(c, n, "Shape of a scalar");
    return set_out(c, n, 0, 1, od, x->dims, x->rank);
}

static int op_gather(onnx_ctx_t *c, const Onnx__NodeProto *n)
{
    const onnx_tensor_t *x = input(c, n, 0), *idx = input(c, n, 1);
    if (need(c, n, x, 0) || need(c, n, idx, 1))
        return ONNX_OP_ERROR;
    int64_t axis = attr_int(n, "axis", 0);
    if (!x->rank || !norm_axis(&axis, x->rank, false))
        return onnx_node_error(c, n, "axis out of range for rank %u", x->rank);
    unsigned r = x->rank - 1 + idx->rank;
    if (r > ONNX_MAX_RANK)
        return onnx_node_error(c, n, "output rank %u exceeds %d", r, ONNX_MAX_RANK);
    int64_t od[ONNX_MAX_RANK], vals[ONNX_MAX_VALUES];
    unsigned k = 0, nval = 0;
    for (unsigned i = 0; i < (unsigned)axis; i++)
        od[k++] = x->dims[i];
    for (unsigned i = 0; i < idx->rank; i++)
        od[k++] = idx->dims[i];
    for (unsigned i = (unsigned)axis + 1; i < x->rank; i++)
        od[k++] = x->dims[i];
    if (x->rank == 1 && x->nval && idx->nval) { /* constant folding of shape arithmetic */
        for (unsigned i = 0; i < idx->nval; i++) {
            int64_t j = idx->val[i] < 0 ? idx->val[i] + x->nval : idx->val[i];
            if (j < 0 || j >= x->nval)
                return onnx_node_error(c, n, "index %" PRId64 " out of range", idx->val[i]);
            vals[nval++] = x->val[j];
        }
    }
    if (r == 0) { /* scalar */
        onnx_tensor_t *t = n->n_output && n->output[0] && n->output[0][0] ? onnx_tab_put(c, n->output[0]) : NULL;
        if (t) {
            t->known = true;
            t->rank = 0;
            t->nval = nval;
            memcpy(t->val, vals, nval * sizeof *vals);
        }
        return t || !n->n_output ? ONNX_OP_OK : ONNX_OP_ERROR;
    }
    return set_out(c, n, 0, r, od, nval ? vals : NULL, nval);
}

static const char *const unary_ops[] = {
    "Relu", "LeakyRelu", "PRelu", "Sigmoid", "Tanh", "Clip", "HardSigmoid", "HardSwish", "Elu", "Selu", "Softplus",
    "Softmax", "LogSoftmax", "Identity", "Dropout", "BatchNormalization", "InstanceNormalization",
    "LRN", "Neg", "Abs", "Sqrt", "Exp", "Log", "Erf", "Cast", "Gelu", NULL};
static const char *const binary_ops[] = {"Add", "Sub", "Mul", "Div", "Pow", "Max", "Min", NULL};
static const char *const other_ops[] = {"Conv", "Gemm", "MatMul", "MaxPool", "AveragePool", "GlobalAveragePool",
                                        "GlobalMaxPool", "Flatten", "Reshape", "Concat", "Transpose", "Squeeze",
                                        "Unsqueeze", "Pad", "Shape", "Gather", "Constant", NULL};

static bool in_list(const char *const *list, const char *op)
{
    for (size_t i = 0; list[i]; i++)
        if (!strcmp(list[i], op))
            return true;
    return false;
}

bool onnx_op_known(const char *op)
{
    return in_list(unary_ops, op) || in_list(binary_ops, op) || in_list(other_ops, op);
}

int onnx_infer_node(onnx_ctx_t *c, const Onnx__NodeProto *n, char *why, size_t whylen)
{
    const char *op = n->op_type;
    why[0] = '\0';
    if (in_list(unary_ops, op)) {
        const onnx_tensor_t *x = input(c, n, 0);
        if (need(c, n, x, 0))
            return ONNX_OP_ERROR;
        if (!strcmp(op, "Dropout") || !strcmp(op, "BatchNormalization")) /* extra outputs: shape of X or unused */
            return set_out(c, n, 0, x->rank, x->dims, NULL, 0);
        return same_shape(c, n, x);
    }
    if (in_list(binary_ops, op))
        return op_broadcast(c, n);
    if (!strcmp(op, "Conv"))
        return op_conv(c, n);
    if (!strcmp(op, "Gemm"))
        return op_gemm(c, n);
    if (!strcmp(op, "MatMul"))
        return op_matmul(c, n, why, whylen);
    if (!strcmp(op, "MaxPool") || !strcmp(op, "AveragePool"))
        return op_pool(c, n, false);
    if (!strcmp(op, "GlobalAveragePool") || !strcmp(op, "GlobalMaxPool"))
        return op_pool(c, n, true);
    if (!strcmp(op, "Flatten"))
        return op_flatten(c, n);
    if (!strcmp(op, "Reshape"))
        return op_reshape(c, n, why, whylen);
    if (!strcmp(op, "Concat"))
        return op_concat(c, n);
    if (!strcmp(op, "Transpose"))
        return op_transpose(c, n);
    if (!strcmp(op, "Squeeze") || !strcmp(op, "Unsqueeze"))
        return op_squeeze(c, n, op[0] == 'U', why, whylen);
    if (!strcmp(op, "Pad"))
        return op_pad(c, n, why, whylen);
    if (!strcmp(op, "Shape"))
        return op_shape(c, n);
    if (!strcmp(op, "Gather"))
        return op_gather(c, n);
    return ONNX_OP_UNSUPPORTED; /* Constant is handled by the caller */
}
