/* Differential test program: integer matrix multiply (int32 and int8 x int8
 * dot products as the accelerator's golden model computes them), and C11
 * atomics (AMOs and LR/SC loops). */
#include <stdatomic.h>
#include <stdint.h>

#include "io.h"

enum { D = 24 };
static int32_t A[D][D], B[D][D], C[D][D];
static int8_t qa[256], qb[256];
static _Atomic uint32_t counter;
static _Atomic int32_t minmax;

int main(void)
{
    uint32_t s = 7;
    for (int i = 0; i < D; i++)
        for (int j = 0; j < D; j++) {
            s = s * 1103515245u + 12345u;
            A[i][j] = (int32_t)(s >> 16) - 32768;
            s = s * 1103515245u + 12345u;
            B[i][j] = (int32_t)(s >> 20) - 2048;
        }
    for (int i = 0; i < D; i++)
        for (int j = 0; j < D; j++) {
            int32_t acc = 0;
            for (int k = 0; k < D; k++)
                acc += A[i][k] * B[k][j];
            C[i][j] = acc;
        }
    uint32_t h = 0;
    for (int i = 0; i < D; i++)
        for (int j = 0; j < D; j++)
            h = (h << 5 | h >> 27) ^ (uint32_t)C[i][j];
    io_puts("matmul ");
    io_puthex(h);
    io_puts(" c00 ");
    io_putdec(C[0][0]);
    for (int i = 0; i < 256; i++) {
        qa[i] = (int8_t)(i * 37 - 100);
        qb[i] = (int8_t)(i * 11 + 3);
    }
    int32_t dot = 0;
    for (int i = 0; i < 256; i++)
        dot += qa[i] * qb[i];
    io_puts("\ndot8 ");
    io_putdec(dot);
    for (uint32_t i = 0; i < 1000; i++) {
        atomic_fetch_add(&counter, i);
        atomic_fetch_xor(&counter, i << 3);
        uint32_t expect = atomic_load(&counter);
        while (!atomic_compare_exchange_weak(&counter, &expect, expect * 3 + 1))
            ;
    }
    atomic_store(&minmax, 5);
    for (int32_t i = -50; i < 50; i += 7)
        atomic_fetch_or(&minmax, i & 0x100);
    io_puts("\natomic ");
    io_puthex(atomic_load(&counter));
    io_putc(' ');
    io_puthex((uint32_t)atomic_exchange(&minmax, 9));
    io_putc('\n');
    return 7;
}
