/* bitcycle estimator: model zoo, topology files, energy table, calibration
 * file and the per-epoch cost engine. Everything here is plain C11 and has no
 * side effects beyond the files it is told to read or write. */
#ifndef BC_EST_H
#define BC_EST_H
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "bc_lower.h"
#include "bc_timing.h"

/* Descriptor limits of the RTL (generated from the register description); larger GEMMs are split. */
#define EST_MAX_M BC_PARAM_MAX_M
#define EST_MAX_N BC_PARAM_MAX_N
#define EST_MAX_K BC_PARAM_MAX_K
#define EST_MAX_BITS BC_PARAM_MAX_BITS

/* ---------------------------------------------------------------- models */

/* One trained layer. Its geometry (geom) is what the lowering module
 * (firmware/include/bc_lower.h) turns into the forward, error (transposed
 * convolution) and weight-gradient GEMMs; m, k and n_per_sample are the
 * forward GEMM per group (M, K, N per sample), kept for display. A layer
 * given only as m/k/n_per_sample (geom.cin == 0) lowers as a 1 x 1
 * convolution over n_per_sample positions with cin = k, cout = m per group.
 * first: no input error (set for the model's first non-recurrent layer). */
typedef struct est_layer {
    char name[48];
    char kind[12]; /* conv, dwconv, fc, lstm, gemm */
    unsigned groups, steps;
    uint64_t m, k, n_per_sample;
    /* conv geometry, 0 when not a convolution (display only) */
    unsigned in_h, in_w, cin, cout, kh, kw, stride, out_h, out_w;
    bc_layer_geom_t geom;
    bool first;
    unsigned fixed_bits; /* 0: follows the schedule; else forward bits fixed (CPT depthwise layers) */
} est_layer_t;

/* The layer's geometry for bc_lower_layer (derived when geom is unset). */
void est_layer_geom(const est_layer_t *l, bc_layer_geom_t *g);
/* The layer's training GEMMs of one iteration (bc_lower_layer): 2 or 3. */
bc_lower_status_t est_layer_lower(const est_layer_t *l, uint64_t batch, unsigned fw, unsigned bw,
                                  bc_gemm_desc_t out[BC_GEMM_KINDS], unsigned *n);

typedef struct est_model {
    char name[64];
    char source[32]; /* "zoo" or "topology" */
    unsigned num_classes;
    est_layer_t *layers;
    size_t n, cap;
    uint64_t macs; /* forward MACs of one sample, summed (checked) by est_model_push */
} est_model_t;

void est_model_init(est_model_t *m, const char *name);
void est_model_free(est_model_t *m);
/* Forward MACs of one sample over all layers. */
uint64_t est_layer_macs(const est_layer_t *l);
uint64_t est_model_macs(const est_model_t *m);
/* Append a layer; returns false (with err) when its geometry does not lower
 * or on allocation failure. The first layer pushed (unless recurrent) is
 * marked first. */
bool est_model_push(est_model_t *m, const est_layer_t *l, char *err, size_t errlen);

/* Zoo names, NULL-terminated. */
extern const char *const est_zoo_names[];
/* Build a zoo model; num_classes 0 keeps the model's own classifier width.
 * Returns false with "unknown model ..." in err for an unknown name. */
bool est_zoo_build(const char *name, unsigned num_classes, est_model_t *out, char *err, size_t errlen);
/* Published forward MACs per sample (for docs and the zoo test); 0 if none. */
typedef struct est_zoo_ref {
    const char *name;
    double macs;     /* published figure */
    double tol;      /* relative tolerance the zoo is held to */
    const char *cite;
} est_zoo_ref_t;
extern const est_zoo_ref_t est_zoo_refs[];

/* SCALE-Sim topology CSV (convolution form or M,N,K form, told apart by the
 * header). Errors name the file, the line and the field. */
bool est_topology_load(const char *path, est_model_t *out, char *err, size_t errlen);
/* ONNX graph (host/onnx/); a build without the importer links it as NULL. */
bool est_onnx_load(const char *path, est_model_t *out, char *err, size_t errlen);
/* Zoo name or, if it names an existing file, a topology CSV (FILE.onnx: ONNX). */
bool est_model_resolve(const char *name_or_file, unsigned num_classes, est_model_t *out, char *err,
                       size_t errlen);

/* ---------------------------------------------------------------- energy */

typedef struct est_energy {
    double dpu_pj;       /* one dot-product-unit cycle: Dk-bit AND + popcount */
    double acc_pj;       /* one accumulator update: shift + ACC_W-bit add/sub */
    double abuf_read_pj, abuf_write_pj; /* one Dk-bit word of an A bank */
    double bbuf_read_pj, bbuf_write_pj; /* one Dk-bit word of a B bank */
    double dram_byte_pj; /* one byte moved to or from DRAM */
    double ctrl_cycle_pj;/* flip-flops (sequencer, queue, DMA, accumulators) per busy cycle */
    double static_w;     /* leakage of the whole accelerator, watts */
    char dram[16];       /* DRAM preset name, or "table" */
    char source[256];
} est_energy_t;

/* Constants of the energy model (docs/energy.md gives their basis). */
#define EST_ACC_BITS 48u               /* ACC_W of rtl/core/bc_core_top.sv */
#define EST_SRAM_8K_PJ 10.0            /* 64-bit access to 8 KB of SRAM (Horowitz 2014) */
#define EST_SRAM_SIZE_EXP 0.5          /* through Horowitz 2014's 8 KB and 32 KB points */
#define EST_SRAM_FIXED_SHARE 0.2       /* access energy not scaling with word width (estimate) */
#define EST_FF_CYCLE_FJ 1.5625         /* one clocked flip-flop, half a full-adder bit (estimate) */
#define EST_SRAM_LEAK_NW_PER_BIT 3.2   /* SRAM leakage per bit at 45 nm, 0.9 V (estimate) */
#define EST_FF_LEAK_NW 10.0            /* leakage per flip-flop with its logic cone (estimate) */

typedef struct est_dram_preset {
    const char *name;
    double pj_per_bit;
    const char *source;
} est_dram_preset_t;
/* ddr3 (the default), ddr4, lpddr4, hbm2; NULL-terminated. */
extern const est_dram_preset_t est_dram_presets[];
const est_dram_preset_t *est_dram_find(const char *name);

/* Energy of one access to an SRAM bank of bank_bytes with words of width_bits. */
double est_sram_access_pj(double bank_bytes, unsigned width_bits);
/* Flip-flops of the accelerator at a configuration (fit to the synth report). */
double est_flip_flops(const bc_hw_t *hw);
/* Per-event energies for a configuration; dram NULL is the default preset. */
void est_energy_for_hw(est_energy_t *e, const bc_hw_t *hw, const est_dram_preset_t *dram);
/* est_energy_for_hw at the default configuration and DRAM. */
void est_energy_default(est_energy_t *e);
/* Load a table file (format in docs/energy.md); every entry is required. */
bool est_energy_load(const char *path, est_energy_t *e, char *err, size_t errlen);

typedef struct est_joules {
    double compute, buffers, dram, stat, total;
    double ctrl, dram_rd, dram_wr;
} est_joules_t;
void est_energy_of(const est_energy_t *e, const bc_events_t *ev, double clock_hz, est_joules_t *out);

/* ----------------------------------------------------------- calibration */

#define EST_CALIB_VERSION 1
typedef struct est_calib_file {
    bc_calib_t cal;
    char rtl_hash[17];
    char config[160];
    unsigned points;
    double max_rel_err; /* worst fitted cycle error over the grid */
} est_calib_file_t;

/* FNV-1a hash over the files named in rtl/bitcycle.f (and the list itself). */
bool est_rtl_hash(const char *filelist, char out[17], char *err, size_t errlen);
void est_hw_config_str(const bc_hw_t *hw, char *buf, size_t len);
bool est_calib_write(const char *path, const est_calib_file_t *c, char *err, size_t errlen);
/* Returns 1 loaded, 0 missing, -1 malformed (err says where). */
int est_calib_read(const char *path, est_calib_file_t *c, char *err, size_t errlen);

/* Least-squares fit of the three bc_calib_t constants to measured job cycles.
 * Uses the linearity of bc_timing_job in the constants. */
typedef struct est_calib_point {
    bc_job_shape_t shape;
    uint64_t measured_cycles;
} est_calib_point_t;
bool est_calib_fit(const bc_hw_t *hw, const est_calib_point_t *pts, size_t n, bc_calib_t *out,
                   double *max_rel_err, char *err, size_t errlen);

/* Run the RTL through the simulator library over the calibration grid and
 * fit the constants. Returns 1 done, 0 simulator library not part of this
 * build (err says so), -1 failure. */
int est_calibrate_rtl(const bc_hw_t *hw, unsigned grid_level, bool progress, est_calib_file_t *out,
                      struct est_calib_point **points, size_t *npoints, char *err, size_t errlen);
/* The calibration an estimate uses: the file at path when it matches the RTL
 * hash and configuration; otherwise recalibrate (allow_run) and write it.
 * Falls back to bc_calib_default when the RTL cannot be run; note says which
 * of these happened, for the output. Returns false only on a hard error. */
bool est_calib_obtain(const char *path, const char *filelist, bool allow_run, bc_calib_t *cal, char *note,
                      size_t notelen, char *err, size_t errlen);

/* ----------------------------------------------------------- the engine */

/* Events of one training iteration of a model at (fw, bw) bits: for every
 * layer the forward, error back-propagation and weight-gradient GEMMs, split
 * at the descriptor limits. switches counts precision changes between the
 * consecutive jobs of the iteration (not into the next one). */
typedef struct est_iter_cost {
    bc_events_t ev;
    bc_events_t by_kind[BC_GEMM_KINDS]; /* the jobs of each GEMM kind (bc_gemm_kind_t) */
    double bitops; /* the paper's count: MACs x (fw^2 + 2 fw bw), bc_sched_bitops_factor */
    double macs;
} est_iter_cost_t;

typedef enum { EST_GEMM_FW = 0, EST_GEMM_BP, EST_GEMM_WG } est_gemm_kind_t;
/* The training GEMM of a layer (from est_layer_lower); m = n = k = 0 when the
 * layer has no GEMM of that kind (the first layer's error). */
void est_gemm_shape(const est_layer_t *l, est_gemm_kind_t kind, uint64_t batch, unsigned fw, unsigned bw,
                    uint64_t *m, uint64_t *n, uint64_t *k, unsigned *wbits, unsigned *abits);
/* Events of one (possibly large) GEMM split into descriptor-sized jobs
 * (bc_split_*), each job run alone. */
void est_gemm_events(const bc_hw_t *hw, const bc_calib_t *cal, uint64_t m, uint64_t n, uint64_t k,
                     unsigned wbits, unsigned abits, bc_events_t *acc);
void est_iter_cost(const est_model_t *model, const bc_hw_t *hw, const bc_calib_t *cal, uint64_t batch,
                   unsigned fw, unsigned bw, est_iter_cost_t *out);
void est_events_add(bc_events_t *acc, const bc_events_t *ev, uint64_t times);
/* The name of a counter that overflowed in est_events_add, or NULL. */
const char *est_events_overflow(const bc_events_t *ev);

#endif
