/* Backends of the functional suite: fsim always; sim (Verilator) and vp
 * (SystemC) when the simulator library and virtual platform are built
 * (BCDRV_HAVE_SIM / BCDRV_HAVE_VP, set by driver/driver.mk). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bc_hal_fsim.h"
#include "drv_func.h"
#ifdef BCDRV_HAVE_SIM
#include "bc_hal_sim.h"
#include "bc_sim.h"
#endif
#ifdef BCDRV_HAVE_VP
#include "bc_hal_vp.h"
#include "bc_vp.h"
#endif

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

/* ---- fsim ---- */

static bc_fsim_t *fsim_new(void)
{
    bc_fsim_config_t cfg;
    bc_fsim_config_default(&cfg);
    cfg.mem_bytes = 16u << 20;
    cfg.err_kind = 3;
    cfg.err_lo = FUNC_ERR_LO;
    cfg.err_hi = FUNC_ERR_HI;
    char err[200];
    bc_fsim_t *f = bc_fsim_create(&cfg, err, sizeof err);
    if (!f)
        fprintf(stderr, "%s\n", err);
    return f;
}

static int open_dev(func_backend_t *be, const bc_hal_t *hal)
{
    bc_status_t st = bc_open(&be->dev, hal);
    if (st != BC_OK)
        fprintf(stderr, "bc_open on %s: %s\n", be->name, bc_strerror(st));
    return st == BC_OK ? 0 : -1;
}

static int fsim_backend(func_backend_t *be)
{
    memset(be, 0, sizeof *be);
    be->name = "fsim";
    be->bus_errors = true;
    bc_fsim_t *f = fsim_new();
    if (!f)
        return -1;
    be->impl = f;
    bc_hal_t hal;
    bc_fsim_hal(f, &hal);
    return open_dev(be, &hal);
}

/* ---- sim ---- */
#ifdef BCDRV_HAVE_SIM
static bc_hal_sim_t sim_hal_ctx;

static int sim_backend(func_backend_t *be)
{
    memset(be, 0, sizeof *be);
    be->name = "sim";
    be->bus_errors = true;
    bc_sim_config_t cfg;
    bc_sim_config_default(&cfg);
    cfg.mem_bytes = 16u << 20;
    cfg.err_kind = 3;
    cfg.err_lo = FUNC_ERR_LO;
    cfg.err_hi = FUNC_ERR_HI;
    char err[256];
    bc_sim_t *s = bc_sim_create(&cfg, err, sizeof err);
    if (!s) {
        fprintf(stderr, "bc_sim_create: %s\n", err);
        return -1;
    }
    be->impl = s;
    sim_hal_ctx.sim = s;
    sim_hal_ctx.clock_hz = 0;
    bc_hal_t hal;
    bc_hal_sim_init(&hal, &sim_hal_ctx);
    return open_dev(be, &hal);
}
#endif

/* ---- vp ---- */
#ifdef BCDRV_HAVE_VP
typedef struct vp_arg {
    func_backend_t *be, *ref;
    int failed;
} vp_arg_t;

static int vp_entry(bc_vp_t *vp, void *arg)
{
    vp_arg_t *va = arg;
    bc_hal_t hal;
    bc_hal_vp_init(&hal, vp);
    va->be->impl = vp;
    if (open_dev(va->be, &hal))
        return -1;
    va->failed = func_run_suite(va->be, va->ref);
    return 0;
}
#endif

int func_main(const char *name)
{
    static func_backend_t fsim, other;
    if (fsim_backend(&fsim))
        return 1;
    int failed;
    if (strcmp(name, "fsim") == 0) {
        failed = func_run_suite(&fsim, NULL);
#ifdef BCDRV_HAVE_SIM
    } else if (strcmp(name, "sim") == 0) {
        /* One Verilated model per process: destroying a second one
         * deadlocks in Verilator 5.006 (scopeErase). */
        if (sim_backend(&other))
            return 1;
        failed = func_run_suite(&other, &fsim);
        bc_sim_destroy(other.impl);
#endif
#ifdef BCDRV_HAVE_VP
    } else if (strcmp(name, "vp") == 0) {
        memset(&other, 0, sizeof other);
        other.name = "vp";
        other.bus_errors = true;
        vp_arg_t va = {&other, &fsim, 0};
        bc_vp_config_t cfg;
        bc_vp_config_default(&cfg);
        cfg.sim.mem_bytes = 16u << 20;
        cfg.sim.err_kind = 3;
        cfg.sim.err_lo = FUNC_ERR_LO;
        cfg.sim.err_hi = FUNC_ERR_HI;
        char err[256];
        int rc = bc_vp_run(&cfg, vp_entry, &va, err, sizeof err);
        if (rc != 0) {
            fprintf(stderr, "bc_vp_run: %s\n", rc < 0 ? err : "entry failed");
            return 1;
        }
        failed = va.failed;
#endif
    } else {
        (void)other;
        fprintf(stderr, "test_drv_func: backend '%s' is not built (fsim"
#ifdef BCDRV_HAVE_SIM
                        ", sim"
#endif
#ifdef BCDRV_HAVE_VP
                        ", vp"
#endif
                        " available)\n",
                name);
        return 2;
    }
    bc_fsim_destroy(fsim.impl);
    return failed ? 1 : 0;
}
