/* Precision schedule engine (see docs/firmware.md for every formula). */
#include "bc_schedule.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

/* The reference (CPT, numpy) evaluates in double; we mirror its operation order. */
static const double bc_pi = 3.14159265358979311599796346854; /* == numpy.pi */

static const struct {
    const char *name;
    bc_sched_family_t family;
} family_names[] = {
    {"static", BC_SCHED_STATIC},   {"cpt", BC_SCHED_COS},         {"cos", BC_SCHED_COS},
    {"cos-rep", BC_SCHED_COS},     {"cos-tri", BC_SCHED_COS_TRI}, {"lin", BC_SCHED_LIN},
    {"lin-rep", BC_SCHED_LIN},     {"lin-tri", BC_SCHED_LIN_TRI}, {"exp", BC_SCHED_EXP},
    {"exp-rep", BC_SCHED_EXP},     {"exp-tri", BC_SCHED_EXP_TRI}, {"prog", BC_SCHED_PROG},
};

const char *bc_sched_family_name(bc_sched_family_t f)
{
    switch (f) {
    case BC_SCHED_STATIC: return "static";
    case BC_SCHED_COS: return "cpt";
    case BC_SCHED_COS_TRI: return "cos-tri";
    case BC_SCHED_LIN: return "lin";
    case BC_SCHED_LIN_TRI: return "lin-tri";
    case BC_SCHED_EXP: return "exp";
    case BC_SCHED_EXP_TRI: return "exp-tri";
    case BC_SCHED_PROG: return "prog";
    default: return "?";
    }
}

static int set_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int set_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

/* Parse a decimal bit count at s[*pos]; 1..16, no sign, no leading junk. */
static int parse_bits(const char *spec, size_t *pos, unsigned *out, const char *what, char *err, size_t errlen)
{
    size_t p = *pos;
    unsigned v = 0;
    if (spec[p] < '0' || spec[p] > '9')
        return set_err(err, errlen, "schedule '%s': expected %s (a number of bits %u..%u) at position %zu",
                       spec, what, BC_SCHED_MIN_BITS, BC_SCHED_MAX_BITS, p + 1);
    while (spec[p] >= '0' && spec[p] <= '9') {
        v = v * 10u + (unsigned)(spec[p] - '0');
        if (v > 1000u)
            v = 1000u; /* saturate: reported as out of range below */
        p++;
    }
    if (v < BC_SCHED_MIN_BITS || v > BC_SCHED_MAX_BITS)
        return set_err(err, errlen, "schedule '%s': %s %u at position %zu is out of range %u..%u", spec, what, v,
                       *pos + 1, BC_SCHED_MIN_BITS, BC_SCHED_MAX_BITS);
    *out = v;
    *pos = p;
    return 0;
}

int bc_sched_parse(const char *spec, bc_sched_t *out, char *err, size_t errlen)
{
    if (!spec || !*spec)
        return set_err(err, errlen, "schedule '': empty spec (expected e.g. static:8 or cpt:3-8)");
    const char *colon = strchr(spec, ':');
    if (!colon)
        return set_err(err, errlen,
                       "schedule '%s': missing ':' (expected FAMILY:BITS or FAMILY:LO-HI, e.g. static:8, cpt:3-8)",
                       spec);
    size_t nlen = (size_t)(colon - spec);
    int found = -1;
    for (size_t i = 0; i < sizeof family_names / sizeof family_names[0]; i++)
        if (strlen(family_names[i].name) == nlen && !strncmp(spec, family_names[i].name, nlen))
            found = (int)i;
    if (found < 0)
        return set_err(err, errlen,
                       "schedule '%s': unknown family '%.*s' at position 1 (known: static, cpt, cos, cos-tri, "
                       "lin, lin-tri, exp, exp-tri, prog; cos-rep/lin-rep/exp-rep are aliases)",
                       spec, (int)(nlen > 64 ? 64 : nlen), spec);
    bc_sched_t s = {.family = family_names[found].family, .lo = 0, .hi = 0};
    size_t pos = nlen + 1;
    if (s.family == BC_SCHED_STATIC) {
        if (parse_bits(spec, &pos, &s.lo, "BITS", err, errlen))
            return -1;
        s.hi = s.lo;
    } else {
        if (parse_bits(spec, &pos, &s.lo, "LO", err, errlen))
            return -1;
        if (spec[pos] != '-')
            return set_err(err, errlen, "schedule '%s': expected '-' between LO and HI at position %zu", spec,
                           pos + 1);
        pos++;
        if (parse_bits(spec, &pos, &s.hi, "HI", err, errlen))
            return -1;
        if (s.lo > s.hi)
            return set_err(err, errlen, "schedule '%s': LO (%u) must not exceed HI (%u)", spec, s.lo, s.hi);
    }
    if (spec[pos] != '\0')
        return set_err(err, errlen, "schedule '%s': unexpected '%c' at position %zu", spec, spec[pos], pos + 1);
    *out = s;
    return 0;
}

int bc_sched_format(const bc_sched_t *s, char *buf, size_t len)
{
    if (s->family == BC_SCHED_STATIC)
        return snprintf(buf, len, "static:%u", s->lo);
    return snprintf(buf, len, "%s:%u-%u", bc_sched_family_name(s->family), s->lo, s->hi);
}

bc_sched_t bc_sched_static(unsigned bits)
{
    bc_sched_t s = {.family = BC_SCHED_STATIC, .lo = bits, .hi = bits};
    return s;
}

double bc_sched_rint(double x)
{
    double f = floor(x);
    double d = x - f; /* exact for |x| < 2^52 */
    if (d > 0.5)
        return f + 1.0;
    if (d < 0.5)
        return f;
    return fmod(f, 2.0) == 0.0 ? f : f + 1.0;
}

/* Ramp profiles: v in [0, 1] -> bits value before rounding. */
static double ramp(bc_sched_family_t f, unsigned lo, unsigned hi, double v)
{
    double dlo = (double)lo, dhi = (double)hi;
    switch (f) {
    case BC_SCHED_COS:
    case BC_SCHED_COS_TRI:
        /* Reference order: min + 0.5*(max-min)*(1 + cos(pi*v + pi)) */
        return dlo + 0.5 * (dhi - dlo) * (1.0 + cos(bc_pi * v + bc_pi));
    case BC_SCHED_LIN:
    case BC_SCHED_LIN_TRI:
        return dlo + (dhi - dlo) * v;
    case BC_SCHED_EXP:
    case BC_SCHED_EXP_TRI:
        return dlo * pow(dhi / dlo, v);
    default:
        return dlo;
    }
}

unsigned bc_sched_bits(const bc_sched_t *s, uint64_t t, uint64_t total_iters, unsigned cycles)
{
    if (s->family == BC_SCHED_STATIC || s->lo == s->hi)
        return s->lo;
    if (s->family == BC_SCHED_PROG) {
        /* hi-lo+1 equal stages over the whole run; only rises. */
        uint64_t stages = (uint64_t)(s->hi - s->lo + 1u);
        uint64_t n = total_iters ? total_iters : 1u;
        uint64_t tt = t < n ? t : n - 1u;
        uint64_t stage = (tt * stages) / n; /* tt*stages < 2^64 for any sane run (stages <= 16) */
        return s->lo + (unsigned)stage;
    }
    uint64_t n_cycles = cycles ? cycles : 1u;
    uint64_t period = total_iters / n_cycles;
    if (period == 0)
        period = 1;
    double u = (double)(t % period) / (double)period;
    double v = u;
    if (s->family == BC_SCHED_COS_TRI || s->family == BC_SCHED_LIN_TRI || s->family == BC_SCHED_EXP_TRI)
        v = u < 0.5 ? 2.0 * u : 2.0 - 2.0 * u;
    double b = bc_sched_rint(ramp(s->family, s->lo, s->hi, v));
    if (b < (double)s->lo)
        b = (double)s->lo;
    if (b > (double)s->hi)
        b = (double)s->hi;
    return (unsigned)b;
}

uint64_t bc_sched_bitops_factor(unsigned fw_bits, unsigned bw_bits)
{
    return (uint64_t)fw_bits * fw_bits + 2u * (uint64_t)fw_bits * bw_bits;
}

void bc_sched_summarize(const bc_sched_t *fw, const bc_sched_t *bw, uint64_t total_iters, unsigned cycles,
                        unsigned base_fw, unsigned base_bw, bc_sched_summary_t *out)
{
    memset(out, 0, sizeof *out);
    out->iters = total_iters;
    out->base_fw = base_fw;
    out->base_bw = base_bw;
    uint64_t sum_fw = 0, sum_bw = 0, sum_ops = 0;
    unsigned prev_fw = 0, prev_bw = 0;
    for (uint64_t t = 0; t < total_iters; t++) {
        unsigned f = bc_sched_bits(fw, t, total_iters, cycles);
        unsigned b = bc_sched_bits(bw, t, total_iters, cycles);
        out->fw_iters_at[f]++;
        out->bw_iters_at[b]++;
        sum_fw += f;
        sum_bw += b;
        sum_ops += bc_sched_bitops_factor(f, b);
        if (t > 0 && (f != prev_fw || b != prev_bw))
            out->switches++;
        prev_fw = f;
        prev_bw = b;
    }
    if (total_iters) {
        out->mean_fw_bits = (double)sum_fw / (double)total_iters;
        out->mean_bw_bits = (double)sum_bw / (double)total_iters;
        uint64_t base = bc_sched_bitops_factor(base_fw, base_bw);
        out->bitops_factor = base ? (double)sum_ops / ((double)total_iters * (double)base) : 0.0;
    }
}
