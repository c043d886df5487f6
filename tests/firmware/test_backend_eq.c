/* Backend equality: the same short training run with precision switches on
 * fsim and on the RTL (sim backend, and the virtual platform when built)
 * ends with bit-identical weights. Uses the UCI digits when `make data` has
 * fetched them, else a synthetic data set (printed). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "bc_cnn.h"
#include "bc_data.h"
#include "bc_hal_fsim.h"
#include "bc_hal_sim.h"
#include "bc_mlp.h"
#include "bc_sim.h"
#ifdef BC_TRAIN_HAVE_VP
#include "bc_hal_vp.h"
#include "bc_vp.h"
#endif

enum { STEPS = 6, BATCH = 16 };
static const unsigned fw_bits[STEPS] = {3, 8, 5, 2, 6, 4};
static const unsigned bw_bits[STEPS] = {8, 6, 8, 5, 8, 7};

static uint64_t seed = 1;
static float xs[STEPS][BATCH * 64];
static uint8_t ys[STEPS][BATCH];

typedef struct result {
    float *weights; /* all weights and biases, concatenated */
    size_t n;
    uint64_t jobs, cycles;
} result_t;

static bc_mlp_config_t cfg(void)
{
    bc_mlp_config_t c;
    memset(&c, 0, sizeof c);
    c.n_layers = 3;
    c.sizes[0] = 64;
    c.sizes[1] = 24;
    c.sizes[2] = 16;
    c.sizes[3] = 10;
    c.batch = BATCH;
    c.lr = 0.05f;
    c.momentum = 0.9f;
    c.weight_decay = 5e-4f;
    c.seed = seed;
    c.quantize_last = true; /* every GEMM of the run on the accelerator */
    return c;
}

static int run_on_hal(const bc_hal_t *hal, result_t *r)
{
    bc_dev_t dev;
    if (bc_open(&dev, hal) != BC_OK)
        return -1;
    bc_mlp_config_t c = cfg();
    size_t wsb = (bc_mlp_workspace_bytes(&c) + 15u) & ~(size_t)15u;
    void *ws = aligned_alloc(16, wsb);
    bc_mlp_t *m = malloc(sizeof *m);
    if (!ws || !m || bc_mlp_init(m, &c, ws, wsb, &dev, 0x1000)) {
        free(ws);
        free(m);
        return -1;
    }
    int rc = 0;
    for (unsigned t = 0; t < STEPS && !rc; t++) {
        bc_mlp_stats_t st;
        if (bc_mlp_train_step(m, xs[t], ys[t], BATCH, fw_bits[t], bw_bits[t], NULL, NULL, &st)) {
            fprintf(stderr, "step %u: %s\n", t, m->err);
            rc = -1;
            break;
        }
        r->jobs += st.jobs;
        r->cycles += st.cycles;
    }
    size_t n = 0;
    for (unsigned l = 0; l < c.n_layers; l++)
        n += (size_t)c.sizes[l] * c.sizes[l + 1] + c.sizes[l + 1];
    r->weights = malloc(n * sizeof(float));
    r->n = n;
    size_t o = 0;
    for (unsigned l = 0; l < c.n_layers && r->weights; l++) {
        size_t nw = (size_t)c.sizes[l] * c.sizes[l + 1];
        memcpy(r->weights + o, m->w[l], nw * sizeof(float));
        o += nw;
        memcpy(r->weights + o, m->b[l], c.sizes[l + 1] * sizeof(float));
        o += c.sizes[l + 1];
    }
    free(ws);
    free(m);
    return rc;
}

/* ---- the small ResNet at a reduced width (ResNet-8 layout, width 4) on 8x8 inputs ---- */
enum { CNN_STEPS = 4, CNN_BATCH = 8 };
static const unsigned cnn_fw[CNN_STEPS] = {3, 8, 5, 6};
static const unsigned cnn_bw[CNN_STEPS] = {8, 6, 8, 7};

typedef struct cnn_result {
    uint64_t hash, jobs, waits, cycles;
} cnn_result_t;

static int run_cnn_on_hal(const bc_hal_t *hal, cnn_result_t *r)
{
    bc_dev_t dev;
    if (bc_open(&dev, hal) != BC_OK)
        return -1;
    bc_cnn_config_t c;
    memset(&c, 0, sizeof c);
    if (bc_cnn_resnet(&c.net, 1, 8, 8, 10, 1, 4))
        return -1;
    c.batch = CNN_BATCH;
    c.lr = 0.05f, c.momentum = 0.9f, c.weight_decay = 5e-4f;
    c.bn_momentum = 0.1f, c.bn_eps = 1e-5f, c.act_momentum = 0.9f;
    c.seed = seed;
    c.quantize_last = true; /* every GEMM of the run on the accelerator */
    size_t wsb = (bc_cnn_workspace_bytes(&c) + 15u) & ~(size_t)15u;
    void *ws = aligned_alloc(16, wsb);
    bc_cnn_t *m = malloc(sizeof *m);
    int rc = 0;
    if (!ws || !m || bc_cnn_init(m, &c, ws, wsb, &dev, 0x1000, bc_cnn_device_bytes(&c))) {
        fprintf(stderr, "cnn init: %s\n", m ? m->err : "out of memory");
        rc = -1;
    }
    for (unsigned t = 0; t < CNN_STEPS && !rc; t++) {
        bc_cnn_stats_t st;
        if (bc_cnn_train_step(m, xs[t], ys[t], CNN_BATCH, cnn_fw[t], cnn_bw[t], NULL, NULL, &st)) {
            fprintf(stderr, "cnn step %u: %s\n", t, m->err);
            rc = -1;
            break;
        }
        r->jobs += st.jobs;
        r->waits += st.waits;
        r->cycles += st.cycles;
    }
    if (!rc)
        r->hash = bc_cnn_weights_hash(m);
    free(ws);
    free(m);
    return rc;
}

static void run_fsim(result_t *r)
{
    bc_fsim_config_t fc;
    bc_fsim_config_default(&fc);
    fc.mem_bytes = 4u << 20;
    char err[256];
    bc_fsim_t *f = bc_fsim_create(&fc, err, sizeof err);
    if (!f)
        fail_msg("fsim: %s", err);
    bc_hal_t hal;
    bc_fsim_hal(f, &hal);
    assert_int_equal(run_on_hal(&hal, r), 0);
    bc_fsim_destroy(f);
}

static void expect_equal(const result_t *a, const result_t *b, const char *name)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->jobs, b->jobs);
    for (size_t i = 0; i < a->n; i++)
        if (memcmp(&a->weights[i], &b->weights[i], sizeof(float)))
            fail_msg("%s: weight %zu differs: fsim %.9g, %s %.9g", name, i, a->weights[i], name, b->weights[i]);
}

static void test_fsim_equals_sim(void **state)
{
    (void)state;
    result_t a = {0}, b = {0};
    run_fsim(&a);
    bc_sim_config_t sc;
    bc_sim_config_default(&sc);
    sc.mem_bytes = 4u << 20;
    char err[256];
    bc_sim_t *s = bc_sim_create(&sc, err, sizeof err);
    if (!s)
        fail_msg("sim: %s", err);
    bc_hal_sim_t hs = {s, 0.0};
    bc_hal_t hal;
    bc_hal_sim_init(&hal, &hs);
    assert_int_equal(run_on_hal(&hal, &b), 0);
    bc_sim_destroy(s);
    printf("backend-eq: %llu GEMM jobs, fsim %llu busy cycles, RTL %llu busy cycles\n", (unsigned long long)a.jobs,
           (unsigned long long)a.cycles, (unsigned long long)b.cycles);
    expect_equal(&a, &b, "sim");
    free(a.weights);
    free(b.weights);
}

static void cnn_fsim(cnn_result_t *r)
{
    bc_fsim_config_t fc;
    bc_fsim_config_default(&fc);
    fc.mem_bytes = 4u << 20;
    char err[256];
    bc_fsim_t *f = bc_fsim_create(&fc, err, sizeof err);
    if (!f)
        fail_msg("fsim: %s", err);
    bc_hal_t hal;
    bc_fsim_hal(f, &hal);
    assert_int_equal(run_cnn_on_hal(&hal, r), 0);
    bc_fsim_destroy(f);
}

static void test_cnn_fsim_equals_sim(void **state)
{
    (void)state;
    cnn_result_t a = {0}, b = {0};
    cnn_fsim(&a);
    bc_sim_config_t sc;
    bc_sim_config_default(&sc);
    sc.mem_bytes = 4u << 20;
    char err[256];
    bc_sim_t *s = bc_sim_create(&sc, err, sizeof err);
    if (!s)
        fail_msg("sim: %s", err);
    bc_hal_sim_t hs = {s, 0.0};
    bc_hal_t hal;
    bc_hal_sim_init(&hal, &hs);
    assert_int_equal(run_cnn_on_hal(&hal, &b), 0);
    bc_sim_destroy(s);
    printf("backend-eq: ResNet-8 (width 4), %d steps: %llu GEMM jobs in %llu waits, fsim %llu busy cycles, RTL %llu\n",
           CNN_STEPS, (unsigned long long)a.jobs, (unsigned long long)a.waits, (unsigned long long)a.cycles,
           (unsigned long long)b.cycles);
    assert_int_equal(a.jobs, b.jobs);
    if (a.hash != b.hash)
        fail_msg("ResNet parameters differ: fsim hash %016llx, sim %016llx", (unsigned long long)a.hash,
                 (unsigned long long)b.hash);
}


#ifdef BC_TRAIN_HAVE_VP
/* SystemC elaborates once per process: one VP run trains the MLP, then the ResNet. */
typedef struct vp_runs {
    result_t *mlp;
    cnn_result_t *cnn;
} vp_runs_t;

static int vp_entry(bc_vp_t *vp, void *arg)
{
    vp_runs_t *r = arg;
    bc_hal_t hal;
    bc_hal_vp_init(&hal, vp);
    return run_on_hal(&hal, r->mlp) || run_cnn_on_hal(&hal, r->cnn) ? 1 : 0;
}

static void test_fsim_equals_vp(void **state)
{
    (void)state;
    result_t a = {0}, b = {0};
    cnn_result_t ca = {0}, cb = {0};
    run_fsim(&a);
    cnn_fsim(&ca);
    bc_vp_config_t vc;
    bc_vp_config_default(&vc);
    vc.sim.mem_bytes = 4u << 20;
    char err[256] = "";
    vp_runs_t runs = {&b, &cb};
    if (bc_vp_run(&vc, vp_entry, &runs, err, sizeof err) != 0)
        fail_msg("vp: %s", err);
    expect_equal(&a, &b, "vp");
    free(a.weights);
    free(b.weights);
    assert_int_equal(ca.jobs, cb.jobs);
    if (ca.hash != cb.hash)
        fail_msg("ResNet parameters differ: fsim hash %016llx, vp %016llx", (unsigned long long)ca.hash,
                 (unsigned long long)cb.hash);
}
#endif

static void load_batches(void)
{
    const char *s = getenv("SEED");
    if (s && *s)
        seed = strtoull(s, NULL, 10);
    bc_dataset_t tr, te;
    char err[512];
    if (bc_data_load_named("digits", getenv("FW_DATA_DIR"), &tr, &te, err, sizeof err) == 0) {
        printf("backend-eq: SEED=%llu, %d steps of batch %d from the UCI digits\n", (unsigned long long)seed, STEPS,
               BATCH);
        for (unsigned t = 0; t < STEPS; t++) {
            uint32_t idx[BATCH];
            for (unsigned i = 0; i < BATCH; i++)
                idx[i] = (uint32_t)((seed * 7919u + t * BATCH + i) % tr.n);
            bc_data_batch(&tr, idx, BATCH, xs[t], ys[t]);
        }
        bc_data_free(&tr);
        bc_data_free(&te);
        return;
    }
    printf("backend-eq: SEED=%llu, digits not available (%s); synthetic batches\n", (unsigned long long)seed, err);
    uint64_t st = seed * 0x9e3779b97f4a7c15ull + 1u;
    for (unsigned t = 0; t < STEPS; t++)
        for (unsigned i = 0; i < BATCH; i++) {
            for (unsigned j = 0; j < 64; j++) {
                st = st * 6364136223846793005ull + 1442695040888963407ull;
                xs[t][i * 64 + j] = (float)(st >> 60) / 15.0f;
            }
            ys[t][i] = (uint8_t)((st >> 33) % 10u);
        }
}

int main(void)
{
    load_batches();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fsim_equals_sim),
        cmocka_unit_test(test_cnn_fsim_equals_sim),
#ifdef BC_TRAIN_HAVE_VP
        cmocka_unit_test(test_fsim_equals_vp), /* MLP and ResNet in one VP run */
#endif
    };
    unsigned n = (unsigned)(sizeof tests / sizeof tests[0]);
    int failed = cmocka_run_group_tests_name("backend-equality", tests, NULL, NULL);
    printf("test-firmware-rtl: %u passed, %d failed\n", n - (unsigned)failed, failed);
    return failed ? 1 : 0;
}
