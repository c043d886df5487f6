/* Differential test program: pseudo-random data, quicksort, CRC-32, strings. */
#include <stddef.h>
#include <stdint.h>

#include "io.h"

enum { N = 3000 };
static uint32_t data[N];
static uint32_t crc_table[256];

static uint32_t lcg(uint32_t *s)
{
    *s = *s * 1664525u + 1013904223u;
    return *s;
}

static void quicksort(uint32_t *a, int lo, int hi)
{
    while (lo < hi) {
        uint32_t p = a[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < p)
                i++;
            while (a[j] > p)
                j--;
            if (i <= j) {
                uint32_t t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

static uint32_t crc32(const uint8_t *p, size_t n)
{
    uint32_t c = 0xFFFFFFFFu;
    for (size_t i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return ~c;
}

static size_t str_len(const char *s)
{
    size_t n = 0;
    while (s[n])
        n++;
    return n;
}

int main(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    uint32_t seed = 12345;
    for (int i = 0; i < N; i++)
        data[i] = lcg(&seed) >> (i % 7);
    io_puts("crc before ");
    io_puthex(crc32((const uint8_t *)data, sizeof data));
    io_putc('\n');
    quicksort(data, 0, N - 1);
    int sorted = 1;
    for (int i = 1; i < N; i++)
        sorted &= data[i - 1] <= data[i];
    io_puts("sorted ");
    io_putdec(sorted);
    io_puts(" min ");
    io_puthex(data[0]);
    io_puts(" median ");
    io_puthex(data[N / 2]);
    io_puts(" max ");
    io_puthex(data[N - 1]);
    io_puts("\ncrc after ");
    io_puthex(crc32((const uint8_t *)data, sizeof data));
    char msg[] = "the quick brown fox jumps over the lazy dog";
    size_t n = str_len(msg);
    for (size_t i = 0; i < n / 2; i++) {
        char t = msg[i];
        msg[i] = msg[n - 1 - i];
        msg[n - 1 - i] = t;
    }
    io_puts("\nreversed ");
    io_puts(msg);
    io_putc('\n');
    return (int)(crc32((const uint8_t *)msg, n) & 0x3F);
}
