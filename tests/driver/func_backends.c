/* Backends of the functional suite: every backend of the registry
 * (bc_backend.h), each compared with an fsim reference. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bc_backend.h"
#include "drv_func.h"

void func_compare_counters(const char *backend, const bc_counters_t *got, const bc_counters_t *ref,
                           uint64_t seed)
{
    int bad = 0;
    for (unsigned i = 0; i < BC_NUM_COUNTERS; i++) {
        const char *name = bc_counter_info(i)->name;
        uint64_t g = bc_counter_get(got, i), r = bc_counter_get(ref, i);
        /* busy and stall depend on the memory timing the analytical model
         * approximates (calibrated by `bitcycle calibrate`): reported with
         * their difference, not asserted. Every event count must be exact. */
        bool cycles = strcmp(name, "busy") == 0 || strcmp(name, "stall") == 0;
        if (cycles) {
            printf("# counter %s: %s %llu, fsim %llu (%+.2f%%)\n", name, backend,
                   (unsigned long long)g, (unsigned long long)r,
                   r ? 100.0 * ((double)g - (double)r) / (double)r : 0.0);
        } else if (g != r) {
            printf("# counter %s: %s %llu, fsim %llu (SEED=%llu)\n", name, backend,
                   (unsigned long long)g, (unsigned long long)r, (unsigned long long)seed);
            bad++;
        }
    }
    if (bad)
        fail_msg("%d event counters differ between %s and fsim (SEED=%llu)", bad, backend,
                 (unsigned long long)seed);
}

static int open_dev(func_backend_t *fb, bc_backend_t *be)
{
    memset(fb, 0, sizeof *fb);
    fb->name = be->name;
    fb->impl = be->impl;
    fb->bus_errors = true;
    bc_status_t st = bc_open(&fb->dev, &be->hal);
    if (st != BC_OK)
        fprintf(stderr, "bc_open on %s: %s\n", be->name, bc_strerror(st));
    return st == BC_OK ? 0 : -1;
}

typedef struct func_run {
    const char *name;
    bc_backend_config_t cfg;
    func_backend_t ref, other;
    int failed;
} func_run_t;

/* The backend under test, while the fsim reference is open. */
static int on_other(bc_backend_t *be, void *arg)
{
    func_run_t *r = arg;
    if (open_dev(&r->other, be))
        return -1;
    r->failed = func_run_suite(&r->other, &r->ref);
    return 0;
}

static int on_reference(bc_backend_t *be, void *arg)
{
    func_run_t *r = arg;
    if (open_dev(&r->ref, be))
        return -1;
    if (strcmp(r->name, "fsim") == 0) {
        r->failed = func_run_suite(&r->ref, NULL);
        return 0;
    }
    /* One Verilated model per process: the registry destroys it once. */
    char err[256];
    int rc = bc_backend_run(r->name, &r->cfg, on_other, r, err, sizeof err);
    if (rc < 0 && err[0])
        fprintf(stderr, "test_drv_func: %s\n", err);
    return rc;
}

int func_main(const char *name)
{
    static func_run_t run;
    if (!bc_backend_available(name)) {
        fprintf(stderr, "test_drv_func: backend '%s' is not built (%s available)\n", name,
                bc_backend_names());
        return 2;
    }
    run.name = name;
    bc_backend_config_default(&run.cfg);
    run.cfg.mem_bytes = 16u << 20;
    run.cfg.err_kind = 3;
    run.cfg.err_lo = FUNC_ERR_LO;
    run.cfg.err_hi = FUNC_ERR_HI;
    char err[256];
    int rc = bc_backend_run("fsim", &run.cfg, on_reference, &run, err, sizeof err);
    if (rc != 0) {
        fprintf(stderr, "test_drv_func: %s\n", err[0] ? err : "backend failed");
        return 1;
    }
    return run.failed ? 1 : 0;
}
