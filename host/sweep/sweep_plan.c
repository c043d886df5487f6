/* Sweep file -> validated axes -> the product of their values (minus the
 * excluded combinations) -> points and distinct hardware configurations.
 * The file is JSON read with cJSON; cJSON keeps no positions, so a field's
 * line is found by locating its key in the text. */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "bc_schedule.h"
#include "est/est.h"
#include "sweep.h"

static const char *const dataset_choices[] = {"cifar10", "cifar100", "imagenet", "fashion-mnist", "ptb", NULL};
static const char *const dram_choices[] = {"ddr3", "ddr4", "lpddr4", "hbm2", NULL};

/* The axes; a new estimate option is one line here. Hardware axes form the
 * calibration configuration when `bitcycle calibrate` accepts their option. */
const sweep_axis_def_t sweep_axis_defs[] = {
    {"model", "--model", SWEEP_STR, false, 0, 0, NULL},
    {"topology", "--topology", SWEEP_STR, false, 0, 0, NULL},
    {"dataset", "--dataset", SWEEP_STR, false, 0, 0, dataset_choices},
    {"samples", "--samples", SWEEP_INT, false, 1, 1099511627776.0, NULL},
    {"batch", "--batch", SWEEP_INT, false, 1, 1 << 20, NULL},
    {"epochs", "--epochs", SWEEP_INT, false, 1, 1000000, NULL},
    {"iters", "--iters", SWEEP_INT, false, 1, 4294967296.0, NULL},
    {"schedule", "--schedule", SWEEP_STR, false, 0, 0, NULL},
    {"grad_bits", "--grad-bits", SWEEP_INT, false, 1, 16, NULL},
    {"grad_schedule", "--grad-schedule", SWEEP_STR, false, 0, 0, NULL},
    {"cycles", "--cycles", SWEEP_INT, false, 1, 1000000, NULL},
    {"baseline", "--baseline", SWEEP_STR, false, 0, 0, NULL},
    {"dm", "--dm", SWEEP_INT, true, 1, 1024, NULL},
    {"dn", "--dn", SWEEP_INT, true, 1, 1024, NULL},
    {"dk", "--dk", SWEEP_INT, true, 1, 4096, NULL},
    {"abuf_words", "--abuf-words", SWEEP_INT, true, 2, 1 << 24, NULL},
    {"bbuf_words", "--bbuf-words", SWEEP_INT, true, 2, 1 << 24, NULL},
    {"axi_width", "--axi-width", SWEEP_INT, true, 64, 512, NULL},
    {"queue_depth", "--queue-depth", SWEEP_INT, true, 1, 1024, NULL},
    {"clock_mhz", "--clock-mhz", SWEEP_REAL, true, 1e-3, 1e5, NULL},
    {"mem_bw", "--mem-bw", SWEEP_REAL, true, 1e-3, 8.0, NULL},
    {"mem_latency", "--mem-latency", SWEEP_INT, true, 0, 100000, NULL},
    {"dram", "--dram", SWEEP_STR, false, 0, 0, dram_choices},
    {"wb_bits", "--wb-bits", SWEEP_INT, false, 16, 32, NULL},
    {"energy", "--energy", SWEEP_STR, false, 0, 0, NULL},
    {"no_calibrate", "--no-calibrate", SWEEP_BOOL, false, 0, 0, NULL},
    {NULL, NULL, SWEEP_INT, false, 0, 0, NULL},
};

static const char *const top_keys[] = {"description", "command", "axes", "fixed", "exclude", "plots", NULL};

uint64_t sweep_fnv1a(const void *data, size_t len, uint64_t h)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++)
        h = (h ^ p[i]) * 1099511628211ull;
    return h;
}

bool sweep_hash_file(const char *path, char out[17], char *err, size_t errlen)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return false;
    }
    uint64_t h = 1469598103934665603ull;
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        h = sweep_fnv1a(buf, n, h);
    bool ok = !ferror(fp);
    fclose(fp);
    if (!ok) {
        snprintf(err, errlen, "%s: read error", path);
        return false;
    }
    snprintf(out, 17, "%016llx", (unsigned long long)h);
    return true;
}

/* ------------------------------------------------------------ positions */

static unsigned line_at(const char *text, size_t off)
{
    unsigned line = 1;
    for (size_t i = 0; i < off && text[i]; i++)
        line += text[i] == '\n';
    return line;
}

/* Offset of the first `"key"` followed by ':' at or after from; from when absent. */
static size_t key_offset(const char *text, size_t from, const char *key)
{
    size_t klen = strlen(key);
    for (const char *p = text + from; (p = strchr(p, '"')) != NULL; p++) {
        if (!strncmp(p + 1, key, klen) && p[1 + klen] == '"') {
            const char *q = p + klen + 2;
            while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r')
                q++;
            if (*q == ':')
                return (size_t)(p - text);
        }
    }
    return from;
}

typedef struct ld {
    sweep_t *s;
    char *err;
    size_t errlen;
    size_t axes_off, fixed_off;
} ld_t;

static bool fail_at(ld_t *l, size_t off, const char *fmt, const char *a, const char *b, const char *c)
{
    char msg[768];
    snprintf(msg, sizeof msg, fmt, a, b, c);
    snprintf(l->err, l->errlen, "%s:%u: %s", l->s->path, line_at(l->s->text, off), msg);
    return false;
}

/* ------------------------------------------------------------ values */

static const sweep_axis_def_t *find_def(const char *name)
{
    for (size_t i = 0; sweep_axis_defs[i].name; i++)
        if (!strcmp(sweep_axis_defs[i].name, name))
            return &sweep_axis_defs[i];
    return NULL;
}

static void list_names(char *buf, size_t len, const char *const *names, size_t stride_defs)
{
    buf[0] = '\0';
    for (size_t i = 0;; i++) {
        const char *n = stride_defs ? sweep_axis_defs[i].name : names[i];
        if (!n)
            break;
        size_t u = strlen(buf);
        snprintf(buf + u, len - u, "%s%s", i ? ", " : "", n);
    }
}

/* Checks a string value the way estimate will: schedules parse, models and
 * files load. Returns false with msg. */
static bool check_string(const sweep_axis_def_t *d, const char *v, char *msg, size_t len)
{
    if (!*v || strlen(v) > 255) {
        snprintf(msg, len, "must be 1..255 characters");
        return false;
    }
    for (const char *p = v; *p; p++)
        if ((unsigned char)*p < 0x20) {
            snprintf(msg, len, "contains a control character");
            return false;
        }
    if (d->choices) {
        for (size_t i = 0; d->choices[i]; i++)
            if (!strcmp(d->choices[i], v))
                return true;
        char names[256];
        list_names(names, sizeof names, d->choices, 0);
        snprintf(msg, len, "unknown value '%s' (valid: %s)", v, names);
        return false;
    }
    char err[768] = "";
    bool ok = true;
    if (!strcmp(d->name, "schedule") || !strcmp(d->name, "grad_schedule") || !strcmp(d->name, "baseline")) {
        bc_sched_t sc;
        ok = bc_sched_parse(v, &sc, err, sizeof err) == 0;
    } else if (!strcmp(d->name, "model") || !strcmp(d->name, "topology")) {
        est_model_t m;
        ok = !strcmp(d->name, "model") ? est_model_resolve(v, 0, &m, err, sizeof err)
                                       : est_topology_load(v, &m, err, sizeof err);
        if (ok)
            est_model_free(&m);
    } else if (!strcmp(d->name, "energy")) {
        est_energy_t e;
        ok = est_energy_load(v, &e, err, sizeof err);
    }
    if (!ok)
        snprintf(msg, len, "%s", err);
    return ok;
}

/* Canonical text of one JSON value of axis d, or false with msg. */
static bool value_text(const sweep_axis_def_t *d, const cJSON *v, char *out, size_t len, char *msg, size_t mlen,
                       bool validate)
{
    switch (d->type) {
    case SWEEP_INT:
    case SWEEP_REAL: {
        if (!cJSON_IsNumber(v)) {
            snprintf(msg, mlen, "values must be numbers");
            return false;
        }
        double x = v->valuedouble;
        if (!isfinite(x) || x < d->lo || x > d->hi || (d->type == SWEEP_INT && x != floor(x))) {
            snprintf(msg, mlen, "value %.10g is not %s in %.10g..%.10g", x, d->type == SWEEP_INT ? "a whole number" : "a number",
                     d->lo, d->hi);
            return false;
        }
        if (d->type == SWEEP_INT)
            snprintf(out, len, "%lld", (long long)x);
        else
            snprintf(out, len, "%.10g", x);
        return true;
    }
    case SWEEP_BOOL:
        if (!cJSON_IsBool(v)) {
            snprintf(msg, mlen, "value must be true or false");
            return false;
        }
        snprintf(out, len, "%s", cJSON_IsTrue(v) ? "true" : "false");
        return true;
    case SWEEP_STR:
        if (!cJSON_IsString(v)) {
            snprintf(msg, mlen, "values must be strings");
            return false;
        }
        if (validate && !check_string(d, v->valuestring, msg, mlen))
            return false;
        snprintf(out, len, "%s", v->valuestring);
        return true;
    }
    return false;
}

static bool add_axis(ld_t *l, const cJSON *item, bool fixed)
{
    sweep_t *s = l->s;
    size_t off = key_offset(s->text, fixed ? l->fixed_off : l->axes_off, item->string);
    const char *where = fixed ? "fixed" : "axes";
    const sweep_axis_def_t *d = find_def(item->string);
    if (!d) {
        char names[1024];
        list_names(names, sizeof names, NULL, 1);
        return fail_at(l, off, "%s: unknown axis '%s' (valid: %s)", where, item->string, names);
    }
    for (size_t i = 0; i < s->n_axes; i++)
        if (s->axes[i].def == d)
            return fail_at(l, off, "%s: duplicate axis '%s'%s", where, d->name,
                           s->axes[i].fixed != fixed ? " (in both axes and fixed)" : "");
    if (s->n_axes == SWEEP_MAX_AXES)
        return fail_at(l, off, "%s: more than %s axes%s", where, "32", "");
    const cJSON *vals = item;
    size_t n = 1;
    if (cJSON_IsArray(item)) {
        n = (size_t)cJSON_GetArraySize(item);
        if (fixed)
            return fail_at(l, off, "fixed: '%s' takes one value, not a list (lists go under axes)%s", d->name, "", "");
        if (n == 0)
            return fail_at(l, off, "axes: '%s' has no values: the product would be empty%s", d->name, "", "");
        if (n > SWEEP_MAX_VALUES)
            return fail_at(l, off, "axes: '%s' has more than %s values", d->name, "256", "");
        vals = item->child;
    } else if (!fixed) {
        return fail_at(l, off, "axes: '%s' must be a list of values%s", d->name, "", "");
    }
    sweep_axis_t *a = &s->axes[s->n_axes];
    a->def = d;
    a->line = line_at(s->text, off);
    a->fixed = fixed;
    a->values = calloc(n, sizeof *a->values);
    if (!a->values)
        return fail_at(l, off, "out of memory%s%s%s", "", "", "");
    s->n_axes++;
    for (size_t i = 0; i < n; i++, vals = vals->next) {
        char text[300], msg[900];
        if (!value_text(d, vals, text, sizeof text, msg, sizeof msg, true))
            return fail_at(l, off, "%s: '%s': %s", where, d->name, msg);
        for (size_t j = 0; j < a->n; j++)
            if (!strcmp(a->values[j], text))
                return fail_at(l, off, "%s: '%s': value '%s' is listed twice", where, d->name, text);
        a->values[a->n] = strdup(text);
        if (!a->values[a->n])
            return fail_at(l, off, "out of memory%s%s%s", "", "", "");
        a->n++;
    }
    return true;
}

static long axis_index(const sweep_t *s, const char *name)
{
    for (size_t i = 0; i < s->n_axes; i++)
        if (!strcmp(s->axes[i].def->name, name))
            return (long)i;
    return -1;
}

/* Options estimate refuses together, found before anything runs. */
static bool check_exclusive(ld_t *l)
{
    static const char *const pairs[][2] = {
        {"model", "topology"}, {"epochs", "iters"}, {"grad_bits", "grad_schedule"}};
    sweep_t *s = l->s;
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        long a = axis_index(s, pairs[i][0]), b = axis_index(s, pairs[i][1]);
        if (a >= 0 && b >= 0)
            return fail_at(l, key_offset(s->text, 0, pairs[i][1]), "'%s' and '%s' cannot both be given: estimate "
                           "takes one of them%s", pairs[i][0], pairs[i][1], "");
    }
    if (axis_index(s, "model") < 0 && axis_index(s, "topology") < 0)
        return fail_at(l, 0, "no 'model' or 'topology' axis: every point needs a workload%s%s%s", "", "", "");
    long nc = axis_index(s, "no_calibrate");
    if (nc >= 0 && !s->axes[nc].fixed)
        return fail_at(l, key_offset(s->text, 0, "no_calibrate"), "'no_calibrate' belongs under fixed%s%s%s", "", "", "");
    s->no_calibrate = nc >= 0 && !strcmp(s->axes[nc].values[0], "true");
    return true;
}

/* ------------------------------------------------------------ probing */

/* Runs `bitcycle CMD --help` and returns its output (malloc'd) or NULL. */
static char *help_text(const sweep_t *s, const char *cmd)
{
    char tmp[] = "/tmp/bitcycle-sweep-help-XXXXXX";
    int fd = mkstemp(tmp);
    if (fd < 0)
        return NULL;
    close(fd);
    char *argv[] = {(char *)s->self, (char *)cmd, "--help", NULL};
    char e[256];
    long pid = sweep_spawn(argv, tmp, "/dev/null", e, sizeof e);
    char *text = NULL;
    if (pid > 0 && sweep_wait(pid) == 0) {
        FILE *fp = fopen(tmp, "r");
        if (fp) {
            text = calloc(1, 65536);
            if (text)
                (void)!fread(text, 1, 65535, fp);
            fclose(fp);
        }
    }
    unlink(tmp);
    return text;
}

static bool help_has(const char *help, const char *flag)
{
    size_t n = strlen(flag);
    for (const char *p = help; p && (p = strstr(p, flag)) != NULL; p += n)
        if (p[n] == ' ' || p[n] == '\n' || p[n] == ',' || p[n] == ']' || p[n] == '=')
            return true;
    return false;
}

/* Every axis must be an option this build's estimate has. */
static bool check_options(ld_t *l)
{
    sweep_t *s = l->s;
    if (!s->probe)
        return true;
    char *help = help_text(s, "estimate");
    if (!help)
        return fail_at(l, 0, "cannot run '%s estimate --help' to check the axes%s%s", s->self, "", "");
    bool ok = true;
    for (size_t i = 0; i < s->n_axes && ok; i++)
        if (!help_has(help, s->axes[i].def->flag)) {
            size_t off = key_offset(s->text, 0, s->axes[i].def->name);
            ok = fail_at(l, off, "axis '%s' needs 'bitcycle estimate %s', which this build does not have%s",
                         s->axes[i].def->name, s->axes[i].def->flag, "");
        }
    free(help);
    return ok;
}

/* ------------------------------------------------------------ product */

static bool excluded(const sweep_t *s, const cJSON *exclude, const uint16_t *idx)
{
    for (const cJSON *e = exclude ? exclude->child : NULL; e; e = e->next) {
        bool all = true;
        for (const cJSON *k = e->child; k && all; k = k->next) {
            long a = axis_index(s, k->string);
            bool any = false;
            const cJSON *v = cJSON_IsArray(k) ? k->child : k;
            for (; v && !any; v = cJSON_IsArray(k) ? v->next : NULL) {
                char text[300], msg[64];
                any = value_text(s->axes[a].def, v, text, sizeof text, msg, sizeof msg, false) &&
                      !strcmp(text, s->axes[a].values[idx[a]]);
            }
            all = any;
        }
        if (all)
            return true;
    }
    return false;
}

static bool check_exclude(ld_t *l, const cJSON *exclude)
{
    sweep_t *s = l->s;
    size_t off = key_offset(s->text, 0, "exclude");
    if (!cJSON_IsArray(exclude))
        return fail_at(l, off, "exclude: must be a list of objects%s%s%s", "", "", "");
    for (const cJSON *e = exclude->child; e; e = e->next) {
        if (!cJSON_IsObject(e) || !e->child)
            return fail_at(l, off, "exclude: each entry must be an object of axis values%s%s%s", "", "", "");
        for (const cJSON *k = e->child; k; k = k->next) {
            size_t koff = key_offset(s->text, off, k->string);
            long a = axis_index(s, k->string);
            if (a < 0 || s->axes[a].fixed)
                return fail_at(l, koff, "exclude: '%s' is not an axis of this sweep%s%s", k->string, "", "");
            const cJSON *v = cJSON_IsArray(k) ? k->child : k;
            for (; v; v = cJSON_IsArray(k) ? v->next : NULL) {
                char text[300], msg[900];
                if (!value_text(s->axes[a].def, v, text, sizeof text, msg, sizeof msg, false))
                    return fail_at(l, koff, "exclude: '%s': %s%s", k->string, msg, "");
                bool found = false;
                for (size_t j = 0; j < s->axes[a].n; j++)
                    found |= !strcmp(s->axes[a].values[j], text);
                if (!found)
                    return fail_at(l, koff, "exclude: '%s': value '%s' is not one of the axis's values", k->string,
                                   text, "");
            }
        }
    }
    return true;
}

static bool expand(ld_t *l, const cJSON *exclude)
{
    sweep_t *s = l->s;
    uint64_t total = 1;
    for (size_t a = 0; a < s->n_axes; a++) {
        total *= s->axes[a].n;
        if (total > SWEEP_MAX_POINTS)
            return fail_at(l, 0, "the product has more than %s points%s%s", "100000", "", "");
    }
    s->pidx = malloc((size_t)total * (s->n_axes ? s->n_axes : 1) * sizeof *s->pidx);
    if (!s->pidx)
        return fail_at(l, 0, "out of memory%s%s%s", "", "", "");
    uint16_t idx[SWEEP_MAX_AXES] = {0};
    for (uint64_t p = 0; p < total; p++) {
        if (!excluded(s, exclude, idx)) {
            memcpy(s->pidx + s->n_points * s->n_axes, idx, s->n_axes * sizeof *idx);
            s->n_points++;
        }
        for (size_t a = s->n_axes; a-- > 0;) { /* odometer: the last axis turns fastest */
            if (++idx[a] < s->axes[a].n)
                break;
            idx[a] = 0;
        }
    }
    if (s->n_points == 0)
        return fail_at(l, key_offset(s->text, 0, "exclude"), "empty product: exclude removes all %s points%s%s",
                       total == 1 ? "1" : "the", "", "");
    return true;
}

/* ------------------------------------------------------------ configurations */

static void apply_hw(bc_hw_t *hw, const char *name, const char *v)
{
    double x = strtod(v, NULL);
    if (!strcmp(name, "dm")) hw->dm = (unsigned)x;
    else if (!strcmp(name, "dn")) hw->dn = (unsigned)x;
    else if (!strcmp(name, "dk")) hw->dk = (unsigned)x;
    else if (!strcmp(name, "abuf_words")) hw->abuf_words = (unsigned)x;
    else if (!strcmp(name, "bbuf_words")) hw->bbuf_words = (unsigned)x;
    else if (!strcmp(name, "mem_bw")) hw->mem_bytes_per_cycle = x;
    else if (!strcmp(name, "mem_latency")) hw->mem_latency = (unsigned)x;
    else if (!strcmp(name, "clock_mhz")) hw->clock_hz = x * 1e6;
}

void sweep_check_cache(sweep_t *s)
{
    char hash[17], err[512];
    bool have_hash = est_rtl_hash("rtl/bitcycle.f", hash, err, sizeof err);
    for (size_t c = 0; c < s->n_configs; c++) {
        sweep_config_t *cf = &s->configs[c];
        est_calib_file_t f;
        bc_hw_t hw;
        bc_hw_default(&hw);
        for (size_t i = 0; i + 1 < cf->nargs; i += 2)
            for (size_t a = 0; a < s->n_axes; a++)
                if (!strcmp(s->axes[a].def->flag, cf->args[i]))
                    apply_hw(&hw, s->axes[a].def->name, cf->args[i + 1]);
        char cfg[160];
        est_hw_config_str(&hw, cfg, sizeof cfg);
        cf->cached = have_hash && est_calib_read(cf->calib, &f, err, sizeof err) == 1 && !strcmp(f.rtl_hash, hash) &&
                     !strcmp(f.config, cfg);
    }
}

/* Distinct values of the hardware axes that calibrate takes; with none, one
 * configuration (the RTL's default). */
static bool find_configs(ld_t *l)
{
    sweep_t *s = l->s;
    s->pconfig = calloc(s->n_points, sizeof *s->pconfig);
    s->configs = calloc(s->n_points, sizeof *s->configs);
    if (!s->pconfig || !s->configs)
        return fail_at(l, 0, "out of memory%s%s%s", "", "", "");
    if (s->no_calibrate)
        return true;
    char *help = s->probe ? help_text(s, "calibrate") : NULL;
    bool takes[SWEEP_MAX_AXES] = {false};
    for (size_t a = 0; a < s->n_axes; a++)
        takes[a] = s->axes[a].def->hardware && help && help_has(help, s->axes[a].def->flag);
    free(help);
    for (size_t p = 0; p < s->n_points; p++) {
        sweep_config_t cf;
        memset(&cf, 0, sizeof cf);
        size_t used = 0;
        for (size_t a = 0; a < s->n_axes; a++)
            if (takes[a]) {
                const char *v = sweep_value(s, p, a);
                used += (size_t)snprintf(cf.key + used, used < sizeof cf.key ? sizeof cf.key - used : 0, "%s%s=%s",
                                         used ? "," : "", s->axes[a].def->name, v);
                cf.args[cf.nargs++] = (char *)s->axes[a].def->flag;
                cf.args[cf.nargs++] = (char *)v;
            }
        if (!used)
            snprintf(cf.key, sizeof cf.key, "default");
        size_t c = 0;
        while (c < s->n_configs && strcmp(s->configs[c].key, cf.key))
            c++;
        if (c == s->n_configs) {
            uint64_t h = sweep_fnv1a(cf.key, strlen(cf.key), 1469598103934665603ull);
            if (used)
                snprintf(cf.calib, sizeof cf.calib, "%s/calib-%016llx.txt", s->calib_dir, (unsigned long long)h);
            else
                snprintf(cf.calib, sizeof cf.calib, "%s/calib-default.txt", s->calib_dir);
            s->configs[s->n_configs++] = cf;
        }
        s->pconfig[p] = c;
    }
    sweep_check_cache(s);
    return true;
}

/* ------------------------------------------------------------ plots */

static bool read_plots(ld_t *l, const cJSON *plots)
{
    sweep_t *s = l->s;
    size_t off = key_offset(s->text, 0, "plots");
    if (!plots)
        return true;
    if (!cJSON_IsObject(plots))
        return fail_at(l, off, "plots: must be an object%s%s%s", "", "", "");
    for (const cJSON *k = plots->child; k; k = k->next) {
        size_t koff = key_offset(s->text, off, k->string);
        if (!strcmp(k->string, "heatmap")) {
            if (!cJSON_IsArray(k) || cJSON_GetArraySize(k) != 2 || !cJSON_IsString(k->child) ||
                !cJSON_IsString(k->child->next))
                return fail_at(l, koff, "plots: heatmap must be a list of two axis names%s%s%s", "", "", "");
            snprintf(s->heat_x, sizeof s->heat_x, "%s", k->child->valuestring);
            snprintf(s->heat_y, sizeof s->heat_y, "%s", k->child->next->valuestring);
        } else if (!strcmp(k->string, "series")) {
            if (!cJSON_IsString(k))
                return fail_at(l, koff, "plots: series must be an axis name%s%s%s", "", "", "");
            snprintf(s->series, sizeof s->series, "%s", k->valuestring);
        } else {
            return fail_at(l, koff, "plots: unknown field '%s' (valid: heatmap, series)%s%s", k->string, "", "");
        }
    }
    const char *names[3] = {s->heat_x, s->heat_y, s->series};
    for (size_t i = 0; i < 3; i++) {
        long a = names[i][0] ? axis_index(s, names[i]) : 0;
        if (a < 0 || (names[i][0] && (s->axes[a].fixed || s->axes[a].n < 2)))
            return fail_at(l, off, "plots: '%s' is not an axis with two or more values%s%s", names[i], "", "");
    }
    return true;
}

/* ------------------------------------------------------------ load */

static bool read_text(sweep_t *s, char *err, size_t errlen)
{
    FILE *fp = fopen(s->path, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: cannot open: %s", s->path, strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fileno(fp), &st) || !S_ISREG(st.st_mode) || st.st_size > (1 << 22)) {
        snprintf(err, errlen, "%s: not a regular file of at most 4 MiB", s->path);
        fclose(fp);
        return false;
    }
    s->text = calloc(1, (size_t)st.st_size + 1);
    bool ok = s->text && fread(s->text, 1, (size_t)st.st_size, fp) == (size_t)st.st_size;
    fclose(fp);
    if (!ok)
        snprintf(err, errlen, "%s: read error", s->path);
    else if (strlen(s->text) != (size_t)st.st_size)
        snprintf(err, errlen, "%s: contains a NUL byte", s->path), ok = false;
    return ok;
}

static bool check_top(ld_t *l, const cJSON *root)
{
    sweep_t *s = l->s;
    if (!cJSON_IsObject(root))
        return fail_at(l, 0, "the sweep file must be a JSON object%s%s%s", "", "", "");
    for (const cJSON *k = root->child; k; k = k->next) {
        bool known = false;
        for (size_t i = 0; top_keys[i]; i++)
            known |= !strcmp(top_keys[i], k->string);
        for (const cJSON *j = root->child; j != k; j = j->next)
            if (!strcmp(j->string, k->string))
                return fail_at(l, key_offset(s->text, key_offset(s->text, 0, k->string) + 1, k->string),
                               "field '%s' is given twice%s%s", k->string, "", "");
        if (!known) {
            char names[256];
            list_names(names, sizeof names, top_keys, 0);
            return fail_at(l, key_offset(s->text, 0, k->string), "unknown field '%s' (valid: %s)%s", k->string, names,
                           "");
        }
    }
    const cJSON *cmd = cJSON_GetObjectItemCaseSensitive(root, "command");
    if (cmd && (!cJSON_IsString(cmd) || strcmp(cmd->valuestring, "estimate")))
        return fail_at(l, key_offset(s->text, 0, "command"), "command: must be \"estimate\"%s%s%s", "", "", "");
    const cJSON *axes = cJSON_GetObjectItemCaseSensitive(root, "axes");
    if (!cJSON_IsObject(axes) || !axes->child)
        return fail_at(l, key_offset(s->text, 0, "axes"), "axes: must be an object with at least one axis%s%s%s", "",
                       "", "");
    return true;
}

static bool load_root(ld_t *l, const cJSON *root)
{
    sweep_t *s = l->s;
    if (!check_top(l, root))
        return false;
    l->axes_off = key_offset(s->text, 0, "axes");
    const cJSON *axes = cJSON_GetObjectItemCaseSensitive(root, "axes");
    for (const cJSON *k = axes->child; k; k = k->next)
        if (!add_axis(l, k, false))
            return false;
    const cJSON *fixed = cJSON_GetObjectItemCaseSensitive(root, "fixed");
    if (fixed) {
        l->fixed_off = key_offset(s->text, 0, "fixed");
        if (!cJSON_IsObject(fixed))
            return fail_at(l, l->fixed_off, "fixed: must be an object%s%s%s", "", "", "");
        for (const cJSON *k = fixed->child; k; k = k->next)
            if (!add_axis(l, k, true))
                return false;
    }
    const cJSON *exclude = cJSON_GetObjectItemCaseSensitive(root, "exclude");
    return check_exclusive(l) && check_options(l) && (!exclude || check_exclude(l, exclude)) &&
           read_plots(l, cJSON_GetObjectItemCaseSensitive(root, "plots")) && expand(l, exclude) && find_configs(l);
}

bool sweep_load(sweep_t *s, const char *path, const char *outdir, const char *calib_dir, char *err, size_t errlen)
{
    memset(s, 0, sizeof *s);
    snprintf(s->path, sizeof s->path, "%s", path);
    snprintf(s->calib_dir, sizeof s->calib_dir, "%s", calib_dir ? calib_dir : "build/calib");
    ssize_t n = readlink("/proc/self/exe", s->self, sizeof s->self - 1);
    if (n <= 0) {
        snprintf(err, errlen, "cannot find the bitcycle binary (/proc/self/exe)");
        return false;
    }
    s->self[n] = '\0';
    s->probe = true;
    if (outdir) {
        snprintf(s->outdir, sizeof s->outdir, "%s", outdir);
    } else {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        size_t len = strlen(base);
        if (len > 5 && !strcmp(base + len - 5, ".json"))
            len -= 5;
        snprintf(s->outdir, sizeof s->outdir, "build/sweeps/%.*s", (int)len, base);
    }
    if (!sweep_hash_file(s->self, s->code_hash, err, errlen))
        return false;
    return sweep_parse(s, err, errlen);
}

bool sweep_parse(sweep_t *s, char *err, size_t errlen)
{
    if (!read_text(s, err, errlen) || !sweep_hash_file(s->path, s->sweep_hash, err, errlen))
        return false;
    const char *end = NULL;
    cJSON *root = cJSON_ParseWithOpts(s->text, &end, 1);
    ld_t l = {s, err, errlen, 0, 0};
    if (!root) {
        size_t off = end ? (size_t)(end - s->text) : 0;
        char near[24];
        snprintf(near, sizeof near, "%.16s", end && *end ? end : "end of file");
        for (char *p = near; *p; p++)
            if (*p == '\n' || *p == '\r' || *p == '\t')
                *p = ' ';
        return fail_at(&l, off, "malformed JSON near '%s'%s%s", near, "", "");
    }
    bool ok = load_root(&l, root);
    cJSON_Delete(root);
    return ok;
}

void sweep_free(sweep_t *s)
{
    for (size_t a = 0; a < s->n_axes; a++) {
        for (size_t i = 0; i < s->axes[a].n; i++)
            free(s->axes[a].values[i]);
        free(s->axes[a].values);
    }
    free(s->text);
    free(s->pidx);
    free(s->pconfig);
    free(s->configs);
    memset(s, 0, sizeof *s);
}

const char *sweep_value(const sweep_t *s, size_t p, size_t a)
{
    return s->axes[a].values[s->pidx[p * s->n_axes + a]];
}

void sweep_point_key(const sweep_t *s, size_t p, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t a = 0; a < s->n_axes; a++)
        if (!s->axes[a].fixed && used < len)
            used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", used ? "," : "", s->axes[a].def->name,
                                     sweep_value(s, p, a));
}

size_t sweep_point_argv(const sweep_t *s, size_t p, const char *json_out, char **argv, size_t max)
{
    size_t n = 0;
    argv[n++] = (char *)s->self;
    argv[n++] = "estimate";
    argv[n++] = "--json";
    argv[n++] = "-o";
    argv[n++] = (char *)json_out;
    for (size_t a = 0; a < s->n_axes && n + 3 < max; a++) {
        const sweep_axis_def_t *d = s->axes[a].def;
        if (d->type == SWEEP_BOOL) {
            if (!strcmp(sweep_value(s, p, a), "true"))
                argv[n++] = (char *)d->flag;
            continue;
        }
        argv[n++] = (char *)d->flag;
        argv[n++] = (char *)sweep_value(s, p, a);
    }
    if (!s->no_calibrate && n + 3 < max) {
        argv[n++] = "--calib";
        argv[n++] = (char *)s->configs[s->pconfig[p]].calib;
    }
    argv[n] = NULL;
    return n;
}

size_t sweep_config_argv(const sweep_t *s, size_t c, char **argv, size_t max)
{
    const sweep_config_t *cf = &s->configs[c];
    size_t n = 0;
    argv[n++] = (char *)s->self;
    argv[n++] = "calibrate";
    argv[n++] = "--if-stale";
    argv[n++] = "-o";
    argv[n++] = (char *)cf->calib;
    for (size_t i = 0; i < cf->nargs && n + 2 < max; i++)
        argv[n++] = cf->args[i];
    argv[n] = NULL;
    return n;
}
