/* Calibration per hardware configuration: checks a configuration against what
 * the RTL supports, keys a cache directory by the RTL sources, the timing
 * model's version and the configuration, builds a helper program linked
 * against bitcycle_top Verilated at those parameters (make calib-helper, see
 * host/est/calib.mk) and runs the calibration grid in it. One Verilated model
 * per process: the default configuration runs in this process, every other in
 * its helper. Commands are run with fork/exec and an argument vector; no
 * input ever becomes shell text. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.h"
#include "est.h"
#include "est_rtl.h"

/* Name of bitcycle_top's AXI data-width parameter (64, 128, 256, 512). */
#define EST_AXI_PARAM "AXI_W"
#define EST_MAX_ARRAY 64u

static unsigned bus_bits(const bc_hw_t *hw)
{
    return 8u * (hw->bus_bytes ? hw->bus_bytes : 8u);
}

bool est_hw_rtl_default(const bc_hw_t *hw)
{
    bc_hw_t d;
    bc_hw_default(&d);
    return hw->dm == d.dm && hw->dn == d.dn && hw->dk == d.dk && hw->abuf_words == d.abuf_words &&
           hw->bbuf_words == d.bbuf_words && hw->queue_depth == d.queue_depth && bus_bits(hw) == bus_bits(&d) &&
           hw->mem_latency == d.mem_latency && hw->mem_bytes_per_cycle == d.mem_bytes_per_cycle;
}

/* Only the RTL parameters differ from the default (not the memory model). */
static bool rtl_params_default(const bc_hw_t *hw)
{
    bc_hw_t d;
    bc_hw_default(&d);
    return hw->dm == d.dm && hw->dn == d.dn && hw->abuf_words == d.abuf_words && hw->bbuf_words == d.bbuf_words &&
           hw->queue_depth == d.queue_depth && bus_bits(hw) == bus_bits(&d);
}

static bool top_has_axi_param(const char *top_sv)
{
    FILE *fp = fopen(top_sv ? top_sv : "rtl/top/bitcycle_top.sv", "r");
    if (!fp)
        return false;
    char line[512];
    bool found = false;
    while (!found && fgets(line, sizeof line, fp))
        found = strstr(line, "parameter") && strstr(line, EST_AXI_PARAM);
    fclose(fp);
    return found;
}

static bool pow2_in(unsigned v, unsigned lo, unsigned hi)
{
    return v >= lo && v <= hi && (v & (v - 1)) == 0;
}

int est_hw_rtl_check(const bc_hw_t *hw, const char *top_sv, char *err, size_t errlen)
{
    unsigned bits = bus_bits(hw);
    bool wide = top_has_axi_param(top_sv);
    if (hw->dm < 1 || hw->dm > EST_MAX_ARRAY)
        snprintf(err, errlen, "--dm %u: the RTL is built with 1..%u array rows", hw->dm, EST_MAX_ARRAY);
    else if (hw->dn < 1 || hw->dn > EST_MAX_ARRAY)
        snprintf(err, errlen, "--dn %u: the RTL is built with 1..%u array columns", hw->dn, EST_MAX_ARRAY);
    else if (hw->dk != 64)
        snprintf(err, errlen, "--dk %u: the RTL's dot-product units take 64 bits per cycle (DK = 64 only)", hw->dk);
    /* half a bank must hold a whole operand row: 32 chunks x 16 bit planes */
    else if (!pow2_in(hw->abuf_words, 1024, 65536))
        snprintf(err, errlen, "--abuf-words %u: the RTL needs a power of two from 1024 to 65536", hw->abuf_words);
    else if (!pow2_in(hw->bbuf_words, 1024, 65536))
        snprintf(err, errlen, "--bbuf-words %u: the RTL needs a power of two from 1024 to 65536", hw->bbuf_words);
    else if (hw->queue_depth < 1 || hw->queue_depth > 15)
        snprintf(err, errlen, "--queue-depth %u: the RTL's queue holds 1..15 descriptors", hw->queue_depth);
    else if (!wide && bits != 64)
        snprintf(err, errlen, "--axi-width %u: this RTL has a 64-bit AXI data bus only (bitcycle_top has no %s parameter)",
                 bits, EST_AXI_PARAM);
    else if (wide && bits != 64 && bits != 128 && bits != 256 && bits != 512)
        snprintf(err, errlen, "--axi-width %u: the RTL supports 64, 128, 256 or 512 bits", bits);
    else if (hw->mem_latency < 1 || hw->mem_latency > 100000)
        snprintf(err, errlen, "--mem-latency %u: the simulated memory takes 1..100000 cycles", hw->mem_latency);
    else if (hw->mem_bytes_per_cycle != (double)(unsigned)hw->mem_bytes_per_cycle || hw->mem_bytes_per_cycle < 1 ||
             hw->mem_bytes_per_cycle > bits / 8)
        snprintf(err, errlen, "--mem-bw %g: the simulated memory moves a whole number of 1..%u bytes per cycle",
                 hw->mem_bytes_per_cycle, bits / 8);
    else
        return 0;
    return -1;
}

static uint64_t fnv1a_str(uint64_t h, const char *s)
{
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ull;
    }
    return h;
}

/* The directory two levels above the file list (rtl/bitcycle.f -> "."). */
static void repo_root(const char *filelist, char *out, size_t len)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", filelist);
    for (int up = 0; up < 2; up++) {
        char *slash = strrchr(buf, '/');
        if (!slash) {
            snprintf(buf, sizeof buf, ".");
            break;
        }
        *slash = '\0';
        if (!buf[0]) {
            snprintf(buf, sizeof buf, "/");
            break;
        }
    }
    snprintf(out, len, "%s", buf);
}

static bool mkdir_p(const char *path, char *err, size_t errlen)
{
    char buf[PATH_MAX];
    if (snprintf(buf, sizeof buf, "%s", path) >= (int)sizeof buf) {
        snprintf(err, errlen, "%s: path too long", path);
        return false;
    }
    for (char *p = buf + 1;; p++) {
        if (*p == '/' || !*p) {
            char c = *p;
            *p = '\0';
            if (mkdir(buf, 0777) && errno != EEXIST) {
                snprintf(err, errlen, "%s: cannot create directory: %s", buf, strerror(errno));
                return false;
            }
            *p = c;
            if (!c)
                break;
        }
    }
    return true;
}

bool est_calib_cache_dir(const bc_hw_t *hw, const char *filelist, char *dir, size_t dirlen, char rtl_hash[17],
                         char *err, size_t errlen)
{
    if (!est_rtl_hash(filelist, rtl_hash, err, errlen))
        return false;
    char cfg[200];
    est_hw_config_str(hw, cfg, sizeof cfg);
    uint64_t h = fnv1a_str(fnv1a_str(0xcbf29ce484222325ull, rtl_hash), cfg);
    const char *root = getenv("BITCYCLE_CALIB_CACHE");
    if (!root || !*root)
        root = "build/calib-cache";
    if (snprintf(dir, dirlen, "%s/%016llx", root, (unsigned long long)h) >= (int)dirlen) {
        snprintf(err, errlen, "calibration cache directory %s: path too long", root);
        return false;
    }
    return true;
}

/* Run argv[0] with argv, stdout (and stderr unless keep_stderr) to log;
 * returns its exit status, 127 when it cannot be started, -1 on error. */
static int run_cmd(char *const argv[], const char *log, bool keep_stderr, char *err, size_t errlen)
{
    fflush(NULL);
    pid_t pid = fork();
    if (pid < 0) {
        snprintf(err, errlen, "cannot start %s: %s", argv[0], strerror(errno));
        return -1;
    }
    if (pid == 0) {
        int fd = open(log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
        if (fd >= 0) {
            dup2(fd, STDOUT_FILENO);
            if (!keep_stderr)
                dup2(fd, STDERR_FILENO);
            close(fd);
        }
        execvp(argv[0], argv);
        _exit(127);
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            snprintf(err, errlen, "waiting for %s: %s", argv[0], strerror(errno));
            return -1;
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + (WIFSIGNALED(status) ? WTERMSIG(status) : 0);
}

static bool in_path(const char *prog)
{
    const char *path = getenv("PATH");
    if (!path)
        return false;
    char buf[PATH_MAX];
    while (*path) {
        size_t n = strcspn(path, ":");
        if (snprintf(buf, sizeof buf, "%.*s/%s", (int)n, path, prog) < (int)sizeof buf && access(buf, X_OK) == 0)
            return true;
        path += n + (path[n] == ':');
    }
    return false;
}

/* make calib-helper at hw's parameters into dir. */
static int build_helper(const bc_hw_t *hw, const char *root, const char *dir, char *err, size_t errlen)
{
    if (!in_path("make") || !in_path("verilator")) {
        snprintf(err, errlen, "cannot build bitcycle_top at this configuration: %s is not installed",
                 in_path("make") ? "verilator" : "make");
        return 0;
    }
    char absdir[PATH_MAX], dirarg[PATH_MAX + 16], gflags[256], log[PATH_MAX + 16];
    if (!realpath(dir, absdir)) {
        snprintf(err, errlen, "%s: %s", dir, strerror(errno));
        return -1;
    }
    snprintf(dirarg, sizeof dirarg, "CALIB_DIR=%s", absdir);
    snprintf(gflags, sizeof gflags, "CALIB_GFLAGS=-GDM=%u -GDN=%u -GABUF_WORDS=%u -GBBUF_WORDS=%u -GQUEUE_DEPTH=%u%s",
             hw->dm, hw->dn, hw->abuf_words, hw->bbuf_words, hw->queue_depth,
             bus_bits(hw) != 64 ? " -G" EST_AXI_PARAM "=" : "");
    if (bus_bits(hw) != 64) {
        size_t len = strlen(gflags);
        snprintf(gflags + len, sizeof gflags - len, "%u", bus_bits(hw));
    }
    snprintf(log, sizeof log, "%s/build.log", absdir);
    char jobs[32]; /* the Verilated build uses every core */
    long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
    snprintf(jobs, sizeof jobs, "-j%ld", ncpu > 0 ? ncpu : 1);
    char *argv[] = {"make", "-C", (char *)root, "--no-print-directory", jobs, "calib-helper", dirarg, gflags, NULL};
    fprintf(stderr, "bitcycle: building bitcycle_top (%s) under Verilator; log %s\n", gflags + 13, log);
    int rc = run_cmd(argv, log, false, err, errlen);
    if (rc == 0)
        return 1;
    if (rc > 0)
        snprintf(err, errlen, "building bitcycle_top at this configuration failed (exit %d); see %s", rc, log);
    return -1;
}

static bool calib_current(const char *file, const char *hash, const char *cfg, est_calib_file_t *f)
{
    char rerr[512];
    return est_calib_read(file, f, rerr, sizeof rerr) == 1 && !strcmp(f->rtl_hash, hash) && !strcmp(f->config, cfg);
}

static int run_helper(const bc_hw_t *hw, const char *dir, unsigned level, const char *hash, const char *cfg,
                      char *err, size_t errlen)
{
    char helper[PATH_MAX], out[PATH_MAX], pts[PATH_MAX], log[PATH_MAX], lv[16], lat[16], bw[16];
    snprintf(helper, sizeof helper, "%s/calib-helper", dir);
    snprintf(out, sizeof out, "%s/calib.txt", dir);
    snprintf(pts, sizeof pts, "%s/points.csv", dir);
    snprintf(log, sizeof log, "%s/run.log", dir);
    snprintf(lv, sizeof lv, "%u", level);
    snprintf(lat, sizeof lat, "%u", hw->mem_latency);
    snprintf(bw, sizeof bw, "%u", (unsigned)hw->mem_bytes_per_cycle);
    char *argv[] = {helper, "-o", out, "--points", pts, "--level", lv, "--rtl-hash", (char *)hash,
                    "--expect", (char *)cfg, "--mem-latency", lat, "--mem-bw", bw, NULL};
    int rc = run_cmd(argv, log, true, err, errlen);
    if (rc == 0)
        return 1;
    if (rc > 0)
        snprintf(err, errlen, "calibration helper %s failed (exit %d); see %s", helper, rc, log);
    return -1;
}

int est_calib_config(const bc_hw_t *hw, const char *filelist, unsigned level, bool force, est_calib_file_t *out,
                     char *dir, size_t dirlen, char *err, size_t errlen)
{
    char root[PATH_MAX], top[PATH_MAX + 32], hash[17], cfg[200], file[PATH_MAX];
    repo_root(filelist, root, sizeof root);
    snprintf(top, sizeof top, "%s/rtl/top/bitcycle_top.sv", root);
    if (est_hw_rtl_check(hw, top, err, errlen))
        return -1;
    if (!est_calib_cache_dir(hw, filelist, dir, dirlen, hash, err, errlen))
        return -1;
    est_hw_config_str(hw, cfg, sizeof cfg);
    snprintf(file, sizeof file, "%s/calib.txt", dir);
    if (!force && calib_current(file, hash, cfg, out))
        return 1;
    if (!mkdir_p(dir, err, errlen))
        return -1;
    if (rtl_params_default(hw)) { /* only the memory differs: this process's model */
        est_calib_point_t *pts = NULL;
        size_t npts = 0;
        int rc = est_calibrate_rtl(hw, level, true, out, &pts, &npts, err, errlen);
        free(pts);
        if (rc <= 0)
            return rc;
        snprintf(out->rtl_hash, sizeof out->rtl_hash, "%s", hash);
        return est_calib_write(file, out, err, errlen) ? 1 : -1;
    }
    char helper[PATH_MAX + 16];
    snprintf(helper, sizeof helper, "%s/calib-helper", dir);
    int rc = build_helper(hw, root, dir, err, errlen);
    if (rc <= 0)
        return rc;
    if ((rc = run_helper(hw, dir, level, hash, cfg, err, errlen)) <= 0)
        return rc;
    char rerr[512];
    if (est_calib_read(file, out, rerr, sizeof rerr) != 1) {
        snprintf(err, errlen, "calibration helper wrote no valid %s: %s", file, rerr);
        return -1;
    }
    return 1;
}

bool est_calib_obtain_for(const bc_hw_t *hw, const char *path, const char *filelist, bool allow_run,
                          bc_calib_t *cal, char *note, size_t notelen, char *err, size_t errlen)
{
    char cfg[200];
    est_hw_config_str(hw, cfg, sizeof cfg);
    if (!allow_run) {
        bc_calib_default(cal);
        snprintf(note, notelen, "analytical defaults (--no-calibrate): not calibrated on the RTL%s%s%s",
                 est_hw_rtl_default(hw) ? "" : "; hardware ", est_hw_rtl_default(hw) ? "" : cfg,
                 est_hw_rtl_default(hw) ? "" : " extrapolated from the model, not calibrated at this configuration");
        return true;
    }
    if (est_hw_rtl_default(hw))
        return est_calib_obtain(path, filelist, true, cal, note, notelen, err, errlen);
    char dir[PATH_MAX], hash[17], file[PATH_MAX + 16];
    est_calib_file_t f;
    char root[PATH_MAX], top[PATH_MAX + 32];
    repo_root(filelist, root, sizeof root);
    snprintf(top, sizeof top, "%s/rtl/top/bitcycle_top.sv", root);
    if (est_hw_rtl_check(hw, top, err, errlen)) {
        size_t len = strlen(err);
        snprintf(err + len, errlen - len, " (--no-calibrate extrapolates instead)");
        return false;
    }
    if (!est_calib_cache_dir(hw, filelist, dir, sizeof dir, hash, err, errlen)) {
        /* no RTL sources here: nothing to calibrate against */
        bc_calib_default(cal);
        snprintf(note, notelen, "analytical defaults, extrapolated to %s (no RTL sources: %s)", cfg, err);
        return true;
    }
    snprintf(file, sizeof file, "%s/calib.txt", dir);
    if (!calib_current(file, hash, cfg, &f)) {
        fprintf(stderr, "bitcycle: no calibration yet for %s: calibrating on the RTL now (cached in %s)\n", cfg, dir);
        char rerr[1024];
        int rc = est_calib_config(hw, filelist, 1, false, &f, dir, sizeof dir, rerr, sizeof rerr);
        if (rc < 0) {
            snprintf(err, errlen, "%s", rerr);
            return false;
        }
        if (rc == 0) {
            char dnote[512];
            if (!est_calib_obtain(path, filelist, true, cal, dnote, sizeof dnote, err, errlen))
                return false;
            snprintf(note, notelen, "extrapolated to %s from the default configuration's calibration %s (%s)", cfg,
                     dnote, rerr);
            return true;
        }
    }
    *cal = f.cal;
    snprintf(note, notelen, "%s (calibrated at this configuration: rtl %s, %u RTL jobs, worst cycle error %.2f%%)",
             file, hash, f.points, 100.0 * f.max_rel_err);
    return true;
}
