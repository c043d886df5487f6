/* bitcycle model: list the zoo, show a model's layers and GEMM shapes. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "est/est.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: bitcycle model list\n"
            "       bitcycle model show NAME|FILE [--json] [--batch N] [--classes N] [-o FILE]\n\n"
            "Shows each layer lowered to GEMM: M = output channels per group, N = output pixels per\n"
            "sample (times the batch when --batch is given), K = Cin/groups x kh x kw; 'count' is the\n"
            "number of identical GEMMs (groups of a depthwise conv, LSTM time steps).\n"
            "macs_per_sample is the forward multiply-accumulates of one sample. --json also lists each\n"
            "layer's training GEMMs (forward, error as a transposed convolution, weight gradient;\n"
            "the first layer has no error GEMM), from firmware/include/bc_lower.h.\n"
            "FILE is a SCALE-Sim topology CSV (see docs/estimator.md).\n");
}

int cmd_model(int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"batch", required_argument, NULL, 'b'},
                                         {"classes", required_argument, NULL, 'c'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    bool json = false;
    uint64_t batch = 1, classes = 0;
    const char *outpath = "-";
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            json = true;
            break;
        case 'b':
            if (!bc_parse_u64("model", "--batch", optarg, 1, 1u << 20, &batch))
                return BC_EXIT_USAGE;
            break;
        case 'c':
            if (!bc_parse_u64("model", "--classes", optarg, 1, 1000000, &classes))
                return BC_EXIT_USAGE;
            break;
        case 'o':
            outpath = optarg;
            break;
        case 'h':
            usage(stdout);
            return BC_EXIT_OK;
        default:
            usage(stderr);
            return BC_EXIT_USAGE;
        }
    }
    if (optind >= argc) {
        usage(stderr);
        return BC_EXIT_USAGE;
    }
    const char *sub = argv[optind];
    if (!strcmp(sub, "list")) {
        if (optind + 1 != argc)
            return bc_usage_error("model", "list takes no argument");
        for (size_t i = 0; est_zoo_names[i]; i++) {
            est_model_t m;
            char err[512];
            if (!est_zoo_build(est_zoo_names[i], 0, &m, err, sizeof err))
                return bc_fail("model", "%s", err);
            printf("%-18s %4zu layers  %14" PRIu64 " MACs/sample\n", m.name, m.n, est_model_macs(&m));
            est_model_free(&m);
        }
        return BC_EXIT_OK;
    }
    if (strcmp(sub, "show"))
        return bc_usage_error("model", "unknown subcommand '%s' (expected show or list)", sub);
    if (optind + 2 != argc)
        return bc_usage_error("model", "show takes exactly one model NAME or topology FILE");
    est_model_t m;
    char err[1024];
    if (!est_model_resolve(argv[optind + 1], (unsigned)classes, &m, err, sizeof err))
        return bc_usage_error("model", "%s", err);
    bc_out_t o;
    if (!bc_out_open(&o, outpath, err, sizeof err)) {
        est_model_free(&m);
        return bc_fail("model", "%s", err);
    }
    FILE *fp = o.fp;
    if (json) {
        fprintf(fp, "{\"model\": ");
        bc_json_str(fp, m.name);
        fprintf(fp, ", \"source\": ");
        bc_json_str(fp, m.source);
        fprintf(fp, ", \"batch\": %" PRIu64 ", \"macs_per_sample\": %" PRIu64 ", \"layers\": [", batch,
                est_model_macs(&m));
        for (size_t i = 0; i < m.n; i++) {
            const est_layer_t *l = &m.layers[i];
            fprintf(fp, "%s\n  {\"name\": ", i ? "," : "");
            bc_json_str(fp, l->name);
            fprintf(fp, ", \"kind\": \"%s\", \"groups\": %u, \"steps\": %u, \"m\": %" PRIu64 ", \"n\": %" PRIu64
                        ", \"k\": %" PRIu64 ", \"macs_per_sample\": %" PRIu64,
                    l->kind, l->groups, l->steps, l->m, l->n_per_sample * batch, l->k, est_layer_macs(l));
            if (l->kh)
                fprintf(fp, ", \"in\": [%u, %u, %u], \"out\": [%u, %u, %u], \"kernel\": [%u, %u], \"stride\": %u",
                        l->in_h, l->in_w, l->cin, l->out_h, l->out_w, l->cout, l->kh, l->kw, l->stride);
            fprintf(fp, ", \"first\": %s, \"fixed_bits\": %u, \"gemms\": [", l->first ? "true" : "false",
                    l->fixed_bits);
            bc_gemm_desc_t g[BC_GEMM_KINDS];
            unsigned ng = 0;
            if (est_layer_lower(l, batch, 8, 8, g, &ng) != BC_LOWER_OK)
                ng = 0;
            for (unsigned j = 0; j < ng; j++)
                fprintf(fp, "%s{\"kind\": \"%s\", \"m\": %" PRIu64 ", \"n\": %" PRIu64 ", \"k\": %" PRIu64
                            ", \"count\": %" PRIu64 "}",
                        j ? ", " : "", bc_gemm_kind_name(g[j].kind), g[j].m, g[j].n, g[j].k, g[j].count);
            fprintf(fp, "]}");
        }
        fprintf(fp, "\n]}\n");
    } else {
        fprintf(fp, "model %s (%s), %zu layers, batch %" PRIu64 "\n", m.name, m.source, m.n, batch);
        fprintf(fp, "%-24s %-6s %6s %8s %10s %8s %14s  %s\n", "layer", "kind", "count", "M", "N", "K",
                "MACs/sample", "shape");
        for (size_t i = 0; i < m.n; i++) {
            const est_layer_t *l = &m.layers[i];
            char shape[96] = "";
            if (l->kh)
                snprintf(shape, sizeof shape, "%ux%ux%u -> %ux%ux%u, %ux%u/%u", l->in_h, l->in_w, l->cin,
                         l->out_h, l->out_w, l->cout, l->kh, l->kw, l->stride);
            fprintf(fp, "%-24s %-6s %6u %8" PRIu64 " %10" PRIu64 " %8" PRIu64 " %14" PRIu64 "  %s\n", l->name,
                    l->kind, l->groups * l->steps, l->m, l->n_per_sample * batch, l->k, est_layer_macs(l),
                    shape);
        }
        fprintf(fp, "macs_per_sample %" PRIu64 "\n", est_model_macs(&m));
    }
    est_model_free(&m);
    if (!bc_out_commit(&o, err, sizeof err))
        return bc_fail("model", "%s", err);
    return BC_EXIT_OK;
}
