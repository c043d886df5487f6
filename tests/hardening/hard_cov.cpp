// Verilator coverage glue for the hardening programs (C ABI). The simulator
// library keeps its VerilatedContext private; constructing a context makes it
// the thread's context, so the context of the sim just created is taken
// right after bc_sim_create and its coverage written before bc_sim_destroy.
#include <verilated.h>
#include <verilated_cov.h>

extern "C" void *hard_cov_attach(void) { return Verilated::threadContextp(); }

extern "C" void hard_cov_write(void *ctx, const char *path)
{
    if (ctx) static_cast<VerilatedContext *>(ctx)->coveragep()->write(path);
}
