/* bitcycle sweep: a JSON sweep file (docs/sweeps.md) expanded into points,
 * each run as its own `bitcycle estimate` process, locally or on Slurm. */
#ifndef BC_SWEEP_H
#define BC_SWEEP_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SWEEP_MAX_AXES 32
#define SWEEP_MAX_VALUES 256
#define SWEEP_MAX_POINTS 100000u
#define SWEEP_MAX_ARGS (2 * SWEEP_MAX_AXES + 16)

typedef enum { SWEEP_INT, SWEEP_REAL, SWEEP_STR, SWEEP_BOOL } sweep_type_t;

/* One parameter a sweep can vary: the estimate option it becomes. */
typedef struct sweep_axis_def {
    const char *name;       /* key in the sweep file */
    const char *flag;       /* option of `bitcycle estimate` */
    sweep_type_t type;
    bool hardware;          /* part of the hardware configuration */
    double lo, hi;          /* range of numbers */
    const char *const *choices; /* allowed strings, NULL for free text */
} sweep_axis_def_t;

extern const sweep_axis_def_t sweep_axis_defs[];

typedef struct sweep_axis {
    const sweep_axis_def_t *def;
    char **values; /* canonical text of each value */
    size_t n;
    unsigned line;
    bool fixed; /* from "fixed": one value, not a plot axis */
} sweep_axis_t;

typedef struct sweep_config {
    char key[512];   /* hardware values that calibrate takes, canonical */
    char calib[1100]; /* calibration file of this configuration */
    char *args[2 * SWEEP_MAX_AXES + 1]; /* calibrate options (pointers into axis values) */
    size_t nargs;
    bool cached;
} sweep_config_t;

typedef struct sweep {
    char path[1024];
    char outdir[1024];
    char calib_dir[1024];
    char self[1024];     /* the bitcycle binary that runs the points */
    char sweep_hash[17]; /* FNV-1a of the sweep file */
    char code_hash[17];  /* FNV-1a of the bitcycle binary */
    char *text;
    sweep_axis_t axes[SWEEP_MAX_AXES];
    size_t n_axes;
    bool no_calibrate;
    size_t n_points;
    uint16_t *pidx;      /* n_points x n_axes value indices */
    size_t *pconfig;     /* configuration of each point */
    sweep_config_t *configs;
    size_t n_configs;
    char heat_x[32], heat_y[32], series[32];
    bool probe; /* ask this build's estimate and calibrate which options they take */
} sweep_t;

/* Load, validate and expand FILE. Every error names the file, the line and
 * the field; nothing is run. calib_dir NULL: build/calib. */
bool sweep_load(sweep_t *s, const char *path, const char *outdir, const char *calib_dir, char *err, size_t errlen);
/* The parsing half of sweep_load for a sweep_t whose path, outdir, calib_dir
 * (and self, when probe) are set: no binary hash; with probe false every
 * axis is taken to be an estimate option and calibrate to take none. */
bool sweep_parse(sweep_t *s, char *err, size_t errlen);
void sweep_free(sweep_t *s);
/* Value of axis a at point p. */
const char *sweep_value(const sweep_t *s, size_t p, size_t a);
/* "axis=value,..." of the point over its varying axes. */
void sweep_point_key(const sweep_t *s, size_t p, char *buf, size_t len);
/* argv of point p's estimate (NULL-terminated; strings owned by s or static). */
size_t sweep_point_argv(const sweep_t *s, size_t p, const char *json_out, char **argv, size_t max);
/* argv of configuration c's calibration. */
size_t sweep_config_argv(const sweep_t *s, size_t c, char **argv, size_t max);
/* Re-check which configurations have a current calibration file. */
void sweep_check_cache(sweep_t *s);
uint64_t sweep_fnv1a(const void *data, size_t len, uint64_t h);
bool sweep_hash_file(const char *path, char out[17], char *err, size_t errlen);

/* ---------------------------------------------------------------- runs */

/* Result of point p in its file; returns 1 done ok, 0 missing or failed, -1
 * the file belongs to another sweep file or bitcycle build (err says so). */
int sweep_result_state(const sweep_t *s, size_t p, char *err, size_t errlen);
void sweep_result_path(const sweep_t *s, size_t p, char *buf, size_t len);
/* Run point p now, in a child process; writes its result file atomically.
 * Returns true when the estimate succeeded. */
bool sweep_run_point(const sweep_t *s, size_t p, char *err, size_t errlen);
/* Run calibration c (blocking). */
bool sweep_run_config(const sweep_t *s, size_t c, char *err, size_t errlen);
/* Write DIR/plan.json (the points and the hashes) atomically. */
bool sweep_write_plan(const sweep_t *s, char *err, size_t errlen);
/* fork + execv argv; stdout/stderr to the given files (NULL: inherit). */
long sweep_spawn(char *const argv[], const char *out_path, const char *err_path, char *err, size_t errlen);
/* waits for pid; returns its exit status, 128+signal when killed, -1 error */
int sweep_wait(long pid);

typedef struct sweep_exec_opts {
    unsigned jobs;
    bool progress;
    const char *partition, *time, *mem;
    const char *sbatch_extra[16];
    size_t n_extra;
    bool wait;
} sweep_exec_opts_t;
int sweep_exec_local(sweep_t *s, const sweep_exec_opts_t *o, char *err, size_t errlen);
int sweep_exec_slurm(sweep_t *s, const sweep_exec_opts_t *o, char *err, size_t errlen);

/* ---------------------------------------------------------------- merge */
typedef struct sweep_merge_opts {
    const char *heat_x, *heat_y, *series;
    bool plots;
} sweep_merge_opts_t;
int sweep_merge(const char *dir, const sweep_merge_opts_t *o, char *err, size_t errlen);

#endif
