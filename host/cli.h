/* Shared pieces of the bitcycle command-line tool. */
#ifndef BC_HOST_CLI_H
#define BC_HOST_CLI_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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
int cmd_vp(int argc, char **argv);

/* Print "bitcycle CMD: message" to stderr and return BC_EXIT_USAGE. */
int bc_usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Print "bitcycle CMD: message" to stderr and return BC_EXIT_FAIL. */
int bc_fail(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Strict number parsing for option values: whole string, range-checked.
 * On error prints "bitcycle CMD: --OPT: ..." and returns false. */
bool bc_parse_u64(const char *cmd, const char *opt, const char *s, uint64_t lo, uint64_t hi, uint64_t *out);
bool bc_parse_double(const char *cmd, const char *opt, const char *s, double lo, double hi, double *out);

/* Atomic output: write into PATH.tmp.PID, then rename over PATH on commit.
 * PATH "-" means stdout (commit just flushes). A PATH that exists and is not a
 * regular file (a device such as /dev/null, a FIFO) is written directly, since
 * renaming over it would replace the device. Abort removes the temp file. */
typedef struct bc_out {
    FILE *fp;
    char path[1024];
    char tmp[1100];
    bool is_stdout;
    bool is_stream; /* PATH is a device or FIFO: written in place */
} bc_out_t;
bool bc_out_open(bc_out_t *o, const char *path, char *err, size_t errlen);
bool bc_out_commit(bc_out_t *o, char *err, size_t errlen);
void bc_out_abort(bc_out_t *o);

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
