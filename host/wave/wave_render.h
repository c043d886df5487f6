/* Render a window of a bitcycle_top trace to PNG with gnuplot. */
#ifndef BC_WAVE_RENDER_H
#define BC_WAVE_RENDER_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum { WAVE_RENDER_OK = 0, WAVE_RENDER_FAIL = -1, WAVE_RENDER_BAD_INPUT = -2 };

typedef struct wave_render_opts {
    const char *scope, *clock; /* as for wave_switches; NULL = defaults */
    const char *signals;       /* group name or comma-separated names/globs */
    uint64_t around;           /* centre cycle */
    bool have_around;          /* false: centre on switch number `switch_index` */
    unsigned switch_index;     /* 1-based; 0 reads as 1 */
    uint64_t span;             /* cycles each side */
    unsigned width;            /* pixels */
    const char *out_path;      /* PNG, written atomically */
    size_t *switches_shown;    /* if set: precision switches inside the window */
} wave_render_opts_t;

/* Returns WAVE_RENDER_OK, or FAIL/BAD_INPUT with a message in err. */
int wave_render(const char *path, const wave_render_opts_t *o, char *err, size_t errlen);

/* "switch, queue, precision, ..." for help texts. */
const char *wave_render_group_names(void);
/* Glob patterns of group NAME (NULL-terminated), or NULL when NAME is not a group. */
const char *const *wave_render_group(const char *name);

#endif
