/* Shared pieces of the bitcycle command-line tool. */
#ifndef BC_HOST_CLI_H
#define BC_HOST_CLI_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "safeio.h"

/* Exit codes used by every command. */
enum { BC_EXIT_OK = 0, BC_EXIT_FAIL = 1, BC_EXIT_USAGE = 2 };

/* Output format chosen by --json / --csv (table is the default). */
typedef enum { BC_FMT_TABLE = 0, BC_FMT_JSON, BC_FMT_CSV } bc_fmt_t;

/* Subcommands: one file each, host/cmd_<name>.c. */
int cmd_estimate(int argc, char **argv);
int cmd_calibrate(int argc, char **argv);
int cmd_schedule(int argc, char **argv);
int cmd_train(int argc, char **argv);
int cmd_wave(int argc, char **argv);
int cmd_model(int argc, char **argv);
int cmd_bench(int argc, char **argv);
int cmd_sweep(int argc, char **argv);
int cmd_vp(int argc, char **argv);

/* Print "bitcycle CMD: message" to stderr and return BC_EXIT_USAGE. */
int bc_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "bitcycle CMD: message" to stderr and return BC_EXIT_FAIL. */
int bc_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* The tool's version: the hardware interface version it was built against
 * (the VERSION register's major.minor.patch), e.g. "bitcycle 1.0.0". */
void bc_version_print(FILE *fp);

/* Nearest name to `word` among names[0..n) by edit distance, or NULL when
 * none is close (for "did you mean" hints). */
const char *bc_nearest(const char *word, const char *const *names, size_t n);

struct option;
/* The getopt_long error branch of every command: c is what getopt_long
 * returned (':' missing value, '?' unknown option; opterr must be 0 and the
 * option string start with ':'). Prints "bitcycle CMD: unknown option
 * '--x'; did you mean '--y'?" or "option --x needs a value" and returns
 * BC_EXIT_USAGE. */
int bc_bad_option(const char *cmd, int c, char **argv, const struct option *longopts);

/* The schedule period T = floor(iters / cycles), one rule for every command:
 * without --cycles a run gets min(32, iters / 16) cycles (at least 1), so
 * every cycle spans 16 iterations or more; with --cycles N > iters the
 * period collapses and bc_warn_period says so, in the same words in every
 * command ("bitcycle CMD: warning: ..."). */
#define BC_DEFAULT_CYCLES 32u
uint64_t bc_default_cycles(uint64_t iters);
void bc_warn_period(const char *cmd, uint64_t iters, uint64_t cycles);

/* --json / --csv: sets *fmt, refusing both together (returns false after
 * printing the error). */
bool bc_fmt_choose(const char *cmd, bc_fmt_t *fmt, bc_fmt_t want);

/* Strict number parsing for option values: whole string, range-checked.
 * On error prints "bitcycle CMD: --OPT: ..." and returns false. */
bool bc_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t lo, uint64_t hi, uint64_t *out);
bool bc_parse_double(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out);

/* Safe outputs (bc_out_*) and bounded readers (bc_lines_*): safeio.h. */

/* Progress bar on stderr, drawn only when stderr is a terminal. */
typedef struct bc_progress {
    const char *label;
    uint64_t total, done;
    double t_start, t_last;
    bool enabled;
} bc_progress_t;
void bc_progress_start(bc_progress_t *p, const char *label, uint64_t total);
void bc_progress_step(bc_progress_t *p, uint64_t done);
void bc_progress_end(bc_progress_t *p);
double bc_now_seconds(void);

/* JSON string escaping into fp (with quotes). */
void bc_json_str(FILE *fp, const char *s);
/* Print a double so JSON accepts it (no inf/nan: prints null). */
void bc_json_num(FILE *fp, double v);

#endif
