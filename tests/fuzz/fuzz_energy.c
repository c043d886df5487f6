/* libFuzzer: energy table reader (est_energy_load). */
#include <math.h>

#include "est.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256], err[512] = "";
    fuzz_tmpfile(data, size, ".tbl", path, sizeof path);
    est_energy_t e;
    est_energy_default(&e);
    if (est_energy_load(path, &e, err, sizeof err)) {
        /* an accepted table holds only finite, non-negative energies */
        const double v[] = {e.dpu_pj, e.acc_pj, e.abuf_read_pj, e.abuf_write_pj, e.bbuf_read_pj,
                            e.bbuf_write_pj, e.dram_byte_pj, e.ctrl_cycle_pj, e.static_w};
        for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
            if (!isfinite(v[i]) || v[i] < 0)
                abort();
    } else {
        fuzz_check_msg(err, sizeof err);
    }
    unlink(path);
    return 0;
}
