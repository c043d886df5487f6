/* libFuzzer: sweep files (sweep_parse: cJSON, axes, exclude, plots,
 * expansion). Option probing is off, so nothing is spawned. */
#include "fuzz_util.h"
#include "sweep/sweep.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[256], err[2048] = "";
    fuzz_tmpfile(data, size, ".json", path, sizeof path);
    static sweep_t s;
    memset(&s, 0, sizeof s);
    snprintf(s.path, sizeof s.path, "%s", path);
    snprintf(s.outdir, sizeof s.outdir, "/nonexistent/bcfuzz-out");
    snprintf(s.calib_dir, sizeof s.calib_dir, "/nonexistent/bcfuzz-calib");
    if (sweep_parse(&s, err, sizeof err)) {
        if (s.n_points == 0 || (!s.no_calibrate && s.n_configs == 0))
            abort();
        char key[4096], *argv[SWEEP_MAX_ARGS];
        sweep_point_key(&s, s.n_points - 1, key, sizeof key);
        if (sweep_point_argv(&s, 0, "x", argv, SWEEP_MAX_ARGS) >= SWEEP_MAX_ARGS)
            abort();
    } else {
        fuzz_check_msg(err, sizeof err);
    }
    sweep_free(&s);
    unlink(path);
    return 0;
}
