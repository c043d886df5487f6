/* libFuzzer: SCALE-Sim topology CSV reader (est_topology_load). */
#include "est.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256], err[512] = "";
    fuzz_tmpfile(data, size, ".csv", path, sizeof path);
    est_model_t m;
    memset(&m, 0, sizeof m);
    if (est_topology_load(path, &m, err, sizeof err)) {
        /* a loaded model must be usable: at least one layer, finite cost */
        if (m.n == 0)
            abort();
        (void)est_model_macs(&m);
    } else {
        fuzz_check_msg(err, sizeof err);
    }
    est_model_free(&m);
    unlink(path);
    return 0;
}
