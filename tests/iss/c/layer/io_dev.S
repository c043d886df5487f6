/* The device half of the test programs' layer: io_putc and io_exit for each
 * memory map. It sits in .layer_text at a fixed address and clears the
 * temporaries it used, so both builds of a program have the same layout and
 * leave the same register values behind (the register signatures compare). */
    .section .layer_text, "ax"
    .globl io_putc
io_putc:
#ifdef ON_QEMU
    li t0, 0x10000000           /* UART */
1:  lbu t1, 5(t0)               /* LSR: transmit holding register empty */
    andi t1, t1, 0x20
    beqz t1, 1b
    sb a0, 0(t0)
#else
    li t0, 0x20000000           /* bitcycle console device */
    sb a0, 0(t0)
#endif
    li t0, 0
    li t1, 0
    ret

    .globl io_exit
io_exit:
#ifdef ON_QEMU
    li t0, 0x00100000           /* sifive_test */
    li t1, 0x5555
    beqz a0, 1f
    slli t1, a0, 16
    li t2, 0x3333
    or t1, t1, t2
1:  sw t1, 0(t0)
#else
    la t0, tohost
    slli t1, a0, 1
    ori t1, t1, 1
    sw t1, 0(t0)
#endif
2:  j 2b

    .section .tohost, "aw", @progbits
    .align 3
    .globl tohost, fromhost
tohost: .dword 0
fromhost: .dword 0
