/* Differential test program: 32- and 64-bit arithmetic through the M
 * extension and libgcc (64-bit multiply, divide, shifts), division corner
 * cases with operands the compiler cannot fold, bit manipulation. */
#include <stdint.h>

#include "io.h"

static volatile int32_t vals[] = {0, 1, -1, 7, -7, 2147483647, (-2147483647 - 1), 1000003, -65536, 3};

static int32_t sdiv(int32_t a, int32_t b)
{
    if (b == 0)
        return -1;
    if (a == INT32_MIN && b == -1)
        return a;
    return a / b;
}

static int popcount(uint32_t v)
{
    int n = 0;
    while (v) {
        v &= v - 1;
        n++;
    }
    return n;
}

int main(void)
{
    uint32_t h = 0;
    int n = (int)(sizeof vals / sizeof vals[0]);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            int32_t a = vals[i], b = vals[j];
            uint32_t ua = (uint32_t)a, ub = (uint32_t)b;
            h = h * 31 + (uint32_t)sdiv(a, b);
            h = h * 31 + (ub ? ua / ub : 0);
            h = h * 31 + (uint32_t)(b && !(a == INT32_MIN && b == -1) ? a % b : 0);
            h = h * 31 + (uint32_t)((int64_t)a * b >> 32);
            h = h * 31 + (uint32_t)((uint64_t)ua * ub >> 32);
            h = h * 31 + ua * ub;
        }
    io_puts("hash32 ");
    io_puthex(h);
    uint64_t x = 0x0123456789ABCDEFull, acc = 0;
    for (int i = 1; i < 200; i++) {
        x = x * 6364136223846793005ull + 1442695040888963407ull;
        acc += x / (uint64_t)(i * 977 + 1);
        acc ^= x % 1000000007ull;
        acc += (uint64_t)((int64_t)x >> (i % 63));
        acc += x << (i % 64);
    }
    io_puts("\nhash64 ");
    io_puthex((uint32_t)(acc >> 32));
    io_puthex((uint32_t)acc);
    io_puts("\nsigned64 ");
    io_putdec((int64_t)acc);
    int bits = 0;
    for (uint32_t v = 1; v; v <<= 1)
        bits += popcount(v * 0x9E3779B9u);
    io_puts("\npopcount ");
    io_putdec(bits);
    io_putc('\n');
    return 0;
}
