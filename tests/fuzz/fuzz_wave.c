/* libFuzzer: trace reader and precision-switch extractor (FST or VCD, told
 * apart by content) through wave_switches_file. */
#include "fuzz_util.h"
#include "wave_switch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256], err[512] = "";
    fuzz_tmpfile(data, size, ".trace", path, sizeof path);
    wave_switch_opts_t o;
    memset(&o, 0, sizeof o);
    o.window = 4;
    wave_switch_result_t r;
    memset(&r, 0, sizeof r);
    if (wave_switches_file(path, &o, &r, err, sizeof err) == 0) {
        if (r.nsw > r.jobs)
            abort();
        wave_switch_result_free(&r);
    } else {
        fuzz_check_msg(err, sizeof err);
    }
    unlink(path);
    return 0;
}
