/* The firmware ELF on the SystemC platform: the ISS as a TLM-2.0 initiator,
 * RAM shared with the accelerator's DMA, its interrupt on the CPU's external
 * interrupt input (docs/baremetal.md). */
#ifndef BC_VP_ELF_H
#define BC_VP_ELF_H
#include "rv_cli.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Runs o->elf with the accelerator; returns the exit code (rv_cli.h). */
int bc_vp_elf_run(const rv_run_opts_t *o);

#ifdef __cplusplus
}
#endif
#endif
