/* The same register-level program on the C-ABI harness and on the SystemC
 * virtual platform: identical reads and responses (compared by digest), plus a
 * GEMM bit-exact against the golden model, an error job and the interrupt line
 * on the VP, and system latency that includes the CPU's register traffic. */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "bc_regs.h"
#include "bc_sim.h"
#include "bc_vp.h"
#include "plat.h"
#include "test_env.h"

static const double CLOCK_HZ = PLAT_VP_CLOCK_HZ;



static uint64_t g_seed = 1;

struct vp_result {
    uint64_t digest;
    uint64_t job_ns, job_cycles, reg_ns, busy_cycles;
};

static int vp_entry(bc_vp_t *vp, void *arg)
{
    struct vp_result *res = arg;
    plat_bus_t b = plat_bus_vp(vp);
    res->digest = plat_register_suite(&b);

    /* register access time is annotated: 100 reads take at least 100 * reg_access_ns */
    plat_test = "vp_reg_time";
    uint64_t t0 = bc_vp_now_ns(vp);
    for (int i = 0; i < 100; i++)
        plat_rd(&b, BC_REG_ID);
    res->reg_ns = bc_vp_now_ns(vp) - t0;
    CHECK(res->reg_ns >= 100 * 40, "100 register reads took %" PRIu64 " ns", res->reg_ns);

    plat_test = "vp_gemm";
    uint64_t rng = g_seed * 101 + 3;
    uint32_t next = 0x1000;
    plat_job_t j;
    plat_job_make(&b, &j, 24, 20, 300, 6, 5, true, false, &next, 1, &rng);
    j.id = 0x77;
    plat_wr(&b, BC_REG_IRQ_ENABLE, 3);
    t0 = bc_vp_now_ns(vp);
    uint64_t c0 = bc_vp_cycles(vp);
    plat_job_push(&b, &j);
    int rc = bc_vp_wait_irq(vp, 10 * 1000 * 1000);
    res->job_ns = bc_vp_now_ns(vp) - t0;
    res->job_cycles = bc_vp_cycles(vp) - c0;
    CHECK(rc == 0, "no DONE interrupt (rc %d)", rc);
    uint32_t st = plat_rd(&b, BC_REG_IRQ_STATUS);
    CHECK(st == BC_IRQ_STATUS_DONE_MASK, "IRQ_STATUS 0x%x", st);
    plat_wr(&b, BC_REG_IRQ_STATUS, st);
    CHECK(plat_job_check(&b, &j) == 0, "VP GEMM differs from golden");
    CHECK(plat_rd(&b, BC_REG_LAST_JOB_ID) == 0x77, "LAST_JOB_ID");
    res->busy_cycles = plat_rd64(&b, BC_REG_CNT_BUSY_LO);

    plat_test = "vp_error";
    plat_wr(&b, BC_REG_JOB_K, 0);
    plat_wr(&b, BC_REG_JOB_ID, 0x78);
    plat_wr(&b, BC_REG_JOB_PUSH, 1);
    CHECK(bc_vp_wait_irq(vp, 100000) == 0, "no ERR interrupt");
    CHECK(plat_rd(&b, BC_REG_ERR_CODE) == BC_ERR_BAD_K && plat_rd(&b, BC_REG_ERR_JOB_ID) == 0x78, "ERR_CODE %u",
          plat_rd(&b, BC_REG_ERR_CODE));
    plat_job_free(&j);
    return 7;
}

int main(void)
{
    g_seed = test_env_seed("test_vp", g_seed);
    plat_axi_bits = bc_sim_axi_bits();
    printf("platform VP tests, SEED=%" PRIu64 ", AXI data width %u bits\n", g_seed, plat_axi_bits);

    bc_sim_config_t scfg;
    bc_sim_config_default(&scfg);
    scfg.mem_bytes = 16u << 20;
    char err[256];
    bc_sim_t *s = bc_sim_create(&scfg, err, sizeof err);
    if (!s) {
        fprintf(stderr, "bc_sim_create: %s\n", err);
        return 1;
    }
    plat_bus_t sb = plat_bus_sim(s);
    uint64_t d_sim = plat_register_suite(&sb);
    bc_sim_destroy(s);

    bc_vp_config_t vcfg;
    bc_vp_config_default(&vcfg);
    vcfg.sim.mem_bytes = 16u << 20;
    struct vp_result res = {0, 0, 0, 0, 0};
    int rc = bc_vp_run(&vcfg, vp_entry, &res, err, sizeof err);
    plat_test = "vp_run";
    CHECK(rc == 7, "bc_vp_run returned %d: %s", rc, err);
    plat_test = "same_program_both_harnesses";
    CHECK(res.digest == d_sim, "register suite digests differ: sim %016" PRIx64 " vp %016" PRIx64, d_sim, res.digest);
    printf("  register suite digest: sim %016" PRIx64 ", vp %016" PRIx64 "\n", d_sim, res.digest);
    printf("  vp GEMM 24x20x300 w6 a5: %" PRIu64 " ns system latency, %" PRIu64 " accelerator cycles (%.0f ns)\n",
           res.job_ns, res.job_cycles, (double)res.job_cycles * 1e9 / CLOCK_HZ);
    plat_test = "vp_latency";
    /* push = 12 register writes; each costs reg_access_ns on top of the bus cycles */
    double busy_ns = (double)res.busy_cycles * 1e9 / CLOCK_HZ;
    CHECK((double)res.job_ns >= busy_ns + 12.0 * vcfg.reg_access_ns,
          "system latency %" PRIu64 " ns does not include the register traffic (busy %.0f ns + 12 x %u ns)", res.job_ns,
          busy_ns, vcfg.reg_access_ns);
    /* a second run in the same process is refused with a clear message */
    rc = bc_vp_run(&vcfg, vp_entry, &res, err, sizeof err);
    CHECK(rc == -1 && strstr(err, "once per process"), "second bc_vp_run: %d %s", rc, err);
    printf("platform-vp: %u passed, %u failed\n", plat_pass, plat_fail);
    return plat_fail ? 1 : 0;
}
