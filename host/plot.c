/* The one plotting path (see plot.h). */
#define _GNU_SOURCE 1
#include "plot.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

bool bc_plot_begin(bc_plot_t *p, unsigned width, unsigned height, unsigned font_pt, char *err, size_t errlen)
{
    memset(p, 0, sizeof *p);
    p->s = open_memstream(&p->buf, &p->len);
    if (!p->s) {
        snprintf(err, errlen, "out of memory");
        return false;
    }
    /* stdout is the output: gnuplot never opens a file by name. */
    bc_plot_cmd(p, "set terminal pngcairo noenhanced size %u,%u font 'sans,%u'\nset output\n", width, height,
                font_pt);
    return true;
}

void bc_plot_cmd(bc_plot_t *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(p->s, fmt, ap);
    va_end(ap);
}

bool bc_plot_quote(const char *s, char *out, size_t outlen)
{
    size_t o = 0;
    if (outlen < 3)
        return false;
    out[o++] = '\'';
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x20 || c == 0x7f)
            return false;
        size_t need = c == '\'' ? 2 : 1;
        if (o + need + 2 > outlen)
            return false;
        if (c == '\'')
            out[o++] = '\'';
        out[o++] = (char)c;
    }
    out[o++] = '\'';
    out[o] = '\0';
    return true;
}

void bc_plot_str(bc_plot_t *p, const char *s)
{
    fputc('\'', p->s);
    for (const char *q = s; *q; q++) {
        unsigned char c = (unsigned char)*q;
        if (c < 0x20 || c == 0x7f) {
            if (!p->refused)
                snprintf(p->why, sizeof p->why, "'%.60s...': control characters (newline, tab, ...) cannot be "
                         "shown in a plot", s);
            p->refused = true;
            fputs("?'", p->s);
            return;
        }
        if (c == '\'')
            fputc('\'', p->s);
        fputc(c, p->s);
    }
    fputc('\'', p->s);
}

void bc_plot_block_begin(bc_plot_t *p, const char *name)
{
    fprintf(p->s, "$%s << EOD\n", name);
}

void bc_plot_block_end(bc_plot_t *p)
{
    fputs("EOD\n", p->s);
}

/* First line of gnuplot's error output, for the message. */
static void first_error_line(FILE *ef, char *buf, size_t len)
{
    buf[0] = '\0';
    if (!ef || fseek(ef, 0, SEEK_SET) != 0)
        return;
    char line[256];
    while (fgets(line, sizeof line, ef)) {
        line[strcspn(line, "\n")] = '\0';
        if (line[strspn(line, " ^")]) {
            snprintf(buf, len, "%.150s", line);
            return;
        }
    }
}

static bool run_gnuplot(const char *script, size_t len, int out_fd, int err_fd, int *status, char *err,
                        size_t errlen)
{
    int in[2];
    if (pipe(in) != 0) {
        snprintf(err, errlen, "pipe: %s", strerror(errno));
        return false;
    }
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid < 0) {
        close(in[0]);
        close(in[1]);
        snprintf(err, errlen, "fork: %s", strerror(errno));
        return false;
    }
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out_fd, 1);
        dup2(err_fd, 2);
        close(in[0]);
        close(in[1]);
        char *const argv[] = {(char *)"gnuplot", NULL};
        execvp("gnuplot", argv);
        _exit(127);
    }
    close(in[0]);
    void (*old)(int) = signal(SIGPIPE, SIG_IGN);
    bool wrote = true;
    for (size_t off = 0; off < len;) {
        ssize_t n = write(in[1], script + off, len - off);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            wrote = false;
            break;
        }
        off += (size_t)n;
    }
    close(in[1]);
    signal(SIGPIPE, old);
    while (waitpid(pid, status, 0) < 0)
        if (errno != EINTR) {
            snprintf(err, errlen, "waitpid: %s", strerror(errno));
            return false;
        }
    (void)wrote; /* a short write shows up as gnuplot's failure status */
    return true;
}

bool bc_plot_render(bc_plot_t *p, bc_out_t *out, char *err, size_t errlen)
{
    if (fflush(p->s) != 0 || ferror(p->s)) {
        snprintf(err, errlen, "out of memory building the plot");
        return false;
    }
    if (p->refused) {
        snprintf(err, errlen, "%s", p->why);
        return false;
    }
    if (out->is_stdout || !out->fp) {
        snprintf(err, errlen, "a plot must go to a file");
        return false;
    }
    fflush(out->fp);
    bc_tmpfile_t et;
    char e2[256];
    FILE *ef = bc_tmp_create(&et, NULL, "bitcycle-gnuplot-err", e2, sizeof e2);
    if (!ef) {
        snprintf(err, errlen, "%s", e2);
        return false;
    }
    int status = 0;
    bool ok = run_gnuplot(p->buf, p->len, fileno(out->fp), fileno(ef), &status, err, errlen);
    if (ok && (!WIFEXITED(status) || WEXITSTATUS(status) != 0)) {
        char line[200];
        first_error_line(ef, line, sizeof line);
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            snprintf(err, errlen, "gnuplot not found (make deps installs gnuplot-nox)");
        else
            snprintf(err, errlen, "gnuplot failed (status %d)%s%s", WIFEXITED(status) ? WEXITSTATUS(status) : -1,
                     line[0] ? ": " : "", line);
        ok = false;
    }
    fclose(ef);
    bc_tmp_remove(&et);
    if (!ok)
        return false;
    /* gnuplot wrote through a duplicate of the descriptor: check the magic. */
    unsigned char magic[8] = {0};
    int fd = fileno(out->fp);
    if (out->is_stream)
        return true;
    if (pread(fd, magic, 8, 0) != 8 || memcmp(magic, "\x89PNG\r\n\x1a\n", 8)) {
        snprintf(err, errlen, "gnuplot produced no PNG");
        return false;
    }
    /* the stream position of out->fp is stale after gnuplot's writes */
    if (fseek(out->fp, 0, SEEK_END) != 0) {
        snprintf(err, errlen, "seek: %s", strerror(errno));
        return false;
    }
    return true;
}

bool bc_plot_write(bc_plot_t *p, const char *png_path, char *err, size_t errlen)
{
    bc_out_t out;
    if (!bc_out_open(&out, png_path, err, errlen))
        return false;
    if (!bc_plot_render(p, &out, err, errlen)) {
        bc_out_abort(&out);
        return false;
    }
    return bc_out_commit(&out, err, errlen);
}

void bc_plot_free(bc_plot_t *p)
{
    if (p->s)
        fclose(p->s);
    free(p->buf);
    p->s = NULL;
    p->buf = NULL;
}
