/* The training run both builds use: digits MLP 64-32-10, batch 32, CPT
 * forward 3..8 bits (cosine, 2 cycles), backward 8 bits, TRAIN_ITERS steps. */
#ifndef TRAIN_CFG_H
#define TRAIN_CFG_H
#include "bc_mlp.h"
#include "bc_schedule.h"

#ifndef TRAIN_ITERS
#define TRAIN_ITERS 4
#endif
#define TRAIN_CYCLES 2u

static inline void train_cfg(bc_mlp_config_t *c, bc_sched_t *fw, bc_sched_t *bw)
{
    *c = (bc_mlp_config_t){0};
    c->n_layers = 2;
    c->sizes[0] = 64, c->sizes[1] = 32, c->sizes[2] = 10;
    c->batch = 32;
    c->lr = 0.05f, c->momentum = 0.9f, c->weight_decay = 5e-4f;
    c->seed = 1;
    *fw = (bc_sched_t){BC_SCHED_COS, 3, 8};
    *bw = bc_sched_static(8);
}
#endif
