/* Console formatting of the test programs' layer; the devices are in io_dev.S. */
#include "io.h"

void io_puts(const char *s)
{
    while (*s)
        io_putc(*s++);
}

void io_puthex(uint32_t v)
{
    for (int i = 28; i >= 0; i -= 4)
        io_putc("0123456789abcdef"[(v >> i) & 15]);
}

void io_putdec(int64_t v)
{
    char buf[24];
    int n = 0;
    uint64_t u = v < 0 ? 0 - (uint64_t)v : (uint64_t)v;
    if (v < 0)
        io_putc('-');
    do {
        buf[n++] = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    while (n)
        io_putc(buf[--n]);
}

/* Called by crt.S after main with the 31 registers it saved. */
void io_signature(const uint32_t *regs, int code);
void io_signature(const uint32_t *regs, int code)
{
    io_puts("signature");
    for (int i = 0; i < 31; i++) {
        io_putc(i % 8 ? ' ' : '\n');
        io_puthex(regs[i]);
    }
    io_putc('\n');
    io_exit(code);
}
