/* `vp run` option parsing and the standalone run loop (see rv_cli.h). */
#include "rv_cli.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "rv_plat.h"

static void usage(FILE *fp, const char *prog)
{
    fprintf(fp,
            "usage: bitcycle %s run FILE.elf [--no-accel] [--timeout-cycles N] [--itrace FILE] [--ram-mib N]\n"
            "                      [--data digits|fashion-mnist] [--trace FILE.fst] [--stats]\n\n"
            "Runs a bare-metal RV32IMAC ELF on the instruction-set simulator, with the accelerator\n"
            "(SystemC platform) or without it (--no-accel). Prints the program's console and exits\n"
            "with its exit code (0..119). Platform exit codes:\n"
            "  2    bad option, unreadable or refused ELF\n"
            "  120  the program's exit code was outside 0..119\n"
            "  121  --timeout-cycles reached (default 10000000000)\n"
            "  122  CPU exception (no trap handler, or reported by the handler)\n"
            "  123  accelerator error (simulation stopped)\n"
            "  124  hang: wfi with no interrupt that can wake the CPU\n"
            "--data places the data set (train and test split) in RAM at 0x81000000 (docs/baremetal.md).\n"
            "--itrace FILE writes one line per instruction: instret, pc, encoding, registers written.\n"
            "--stats prints instructions, cycles and instructions per second to stderr.\n",
            prog);
}

static int usage_error(const char *prog, const char *fmt, const char *arg)
{
    fprintf(stderr, "bitcycle %s: ", prog);
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    return RV_EXIT_USAGE;
}

static bool parse_u64(const char *prog, const char *opt, const char *s, uint64_t lo, uint64_t hi, uint64_t *out)
{
    char *end = NULL;
    errno = 0;
    if (!s || *s == '-' || *s == 0) {
        fprintf(stderr, "bitcycle %s: %s: '%s' is not a non-negative integer\n", prog, opt, s ? s : "");
        return false;
    }
    unsigned long long v = strtoull(s, &end, 10);
    if (errno || *end || v < lo || v > hi) {
        fprintf(stderr, "bitcycle %s: %s: '%s' must be an integer in %" PRIu64 "..%" PRIu64 "\n", prog, opt, s, lo,
                hi);
        return false;
    }
    *out = v;
    return true;
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

int rv_finish(const rv_run_opts_t *o, rv_plat_t *p, double seconds, const char *accel_error)
{
    rv_cpu_t *c = &p->cpu;
    fflush(p->console);
    if (o->stats)
        fprintf(stderr, "bitcycle %s: %" PRIu64 " instructions, %" PRIu64 " cycles, %.3f s, %.1f MIPS\n", o->prog,
                c->instret, c->cycle, seconds, seconds > 0 ? (double)c->instret / seconds / 1e6 : 0.0);
    if (accel_error) {
        fprintf(stderr, "bitcycle %s: accelerator error: %s (pc 0x%08" PRIx32 ")\n", o->prog, accel_error, c->pc);
        return RV_EXIT_ACCEL;
    }
    switch (c->stop) {
    case RV_STOP_EXIT:
        if (c->exit_code < 0 || c->exit_code >= RV_EXIT_RANGE) {
            fprintf(stderr, "bitcycle %s: program exit code %d is outside 0..119\n", o->prog, c->exit_code);
            return RV_EXIT_RANGE;
        }
        return c->exit_code;
    case RV_STOP_FAULT:
        fprintf(stderr, "bitcycle %s: CPU exception: %s\n", o->prog, c->msg);
        return RV_EXIT_CPU_EXC;
    case RV_STOP_PLATFORM:
        if (p->fault) {
            fprintf(stderr, "bitcycle %s: CPU exception (reported by the trap handler): %s\n", o->prog, c->msg);
            return RV_EXIT_CPU_EXC;
        }
        fprintf(stderr, "bitcycle %s: stopped: %s\n", o->prog, c->msg);
        return RV_EXIT_HANG;
    case RV_STOP_WFI:
        fprintf(stderr, "bitcycle %s: hang: %s\n", o->prog, c->msg);
        return RV_EXIT_HANG;
    default:
        fprintf(stderr, "bitcycle %s: timeout: no exit after %" PRIu64 " cycles (pc 0x%08" PRIx32 ", %" PRIu64
                        " instructions)\n",
                o->prog, c->cycle, c->pc, c->instret);
        return RV_EXIT_TIMEOUT;
    }
}

int rv_run_standalone(const rv_run_opts_t *o)
{
    rv_plat_t p;
    char err[512];
    if (rv_plat_init(&p, o->ram_bytes, stdout, NULL)) {
        fprintf(stderr, "bitcycle %s: cannot allocate %" PRIu32 " bytes of RAM\n", o->prog, o->ram_bytes);
        return RV_EXIT_USAGE;
    }
    if (rv_plat_load(&p, o->elf, err, sizeof err)) {
        fprintf(stderr, "bitcycle %s: %s\n", o->prog, err);
        rv_plat_free(&p);
        return RV_EXIT_USAGE;
    }
    if (o->data_image && rv_plat_place_data(&p, o->data_image, o->data_len)) {
        fprintf(stderr, "bitcycle %s: --data: %zu bytes do not fit in RAM above 0x%08x (--ram-mib)\n", o->prog,
                o->data_len, RV_DATA_BASE);
        rv_plat_free(&p);
        return RV_EXIT_USAGE;
    }
    FILE *tr = NULL;
    if (o->itrace && !(tr = fopen(o->itrace, "w"))) {
        fprintf(stderr, "bitcycle %s: --itrace: cannot write '%s': %s\n", o->prog, o->itrace, strerror(errno));
        rv_plat_free(&p);
        return RV_EXIT_USAGE;
    }
    p.cpu.trace = tr;
    double t0 = now_s();
    rv_run(&p.cpu, o->timeout_cycles);
    int rc = rv_finish(o, &p, now_s() - t0, NULL);
    if (tr && fclose(tr)) {
        fprintf(stderr, "bitcycle %s: --itrace: write error on '%s'\n", o->prog, o->itrace);
        rc = rc ? rc : 1;
    }
    rv_plat_free(&p);
    return rc;
}

enum { OPT_NO_ACCEL = 1, OPT_TIMEOUT, OPT_ITRACE, OPT_RAM, OPT_DATA, OPT_TRACE, OPT_STATS };

int rv_cli_run(const char *prog, int argc, char **argv, rv_accel_runner_t accel_runner,
               rv_data_loader_t data_loader)
{
    static const struct option opts[] = {{"no-accel", no_argument, NULL, OPT_NO_ACCEL},
                                         {"timeout-cycles", required_argument, NULL, OPT_TIMEOUT},
                                         {"itrace", required_argument, NULL, OPT_ITRACE},
                                         {"ram-mib", required_argument, NULL, OPT_RAM},
                                         {"data", required_argument, NULL, OPT_DATA},
                                         {"trace", required_argument, NULL, OPT_TRACE},
                                         {"stats", no_argument, NULL, OPT_STATS},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    rv_run_opts_t o = {.prog = prog, .timeout_cycles = 10000000000ull, .ram_bytes = 64u << 20};
    uint64_t v;
    optind = 1;
    opterr = 0;
    int ch;
    while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (ch) {
        case OPT_NO_ACCEL: o.no_accel = true; break;
        case OPT_TIMEOUT:
            if (!parse_u64(prog, "--timeout-cycles", optarg, 1, UINT64_MAX / 2, &o.timeout_cycles))
                return RV_EXIT_USAGE;
            break;
        case OPT_ITRACE: o.itrace = optarg; break;
        case OPT_RAM:
            if (!parse_u64(prog, "--ram-mib", optarg, 1, 1024, &v))
                return RV_EXIT_USAGE;
            o.ram_bytes = (uint32_t)(v << 20);
            break;
        case OPT_DATA:
            if (strcmp(optarg, "digits") && strcmp(optarg, "fashion-mnist"))
                return usage_error(prog, "--data: '%s' is not digits or fashion-mnist", optarg);
            o.data = optarg;
            break;
        case OPT_TRACE: o.fst = optarg; break;
        case OPT_STATS: o.stats = true; break;
        case 'h': usage(stdout, prog); return 0;
        default:
            if (optopt)
                fprintf(stderr, "bitcycle %s: option -%c: unknown or missing its value\n", prog, optopt);
            else
                fprintf(stderr, "bitcycle %s: unknown option '%s'\n", prog, argv[optind - 1]);
            usage(stderr, prog);
            return RV_EXIT_USAGE;
        }
    }
    if (optind != argc - 1) {
        fprintf(stderr, "bitcycle %s: run needs exactly one ELF file\n", prog);
        usage(stderr, prog);
        return RV_EXIT_USAGE;
    }
    o.elf = argv[optind];
    if (o.no_accel && o.fst)
        return usage_error(prog, "%s", "--trace needs the accelerator; drop --no-accel");
    if (o.data) {
        if (!data_loader)
            return usage_error(prog, "--data %s: data sets are loaded by the bitcycle CLI", o.data);
        int rc = data_loader(&o);
        if (rc)
            return rc;
    }
    if (o.no_accel)
        return rv_run_standalone(&o);
    if (!accel_runner)
        return usage_error(prog, "%s", "the accelerator platform is not part of this build; use --no-accel");
    return accel_runner(&o);
}
