/* Training ELF: the digits MLP under CPT on the accelerator, from the data
 * set `bitcycle vp run --data digits` places at 0x81000000, with the same
 * iteration order as the host trainer (bc_train_run): per epoch a shuffle of
 * the train split from the seed, batches in order, B(t) from the schedule.
 * Prints the final weights hash (bc_mlp_weights_hash). */
#include "bmt.h"
#include "bc_quant.h"
#include "train_cfg.h"

typedef struct {
    uint32_t magic, version, train_n, test_n, dim, classes, pixel_scale_bits;
    uint32_t train_pixels, train_labels, test_pixels, test_labels, total_bytes;
} data_hdr_t;

#define DEV_BASE 0x00200000u /* device address of the trainer's operand areas */

static uint8_t ws[512 * 1024] __attribute__((aligned(16)));
static uint32_t idx[2048];
static float x[32 * 64];
static uint8_t y[32];
static bc_mlp_t mlp;

static void shuffle(uint32_t *v, unsigned n, bc_fw_rng_t *r)
{
    for (unsigned i = 0; i < n; i++)
        v[i] = i;
    for (unsigned i = n; i > 1; i--) {
        unsigned j = (unsigned)(bc_fw_rng_u64(r) % i);
        uint32_t t = v[i - 1];
        v[i - 1] = v[j];
        v[j] = t;
    }
}

int main(void)
{
    const uint8_t *base = (const uint8_t *)0x81000000u;
    const data_hdr_t *h = (const data_hdr_t *)(const void *)base;
    if (h->magic != 0x53444342u || h->dim != 64 || h->train_n > 2048) {
        bm_puts("train: run with --data digits\n");
        return 2;
    }
    float scale;
    __builtin_memcpy(&scale, &h->pixel_scale_bits, 4);
    bc_dev_t dev;
    bmt_open(&dev);
    BMT_EQ(bc_set_wait_mode(&dev, BC_WAIT_IRQ), BC_OK);
    bc_mlp_config_t cfg;
    bc_sched_t fw, bw;
    train_cfg(&cfg, &fw, &bw);
    BMT_CHECK(bc_mlp_workspace_bytes(&cfg) <= sizeof ws);
    if (bc_mlp_init(&mlp, &cfg, ws, sizeof ws, &dev, DEV_BASE)) {
        bm_puts(mlp.err);
        return 3;
    }
    unsigned n = h->train_n, B = cfg.batch, per_epoch = (n + B - 1) / B;
    uint64_t total = TRAIN_ITERS < per_epoch ? TRAIN_ITERS : per_epoch;
    bc_fw_rng_t shuf;
    bc_fw_rng_seed(&shuf, cfg.seed * 0x9e3779b97f4a7c15ull + 7u);
    shuffle(idx, n, &shuf);
    const uint8_t *px = base + h->train_pixels, *lab = base + h->train_labels;
    for (uint64_t t = 0; t < total; t++) {
        unsigned start = (unsigned)t * B, cnt = n - start < B ? n - start : B;
        for (unsigned i = 0; i < cnt; i++) {
            for (unsigned j = 0; j < 64; j++)
                x[i * 64 + j] = (float)px[idx[start + i] * 64 + j] * scale;
            y[i] = lab[idx[start + i]];
        }
        unsigned fwb = bc_sched_bits(&fw, t, total, TRAIN_CYCLES), bwb = bc_sched_bits(&bw, t, total, TRAIN_CYCLES);
        float loss;
        unsigned corr;
        if (bc_mlp_train_step(&mlp, x, y, cnt, fwb, bwb, &loss, &corr, NULL)) {
            bm_puts(mlp.err);
            return 4;
        }
        bm_puts("train: iteration ");
        bm_putdec((int64_t)t);
        bm_puts(" fw ");
        bm_putdec(fwb);
        bm_puts(" bits, correct ");
        bm_putdec(corr);
        bm_putc('\n');
    }
    uint64_t hash = bc_mlp_weights_hash(&mlp);
    bm_puts("train: ");
    bm_putdec((int64_t)total);
    bm_puts(" iterations, weights hash ");
    bm_puthex((uint32_t)(hash >> 32));
    bm_puthex((uint32_t)hash);
    bm_putc('\n');
    return bmt_end("train");
}
