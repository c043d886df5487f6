/* bitcycle sweep merge DIR: every point of DIR/plan.json with its inputs and
 * outputs into DIR/merged.csv and DIR/merged.json, missing and failed points
 * listed, and plots through the one plotting path (host/plot.h: inline data,
 * every label a quoted literal, the PNG on gnuplot's standard output). */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "plot.h"
#include "safeio.h"
#include "sweep.h"

typedef struct mpoint {
    cJSON *res; /* the result file, NULL when missing */
    bool ok;
    double sav_bitops, sav_cycles, sav_energy, sav_latency;
    double run_cycles, base_cycles, run_energy, base_energy, run_latency, base_latency;
} mpoint_t;

typedef struct merge {
    const char *dir;
    cJSON *plan;
    const cJSON *axes, *keys;
    size_t n_axes, n_points;
    mpoint_t *pts;
    const char **vals; /* n_points x n_axes value text, from the point keys and fixed axes */
} merge_t;

static char *slurp(const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return NULL;
    fseek(fp, 0, SEEK_END);
    long len = ftell(fp);
    fseek(fp, 0, SEEK_SET);
    char *buf = len >= 0 && len < (1L << 28) ? calloc(1, (size_t)len + 1) : NULL;
    if (buf && fread(buf, 1, (size_t)len, fp) != (size_t)len) {
        free(buf);
        buf = NULL;
    }
    fclose(fp);
    return buf;
}

static double num_at(const cJSON *o, const char *a, const char *b, const char *c)
{
    const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);
    if (b)
        v = cJSON_GetObjectItemCaseSensitive(v, b);
    if (c)
        v = cJSON_GetObjectItemCaseSensitive(v, c);
    return cJSON_IsNumber(v) ? v->valuedouble : NAN;
}

static const char *axis_name(const merge_t *m, size_t a)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(m->axes, (int)a), "name")->valuestring;
}

static bool axis_fixed(const merge_t *m, size_t a)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(m->axes, (int)a), "fixed"));
}

static bool axis_numeric(const merge_t *m, size_t a)
{
    return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(m->axes, (int)a), "numeric"));
}

static const cJSON *axis_values(const merge_t *m, size_t a)
{
    return cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(m->axes, (int)a), "values");
}

static long find_axis(const merge_t *m, const char *name)
{
    for (size_t a = 0; a < m->n_axes; a++)
        if (!strcmp(axis_name(m, a), name))
            return (long)a;
    return -1;
}

/* value text of every axis at every point: a point key is "a=v,b=w" over
 * the varying axes in plan order; values may contain neither ',' nor '='
 * ambiguity because each value is matched against the axis's value list */
static bool split_keys(merge_t *m, char *err, size_t errlen)
{
    m->vals = calloc(m->n_points * m->n_axes + 1, sizeof *m->vals);
    if (!m->vals)
        return false;
    for (size_t p = 0; p < m->n_points; p++) {
        const char *key = cJSON_GetArrayItem(m->keys, (int)p)->valuestring;
        const char *cur = key;
        for (size_t a = 0; a < m->n_axes; a++) {
            const cJSON *vals = axis_values(m, a);
            if (axis_fixed(m, a)) {
                m->vals[p * m->n_axes + a] = cJSON_GetArrayItem(vals, 0)->valuestring;
                continue;
            }
            const char *name = axis_name(m, a);
            size_t nl = strlen(name);
            if (strncmp(cur, name, nl) || cur[nl] != '=') {
                snprintf(err, errlen, "%s/plan.json: point %zu key does not match the axes", m->dir, p);
                return false;
            }
            cur += nl + 1;
            const char *best = NULL;
            for (const cJSON *v = vals->child; v; v = v->next) {
                size_t vl = strlen(v->valuestring);
                if (!strncmp(cur, v->valuestring, vl) && (cur[vl] == ',' || cur[vl] == '\0') &&
                    (!best || vl > strlen(best)))
                    best = v->valuestring;
            }
            if (!best) {
                snprintf(err, errlen, "%s/plan.json: point %zu: no value of axis %s matches", m->dir, p, name);
                return false;
            }
            m->vals[p * m->n_axes + a] = best;
            cur += strlen(best) + (cur[strlen(best)] == ',');
        }
    }
    return true;
}

static bool load(merge_t *m, char *err, size_t errlen)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/plan.json", m->dir);
    char *text = slurp(path);
    m->plan = text ? cJSON_Parse(text) : NULL;
    free(text);
    if (!m->plan) {
        snprintf(err, errlen, "%s: %s", path, errno == ENOENT ? "missing: not a sweep output directory" : "malformed");
        return false;
    }
    m->axes = cJSON_GetObjectItemCaseSensitive(m->plan, "axes");
    m->keys = cJSON_GetObjectItemCaseSensitive(m->plan, "points");
    const cJSON *sh = cJSON_GetObjectItemCaseSensitive(m->plan, "sweep_hash");
    if (!cJSON_IsArray(m->axes) || !cJSON_IsArray(m->keys) || !cJSON_IsString(sh)) {
        snprintf(err, errlen, "%s: malformed (axes, points, sweep_hash)", path);
        return false;
    }
    m->n_axes = (size_t)cJSON_GetArraySize(m->axes);
    m->n_points = (size_t)cJSON_GetArraySize(m->keys);
    for (const cJSON *a = m->axes->child; a; a = a->next)
        if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(a, "name")) ||
            !cJSON_IsArray(cJSON_GetObjectItemCaseSensitive(a, "values")) ||
            !cJSON_GetArraySize(cJSON_GetObjectItemCaseSensitive(a, "values"))) {
            snprintf(err, errlen, "%s: malformed axis", path);
            return false;
        }
    for (const cJSON *k = m->keys->child; k; k = k->next)
        if (!cJSON_IsString(k)) {
            snprintf(err, errlen, "%s: malformed point key", path);
            return false;
        }
    m->pts = calloc(m->n_points + 1, sizeof *m->pts);
    if (!m->pts || !split_keys(m, err, errlen))
        return false;
    for (size_t p = 0; p < m->n_points; p++) {
        snprintf(path, sizeof path, "%s/points/p%06zu.json", m->dir, p);
        text = slurp(path);
        cJSON *r = text ? cJSON_Parse(text) : NULL;
        free(text);
        const cJSON *rsh = cJSON_GetObjectItemCaseSensitive(r, "sweep_hash");
        const cJSON *key = cJSON_GetObjectItemCaseSensitive(r, "key");
        if (r && (!cJSON_IsString(rsh) || strcmp(rsh->valuestring, sh->valuestring) || !cJSON_IsString(key) ||
                  strcmp(key->valuestring, cJSON_GetArrayItem(m->keys, (int)p)->valuestring))) {
            cJSON_Delete(r); /* a stale file of another sweep is not this point's result */
            r = NULL;
        }
        mpoint_t *mp = &m->pts[p];
        mp->res = r;
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(r, "status");
        const cJSON *est = cJSON_GetObjectItemCaseSensitive(r, "estimate");
        mp->ok = cJSON_IsString(st) && !strcmp(st->valuestring, "ok") && est;
        mp->sav_bitops = num_at(est, "savings", "bitops", NULL);
        mp->sav_cycles = num_at(est, "savings", "cycles", NULL);
        mp->sav_energy = num_at(est, "savings", "energy", NULL);
        mp->sav_latency = num_at(est, "savings", "latency", NULL);
        mp->run_cycles = num_at(est, "run", "total", "cycles");
        mp->base_cycles = num_at(est, "baseline", "total", "cycles");
        mp->run_energy = num_at(est, "run", "total", "energy_j");
        mp->base_energy = num_at(est, "baseline", "total", "energy_j");
        mp->run_latency = num_at(est, "run", "total", "latency_s");
        mp->base_latency = num_at(est, "baseline", "total", "latency_s");
    }
    return true;
}

static void csv_field(FILE *fp, const char *s)
{
    fputc('"', fp);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', fp);
        fputc(*s, fp);
    }
    fputc('"', fp);
}

static void csv_num(FILE *fp, double v)
{
    if (isfinite(v))
        fprintf(fp, ",%.10g", v);
    else
        fputc(',', fp);
}

static const char *status_of(const mpoint_t *mp)
{
    return mp->ok ? "ok" : mp->res ? "failed" : "missing";
}

static const char *log_of(const mpoint_t *mp)
{
    const cJSON *l = cJSON_GetObjectItemCaseSensitive(mp->res, "log");
    return cJSON_IsString(l) ? l->valuestring : "";
}

static bool write_csv(const merge_t *m, const char *path, char *err, size_t errlen)
{
    bc_out_t out; /* exclusive temporary next to the target, renamed on commit (safeio.h) */
    if (!bc_out_open(&out, path, err, errlen))
        return false;
    FILE *fp = out.fp;
    fprintf(fp, "point,status");
    for (size_t a = 0; a < m->n_axes; a++)
        fprintf(fp, ",%s", axis_name(m, a));
    fprintf(fp, ",bitops_saving,cycle_saving,energy_saving,latency_saving,run_cycles,baseline_cycles,run_energy_j,"
                "baseline_energy_j,run_latency_s,baseline_latency_s,log\n");
    for (size_t p = 0; p < m->n_points; p++) {
        const mpoint_t *mp = &m->pts[p];
        fprintf(fp, "%zu,%s", p, status_of(mp));
        for (size_t a = 0; a < m->n_axes; a++) {
            fputc(',', fp);
            csv_field(fp, m->vals[p * m->n_axes + a]);
        }
        double v[] = {mp->sav_bitops, mp->sav_cycles, mp->sav_energy, mp->sav_latency, mp->run_cycles,
                      mp->base_cycles, mp->run_energy, mp->base_energy, mp->run_latency, mp->base_latency};
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
            csv_num(fp, mp->ok ? v[i] : NAN);
        fputc(',', fp);
        csv_field(fp, mp->ok ? "" : log_of(mp));
        fputc('\n', fp);
    }
    return bc_out_commit(&out, err, errlen);
}

static void add_num(cJSON *o, const char *k, double v)
{
    if (isfinite(v))
        cJSON_AddNumberToObject(o, k, v);
    else
        cJSON_AddNullToObject(o, k);
}

static bool write_json(const merge_t *m, const char *path, char *err, size_t errlen)
{
    cJSON *r = cJSON_CreateObject(), *pts = cJSON_CreateArray(), *missing = cJSON_CreateArray(),
          *failed = cJSON_CreateArray();
    cJSON_AddItemReferenceToObject(r, "sweep_hash", cJSON_GetObjectItemCaseSensitive(m->plan, "sweep_hash"));
    cJSON_AddItemReferenceToObject(r, "code_hash", cJSON_GetObjectItemCaseSensitive(m->plan, "code_hash"));
    for (size_t p = 0; p < m->n_points; p++) {
        const mpoint_t *mp = &m->pts[p];
        cJSON *o = cJSON_CreateObject(), *in = cJSON_CreateObject();
        cJSON_AddNumberToObject(o, "point", (double)p);
        cJSON_AddStringToObject(o, "status", status_of(mp));
        for (size_t a = 0; a < m->n_axes; a++)
            cJSON_AddStringToObject(in, axis_name(m, a), m->vals[p * m->n_axes + a]);
        cJSON_AddItemToObject(o, "inputs", in);
        if (mp->ok) {
            cJSON *out = cJSON_CreateObject();
            add_num(out, "bitops_saving", mp->sav_bitops);
            add_num(out, "cycle_saving", mp->sav_cycles);
            add_num(out, "energy_saving", mp->sav_energy);
            add_num(out, "latency_saving", mp->sav_latency);
            add_num(out, "run_cycles", mp->run_cycles);
            add_num(out, "baseline_cycles", mp->base_cycles);
            add_num(out, "run_energy_j", mp->run_energy);
            add_num(out, "baseline_energy_j", mp->base_energy);
            add_num(out, "run_latency_s", mp->run_latency);
            add_num(out, "baseline_latency_s", mp->base_latency);
            cJSON_AddItemToObject(o, "outputs", out);
        } else {
            cJSON *f = cJSON_CreateObject();
            cJSON_AddNumberToObject(f, "point", (double)p);
            cJSON_AddStringToObject(f, "key", cJSON_GetArrayItem(m->keys, (int)p)->valuestring);
            if (mp->res) {
                cJSON_AddStringToObject(f, "log", log_of(mp));
                cJSON_AddItemToArray(failed, f);
            } else {
                cJSON_AddItemToArray(missing, f);
            }
        }
        cJSON_AddItemToArray(pts, o);
    }
    cJSON_AddItemToObject(r, "points", pts);
    cJSON_AddItemToObject(r, "missing", missing);
    cJSON_AddItemToObject(r, "failed", failed);
    char *text = cJSON_Print(r);
    cJSON_Delete(r);
    if (!text) {
        snprintf(err, errlen, "%s: out of memory", path);
        return false;
    }
    bc_out_t out;
    if (!bc_out_open(&out, path, err, errlen)) {
        free(text);
        return false;
    }
    fputs(text, out.fp);
    fputc('\n', out.fp);
    free(text);
    return bc_out_commit(&out, err, errlen);
}

/* ------------------------------------------------------------ plots */

/* A value as a plot shows it: a file's name is label enough. The text then
 * reaches gnuplot only as a quoted literal (host/plot.h). */
static const char *short_label(const char *in)
{
    const char *base = strrchr(in, '/');
    return base && base[1] ? base + 1 : in;
}

/* true when point p has, on every varying axis other than skip1/skip2, the
 * axis's first value: the slice a plot shows */
static bool in_slice(const merge_t *m, size_t p, long skip1, long skip2, long skip3)
{
    for (size_t a = 0; a < m->n_axes; a++) {
        if ((long)a == skip1 || (long)a == skip2 || (long)a == skip3 || axis_fixed(m, a))
            continue;
        if (strcmp(m->vals[p * m->n_axes + a], cJSON_GetArrayItem(axis_values(m, a), 0)->valuestring))
            return false;
    }
    return true;
}

static long value_index(const merge_t *m, size_t a, const char *v)
{
    long i = 0;
    for (const cJSON *x = axis_values(m, a)->child; x; x = x->next, i++)
        if (!strcmp(x->valuestring, v))
            return i;
    return -1;
}

static void slice_title(const merge_t *m, long s1, long s2, long s3, char *buf, size_t len)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t a = 0; a < m->n_axes && used < len; a++) {
        if ((long)a == s1 || (long)a == s2 || (long)a == s3 || axis_fixed(m, a))
            continue;
        used += (size_t)snprintf(buf + used, len - used, "%s%s=%s", used ? ", " : "", axis_name(m, a),
                                 short_label(cJSON_GetArrayItem(axis_values(m, a), 0)->valuestring));
    }
}

static void tics(bc_plot_t *gp, const char *which, const merge_t *m, size_t a)
{
    bc_plot_cmd(gp, "set %s (", which);
    long i = 0;
    for (const cJSON *x = axis_values(m, a)->child; x; x = x->next, i++) {
        bc_plot_cmd(gp, "%s", i ? ", " : "");
        bc_plot_str(gp, short_label(x->valuestring));
        bc_plot_cmd(gp, " %ld", i);
    }
    bc_plot_cmd(gp, ")\n");
}

static void plot_title(bc_plot_t *gp, const char *a, const char *b, const char *slice)
{
    char t[1024];
    snprintf(t, sizeof t, "%s%s%s%s", a, b, slice[0] ? " at " : "", slice);
    bc_plot_cmd(gp, "set multiplot layout 1,2 title ");
    bc_plot_str(gp, t);
    bc_plot_cmd(gp, "\n");
}

static bool heatmap(const merge_t *m, bc_plot_t *gp, long ax, long ay)
{
    size_t rows = 0;
    bc_plot_block_begin(gp, "heat");
    for (size_t p = 0; p < m->n_points; p++) {
        if (!m->pts[p].ok || !in_slice(m, p, ax, ay, -1))
            continue;
        bc_plot_cmd(gp, "%ld %ld %.6f %.6f\n", value_index(m, (size_t)ax, m->vals[p * m->n_axes + ax]),
                    value_index(m, (size_t)ay, m->vals[p * m->n_axes + ay]), 100.0 * m->pts[p].sav_cycles,
                    100.0 * m->pts[p].sav_energy);
        rows++;
    }
    bc_plot_block_end(gp);
    if (!rows)
        return false;
    char title[512];
    slice_title(m, ax, ay, -1, title, sizeof title);
    plot_title(gp, "CPT savings vs baseline", "", title);
    tics(gp, "xtics", m, (size_t)ax);
    tics(gp, "ytics", m, (size_t)ay);
    bc_plot_cmd(gp, "set xlabel ");
    bc_plot_str(gp, axis_name(m, (size_t)ax));
    bc_plot_cmd(gp, "\nset ylabel ");
    bc_plot_str(gp, axis_name(m, (size_t)ay));
    bc_plot_cmd(gp, "\nset cblabel 'saving (%%)'\nset palette rgbformulae 22,13,-31\n"
                    "set xrange [-0.5:%d.5]\nset yrange [-0.5:%d.5]\n",
                cJSON_GetArraySize(axis_values(m, (size_t)ax)) - 1, cJSON_GetArraySize(axis_values(m, (size_t)ay)) - 1);
    bc_plot_cmd(gp, "set title 'cycle saving (%%)'\nplot $heat using 1:2:3 with image notitle, "
                    "$heat using 1:2:(sprintf('%%.1f', $3)) with labels notitle\n");
    bc_plot_cmd(gp, "set title 'energy saving (%%)'\nplot $heat using 1:2:4 with image notitle, "
                    "$heat using 1:2:(sprintf('%%.1f', $4)) with labels notitle\nunset multiplot\n");
    return true;
}

/* savings against a numeric axis, one line per schedule (when it varies) */
static bool series(const merge_t *m, bc_plot_t *gp, long ax)
{
    long sched = find_axis(m, "schedule");
    if (sched >= 0 && (axis_fixed(m, (size_t)sched) || sched == ax))
        sched = -1;
    long nsched = sched >= 0 ? cJSON_GetArraySize(axis_values(m, (size_t)sched)) : 1;
    size_t rows = 0;
    for (long si = 0; si < nsched; si++) {
        char block[32];
        snprintf(block, sizeof block, "s%ld", si);
        bc_plot_block_begin(gp, block);
        for (size_t p = 0; p < m->n_points; p++) {
            if (!m->pts[p].ok || !in_slice(m, p, ax, sched, -1))
                continue;
            if (sched >= 0 && value_index(m, (size_t)sched, m->vals[p * m->n_axes + sched]) != si)
                continue;
            /* the axis is numeric (axis_numeric): its value is printed as a number */
            bc_plot_cmd(gp, "%.17g %.6f %.6f\n", strtod(m->vals[p * m->n_axes + ax], NULL),
                        100.0 * m->pts[p].sav_cycles, 100.0 * m->pts[p].sav_energy);
            rows++;
        }
        bc_plot_block_end(gp);
    }
    if (!rows)
        return false;
    char title[512];
    slice_title(m, ax, sched, -1, title, sizeof title);
    plot_title(gp, "CPT savings vs ", axis_name(m, (size_t)ax), title);
    bc_plot_cmd(gp, "set xlabel ");
    bc_plot_str(gp, axis_name(m, (size_t)ax));
    bc_plot_cmd(gp, "\nset ylabel 'saving (%%)'\nset key top right title 'schedule'\nset grid\n");
    const char *col[2] = {"2", "3"}, *what[2] = {"cycle saving (%)", "energy saving (%)"};
    for (int k = 0; k < 2; k++) {
        bc_plot_cmd(gp, "set title ");
        bc_plot_str(gp, what[k]);
        bc_plot_cmd(gp, "\nplot ");
        for (long si = 0; si < nsched; si++) {
            bc_plot_cmd(gp, "%s$s%ld using 1:%s with linespoints lw 2 title ", si ? ", " : "", si, col[k]);
            bc_plot_str(gp, sched >= 0 ? short_label(cJSON_GetArrayItem(axis_values(m, (size_t)sched), (int)si)->valuestring)
                                       : "run");
        }
        bc_plot_cmd(gp, "\n");
    }
    bc_plot_cmd(gp, "unset multiplot\n");
    return true;
}

static long pick_axis(const merge_t *m, const char *want, long not, bool numeric)
{
    if (want && want[0])
        return find_axis(m, want);
    for (size_t a = 0; a < m->n_axes; a++)
        if (!axis_fixed(m, a) && (long)a != not && cJSON_GetArraySize(axis_values(m, a)) > 1 &&
            (!numeric || axis_numeric(m, a)))
            return (long)a;
    return -1;
}

static bool plot_one(const merge_t *m, const char *name, long ax, long ay, char *err, size_t errlen)
{
    char dst[1400];
    snprintf(dst, sizeof dst, "%s/%s.png", m->dir, name);
    bc_plot_t gp;
    if (!bc_plot_begin(&gp, 1200, 520, 10, err, errlen))
        return false;
    bool have = ay >= 0 ? heatmap(m, &gp, ax, ay) : series(m, &gp, ax);
    bool ok = true;
    if (have) {
        char why[512];
        ok = bc_plot_write(&gp, dst, why, sizeof why);
        if (ok)
            printf("plot: %s\n", dst);
        else
            snprintf(err, errlen, "plot %s: %s", dst, why);
    }
    bc_plot_free(&gp);
    return ok;
}

static bool plots(const merge_t *m, const sweep_merge_opts_t *o, char *err, size_t errlen)
{
    const cJSON *pl = cJSON_GetObjectItemCaseSensitive(m->plan, "plots");
    const cJSON *hx = cJSON_GetObjectItemCaseSensitive(pl, "heatmap_x"), *hy = cJSON_GetObjectItemCaseSensitive(pl, "heatmap_y"),
                *se = cJSON_GetObjectItemCaseSensitive(pl, "series");
    const char *wx = o->heat_x ? o->heat_x : cJSON_IsString(hx) ? hx->valuestring : NULL;
    const char *wy = o->heat_y ? o->heat_y : cJSON_IsString(hy) ? hy->valuestring : NULL;
    const char *ws = o->series ? o->series : cJSON_IsString(se) ? se->valuestring : NULL;
    long ax = pick_axis(m, wx, -1, false);
    long ay = ax >= 0 ? pick_axis(m, wy, ax, false) : -1;
    long as = pick_axis(m, ws, -1, true);
    const char *names[3] = {wx, wy, ws};
    long got[3] = {ax, ay, as};
    for (int i = 0; i < 3; i++)
        if (names[i] && names[i][0] && (got[i] < 0 || axis_fixed(m, (size_t)got[i]))) {
            snprintf(err, errlen, "plot axis '%s' is not a varying axis of this sweep", names[i]);
            return false;
        }
    if (ax >= 0 && ay >= 0 && ax != ay && !plot_one(m, "heatmap", ax, ay, err, errlen))
        return false;
    if (as >= 0 && !axis_numeric(m, (size_t)as)) {
        snprintf(err, errlen, "series axis '%s' is not numeric", axis_name(m, (size_t)as));
        return false;
    }
    return as < 0 || plot_one(m, "series", as, -1, err, errlen);
}

int sweep_merge(const char *dir, const sweep_merge_opts_t *o, char *err, size_t errlen)
{
    merge_t m;
    memset(&m, 0, sizeof m);
    m.dir = dir;
    int rc = -1;
    char csv[1200], json[1200];
    snprintf(csv, sizeof csv, "%s/merged.csv", dir);
    snprintf(json, sizeof json, "%s/merged.json", dir);
    if (load(&m, err, errlen) && write_csv(&m, csv, err, errlen) && write_json(&m, json, err, errlen)) {
        size_t bad = 0, okc = 0;
        for (size_t p = 0; p < m.n_points; p++) {
            if (m.pts[p].ok) {
                okc++;
                continue;
            }
            bad++;
            printf("%s: point %zu (%s)%s%s\n", status_of(&m.pts[p]), p, cJSON_GetArrayItem(m.keys, (int)p)->valuestring,
                   m.pts[p].res ? ", log " : "", m.pts[p].res ? log_of(&m.pts[p]) : "");
        }
        printf("merged %zu of %zu points (%zu missing or failed) into %s and %s\n", okc, m.n_points, bad, csv, json);
        rc = (!o->plots || plots(&m, o, err, errlen)) ? (int)(bad > 0x7fff ? 0x7fff : bad) : -1;
    }
    for (size_t p = 0; m.pts && p < m.n_points; p++)
        cJSON_Delete(m.pts[p].res);
    free(m.pts);
    free(m.vals);
    cJSON_Delete(m.plan);
    return rc;
}
