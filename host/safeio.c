/* Safe file input and output (see safeio.h for the rules). */
#include "safeio.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* ------------------------------------------------------------------ */
/* Registry of temporary files, removed by the signal handler.          */
/* ------------------------------------------------------------------ */

#define TMP_SLOTS 32
static char tmp_paths[TMP_SLOTS][1100];
static volatile sig_atomic_t tmp_used[TMP_SLOTS];
static bool handlers_installed;

static void on_fatal_signal(int sig)
{
    for (int i = 0; i < TMP_SLOTS; i++)
        if (tmp_used[i])
            unlink(tmp_paths[i]); /* async-signal-safe */
    signal(sig, SIG_DFL);
    raise(sig);
}

static void install_handlers(void)
{
    if (handlers_installed)
        return;
    handlers_installed = true;
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old;
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler == SIG_IGN)
            continue; /* keep an inherited "ignore" (nohup) */
        struct sigaction sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_fatal_signal;
        sigemptyset(&sa.sa_mask);
        sigaction(sigs[i], &sa, NULL);
    }
}

static int tmp_register(const char *path)
{
    install_handlers();
    size_t len = strlen(path);
    if (len >= sizeof tmp_paths[0])
        return -1;
    for (int i = 0; i < TMP_SLOTS; i++)
        if (!tmp_used[i]) {
            memcpy(tmp_paths[i], path, len + 1);
            tmp_used[i] = 1;
            return i;
        }
    return -1;
}

static void tmp_unregister(int slot)
{
    if (slot >= 0 && slot < TMP_SLOTS)
        tmp_used[slot] = 0;
}

/* Create dir/.stem.XXXXXX exclusively; mkstemp uses O_CREAT|O_EXCL, so a
 * planted file or symbolic link at the name makes it pick another name. The
 * mode becomes what fopen would give (0666 & ~umask). */
static int make_tmp(const char *dir, const char *stem, char *out, size_t outlen, char *err, size_t errlen)
{
    int n = snprintf(out, outlen, "%s/.%s.XXXXXX", dir, stem);
    if (n < 0 || (size_t)n >= outlen) {
        snprintf(err, errlen, "%s/%s: path too long", dir, stem);
        return -1;
    }
    int fd = mkstemp(out);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot create a temporary file: %s", dir, strerror(errno));
        return -1;
    }
    mode_t um = umask(0);
    umask(um);
    if (fchmod(fd, 0666 & ~um) != 0) {
        snprintf(err, errlen, "%s: cannot set the mode: %s", out, strerror(errno));
        close(fd);
        unlink(out);
        return -1;
    }
    return fd;
}

static void split_dir(const char *path, char *dir, size_t dirlen, const char **base)
{
    const char *slash = strrchr(path, '/');
    if (!slash) {
        snprintf(dir, dirlen, ".");
        *base = path;
    } else if (slash == path) {
        snprintf(dir, dirlen, "/");
        *base = slash + 1;
    } else {
        snprintf(dir, dirlen, "%.*s", (int)(slash - path), path);
        *base = slash + 1;
    }
}

/* ------------------------------------------------------------------ */
/* Output                                                              */
/* ------------------------------------------------------------------ */

static bool open_in_place(bc_out_t *o, const char *path, char *err, size_t errlen)
{
    int fd = open(path, O_WRONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: cannot open for writing: %s", path,
                 errno == ENXIO ? "a FIFO with no reader" : strerror(errno));
        return false;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        close(fd);
        snprintf(err, errlen, "%s: cannot open for writing: %s", path, strerror(errno));
        return false;
    }
    o->is_stream = true;
    return true;
}

bool bc_out_open(bc_out_t *o, const char *path, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    o->slot = -1;
    if (strcmp(path, "-") == 0) {
        o->fp = stdout;
        o->is_stdout = true;
        snprintf(o->path, sizeof o->path, "-");
        return true;
    }
    if (!*path || strlen(path) >= sizeof o->path) {
        snprintf(err, errlen, "'%s': %s", path, *path ? "path too long" : "empty path");
        return false;
    }
    memcpy(o->path, path, strlen(path) + 1);
    struct stat st;
    if (lstat(path, &st) == 0) {
        if (S_ISCHR(st.st_mode) || S_ISFIFO(st.st_mode))
            return open_in_place(o, path, err, errlen);
        if (S_ISLNK(st.st_mode)) {
            snprintf(err, errlen, "%s: is a symbolic link; outputs are never written through links (give the real path)",
                     path);
            return false;
        }
        if (!S_ISREG(st.st_mode)) {
            snprintf(err, errlen, "%s: not a regular file (a directory, socket or block device); refused", path);
            return false;
        }
        if (!(st.st_mode & 0222)) {
            snprintf(err, errlen, "%s: is read-only; refused (not replaced)", path);
            return false;
        }
    } else if (errno != ENOENT) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        return false;
    }
    char dir[1024];
    const char *base;
    split_dir(path, dir, sizeof dir, &base);
    if (!*base) {
        snprintf(err, errlen, "%s: names a directory, not a file", path);
        return false;
    }
    int fd = make_tmp(dir, base, o->tmp, sizeof o->tmp, err, errlen);
    if (fd < 0)
        return false;
    o->slot = tmp_register(o->tmp);
    o->fp = fdopen(fd, "w");
    if (!o->fp) {
        snprintf(err, errlen, "%s: %s", o->tmp, strerror(errno));
        close(fd);
        unlink(o->tmp);
        tmp_unregister(o->slot);
        return false;
    }
    return true;
}

/* Flush and close; false (with err) when any write failed. */
static bool out_close(bc_out_t *o, char *err, size_t errlen)
{
    if (o->is_stdout) {
        if (fflush(stdout) != 0) {
            snprintf(err, errlen, "stdout: write failed: %s", strerror(errno));
            return false;
        }
        return true;
    }
    if (!o->fp)
        return true;
    bool ok = !ferror(o->fp);
    if (fclose(o->fp) != 0)
        ok = false;
    o->fp = NULL;
    if (!ok) {
        snprintf(err, errlen, "%s: write failed: %s", o->path, strerror(errno));
        if (!o->is_stream) {
            unlink(o->tmp);
            tmp_unregister(o->slot);
        }
    }
    return ok;
}

bool bc_out_commit(bc_out_t *o, char *err, size_t errlen)
{
    bc_out_t *one[1] = {o};
    return bc_out_commit_all(one, 1, err, errlen);
}

void bc_out_abort(bc_out_t *o)
{
    if (o->is_stdout)
        return;
    if (o->fp)
        fclose(o->fp);
    o->fp = NULL;
    if (!o->is_stream && o->tmp[0]) {
        unlink(o->tmp);
        tmp_unregister(o->slot);
        o->tmp[0] = '\0';
    }
}

/* Previous content of a target kept as a hard link until every rename worked. */
typedef struct backup {
    char path[1100];
    bool have;
    int slot;
} backup_t;

static bool make_backup(const bc_out_t *o, backup_t *b, char *err, size_t errlen)
{
    b->have = false;
    struct stat st;
    if (o->is_stdout || o->is_stream || lstat(o->path, &st) != 0 || !S_ISREG(st.st_mode))
        return true; /* nothing to keep (a non-file target makes the rename fail instead) */
    char dir[1024];
    const char *base;
    split_dir(o->path, dir, sizeof dir, &base);
    for (int attempt = 0; attempt < 100; attempt++) {
        int fd = make_tmp(dir, base, b->path, sizeof b->path, err, errlen);
        if (fd < 0)
            return false;
        close(fd);
        unlink(b->path); /* the name was ours a moment ago; link() refuses to overwrite */
        if (link(o->path, b->path) == 0) {
            b->have = true;
            b->slot = tmp_register(b->path);
            return true;
        }
        if (errno != EEXIST)
            break;
    }
    snprintf(err, errlen, "%s: cannot keep the previous content: %s", o->path, strerror(errno));
    return false;
}

static void rollback(bc_out_t *const *outs, backup_t *bk, size_t upto)
{
    for (size_t j = 0; j < upto; j++) {
        if (!outs[j] || outs[j]->is_stdout || outs[j]->is_stream)
            continue;
        if (bk[j].have)
            rename(bk[j].path, outs[j]->path);
        else
            unlink(outs[j]->path);
    }
}

bool bc_out_commit_all(bc_out_t *const *outs, size_t n, char *err, size_t errlen)
{
    enum { MAX_OUTS = 8 };
    if (n > MAX_OUTS) {
        snprintf(err, errlen, "internal: more than %d outputs committed together", MAX_OUTS);
        return false;
    }
    bool ok = true;
    char scratch[256];
    for (size_t i = 0; i < n; i++) /* close all; report the first failure */
        if (outs[i] && !out_close(outs[i], ok ? err : scratch, ok ? errlen : sizeof scratch))
            ok = false;
    backup_t bk[MAX_OUTS];
    memset(bk, 0, sizeof bk);
    size_t nb = 0;
    for (; ok && nb < n; nb++)
        if (outs[nb] && !make_backup(outs[nb], &bk[nb], err, errlen))
            ok = false;
    size_t done = 0;
    for (; ok && done < n; done++) {
        bc_out_t *o = outs[done];
        if (!o || o->is_stdout || o->is_stream)
            continue;
        if (rename(o->tmp, o->path) != 0) {
            snprintf(err, errlen, "%s: cannot rename into place: %s", o->path, strerror(errno));
            ok = false;
            break;
        }
    }
    if (!ok)
        rollback(outs, bk, done);
    for (size_t i = 0; i < n; i++) {
        if (i < nb && bk[i].have) {
            if (ok || i >= done) /* below `done` the rollback renamed it back into place */
                unlink(bk[i].path);
            tmp_unregister(bk[i].slot);
        }
        if (outs[i] && !outs[i]->is_stdout && !outs[i]->is_stream) {
            if (!ok)
                unlink(outs[i]->tmp);
            tmp_unregister(outs[i]->slot);
            outs[i]->slot = -1;
        }
    }
    return ok;
}

FILE *bc_tmp_create(bc_tmpfile_t *t, const char *dir, const char *stem, char *err, size_t errlen)
{
    t->slot = -1;
    if (!dir) {
        dir = getenv("TMPDIR");
        if (!dir || !*dir)
            dir = "/tmp";
    }
    int fd = make_tmp(dir, stem, t->path, sizeof t->path, err, errlen);
    if (fd < 0)
        return NULL;
    t->slot = tmp_register(t->path);
    FILE *fp = fdopen(fd, "w+");
    if (!fp) {
        snprintf(err, errlen, "%s: %s", t->path, strerror(errno));
        close(fd);
        bc_tmp_remove(t);
    }
    return fp;
}

void bc_tmp_remove(bc_tmpfile_t *t)
{
    if (t->path[0])
        unlink(t->path);
    tmp_unregister(t->slot);
    t->slot = -1;
    t->path[0] = '\0';
}

/* ------------------------------------------------------------------ */
/* Input                                                               */
/* ------------------------------------------------------------------ */

FILE *bc_open_regular(const char *path, uint64_t max_bytes, uint64_t *size, char *err, size_t errlen)
{
    /* O_NONBLOCK: opening a FIFO must not wait for a writer. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        snprintf(err, errlen, "%s: %s", path, errno == ENOENT ? "no such file" : strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        snprintf(err, errlen, "%s: not a regular file (FIFOs, devices and directories are refused)", path);
        close(fd);
        return NULL;
    }
    if ((uint64_t)st.st_size > max_bytes) {
        snprintf(err, errlen, "%s: %llu bytes is larger than the limit of %llu bytes", path,
                 (unsigned long long)st.st_size, (unsigned long long)max_bytes);
        close(fd);
        return NULL;
    }
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    FILE *fp = fdopen(fd, "rb");
    if (!fp) {
        snprintf(err, errlen, "%s: %s", path, strerror(errno));
        close(fd);
        return NULL;
    }
    if (size)
        *size = (uint64_t)st.st_size;
    return fp;
}

bool bc_lines_open(bc_lines_t *r, const char *path, size_t max_line, uint64_t max_bytes, char *err,
                   size_t errlen)
{
    memset(r, 0, sizeof *r);
    r->path = path;
    r->max_line = max_line ? max_line : BC_LINE_MAX_DEFAULT;
    r->max_bytes = max_bytes ? max_bytes : BC_INPUT_MAX_DEFAULT;
    r->fp = bc_open_regular(path, r->max_bytes, NULL, err, errlen);
    if (!r->fp)
        return false;
    r->buf = malloc(r->max_line + 2);
    if (!r->buf) {
        snprintf(err, errlen, "%s: out of memory", path);
        fclose(r->fp);
        r->fp = NULL;
        return false;
    }
    return true;
}

int bc_lines_next(bc_lines_t *r, const char **line, char *err, size_t errlen)
{
    size_t len = 0;
    int c;
    bool any = false;
    r->lineno++;
    while ((c = getc(r->fp)) != EOF) {
        any = true;
        if (++r->bytes > r->max_bytes) {
            snprintf(err, errlen, "%s:%lu: input larger than %llu bytes", r->path, r->lineno,
                     (unsigned long long)r->max_bytes);
            return -1;
        }
        if (c == '\n')
            break;
        if (c == '\0') {
            snprintf(err, errlen, "%s:%lu: NUL byte in a text file", r->path, r->lineno);
            return -1;
        }
        if (len >= r->max_line) {
            snprintf(err, errlen, "%s:%lu: line longer than %zu characters", r->path, r->lineno, r->max_line);
            return -1;
        }
        r->buf[len++] = (char)c;
    }
    if (ferror(r->fp)) {
        snprintf(err, errlen, "%s:%lu: read error: %s", r->path, r->lineno, strerror(errno));
        return -1;
    }
    if (!any)
        return 0;
    if (len && r->buf[len - 1] == '\r')
        len--;
    r->buf[len] = '\0';
    *line = r->buf;
    return 1;
}

void bc_lines_close(bc_lines_t *r)
{
    if (r->fp)
        fclose(r->fp);
    free(r->buf);
    r->fp = NULL;
    r->buf = NULL;
}
