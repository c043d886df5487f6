/* libFuzzer: IDX image + label loader (bc_data_load_idx), gzip or plain.
 * The first two bytes of the input choose where the image file ends and the
 * label file begins. */
#include "bc_data.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 2)
        return 0;
    size_t split = ((size_t)data[0] << 8 | data[1]) % (size - 1);
    data += 2;
    size -= 2;
    char img[256], lab[256], err[512] = "";
    fuzz_tmpfile(data, split, ".idx3", img, sizeof img);
    fuzz_tmpfile(data + split, size - split, ".idx1", lab, sizeof lab);
    bc_dataset_t d;
    memset(&d, 0, sizeof d);
    if (bc_data_load_idx(img, lab, 10, &d, err, sizeof err) == 0) {
        if (d.n == 0 || d.dim == 0 || !d.pixels || !d.labels)
            abort();
        for (unsigned i = 0; i < d.n; i++)
            if (d.labels[i] >= 10)
                abort();
        bc_data_free(&d);
    } else {
        fuzz_check_msg(err, sizeof err);
    }
    unlink(img);
    unlink(lab);
    return 0;
}
