/* drv_probe: feeds one bad driver descriptor or register write to a device
 * (fsim by default) the way the robustness suite needs it, from the command
 * line. Prints the error naming the field or register and exits 2 when the
 * input is refused, 0 when it is accepted, 1 when anything else goes wrong
 * (including a following good job that is not bit-exact: every refusal must
 * leave the device usable).
 *
 *   drv_probe [--backend fsim|sim] desc FIELD=VALUE...   (m n k wbits abits lda ldb ldc a_addr b_addr c_addr)
 *   drv_probe [--backend B] reg-write OFFSET VALUE       (OFFSET in hex or decimal)
 *   drv_probe [--backend B] reg-read OFFSET
 *   drv_probe [--backend B] reg-busy                     (DMA_CFG written while a job runs)
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bc_regs.h"
#include "hard_util.h"

static const char *prog = "drv_probe";

static int parse_u32(const char *what, const char *s, uint32_t *out)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    if (errno || end == s || *end || v > 0xffffffffull) {
        fprintf(stderr, "%s: %s: '%s' is not a 32-bit number\n", prog, what, s);
        return -1;
    }
    *out = (uint32_t)v;
    return 0;
}

/* A good job after the refusal: the device must still compute bit-exactly. */
static int recovery(hu_dev_t *d)
{
    hu_rng_t r;
    hu_seed(&r, 7);
    hu_job_t j = {13, 9, 130, 5, 7, true, false};
    bc_error_clear(&d->dev);
    if (hu_run(d, &r, &j, 0x40000, 100000000ull, "recovery job") != 0) {
        fprintf(stderr, "%s: the device did not recover: the next good job failed\n", prog);
        return 1;
    }
    return 0;
}

static int set_field(bc_gemm_t *g, const char *kv)
{
    const char *eq = strchr(kv, '=');
    if (!eq) {
        fprintf(stderr, "%s: desc: '%s' is not FIELD=VALUE\n", prog, kv);
        return -1;
    }
    size_t n = (size_t)(eq - kv);
    uint32_t v;
    if (parse_u32(kv, eq + 1, &v))
        return -1;
    struct { const char *name; uint32_t *p; } f[] = {
        {"m", &g->m}, {"n", &g->n}, {"k", &g->k}, {"lda", &g->lda}, {"ldb", &g->ldb}, {"ldc", &g->ldc},
        {"a_addr", &g->a_addr}, {"b_addr", &g->b_addr}, {"c_addr", &g->c_addr}, {"job_id", &g->job_id},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (strlen(f[i].name) == n && !strncmp(kv, f[i].name, n)) {
            *f[i].p = v;
            return 0;
        }
    if (n == 5 && !strncmp(kv, "wbits", 5)) {
        g->wbits = v;
        return 0;
    }
    if (n == 5 && !strncmp(kv, "abits", 5)) {
        g->abits = v;
        return 0;
    }
    fprintf(stderr, "%s: desc: unknown field '%.*s'\n", prog, (int)n, kv);
    return -1;
}

static int cmd_desc(hu_dev_t *d, int argc, char **argv)
{
    hu_job_t j = {8, 8, 64, 8, 8, true, true};
    hu_layout_t l;
    hu_layout(&j, 0x1000, &l);
    bc_gemm_t g;
    hu_gemm_for(d, &j, &l, 77, &g);
    for (int i = 0; i < argc; i++)
        if (set_field(&g, argv[i]))
            return 1;
    bc_status_t st = bc_gemm_validate(&d->dev, &g);
    /* The hardware validator must agree with the driver on the first bad field. */
    bc_status_t hw = BC_OK;
    bc_status_t sub = bc_gemm_submit_unchecked(&d->dev, &g);
    if (sub != BC_OK) {
        fprintf(stderr, "%s: submit_unchecked: %s\n", prog, bc_strerror(sub));
        return 1;
    }
    bc_status_t w = bc_wait(&d->dev, 1000000000ull);
    if (w == BC_E_HW)
        hw = d->dev.hw_err.status;
    else if (w != BC_OK) {
        fprintf(stderr, "%s: bc_wait: %s\n", prog, bc_strerror(w));
        return 1;
    }
    if (st != hw) {
        fprintf(stderr, "%s: driver says %s but the %s validator says %s\n", prog, bc_status_name(st), d->backend,
                hw == BC_OK ? "OK" : bc_status_name(hw));
        return 1;
    }
    if (st == BC_OK) {
        printf("%s: descriptor accepted by the driver and the %s validator\n", prog, d->backend);
        return recovery(d);
    }
    fprintf(stderr, "%s: descriptor refused: %s (%s); %s ERR_CODE %u %s\n", prog, bc_status_name(st),
            bc_strerror(st), d->backend, d->dev.hw_err.code, d->dev.hw_err.name);
    return recovery(d) ? 1 : 2;
}

static int reg_error(hu_dev_t *d, uint32_t off, int rc_bus)
{
    bc_hw_error_t e;
    bc_status_t st = bc_hw_error(&d->dev, &e);
    uint32_t addr = 0;
    bc_reg_read(&d->dev, BC_REG_ERR_ADDR, &addr);
    if (rc_bus) {
        fprintf(stderr, "%s: register 0x%03x: bus error (SLVERR), ERR_CODE %u %s\n", prog, off, e.code, e.name);
        return recovery(d) ? 1 : 2;
    }
    if (st == BC_E_HW) {
        fprintf(stderr, "%s: register 0x%03x: refused: ERR_CODE %u %s, ERR_ADDR 0x%03x\n", prog, off, e.code, e.name,
                addr);
        if (addr != off) {
            fprintf(stderr, "%s: ERR_ADDR 0x%03x does not name the register 0x%03x\n", prog, addr, off);
            return 1;
        }
        return recovery(d) ? 1 : 2;
    }
    return -1;
}

static int cmd_reg_write(hu_dev_t *d, uint32_t off, uint32_t val)
{
    bc_status_t st = bc_reg_write(&d->dev, off, val);
    int r = reg_error(d, off, st != BC_OK);
    if (r >= 0)
        return r;
    printf("%s: register 0x%03x write accepted\n", prog, off);
    return recovery(d);
}

static int cmd_reg_read(hu_dev_t *d, uint32_t off)
{
    uint32_t v;
    bc_status_t st = bc_reg_read(&d->dev, off, &v);
    int r = reg_error(d, off, st != BC_OK);
    if (r >= 0)
        return r;
    printf("%s: register 0x%03x reads 0x%08x\n", prog, off, v);
    return recovery(d);
}

static int cmd_reg_busy(hu_dev_t *d)
{
    hu_rng_t r;
    hu_seed(&r, 3);
    hu_job_t j = {64, 64, 2048, 16, 16, false, false}; /* about 500k cycles: busy for many register writes */
    hu_data_t h;
    if (hu_prepare(d, &r, &j, 0x1000, &h))
        return 1;
    bc_gemm_t g;
    hu_gemm_for(d, &j, &h.lay, 5, &g);
    if (bc_gemm_submit(&d->dev, &g) != BC_OK)
        return 1;
    uint32_t status = 0;
    bc_reg_read(&d->dev, BC_REG_STATUS, &status);
    if (!(status & BC_STATUS_BUSY_MASK)) {
        fprintf(stderr, "%s: the job finished before the register write; cannot test REG_BUSY\n", prog);
        hu_data_free(&h);
        return 1;
    }
    bc_status_t st = bc_reg_write(&d->dev, BC_REG_DMA_CFG, 0x8);
    bc_hw_error_t e;
    bc_hw_error(&d->dev, &e);
    /* The running job itself must complete correctly despite the refused write. */
    bc_status_t w = bc_wait(&d->dev, 10000000000ull);
    int bad = (w != BC_OK && w != BC_E_HW) || hu_check(d, &h, "busy job");
    hu_data_free(&h);
    if (bad) {
        fprintf(stderr, "%s: the job running during the refused write did not complete bit-exactly\n", prog);
        return 1;
    }
    if (st == BC_OK && e.code == BC_HWERR_NONE) {
        printf("%s: DMA_CFG write while busy was accepted\n", prog);
        return recovery(d);
    }
    fprintf(stderr, "%s: register 0x%03x (DMA_CFG) while busy: refused: ERR_CODE %u %s\n", prog, BC_REG_DMA_CFG,
            e.code, e.name);
    return recovery(d) ? 1 : 2;
}

int main(int argc, char **argv)
{
    const char *backend = "fsim";
    int a = 1;
    if (a + 1 < argc && !strcmp(argv[a], "--backend")) {
        backend = argv[a + 1];
        a += 2;
    }
    if (a >= argc) {
        fprintf(stderr, "usage: %s [--backend fsim|sim] desc F=V... | reg-write OFF VAL | reg-read OFF | reg-busy\n",
                prog);
        return 2;
    }
    hu_opts_t o;
    hu_opts_default(&o);
    hu_dev_t d;
    if (hu_open(&d, backend, &o))
        return 1;
    int rc;
    uint32_t off, val;
    const char *cmd = argv[a++];
    if (!strcmp(cmd, "desc"))
        rc = cmd_desc(&d, argc - a, argv + a);
    else if (!strcmp(cmd, "reg-write") && argc - a == 2)
        rc = parse_u32("OFFSET", argv[a], &off) || parse_u32("VALUE", argv[a + 1], &val) ? 1
                                                                                       : cmd_reg_write(&d, off, val);
    else if (!strcmp(cmd, "reg-read") && argc - a == 1)
        rc = parse_u32("OFFSET", argv[a], &off) ? 1 : cmd_reg_read(&d, off);
    else if (!strcmp(cmd, "reg-busy"))
        rc = cmd_reg_busy(&d);
    else {
        fprintf(stderr, "%s: unknown command '%s' or wrong argument count\n", prog, cmd);
        rc = 2;
    }
    hu_close(&d);
    return rc;
}
