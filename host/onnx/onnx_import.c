/* ONNX file -> est_model_t. The graph is unpacked with protobuf-c (code
 * generated from Debian's onnx.proto at build time), then every node's output
 * shape is inferred in graph order from the graph inputs and initializers. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "onnx_internal.h"

#define ONNX_MAX_FILE (1ull << 30) /* protobuf itself is limited to 2 GiB */
#define ONNX_MAX_NODES 1000000u

/* ------------------------------------------------------------ tensor table */

static uint64_t fnv1a(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

onnx_tensor_t *onnx_tab_get(onnx_ctx_t *c, const char *name)
{
    for (size_t i = fnv1a(name) & (c->cap - 1);; i = (i + 1) & (c->cap - 1)) {
        if (!c->tab[i].name)
            return NULL;
        if (!strcmp(c->tab[i].name, name))
            return &c->tab[i];
    }
}

onnx_tensor_t *onnx_tab_put(onnx_ctx_t *c, const char *name)
{
    size_t i = fnv1a(name) & (c->cap - 1);
    for (; c->tab[i].name; i = (i + 1) & (c->cap - 1))
        if (!strcmp(c->tab[i].name, name))
            return &c->tab[i];
    if (c->used + 1 >= c->cap / 2) { /* sized from the graph; cannot happen for a consistent count */
        snprintf(c->err, c->errlen, "%s: tensor table full", c->file);
        return NULL;
    }
    c->used++;
    memset(&c->tab[i], 0, sizeof c->tab[i]);
    c->tab[i].name = name;
    return &c->tab[i];
}

/* ------------------------------------------------------------ tensors */

static bool tensor_from_proto(onnx_ctx_t *c, const Onnx__TensorProto *t, const char *what, onnx_tensor_t *out)
{
    if (t->n_dims > ONNX_MAX_RANK) {
        snprintf(c->err, c->errlen, "%s: %s '%s' has rank %zu (at most %d)", c->file, what, t->name ? t->name : "",
                 t->n_dims, ONNX_MAX_RANK);
        return false;
    }
    int64_t elems = 1;
    for (size_t i = 0; i < t->n_dims; i++) {
        if (t->dims[i] < 0 || t->dims[i] > ONNX_MAX_DIM || (t->dims[i] && elems > ONNX_MAX_ELEMS / t->dims[i])) {
            snprintf(c->err, c->errlen, "%s: %s '%s': dimension %zu is %" PRId64, c->file, what,
                     t->name ? t->name : "", i, t->dims[i]);
            return false;
        }
        elems *= t->dims[i];
        out->dims[i] = t->dims[i];
    }
    out->rank = (unsigned)t->n_dims;
    out->known = true;
    out->nval = 0;
    /* small integer constants carry their values: shapes, axes, pads */
    if (elems >= 1 && elems <= ONNX_MAX_VALUES && t->has_data_type &&
        (t->data_type == ONNX__TENSOR_PROTO__DATA_TYPE__INT64 || t->data_type == ONNX__TENSOR_PROTO__DATA_TYPE__INT32)) {
        bool is64 = t->data_type == ONNX__TENSOR_PROTO__DATA_TYPE__INT64;
        size_t esz = is64 ? 8 : 4;
        if (t->has_raw_data && t->raw_data.len == (size_t)elems * esz) {
            for (int64_t i = 0; i < elems; i++) {
                uint64_t v = 0;
                for (size_t b = 0; b < esz; b++)
                    v |= (uint64_t)t->raw_data.data[i * esz + b] << (8 * b);
                out->val[i] = is64 ? (int64_t)v : (int64_t)(int32_t)(uint32_t)v;
            }
            out->nval = (unsigned)elems;
        } else if (is64 && t->n_int64_data == (size_t)elems) {
            memcpy(out->val, t->int64_data, (size_t)elems * sizeof *out->val);
            out->nval = (unsigned)elems;
        } else if (!is64 && t->n_int32_data == (size_t)elems) {
            for (int64_t i = 0; i < elems; i++)
                out->val[i] = t->int32_data[i];
            out->nval = (unsigned)elems;
        }
    }
    return true;
}

/* A graph input's static shape; a symbolic first dimension is the batch. */
static bool input_shape(onnx_ctx_t *c, const Onnx__ValueInfoProto *v, onnx_tensor_t *out)
{
    const char *name = v->name ? v->name : "";
    const Onnx__TypeProto *tp = v->type;
    if (!tp || tp->value_case != ONNX__TYPE_PROTO__VALUE_TENSOR_TYPE || !tp->tensor_type ||
        !tp->tensor_type->shape) {
        snprintf(c->err, c->errlen, "%s: graph input '%s' has no static tensor shape (export with fixed input sizes)",
                 c->file, name);
        return false;
    }
    const Onnx__TensorShapeProto *s = tp->tensor_type->shape;
    if (s->n_dim > ONNX_MAX_RANK) {
        snprintf(c->err, c->errlen, "%s: graph input '%s' has rank %zu (at most %d)", c->file, name, s->n_dim,
                 ONNX_MAX_RANK);
        return false;
    }
    for (size_t i = 0; i < s->n_dim; i++) {
        const Onnx__TensorShapeProto__Dimension *d = s->dim[i];
        if (d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE && d->dim_value >= 1 &&
            d->dim_value <= ONNX_MAX_DIM) {
            out->dims[i] = d->dim_value;
        } else if (i == 0 && d->value_case != ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_VALUE) {
            out->dims[i] = 1; /* symbolic batch */
        } else {
            snprintf(c->err, c->errlen,
                     "%s: graph input '%s': dimension %zu is %s; the importer needs static shapes (only the first "
                     "dimension, the batch, may be symbolic)",
                     c->file, name, i,
                     d->value_case == ONNX__TENSOR_SHAPE_PROTO__DIMENSION__VALUE_DIM_PARAM ? "symbolic" : "not positive");
            return false;
        }
    }
    out->rank = (unsigned)s->n_dim;
    out->known = true;
    out->nval = 0;
    return true;
}

/* ------------------------------------------------------------ graph */

static int64_t default_opset(const Onnx__ModelProto *m)
{
    for (size_t i = 0; i < m->n_opset_import; i++) {
        const Onnx__OperatorSetIdProto *o = m->opset_import[i];
        if (!o->domain || !o->domain[0] || !strcmp(o->domain, "ai.onnx"))
            return o->has_version ? o->version : -1;
    }
    return -1;
}

static bool check_model(onnx_ctx_t *c, const Onnx__ModelProto *m)
{
    if (!m->graph) {
        snprintf(c->err, c->errlen, "%s: no graph (truncated file?)", c->file);
        return false;
    }
    if (!m->has_ir_version || m->ir_version < 3 || m->ir_version > 10) {
        snprintf(c->err, c->errlen, "%s: IR version %" PRId64 " is not supported (3..10)", c->file,
                 m->has_ir_version ? m->ir_version : 0);
        return false;
    }
    c->opset = default_opset(m);
    if (c->opset < 0) {
        snprintf(c->err, c->errlen, "%s: no opset for the default ONNX domain (truncated file?)", c->file);
        return false;
    }
    if (c->opset < ONNX_OPSET_MIN || c->opset > ONNX_OPSET_MAX) {
        snprintf(c->err, c->errlen, "%s: opset %" PRId64 " is not supported (the importer knows opsets %d..%d)",
                 c->file, c->opset, ONNX_OPSET_MIN, ONNX_OPSET_MAX);
        return false;
    }
    const Onnx__GraphProto *g = m->graph;
    if (g->n_node == 0 || g->n_node > ONNX_MAX_NODES) {
        snprintf(c->err, c->errlen, "%s: graph has %zu nodes (expected 1..%u)", c->file, g->n_node, ONNX_MAX_NODES);
        return false;
    }
    for (size_t i = 0; i < g->n_node; i++)
        if (!g->node[i]->op_type || !g->node[i]->op_type[0]) {
            snprintf(c->err, c->errlen, "%s: node %zu has no operator type", c->file, i);
            return false;
        }
    return true;
}

static bool table_alloc(onnx_ctx_t *c, const Onnx__GraphProto *g)
{
    size_t n = g->n_initializer + g->n_input + 16;
    for (size_t i = 0; i < g->n_node; i++)
        n += g->node[i]->n_output;
    size_t cap = 64;
    while (cap < 2 * n + 2)
        cap *= 2;
    c->tab = calloc(cap, sizeof *c->tab);
    if (!c->tab) {
        snprintf(c->err, c->errlen, "%s: out of memory for %zu tensors", c->file, n);
        return false;
    }
    c->cap = cap;
    return true;
}

static bool seed_table(onnx_ctx_t *c, const Onnx__GraphProto *g)
{
    for (size_t i = 0; i < g->n_initializer; i++) {
        const Onnx__TensorProto *t = g->initializer[i];
        if (!t->name || !t->name[0]) {
            snprintf(c->err, c->errlen, "%s: initializer %zu has no name", c->file, i);
            return false;
        }
        onnx_tensor_t *e = onnx_tab_put(c, t->name);
        if (!e || !tensor_from_proto(c, t, "initializer", e))
            return false;
    }
    bool first = true;
    for (size_t i = 0; i < g->n_input; i++) {
        const Onnx__ValueInfoProto *v = g->input[i];
        if (!v->name || !v->name[0]) {
            snprintf(c->err, c->errlen, "%s: graph input %zu has no name", c->file, i);
            return false;
        }
        if (onnx_tab_get(c, v->name))
            continue; /* an initializer listed as input (IR < 4) */
        onnx_tensor_t *e = onnx_tab_put(c, v->name);
        if (!e || !input_shape(c, v, e))
            return false;
        if (first && e->rank) {
            c->batch = (uint64_t)e->dims[0];
            first = false;
        }
    }
    if (first) {
        snprintf(c->err, c->errlen, "%s: the graph has no data input", c->file);
        return false;
    }
    return true;
}

static bool constant_node(onnx_ctx_t *c, const Onnx__NodeProto *n)
{
    if (n->n_output < 1 || !n->output[0] || !n->output[0][0])
        return onnx_node_error(c, n, "no output") == ONNX_OP_OK;
    onnx_tensor_t *e = onnx_tab_put(c, n->output[0]);
    if (!e)
        return false;
    for (size_t i = 0; i < n->n_attribute; i++) {
        const Onnx__AttributeProto *a = n->attribute[i];
        if (a->name && !strcmp(a->name, "value") && a->t)
            return tensor_from_proto(c, a->t, "constant", e);
        if (a->name && (!strcmp(a->name, "value_int") || !strcmp(a->name, "value_float"))) {
            e->known = true;
            e->rank = 0;
            e->nval = a->has_i ? 1 : 0;
            e->val[0] = a->i;
            return true;
        }
        if (a->name && !strcmp(a->name, "value_ints")) {
            e->known = true;
            e->rank = 1;
            e->dims[0] = a->n_ints ? (int64_t)a->n_ints : 1;
            e->nval = a->n_ints <= ONNX_MAX_VALUES ? (unsigned)a->n_ints : 0;
            if (e->nval)
                memcpy(e->val, a->ints, e->nval * sizeof *e->val);
            return a->n_ints > 0 || onnx_node_error(c, n, "empty value_ints") == ONNX_OP_OK;
        }
    }
    return onnx_node_error(c, n, "no value attribute this importer reads") == ONNX_OP_OK;
}

static void append(char *buf, size_t len, const char *fmt, const char *a, const char *b)
{
    size_t used = strlen(buf);
    if (used + 4 < len)
        snprintf(buf + used, len - used, fmt, a, b);
}

/* Runs every node; unsupported ones are collected, and their outputs (and
 * everything computed from them) stay unknown. */
static bool run_nodes(onnx_ctx_t *c, const Onnx__GraphProto *g, onnx_report_t *rep)
{
    char unsup[1024] = "";
    size_t n_unsup = 0;
    for (size_t i = 0; i < g->n_node; i++) {
        const Onnx__NodeProto *n = g->node[i];
        char label[64];
        if (n->name && n->name[0])
            snprintf(label, sizeof label, "%s", n->name);
        else
            snprintf(label, sizeof label, "%s_%zu", n->op_type, i);
        c->node_label = label;
        c->node_index = (long)i;
        size_t layers_before = c->model->n;
        bool blocked = false;
        for (size_t k = 0; k < n->n_input; k++) {
            if (!n->input[k] || !n->input[k][0])
                continue;
            const onnx_tensor_t *t = onnx_tab_get(c, n->input[k]);
            if (!t) {
                onnx_node_error(c, n, "input '%s' is not produced by an earlier node, an initializer or a graph "
                                      "input (graph not in topological order?)", n->input[k]);
                return false;
            }
            blocked |= !t->known;
        }
        bool is_default = !n->domain || !n->domain[0] || !strcmp(n->domain, "ai.onnx");
        int rc = ONNX_OP_OK;
        char why[160] = "";
        if (!is_default)
            rc = ONNX_OP_UNSUPPORTED;
        else if (!strcmp(n->op_type, "Constant"))
            rc = constant_node(c, n) ? ONNX_OP_OK : ONNX_OP_ERROR;
        else if (!onnx_op_known(n->op_type))
            rc = ONNX_OP_UNSUPPORTED;
        else if (!blocked)
            rc = onnx_infer_node(c, n, why, sizeof why);
        if (rc == ONNX_OP_ERROR)
            return false;
        if (rc == ONNX_OP_UNSUPPORTED) {
            char what[128];
            snprintf(what, sizeof what, "%s%s%s", is_default ? "" : n->domain, is_default ? "" : "::", n->op_type);
            append(unsup, sizeof unsup, n_unsup ? ", %s (node '%s'" : "%s (node '%s'", what, label);
            append(unsup, sizeof unsup, "%s%s)", why[0] ? ": " : "", why);
            n_unsup++;
        }
        if (rc == ONNX_OP_UNSUPPORTED || blocked)
            for (size_t k = 0; k < n->n_output; k++)
                if (n->output[k] && n->output[k][0]) {
                    onnx_tensor_t *t = onnx_tab_put(c, n->output[k]);
                    if (!t)
                        return false;
                    t->known = false;
                }
        if (rep) {
            onnx_node_info_t *ni = &rep->nodes[rep->n_nodes++];
            snprintf(ni->name, sizeof ni->name, "%s", label);
            snprintf(ni->op, sizeof ni->op, "%s", n->op_type);
            ni->layer = c->model->n > layers_before ? (long)layers_before : -1;
            const onnx_tensor_t *t = n->n_output && n->output[0] && n->output[0][0] ? onnx_tab_get(c, n->output[0]) : NULL;
            ni->rank = t && t->known ? t->rank : 0;
            if (ni->rank)
                memcpy(ni->dims, t->dims, ni->rank * sizeof *t->dims);
        }
    }
    if (n_unsup) {
        snprintf(c->err, c->errlen, "%s: %zu unsupported operator node%s: %s", c->file, n_unsup,
                 n_unsup > 1 ? "s" : "", unsup);
        return false;
    }
    if (c->model->n == 0) {
        snprintf(c->err, c->errlen, "%s: no Conv, Gemm or MatMul node: nothing to estimate", c->file);
        return false;
    }
    return true;
}

void onnx_report_free(onnx_report_t *rep)
{
    if (!rep)
        return;
    free(rep->nodes);
    rep->nodes = NULL;
    rep->n_nodes = 0;
}

bool onnx_import_buffer(const uint8_t *buf, size_t len, const char *name, est_model_t *out, onnx_report_t *rep,
                        char *err, size_t errlen)
{
    onnx_ctx_t c;
    memset(&c, 0, sizeof c);
    c.file = name;
    c.err = err;
    c.errlen = errlen;
    c.model = out;
    c.batch = 1;
    const char *base = strrchr(name, '/');
    est_model_init(out, base ? base + 1 : name);
    snprintf(out->source, sizeof out->source, "onnx");
    if (rep)
        memset(rep, 0, sizeof *rep);
    Onnx__ModelProto *m = onnx__model_proto__unpack(NULL, len, buf);
    if (!m) {
        snprintf(err, errlen, "%s: not a valid ONNX protobuf (truncated or malformed)", name);
        return false;
    }
    bool ok = check_model(&c, m) && table_alloc(&c, m->graph);
    if (ok && rep) {
        rep->nodes = calloc(m->graph->n_node, sizeof *rep->nodes);
        if (!rep->nodes) {
            snprintf(err, errlen, "%s: out of memory", name);
            ok = false;
        }
        const char *pn = m->producer_name ? m->producer_name : "", *pv = m->producer_version ? m->producer_version : "";
        snprintf(rep->producer, sizeof rep->producer, "%s%s%s", pn[0] ? pn : "unknown producer", pv[0] ? " " : "", pv);
        rep->ir_version = m->ir_version;
        rep->opset = c.opset;
    }
    ok = ok && seed_table(&c, m->graph) && run_nodes(&c, m->graph, rep);
    if (rep)
        rep->batch = c.batch;
    free(c.tab);
    onnx__model_proto__free_unpacked(m, NULL);
    if (!ok) {
        est_model_free(out);
        onnx_report_free(rep);
    }
    return ok;
}

bool onnx_import(const char *path, est_model_t *out, onnx_report_t *rep, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) || !S_ISREG(st.st_mode) || st.st_size <= 0 ||
        (unsigned long long)st.st_size > ONNX_MAX_FILE) {
        snprintf(err, errlen, "%s: not a regular file of 1 byte to 1 GiB", path);
        fclose(fp);
        return false;
    }
    size_t len = (size_t)st.st_size;
    uint8_t *buf = malloc(len);
    if (!buf || fread(buf, 1, len, fp) != len) {
        snprintf(err, errlen, "%s: %s", path, buf ? "read error" : "out of memory");
        free(buf);
        fclose(fp);
        return false;
    }
    fclose(fp);
    bool ok = onnx_import_buffer(buf, len, path, out, rep, err, errlen);
    free(buf);
    return ok;
}

/* The estimator's hook for `--model FILE.onnx` (est_model_resolve). */
bool est_onnx_load(const char *path, est_model_t *out, char *err, size_t errlen)
{
    return onnx_import(path, out, NULL, err, errlen);
}
