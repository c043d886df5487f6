/* Fashion-MNIST (IDX) and UCI digits (CSV) loaders over zlib. */
#include "bc_data.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#define FETCH_HINT "run `make data` to fetch the data sets into build/data/"

static int data_err(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int data_err(char *err, size_t errlen, const char *fmt, ...)
{
    if (err && errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(err, errlen, fmt, ap);
        va_end(ap);
    }
    return -1;
}

void bc_data_free(bc_dataset_t *d)
{
    free(d->pixels);
    free(d->labels);
    memset(d, 0, sizeof *d);
}

/* Read exactly len bytes; -1 on short read or a gzip error (message in err). */
static int gz_read_exact(gzFile gz, const char *path, void *buf, size_t len, const char *what, char *err,
                         size_t errlen)
{
    uint8_t *p = buf;
    while (len) {
        unsigned chunk = len > (1u << 30) ? (1u << 30) : (unsigned)len;
        int got = gzread(gz, p, chunk);
        if (got < 0) {
            int zerr;
            const char *msg = gzerror(gz, &zerr);
            return data_err(err, errlen, "%s: corrupt gzip data while reading %s (%s); " FETCH_HINT, path, what,
                            msg);
        }
        if (got == 0) {
            int zerr;
            const char *msg = gzerror(gz, &zerr);
            if (zerr != Z_OK && zerr != Z_STREAM_END)
                return data_err(err, errlen, "%s: corrupt gzip data while reading %s (%s); " FETCH_HINT, path,
                                what, msg);
            return data_err(err, errlen, "%s: file truncated while reading %s; " FETCH_HINT, path, what);
        }
        p += got;
        len -= (size_t)got;
    }
    return 0;
}

static uint32_t be32(const uint8_t *b)
{
    return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static gzFile open_gz(const char *path, char *err, size_t errlen)
{
    gzFile gz = gzopen(path, "rb");
    if (!gz)
        data_err(err, errlen, "%s: cannot open (%s); " FETCH_HINT, path, errno ? strerror(errno) : "zlib error");
    return gz;
}

/* After the payload the stream must end (trailing data means a wrong size). */
static int expect_eof(gzFile gz, const char *path, char *err, size_t errlen)
{
    uint8_t extra;
    int got = gzread(gz, &extra, 1);
    if (got < 0) {
        int zerr;
        return data_err(err, errlen, "%s: corrupt gzip data at the end (%s); " FETCH_HINT, path, gzerror(gz, &zerr));
    }
    if (got > 0)
        return data_err(err, errlen, "%s: unexpected data after the last item (wrong size in header?); " FETCH_HINT,
                        path);
    return 0;
}

int bc_data_load_idx(const char *images_path, const char *labels_path, unsigned classes, bc_dataset_t *out,
                     char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    errno = 0;
    gzFile gi = open_gz(images_path, err, errlen);
    if (!gi)
        return -1;
    uint8_t hdr[16];
    int rc = -1;
    uint8_t *pix = NULL, *lab = NULL;
    gzFile gl = NULL;
    if (gz_read_exact(gi, images_path, hdr, 16, "the IDX header", err, errlen))
        goto done;
    if (be32(hdr) != 0x00000803u) {
        data_err(err, errlen, "%s: bad magic 0x%08x (expected 0x00000803, IDX unsigned-byte 3-D images); " FETCH_HINT,
                 images_path, be32(hdr));
        goto done;
    }
    uint32_t n = be32(hdr + 4), rows = be32(hdr + 8), cols = be32(hdr + 12);
    if (n == 0 || n > 1000000u || rows == 0 || rows > 1024u || cols == 0 || cols > 1024u) {
        data_err(err, errlen, "%s: implausible dimensions %u x %u x %u in the IDX header; " FETCH_HINT, images_path,
                 n, rows, cols);
        goto done;
    }
    size_t dim = (size_t)rows * cols;
    /* refuse before decompressing: the header alone must not make us allocate */
    if ((uint64_t)n * dim > BC_DATA_MAX_BYTES) {
        data_err(err, errlen, "%s: the IDX header promises %llu bytes of pixels, more than the limit of %llu; " FETCH_HINT,
                 images_path, (unsigned long long)((uint64_t)n * dim), (unsigned long long)BC_DATA_MAX_BYTES);
        goto done;
    }
    pix = malloc((size_t)n * dim);
    lab = malloc(n);
    if (!pix || !lab) {
        data_err(err, errlen, "%s: out of memory for %u images", images_path, n);
        goto done;
    }
    if (gz_read_exact(gi, images_path, pix, (size_t)n * dim, "the pixels", err, errlen) ||
        expect_eof(gi, images_path, err, errlen))
        goto done;
    errno = 0;
    gl = open_gz(labels_path, err, errlen);
    if (!gl)
        goto done;
    uint8_t lh[8];
    if (gz_read_exact(gl, labels_path, lh, 8, "the IDX header", err, errlen))
        goto done;
    if (be32(lh) != 0x00000801u) {
        data_err(err, errlen, "%s: bad magic 0x%08x (expected 0x00000801, IDX unsigned-byte labels); " FETCH_HINT,
                 labels_path, be32(lh));
        goto done;
    }
    if (be32(lh + 4) != n) {
        data_err(err, errlen, "%s: %u labels but %s has %u images; " FETCH_HINT, labels_path, be32(lh + 4),
                 images_path, n);
        goto done;
    }
    if (gz_read_exact(gl, labels_path, lab, n, "the labels", err, errlen) || expect_eof(gl, labels_path, err, errlen))
        goto done;
    for (uint32_t i = 0; i < n; i++)
        if (lab[i] >= classes) {
            data_err(err, errlen, "%s: label %u of item %u is out of range 0..%u; " FETCH_HINT, labels_path, lab[i],
                     i, classes - 1);
            goto done;
        }
    out->n = n;
    out->dim = (unsigned)dim;
    out->classes = classes;
    out->pixel_scale = 1.0f / 255.0f;
    out->pixels = pix;
    out->labels = lab;
    pix = lab = NULL;
    rc = 0;
done:
    free(pix);
    free(lab);
    gzclose(gi);
    if (gl)
        gzclose(gl);
    return rc;
}

/* digits.csv.gz: 1797 lines of 65 integers. */
int bc_data_load_digits(const char *path, unsigned train_n, bc_dataset_t *train, bc_dataset_t *test, char *err,
                        size_t errlen)
{
    enum { DIM = 64, MAXROWS = 100000 };
    memset(train, 0, sizeof *train);
    memset(test, 0, sizeof *test);
    errno = 0;
    gzFile gz = open_gz(path, err, errlen);
    if (!gz)
        return -1;
    int rc = -1;
    size_t cap = 2048, n = 0;
    uint8_t *pix = malloc(cap * DIM), *lab = malloc(cap);
    char line[1024];
    unsigned lineno = 0;
    if (!pix || !lab) {
        data_err(err, errlen, "%s: out of memory", path);
        goto done;
    }
    for (;;) {
        char *s = gzgets(gz, line, (int)sizeof line);
        if (!s) {
            int zerr;
            const char *msg = gzerror(gz, &zerr);
            if (zerr != Z_OK && zerr != Z_STREAM_END) {
                data_err(err, errlen, "%s:%u: corrupt gzip data (%s); " FETCH_HINT, path, lineno + 1, msg);
                goto done;
            }
            break;
        }
        lineno++;
        size_t len = strlen(line);
        if (len == sizeof line - 1 && line[len - 1] != '\n') {
            data_err(err, errlen, "%s:%u: line too long; " FETCH_HINT, path, lineno);
            goto done;
        }
        if (len == 0 || (len == 1 && line[0] == '\n'))
            continue;
        if (n == cap) {
            if (cap >= MAXROWS) {
                data_err(err, errlen, "%s:%u: more than %d rows", path, lineno, (int)MAXROWS);
                goto done;
            }
            cap *= 2;
            uint8_t *np = realloc(pix, cap * DIM), *nl = np ? realloc(lab, cap) : NULL;
            if (np)
                pix = np;
            if (nl)
                lab = nl;
            if (!np || !nl) {
                data_err(err, errlen, "%s: out of memory", path);
                goto done;
            }
        }
        const char *p = line;
        for (int f = 0; f <= DIM; f++) {
            if (*p < '0' || *p > '9') {
                data_err(err, errlen, "%s:%u: field %d: expected a non-negative integer; " FETCH_HINT, path, lineno,
                         f + 1);
                goto done;
            }
            long v = 0;
            while (*p >= '0' && *p <= '9') {
                v = v * 10 + (*p - '0');
                if (v > 1000)
                    v = 1000;
                p++;
            }
            /* sklearn's file stores floats like "0.0"; accept a zero fraction only */
            if (*p == '.') {
                p++;
                while (*p == '0')
                    p++;
                if (*p >= '1' && *p <= '9') {
                    data_err(err, errlen, "%s:%u: field %d: not an integer", path, lineno, f + 1);
                    goto done;
                }
            }
            if (f < DIM && v > 16) {
                data_err(err, errlen, "%s:%u: field %d: pixel %ld out of range 0..16; " FETCH_HINT, path, lineno,
                         f + 1, v);
                goto done;
            }
            if (f == DIM && v > 9) {
                data_err(err, errlen, "%s:%u: field %d: label %ld out of range 0..9; " FETCH_HINT, path, lineno,
                         f + 1, v);
                goto done;
            }
            if (f < DIM)
                pix[n * DIM + (size_t)f] = (uint8_t)v;
            else
                lab[n] = (uint8_t)v;
            if (f < DIM) {
                if (*p != ',') {
                    data_err(err, errlen, "%s:%u: expected 65 comma-separated fields, found %d; " FETCH_HINT, path,
                             lineno, f + 1);
                    goto done;
                }
                p++;
            }
        }
        while (*p == '\r' || *p == '\n')
            p++;
        if (*p) {
            data_err(err, errlen, "%s:%u: unexpected text after field 65; " FETCH_HINT, path, lineno);
            goto done;
        }
        n++;
    }
    if (n <= train_n || train_n == 0) {
        data_err(err, errlen, "%s: %zu rows, need more than %u (train split); " FETCH_HINT, path, n, train_n);
        goto done;
    }
    unsigned nt = (unsigned)(n - train_n);
    train->pixels = malloc((size_t)train_n * DIM);
    train->labels = malloc(train_n);
    test->pixels = malloc((size_t)nt * DIM);
    test->labels = malloc(nt);
    if (!train->pixels || !train->labels || !test->pixels || !test->labels) {
        bc_data_free(train);
        bc_data_free(test);
        data_err(err, errlen, "%s: out of memory", path);
        goto done;
    }
    memcpy(train->pixels, pix, (size_t)train_n * DIM);
    memcpy(train->labels, lab, train_n);
    memcpy(test->pixels, pix + (size_t)train_n * DIM, (size_t)nt * DIM);
    memcpy(test->labels, lab + train_n, nt);
    train->n = train_n;
    test->n = nt;
    train->dim = test->dim = DIM;
    train->classes = test->classes = 10;
    train->pixel_scale = test->pixel_scale = 1.0f / 16.0f;
    rc = 0;
done:
    free(pix);
    free(lab);
    gzclose(gz);
    return rc;
}

int bc_data_load_named(const char *name, const char *dir, bc_dataset_t *train, bc_dataset_t *test, char *err,
                       size_t errlen)
{
    if (!dir || !*dir)
        dir = getenv("BITCYCLE_DATA");
    if (!dir || !*dir)
        dir = "build/data";
    char a[4096], b[4096];
    if (!strcmp(name, "fashion-mnist")) {
        snprintf(a, sizeof a, "%s/fashion-mnist/train-images-idx3-ubyte.gz", dir);
        snprintf(b, sizeof b, "%s/fashion-mnist/train-labels-idx1-ubyte.gz", dir);
        if (bc_data_load_idx(a, b, 10, train, err, errlen))
            return -1;
        snprintf(a, sizeof a, "%s/fashion-mnist/t10k-images-idx3-ubyte.gz", dir);
        snprintf(b, sizeof b, "%s/fashion-mnist/t10k-labels-idx1-ubyte.gz", dir);
        if (bc_data_load_idx(a, b, 10, test, err, errlen)) {
            bc_data_free(train);
            return -1;
        }
        if (test->dim != train->dim) {
            data_err(err, errlen, "%s: images are %u pixels but the training images are %u", a, test->dim,
                     train->dim);
            bc_data_free(train);
            bc_data_free(test);
            return -1;
        }
        return 0;
    }
    if (!strcmp(name, "digits")) {
        snprintf(a, sizeof a, "%s/digits.csv.gz", dir);
        return bc_data_load_digits(a, BC_DIGITS_TRAIN_N, train, test, err, errlen);
    }
    return data_err(err, errlen, "unknown data set '%s' (expected fashion-mnist or digits)", name);
}

/* Swap samples i and j of d (pixels and label). */
static void swap_sample(bc_dataset_t *d, unsigned i, unsigned j, uint8_t *tmp)
{
    uint8_t *a = d->pixels + (size_t)i * d->dim, *b = d->pixels + (size_t)j * d->dim;
    memcpy(tmp, a, d->dim);
    memcpy(a, b, d->dim);
    memcpy(b, tmp, d->dim);
    uint8_t l = d->labels[i];
    d->labels[i] = d->labels[j];
    d->labels[j] = l;
}

int bc_data_resplit(bc_dataset_t *train, bc_dataset_t *test, uint64_t seed, char *err, size_t errlen)
{
    unsigned n = train->n + test->n, nt = train->n;
    if (train->dim != test->dim)
        return data_err(err, errlen, "re-split: train and test samples differ in size");
    uint8_t *px = malloc((size_t)n * train->dim), *lb = malloc(n), *tmp = malloc(train->dim);
    if (!px || !lb || !tmp) {
        free(px), free(lb), free(tmp);
        return data_err(err, errlen, "out of memory");
    }
    memcpy(px, train->pixels, (size_t)nt * train->dim);
    memcpy(px + (size_t)nt * train->dim, test->pixels, (size_t)test->n * test->dim);
    memcpy(lb, train->labels, nt);
    memcpy(lb + nt, test->labels, test->n);
    bc_dataset_t all = *train;
    all.n = n, all.pixels = px, all.labels = lb;
    uint64_t s = seed ^ 0xd1b54a32d192ed03ull;
    for (unsigned i = n; i > 1; i--) { /* Fisher-Yates with splitmix64 */
        uint64_t z = (s += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        z ^= z >> 31;
        swap_sample(&all, i - 1, (unsigned)(z % i), tmp);
    }
    memcpy(train->pixels, px, (size_t)nt * train->dim);
    memcpy(train->labels, lb, nt);
    memcpy(test->pixels, px + (size_t)nt * train->dim, (size_t)test->n * test->dim);
    memcpy(test->labels, lb + nt, test->n);
    free(px), free(lb), free(tmp);
    return 0;
}

void bc_data_batch(const bc_dataset_t *d, const uint32_t *idx, unsigned count, float *x, uint8_t *y)
{
    for (unsigned i = 0; i < count; i++) {
        const uint8_t *src = d->pixels + (size_t)idx[i] * d->dim;
        for (unsigned j = 0; j < d->dim; j++)
            x[(size_t)i * d->dim + j] = (float)src[j] * d->pixel_scale;
        y[i] = d->labels[idx[i]];
    }
}
