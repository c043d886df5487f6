rtl/core/bc_gemm_seq.sv
rtl/core/bc_core_top.sv
