/* Energy table: per-event energies and static power (docs/energy.md). */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "est.h"
#include <stddef.h>

typedef struct entry {
    const char *key;
    size_t off;
    double def;
} entry_t;

#define OFF(f) offsetof(est_energy_t, f)
/* Defaults: 45 nm, 0.9 V, from Horowitz ISSCC 2014 (see docs/energy.md for
 * the derivation of each number). host/est/energy-45nm.tbl holds the same. */
static const entry_t entries[] = {
    {"dpu_and_popcount_pj", OFF(dpu_pj), 0.22},
    {"acc_update_pj", OFF(acc_pj), 0.15},
    {"abuf_read_pj", OFF(abuf_read_pj), 10.0},
    {"abuf_write_pj", OFF(abuf_write_pj), 10.0},
    {"bbuf_read_pj", OFF(bbuf_read_pj), 14.1},
    {"bbuf_write_pj", OFF(bbuf_write_pj), 14.1},
    {"dram_byte_pj", OFF(dram_byte_pj), 244.0},
    {"ctrl_cycle_pj", OFF(ctrl_cycle_pj), 2.0},
    {"static_mw", OFF(static_w), 5.0}, /* stored in watts, written in mW */
};
#define N_ENTRIES (sizeof entries / sizeof entries[0])

static double *field(est_energy_t *e, size_t i)
{
    return (double *)((char *)e + entries[i].off);
}

void est_energy_default(est_energy_t *e)
{
    memset(e, 0, sizeof *e);
    for (size_t i = 0; i < N_ENTRIES; i++)
        *field(e, i) = entries[i].def;
    e->static_w *= 1e-3;
    snprintf(e->source, sizeof e->source, "built-in 45 nm table (docs/energy.md)");
}

bool est_energy_load(const char *path, est_energy_t *e, char *err, size_t errlen)
{
    FILE *fp = fopen(path, "r");
    if (!fp) {
        snprintf(err, errlen, "%s: cannot open energy table: %s", path, strerror(errno));
        return false;
    }
    memset(e, 0, sizeof *e);
    unsigned seen[N_ENTRIES] = {0};
    char buf[1024];
    unsigned lineno = 0;
    bool ok = true;
    while (ok && fgets(buf, sizeof buf, fp)) {
        lineno++;
        char *hash = strchr(buf, '#');
        if (hash)
            *hash = '\0';
        char key[64], val[64], extra[8];
        int n = sscanf(buf, " %63[A-Za-z0-9_] = %63s %7s", key, val, extra);
        if (n <= 0) {
            char *p = buf;
            while (isspace((unsigned char)*p))
                p++;
            if (!*p)
                continue;
        }
        if (n != 2) {
            snprintf(err, errlen, "%s:%u: expected 'name = value' (a comment may follow '#')", path, lineno);
            ok = false;
            break;
        }
        size_t i = 0;
        while (i < N_ENTRIES && strcmp(entries[i].key, key))
            i++;
        if (i == N_ENTRIES) {
            snprintf(err, errlen, "%s:%u: unknown entry '%s'", path, lineno, key);
            ok = false;
            break;
        }
        if (seen[i]) {
            snprintf(err, errlen, "%s:%u: entry '%s' repeats line %u", path, lineno, key, seen[i]);
            ok = false;
            break;
        }
        char *end = NULL;
        errno = 0;
        double v = strtod(val, &end);
        if (errno || *end || !isfinite(v) || v < 0) {
            snprintf(err, errlen, "%s:%u: entry '%s': '%s' is not a non-negative number", path, lineno, key,
                     val);
            ok = false;
            break;
        }
        seen[i] = lineno;
        *field(e, i) = v;
    }
    fclose(fp);
    for (size_t i = 0; ok && i < N_ENTRIES; i++)
        if (!seen[i]) {
            snprintf(err, errlen, "%s: missing entry '%s'", path, entries[i].key);
            ok = false;
        }
    if (!ok)
        return false;
    e->static_w *= 1e-3;
    snprintf(e->source, sizeof e->source, "%s", path);
    return true;
}

void est_energy_of(const est_energy_t *e, const bc_events_t *ev, double clock_hz, est_joules_t *out)
{
    const double pj = 1e-12;
    out->ctrl = (double)ev->busy * e->ctrl_cycle_pj * pj;
    out->compute = (double)ev->dpu_active * (e->dpu_pj + e->acc_pj) * pj + out->ctrl;
    out->buffers = ((double)ev->abuf_reads * e->abuf_read_pj + (double)ev->abuf_writes * e->abuf_write_pj +
                    (double)ev->bbuf_reads * e->bbuf_read_pj + (double)ev->bbuf_writes * e->bbuf_write_pj) *
                   pj;
    out->dram_rd = (double)ev->dram_rd_bytes * e->dram_byte_pj * pj;
    out->dram_wr = (double)ev->dram_wr_bytes * e->dram_byte_pj * pj;
    out->dram = out->dram_rd + out->dram_wr;
    out->stat = clock_hz > 0 ? e->static_w * (double)ev->cycles / clock_hz : 0.0;
    out->total = out->compute + out->buffers + out->dram + out->stat;
}
