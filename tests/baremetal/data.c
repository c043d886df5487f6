/* --data digits: the data set image at 0x81000000 has the documented header
 * and the UCI digits split (1437 train, 360 test rows of 64 pixels 0..16);
 * prints pixel sums and the train label histogram, which the runner compares
 * with values computed from the CSV by an independent script. */
#include "bmt.h"

typedef struct {
    uint32_t magic, version, train_n, test_n, dim, classes, pixel_scale_bits;
    uint32_t train_pixels, train_labels, test_pixels, test_labels, total_bytes;
} data_hdr_t;

static uint32_t sum(const uint8_t *p, uint32_t n)
{
    uint32_t s = 0;
    for (uint32_t i = 0; i < n; i++)
        s += p[i];
    return s;
}

int main(void)
{
    const uint8_t *base = (const uint8_t *)0x81000000u; /* placed before the program started */
    const data_hdr_t *h = (const data_hdr_t *)(const void *)base;
    BMT_EQ(h->magic, 0x53444342u);
    BMT_EQ(h->version, 1);
    BMT_EQ(h->train_n, 1437);
    BMT_EQ(h->test_n, 360);
    BMT_EQ(h->dim, 64);
    BMT_EQ(h->classes, 10);
    BMT_EQ(h->pixel_scale_bits, 0x3D800000u); /* 1/16 */
    BMT_CHECK(h->train_labels >= h->train_pixels + h->train_n * h->dim);
    BMT_CHECK(h->total_bytes >= h->test_labels + h->test_n);
    uint32_t hist[10] = {0}, bad = 0;
    for (uint32_t i = 0; i < h->train_n; i++) {
        uint8_t l = base[h->train_labels + i];
        if (l < 10)
            hist[l]++;
        else
            bad++;
    }
    BMT_EQ(bad, 0);
    bm_puts("data: train_pixels ");
    bm_putdec(sum(base + h->train_pixels, h->train_n * h->dim));
    bm_puts(" test_pixels ");
    bm_putdec(sum(base + h->test_pixels, h->test_n * h->dim));
    bm_puts(" test_labels ");
    bm_putdec(sum(base + h->test_labels, h->test_n));
    bm_puts(" hist");
    for (int i = 0; i < 10; i++) {
        bm_putc(' ');
        bm_putdec(hist[i]);
    }
    bm_putc('\n');
    return bmt_end("data");
}
