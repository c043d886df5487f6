/* Waveform traces (FST via Verilator's fstapi, VCD via a small reader) loaded into
 * per-signal lists of value changes. Only the signals a caller asks for are kept. */
#ifndef BC_WAVE_TRACE_H
#define BC_WAVE_TRACE_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One value change. Bits above 64 are dropped; xmask marks x/z bits (value bit is 0). */
typedef struct wave_change {
    uint64_t time;
    uint64_t value;
    uint64_t xmask;
} wave_change_t;

typedef struct wave_signal {
    char *scope;    /* dotted hierarchy, e.g. "TOP.bitcycle_top" */
    char *name;     /* leaf name without a bit range */
    unsigned width; /* declared width in bits */
    wave_change_t *ch;
    size_t n, cap;
} wave_signal_t;

typedef enum { WAVE_FMT_VCD = 0, WAVE_FMT_FST } wave_fmt_t;

typedef struct wave_trace {
    wave_fmt_t fmt;
    int timescale_exp;      /* time unit = timescale_mul * 10^timescale_exp s */
    unsigned timescale_mul; /* 1, 10 or 100 */
    uint64_t t_last;        /* latest time seen in the file */
    wave_signal_t *sig;
    size_t nsig;
} wave_trace_t;

/* Called for every variable in the file; return true to keep its value changes. */
typedef bool (*wave_want_fn)(const char *scope, const char *name, unsigned width, void *ctx);

/* Load PATH (format from its content: FST or VCD). Returns 0, or -1 with a message in
 * err that names the file (and the line for VCD). */
int wave_load(const char *path, wave_want_fn want, void *ctx, wave_trace_t *out, char *err,
              size_t errlen);
void wave_free(wave_trace_t *t);

/* Format-specific loaders behind wave_load. */
int wave_load_vcd(const char *path, wave_want_fn want, void *ctx, wave_trace_t *out, char *err,
                  size_t errlen);
int wave_load_fst(const char *path, wave_want_fn want, void *ctx, wave_trace_t *out, char *err,
                  size_t errlen);

/* Shared by the loaders: add a signal / a change (a change at the same time as the
 * previous one replaces it). Return false on allocation failure. */
wave_signal_t *wave_add_signal(wave_trace_t *t, const char *scope, const char *name, unsigned width);
bool wave_push(wave_signal_t *s, uint64_t time, uint64_t value, uint64_t xmask);
/* Parse a 4-state bit string (MSB first, '0' '1' 'x' 'z', any case) of up to len chars. */
void wave_parse_bits(const char *bits, size_t len, uint64_t *value, uint64_t *xmask);
/* Strip a trailing " [hi:lo]" range from a declared name, in place. */
void wave_strip_range(char *name);

/* Find a signal by exact scope and name. */
wave_signal_t *wave_find(const wave_trace_t *t, const char *scope, const char *name);

/* Value in effect strictly before time t. *cursor (start at 0) makes a forward sweep
 * linear. Returns false when the signal has no value before t. */
bool wave_value_before(const wave_signal_t *s, uint64_t t, size_t *cursor, uint64_t *value,
                       uint64_t *xmask);

/* "1ps", "10ns", ... */
void wave_timescale_str(const wave_trace_t *t, char *buf, size_t len);

#endif
