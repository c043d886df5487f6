/* libFuzzer: calibration file reader (est_calib_read). */
#include <math.h>

#include "est.h"
#include "fuzz_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256], err[512] = "";
    fuzz_tmpfile(data, size, ".txt", path, sizeof path);
    est_calib_file_t c;
    int rc = est_calib_read(path, &c, err, sizeof err);
    if (rc == 1) {
        if (!isfinite(c.cal.job_overhead) || !isfinite(c.cal.block_overhead) || !isfinite(c.cal.tile_overhead))
            abort();
        if (memchr(c.rtl_hash, '\0', sizeof c.rtl_hash) == NULL || memchr(c.config, '\0', sizeof c.config) == NULL)
            abort();
    } else if (rc == -1) {
        fuzz_check_msg(err, sizeof err);
    } else {
        abort(); /* the file exists: "missing" is wrong */
    }
    unlink(path);
    return 0;
}
