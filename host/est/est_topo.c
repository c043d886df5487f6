/* SCALE-Sim topology CSV reader. Two forms, told apart by the header:
 *   convolution: Layer name, IFMAP Height, IFMAP Width, Filter Height,
 *                Filter Width, Channels, Num Filter, Strides
 *   GEMM:        Layer, M, N, K   (SCALE-Sim's M = output pixels per sample,
 *                N = filters, K = reduction; we scale M by the batch)
 * A trailing comma on a line is accepted, as SCALE-Sim writes one. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "est.h"
#include "safeio.h"

#define MAX_FIELDS 16
#define MAX_DIM 1000000000ull
/* input bounds (docs/robustness.md): a line and the whole file */
#define EST_TOPO_LINE_MAX 4094u
#define EST_TOPO_BYTES_MAX (16u << 20)
/* the largest layer: 1e15 MACs per sample */
#define EST_TOPO_LAYER_MACS_MAX 1000000000000000ull

static char *trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    char *e = s + strlen(s);
    while (e > s && isspace((unsigned char)e[-1]))
        *--e = '\0';
    return s;
}

/* Split in place on commas; drops one trailing empty field. */
static size_t split(char *line, char **f, size_t max)
{
    size_t n = 0;
    char *p = line;
    for (;;) {
        char *c = strchr(p, ',');
        if (c)
            *c = '\0';
        if (n < max)
            f[n] = trim(p);
        n++;
        if (!c)
            break;
        p = c + 1;
    }
    if (n > 1 && n <= max && f[n - 1][0] == '\0')
        n--;
    return n;
}

static const char *const conv_hdr[] = {"layer name", "ifmap height", "ifmap width", "filter height",
                                       "filter width", "channels", "num filter", "strides"};
static const char *const conv_names[] = {"Layer name", "IFMAP Height", "IFMAP Width", "Filter Height",
                                         "Filter Width", "Channels", "Num Filter", "Strides"};
static const char *const mnk_names[] = {"Layer", "M", "N", "K"};

static bool parse_dim(const char *path, unsigned line, const char *field, const char *s, uint64_t *out,
                      char *err, size_t errlen)
{
    if (!*s) {
        snprintf(err, errlen, "%s:%u: field '%s' is empty", path, line, field);
        return false;
    }
    const char *p = s;
    if (*p == '-' || *p == '+') {
        char *end = NULL;
        errno = 0;
        double v = strtod(s, &end);
        if (!errno && end && *end == '\0' && v <= 0) {
            snprintf(err, errlen, "%s:%u: field '%s' is %s; sizes must be positive", path, line, field, s);
            return false;
        }
    }
    for (; *p; p++)
        if (!isdigit((unsigned char)*p)) {
            snprintf(err, errlen, "%s:%u: field '%s': '%s' is not a whole number", path, line, field, s);
            return false;
        }
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno || v > MAX_DIM) {
        snprintf(err, errlen, "%s:%u: field '%s': %s is too large (at most %llu)", path, line, field, s,
                 (unsigned long long)MAX_DIM);
        return false;
    }
    if (v == 0) {
        snprintf(err, errlen, "%s:%u: field '%s' is 0; sizes must be positive", path, line, field);
        return false;
    }
    *out = v;
    return true;
}

bool est_topology_load(const char *path, est_model_t *out, char *err, size_t errlen)
{
    bc_lines_t in;
    const char *base = strrchr(path, '/');
    est_model_init(out, base ? base + 1 : path);
    snprintf(out->source, sizeof out->source, "topology");
    if (!bc_lines_open(&in, path, EST_TOPO_LINE_MAX, EST_TOPO_BYTES_MAX, err, errlen))
        return false;
    char buf[EST_TOPO_LINE_MAX + 1];
    const char *raw;
    unsigned lineno = 0;
    int form = -1; /* 0 conv, 1 mnk */
    bool ok = true;
    int got = 0;
    while (ok && (got = bc_lines_next(&in, &raw, err, errlen)) > 0) {
        lineno = (unsigned)in.lineno;
        snprintf(buf, sizeof buf, "%s", raw);
        char *line = trim(buf);
        if (!*line || *line == '#')
            continue;
        char *f[MAX_FIELDS];
        size_t nf = split(line, f, MAX_FIELDS);
        if (form < 0) {
            if (nf == 8) {
                bool match = true;
                for (size_t i = 0; i < 8; i++)
                    match &= !strcasecmp(f[i], conv_hdr[i]);
                if (match) {
                    form = 0;
                    continue;
                }
            }
            if (nf == 4 && (!strcasecmp(f[0], "layer") || !strcasecmp(f[0], "layer name")) &&
                !strcasecmp(f[1], "m") && !strcasecmp(f[2], "n") && !strcasecmp(f[3], "k")) {
                form = 1;
                continue;
            }
            snprintf(err, errlen,
                     "%s:%u: unrecognised header; expected 'Layer name, IFMAP Height, IFMAP Width, Filter "
                     "Height, Filter Width, Channels, Num Filter, Strides' or 'Layer, M, N, K'",
                     path, lineno);
            ok = false;
            break;
        }
        size_t want = form == 0 ? 8 : 4;
        const char *const *names = form == 0 ? conv_names : mnk_names;
        if (nf != want) {
            snprintf(err, errlen, "%s:%u: %s row: expected %zu fields (%s ... %s), got %zu", path, lineno,
                     nf < want ? "short" : "long", want, names[0], names[want - 1], nf);
            ok = false;
            break;
        }
        if (!*f[0]) {
            snprintf(err, errlen, "%s:%u: field '%s' is empty", path, lineno, names[0]);
            ok = false;
            break;
        }
        uint64_t v[8] = {0};
        for (size_t i = 1; i < want && ok; i++)
            ok = parse_dim(path, lineno, names[i], f[i], &v[i], err, errlen);
        if (!ok)
            break;
        est_layer_t l;
        memset(&l, 0, sizeof l);
        snprintf(l.name, sizeof l.name, "%s", f[0]);
        l.groups = l.steps = 1;
        if (form == 0) {
            uint64_t ih = v[1], iw = v[2], fh = v[3], fw = v[4], ch = v[5], nfil = v[6], st = v[7];
            if (fh > ih || fw > iw) {
                snprintf(err, errlen, "%s:%u: field '%s': filter %llux%llu is larger than the ifmap %llux%llu",
                         path, lineno, fh > ih ? "Filter Height" : "Filter Width", (unsigned long long)fh,
                         (unsigned long long)fw, (unsigned long long)ih, (unsigned long long)iw);
                ok = false;
                break;
            }
            if (ih > 65535 || iw > 65535 || fh > 65535 || fw > 65535 || ch > 1000000 || nfil > 1000000 ||
                st > 65535) {
                snprintf(err, errlen, "%s:%u: layer '%s' has a dimension beyond the supported range", path,
                         lineno, f[0]);
                ok = false;
                break;
            }
            snprintf(l.kind, sizeof l.kind, "conv");
            l.in_h = (unsigned)ih;
            l.in_w = (unsigned)iw;
            l.kh = (unsigned)fh;
            l.kw = (unsigned)fw;
            l.cin = (unsigned)ch;
            l.cout = (unsigned)nfil;
            l.stride = (unsigned)st;
            /* SCALE-Sim convention: the ifmap is already padded */
            l.out_h = (unsigned)((ih - fh) / st + 1);
            l.out_w = (unsigned)((iw - fw) / st + 1);
            l.m = nfil;
            l.k = ch * fh * fw;
            l.n_per_sample = (uint64_t)l.out_h * l.out_w;
            l.geom = (bc_layer_geom_t){.kind = BC_LAYER_CONV, .cin = l.cin, .cout = l.cout, .in_h = l.in_h,
                                       .in_w = l.in_w, .kh = l.kh, .kw = l.kw, .stride_h = l.stride,
                                       .stride_w = l.stride, .groups = 1, .steps = 1};
        } else {
            snprintf(l.kind, sizeof l.kind, "gemm");
            l.m = v[2];
            l.n_per_sample = v[1];
            l.k = v[3];
        }
        uint64_t mk, mkn;
        if (__builtin_mul_overflow(l.m, l.k, &mk) || __builtin_mul_overflow(mk, l.n_per_sample, &mkn) ||
            mkn > EST_TOPO_LAYER_MACS_MAX) {
            snprintf(err, errlen, "%s:%u: layer '%s' has more than 1e15 MACs per sample", path, lineno, f[0]);
            ok = false;
            break;
        }
        if (!est_model_push(out, &l, err, errlen)) {
            ok = false;
            break;
        }
    }
    if (ok && got < 0)
        ok = false;
    bc_lines_close(&in);
    if (ok && form < 0) {
        snprintf(err, errlen, "%s:%u: empty file: no header", path, lineno);
        ok = false;
    }
    if (ok && out->n == 0) {
        snprintf(err, errlen, "%s:%u: no layers after the header", path, lineno);
        ok = false;
    }
    if (!ok)
        est_model_free(out);
    return ok;
}
