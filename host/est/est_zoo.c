/* Model zoo: networks generated from their architecture definitions and
 * lowered to GEMM (M = output channels per group, N = output pixels x batch,
 * K = Cin/groups x kh x kw). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "est.h"

#pragma weak est_onnx_load

void est_model_init(est_model_t *m, const char *name)
{
    memset(m, 0, sizeof *m);
    snprintf(m->name, sizeof m->name, "%s", name);
    snprintf(m->source, sizeof m->source, "zoo");
}

void est_model_free(est_model_t *m)
{
    free(m->layers);
    m->layers = NULL;
    m->n = m->cap = 0;
}

void est_layer_geom(const est_layer_t *l, bc_layer_geom_t *g)
{
    if (l->geom.cin) {
        *g = l->geom;
    } else {
        /* a GEMM-only layer: 1 x 1 convolution over n_per_sample positions */
        unsigned groups = l->groups ? l->groups : 1;
        memset(g, 0, sizeof *g);
        g->kind = l->n_per_sample > 1 ? BC_LAYER_CONV : BC_LAYER_FC;
        g->cin = (uint32_t)(l->k * groups);
        g->cout = (uint32_t)(l->m * groups);
        g->in_h = (uint32_t)(l->n_per_sample ? l->n_per_sample : 1);
        g->in_w = g->kh = g->kw = g->stride_h = g->stride_w = 1;
        g->groups = groups;
        g->steps = l->steps ? l->steps : 1;
    }
    g->first = l->first;
}

bc_lower_status_t est_layer_lower(const est_layer_t *l, uint64_t batch, unsigned fw, unsigned bw,
                                  bc_gemm_desc_t out[BC_GEMM_KINDS], unsigned *n)
{
    bc_layer_geom_t g;
    est_layer_geom(l, &g);
    return bc_lower_layer(&g, batch, l->fixed_bits ? l->fixed_bits : fw, bw, out, n);
}

uint64_t est_layer_macs(const est_layer_t *l)
{
    bc_layer_geom_t g;
    uint64_t macs = 0;
    est_layer_geom(l, &g);
    return bc_layer_macs(&g, &macs) == BC_LOWER_OK ? macs : 0;
}

uint64_t est_model_macs(const est_model_t *m)
{
    /* checked: a sum beyond 64 bits sticks at UINT64_MAX (est_model_push
     * refuses a layer that would take the model there) */
    uint64_t s = 0;
    for (size_t i = 0; i < m->n; i++)
        if (__builtin_add_overflow(s, est_layer_macs(&m->layers[i]), &s))
            return UINT64_MAX;
    return s;
}

bool est_model_push(est_model_t *m, const est_layer_t *l, char *err, size_t errlen)
{
    est_layer_t copy = *l;
    /* the network's input needs no error; a recurrent layer's state does */
    copy.first = m->n == 0 && strcmp(l->kind, "lstm") != 0;
    bc_layer_geom_t g;
    est_layer_geom(&copy, &g);
    uint64_t macs;
    bc_lower_status_t st = bc_layer_macs(&g, &macs);
    if (st != BC_LOWER_OK) {
        snprintf(err, errlen, "layer '%s': %s", l->name, bc_lower_strerror(st));
        return false;
    }
    uint64_t total;
    if (__builtin_add_overflow(m->macs, macs, &total) || total == UINT64_MAX) {
        snprintf(err, errlen, "layer '%s': the model's MACs per sample overflow 64 bits", l->name);
        return false;
    }
    if (m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 32;
        est_layer_t *p = realloc(m->layers, cap * sizeof *p);
        if (!p) {
            snprintf(err, errlen, "out of memory building model %s", m->name);
            return false;
        }
        m->layers = p;
        m->cap = cap;
    }
    m->layers[m->n++] = copy;
    m->macs = total;
    return true;
}

/* Builder state: the current feature map flowing through the network. */
typedef struct builder {
    est_model_t *m;
    unsigned h, w, c;
    bool ok;
    char *err;
    size_t errlen;
} builder_t;

static void push(builder_t *b, const est_layer_t *l)
{
    if (b->ok && !est_model_push(b->m, l, b->err, b->errlen))
        b->ok = false;
}

/* Convolution with "same"-style padding (pad = k/2), as in the zoo networks. */
static void conv_full(builder_t *b, const char *name, unsigned cout, unsigned kk, unsigned stride,
                      unsigned groups, bool update)
{
    est_layer_t l;
    memset(&l, 0, sizeof l);
    snprintf(l.name, sizeof l.name, "%s", name);
    unsigned pad = kk / 2;
    l.in_h = b->h;
    l.in_w = b->w;
    l.cin = b->c;
    l.cout = cout;
    l.kh = l.kw = kk;
    l.stride = stride;
    l.out_h = (b->h + 2 * pad - kk) / stride + 1;
    l.out_w = (b->w + 2 * pad - kk) / stride + 1;
    l.groups = groups;
    l.steps = 1;
    l.m = cout / groups;
    l.k = (uint64_t)(b->c / groups) * kk * kk;
    l.n_per_sample = (uint64_t)l.out_h * l.out_w;
    l.geom = (bc_layer_geom_t){.kind = BC_LAYER_CONV, .cin = b->c, .cout = cout, .in_h = b->h, .in_w = b->w,
                               .kh = kk, .kw = kk, .stride_h = stride, .stride_w = stride, .pad_h = pad,
                               .pad_w = pad, .groups = groups, .steps = 1};
    snprintf(l.kind, sizeof l.kind, "%s", groups > 1 ? "dwconv" : "conv");
    push(b, &l);
    if (update) {
        b->h = l.out_h;
        b->w = l.out_w;
        b->c = cout;
    }
}

static void conv(builder_t *b, const char *name, unsigned cout, unsigned kk, unsigned stride)
{
    conv_full(b, name, cout, kk, stride, 1, true);
}

static void pool(builder_t *b, unsigned kk, unsigned stride, unsigned pad)
{
    b->h = (b->h + 2 * pad - kk) / stride + 1;
    b->w = (b->w + 2 * pad - kk) / stride + 1;
}

static void fc(builder_t *b, const char *name, unsigned in, unsigned out)
{
    est_layer_t l;
    memset(&l, 0, sizeof l);
    snprintf(l.name, sizeof l.name, "%s", name);
    snprintf(l.kind, sizeof l.kind, "fc");
    l.groups = l.steps = 1;
    l.m = out;
    l.k = in;
    l.n_per_sample = 1;
    push(b, &l);
    b->h = b->w = 1;
    b->c = out;
}

/* CIFAR ResNet (He et al. 2016, Sec. 4.2): 6n+2 layers with basic blocks, or
 * 9n+2 with bottlenecks; widths 16/32/64; option-A shortcuts (no MACs). */
static void resnet_cifar(builder_t *b, unsigned depth, bool bottleneck, unsigned classes)
{
    unsigned n = bottleneck ? (depth - 2) / 9 : (depth - 2) / 6;
    char nm[48];
    b->h = b->w = 32;
    b->c = 3;
    conv(b, "conv1", 16, 3, 1);
    unsigned width[3] = {16, 32, 64};
    for (unsigned s = 0; s < 3; s++)
        for (unsigned i = 0; i < n; i++) {
            unsigned stride = (s > 0 && i == 0) ? 2 : 1;
            if (!bottleneck) {
                snprintf(nm, sizeof nm, "s%u.b%u.conv1", s + 1, i);
                conv(b, nm, width[s], 3, stride);
                snprintf(nm, sizeof nm, "s%u.b%u.conv2", s + 1, i);
                conv(b, nm, width[s], 3, 1);
            } else {
                /* pre-activation bottleneck (He et al. 2016b): 1x1, 3x3, 1x1 x4,
                 * projection shortcut when the shape changes */
                unsigned in_c = b->c, in_h = b->h, in_w = b->w;
                unsigned outc = width[s] * 4;
                snprintf(nm, sizeof nm, "s%u.b%u.conv1", s + 1, i);
                conv(b, nm, width[s], 1, 1);
                snprintf(nm, sizeof nm, "s%u.b%u.conv2", s + 1, i);
                conv(b, nm, width[s], 3, stride);
                snprintf(nm, sizeof nm, "s%u.b%u.conv3", s + 1, i);
                conv(b, nm, outc, 1, 1);
                if (in_c != outc || stride != 1) {
                    unsigned h = b->h, w = b->w, c = b->c;
                    b->h = in_h;
                    b->w = in_w;
                    b->c = in_c;
                    snprintf(nm, sizeof nm, "s%u.b%u.shortcut", s + 1, i);
                    conv_full(b, nm, outc, 1, stride, 1, false);
                    b->h = h;
                    b->w = w;
                    b->c = c;
                }
            }
        }
    pool(b, b->h, 1, 0); /* global average pooling */
    fc(b, "fc", b->c, classes);
}

/* A 1x1 convolution from a saved feature map (h, w, c) that leaves the
 * builder's current map alone: a shortcut branch. */
static void shortcut(builder_t *b, const char *name, unsigned in_h, unsigned in_w, unsigned in_c, unsigned cout,
                     unsigned stride)
{
    unsigned h = b->h, w = b->w, c = b->c;
    b->h = in_h;
    b->w = in_w;
    b->c = in_c;
    conv_full(b, name, cout, 1, stride, 1, false);
    b->h = h;
    b->w = w;
    b->c = c;
}

/* The CPT paper's CIFAR ResNets (reference cpt_cifar/models.py): 6n+2
 * layers of basic blocks, widths 16/32/64, a 1x1 convolution shortcut
 * (stride 2) where the shape changes, no conv bias, global average pooling
 * and the FC in float (it runs on the host, not the accelerator: not a
 * trained layer here). */
static void cpt_resnet_cifar(builder_t *b, unsigned n)
{
    char nm[48];
    b->h = b->w = 32;
    b->c = 3;
    conv(b, "conv1", 16, 3, 1);
    static const unsigned width[3] = {16, 32, 64};
    for (unsigned s = 0; s < 3; s++)
        for (unsigned i = 0; i < n; i++) {
            unsigned stride = (s > 0 && i == 0) ? 2 : 1;
            unsigned in_c = b->c, in_h = b->h, in_w = b->w;
            snprintf(nm, sizeof nm, "layer%u.%u.conv1", s + 1, i);
            conv(b, nm, width[s], 3, stride);
            snprintf(nm, sizeof nm, "layer%u.%u.conv2", s + 1, i);
            conv(b, nm, width[s], 3, 1);
            if (in_c != width[s] || stride != 1) {
                snprintf(nm, sizeof nm, "layer%u.%u.shortcut", s + 1, i);
                shortcut(b, nm, in_h, in_w, in_c, width[s], stride);
            }
        }
}

/* Precision of the CPT MobileNetV2's depthwise convolutions. The reference
 * quantizes them at a fixed DWS_BITS that its published code never
 * defines; 8 bits (the paper's top precision) is the value used here. */
#define CPT_DWS_BITS 8u

/* The CPT paper's MobileNetV2 for CIFAR (reference cpt_cifar/models.py):
 * stride 1 in the stem and in the second stage, a 1x1 expansion in every
 * block, a 1x1 shortcut convolution when a stride-1 block changes width,
 * depthwise convolutions at CPT_DWS_BITS, 4x4 average pooling, FC in float. */
static void cpt_mobilenetv2(builder_t *b)
{
    static const unsigned cfg[7][4] = {/* t, c, n, s */
                                       {1, 16, 1, 1},  {6, 24, 2, 1},  {6, 32, 3, 2}, {6, 64, 4, 2},
                                       {6, 96, 3, 1},  {6, 160, 3, 2}, {6, 320, 1, 1}};
    char nm[48];
    b->h = b->w = 32;
    b->c = 3;
    conv(b, "conv1", 32, 3, 1);
    for (unsigned s = 0; s < 7; s++)
        for (unsigned i = 0; i < cfg[s][2]; i++) {
            unsigned stride = i == 0 ? cfg[s][3] : 1, out = cfg[s][1];
            unsigned in_c = b->c, in_h = b->h, in_w = b->w, hidden = b->c * cfg[s][0];
            snprintf(nm, sizeof nm, "layers.%u.%u.expand", s + 1, i);
            conv(b, nm, hidden, 1, 1);
            snprintf(nm, sizeof nm, "layers.%u.%u.dw", s + 1, i);
            conv_full(b, nm, hidden, 3, stride, hidden, true);
            if (b->ok)
                b->m->layers[b->m->n - 1].fixed_bits = CPT_DWS_BITS;
            snprintf(nm, sizeof nm, "layers.%u.%u.project", s + 1, i);
            conv(b, nm, out, 1, 1);
            if (stride == 1 && in_c != out) {
                snprintf(nm, sizeof nm, "layers.%u.%u.shortcut", s + 1, i);
                shortcut(b, nm, in_h, in_w, in_c, out, 1);
            }
        }
    conv(b, "conv2", 1280, 1, 1);
}

/* ImageNet ResNet (He et al. 2016, Table 1), torchvision layout (stride on the
 * 3x3 of a bottleneck), projection shortcuts when the shape changes. */
static void resnet_imagenet(builder_t *b, const unsigned blocks[4], bool bottleneck, unsigned classes)
{
    char nm[48];
    b->h = b->w = 224;
    b->c = 3;
    conv(b, "conv1", 64, 7, 2);
    pool(b, 3, 2, 1);
    unsigned width[4] = {64, 128, 256, 512};
    for (unsigned s = 0; s < 4; s++)
        for (unsigned i = 0; i < blocks[s]; i++) {
            unsigned stride = (s > 0 && i == 0) ? 2 : 1;
            unsigned in_c = b->c, in_h = b->h, in_w = b->w;
            unsigned outc = bottleneck ? width[s] * 4 : width[s];
            if (bottleneck) {
                snprintf(nm, sizeof nm, "layer%u.%u.conv1", s + 1, i);
                conv(b, nm, width[s], 1, 1);
                snprintf(nm, sizeof nm, "layer%u.%u.conv2", s + 1, i);
                conv(b, nm, width[s], 3, stride);
                snprintf(nm, sizeof nm, "layer%u.%u.conv3", s + 1, i);
                conv(b, nm, outc, 1, 1);
            } else {
                snprintf(nm, sizeof nm, "layer%u.%u.conv1", s + 1, i);
                conv(b, nm, width[s], 3, stride);
                snprintf(nm, sizeof nm, "layer%u.%u.conv2", s + 1, i);
                conv(b, nm, width[s], 3, 1);
            }
            if (in_c != outc || stride != 1) {
                unsigned h = b->h, w = b->w, c = b->c;
                b->h = in_h;
                b->w = in_w;
                b->c = in_c;
                snprintf(nm, sizeof nm, "layer%u.%u.downsample", s + 1, i);
                conv_full(b, nm, outc, 1, stride, 1, false);
                b->h = h;
                b->w = w;
                b->c = c;
            }
        }
    pool(b, b->h, 1, 0);
    fc(b, "fc", b->c, classes);
}

/* VGG-16 (Simonyan & Zisserman 2015, configuration D). */
static void vgg16(builder_t *b, unsigned classes)
{
    static const int cfg[] = {64, 64, 0, 128, 128, 0, 256, 256, 256, 0, 512, 512, 512, 0, 512, 512, 512, 0};
    char nm[48];
    b->h = b->w = 224;
    b->c = 3;
    unsigned idx = 0;
    for (size_t i = 0; i < sizeof cfg / sizeof cfg[0]; i++) {
        if (cfg[i] == 0) {
            pool(b, 2, 2, 0);
            continue;
        }
        snprintf(nm, sizeof nm, "conv%u", ++idx);
        conv(b, nm, (unsigned)cfg[i], 3, 1);
    }
    unsigned flat = b->h * b->w * b->c;
    fc(b, "fc6", flat, 4096);
    fc(b, "fc7", 4096, 4096);
    fc(b, "fc8", 4096, classes);
}

/* MobileNetV2 (Sandler et al. 2018, Table 2). The CIFAR variant keeps the
 * 32x32 input by using stride 1 in the stem and in the second stage. */
static void mobilenetv2(builder_t *b, bool cifar, unsigned classes)
{
    static const unsigned cfg[7][4] = {/* t, c, n, s */
                                       {1, 16, 1, 1},  {6, 24, 2, 2},  {6, 32, 3, 2}, {6, 64, 4, 2},
                                       {6, 96, 3, 1},  {6, 160, 3, 2}, {6, 320, 1, 1}};
    char nm[48];
    b->h = b->w = cifar ? 32 : 224;
    b->c = 3;
    conv(b, "stem", 32, 3, cifar ? 1 : 2);
    for (unsigned s = 0; s < 7; s++) {
        unsigned t = cfg[s][0], c = cfg[s][1], n = cfg[s][2], st = cfg[s][3];
        if (cifar && s == 1)
            st = 1;
        for (unsigned i = 0; i < n; i++) {
            unsigned stride = i == 0 ? st : 1;
            unsigned hidden = b->c * t;
            if (t != 1) {
                snprintf(nm, sizeof nm, "b%u.%u.expand", s + 1, i);
                conv(b, nm, hidden, 1, 1);
            }
            snprintf(nm, sizeof nm, "b%u.%u.dw", s + 1, i);
            conv_full(b, nm, hidden, 3, stride, hidden, true);
            snprintf(nm, sizeof nm, "b%u.%u.project", s + 1, i);
            conv(b, nm, c, 1, 1);
        }
    }
    conv(b, "head", 1280, 1, 1);
    pool(b, b->h, 1, 0);
    fc(b, "fc", 1280, classes);
}

/* 2-layer LSTM language model on PTB, the "medium" configuration of Zaremba
 * et al. 2014: 650 units, 650-d embeddings, 10k vocabulary, 35 steps. One
 * sample is one 35-token sequence. Each step's four gates are one GEMM
 * (M = 4H, K = input + H); the steps are sequential so each is its own GEMM. */
static void lstm_ptb(builder_t *b)
{
    const unsigned hidden = 650, embed = 650, vocab = 10000, steps = 35;
    for (unsigned layer = 0; layer < 2; layer++) {
        est_layer_t l;
        memset(&l, 0, sizeof l);
        snprintf(l.name, sizeof l.name, "lstm%u.gates", layer + 1);
        snprintf(l.kind, sizeof l.kind, "lstm");
        l.groups = 1;
        l.steps = steps;
        l.m = 4ull * hidden;
        l.k = (layer == 0 ? embed : hidden) + hidden;
        l.n_per_sample = 1;
        push(b, &l);
    }
    est_layer_t d;
    memset(&d, 0, sizeof d);
    snprintf(d.name, sizeof d.name, "decoder");
    snprintf(d.kind, sizeof d.kind, "fc");
    d.groups = 1;
    d.steps = 1;
    d.m = vocab;
    d.k = hidden;
    d.n_per_sample = steps; /* all steps' outputs decoded in one GEMM */
    push(b, &d);
}

/* The firmware's quantized MLP: 784-256-128-10 on Fashion-MNIST. */
static void mlp(builder_t *b, unsigned classes)
{
    fc(b, "fc1", 784, 256);
    fc(b, "fc2", 256, 128);
    fc(b, "fc3", 128, classes);
}

const char *const est_zoo_names[] = {
    "resnet20-cifar", "resnet38-cifar", "resnet56-cifar", "resnet74-cifar", "resnet110-cifar",
    "resnet164-cifar", "mobilenetv2-cifar", "cpt-resnet38", "cpt-resnet74", "cpt-resnet110", "cpt-resnet152",
    "cpt-resnet164", "cpt-mobilenetv2", "resnet18", "resnet34", "resnet50", "vgg16", "mobilenetv2", "lstm-ptb",
    "mlp", NULL};

/* Published forward MACs (multiply-accumulates) for one sample. */
const est_zoo_ref_t est_zoo_refs[] = {
    {"resnet20-cifar", 41e6, 0.02, "commonly quoted as about 41 M MACs; exact closed form from He et al. 2016 Sec. 4.2 in tests/host"},
    {"resnet56-cifar", 125e6, 0.02, "Li et al., Pruning Filters for Efficient ConvNets, ICLR 2017, Table 1: 1.25e8"},
    {"resnet110-cifar", 253e6, 0.02, "Li et al., ICLR 2017, Table 1: 2.53e8"},
    {"resnet18", 1.8e9, 0.02, "He et al. CVPR 2016, Table 1: 1.8e9 FLOPs (multiply-adds)"},
    {"resnet34", 3.6e9, 0.03, "He et al. CVPR 2016, Table 1: 3.6e9 FLOPs (multiply-adds)"},
    {"resnet50", 4.1e9, 0.02, "torchvision ResNet-50 (stride on 3x3): 4.1 GMACs; He et al. Table 1 gives 3.8e9 for stride-on-1x1"},
    {"vgg16", 15.5e9, 0.02, "VGG-16: 15.5 G multiply-adds (e.g. Canziani et al. 2016; torchvision 15.47 GMACs)"},
    {"mobilenetv2", 300e6, 0.02, "Sandler et al. CVPR 2018, Table 4: 300 M multiply-adds at 224x224, width 1.0"},
    {"mlp", 234752, 0.0, "784*256 + 256*128 + 128*10 (exact)"},
    {NULL, 0, 0, NULL},
};

bool est_zoo_build(const char *name, unsigned num_classes, est_model_t *out, char *err, size_t errlen)
{
    est_model_init(out, name);
    builder_t b = {.m = out, .ok = true, .err = err, .errlen = errlen};
    unsigned cls10 = num_classes ? num_classes : 10;
    unsigned cls1k = num_classes ? num_classes : 1000;
    static const unsigned r18[4] = {2, 2, 2, 2}, r34[4] = {3, 4, 6, 3};
    bool known = false;
    for (size_t i = 0; est_zoo_names[i]; i++)
        known |= !strcmp(est_zoo_names[i], name);
    if (!known) {
        int len = snprintf(err, errlen, "unknown model '%s' (known:", name);
        for (size_t i = 0; est_zoo_names[i] && len > 0 && (size_t)len < errlen; i++)
            len += snprintf(err + len, errlen - (size_t)len, " %s", est_zoo_names[i]);
        if (len > 0 && (size_t)len < errlen)
            snprintf(err + len, errlen - (size_t)len, "; or a SCALE-Sim topology CSV file)");
        return false;
    }
    unsigned depth = 0;
    if (!strncmp(name, "cpt-resnet", 10) && sscanf(name + 10, "%u", &depth) == 1) {
        cpt_resnet_cifar(&b, (depth - 2) / 6);
    } else if (!strcmp(name, "cpt-mobilenetv2")) {
        cpt_mobilenetv2(&b);
    } else if (strstr(name, "-cifar") && !strncmp(name, "resnet", 6) && sscanf(name, "resnet%u", &depth) == 1) {
        resnet_cifar(&b, depth, depth == 164, cls10);
    } else if (!strcmp(name, "mobilenetv2-cifar")) {
        mobilenetv2(&b, true, cls10);
    } else if (!strcmp(name, "mobilenetv2")) {
        mobilenetv2(&b, false, cls1k);
    } else if (!strcmp(name, "resnet18")) {
        resnet_imagenet(&b, r18, false, cls1k);
    } else if (!strcmp(name, "resnet34")) {
        resnet_imagenet(&b, r34, false, cls1k);
    } else if (!strcmp(name, "resnet50")) {
        resnet_imagenet(&b, r34, true, cls1k);
    } else if (!strcmp(name, "vgg16")) {
        vgg16(&b, cls1k);
    } else if (!strcmp(name, "lstm-ptb")) {
        lstm_ptb(&b);
    } else if (!strcmp(name, "mlp")) {
        mlp(&b, cls10);
    }
    if (!b.ok) {
        est_model_free(out);
        return false;
    }
    if (!strcmp(name, "lstm-ptb"))
        out->num_classes = 10000;
    else
        out->num_classes = (strstr(name, "cifar") || !strncmp(name, "cpt-", 4) || !strcmp(name, "mlp")) ? cls10
                                                                                                        : cls1k;
    return true;
}

bool est_model_resolve(const char *name_or_file, unsigned num_classes, est_model_t *out, char *err,
                       size_t errlen)
{
    size_t len = strlen(name_or_file);
    if (len > 5 && !strcmp(name_or_file + len - 5, ".onnx")) {
        if (!est_onnx_load) {
            snprintf(err, errlen, "%s: ONNX import is not part of this build", name_or_file);
            return false;
        }
        return est_onnx_load(name_or_file, out, err, errlen);
    }
    /* any existing path is a topology file: the reader refuses what is not
     * a regular file (opening a FIFO here would block) */
    struct stat st;
    if (stat(name_or_file, &st) == 0)
        return est_topology_load(name_or_file, out, err, errlen);
    return est_zoo_build(name_or_file, num_classes, out, err, errlen);
}
