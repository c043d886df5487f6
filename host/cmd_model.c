/* bitcycle model: list the zoo, show a model's layers and GEMM shapes. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "est/est.h"
#include "onnx/onnx_import.h"

static void usage(FILE *fp)
{
    fprintf(fp,
            "usage: bitcycle model list\n"
            "       bitcycle model show NAME|FILE [--json] [--batch N] [--classes N] [-o FILE]\n"
            "       bitcycle model import FILE.onnx [--json|--csv] [--batch N] [-o FILE]\n\n"
            "Shows each layer lowered to GEMM: M = output channels per group, N = output pixels per\n"
            "sample (times the batch when --batch is given), K = Cin/groups x kh x kw; 'count' is the\n"
            "number of identical GEMMs (groups of a depthwise conv, LSTM time steps).\n"
            "macs_per_sample is the forward multiply-accumulates of one sample. --json also lists each\n"
            "layer's training GEMMs (forward, error as a transposed convolution, weight gradient;\n"
            "the first layer has no error GEMM), from firmware/include/bc_lower.h.\n"
            "FILE is a SCALE-Sim topology CSV (see docs/estimator.md) or an ONNX graph (FILE.onnx).\n"
            "import reads an ONNX graph, infers every node's shape and prints the GEMM layers it\n"
            "becomes (Conv, Gemm, MatMul) and the other nodes by operator (docs/sweeps.md).\n");
}

/* ---------------------------------------------------------------- import */

static void import_json(FILE *fp, const char *path, const est_model_t *m, const onnx_report_t *r, uint64_t batch)
{
    fprintf(fp, "{\"file\": ");
    bc_json_str(fp, path);
    fprintf(fp, ", \"producer\": ");
    bc_json_str(fp, r->producer);
    fprintf(fp, ", \"ir_version\": %" PRId64 ", \"opset\": %" PRId64 ", \"graph_batch\": %" PRIu64
                ", \"batch\": %" PRIu64 ", \"macs_per_sample\": %" PRIu64 ",\n \"nodes\": [",
            r->ir_version, r->opset, r->batch, batch, est_model_macs(m));
    for (size_t i = 0; i < r->n_nodes; i++) {
        const onnx_node_info_t *ni = &r->nodes[i];
        fprintf(fp, "%s\n  {\"name\": ", i ? "," : "");
        bc_json_str(fp, ni->name);
        fprintf(fp, ", \"op\": ");
        bc_json_str(fp, ni->op);
        fprintf(fp, ", \"shape\": [");
        for (unsigned d = 0; d < ni->rank; d++)
            fprintf(fp, "%s%" PRId64, d ? ", " : "", ni->dims[d]);
        if (ni->layer >= 0)
            fprintf(fp, "], \"layer\": %ld}", ni->layer);
        else
            fprintf(fp, "], \"layer\": null}");
    }
    fprintf(fp, "\n ],\n \"layers\": [");
    for (size_t i = 0; i < m->n; i++) {
        const est_layer_t *l = &m->layers[i];
        fprintf(fp, "%s\n  {\"name\": ", i ? "," : "");
        bc_json_str(fp, l->name);
        fprintf(fp, ", \"kind\": \"%s\", \"groups\": %u, \"m\": %" PRIu64 ", \"n\": %" PRIu64 ", \"k\": %" PRIu64
                    ", \"macs_per_sample\": %" PRIu64 "}",
                l->kind, l->groups, l->m, l->n_per_sample * batch, l->k, est_layer_macs(l));
    }
    fprintf(fp, "\n ]}\n");
}

static void import_table(FILE *fp, const char *path, const est_model_t *m, const onnx_report_t *r, uint64_t batch)
{
    fprintf(fp, "onnx %s: %s, IR %" PRId64 ", opset %" PRId64 ", %zu nodes, graph batch %" PRIu64 "\n", path,
            r->producer, r->ir_version, r->opset, r->n_nodes, r->batch);
    fprintf(fp, "%-40s %-6s %6s %8s %10s %8s %14s\n", "layer", "kind", "count", "M", "N", "K", "MACs/sample");
    for (size_t i = 0; i < m->n; i++) {
        const est_layer_t *l = &m->layers[i];
        fprintf(fp, "%-40s %-6s %6u %8" PRIu64 " %10" PRIu64 " %8" PRIu64 " %14" PRIu64 "\n", l->name, l->kind,
                l->groups * l->steps, l->m, l->n_per_sample * batch, l->k, est_layer_macs(l));
    }
    /* the nodes that are no GEMM, counted by operator */
    fprintf(fp, "other nodes:");
    size_t other = 0;
    for (size_t i = 0; i < r->n_nodes; i++) {
        if (r->nodes[i].layer >= 0)
            continue;
        bool seen = false;
        for (size_t j = 0; j < i && !seen; j++)
            seen = r->nodes[j].layer < 0 && !strcmp(r->nodes[j].op, r->nodes[i].op);
        if (seen)
            continue;
        size_t count = 0;
        for (size_t j = i; j < r->n_nodes; j++)
            count += r->nodes[j].layer < 0 && !strcmp(r->nodes[j].op, r->nodes[i].op);
        fprintf(fp, " %s %zu", r->nodes[i].op, count);
        other += count;
    }
    fprintf(fp, "%s\nmacs_per_sample %" PRIu64 "\n", other ? "" : " none", est_model_macs(m));
}

/* Every printed N (positions per sample x batch) must fit 64 bits. */
static bool layers_fit_batch(const est_model_t *m, uint64_t batch, char *err, size_t errlen)
{
    for (size_t i = 0; i < m->n; i++) {
        uint64_t n;
        if (__builtin_mul_overflow(m->layers[i].n_per_sample, batch, &n)) {
            snprintf(err, errlen, "layer '%s': N = %" PRIu64 " positions x batch %" PRIu64 " overflows 64 bits",
                     m->layers[i].name, m->layers[i].n_per_sample, batch);
            return false;
        }
    }
    return true;
}

static int model_import(const char *path, bc_fmt_t fmt, uint64_t batch, const char *outpath)
{
    est_model_t m;
    onnx_report_t r;
    char err[1536];
    if (!onnx_import(path, &m, &r, err, sizeof err))
        return bc_fail("model", "%s", err);
    if (!layers_fit_batch(&m, batch, err, sizeof err)) {
        est_model_free(&m);
        onnx_report_free(&r);
        return bc_usage_error("model", "--batch: %s", err);
    }
    bc_out_t o;
    if (!bc_out_open(&o, outpath, err, sizeof err)) {
        est_model_free(&m);
        onnx_report_free(&r);
        return bc_fail("model", "%s", err);
    }
    if (fmt == BC_FMT_JSON) {
        import_json(o.fp, path, &m, &r, batch);
    } else if (fmt == BC_FMT_CSV) {
        fprintf(o.fp, "layer,kind,count,m,n,k,macs_per_sample\n");
        for (size_t i = 0; i < m.n; i++) {
            const est_layer_t *l = &m.layers[i];
            fputc('"', o.fp);
            for (const char *p = l->name; *p; p++) /* CSV quoting: a quote is doubled */
                fputs(*p == '"' ? "\"\"" : (char[2]){*p, 0}, o.fp);
            fprintf(o.fp, "\",%s,%u,%" PRIu64 ",%" PRIu64 ",%" PRIu64 ",%" PRIu64 "\n", l->kind,
                    l->groups * l->steps, l->m, l->n_per_sample * batch, l->k, est_layer_macs(l));
        }
    } else {
        import_table(o.fp, path, &m, &r, batch);
    }
    est_model_free(&m);
    onnx_report_free(&r);
    if (!bc_out_commit(&o, err, sizeof err))
        return bc_fail("model", "%s", err);
    return BC_EXIT_OK;
}

int cmd_model(int argc, char **argv)
{
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},
                                         {"csv", no_argument, NULL, 'v'},
                                         {"batch", required_argument, NULL, 'b'},
                                         {"classes", required_argument, NULL, 'c'},
                                         {"output", required_argument, NULL, 'o'},
                                         {"help", no_argument, NULL, 'h'},
                                         {NULL, 0, NULL, 0}};
    bool json = false, csv = false;
    uint64_t batch = 1, classes = 0;
    const char *outpath = "-";
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
        switch (c) {
        case 'j':
            json = true;
            break;
        case 'v':
            csv = true;
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
    if (!strcmp(sub, "import")) {
        if (optind + 2 != argc)
            return bc_usage_error("model", "import takes exactly one ONNX FILE");
        if (json && csv)
            return bc_usage_error("model", "--json and --csv are exclusive");
        return model_import(argv[optind + 1], json ? BC_FMT_JSON : csv ? BC_FMT_CSV : BC_FMT_TABLE, batch, outpath);
    }
    if (csv)
        return bc_usage_error("model", "--csv is an option of 'model import'");
    if (strcmp(sub, "show"))
        return bc_usage_error("model", "unknown subcommand '%s' (expected show, list or import)", sub);
    if (optind + 2 != argc)
        return bc_usage_error("model", "show takes exactly one model NAME or topology FILE");
    est_model_t m;
    char err[1024];
    if (!est_model_resolve(argv[optind + 1], (unsigned)classes, &m, err, sizeof err))
        return bc_usage_error("model", "%s", err);
    if (!layers_fit_batch(&m, batch, err, sizeof err)) {
        est_model_free(&m);
        return bc_usage_error("model", "--batch: %s", err);
    }
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
