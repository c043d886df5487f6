/* libFuzzer: UCI digits CSV loader (bc_data_load_digits), gzip or plain.
 * The first byte chooses the train/test split. */
#include "bc_data.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    unsigned train_n = 1u + data[0] % 8u;
    char path[256], err[512] = "";
    fuzz_tmpfile(data + 1, size - 1, ".csv", path, sizeof path);
    bc_dataset_t tr, te;
    memset(&tr, 0, sizeof tr);
    memset(&te, 0, sizeof te);
    if (bc_data_load_digits(path, train_n, &tr, &te, err, sizeof err) == 0) {
        if (tr.n != train_n || tr.dim != 64)
            abort();
        for (unsigned i = 0; i < tr.n * tr.dim; i++)
            if (tr.pixels[i] > 16)
                abort();
        for (unsigned i = 0; i < tr.n; i++)
            if (tr.labels[i] > 9)
                abort();
        bc_data_free(&tr);
        bc_data_free(&te);
    } else {
        fuzz_check_msg(err, sizeof err);
    }
    unlink(path);
    return 0;
}
