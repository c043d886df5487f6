/* Safe outputs, bounded readers and the plotting path (host/safeio.h,
 * host/plot.h): every rule of the output contract and every reader bound,
 * against real files, links, FIFOs, devices and signals. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plot.h"
#include "safeio.h"

static char dir[256];

static void path_in(char *out, size_t len, const char *name)
{
    snprintf(out, len, "%s/%s", dir, name);
}

static void write_file(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    fclose(fp);
}

static void expect_content(const char *path, const char *text)
{
    char buf[256] = {0};
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    size_t n = fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    buf[n] = '\0';
    assert_string_equal(buf, text);
}

/* Files in dir other than the ones the test made: temporaries left behind. */
static unsigned count_hidden(void)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    unsigned n = 0;
    for (struct dirent *e; (e = readdir(d));)
        if (e->d_name[0] == '.' && strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "%s/bitcycle-safeio-XXXXXX", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[600];
    DIR *d = opendir(dir);
    if (d) {
        for (struct dirent *e; (e = readdir(d));) {
            if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
                continue;
            snprintf(cmd, sizeof cmd, "%s/%s", dir, e->d_name);
            chmod(cmd, 0700);
            if (unlink(cmd) != 0)
                rmdir(cmd);
        }
        closedir(d);
    }
    return rmdir(dir);
}

static void test_replace_atomically(void **state)
{
    (void)state;
    char p[300], err[512];
    path_in(p, sizeof p, "out.txt");
    write_file(p, "old");
    bc_out_t o;
    assert_true(bc_out_open(&o, p, err, sizeof err));
    fputs("new", o.fp);
    expect_content(p, "old"); /* untouched until commit */
    assert_int_equal(count_hidden(), 1);
    assert_true(bc_out_commit(&o, err, sizeof err));
    expect_content(p, "new");
    assert_int_equal(count_hidden(), 0);
    /* abort keeps the old content and leaves nothing behind */
    assert_true(bc_out_open(&o, p, err, sizeof err));
    fputs("dropped", o.fp);
    bc_out_abort(&o);
    expect_content(p, "new");
    assert_int_equal(count_hidden(), 0);
}

static void test_refusals(void **state)
{
    (void)state;
    char p[300], link[300], err[512];
    bc_out_t o;
    path_in(p, sizeof p, "ro.txt");
    write_file(p, "keep");
    chmod(p, 0444);
    assert_false(bc_out_open(&o, p, err, sizeof err)); /* refused even for root */
    assert_non_null(strstr(err, "read-only"));
    expect_content(p, "keep");
    path_in(link, sizeof link, "link.txt");
    path_in(p, sizeof p, "victim.txt");
    write_file(p, "victim");
    assert_int_equal(symlink(p, link), 0);
    assert_false(bc_out_open(&o, link, err, sizeof err));
    assert_non_null(strstr(err, "symbolic link"));
    expect_content(p, "victim");
    path_in(p, sizeof p, "adir");
    assert_int_equal(mkdir(p, 0700), 0);
    assert_false(bc_out_open(&o, p, err, sizeof err));
    assert_non_null(strstr(err, "not a regular file"));
    assert_false(bc_out_open(&o, "", err, sizeof err));
    assert_int_equal(count_hidden(), 0);
}

/* A character device is written in place, not replaced by a rename. */
static void test_device_in_place(void **state)
{
    (void)state;
    char err[512];
    bc_out_t o;
    assert_true(bc_out_open(&o, "/dev/null", err, sizeof err));
    assert_true(o.is_stream);
    fputs("x", o.fp);
    assert_true(bc_out_commit(&o, err, sizeof err));
    struct stat st;
    assert_int_equal(stat("/dev/null", &st), 0);
    assert_true(S_ISCHR(st.st_mode));
}

static void test_fifo(void **state)
{
    (void)state;
    char p[300], err[512];
    path_in(p, sizeof p, "fifo");
    assert_int_equal(mkfifo(p, 0600), 0);
    bc_out_t o;
    /* No reader: refused at once instead of blocking. */
    assert_false(bc_out_open(&o, p, err, sizeof err));
    assert_non_null(strstr(err, "no reader"));
    /* Readers never block on a FIFO either: refused up front. */
    bc_lines_t r;
    assert_false(bc_lines_open(&r, p, 0, 0, err, sizeof err));
    assert_non_null(strstr(err, "not a regular file"));
    int rd = open(p, O_RDONLY | O_NONBLOCK);
    assert_true(rd >= 0);
    assert_true(bc_out_open(&o, p, err, sizeof err));
    fputs("via fifo", o.fp);
    assert_true(bc_out_commit(&o, err, sizeof err));
    char buf[32] = {0};
    assert_int_equal(read(rd, buf, sizeof buf - 1), 8);
    assert_string_equal(buf, "via fifo");
    close(rd);
}

/* Two outputs commit together: when the second rename fails, the first
 * target gets its previous content back. */
static void test_all_or_none(void **state)
{
    (void)state;
    char a[300], b[300], err[512];
    path_in(a, sizeof a, "a.txt");
    path_in(b, sizeof b, "b.txt");
    write_file(a, "old a");
    bc_out_t oa, ob;
    assert_true(bc_out_open(&oa, a, err, sizeof err));
    assert_true(bc_out_open(&ob, b, err, sizeof err));
    fputs("new a", oa.fp);
    fputs("new b", ob.fp);
    assert_int_equal(mkdir(b, 0700), 0); /* makes the rename onto b fail */
    bc_out_t *both[2] = {&oa, &ob};
    assert_false(bc_out_commit_all(both, 2, err, sizeof err));
    expect_content(a, "old a");
    assert_int_equal(rmdir(b), 0);
    assert_int_equal(count_hidden(), 0);
    /* and the success path writes both */
    assert_true(bc_out_open(&oa, a, err, sizeof err));
    assert_true(bc_out_open(&ob, b, err, sizeof err));
    fputs("A", oa.fp);
    fputs("B", ob.fp);
    assert_true(bc_out_commit_all(both, 2, err, sizeof err));
    expect_content(a, "A");
    expect_content(b, "B");
    assert_int_equal(count_hidden(), 0);
}

/* SIGINT, SIGTERM and SIGHUP remove the temporary files; the old output stays. */
static void test_signals_remove_temporaries(void **state)
{
    (void)state;
    static const int sigs[] = {SIGINT, SIGTERM, SIGHUP};
    char p[300], err[512];
    path_in(p, sizeof p, "sig.txt");
    write_file(p, "previous");
    for (size_t i = 0; i < 3; i++) {
        pid_t pid = fork();
        assert_true(pid >= 0);
        if (pid == 0) {
            bc_out_t o;
            bc_tmpfile_t t;
            if (!bc_out_open(&o, p, err, sizeof err) || !bc_tmp_create(&t, dir, "scratch", err, sizeof err))
                _exit(3);
            fputs("partial", o.fp);
            raise(sigs[i]);
            _exit(4);
        }
        int st = 0;
        assert_int_equal(waitpid(pid, &st, 0), pid);
        assert_true(WIFSIGNALED(st));
        assert_int_equal(WTERMSIG(st), sigs[i]);
        assert_int_equal(count_hidden(), 0);
        expect_content(p, "previous");
    }
}

static void test_lines(void **state)
{
    (void)state;
    char p[300], err[512];
    const char *line;
    bc_lines_t r;
    path_in(p, sizeof p, "ok.txt");
    write_file(p, "one\r\ntwo\nlast");
    assert_true(bc_lines_open(&r, p, 8, 0, err, sizeof err));
    assert_int_equal(bc_lines_next(&r, &line, err, sizeof err), 1);
    assert_string_equal(line, "one");
    assert_int_equal(bc_lines_next(&r, &line, err, sizeof err), 1);
    assert_string_equal(line, "two");
    assert_int_equal(bc_lines_next(&r, &line, err, sizeof err), 1);
    assert_string_equal(line, "last");
    assert_int_equal(bc_lines_next(&r, &line, err, sizeof err), 0);
    bc_lines_close(&r);

    path_in(p, sizeof p, "long.txt");
    write_file(p, "short\n123456789\n");
    assert_true(bc_lines_open(&r, p, 8, 0, err, sizeof err));
    assert_int_equal(bc_lines_next(&r, &line, err, sizeof err), 1);
    assert_int_equal(bc_lines_next(&r, &line, err, sizeof err), -1); /* never split */
    assert_non_null(strstr(err, "long.txt:2: line longer than 8"));
    bc_lines_close(&r);

    path_in(p, sizeof p, "nul.txt");
    FILE *fp = fopen(p, "wb");
    fwrite("ab\0cd\n", 1, 6, fp);
    fclose(fp);
    assert_true(bc_lines_open(&r, p, 0, 0, err, sizeof err));
    assert_int_equal(bc_lines_next(&r, &line, err, sizeof err), -1);
    assert_non_null(strstr(err, "nul.txt:1: NUL byte"));
    bc_lines_close(&r);

    path_in(p, sizeof p, "big.txt");
    write_file(p, "0123456789\n0123456789\n");
    assert_false(bc_lines_open(&r, p, 0, 10, err, sizeof err));
    assert_non_null(strstr(err, "larger than the limit"));
    assert_false(bc_lines_open(&r, "/dev/zero", 0, 0, err, sizeof err));
    assert_non_null(strstr(err, "not a regular file"));
    assert_false(bc_lines_open(&r, dir, 0, 0, err, sizeof err));
    path_in(p, sizeof p, "missing.txt");
    assert_false(bc_lines_open(&r, p, 0, 0, err, sizeof err));
    assert_non_null(strstr(err, "no such file"));
}

/* Strings from input become single-quoted literals, where gnuplot does no
 * substitution; control characters are refused. */
static void test_plot_quoting(void **state)
{
    (void)state;
    char q[128];
    assert_true(bc_plot_quote("it's", q, sizeof q));
    assert_string_equal(q, "'it''s'");
    assert_true(bc_plot_quote("a\\b `id` $(id) @m system(\"x\")", q, sizeof q));
    assert_string_equal(q, "'a\\b `id` $(id) @m system(\"x\")'");
    assert_false(bc_plot_quote("two\nlines", q, sizeof q));
    assert_false(bc_plot_quote("tab\there", q, sizeof q));
    assert_false(bc_plot_quote("0123456789", q, 8)); /* does not fit */
}

/* The whole path through gnuplot: hostile titles draw as text, run nothing. */
static void test_plot_hostile_strings(void **state)
{
    (void)state;
    if (system("command -v gnuplot >/dev/null 2>&1") != 0)
        skip();
    char png[300], marker[300], title[1024], err[512];
    path_in(png, sizeof png, "p.png");
    path_in(marker, sizeof marker, "pwned");
    static const char *const shapes[] = {
        "x'.system('touch %s').'",      "x`touch %s`",
        "x' ; system(\"touch %s\") ; '", "x\\'.system('touch %s').'\\",
        "x\"; system(\"touch %s\"); \"", "x @`touch %s`",
    };
    for (size_t i = 0; i < sizeof shapes / sizeof shapes[0]; i++) {
        snprintf(title, sizeof title, shapes[i], marker);
        bc_plot_t p;
        assert_true(bc_plot_begin(&p, 320, 200, 9, err, sizeof err));
        bc_plot_block_begin(&p, "d");
        bc_plot_cmd(&p, "0 1\n1 2\n");
        bc_plot_block_end(&p);
        bc_plot_cmd(&p, "set title ");
        bc_plot_str(&p, title);
        bc_plot_cmd(&p, "\nset xlabel ");
        bc_plot_str(&p, title);
        bc_plot_cmd(&p, "\nplot $d using 1:2 with lines title ");
        bc_plot_str(&p, title);
        bc_plot_cmd(&p, "\n");
        bool ok = bc_plot_write(&p, png, err, sizeof err);
        bc_plot_free(&p);
        if (!ok)
            fail_msg("shape %zu: %s", i, err);
        assert_int_equal(access(marker, F_OK), -1);
    }
    bc_plot_t p;
    assert_true(bc_plot_begin(&p, 320, 200, 9, err, sizeof err));
    bc_plot_cmd(&p, "set title ");
    bc_plot_str(&p, "evil\nsystem('touch x')");
    bc_plot_cmd(&p, "\nplot x\n");
    assert_false(bc_plot_write(&p, png, err, sizeof err));
    assert_non_null(strstr(err, "control characters"));
    bc_plot_free(&p);
    /* a gnuplot error is reported and leaves no output or temporary */
    unlink(png);
    assert_true(bc_plot_begin(&p, 320, 200, 9, err, sizeof err));
    bc_plot_cmd(&p, "plot $nosuchblock using 1:2\n");
    assert_false(bc_plot_write(&p, png, err, sizeof err));
    assert_non_null(strstr(err, "gnuplot failed"));
    bc_plot_free(&p);
    assert_int_equal(access(png, F_OK), -1);
    assert_int_equal(count_hidden(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_replace_atomically, setup, teardown),
        cmocka_unit_test_setup_teardown(test_refusals, setup, teardown),
        cmocka_unit_test_setup_teardown(test_device_in_place, setup, teardown),
        cmocka_unit_test_setup_teardown(test_fifo, setup, teardown),
        cmocka_unit_test_setup_teardown(test_all_or_none, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signals_remove_temporaries, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lines, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plot_quoting, setup, teardown),
        cmocka_unit_test_setup_teardown(test_plot_hostile_strings, setup, teardown),
    };
    return cmocka_run_group_tests_name("safeio", tests, NULL, NULL);
}
