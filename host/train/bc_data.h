/* Data set loaders (host side, zlib): Fashion-MNIST IDX files and the UCI
 * digits CSV from scikit-learn. Fetch both with `make data` (build/data/). */
#ifndef BC_DATA_H
#define BC_DATA_H
#include <stddef.h>
#include <stdint.h>

/* Largest data set a loader accepts (Fashion-MNIST's training images are 47 MB). */
#define BC_DATA_MAX_BYTES (256ull << 20)

typedef struct bc_dataset {
    unsigned n;          /* samples */
    unsigned dim;        /* features per sample */
    unsigned classes;    /* labels are 0..classes-1 */
    float pixel_scale;   /* feature value = pixels[i] * pixel_scale, in [0, 1] */
    uint8_t *pixels;     /* n * dim, malloc'd */
    uint8_t *labels;     /* n, malloc'd */
} bc_dataset_t;

/* One IDX image file (magic 0x00000803, 3 dims) and label file (0x00000801,
 * 1 dim), gzip or plain. Checks magic, dimensions, counts, file sizes and
 * that every label is < classes. Errors name the file and `make data`. */
int bc_data_load_idx(const char *images_path, const char *labels_path, unsigned classes,
                     bc_dataset_t *out, char *err, size_t errlen);

/* digits.csv.gz: rows of 64 pixel values 0..16 and a label 0..9. The first
 * `train_n` rows become train, the rest test. */
int bc_data_load_digits(const char *path, unsigned train_n, bc_dataset_t *train, bc_dataset_t *test,
                        char *err, size_t errlen);

/* By name ("fashion-mnist" or "digits") from directory dir (default
 * build/data, or $BITCYCLE_DATA). */
int bc_data_load_named(const char *name, const char *dir, bc_dataset_t *train, bc_dataset_t *test,
                       char *err, size_t errlen);

void bc_data_free(bc_dataset_t *d);

/* Pool train and test, shuffle with `seed`, and split again with the same
 * sizes (the digits file is ordered: its last rows are harder). */
int bc_data_resplit(bc_dataset_t *train, bc_dataset_t *test, uint64_t seed, char *err, size_t errlen);

/* Copy samples idx[0..count) as floats into x (count x dim) and labels into y. */
void bc_data_batch(const bc_dataset_t *d, const uint32_t *idx, unsigned count, float *x, uint8_t *y);

#define BC_DIGITS_TRAIN_N 1437u /* first 80 % of the 1797 rows */

#endif
