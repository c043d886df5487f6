/* The one plotting path of bitcycle: a gnuplot script built in memory and
 * piped to gnuplot's standard input; the PNG comes back on gnuplot's standard
 * output straight into the output file (safeio.h rule). No file name and no
 * shell ever reach gnuplot: data travel as inline datablocks, and every
 * string from input (titles, signal names, file names) is written by
 * bc_plot_str as a single-quoted gnuplot literal, where gnuplot performs no
 * backquote, macro or escape substitution ('' stands for one quote).
 * Control characters cannot be quoted on one gnuplot line: a string with
 * any is replaced by bc_plot_str's placeholder and the plot is refused. */
#ifndef BC_HOST_PLOT_H
#define BC_HOST_PLOT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "safeio.h"

typedef struct bc_plot {
    FILE *s;      /* the script; write program-made text with bc_plot_cmd */
    char *buf;
    size_t len;
    bool refused; /* a string with control characters was given */
    char why[160];
} bc_plot_t;

/* Start a script for a width x height PNG (pngcairo, noenhanced text). */
bool bc_plot_begin(bc_plot_t *p, unsigned width, unsigned height, unsigned font_pt, char *err, size_t errlen);
/* Program-made script text (format and numbers only: never input text). */
void bc_plot_cmd(bc_plot_t *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* A string from input as a quoted literal. */
void bc_plot_str(bc_plot_t *p, const char *s);
/* Quote s into out (at most outlen bytes with the quotes); false when s has
 * control characters or does not fit. For tests and callers that build text. */
bool bc_plot_quote(const char *s, char *out, size_t outlen);
/* Inline data: "$name << EOD" ... "EOD". Rows are written with bc_plot_cmd. */
void bc_plot_block_begin(bc_plot_t *p, const char *name);
void bc_plot_block_end(bc_plot_t *p);
/* Run gnuplot on the script; the PNG goes into out (opened by the caller,
 * left uncommitted so it can join bc_out_commit_all). */
bool bc_plot_render(bc_plot_t *p, bc_out_t *out, char *err, size_t errlen);
/* bc_out_open + bc_plot_render + bc_out_commit. */
bool bc_plot_write(bc_plot_t *p, const char *png_path, char *err, size_t errlen);
void bc_plot_free(bc_plot_t *p);

#endif
