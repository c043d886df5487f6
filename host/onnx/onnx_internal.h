/* Internals shared by the ONNX importer's files: the tensor table (name ->
 * inferred shape and, for small integer constants, values) and the
 * per-operator shape inference. */
#ifndef BC_ONNX_INTERNAL_H
#define BC_ONNX_INTERNAL_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "onnx.pb-c.h"
#include "onnx_import.h"

#define ONNX_MAX_VALUES 16
#define ONNX_MAX_DIM 1000000000ll
#define ONNX_MAX_ELEMS 1000000000000000ll /* 1e15: beyond it a shape is refused */

typedef struct onnx_tensor {
    const char *name; /* points into the unpacked message */
    bool known;       /* false: produced by an unsupported node */
    unsigned rank;
    int64_t dims[ONNX_MAX_RANK];
    unsigned nval; /* values of a small integer constant; 0 when unknown */
    int64_t val[ONNX_MAX_VALUES];
} onnx_tensor_t;

typedef struct onnx_ctx {
    const char *file;
    onnx_tensor_t *tab; /* open addressing, cap a power of two */
    size_t cap, used;
    est_model_t *model;
    uint64_t batch;
    int64_t opset;
    long node_index;
    const char *node_label;
    char *err;
    size_t errlen;
} onnx_ctx_t;

/* Result of one operator's shape inference. */
enum { ONNX_OP_OK = 0, ONNX_OP_UNSUPPORTED = 1, ONNX_OP_ERROR = -1 };

onnx_tensor_t *onnx_tab_get(onnx_ctx_t *c, const char *name);
/* Inserts or replaces name; returns NULL (with err) when the table is full. */
onnx_tensor_t *onnx_tab_put(onnx_ctx_t *c, const char *name);

/* Shape inference of node; on ONNX_OP_UNSUPPORTED, why receives the reason
 * (empty when the operator itself is unknown). */
int onnx_infer_node(onnx_ctx_t *c, const Onnx__NodeProto *node, char *why, size_t whylen);
/* Whether op_type (default domain) has a shape rule. */
bool onnx_op_known(const char *op_type);

/* err := "FILE: node LABEL (OP): message" */
int onnx_node_error(onnx_ctx_t *c, const Onnx__NodeProto *node, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

#endif
