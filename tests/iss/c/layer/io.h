/* Tiny console/exit layer for the compute-only test programs. Built with
 * -DON_QEMU it talks to QEMU virt's UART and sifive_test device, otherwise to
 * bitcycle's console device and the tohost mailbox (io_dev.S). */
#ifndef ISS_IO_H
#define ISS_IO_H
#include <stdint.h>

void io_putc(char c); /* io_dev.S */
void io_puts(const char *s);
void io_puthex(uint32_t v);
void io_putdec(int64_t v);
_Noreturn void io_exit(int code); /* io_dev.S */
#endif
