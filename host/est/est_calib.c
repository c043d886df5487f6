/* Calibration file I/O, RTL source hash and the least-squares fit of the
 * timing model's overhead constants. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "est.h"

static uint64_t fnv1a(uint64_t h, const void *data, size_t len)
{
    const unsigned char *p = data;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

static bool hash_file(uint64_t *h, const char *path)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return false;
    char buf[8192];
    size_t n;
    *h = fnv1a(*h, path, strlen(path) + 1);
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        *h = fnv1a(*h, buf, n);
    fclose(fp);
    return true;
}

bool est_rtl_hash(const char *filelist, char out[17], char *err, size_t errlen)
{
    uint64_t h = 0xcbf29ce484222325ull;
    /* a calibration also goes stale when the timing model's equations change */
    const unsigned model_version = BC_TIMING_MODEL_VERSION;
    h = fnv1a(h, &model_version, sizeof model_version);
    if (!hash_file(&h, filelist)) {
        snprintf(err, errlen, "%s: cannot open the RTL file list: %s", filelist, strerror(errno));
        return false;
    }
    FILE *fp = fopen(filelist, "r");
    if (!fp) {
        snprintf(err, errlen, "%s: cannot open: %s", filelist, strerror(errno));
        return false;
    }
    char dir[1024] = "";
    const char *slash = strrchr(filelist, '/');
    if (slash && (size_t)(slash - filelist) < sizeof dir - 1)
        snprintf(dir, sizeof dir, "%.*s/", (int)(slash - filelist), filelist);
    char line[1024];
    unsigned lineno = 0;
    bool ok = true;
    while (ok && fgets(line, sizeof line, fp)) {
        lineno++;
        char *p = line;
        while (isspace((unsigned char)*p))
            p++;
        char *e = p + strlen(p);
        while (e > p && isspace((unsigned char)e[-1]))
            *--e = '\0';
        if (!*p || *p == '#' || *p == '+' || *p == '-' || !strncmp(p, "//", 2))
            continue;
        char alt[2100];
        snprintf(alt, sizeof alt, "%s%s", dir, p);
        if (!hash_file(&h, p) && !hash_file(&h, alt)) {
            snprintf(err, errlen, "%s:%u: RTL source '%s' not found", filelist, lineno, p);
            ok = false;
        }
    }
    fclose(fp);
    if (ok)
        snprintf(out, 17, "%016llx", (unsigned long long)h);
    return ok;
}

void est_hw_config_str(const bc_hw_t *hw, char *buf, size_t len)
{
    snprintf(buf, len, "dm=%u,dn=%u,dk=%u,abuf=%u,bbuf=%u,queue=%u,axi=%u,mem_bw=%g,mem_lat=%u", hw->dm, hw->dn,
             hw->dk, hw->abuf_words, hw->bbuf_words, hw->queue_depth, 8u * (hw->bus_bytes ? hw->bus_bytes : 8u),
             hw->mem_bytes_per_cycle, hw->mem_latency);
}

bool est_calib_write(const char *path, const est_calib_file_t *c, char *err, size_t errlen)
{
    bc_out_t o;
    if (!bc_out_open(&o, path, err, errlen))
        return false;
    fprintf(o.fp, "# bitcycle calibration file, written by 'bitcycle calibrate' (docs/estimator.md)\n");
    fprintf(o.fp, "bitcycle-calib %d\n", EST_CALIB_VERSION);
    fprintf(o.fp, "rtl_hash %s\n", c->rtl_hash);
    fprintf(o.fp, "config %s\n", c->config);
    fprintf(o.fp, "job_overhead %.9g\n", c->cal.job_overhead);
    fprintf(o.fp, "block_overhead %.9g\n", c->cal.block_overhead);
    fprintf(o.fp, "tile_overhead %.9g\n", c->cal.tile_overhead);
    fprintf(o.fp, "points %u\n", c->points);
    fprintf(o.fp, "max_rel_err %.9g\n", c->max_rel_err);
    return bc_out_commit(&o, err, errlen);
}

int est_calib_read(const char *path, est_calib_file_t *c, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        if (errno == ENOENT)
            return 0;
        snprintf(err, errlen, "%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    memset(c, 0, sizeof *c);
    char line[512];
    unsigned lineno = 0, have = 0;
    int rc = 1;
    while (rc == 1 && fgets(line, sizeof line, fp)) {
        lineno++;
        if (!strchr(line, '\n') && !feof(fp)) {
            snprintf(err, errlen, "%s:%u: line longer than %zu characters", path, lineno, sizeof line - 2);
            rc = -1;
            break;
        }
        if (line[0] == '#' || line[0] == '\n')
            continue;
        char key[64], val[200];
        if (sscanf(line, "%63s %199s", key, val) != 2) {
            snprintf(err, errlen, "%s:%u: expected 'key value'", path, lineno);
            rc = -1;
            break;
        }
        double *dst = NULL;
        if (!strcmp(key, "bitcycle-calib")) {
            char *vend = NULL;
            long version = strtol(val, &vend, 10);
            if (*vend || vend == val || version != EST_CALIB_VERSION) {
                snprintf(err, errlen, "%s:%u: calibration format version %s, expected %d", path, lineno, val,
                         EST_CALIB_VERSION);
                rc = -1;
            }
            have |= 1;
            continue;
        } else if (!strcmp(key, "rtl_hash")) {
            snprintf(c->rtl_hash, sizeof c->rtl_hash, "%.16s", val);
            have |= 2;
            continue;
        } else if (!strcmp(key, "config")) {
            snprintf(c->config, sizeof c->config, "%.159s", val);
            have |= 4;
            continue;
        } else if (!strcmp(key, "job_overhead")) {
            dst = &c->cal.job_overhead, have |= 8;
        } else if (!strcmp(key, "block_overhead")) {
            dst = &c->cal.block_overhead, have |= 16;
        } else if (!strcmp(key, "tile_overhead")) {
            dst = &c->cal.tile_overhead, have |= 32;
        } else if (!strcmp(key, "points")) {
            char *pend = NULL;
            unsigned long points = strtoul(val, &pend, 10);
            if (*pend || pend == val || val[0] == '-' || points > 1000000ul) {
                snprintf(err, errlen, "%s:%u: points: '%s' is not a count", path, lineno, val);
                rc = -1;
                break;
            }
            c->points = (unsigned)points;
            continue;
        } else if (!strcmp(key, "max_rel_err")) {
            dst = &c->max_rel_err;
        } else {
            snprintf(err, errlen, "%s:%u: unknown key '%s'", path, lineno, key);
            rc = -1;
            break;
        }
        char *end = NULL;
        double v = strtod(val, &end);
        if (*end || end == val || !isfinite(v)) {
            snprintf(err, errlen, "%s:%u: %s: '%s' is not a number", path, lineno, key, val);
            rc = -1;
            break;
        }
        if (v < 0.0) {
            snprintf(err, errlen, "%s:%u: %s: %s is negative (overheads and errors are >= 0)", path, lineno, key, val);
            rc = -1;
            break;
        }
        *dst = v;
    }
    fclose(fp);
    if (rc == 1 && have != 63) {
        snprintf(err, errlen, "%s: incomplete calibration file (needs version, rtl_hash, config and the three overheads)",
                 path);
        rc = -1;
    }
    return rc;
}

/* Cycles of a job and their slope in each constant around `at`. The model
 * is piecewise linear in the constants (linear while compute bound, flat
 * while memory bound), so one-cycle differences give the exact slopes. */
static void coeffs(const bc_hw_t *hw, const bc_job_shape_t *s, const bc_calib_t *at, double *base, double a[3])
{
    bc_events_t ev;
    bc_timing_job(hw, at, s, &ev);
    *base = (double)ev.cycles;
    for (int j = 0; j < 3; j++) {
        bc_calib_t c = *at;
        double *f = j == 0 ? &c.job_overhead : j == 1 ? &c.block_overhead : &c.tile_overhead;
        *f += 1.0;
        bc_timing_job(hw, &c, s, &ev);
        a[j] = (double)ev.cycles - *base;
    }
}

/* Solve the normal equations restricted to the columns in use. */
static bool solve(double ata[3][3], const double atb[3], const bool use[3], double x[3])
{
    int idx[3], n = 0;
    for (int j = 0; j < 3; j++)
        if (use[j])
            idx[n++] = j;
    double a[3][4];
    for (int r = 0; r < n; r++) {
        for (int c = 0; c < n; c++)
            a[r][c] = ata[idx[r]][idx[c]];
        a[r][n] = atb[idx[r]];
    }
    for (int col = 0; col < n; col++) {
        int piv = col;
        for (int r = col + 1; r < n; r++)
            if (fabs(a[r][col]) > fabs(a[piv][col]))
                piv = r;
        if (fabs(a[piv][col]) < 1e-9)
            return false;
        for (int c = 0; c <= n; c++) {
            double t = a[col][c];
            a[col][c] = a[piv][c];
            a[piv][c] = t;
        }
        for (int r = 0; r < n; r++) {
            if (r == col)
                continue;
            double f = a[r][col] / a[col][col];
            for (int c = col; c <= n; c++)
                a[r][c] -= f * a[col][c];
        }
    }
    x[0] = x[1] = x[2] = 0;
    for (int r = 0; r < n; r++)
        x[idx[r]] = a[r][n] / a[r][r];
    return true;
}

bool est_calib_fit(const bc_hw_t *hw, const est_calib_point_t *pts, size_t n, bc_calib_t *out,
                   double *max_rel_err, char *err, size_t errlen)
{
    if (n == 0) {
        snprintf(err, errlen, "calibration: no measured points");
        return false;
    }
    /* Gauss-Newton on the piecewise-linear model, minimising the squared
     * relative cycle error; constants that come out
     * negative are pinned at 0, columns that never vary drop out. */
    double x[3] = {0, 0, 0};
    bool pinned[3] = {false, false, false};
    for (int iter = 0; iter < 20; iter++) {
        bc_calib_t at = {x[0], x[1], x[2]};
        double ata[3][3] = {{0}}, atb[3] = {0};
        for (size_t i = 0; i < n; i++) {
            double base, a[3];
            coeffs(hw, &pts[i].shape, &at, &base, a);
            /* relative residuals: every job counts alike, small or large */
            double w = pts[i].measured_cycles ? 1.0 / (double)pts[i].measured_cycles : 1.0;
            double r = ((double)pts[i].measured_cycles - base) * w;
            for (int p = 0; p < 3; p++) {
                atb[p] += a[p] * w * r;
                for (int q = 0; q < 3; q++)
                    ata[p][q] += a[p] * w * a[q] * w;
            }
        }
        bool use[3];
        for (int j = 0; j < 3; j++)
            use[j] = !pinned[j] && ata[j][j] > 1e-12;
        double dx[3] = {0, 0, 0};
        while (!solve(ata, atb, use, dx)) {
            int last = -1;
            for (int j = 0; j < 3; j++)
                if (use[j])
                    last = j;
            if (last < 0)
                break;
            use[last] = false;
        }
        double step = 0;
        for (int j = 0; j < 3; j++) {
            x[j] += dx[j];
            if (x[j] < 0) {
                x[j] = 0;
                pinned[j] = true;
            }
            step += fabs(dx[j]);
        }
        if (step < 1e-6)
            break;
    }
    out->job_overhead = x[0];
    out->block_overhead = x[1];
    out->tile_overhead = x[2];
    double worst = 0;
    for (size_t i = 0; i < n; i++) {
        bc_events_t ev;
        bc_timing_job(hw, out, &pts[i].shape, &ev);
        double m = (double)pts[i].measured_cycles;
        double rel = m > 0 ? fabs((double)ev.cycles - m) / m : 0;
        if (rel > worst)
            worst = rel;
    }
    *max_rel_err = worst;
    return true;
}
