/* bitcycle vp: run a bare-metal RV32 ELF on the instruction-set simulator,
 * alone (--no-accel) or inside the SystemC platform with the accelerator. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bc_data.h"
#include "bc_vp_elf.h"
#include "cli.h"
#include "rv_cli.h"
#include "rv_plat.h"

/* The SystemC platform's ELF runner links in when the VP library is part of the build. */
#pragma weak bc_vp_elf_run

static void usage(FILE *fp)
{
    fprintf(fp, "usage: bitcycle vp run FILE.elf [--no-accel] [--timeout-cycles N] [--itrace FILE]\n"
                "                       [--data digits|fashion-mnist] [--trace FILE.fst] [--ram-mib N] [--stats]\n\n"
                "'bitcycle vp run --help' lists the options and exit codes (docs/baremetal.md).\n");
}

static size_t align16(size_t v)
{
    return (v + 15) & ~(size_t)15;
}

/* The data set image the firmware finds at RV_DATA_BASE: header, then train
 * pixels, train labels, test pixels, test labels (each 16-byte aligned). */
static void *build_image(const bc_dataset_t *tr, const bc_dataset_t *te, size_t *len)
{
    size_t off[5];
    off[0] = align16(sizeof(rv_data_hdr_t));
    off[1] = align16(off[0] + (size_t)tr->n * tr->dim);
    off[2] = align16(off[1] + tr->n);
    off[3] = align16(off[2] + (size_t)te->n * te->dim);
    off[4] = align16(off[3] + te->n);
    if (off[4] > 0x7FFFFFFFu)
        return NULL;
    uint8_t *img = calloc(1, off[4]);
    if (!img)
        return NULL;
    rv_data_hdr_t h = {RV_DATA_MAGIC, 1, tr->n, te->n, tr->dim, tr->classes, 0,
                       (uint32_t)off[0], (uint32_t)off[1], (uint32_t)off[2], (uint32_t)off[3], (uint32_t)off[4]};
    memcpy(&h.pixel_scale_bits, &tr->pixel_scale, 4);
    memcpy(img, &h, sizeof h);
    memcpy(img + off[0], tr->pixels, (size_t)tr->n * tr->dim);
    memcpy(img + off[1], tr->labels, tr->n);
    memcpy(img + off[2], te->pixels, (size_t)te->n * te->dim);
    memcpy(img + off[3], te->labels, te->n);
    *len = off[4];
    return img;
}

static void *g_image;

static int load_data(rv_run_opts_t *o)
{
    bc_dataset_t tr, te;
    char err[512];
    if (bc_data_load_named(o->data, NULL, &tr, &te, err, sizeof err))
        return bc_usage_error("vp", "--data %s: %s", o->data, err);
    g_image = build_image(&tr, &te, &o->data_len);
    bc_data_free(&tr);
    bc_data_free(&te);
    if (!g_image)
        return bc_fail("vp", "--data %s: out of memory", o->data);
    o->data_image = g_image;
    return 0;
}

int cmd_vp(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        usage(argc < 2 ? stderr : stdout);
        return argc < 2 ? BC_EXIT_USAGE : BC_EXIT_OK;
    }
    if (strcmp(argv[1], "run"))
        return bc_usage_error("vp", "unknown subcommand '%s' (expected run)", argv[1]);
    int rc = rv_cli_run("vp", argc - 1, argv + 1, bc_vp_elf_run, load_data);
    free(g_image);
    return rc;
}
