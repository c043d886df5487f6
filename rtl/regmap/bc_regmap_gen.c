/* bc_regmap_gen: reads rtl/regmap/bitcycle.regs and writes the C header,
 * the SystemVerilog constants package and the markdown table.
 *
 *   bc_regmap_gen REGS --c OUT.h --sv OUT.sv --md-in DOC.md --md OUT.md
 *
 * --md splices the table between the GENERATED markers of --md-in so the
 * prose around it stays hand-written. Outputs are written atomically. */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_ITEMS 256
#define NAME_LEN 48
#define TEXT_LEN 160

#define MD_BEGIN "<!-- BEGIN GENERATED from rtl/regmap/bitcycle.regs by `make regs`; do not edit -->"
#define MD_END "<!-- END GENERATED -->"

typedef enum { ACC_RO, ACC_RW, ACC_WO, ACC_W1C, ACC_W1S } access_t;
static const char *const access_names[] = {"ro", "rw", "wo", "w1c", "w1s"};

typedef struct param {
    char name[NAME_LEN];
    uint32_t value;
    char text[TEXT_LEN];
} param_t;

typedef struct field {
    char name[NAME_LEN];
    unsigned msb, lsb;
    access_t access;
    uint32_t reset;
    char reset_param[NAME_LEN]; /* empty unless reset = param:NAME */
    char text[TEXT_LEN];
} field_t;

typedef struct reg {
    char name[NAME_LEN];
    uint32_t offset;
    bool is64; /* counter pair; no fields */
    char unit[NAME_LEN]; /* counters: what one count is */
    char text[TEXT_LEN];
    field_t fields[32];
    unsigned nfields;
} reg_t;

typedef struct errcode {
    char name[NAME_LEN];
    uint32_t code;
    char text[TEXT_LEN];
} errcode_t;

static param_t params[MAX_ITEMS];
static unsigned nparams;
static reg_t regs[MAX_ITEMS];
static unsigned nregs;
static errcode_t errs[MAX_ITEMS];
static unsigned nerrs;
static const char *src_path;

static void die(unsigned line, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void die(unsigned line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (line)
        fprintf(stderr, "bc_regmap_gen: %s:%u: ", src_path, line);
    else
        fprintf(stderr, "bc_regmap_gen: ");
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(2);
}

/* Tokenizer: words separated by blanks, "quoted text" as one token. */
static unsigned split(char *s, char **tok, unsigned max, unsigned line)
{
    unsigned n = 0;
    while (*s) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '#')
            break;
        if (n == max)
            die(line, "too many words");
        if (*s == '"') {
            tok[n++] = ++s;
            while (*s && *s != '"')
                s++;
            if (*s != '"')
                die(line, "unterminated quoted text");
            *s++ = '\0';
        } else {
            tok[n++] = s;
            while (*s && *s != ' ' && *s != '\t')
                s++;
            if (*s)
                *s++ = '\0';
        }
    }
    return n;
}

static uint32_t parse_u32(const char *s, const char *what, unsigned line)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || v > 0xFFFFFFFFull || s[0] == '-')
        die(line, "%s: '%s' is not a 32-bit unsigned number", what, s);
    return (uint32_t)v;
}

static void check_name(const char *s, unsigned line)
{
    if (!isupper((unsigned char)s[0]))
        die(line, "name '%s' must start with an upper-case letter", s);
    for (const char *p = s; *p; p++)
        if (!isupper((unsigned char)*p) && !isdigit((unsigned char)*p) && *p != '_')
            die(line, "name '%s' may only hold A-Z, 0-9 and _", s);
    if (strlen(s) >= NAME_LEN)
        die(line, "name '%s' is longer than %d characters", s, NAME_LEN - 1);
}

static void copy_text(char *dst, const char *src, unsigned line)
{
    if (strlen(src) >= TEXT_LEN)
        die(line, "description longer than %d characters", TEXT_LEN - 1);
    strcpy(dst, src);
}

static const param_t *find_param(const char *name)
{
    for (unsigned i = 0; i < nparams; i++)
        if (!strcmp(params[i].name, name))
            return &params[i];
    return NULL;
}

/* A counter's unit: a short word such as cycles, bytes or DPU-cycles. */
static void check_unit(const char *u, unsigned line)
{
    size_t n = strlen(u);
    if (n == 0 || n >= NAME_LEN)
        die(line, "counter unit '%s' must be 1..%d characters", u, NAME_LEN - 1);
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)u[i]) && u[i] != '-' && u[i] != '_')
            die(line, "counter unit '%s': only letters, digits, '-' and '_'", u);
}

static void check_reg_overlap(const reg_t *r, unsigned line)
{
    uint32_t lo = r->offset, hi = r->offset + (r->is64 ? 8u : 4u);
    for (unsigned i = 0; i + 1 < nregs; i++) {
        const reg_t *o = &regs[i];
        uint32_t olo = o->offset, ohi = o->offset + (o->is64 ? 8u : 4u);
        if (!strcmp(o->name, r->name))
            die(line, "register '%s' defined twice", r->name);
        if (lo < ohi && olo < hi)
            die(line, "register '%s' at 0x%03x overlaps '%s' at 0x%03x", r->name, r->offset, o->name,
                o->offset);
    }
}

static void parse(const char *path)
{
    src_path = path;
    FILE *fp = fopen(path, "r");
    if (!fp)
        die(0, "%s: %s", path, strerror(errno));
    char buf[512];
    unsigned line = 0;
    reg_t *cur = NULL;
    while (fgets(buf, sizeof buf, fp)) {
        line++;
        size_t len = strlen(buf);
        if (len && buf[len - 1] == '\n')
            buf[--len] = '\0';
        else if (!feof(fp))
            die(line, "line longer than %zu characters", sizeof buf - 2);
        char *tok[8];
        unsigned n = split(buf, tok, 8, line);
        if (!n)
            continue;
        if (!strcmp(tok[0], "param")) {
            if (n != 4)
                die(line, "param: expected: param NAME VALUE \"text\"");
            check_name(tok[1], line);
            if (find_param(tok[1]))
                die(line, "param '%s' defined twice", tok[1]);
            if (nparams == MAX_ITEMS)
                die(line, "too many params");
            param_t *p = &params[nparams++];
            strcpy(p->name, tok[1]);
            p->value = parse_u32(tok[2], "param value", line);
            copy_text(p->text, tok[3], line);
        } else if (!strcmp(tok[0], "reg") || !strcmp(tok[0], "reg64") || !strcmp(tok[0], "counter")) {
            bool counter = !strcmp(tok[0], "counter");
            if (counter && n != 5)
                die(line, "counter: expected: counter NAME OFFSET UNIT \"text\"");
            if (!counter && n != 4)
                die(line, "%s: expected: %s NAME OFFSET \"text\"", tok[0], tok[0]);
            check_name(tok[1], line);
            if (nregs == MAX_ITEMS)
                die(line, "too many registers");
            cur = &regs[nregs++];
            memset(cur, 0, sizeof *cur);
            strcpy(cur->name, tok[1]);
            cur->is64 = counter || !strcmp(tok[0], "reg64");
            if (cur->is64 && strncmp(cur->name, "CNT_", 4))
                die(line, "counter '%s': name must start with CNT_", cur->name);
            if (counter) {
                check_unit(tok[3], line);
                strcpy(cur->unit, tok[3]);
            } else if (cur->is64) {
                strcpy(cur->unit, "events");
            }
            cur->offset = parse_u32(tok[2], "register offset", line);
            if (cur->offset % (cur->is64 ? 8u : 4u))
                die(line, "register '%s': offset 0x%x is not %u-byte aligned", cur->name, cur->offset,
                    cur->is64 ? 8u : 4u);
            if (cur->offset >= 0x1000)
                die(line, "register '%s': offset 0x%x outside the 4 KiB register window", cur->name,
                    cur->offset);
            copy_text(cur->text, tok[counter ? 4 : 3], line);
            check_reg_overlap(cur, line);
            if (cur->is64)
                cur = NULL; /* counters take no fields */
        } else if (!strcmp(tok[0], "field")) {
            if (n != 6)
                die(line, "field: expected: field NAME MSB:LSB ACCESS RESET \"text\"");
            if (!cur)
                die(line, "field '%s' outside a 32-bit reg", tok[1]);
            check_name(tok[1], line);
            if (cur->nfields == 32)
                die(line, "too many fields in '%s'", cur->name);
            field_t *f = &cur->fields[cur->nfields++];
            memset(f, 0, sizeof *f);
            strcpy(f->name, tok[1]);
            char *colon = strchr(tok[2], ':');
            if (!colon)
                die(line, "field '%s': bit range '%s' must be MSB:LSB", f->name, tok[2]);
            *colon = '\0';
            f->msb = parse_u32(tok[2], "field msb", line);
            f->lsb = parse_u32(colon + 1, "field lsb", line);
            if (f->msb > 31 || f->lsb > f->msb)
                die(line, "field '%s': bit range %u:%u must satisfy 31 >= MSB >= LSB", f->name, f->msb,
                    f->lsb);
            unsigned a;
            for (a = 0; a < 5; a++)
                if (!strcmp(tok[3], access_names[a]))
                    break;
            if (a == 5)
                die(line, "field '%s': access '%s' is not one of ro, rw, wo, w1c, w1s", f->name, tok[3]);
            f->access = (access_t)a;
            if (!strncmp(tok[4], "param:", 6)) {
                const param_t *p = find_param(tok[4] + 6);
                if (!p)
                    die(line, "field '%s': unknown param '%s'", f->name, tok[4] + 6);
                strcpy(f->reset_param, p->name);
                f->reset = p->value;
            } else {
                f->reset = parse_u32(tok[4], "field reset", line);
            }
            unsigned width = f->msb - f->lsb + 1;
            if (width < 32 && (f->reset >> width))
                die(line, "field '%s': reset 0x%x does not fit in %u bits", f->name, f->reset, width);
            for (unsigned i = 0; i + 1 < cur->nfields; i++) {
                const field_t *o = &cur->fields[i];
                if (!strcmp(o->name, f->name))
                    die(line, "field '%s' defined twice in '%s'", f->name, cur->name);
                if (f->lsb <= o->msb && o->lsb <= f->msb)
                    die(line, "field '%s' overlaps field '%s' in '%s'", f->name, o->name, cur->name);
            }
            copy_text(f->text, tok[5], line);
        } else if (!strcmp(tok[0], "error")) {
            if (n != 4)
                die(line, "error: expected: error NAME CODE \"text\"");
            check_name(tok[1], line);
            if (nerrs == MAX_ITEMS)
                die(line, "too many error codes");
            errcode_t *e = &errs[nerrs++];
            strcpy(e->name, tok[1]);
            e->code = parse_u32(tok[2], "error code", line);
            if (e->code > 31)
                die(line, "error '%s': code %u does not fit ERR_CODE (5 bits)", e->name, e->code);
            for (unsigned i = 0; i + 1 < nerrs; i++)
                if (errs[i].code == e->code || !strcmp(errs[i].name, e->name))
                    die(line, "error '%s' (%u) repeats '%s' (%u)", e->name, e->code, errs[i].name,
                        errs[i].code);
            copy_text(e->text, tok[3], line);
        } else {
            die(line, "unknown keyword '%s' (expected param, reg, reg64, counter, field, error)", tok[0]);
        }
    }
    if (ferror(fp))
        die(0, "%s: read error", path);
    fclose(fp);
    for (unsigned i = 0; i < nregs; i++)
        if (!regs[i].is64 && !regs[i].nfields)
            die(0, "%s: register '%s' has no fields", path, regs[i].name);
    if (!nregs)
        die(0, "%s: no registers", path);
}

static uint32_t field_mask(const field_t *f)
{
    unsigned w = f->msb - f->lsb + 1;
    uint32_t m = w == 32 ? 0xFFFFFFFFu : ((1u << w) - 1u);
    return m << f->lsb;
}

static uint32_t reg_reset(const reg_t *r)
{
    uint32_t v = 0;
    for (unsigned i = 0; i < r->nfields; i++)
        v |= r->fields[i].reset << r->fields[i].lsb;
    return v;
}

static uint32_t reg_mask_of(const reg_t *r, int access)
{
    uint32_t m = 0;
    for (unsigned i = 0; i < r->nfields; i++)
        if (access < 0 || (int)r->fields[i].access == access)
            m |= field_mask(&r->fields[i]);
    return m;
}

/* ---- atomic output ---- */
typedef struct out {
    FILE *fp;
    char path[1024], tmp[1100];
} out_t;

static void out_open(out_t *o, const char *path)
{
    if (strlen(path) >= sizeof o->path)
        die(0, "output path too long: %s", path);
    strcpy(o->path, path);
    snprintf(o->tmp, sizeof o->tmp, "%s.tmp.%ld", path, (long)getpid());
    o->fp = fopen(o->tmp, "w");
    if (!o->fp)
        die(0, "%s: %s", o->tmp, strerror(errno));
}

static void out_commit(out_t *o)
{
    bool bad = ferror(o->fp) != 0;
    if (fclose(o->fp) != 0 || bad) {
        remove(o->tmp);
        die(0, "%s: write error", o->tmp);
    }
    if (rename(o->tmp, o->path) != 0) {
        remove(o->tmp);
        die(0, "%s: %s", o->path, strerror(errno));
    }
}

static const char *reg_kind(const reg_t *r)
{
    bool ro = true;
    for (unsigned i = 0; i < r->nfields; i++)
        if (r->fields[i].access != ACC_RO)
            ro = false;
    return ro ? "ro" : "rw";
}

/* Lower-case C identifier of a counter: CNT_DPU_ACTIVE -> dpu_active. */
static void counter_ident(const reg_t *r, char *out)
{
    const char *n = r->name + 4;
    size_t i = 0;
    for (; n[i]; i++)
        out[i] = (char)tolower((unsigned char)n[i]);
    out[i] = 0;
}

/* The counters as data: count, an X-macro every table expands, and the size
 * of the register space (the highest register end, rounded to a power of 2). */
static void write_c_counters(FILE *fp)
{
    unsigned ncnt = 0;
    uint32_t end = 0;
    for (unsigned i = 0; i < nregs; i++) {
        uint32_t e = regs[i].offset + (regs[i].is64 ? 8u : 4u);
        if (e > end)
            end = e;
        ncnt += regs[i].is64;
    }
    uint32_t space = 4;
    while (space < end)
        space <<= 1;
    fprintf(fp, "\n/* Bytes of register space decoded (every offset is below it). */\n"
                "#define BC_REG_SPACE_BYTES 0x%03Xu\n", space);
    fprintf(fp, "\n/* Performance counters (64-bit, LO at the offset, HI at offset + 4). */\n"
                "#define BC_NUM_COUNTERS %uu\n"
                "/* X(name, LO offset, \"unit\", \"description\") in register order. */\n"
                "#define BC_COUNTERS(X)", ncnt);
    for (unsigned i = 0; i < nregs; i++) {
        const reg_t *r = &regs[i];
        if (!r->is64)
            continue;
        char id[NAME_LEN];
        counter_ident(r, id);
        fprintf(fp, " \\\n    X(%s, 0x%03Xu, \"%s\", \"%s\")", id, r->offset, r->unit, r->text);
    }
    fprintf(fp, "\n");
}

/* Entries of bc_reg_table (a 64-bit counter is two). */
static void write_c_len(FILE *fp)
{
    unsigned count = 0;
    for (unsigned i = 0; i < nregs; i++)
        count += regs[i].is64 ? 2u : 1u;
    fprintf(fp, "#define BC_REG_TABLE_LEN %uu\n", count);
}

static void write_c(const char *path)
{
    out_t o;
    out_open(&o, path);
    FILE *fp = o.fp;
    fprintf(fp, "/* Generated from rtl/regmap/bitcycle.regs by bc_regmap_gen; do not edit. */\n");
    fprintf(fp, "#ifndef BC_REGS_H\n#define BC_REGS_H\n#include <stdint.h>\n\n");
    fprintf(fp, "/* Hardware parameters of the default configuration (read the CFG_* registers\n"
                " * at run time instead of relying on these). */\n");
    for (unsigned i = 0; i < nparams; i++)
        fprintf(fp, "#define BC_PARAM_%s 0x%08Xu /* %s */\n", params[i].name, params[i].value,
                params[i].text);
    fprintf(fp, "\n/* Register byte offsets, reset values, writable-bit masks. */\n");
    for (unsigned i = 0; i < nregs; i++) {
        const reg_t *r = &regs[i];
        if (r->is64) {
            fprintf(fp, "#define BC_REG_%s_LO 0x%03Xu /* %s, bits 31:0 */\n", r->name, r->offset, r->text);
            fprintf(fp, "#define BC_REG_%s_HI 0x%03Xu /* %s, bits 63:32 */\n", r->name, r->offset + 4,
                    r->text);
            continue;
        }
        fprintf(fp, "#define BC_REG_%s 0x%03Xu /* %s */\n", r->name, r->offset, r->text);
        fprintf(fp, "#define BC_REG_%s_RESET 0x%08Xu\n", r->name, reg_reset(r));
        uint32_t wmask = reg_mask_of(r, ACC_RW);
        fprintf(fp, "#define BC_REG_%s_RWMASK 0x%08Xu\n", r->name, wmask);
        for (unsigned j = 0; j < r->nfields; j++) {
            const field_t *f = &r->fields[j];
            fprintf(fp, "#define BC_%s_%s_SHIFT %uu\n", r->name, f->name, f->lsb);
            fprintf(fp, "#define BC_%s_%s_MASK 0x%08Xu /* %s, %s */\n", r->name, f->name, field_mask(f),
                    access_names[f->access], f->text);
            fprintf(fp, "#define BC_%s_%s_RESET 0x%Xu\n", r->name, f->name, f->reset);
        }
    }
    write_c_counters(fp);
    fprintf(fp, "\n/* ERR_CODE values. */\ntypedef enum bc_err_code {\n");
    for (unsigned i = 0; i < nerrs; i++)
        fprintf(fp, "    BC_ERR_%s = %u, /* %s */\n", errs[i].name, errs[i].code, errs[i].text);
    fprintf(fp, "} bc_err_code_t;\n#define BC_ERR_COUNT %uu\n", nerrs);
    fprintf(fp, "/* X(NAME, CODE, \"text\") for every error code. */\n#define BC_ERRORS(X)");
    for (unsigned i = 0; i < nerrs; i++)
        fprintf(fp, " \\\n    X(%s, %uu, \"%s\")", errs[i].name, errs[i].code, errs[i].text);
    fprintf(fp, "\n\n");
    fprintf(fp, "/* Register table for generic CSR tests; define BC_REGS_WANT_TABLE to get it. */\n"
                "typedef struct bc_reg_desc {\n"
                "    const char *name;\n    uint32_t offset, reset, rw_mask, w1c_mask, w1s_mask;\n"
                "    int is_ro; /* every field read-only: writes answer SLVERR */\n"
                "    int is_counter; /* half of a 64-bit counter */\n"
                "} bc_reg_desc_t;\n");
    write_c_len(fp);
    fprintf(fp, "#endif /* BC_REGS_H */\n\n"
                "/* The tables, outside the main guard: a file may include bc_regs.h through\n"
                " * another header first and still ask for them. */\n"
                "#if defined(BC_REGS_WANT_TABLE) && !defined(BC_REGS_TABLES_)\n#define BC_REGS_TABLES_\n"
                "static const bc_reg_desc_t bc_reg_table[] = {\n");
    unsigned count = 0;
    for (unsigned i = 0; i < nregs; i++) {
        const reg_t *r = &regs[i];
        if (r->is64) {
            fprintf(fp, "    {\"%s_LO\", 0x%03Xu, 0u, 0u, 0u, 0u, 1, 1},\n", r->name, r->offset);
            fprintf(fp, "    {\"%s_HI\", 0x%03Xu, 0u, 0u, 0u, 0u, 1, 1},\n", r->name, r->offset + 4);
            count += 2;
        } else {
            fprintf(fp, "    {\"%s\", 0x%03Xu, 0x%08Xu, 0x%08Xu, 0x%08Xu, 0x%08Xu, %d, 0},\n", r->name,
                    r->offset, reg_reset(r), reg_mask_of(r, ACC_RW), reg_mask_of(r, ACC_W1C),
                    reg_mask_of(r, ACC_W1S), !strcmp(reg_kind(r), "ro"));
            count++;
        }
    }
    (void)count;
    fprintf(fp, "};\n\n");
    fprintf(fp, "/* Error names, indexed by code. */\n"
                "static const char *const bc_err_names[] = {\n");
    for (unsigned c = 0; c < 32; c++)
        for (unsigned i = 0; i < nerrs; i++)
            if (errs[i].code == c)
                fprintf(fp, "    [%u] = \"%s\",\n", c, errs[i].name);
    fprintf(fp, "};\n#endif\n");
    out_commit(&o);
}

static void write_sv(const char *path)
{
    out_t o;
    out_open(&o, path);
    FILE *fp = o.fp;
    fprintf(fp, "// Generated from rtl/regmap/bitcycle.regs by bc_regmap_gen; do not edit.\n");
    fprintf(fp, "// A constants package: each user needs only some of the names.\n");
    fprintf(fp, "/* verilator lint_off UNUSEDPARAM */\npackage bc_regs_pkg;\n\n");
    fprintf(fp, "  // Hardware parameters of the default configuration.\n");
    for (unsigned i = 0; i < nparams; i++)
        fprintf(fp, "  localparam logic [31:0] P_%s = 32'h%08x;  // %s\n", params[i].name, params[i].value,
                params[i].text);
    fprintf(fp, "\n  // Register byte offsets (12-bit register window).\n");
    for (unsigned i = 0; i < nregs; i++) {
        const reg_t *r = &regs[i];
        if (r->is64) {
            fprintf(fp, "  localparam logic [11:0] R_%s_LO = 12'h%03x;\n", r->name, r->offset);
            fprintf(fp, "  localparam logic [11:0] R_%s_HI = 12'h%03x;\n", r->name, r->offset + 4);
        } else {
            fprintf(fp, "  localparam logic [11:0] R_%s = 12'h%03x;\n", r->name, r->offset);
        }
    }
    unsigned ncnt = 0;
    uint32_t cnt_base = 0;
    for (unsigned i = 0; i < nregs; i++) {
        if (!regs[i].is64)
            continue;
        if (!ncnt)
            cnt_base = regs[i].offset;
        else if (regs[i].offset != cnt_base + 8 * ncnt)
            die(0, "%s: counter '%s' breaks the contiguous counter block at 0x%03x", src_path,
                regs[i].name, cnt_base);
        ncnt++;
    }
    fprintf(fp, "\n  // Counters form one contiguous block of 64-bit LO/HI pairs.\n");
    fprintf(fp, "  localparam logic [11:0] R_CNT_BASE = 12'h%03x;\n", cnt_base);
    fprintf(fp, "  localparam int N_COUNTERS = %u;\n", ncnt);
    for (unsigned i = 0, c = 0; i < nregs; i++)
        if (regs[i].is64)
            fprintf(fp, "  localparam int C_%s = %u;\n", regs[i].name, c++);
    fprintf(fp, "\n  // Field positions and widths, register reset values.\n");
    for (unsigned i = 0; i < nregs; i++) {
        const reg_t *r = &regs[i];
        if (r->is64)
            continue;
        fprintf(fp, "  localparam logic [31:0] R_%s_RESET = 32'h%08x;\n", r->name, reg_reset(r));
        fprintf(fp, "  localparam logic [31:0] R_%s_RWMASK = 32'h%08x;\n", r->name, reg_mask_of(r, ACC_RW));
        for (unsigned j = 0; j < r->nfields; j++) {
            const field_t *f = &r->fields[j];
            fprintf(fp, "  localparam int F_%s_%s_LSB = %u;\n", r->name, f->name, f->lsb);
            fprintf(fp, "  localparam int F_%s_%s_W = %u;\n", r->name, f->name, f->msb - f->lsb + 1);
        }
    }
    fprintf(fp, "\n  // ERR_CODE values.\n");
    for (unsigned i = 0; i < nerrs; i++)
        fprintf(fp, "  localparam logic [4:0] ERR_%s = 5'd%u;  // %s\n", errs[i].name, errs[i].code,
                errs[i].text);
    fprintf(fp, "\nendpackage\n/* verilator lint_on UNUSEDPARAM */\n");
    out_commit(&o);
}

static void md_escape(FILE *fp, const char *s)
{
    for (; *s; s++) {
        if (*s == '|')
            fputs("\\|", fp);
        else
            fputc(*s, fp);
    }
}

static void write_md_table(FILE *fp)
{
    fprintf(fp, "%s\n\n", MD_BEGIN);
    fprintf(fp, "### Parameters (default configuration)\n\n| name | value | meaning |\n|---|---|---|\n");
    for (unsigned i = 0; i < nparams; i++) {
        fprintf(fp, "| `%s` | %u (0x%X) | ", params[i].name, params[i].value, params[i].value);
        md_escape(fp, params[i].text);
        fprintf(fp, " |\n");
    }
    fprintf(fp, "\n### Registers\n\n| offset | register | bits | field | access | reset | description |\n"
                "|---|---|---|---|---|---|---|\n");
    for (unsigned i = 0; i < nregs; i++) {
        const reg_t *r = &regs[i];
        if (r->is64) {
            fprintf(fp, "| 0x%03X | `%s_LO` | 31:0 | VALUE | ro | 0 | ", r->offset, r->name);
            md_escape(fp, r->text);
            fprintf(fp, " (%s), low half |\n| 0x%03X | `%s_HI` | 31:0 | VALUE | ro | 0 | high half |\n",
                    r->unit, r->offset + 4, r->name);
            continue;
        }
        for (unsigned j = 0; j < r->nfields; j++) {
            const field_t *f = &r->fields[j];
            if (j == 0)
                fprintf(fp, "| 0x%03X | `%s` | ", r->offset, r->name);
            else
                fprintf(fp, "| | | ");
            if (f->msb == f->lsb)
                fprintf(fp, "%u", f->lsb);
            else
                fprintf(fp, "%u:%u", f->msb, f->lsb);
            fprintf(fp, " | %s | %s | ", f->name, access_names[f->access]);
            if (f->reset_param[0])
                fprintf(fp, "`%s`", f->reset_param);
            else if (f->reset > 9)
                fprintf(fp, "0x%X", f->reset);
            else
                fprintf(fp, "%u", f->reset);
            fprintf(fp, " | ");
            if (j == 0) {
                md_escape(fp, r->text);
                fprintf(fp, ": ");
            }
            md_escape(fp, f->text);
            fprintf(fp, " |\n");
        }
    }
    fprintf(fp, "\n### Error codes (`ERR_CODE`)\n\n| code | name | meaning |\n|---|---|---|\n");
    for (unsigned i = 0; i < nerrs; i++) {
        fprintf(fp, "| %u | `%s` | ", errs[i].code, errs[i].name);
        md_escape(fp, errs[i].text);
        fprintf(fp, " |\n");
    }
    fprintf(fp, "\n%s\n", MD_END);
}

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        die(0, "%s: %s", path, strerror(errno));
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    if (!buf)
        die(0, "out of memory");
    size_t got;
    while ((got = fread(buf + len, 1, cap - len - 1, fp)) > 0) {
        len += got;
        if (cap - len < 2) {
            cap *= 2;
            char *nb = realloc(buf, cap);
            if (!nb)
                die(0, "out of memory");
            buf = nb;
        }
    }
    if (ferror(fp))
        die(0, "%s: read error", path);
    fclose(fp);
    buf[len] = '\0';
    return buf;
}

static void write_md(const char *in_path, const char *path)
{
    char *doc = slurp(in_path);
    char *b = strstr(doc, MD_BEGIN);
    char *e = b ? strstr(b, MD_END) : NULL;
    if (!b || !e)
        die(0, "%s: missing the markers '%s' ... '%s'", in_path, MD_BEGIN, MD_END);
    out_t o;
    out_open(&o, path);
    fwrite(doc, 1, (size_t)(b - doc), o.fp);
    write_md_table(o.fp);
    fputs(e + strlen(MD_END) + (e[strlen(MD_END)] == '\n' ? 1 : 0), o.fp);
    out_commit(&o);
    free(doc);
}

int main(int argc, char **argv)
{
    const char *regs_path = NULL, *c_out = NULL, *sv_out = NULL, *md_in = NULL, *md_out = NULL;
    for (int i = 1; i < argc; i++) {
        const char **dst = NULL;
        if (!strcmp(argv[i], "--c"))
            dst = &c_out;
        else if (!strcmp(argv[i], "--sv"))
            dst = &sv_out;
        else if (!strcmp(argv[i], "--md-in"))
            dst = &md_in;
        else if (!strcmp(argv[i], "--md"))
            dst = &md_out;
        else if (argv[i][0] == '-')
            die(0, "unknown option '%s' (expected --c, --sv, --md-in, --md)", argv[i]);
        else if (regs_path)
            die(0, "more than one description file ('%s', '%s')", regs_path, argv[i]);
        else
            regs_path = argv[i];
        if (dst) {
            if (i + 1 >= argc)
                die(0, "option '%s' needs a file name", argv[i]);
            *dst = argv[++i];
        }
    }
    if (!regs_path)
        die(0, "usage: bc_regmap_gen REGS [--c OUT.h] [--sv OUT.sv] [--md-in DOC.md --md OUT.md]");
    if ((md_out != NULL) != (md_in != NULL))
        die(0, "--md and --md-in go together");
    parse(regs_path);
    if (c_out)
        write_c(c_out);
    if (sv_out)
        write_sv(sv_out);
    if (md_out)
        write_md(md_in, md_out);
    return 0;
}
