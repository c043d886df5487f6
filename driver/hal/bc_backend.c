/* Backend registry (see bc_backend.h). The backends compiled in come from the
 * generated bc_backends.h (make variable BC_BACKENDS). */
#include "bc_backend.h"

#include <stdio.h>
#include <string.h>

#include "bc_backends.h"
#include "bc_hal_fsim.h"
#ifdef BC_BACKEND_HAVE_SIM
#include "bc_hal_sim.h"
#include "bc_sim.h"
#endif
#ifdef BC_BACKEND_HAVE_VP
#include "bc_hal_vp.h"
#include "bc_vp.h"
#endif

void bc_backend_config_default(bc_backend_config_t *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->seed = 1;
}

static const char backend_names[] = BC_BACKEND_NAMES;

const char *bc_backend_names(void)
{
    return backend_names;
}

bool bc_backend_available(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    for (const char *p = backend_names; n && (p = strstr(p, name)) != NULL; p += n)
        if ((p == backend_names || p[-1] == ' ') && (p[n] == ' ' || p[n] == 0))
            return true;
    return false;
}

static int open_fsim(const bc_backend_config_t *cfg, bc_backend_t *be, char *err, size_t errlen)
{
    bc_fsim_config_t fc;
    bc_fsim_config_default(&fc);
    if (cfg->mem_bytes)
        fc.mem_bytes = cfg->mem_bytes;
    fc.err_lo = cfg->err_lo;
    fc.err_hi = cfg->err_hi;
    fc.err_kind = cfg->err_kind;
    bc_fsim_t *f = bc_fsim_create(&fc, err, errlen);
    if (!f)
        return -1;
    be->name = "fsim";
    be->impl = f;
    bc_fsim_hal(f, &be->hal);
    return 0;
}

#if defined(BC_BACKEND_HAVE_SIM) || defined(BC_BACKEND_HAVE_VP)
/* Apply cfg over the backend's defaults in sc. */
static void sim_config(const bc_backend_config_t *cfg, bc_sim_config_t *sc)
{
    if (cfg->mem_bytes)
        sc->mem_bytes = cfg->mem_bytes;
    if (cfg->rd_latency)
        sc->rd_latency = cfg->rd_latency;
    if (cfg->wr_latency)
        sc->wr_latency = cfg->wr_latency;
    sc->stall_prob = cfg->stall_prob;
    sc->seed = cfg->seed;
    sc->err_lo = cfg->err_lo;
    sc->err_hi = cfg->err_hi;
    sc->err_kind = cfg->err_kind;
    sc->trace_path = cfg->trace_path;
}
#endif

#ifdef BC_BACKEND_HAVE_SIM
static int open_sim(const bc_backend_config_t *cfg, bc_backend_t *be, char *err, size_t errlen)
{
    bc_sim_config_t sc;
    bc_sim_config_default(&sc);
    sim_config(cfg, &sc);
    bc_sim_t *s = bc_sim_create(&sc, err, errlen);
    if (!s)
        return -1;
    be->name = "sim";
    be->impl = s;
    be->priv.sim = (bc_hal_sim_t){s, 0.0};
    bc_hal_sim_init(&be->hal, &be->priv.sim);
    return 0;
}
#endif

#ifdef BC_BACKEND_HAVE_VP
typedef struct vp_call {
    bc_backend_fn fn;
    void *arg;
} vp_call_t;

static int vp_entry(bc_vp_t *vp, void *arg)
{
    const vp_call_t *c = arg;
    bc_backend_t be = {.name = "vp", .impl = vp};
    bc_hal_vp_init(&be.hal, vp);
    return c->fn(&be, c->arg);
}

static int run_vp(const bc_backend_config_t *cfg, bc_backend_fn fn, void *arg, char *err, size_t errlen)
{
    bc_vp_config_t vc;
    bc_vp_config_default(&vc);
    sim_config(cfg, &vc.sim);
    vp_call_t c = {fn, arg};
    char verr[256] = "";
    int rc = bc_vp_run(&vc, vp_entry, &c, verr, sizeof verr);
    if (rc < 0 && verr[0])
        snprintf(err, errlen, "%s", verr);
    return rc;
}
#endif

int bc_backend_open(const char *name, const bc_backend_config_t *cfg, bc_backend_t *be, char *err,
                    size_t errlen)
{
    bc_backend_config_t def;
    if (!cfg) {
        bc_backend_config_default(&def);
        cfg = &def;
    }
    if (errlen)
        err[0] = 0;
    if (!name || !be) {
        snprintf(err, errlen, "no backend name or handle");
        return -1;
    }
    memset(be, 0, sizeof *be);
    if (strcmp(name, "fsim") == 0)
        return open_fsim(cfg, be, err, errlen);
#ifdef BC_BACKEND_HAVE_SIM
    if (strcmp(name, "sim") == 0)
        return open_sim(cfg, be, err, errlen);
#endif
    if (strcmp(name, "vp") == 0 && bc_backend_available(name))
        snprintf(err, errlen, "backend vp runs the software inside it: use bc_backend_run");
    else if (bc_backend_available(name))
        snprintf(err, errlen, "backend '%s' is listed in BC_BACKENDS but has no implementation", name);
    else if (strcmp(name, "sim") == 0 || strcmp(name, "vp") == 0)
        snprintf(err, errlen, "backend %s is not part of this build (built in: %s)", name, backend_names);
    else
        snprintf(err, errlen, "unknown backend '%s' (built in: %s)", name, backend_names);
    return -1;
}

void bc_backend_close(bc_backend_t *be)
{
    if (!be || !be->impl)
        return;
    if (strcmp(be->name, "fsim") == 0)
        bc_fsim_destroy(be->impl);
#ifdef BC_BACKEND_HAVE_SIM
    else if (strcmp(be->name, "sim") == 0)
        bc_sim_destroy(be->impl);
#endif
    be->impl = NULL;
}

int bc_backend_run(const char *name, const bc_backend_config_t *cfg, bc_backend_fn fn, void *arg,
                   char *err, size_t errlen)
{
    bc_backend_config_t def;
    if (!cfg) {
        bc_backend_config_default(&def);
        cfg = &def;
    }
    if (!fn) {
        snprintf(err, errlen, "no function to run");
        return -1;
    }
#ifdef BC_BACKEND_HAVE_VP
    if (name && strcmp(name, "vp") == 0)
        return run_vp(cfg, fn, arg, err, errlen);
#endif
    bc_backend_t be;
    if (bc_backend_open(name, cfg, &be, err, errlen))
        return -1;
    int rc = fn(&be, arg);
    bc_backend_close(&be);
    return rc;
}
