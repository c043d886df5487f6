/* libFuzzer: ONNX import (onnx_import_buffer: protobuf-c unpack, shape
 * inference, lowering). A model it accepts must be usable. */
#include "fuzz_util.h"
#include "onnx/onnx_import.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char err[1536] = "";
    est_model_t m;
    onnx_report_t r;
    if (onnx_import_buffer(data, size, "fuzz.onnx", &m, &r, err, sizeof err)) {
        if (m.n == 0 || r.n_nodes == 0)
            abort();
        for (size_t i = 0; i < r.n_nodes; i++)
            if (r.nodes[i].layer >= (long)m.n)
                abort();
        (void)est_model_macs(&m);
        est_model_free(&m);
        onnx_report_free(&r);
    } else {
        fuzz_check_msg(err, sizeof err);
    }
    return 0;
}
