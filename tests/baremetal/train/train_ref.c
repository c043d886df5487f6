/* Host reference for the training ELF: the host-built trainer (bc_train_run)
 * on fsim with train_cfg.h's run; prints the final weights hash. */
#include <inttypes.h>
#include <stdio.h>

#include "bc_data.h"
#include "bc_train.h"
#include "train_cfg.h"

int main(void)
{
    bc_dataset_t tr, te;
    char err[512];
    if (bc_data_load_named("digits", NULL, &tr, &te, err, sizeof err)) {
        fprintf(stderr, "train_ref: %s\n", err);
        return 1;
    }
    bc_train_opts_t o;
    bc_train_opts_default(&o);
    o.backend = "fsim";
    train_cfg(&o.mlp, &o.fw, &o.bw);
    o.cycles = TRAIN_CYCLES;
    o.epochs = 1;
    o.max_iters = TRAIN_ITERS;
    o.test_limit = 1;
    bc_train_result_t r;
    if (bc_train_run(&o, &tr, &te, &r, err, sizeof err)) {
        fprintf(stderr, "train_ref: %s\n", err);
        return 1;
    }
    printf("train: %" PRIu64 " iterations, weights hash %016" PRIx64 "\n", r.iters, r.weights_hash);
    bc_train_result_free(&r);
    bc_data_free(&tr);
    bc_data_free(&te);
    return 0;
}
