/* Data loaders on valid and corrupt files built here (in the current directory). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include <cmocka.h>

#include "bc_data.h"
#include "fw_tests.h"

static void put_be32(uint8_t *b, uint32_t v)
{
    b[0] = (uint8_t)(v >> 24);
    b[1] = (uint8_t)(v >> 16);
    b[2] = (uint8_t)(v >> 8);
    b[3] = (uint8_t)v;
}

static void write_gz(const char *path, const void *data, size_t len)
{
    gzFile gz = gzopen(path, "wb");
    assert_non_null(gz);
    if (len)
        assert_int_equal(gzwrite(gz, data, (unsigned)len), (int)len);
    assert_int_equal(gzclose(gz), Z_OK);
}

/* images: n x 2 x 2 with pixel = 10*i + j; labels i % 10 unless overridden */
static void write_idx(const char *img, const char *lab, uint32_t img_magic, uint32_t n_hdr, uint32_t n_data,
                      uint32_t lab_magic, uint32_t nl_hdr, uint8_t bad_label_at, uint8_t bad_label)
{
    uint8_t buf[16 + 64 * 4];
    put_be32(buf, img_magic);
    put_be32(buf + 4, n_hdr);
    put_be32(buf + 8, 2);
    put_be32(buf + 12, 2);
    for (uint32_t i = 0; i < n_data; i++)
        for (uint32_t j = 0; j < 4; j++)
            buf[16 + i * 4 + j] = (uint8_t)(10 * i + j);
    write_gz(img, buf, 16 + n_data * 4);
    uint8_t lb[8 + 64];
    put_be32(lb, lab_magic);
    put_be32(lb + 4, nl_hdr);
    for (uint32_t i = 0; i < n_data; i++)
        lb[8 + i] = (uint8_t)(i % 10);
    if (bad_label_at < n_data)
        lb[8 + bad_label_at] = bad_label;
    write_gz(lab, lb, 8 + n_data);
}

static void expect_idx_error(const char *must1, const char *must2)
{
    bc_dataset_t d;
    char err[512] = "";
    assert_int_equal(bc_data_load_idx("t-img.gz", "t-lab.gz", 10, &d, err, sizeof err), -1);
    if (!strstr(err, must1) || !strstr(err, must2) || !strstr(err, "make data"))
        fail_msg("error '%s' lacks '%s' / '%s' / 'make data'", err, must1, must2);
    assert_null(d.pixels);
}

static void test_idx_valid(void **state)
{
    (void)state;
    write_idx("t-img.gz", "t-lab.gz", 0x803, 3, 3, 0x801, 3, 255, 0);
    bc_dataset_t d;
    char err[512];
    if (bc_data_load_idx("t-img.gz", "t-lab.gz", 10, &d, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(d.n, 3);
    assert_int_equal(d.dim, 4);
    assert_int_equal(d.pixels[2 * 4 + 3], 23);
    assert_int_equal(d.labels[2], 2);
    uint32_t idx[2] = {2, 0};
    float x[8];
    uint8_t y[2];
    bc_data_batch(&d, idx, 2, x, y);
    assert_true(x[1] == 21.0f / 255.0f);
    assert_int_equal(y[0], 2);
    assert_int_equal(y[1], 0);
    bc_data_free(&d);
}

static void test_idx_bad_magic(void **state)
{
    (void)state;
    write_idx("t-img.gz", "t-lab.gz", 0x802, 3, 3, 0x801, 3, 255, 0);
    expect_idx_error("t-img.gz", "bad magic");
    write_idx("t-img.gz", "t-lab.gz", 0x803, 3, 3, 0x803, 3, 255, 0);
    expect_idx_error("t-lab.gz", "bad magic");
    /* not gzip at all: zlib reads it transparently, the magic check catches it */
    FILE *fp = fopen("t-img.gz", "wb");
    assert_non_null(fp);
    fputs("this is not an IDX file at all", fp);
    fclose(fp);
    expect_idx_error("t-img.gz", "bad magic");
}

static void test_idx_wrong_sizes(void **state)
{
    (void)state;
    write_idx("t-img.gz", "t-lab.gz", 0x803, 5, 3, 0x801, 3, 255, 0); /* header claims 5 images, 3 present */
    expect_idx_error("t-img.gz", "truncated");
    write_idx("t-img.gz", "t-lab.gz", 0x803, 2, 3, 0x801, 2, 255, 0); /* extra data after 2 images */
    expect_idx_error("t-img.gz", "unexpected data");
    write_idx("t-img.gz", "t-lab.gz", 0x803, 3, 3, 0x801, 4, 255, 0); /* label count differs */
    expect_idx_error("t-lab.gz", "4 labels");
    write_idx("t-img.gz", "t-lab.gz", 0x803, 0, 0, 0x801, 0, 255, 0);
    expect_idx_error("t-img.gz", "implausible");
}

static void test_idx_bad_label(void **state)
{
    (void)state;
    write_idx("t-img.gz", "t-lab.gz", 0x803, 3, 3, 0x801, 3, 1, 10);
    expect_idx_error("t-lab.gz", "label 10 of item 1");
}

static void test_idx_truncated_gzip(void **state)
{
    (void)state;
    write_idx("t-img.gz", "t-lab.gz", 0x803, 40, 40, 0x801, 40, 255, 0);
    /* cut the compressed file in half */
    FILE *fp = fopen("t-img.gz", "rb");
    assert_non_null(fp);
    uint8_t buf[4096];
    size_t len = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    assert_true(len > 20);
    fp = fopen("t-img.gz", "wb");
    fwrite(buf, 1, len / 2, fp);
    fclose(fp);
    bc_dataset_t d;
    char err[512] = "";
    assert_int_equal(bc_data_load_idx("t-img.gz", "t-lab.gz", 10, &d, err, sizeof err), -1);
    if (!strstr(err, "t-img.gz") || (!strstr(err, "truncated") && !strstr(err, "corrupt")) || !strstr(err, "make data"))
        fail_msg("error '%s'", err);
    /* flip bytes in the middle of the deflate stream */
    write_idx("t-img.gz", "t-lab.gz", 0x803, 40, 40, 0x801, 40, 255, 0);
    fp = fopen("t-img.gz", "rb");
    len = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    for (size_t i = 12; i < len - 8; i += 3)
        buf[i] ^= 0x5a;
    fp = fopen("t-img.gz", "wb");
    fwrite(buf, 1, len, fp);
    fclose(fp);
    assert_int_equal(bc_data_load_idx("t-img.gz", "t-lab.gz", 10, &d, err, sizeof err), -1);
    assert_non_null(strstr(err, "t-img.gz"));
}

static void test_missing_file(void **state)
{
    (void)state;
    bc_dataset_t tr, te;
    char err[512] = "";
    assert_int_equal(bc_data_load_named("fashion-mnist", "no-such-dir", &tr, &te, err, sizeof err), -1);
    assert_non_null(strstr(err, "no-such-dir/fashion-mnist/train-images-idx3-ubyte.gz"));
    assert_non_null(strstr(err, "make data"));
    assert_int_equal(bc_data_load_named("digits", "no-such-dir", &tr, &te, err, sizeof err), -1);
    assert_non_null(strstr(err, "digits.csv.gz"));
    assert_non_null(strstr(err, "make data"));
    assert_int_equal(bc_data_load_named("cifar", "x", &tr, &te, err, sizeof err), -1);
    assert_non_null(strstr(err, "cifar"));
}

static void digits_row(char *out, size_t len, int base, int label)
{
    size_t o = 0;
    for (int i = 0; i < 64; i++)
        o += (size_t)snprintf(out + o, len - o, "%d,", (base + i) % 17);
    snprintf(out + o, len - o, "%d\n", label);
}

static void expect_digits_error(const char *text, const char *must)
{
    write_gz("t-dig.gz", text, strlen(text));
    bc_dataset_t tr, te;
    char err[512] = "";
    assert_int_equal(bc_data_load_digits("t-dig.gz", 2, &tr, &te, err, sizeof err), -1);
    if (!strstr(err, must) || !strstr(err, "t-dig.gz"))
        fail_msg("error '%s' lacks '%s'", err, must);
}

static void test_digits(void **state)
{
    (void)state;
    char text[4096], row[512];
    text[0] = 0;
    for (int r = 0; r < 3; r++) {
        digits_row(row, sizeof row, r, r + 3);
        strcat(text, row);
    }
    write_gz("t-dig.gz", text, strlen(text));
    bc_dataset_t tr, te;
    char err[512];
    if (bc_data_load_digits("t-dig.gz", 2, &tr, &te, err, sizeof err))
        fail_msg("%s", err);
    assert_int_equal(tr.n, 2);
    assert_int_equal(te.n, 1);
    assert_int_equal(tr.dim, 64);
    assert_int_equal(te.labels[0], 5);
    assert_int_equal(te.pixels[63], (2 + 63) % 17);
    assert_true(tr.pixel_scale == 1.0f / 16.0f);
    bc_data_free(&tr);
    bc_data_free(&te);

    /* sklearn's format with ".0" fractions is accepted */
    char f[4096] = "";
    for (int r = 0; r < 3; r++) {
        for (int i = 0; i < 64; i++)
            strcat(f, "1.0,");
        strcat(f, "7.0\n");
    }
    write_gz("t-dig.gz", f, strlen(f));
    assert_int_equal(bc_data_load_digits("t-dig.gz", 2, &tr, &te, err, sizeof err), 0);
    assert_int_equal(tr.labels[1], 7);
    bc_data_free(&tr);
    bc_data_free(&te);
}

static void test_digits_corrupt(void **state)
{
    (void)state;
    char text[4096], row[512];
    digits_row(row, sizeof row, 0, 1);
    snprintf(text, sizeof text, "%s%s%s", row, row, "1,2,3\n");
    expect_digits_error(text, ":3: expected 65 comma-separated fields, found 3");
    snprintf(text, sizeof text, "%s%s", row, row);
    text[strlen(row) - 2] = '9'; /* label of row 1 becomes 9: fine */
    char bad[4096];
    snprintf(bad, sizeof bad, "%s%s%s", row, row, row);
    bad[2 * strlen(row) - 2] = 0;
    strcat(bad, "12\n");
    expect_digits_error(bad, ":2: field 65: label 12 out of range");
    snprintf(bad, sizeof bad, "17,%s%s%s", row + 2, row, row);
    expect_digits_error(bad, ":1: field 1: pixel 17 out of range");
    snprintf(bad, sizeof bad, "%sx%s%s", row, row + 1, row);
    expect_digits_error(bad, ":2: field 1: expected a non-negative integer");
    snprintf(bad, sizeof bad, "%s%s", row, row);
    expect_digits_error(bad, "need more than 2");
    /* truncated gzip */
    snprintf(bad, sizeof bad, "%s%s%s%s", row, row, row, row);
    write_gz("t-dig.gz", bad, strlen(bad));
    FILE *fp = fopen("t-dig.gz", "rb");
    uint8_t buf[4096];
    size_t len = fread(buf, 1, sizeof buf, fp);
    fclose(fp);
    fp = fopen("t-dig.gz", "wb");
    fwrite(buf, 1, len - 12, fp);
    fclose(fp);
    bc_dataset_t tr, te;
    char err[512] = "";
    assert_int_equal(bc_data_load_digits("t-dig.gz", 2, &tr, &te, err, sizeof err), -1);
    assert_non_null(strstr(err, "t-dig.gz"));
}

static int cleanup(void **state)
{
    (void)state;
    unlink("t-img.gz");
    unlink("t-lab.gz");
    unlink("t-dig.gz");
    return 0;
}

int fw_run_data_tests(unsigned *ntests)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_idx_valid),      cmocka_unit_test(test_idx_bad_magic),
        cmocka_unit_test(test_idx_wrong_sizes), cmocka_unit_test(test_idx_bad_label),
        cmocka_unit_test(test_idx_truncated_gzip), cmocka_unit_test(test_missing_file),
        cmocka_unit_test(test_digits),         cmocka_unit_test(test_digits_corrupt),
    };
    *ntests += (unsigned)(sizeof tests / sizeof tests[0]);
    return cmocka_run_group_tests_name("data-loaders", tests, NULL, cleanup);
}
