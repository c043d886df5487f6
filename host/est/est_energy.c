/* Energy per event and static power: a model that scales with the hardware
 * configuration (docs/energy.md), or a table file that overrides it. */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "est.h"
#include "safeio.h"
#include <stddef.h>

typedef struct entry {
    const char *key;
    size_t off;
    double max; /* largest accepted value (docs/robustness.md) */
} entry_t;

/* Input bounds of the table file: a line and the whole file. */
#define EST_ENERGY_LINE_MAX 1022u
#define EST_ENERGY_BYTES_MAX (1u << 20)
/* Accepted ranges: an event costs at most 1 uJ (1e6 pJ, far above any DRAM
 * access), static power at most 1 kW (1e6 mW), so that any finite event count
 * below 2^64 gives a finite energy. */
#define EST_PJ_MAX 1e6
#define EST_MW_MAX 1e6

#define OFF(f) offsetof(est_energy_t, f)
/* The table's entries (docs/energy.md); static power is written in mW. */
static const entry_t entries[] = {
    {"dpu_and_popcount_pj", OFF(dpu_pj), EST_PJ_MAX}, {"acc_update_pj", OFF(acc_pj), EST_PJ_MAX},
    {"abuf_read_pj", OFF(abuf_read_pj), EST_PJ_MAX},  {"abuf_write_pj", OFF(abuf_write_pj), EST_PJ_MAX},
    {"bbuf_read_pj", OFF(bbuf_read_pj), EST_PJ_MAX},  {"bbuf_write_pj", OFF(bbuf_write_pj), EST_PJ_MAX},
    {"dram_byte_pj", OFF(dram_byte_pj), EST_PJ_MAX},  {"ctrl_cycle_pj", OFF(ctrl_cycle_pj), EST_PJ_MAX},
    {"static_mw", OFF(static_w), EST_MW_MAX}, /* last: the one in mW */
};
#define N_ENTRIES (sizeof entries / sizeof entries[0])

static double *field(est_energy_t *e, size_t i)
{
    return (double *)((char *)e + entries[i].off);
}

/* ------------------------------------------------------------ the model */

/* DRAM technologies, energy per bit moved (docs/energy.md gives the source
 * or derivation of each). The first is the default. */
const est_dram_preset_t est_dram_presets[] = {
    {"ddr3", 30.5, "Horowitz ISSCC 2014: 1.3-2.6 nJ per 64-bit access, midpoint"},
    {"ddr4", 19.5, "estimate: ddr3 x (1.2 V / 1.5 V)^2"},
    {"lpddr4", 6.0, "estimate: hbm2 core + 0.6 V LVSTL I/O"},
    {"hbm2", 3.9, "O'Connor et al. MICRO 2017 (HBM2 baseline)"},
    {NULL, 0, NULL},
};

const est_dram_preset_t *est_dram_find(const char *name)
{
    for (size_t i = 0; est_dram_presets[i].name; i++)
        if (!strcmp(est_dram_presets[i].name, name))
            return &est_dram_presets[i];
    return NULL;
}

/* One full-adder bit at 45 nm, 0.9 V: Horowitz 2014's 32-bit add, 0.1 pJ. */
#define FA_BIT_PJ (0.1 / 32.0)

double est_sram_access_pj(double bank_bytes, unsigned width_bits)
{
    /* 64-bit accesses: the power law through Horowitz 2014's 8 KB (10 pJ)
     * and 32 KB (20 pJ) points, which bracket the bank sizes the RTL is
     * built with; his 1 MB point (100 pJ) lies 12 % below its extension */
    double e64 = EST_SRAM_8K_PJ * pow(bank_bytes / 8192.0, EST_SRAM_SIZE_EXP);
    /* width: bitlines, sense amplifiers and drivers scale with the bits
     * moved, decode and wordline do not (80 / 20 at 64 bits, estimate) */
    return e64 * (EST_SRAM_FIXED_SHARE + (1 - EST_SRAM_FIXED_SHARE) * width_bits / 64.0);
}

double est_flip_flops(const bc_hw_t *hw)
{
    /* accumulators, plus a two-point fit of the rest against (Dm + Dn) on
     * the Yosys synth_xilinx FF counts (docs/platform.md): 10,536 at 8 x 8,
     * 3,595 at 2 x 2 */
    const double acc8 = 64.0 * EST_ACC_BITS, acc2 = 4.0 * EST_ACC_BITS;
    const double per_bank = ((10536 - acc8) - (3595 - acc2)) / (16 - 4);
    const double fixed = (10536 - acc8) - 16 * per_bank;
    return (double)hw->dm * hw->dn * EST_ACC_BITS + fixed + per_bank * (hw->dm + hw->dn);
}

void est_energy_for_hw(est_energy_t *e, const bc_hw_t *hw, const est_dram_preset_t *dram)
{
    memset(e, 0, sizeof *e);
    if (!dram)
        dram = &est_dram_presets[0];
    /* a popcount over Dk inputs is about Dk full adders; an AND a tenth of one */
    e->dpu_pj = hw->dk * FA_BIT_PJ * 1.1;
    e->acc_pj = EST_ACC_BITS * FA_BIT_PJ;
    double abank = (double)hw->abuf_words * hw->dk / 8, bbank = (double)hw->bbuf_words * hw->dk / 8;
    e->abuf_read_pj = e->abuf_write_pj = est_sram_access_pj(abank, hw->dk);
    e->bbuf_read_pj = e->bbuf_write_pj = est_sram_access_pj(bbank, hw->dk);
    e->dram_byte_pj = dram->pj_per_bit * 8;
    double ffs = est_flip_flops(hw);
    e->ctrl_cycle_pj = ffs * EST_FF_CYCLE_FJ * 1e-3;
    double sram_bits = ((double)hw->dm * hw->abuf_words + (double)hw->dn * hw->bbuf_words) * hw->dk;
    e->static_w = (sram_bits * EST_SRAM_LEAK_NW_PER_BIT + ffs * EST_FF_LEAK_NW) * 1e-9;
    snprintf(e->dram, sizeof e->dram, "%s", dram->name);
    char cfg[160];
    est_hw_config_str(hw, cfg, sizeof cfg);
    snprintf(e->source, sizeof e->source, "45 nm model (docs/energy.md) for %s, DRAM %s %.3g pJ/bit", cfg,
             dram->name, dram->pj_per_bit);
}

void est_energy_default(est_energy_t *e)
{
    bc_hw_t hw;
    bc_hw_default(&hw);
    est_energy_for_hw(e, &hw, NULL);
}

bool est_energy_load(const char *path, est_energy_t *e, char *err, size_t errlen)
{
    memset(e, 0, sizeof *e);
    bc_lines_t in;
    if (!bc_lines_open(&in, path, EST_ENERGY_LINE_MAX, EST_ENERGY_BYTES_MAX, err, errlen))
        return false;
    unsigned seen[N_ENTRIES] = {0};
    char buf[EST_ENERGY_LINE_MAX + 1];
    const char *raw;
    unsigned lineno = 0;
    bool ok = true;
    int got = 0;
    while (ok && (got = bc_lines_next(&in, &raw, err, errlen)) > 0) {
        lineno = (unsigned)in.lineno;
        snprintf(buf, sizeof buf, "%s", raw);
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
        if (v > entries[i].max) {
            snprintf(err, errlen, "%s:%u: entry '%s': %s is beyond the accepted range 0..%g %s", path, lineno,
                     key, val, entries[i].max, i == N_ENTRIES - 1 ? "mW" : "pJ");
            ok = false;
            break;
        }
        seen[i] = lineno;
        *field(e, i) = v;
    }
    if (ok && got < 0)
        ok = false;
    bc_lines_close(&in);
    for (size_t i = 0; ok && i < N_ENTRIES; i++)
        if (!seen[i]) {
            snprintf(err, errlen, "%s: missing entry '%s'", path, entries[i].key);
            ok = false;
        }
    if (!ok)
        return false;
    e->static_w *= 1e-3;
    snprintf(e->source, sizeof e->source, "%s", path);
    snprintf(e->dram, sizeof e->dram, "table");
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
