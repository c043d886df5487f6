/* FST traces through the fstapi that ships with Verilator.
 *
 * fstapi trusts its input: on a damaged file it may call exit() or read out of
 * bounds. So the block chain is checked here first (catches truncation with a
 * precise message), and fstapi itself runs in a child process that streams the
 * wanted signals back over a pipe; a child that dies becomes a clear error. */
#include "wave_trace.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fstapi.h"

/* fstapi loops forever on some damaged hierarchies, so the child runs under a CPU
 * watchdog (immune to a loaded machine): 2 s for the hierarchy, then time
 * proportional to the file; plus a generous wall-clock alarm against blocking. */
#define FST_HIER_CPU_SECONDS 2u
#define FST_BYTES_PER_SECOND (4u << 20)

static void cpu_limit(rlim_t seconds)
{
    struct rlimit cur;
    if (getrlimit(RLIMIT_CPU, &cur) == 0) {
        cur.rlim_cur = seconds;
        if (cur.rlim_max != RLIM_INFINITY && cur.rlim_cur > cur.rlim_max)
            cur.rlim_cur = cur.rlim_max;
        setrlimit(RLIMIT_CPU, &cur);
    }
}

static void set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void set_err(char *err, size_t errlen, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

static const char *block_name(int type)
{
    switch (type) {
    case FST_BL_HDR: return "header";
    case FST_BL_VCDATA:
    case FST_BL_VCDATA_DYN_ALIAS:
    case FST_BL_VCDATA_DYN_ALIAS2: return "value-change";
    case FST_BL_BLACKOUT: return "blackout";
    case FST_BL_GEOM: return "geometry";
    case FST_BL_HIER:
    case FST_BL_HIER_LZ4:
    case FST_BL_HIER_LZ4DUO: return "hierarchy";
    default: return "unknown";
    }
}

/* Walk the block chain: type byte, big-endian 64-bit length (counting itself), payload. */
static int fst_check_blocks(const char *path, uint64_t *file_size, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        set_err(err, errlen, "%s: %s", path, strerror(errno));
        return -1;
    }
    if (fseeko(fp, 0, SEEK_END) != 0) {
        fclose(fp);
        set_err(err, errlen, "%s: cannot seek", path);
        return -1;
    }
    uint64_t size = (uint64_t)ftello(fp);
    *file_size = size;
    uint64_t pos = 0;
    unsigned nblocks = 0, nvc = 0, nhier = 0, ngeom = 0;
    int rc = 0;
    rewind(fp);
    int first = fgetc(fp);
    if (first == FST_BL_ZWRAPPER) { /* whole file gzip-wrapped: fstapi unpacks and checks it */
        fclose(fp);
        return 0;
    }
    while (pos < size) {
        unsigned char h[9];
        if (fseeko(fp, (off_t)pos, SEEK_SET) != 0 || size - pos < 9 || fread(h, 1, 9, fp) != 9) {
            set_err(err, errlen, "%s: truncated FST: block %u at offset %llu has no complete header "
                    "(file is %llu bytes)", path, nblocks, (unsigned long long)pos,
                    (unsigned long long)size);
            rc = -1;
            break;
        }
        uint64_t len = 0;
        for (int i = 1; i < 9; i++)
            len = (len << 8) | h[i];
        int type = h[0];
        if (type == FST_BL_SKIP) {
            set_err(err, errlen, "%s: incomplete FST: block %u at offset %llu was never finished "
                    "(the simulation did not close the trace)", path, nblocks, (unsigned long long)pos);
            rc = -1;
            break;
        }
        if (type > FST_BL_VCDATA_DYN_ALIAS2 || (nblocks == 0 && type != FST_BL_HDR)) {
            set_err(err, errlen, "%s: corrupt FST: block %u at offset %llu has type %d%s", path, nblocks,
                    (unsigned long long)pos, type, nblocks == 0 ? " (expected the header block)" : "");
            rc = -1;
            break;
        }
        if (len < 8 || len > size - pos - 1) {
            set_err(err, errlen, "%s: truncated FST: %s block %u at offset %llu claims %llu bytes, "
                    "only %llu remain", path, block_name(type), nblocks, (unsigned long long)pos,
                    (unsigned long long)len, (unsigned long long)(size - pos - 1));
            rc = -1;
            break;
        }
        if (type == FST_BL_VCDATA || type == FST_BL_VCDATA_DYN_ALIAS || type == FST_BL_VCDATA_DYN_ALIAS2)
            nvc++;
        if (type == FST_BL_HIER || type == FST_BL_HIER_LZ4 || type == FST_BL_HIER_LZ4DUO)
            nhier++;
        if (type == FST_BL_GEOM)
            ngeom++;
        pos += 1 + len;
        nblocks++;
    }
    fclose(fp);
    if (rc == 0 && (nvc == 0 || nhier == 0 || ngeom == 0)) {
        set_err(err, errlen, "%s: incomplete FST: %s missing (%u blocks read)", path,
                !nhier ? "hierarchy block" : !ngeom ? "geometry block" : "value-change blocks", nblocks);
        rc = -1;
    }
    return rc;
}

/* ---- child: fstapi -> pipe ---------------------------------------------------- */

typedef struct child_var {
    fstHandle handle;
    uint32_t slot; /* index of the signal on the parent side */
} child_var_t;

typedef struct child_ctx {
    FILE *out;
    child_var_t *vars;
    size_t nvars;
} child_ctx_t;

static void put_u64(FILE *fp, uint64_t v) { fwrite(&v, sizeof v, 1, fp); }
static void put_u32(FILE *fp, uint32_t v) { fwrite(&v, sizeof v, 1, fp); }
static void put_str(FILE *fp, const char *s)
{
    uint32_t n = (uint32_t)strlen(s);
    put_u32(fp, n);
    fwrite(s, 1, n, fp);
}

static void child_change(void *user, uint64_t time, fstHandle facidx, const unsigned char *value)
{
    child_ctx_t *c = user;
    uint64_t v, x;
    wave_parse_bits((const char *)value, strlen((const char *)value), &v, &x);
    for (size_t i = 0; i < c->nvars; i++)
        if (c->vars[i].handle == facidx) {
            fputc('C', c->out);
            put_u32(c->out, c->vars[i].slot);
            put_u64(c->out, time);
            put_u64(c->out, v);
            put_u64(c->out, x);
        }
}

static void child_change_varlen(void *user, uint64_t time, fstHandle facidx, const unsigned char *value,
                                uint32_t len)
{
    (void)user, (void)time, (void)facidx, (void)value, (void)len; /* strings: not used by bitcycle */
}

static int child_main(const char *path, wave_want_fn want, void *ctx, FILE *out, uint64_t size)
{
    struct rlimit nocore = {0, 0};
    setrlimit(RLIMIT_CORE, &nocore); /* a crash here is reported, not dumped */
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    rlim_t used = (rlim_t)ru.ru_utime.tv_sec + (rlim_t)ru.ru_stime.tv_sec + 1;
    cpu_limit(used + FST_HIER_CPU_SECONDS + (rlim_t)(size / FST_BYTES_PER_SECOND / 4));
    alarm(120 + (unsigned)(size / FST_BYTES_PER_SECOND));
    void *r = fstReaderOpen(path);
    if (!r)
        return 3;
    fputc('H', out);
    put_u32(out, (uint32_t)(int32_t)fstReaderGetTimescale(r));
    put_u64(out, fstReaderGetEndTime(r));
    child_ctx_t c = {.out = out};
    char scope[1024] = "";
    size_t cap = 0;
    struct fstHier *h;
    uint64_t nvars_seen = 0;
    fstReaderIterateHierRewind(r);
    while ((h = fstReaderIterateHier(r))) {
        if (h->htyp == FST_HT_SCOPE) {
            size_t used = strlen(scope);
            if (used + h->u.scope.name_length + 2 >= sizeof scope)
                return 4;
            if (used)
                scope[used++] = '.';
            memcpy(scope + used, h->u.scope.name, h->u.scope.name_length);
            scope[used + h->u.scope.name_length] = '\0';
        } else if (h->htyp == FST_HT_UPSCOPE) {
            char *dot = strrchr(scope, '.');
            if (dot)
                *dot = '\0';
            else
                scope[0] = '\0';
        } else if (h->htyp == FST_HT_VAR) {
            nvars_seen++;
            char name[512];
            snprintf(name, sizeof name, "%s", h->u.var.name);
            wave_strip_range(name);
            if (!want(scope, name, h->u.var.length, ctx))
                continue;
            if (c.nvars == cap) {
                cap = cap ? cap * 2 : 32;
                child_var_t *grown = realloc(c.vars, cap * sizeof *grown);
                if (!grown)
                    return 5;
                c.vars = grown;
            }
            c.vars[c.nvars] = (child_var_t){h->u.var.handle, (uint32_t)c.nvars};
            fputc('V', out);
            put_u32(out, h->u.var.length);
            put_str(out, scope);
            put_str(out, name);
            c.nvars++;
        }
    }
    /* A damaged hierarchy often just ends early: the header says how many to expect. */
    if (nvars_seen != fstReaderGetVarCount(r)) {
        fputc('N', out);
        put_u64(out, nvars_seen);
        put_u64(out, fstReaderGetVarCount(r));
        fflush(out);
        return 9;
    }
    cpu_limit(used + 30 + (rlim_t)(size / FST_BYTES_PER_SECOND));
    fstReaderClrFacProcessMaskAll(r);
    for (size_t i = 0; i < c.nvars; i++)
        fstReaderSetFacProcessMask(r, c.vars[i].handle);
    if (c.nvars && !fstReaderIterBlocks2(r, child_change, child_change_varlen, &c, NULL))
        return 6;
    fputc('Z', out);
    fstReaderClose(r);
    free(c.vars);
    return fflush(out) == 0 ? 0 : 7;
}

/* ---- parent: pipe -> trace ---------------------------------------------------- */

static bool get_u64(FILE *fp, uint64_t *v) { return fread(v, sizeof *v, 1, fp) == 1; }
static bool get_u32(FILE *fp, uint32_t *v) { return fread(v, sizeof *v, 1, fp) == 1; }
static bool get_str(FILE *fp, char *buf, size_t len)
{
    uint32_t n;
    if (!get_u32(fp, &n) || n >= len)
        return false;
    if (fread(buf, 1, n, fp) != n)
        return false;
    buf[n] = '\0';
    return true;
}

/* Returns 1 on a complete stream, 2 on a short hierarchy, 0 when it ended early,
 * -1 on out of memory. */
static int read_stream(FILE *in, wave_trace_t *out, uint64_t counts[2])
{
    char scope[1024], name[512];
    for (;;) {
        int tag = fgetc(in);
        uint32_t u32, slot;
        uint64_t t, v, x;
        switch (tag) {
        case 'H':
            if (!get_u32(in, &u32) || !get_u64(in, &out->t_last))
                return 0;
            out->timescale_exp = (int32_t)u32;
            break;
        case 'V':
            if (!get_u32(in, &u32) || !get_str(in, scope, sizeof scope) || !get_str(in, name, sizeof name))
                return 0;
            if (!wave_add_signal(out, scope, name, u32))
                return -1;
            break;
        case 'C':
            if (!get_u32(in, &slot) || !get_u64(in, &t) || !get_u64(in, &v) || !get_u64(in, &x))
                return 0;
            if (slot >= out->nsig)
                return 0;
            if (!wave_push(&out->sig[slot], t, v, x))
                return -1;
            break;
        case 'N':
            if (!get_u64(in, &t) || !get_u64(in, &v))
                return 0;
            counts[0] = t;
            counts[1] = v;
            return 2;
        case 'Z':
            return 1;
        default:
            return 0;
        }
    }
}

int wave_load_fst(const char *path, wave_want_fn want, void *ctx, wave_trace_t *out, char *err,
                  size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->fmt = WAVE_FMT_FST;
    out->timescale_mul = 1;
    out->timescale_exp = -12;
    uint64_t size = 0;
    if (fst_check_blocks(path, &size, err, errlen) != 0)
        return -1;
    int fds[2];
    if (pipe(fds) != 0) {
        set_err(err, errlen, "%s: pipe: %s", path, strerror(errno));
        return -1;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(fds[0]);
        close(fds[1]);
        set_err(err, errlen, "%s: fork: %s", path, strerror(errno));
        return -1;
    }
    if (pid == 0) {
        close(fds[0]);
        FILE *w = fdopen(fds[1], "wb");
        int rc = w ? child_main(path, want, ctx, w, size) : 8;
        if (w)
            fflush(w);
        _exit(rc); /* no atexit handlers of the parent in the child */
    }
    close(fds[1]);
    FILE *in = fdopen(fds[0], "rb");
    uint64_t counts[2] = {0, 0};
    int got = in ? read_stream(in, out, counts) : 0;
    if (in) {
        /* Drain so a child blocked on a full pipe can finish. */
        char sink[4096];
        while (fread(sink, 1, sizeof sink, in) > 0) {
        }
        fclose(in);
    } else {
        close(fds[0]);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (got == 1 && WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return 0;
    wave_free(out);
    if (got < 0)
        set_err(err, errlen, "%s: out of memory while loading the trace", path);
    else if (got == 2)
        set_err(err, errlen, "%s: corrupt FST: the hierarchy lists %llu of the %llu variables the header "
                "declares", path, (unsigned long long)counts[0], (unsigned long long)counts[1]);
    else if (WIFSIGNALED(status) && (WTERMSIG(status) == SIGALRM || WTERMSIG(status) == SIGXCPU))
        set_err(err, errlen, "%s: corrupt FST: the fstapi reader stopped making progress (watchdog)", path);
    else if (WIFSIGNALED(status))
        set_err(err, errlen, "%s: corrupt FST: the fstapi reader crashed (signal %d)", path, WTERMSIG(status));
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
        set_err(err, errlen, "%s: corrupt FST: fstapi could not open it (bad header, hierarchy or no "
                "value changes)", path);
    else
        set_err(err, errlen, "%s: corrupt FST: the fstapi reader failed (exit status %d)", path,
                WIFEXITED(status) ? WEXITSTATUS(status) : -1);
    return -1;
}
