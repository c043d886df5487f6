/* Safe file input and output for every bitcycle command.
 *
 * Output rule (the same for -o, --plot, --points, calibration files, sweep
 * results):
 *   - "-" is standard output;
 *   - an absent path or an existing regular file is written through a
 *     temporary file created exclusively (O_CREAT|O_EXCL|O_NOFOLLOW, random
 *     name) in the target's directory, then renamed over the target, so the
 *     old content stays intact until the new one is complete;
 *   - an existing regular file without any write permission bit is refused
 *     (even for root), never replaced;
 *   - a character device or FIFO (/dev/null, a pipe) is written in place;
 *   - anything else (a symbolic link, a directory, a socket, a block device)
 *     is refused: give the real path.
 * Temporary files are removed on failure, on abort and when SIGINT, SIGTERM
 * or SIGHUP arrive (the signal then takes its default action).
 *
 * Input rule (every line-oriented reader): only regular files (or "-" where a
 * command documents it); a bounded total size; lines longer than the limit
 * and NUL bytes are errors naming file:line, never split into two entries. */
#ifndef BC_HOST_SAFEIO_H
#define BC_HOST_SAFEIO_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

typedef struct bc_out {
    FILE *fp;
    char path[1024];
    char tmp[1100];
    bool is_stdout;
    bool is_stream; /* PATH is a character device or FIFO: written in place */
    int slot;       /* index in the signal-cleanup registry, -1 if none */
} bc_out_t;

/* Open PATH for writing under the output rule. */
bool bc_out_open(bc_out_t *o, const char *path, char *err, size_t errlen);
/* Finish: check every write, close, rename into place. */
bool bc_out_commit(bc_out_t *o, char *err, size_t errlen);
/* Drop the output: close and remove the temporary file; the target is untouched. */
void bc_out_abort(bc_out_t *o);
/* Commit several outputs as one: either every target gets its new content or
 * every target keeps its old one (previous contents are restored when a later
 * rename fails). Outputs that are NULL are skipped. */
bool bc_out_commit_all(bc_out_t *const *outs, size_t n, char *err, size_t errlen);

/* A new empty file for scratch data, created exclusively under the output
 * rule's protections in `dir` (NULL: $TMPDIR or /tmp) and registered for
 * removal on a signal. bc_tmp_remove deletes it. */
typedef struct bc_tmpfile {
    char path[1100];
    int slot;
} bc_tmpfile_t;
FILE *bc_tmp_create(bc_tmpfile_t *t, const char *dir, const char *stem, char *err, size_t errlen);
void bc_tmp_remove(bc_tmpfile_t *t);

/* Bounded line reader. */
#define BC_LINE_MAX_DEFAULT 4096u
#define BC_INPUT_MAX_DEFAULT (64u << 20)
typedef struct bc_lines {
    FILE *fp;
    const char *path;
    size_t max_line;   /* longest accepted line, without its newline */
    uint64_t max_bytes;/* total input bound */
    uint64_t bytes;
    unsigned long lineno;
    char *buf;         /* max_line + 2 bytes, owned */
} bc_lines_t;

/* Open a regular file for reading (FIFOs, devices and directories are
 * refused before any read; opening never blocks). max_line/max_bytes 0 take
 * the defaults. */
bool bc_lines_open(bc_lines_t *r, const char *path, size_t max_line, uint64_t max_bytes, char *err,
                   size_t errlen);
/* Next line without its newline (and without a trailing '\r'). Returns 1 with
 * *line set, 0 at the end of the file, -1 on an error (err names file:line). */
int bc_lines_next(bc_lines_t *r, const char **line, char *err, size_t errlen);
void bc_lines_close(bc_lines_t *r);

/* Open any file for binary reading under the same checks (regular file, size
 * at most max_bytes). *size receives the file size. */
FILE *bc_open_regular(const char *path, uint64_t max_bytes, uint64_t *size, char *err, size_t errlen);

#endif
