/* Backend registry (host only): open a HAL backend by name with one
 * configuration, run code on it, close it. The backends built in are fixed
 * by the make variable BC_BACKENDS (fsim always; sim = Verilator RTL,
 * vp = SystemC virtual platform when the build has them).
 *
 *   static int body(bc_backend_t *be, void *arg) {
 *       bc_dev_t dev; if (bc_open(&dev, &be->hal) != BC_OK) return 1; ...
 *   }
 *   bc_backend_config_t cfg; bc_backend_config_default(&cfg);
 *   int rc = bc_backend_run("sim", &cfg, body, arg, err, sizeof err);
 *
 * bc_backend_run works on every backend (the vp backend executes the
 * software inside the platform's CPU thread, so it only has this form);
 * fsim and sim can also be opened and closed around the caller's own code
 * with bc_backend_open / bc_backend_close. */
#ifndef BC_BACKEND_H
#define BC_BACKEND_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "bc_hal.h"
#include "bc_hal_sim.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct bc_backend_config {
    size_t mem_bytes;          /* device memory (0: the backend's default) */
    unsigned rd_latency, wr_latency; /* sim/vp memory model, cycles (0: default) */
    double stall_prob;         /* sim/vp: random ready/valid stalls per cycle */
    uint64_t seed;             /* sim/vp: seed of the stall generator */
    uint32_t err_lo, err_hi;   /* bus-error window [err_lo, err_hi], every backend */
    int err_kind;              /* 0 off, 1 reads, 2 writes, 3 both */
    const char *trace_path;    /* sim/vp: FST/VCD trace, NULL none */
} bc_backend_config_t;

typedef struct bc_backend {
    const char *name; /* "fsim", "sim", "vp" */
    bc_hal_t hal;     /* pass to bc_open */
    void *impl;       /* bc_fsim_t *, bc_sim_t * or bc_vp_t * (backend-specific calls) */
    union {           /* the HAL context an open backend owns (private) */
        bc_hal_sim_t sim;
    } priv;
} bc_backend_t;

typedef int (*bc_backend_fn)(bc_backend_t *be, void *arg);

void bc_backend_config_default(bc_backend_config_t *cfg);

/* Open backend `name`, call fn(be, arg), close it. Returns fn's result, or
 * -1 with a message in err when the backend is unknown, not in this build
 * or cannot be created. */
int bc_backend_run(const char *name, const bc_backend_config_t *cfg, bc_backend_fn fn, void *arg,
                   char *err, size_t errlen);

/* Open fsim or sim (vp: use bc_backend_run). 0, or -1 with a message in err. */
int bc_backend_open(const char *name, const bc_backend_config_t *cfg, bc_backend_t *be, char *err,
                    size_t errlen);
/* Destroy what bc_backend_open created (no-op on a zeroed handle). */
void bc_backend_close(bc_backend_t *be);

/* The names built in, separated by spaces ("fsim sim vp"). */
const char *bc_backend_names(void);
/* True when `name` is one of them. */
bool bc_backend_available(const char *name);

#ifdef __cplusplus
}
#endif
#endif
