/* Trace container, format detection and the VCD reader. */
#include "wave_trace.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

wave_signal_t *wave_add_signal(wave_trace_t *t, const char *scope, const char *name, unsigned width)
{
    wave_signal_t *grown = realloc(t->sig, (t->nsig + 1) * sizeof *grown);
    if (!grown)
        return NULL;
    t->sig = grown;
    wave_signal_t *s = &t->sig[t->nsig];
    memset(s, 0, sizeof *s);
    s->scope = strdup(scope);
    s->name = strdup(name);
    s->width = width;
    if (!s->scope || !s->name) {
        free(s->scope);
        free(s->name);
        return NULL;
    }
    t->nsig++;
    return s;
}

bool wave_push(wave_signal_t *s, uint64_t time, uint64_t value, uint64_t xmask)
{
    if (s->n && s->ch[s->n - 1].time == time) {
        s->ch[s->n - 1].value = value;
        s->ch[s->n - 1].xmask = xmask;
        return true;
    }
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 64;
        wave_change_t *grown = realloc(s->ch, cap * sizeof *grown);
        if (!grown)
            return false;
        s->ch = grown;
        s->cap = cap;
    }
    s->ch[s->n++] = (wave_change_t){time, value, xmask};
    return true;
}

void wave_parse_bits(const char *bits, size_t len, uint64_t *value, uint64_t *xmask)
{
    uint64_t v = 0, x = 0;
    /* Only the low 64 bits are kept: skip the leading excess. */
    size_t skip = len > 64 ? len - 64 : 0;
    for (size_t i = skip; i < len; i++) {
        char c = bits[i];
        v <<= 1;
        x <<= 1;
        if (c == '1')
            v |= 1;
        else if (c != '0')
            x |= 1;
    }
    *value = v;
    *xmask = x;
}

void wave_strip_range(char *name)
{
    char *sp = strstr(name, " [");
    if (sp)
        *sp = '\0';
}

void wave_free(wave_trace_t *t)
{
    for (size_t i = 0; i < t->nsig; i++) {
        free(t->sig[i].scope);
        free(t->sig[i].name);
        free(t->sig[i].ch);
    }
    free(t->sig);
    memset(t, 0, sizeof *t);
}

wave_signal_t *wave_find(const wave_trace_t *t, const char *scope, const char *name)
{
    for (size_t i = 0; i < t->nsig; i++)
        if (!strcmp(t->sig[i].scope, scope) && !strcmp(t->sig[i].name, name))
            return &t->sig[i];
    return NULL;
}

bool wave_value_before(const wave_signal_t *s, uint64_t t, size_t *cursor, uint64_t *value,
                       uint64_t *xmask)
{
    size_t c = *cursor;
    if (c > s->n)
        c = 0;
    /* Rewind if the caller went backwards in time. */
    if (c > 0 && s->ch[c - 1].time >= t)
        c = 0;
    while (c < s->n && s->ch[c].time < t)
        c++;
    *cursor = c;
    if (c == 0)
        return false;
    *value = s->ch[c - 1].value;
    *xmask = s->ch[c - 1].xmask;
    return true;
}

void wave_timescale_str(const wave_trace_t *t, char *buf, size_t len)
{
    static const char *units[] = {"s", "ms", "us", "ns", "ps", "fs", "as"};
    int e = t->timescale_exp;
    unsigned mul = t->timescale_mul ? t->timescale_mul : 1;
    /* Fold the exponent into the nearest unit at or below it. */
    int idx = (-e + 2) / 3;
    if (e > 0)
        idx = 0;
    if (idx > 6)
        idx = 6;
    int rest = e + idx * 3;
    for (; rest > 0; rest--)
        mul *= 10;
    snprintf(buf, len, "%u%s", mul, units[idx]);
}

/* ---- VCD ---------------------------------------------------------------------- */

typedef struct vcd_tok {
    const char *p;
    size_t len;
    unsigned line;
} vcd_tok_t;

typedef struct vcd_id {
    const char *p; /* into the file buffer */
    size_t len;
    int first_sig; /* -1: declared but not kept */
} vcd_id_t;

typedef struct vcd {
    const char *path;
    const char *buf;
    size_t size, pos;
    unsigned line;
    vcd_id_t *ids;
    size_t id_cap, id_count;
    int *next_alias; /* per kept signal: next kept signal with the same id, or -1 */
    char *err;
    size_t errlen;
} vcd_t;

static bool vcd_next(vcd_t *v, vcd_tok_t *tok)
{
    while (v->pos < v->size && isspace((unsigned char)v->buf[v->pos])) {
        if (v->buf[v->pos] == '\n')
            v->line++;
        v->pos++;
    }
    if (v->pos >= v->size)
        return false;
    tok->p = v->buf + v->pos;
    tok->line = v->line;
    while (v->pos < v->size && !isspace((unsigned char)v->buf[v->pos]))
        v->pos++;
    tok->len = (size_t)(v->buf + v->pos - tok->p);
    return true;
}

static bool tok_is(const vcd_tok_t *t, const char *s)
{
    return t->len == strlen(s) && !memcmp(t->p, s, t->len);
}

static uint64_t hash_bytes(const char *p, size_t len)
{
    uint64_t h = 1469598103934665603ull;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ull;
    }
    return h;
}

static vcd_id_t *vcd_id_lookup(vcd_t *v, const char *p, size_t len)
{
    if (!v->id_cap)
        return NULL;
    size_t mask = v->id_cap - 1;
    for (size_t i = hash_bytes(p, len) & mask;; i = (i + 1) & mask) {
        vcd_id_t *e = &v->ids[i];
        if (!e->p)
            return NULL;
        if (e->len == len && !memcmp(e->p, p, len))
            return e;
    }
}

static bool vcd_id_insert(vcd_t *v, const char *p, size_t len, vcd_id_t **out)
{
    if ((v->id_count + 1) * 2 > v->id_cap) {
        size_t cap = v->id_cap ? v->id_cap * 2 : 256;
        vcd_id_t *grown = calloc(cap, sizeof *grown);
        if (!grown)
            return false;
        for (size_t i = 0; i < v->id_cap; i++) {
            if (!v->ids[i].p)
                continue;
            size_t j = hash_bytes(v->ids[i].p, v->ids[i].len) & (cap - 1);
            while (grown[j].p)
                j = (j + 1) & (cap - 1);
            grown[j] = v->ids[i];
        }
        free(v->ids);
        v->ids = grown;
        v->id_cap = cap;
    }
    size_t mask = v->id_cap - 1;
    size_t i = hash_bytes(p, len) & mask;
    while (v->ids[i].p) {
        if (v->ids[i].len == len && !memcmp(v->ids[i].p, p, len)) {
            *out = &v->ids[i];
            return true;
        }
        i = (i + 1) & mask;
    }
    v->ids[i] = (vcd_id_t){p, len, -1};
    v->id_count++;
    *out = &v->ids[i];
    return true;
}

/* Collect the tokens of a $keyword ... $end block (at most max, the rest counted). */
static bool vcd_block(vcd_t *v, const vcd_tok_t *kw, vcd_tok_t *toks, size_t max, size_t *n)
{
    vcd_tok_t t;
    *n = 0;
    while (vcd_next(v, &t)) {
        if (tok_is(&t, "$end"))
            return true;
        if (*n < max)
            toks[*n] = t;
        (*n)++;
    }
    set_err(v->err, v->errlen, "%s:%u: truncated: %.*s block has no $end", v->path, kw->line,
            (int)kw->len, kw->p);
    return false;
}

static bool vcd_timescale(vcd_t *v, const vcd_tok_t *kw, const vcd_tok_t *toks, size_t n,
                          wave_trace_t *out)
{
    char s[64] = "";
    size_t used = 0;
    for (size_t i = 0; i < n && i < 4; i++) {
        if (used + toks[i].len >= sizeof s)
            break;
        memcpy(s + used, toks[i].p, toks[i].len);
        used += toks[i].len;
        s[used] = '\0';
    }
    char *end = NULL;
    unsigned long mul = strtoul(s, &end, 10);
    static const struct {
        const char *name;
        int exp;
    } units[] = {{"s", 0}, {"ms", -3}, {"us", -6}, {"ns", -9}, {"ps", -12}, {"fs", -15}};
    if (end != s && (mul == 1 || mul == 10 || mul == 100))
        for (size_t i = 0; i < sizeof units / sizeof units[0]; i++)
            if (!strcmp(end, units[i].name)) {
                out->timescale_mul = (unsigned)mul;
                out->timescale_exp = units[i].exp;
                return true;
            }
    set_err(v->err, v->errlen, "%s:%u: bad $timescale '%s' (expected 1|10|100 followed by s|ms|us|ns|ps|fs)",
            v->path, kw->line, s);
    return false;
}

static bool vcd_header(vcd_t *v, wave_want_fn want, void *ctx, wave_trace_t *out)
{
    char scope[1024] = "";
    size_t depth = 0;
    vcd_tok_t t, toks[8];
    size_t n;
    for (;;) {
        if (!vcd_next(v, &t)) {
            set_err(v->err, v->errlen, "%s:%u: truncated: end of file before $enddefinitions", v->path,
                    v->line);
            return false;
        }
        if (t.p[0] != '$') {
            set_err(v->err, v->errlen, "%s:%u: unexpected '%.*s' in the header (expected a $keyword)",
                    v->path, t.line, (int)(t.len > 40 ? 40 : t.len), t.p);
            return false;
        }
        if (!vcd_block(v, &t, toks, 8, &n))
            return false;
        if (tok_is(&t, "$enddefinitions"))
            return true;
        if (tok_is(&t, "$timescale")) {
            if (!vcd_timescale(v, &t, toks, n, out))
                return false;
        } else if (tok_is(&t, "$scope")) {
            if (n < 2) {
                set_err(v->err, v->errlen, "%s:%u: $scope needs a type and a name", v->path, t.line);
                return false;
            }
            size_t used = strlen(scope);
            if (used + toks[1].len + 2 >= sizeof scope) {
                set_err(v->err, v->errlen, "%s:%u: scope path too long", v->path, t.line);
                return false;
            }
            if (used)
                scope[used++] = '.';
            memcpy(scope + used, toks[1].p, toks[1].len);
            scope[used + toks[1].len] = '\0';
            depth++;
        } else if (tok_is(&t, "$upscope")) {
            if (!depth) {
                set_err(v->err, v->errlen, "%s:%u: $upscope without a matching $scope", v->path, t.line);
                return false;
            }
            char *dot = strrchr(scope, '.');
            if (dot)
                *dot = '\0';
            else
                scope[0] = '\0';
            depth--;
        } else if (tok_is(&t, "$var")) {
            if (n < 4) {
                set_err(v->err, v->errlen, "%s:%u: $var needs type, size, identifier and name", v->path,
                        t.line);
                return false;
            }
            char num[16];
            size_t nl = toks[1].len < sizeof num - 1 ? toks[1].len : sizeof num - 1;
            memcpy(num, toks[1].p, nl);
            num[nl] = '\0';
            char *end = NULL;
            errno = 0;
            unsigned long width = strtoul(num, &end, 10);
            if (errno || end == num || *end || width == 0 || width > (1ul << 20)) {
                set_err(v->err, v->errlen, "%s:%u: $var size '%s' is not a positive integer", v->path,
                        t.line, num);
                return false;
            }
            char name[512];
            size_t len = toks[3].len < sizeof name - 1 ? toks[3].len : sizeof name - 1;
            memcpy(name, toks[3].p, len);
            name[len] = '\0';
            vcd_id_t *id;
            if (!vcd_id_insert(v, toks[2].p, toks[2].len, &id)) {
                set_err(v->err, v->errlen, "%s: out of memory", v->path);
                return false;
            }
            if (want(scope, name, (unsigned)width, ctx)) {
                if (!wave_add_signal(out, scope, name, (unsigned)width)) {
                    set_err(v->err, v->errlen, "%s: out of memory", v->path);
                    return false;
                }
                int *grown = realloc(v->next_alias, out->nsig * sizeof *grown);
                if (!grown) {
                    set_err(v->err, v->errlen, "%s: out of memory", v->path);
                    return false;
                }
                v->next_alias = grown;
                v->next_alias[out->nsig - 1] = id->first_sig;
                id->first_sig = (int)(out->nsig - 1);
            }
        }
        /* $date, $version, $comment and unknown keywords: block already skipped. */
    }
}

static bool vcd_apply(vcd_t *v, wave_trace_t *out, const vcd_tok_t *idtok, uint64_t time,
                      const char *bits, size_t nbits)
{
    vcd_id_t *id = vcd_id_lookup(v, idtok->p, idtok->len);
    if (!id) {
        set_err(v->err, v->errlen, "%s:%u: value change for undeclared identifier '%.*s'", v->path,
                idtok->line, (int)(idtok->len > 20 ? 20 : idtok->len), idtok->p);
        return false;
    }
    for (int s = id->first_sig; s >= 0; s = v->next_alias[s]) {
        wave_signal_t *sig = &out->sig[s];
        uint64_t value, xmask;
        wave_parse_bits(bits, nbits, &value, &xmask);
        /* Left-extend a short vector: with 0 for 0/1, with x/z for x/z. */
        if (nbits < sig->width && nbits < 64 && (bits[0] != '0' && bits[0] != '1')) {
            unsigned w = sig->width < 64 ? sig->width : 64;
            uint64_t fill = (w == 64 ? ~0ull : ((1ull << w) - 1)) & ~((1ull << nbits) - 1);
            xmask |= fill;
        }
        if (!wave_push(sig, time, value, xmask)) {
            set_err(v->err, v->errlen, "%s: out of memory", v->path);
            return false;
        }
    }
    return true;
}

static bool vcd_body(vcd_t *v, wave_trace_t *out)
{
    vcd_tok_t t, idt;
    uint64_t time = 0;
    bool seen_time = false;
    while (vcd_next(v, &t)) {
        char c = t.p[0];
        if (c == '#') {
            uint64_t nt = 0;
            if (t.len < 2) {
                set_err(v->err, v->errlen, "%s:%u: '#' without a time", v->path, t.line);
                return false;
            }
            for (size_t i = 1; i < t.len; i++) {
                if (!isdigit((unsigned char)t.p[i]) || nt > (UINT64_MAX - 9) / 10) {
                    set_err(v->err, v->errlen, "%s:%u: bad time '%.*s'", v->path, t.line,
                            (int)(t.len > 30 ? 30 : t.len), t.p);
                    return false;
                }
                nt = nt * 10 + (uint64_t)(t.p[i] - '0');
            }
            if (seen_time && nt < time) {
                set_err(v->err, v->errlen, "%s:%u: time goes backwards (#%llu after #%llu)", v->path,
                        t.line, (unsigned long long)nt, (unsigned long long)time);
                return false;
            }
            time = nt;
            seen_time = true;
            if (time > out->t_last)
                out->t_last = time;
        } else if (c == '$') {
            if (tok_is(&t, "$comment")) {
                size_t n;
                if (!vcd_block(v, &t, NULL, 0, &n))
                    return false;
            }
            /* $dumpvars/$dumpall/$dumpon/$dumpoff/$end only bracket value changes. */
        } else if (c == '0' || c == '1' || c == 'x' || c == 'X' || c == 'z' || c == 'Z') {
            if (t.len < 2) {
                set_err(v->err, v->errlen, "%s:%u: scalar change '%c' without an identifier", v->path,
                        t.line, c);
                return false;
            }
            idt = (vcd_tok_t){t.p + 1, t.len - 1, t.line};
            if (!vcd_apply(v, out, &idt, time, t.p, 1))
                return false;
        } else if (c == 'b' || c == 'B' || c == 'r' || c == 'R') {
            if (!vcd_next(v, &idt) || idt.line != t.line) {
                set_err(v->err, v->errlen, "%s:%u: truncated: vector value without an identifier",
                        v->path, t.line);
                return false;
            }
            if (c == 'r' || c == 'R') {
                if (!vcd_id_lookup(v, idt.p, idt.len)) {
                    set_err(v->err, v->errlen, "%s:%u: value change for undeclared identifier '%.*s'",
                            v->path, idt.line, (int)(idt.len > 20 ? 20 : idt.len), idt.p);
                    return false;
                }
                continue; /* real values are not used by bitcycle */
            }
            for (size_t i = 1; i < t.len; i++)
                if (!strchr("01xXzZ", t.p[i])) {
                    set_err(v->err, v->errlen, "%s:%u: bad vector value '%.*s'", v->path, t.line,
                            (int)(t.len > 40 ? 40 : t.len), t.p);
                    return false;
                }
            if (t.len < 2) {
                set_err(v->err, v->errlen, "%s:%u: empty vector value", v->path, t.line);
                return false;
            }
            if (!vcd_apply(v, out, &idt, time, t.p + 1, t.len - 1))
                return false;
        } else {
            set_err(v->err, v->errlen, "%s:%u: unexpected '%.*s' in the value changes", v->path, t.line,
                    (int)(t.len > 40 ? 40 : t.len), t.p);
            return false;
        }
    }
    return true;
}

int wave_load_vcd(const char *path, wave_want_fn want, void *ctx, wave_trace_t *out, char *err,
                  size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->fmt = WAVE_FMT_VCD;
    out->timescale_exp = -12;
    out->timescale_mul = 1;
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    char *buf = NULL;
    size_t size = 0, cap = 0;
    for (;;) {
        if (size == cap) {
            cap = cap ? cap * 2 : 1 << 16;
            char *grown = realloc(buf, cap);
            if (!grown) {
                free(buf);
                fclose(fp);
                set_err(err, errlen, "%s: out of memory", path);
                return -1;
            }
            buf = grown;
        }
        size_t got = fread(buf + size, 1, cap - size, fp);
        size += got;
        if (got == 0)
            break;
    }
    bool read_error = ferror(fp);
    fclose(fp);
    if (read_error) {
        free(buf);
        set_err(err, errlen, "%s: read error", path);
        return -1;
    }
    /* Writers end every line; a partial last line means the file was cut. */
    if (size && buf[size - 1] != '\n') {
        unsigned lines = 1;
        for (size_t i = 0; i < size; i++)
            lines += buf[i] == '\n';
        set_err(err, errlen, "%s:%u: truncated: the file ends in the middle of a line", path, lines);
        free(buf);
        return -1;
    }
    vcd_t v = {.path = path, .buf = buf, .size = size, .line = 1, .err = err, .errlen = errlen};
    bool ok = vcd_header(&v, want, ctx, out) && vcd_body(&v, out);
    free(v.ids);
    free(v.next_alias);
    free(buf);
    if (!ok) {
        wave_free(out);
        return -1;
    }
    return 0;
}

int wave_load(const char *path, wave_want_fn want, void *ctx, wave_trace_t *out, char *err,
              size_t errlen)
{
    memset(out, 0, sizeof *out);
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    unsigned char head[64];
    size_t n = fread(head, 1, sizeof head, fp);
    fclose(fp);
    if (n == 0) {
        set_err(err, errlen, "%s: empty file (not an FST or VCD trace)", path);
        return -1;
    }
    /* FST starts with its header block (type 0) or a gzip wrapper block (254). */
    if (head[0] == 0 || head[0] == 254)
        return wave_load_fst(path, want, ctx, out, err, errlen);
    size_t i = 0;
    while (i < n && isspace(head[i]))
        i++;
    if (i < n && head[i] == '$')
        return wave_load_vcd(path, want, ctx, out, err, errlen);
    set_err(err, errlen, "%s: not an FST or VCD trace (unrecognised first bytes)", path);
    return -1;
}
