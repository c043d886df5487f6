/* ONNX import: an ONNX graph (protobuf, read with protobuf-c) turned into
 * the estimator's GEMM layer list, with shapes inferred node by node. */
#ifndef BC_ONNX_IMPORT_H
#define BC_ONNX_IMPORT_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "est/est.h"

#define ONNX_MAX_RANK 8
#define ONNX_OPSET_MIN 7
#define ONNX_OPSET_MAX 17

/* One graph node as imported: its output shape and the layer it became. */
typedef struct onnx_node_info {
    char name[64];
    char op[32];
    unsigned rank;
    int64_t dims[ONNX_MAX_RANK];
    long layer; /* index into the model's layers, -1 when the node is no GEMM */
} onnx_node_info_t;

typedef struct onnx_report {
    char producer[64];
    int64_t ir_version, opset;
    uint64_t batch; /* first dimension of the graph input */
    onnx_node_info_t *nodes;
    size_t n_nodes;
} onnx_report_t;

/* Import path into out (source "onnx"). rep may be NULL; when given it is
 * filled and must be released with onnx_report_free. Errors name the file
 * and, where there is one, the node. */
bool onnx_import(const char *path, est_model_t *out, onnx_report_t *rep, char *err, size_t errlen);
/* The same from a buffer; name is used in messages and as the model name. */
bool onnx_import_buffer(const uint8_t *buf, size_t len, const char *name, est_model_t *out, onnx_report_t *rep,
                        char *err, size_t errlen);
void onnx_report_free(onnx_report_t *rep);

#endif
