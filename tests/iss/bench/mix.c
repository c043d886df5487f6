/* ISS benchmark program: integer kernels (CRC-32, insertion sort, matrix
 * multiply, a small interpreter loop with branches) repeated ITERS times.
 * Built for both memory maps like the differential test programs. */
#include <stdint.h>

#include "io.h"

#ifndef ITERS
#define ITERS 200
#endif
enum { N = 256, D = 16 };
static uint32_t crc_table[256], data[N];
static int32_t A[D][D], B[D][D], C[D][D];

static uint32_t crc32(const uint8_t *p, uint32_t n, uint32_t c)
{
    for (uint32_t i = 0; i < n; i++)
        c = crc_table[(c ^ p[i]) & 0xFF] ^ (c >> 8);
    return c;
}

static void isort(uint32_t *a, int n)
{
    for (int i = 1; i < n; i++) {
        uint32_t v = a[i];
        int j = i - 1;
        while (j >= 0 && a[j] > v) {
            a[j + 1] = a[j];
            j--;
        }
        a[j + 1] = v;
    }
}

static uint32_t vm(uint32_t x)
{
    static const uint8_t prog[] = {1, 2, 3, 1, 4, 2, 3, 4, 0};
    for (int r = 0; r < 20; r++)
        for (const uint8_t *p = prog; *p; p++)
            switch (*p) {
            case 1: x = x * 33 + 7; break;
            case 2: x ^= x >> 7; break;
            case 3: x = (x << 3) | (x >> 29); break;
            default: x -= 0x9E3779B9u; break;
            }
    return x;
}

int main(void)
{
    for (uint32_t i = 0; i < 256; i++) {
        uint32_t c = i;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    uint32_t s = 1, h = 0;
    for (int it = 0; it < ITERS; it++) {
        for (int i = 0; i < N; i++) {
            s = s * 1664525u + 1013904223u;
            data[i] = s;
        }
        isort(data, N);
        h = crc32((const uint8_t *)data, sizeof data, h);
        for (int i = 0; i < D; i++)
            for (int j = 0; j < D; j++) {
                A[i][j] = (int32_t)(data[i * D + j] >> 20) - 2048;
                B[j][i] = (int32_t)(data[(i * D + j + 7) % N] >> 22) - 512;
            }
        for (int i = 0; i < D; i++)
            for (int j = 0; j < D; j++) {
                int32_t acc = 0;
                for (int k = 0; k < D; k++)
                    acc += A[i][k] * B[k][j];
                C[i][j] = acc;
            }
        h = crc32((const uint8_t *)C, sizeof C, h) ^ vm(h);
    }
    io_puts("mix ");
    io_puthex(h);
    io_putc('\n');
    return 0;
}
