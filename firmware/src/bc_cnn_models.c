/* Network builders of the CNN trainer and their lowering description. */
#include <string.h>

#include "bc_cnn.h"

typedef struct builder {
    bc_cnn_net_t *net;
    uint32_t c, h, w; /* shape of the last tensor */
    bool ok;
} builder_t;

static unsigned last(const builder_t *b)
{
    return b->net->n_ops; /* index of the last tensor */
}

static bc_cnn_op_t *push(builder_t *b, bc_cnn_op_kind_t kind, unsigned src)
{
    if (!b->ok || b->net->n_ops >= BC_CNN_MAX_OPS) {
        b->ok = false;
        return NULL;
    }
    bc_cnn_op_t *o = &b->net->ops[b->net->n_ops++];
    memset(o, 0, sizeof *o);
    o->kind = kind;
    o->src = (uint16_t)src;
    return o;
}

/* Shapes are tracked for chains only; add_conv takes the source's shape. */
static unsigned conv(builder_t *b, unsigned src, uint32_t cin, uint32_t h, uint32_t w, uint32_t cout, uint32_t k,
                     uint32_t stride, uint32_t pad)
{
    bc_cnn_op_t *o = push(b, BC_OP_CONV, src);
    if (!o)
        return 0;
    bc_layer_geom_t *g = &o->geom;
    g->kind = BC_LAYER_CONV;
    g->cin = cin, g->cout = cout, g->in_h = h, g->in_w = w, g->kh = g->kw = k;
    g->stride_h = g->stride_w = stride, g->pad_h = g->pad_w = pad;
    g->first = src == 0;
    uint32_t oh, ow;
    if (bc_layer_out(g, &oh, &ow) != BC_LOWER_OK) {
        b->ok = false;
        return 0;
    }
    b->c = cout, b->h = oh, b->w = ow;
    return last(b);
}

static unsigned simple(builder_t *b, bc_cnn_op_kind_t kind, unsigned src)
{
    push(b, kind, src);
    return last(b);
}

static unsigned pool(builder_t *b, bc_cnn_op_kind_t kind, unsigned src, uint32_t k, uint32_t s)
{
    bc_cnn_op_t *o = push(b, kind, src);
    if (!o)
        return 0;
    o->pool_k = k, o->pool_stride = s;
    b->h = bc_conv_out_size(b->h, k, s, 0, 1), b->w = bc_conv_out_size(b->w, k, s, 0, 1);
    b->ok = b->ok && b->h && b->w;
    return last(b);
}

static unsigned fc(builder_t *b, unsigned src, uint32_t in, uint32_t out)
{
    bc_cnn_op_t *o = push(b, BC_OP_FC, src);
    if (!o)
        return 0;
    o->geom.kind = BC_LAYER_FC;
    o->geom.cin = in, o->geom.cout = out, o->geom.in_h = o->geom.in_w = 1;
    o->geom.kh = o->geom.kw = o->geom.stride_h = o->geom.stride_w = 1;
    o->geom.first = src == 0;
    b->c = out, b->h = b->w = 1;
    return last(b);
}

static void begin(builder_t *b, bc_cnn_net_t *net, uint32_t c, uint32_t h, uint32_t w)
{
    memset(net, 0, sizeof *net);
    net->in_c = c, net->in_h = h, net->in_w = w;
    b->net = net, b->c = c, b->h = h, b->w = w, b->ok = c && h && w;
}

int bc_cnn_lenet5(bc_cnn_net_t *net, uint32_t in_c, uint32_t in_h, uint32_t in_w, unsigned classes)
{
    builder_t b;
    begin(&b, net, in_c, in_h, in_w);
    unsigned t = conv(&b, 0, in_c, in_h, in_w, 6, 5, 1, 2);
    t = simple(&b, BC_OP_BN, t);
    t = simple(&b, BC_OP_RELU, t);
    t = pool(&b, BC_OP_MAXPOOL, t, 2, 2);
    bool small = in_h < 16 || in_w < 16; /* e.g. 8x8 digits: 3x3 pad 1 keeps the map */
    t = conv(&b, t, b.c, b.h, b.w, 16, small ? 3 : 5, 1, small ? 1 : 0);
    t = simple(&b, BC_OP_BN, t);
    t = simple(&b, BC_OP_RELU, t);
    t = pool(&b, BC_OP_MAXPOOL, t, 2, 2);
    t = simple(&b, BC_OP_FLATTEN, t);
    uint32_t flat = b.c * b.h * b.w;
    t = fc(&b, t, flat, 120);
    t = simple(&b, BC_OP_RELU, t);
    t = fc(&b, t, 120, 84);
    t = simple(&b, BC_OP_RELU, t);
    fc(&b, t, 84, classes);
    return b.ok ? 0 : -1;
}

/* conv-BN-ReLU-conv-BN (+ shortcut) - add - ReLU */
static unsigned basic_block(builder_t *b, unsigned in, uint32_t cout, uint32_t stride)
{
    uint32_t cin = b->c, h = b->h, w = b->w;
    unsigned t = conv(b, in, cin, h, w, cout, 3, stride, 1);
    t = simple(b, BC_OP_BN, t);
    t = simple(b, BC_OP_RELU, t);
    t = conv(b, t, cout, b->h, b->w, cout, 3, 1, 1);
    unsigned main_path = simple(b, BC_OP_BN, t);
    unsigned sc = in;
    if (stride != 1 || cin != cout) {
        uint32_t oh = b->h, ow = b->w;
        sc = conv(b, in, cin, h, w, cout, 1, stride, 0);
        sc = simple(b, BC_OP_BN, sc);
        b->h = oh, b->w = ow;
    }
    bc_cnn_op_t *o = push(b, BC_OP_ADD, main_path);
    if (o)
        o->src2 = (uint16_t)sc;
    return simple(b, BC_OP_RELU, last(b));
}

int bc_cnn_resnet(bc_cnn_net_t *net, uint32_t in_c, uint32_t in_h, uint32_t in_w, unsigned classes, unsigned n,
                  unsigned width)
{
    builder_t b;
    begin(&b, net, in_c, in_h, in_w);
    if (!n || !width || width > 1024)
        return -1;
    unsigned t = conv(&b, 0, in_c, in_h, in_w, width, 3, 1, 1);
    t = simple(&b, BC_OP_BN, t);
    t = simple(&b, BC_OP_RELU, t);
    for (unsigned stage = 0; stage < 3; stage++)
        for (unsigned blk = 0; blk < n; blk++)
            t = basic_block(&b, t, width << stage, (stage && !blk) ? 2u : 1u);
    t = pool(&b, BC_OP_AVGPOOL, t, b.h, 1); /* global average pooling (square maps) */
    t = simple(&b, BC_OP_FLATTEN, t);
    fc(&b, t, b.c * b.h * b.w, classes);
    return b.ok && b.h == 1 && b.w == 1 ? 0 : -1;
}

unsigned bc_cnn_geoms(const bc_cnn_net_t *net, bc_layer_geom_t *out, unsigned max)
{
    unsigned k = 0;
    for (unsigned i = 0; i < net->n_ops && k < max; i++)
        if (net->ops[i].kind == BC_OP_CONV || net->ops[i].kind == BC_OP_FC)
            out[k++] = net->ops[i].geom;
    return k;
}
