rtl/core/bc_bitplane_ram.sv
rtl/core/bc_wide_bank.sv
rtl/core/bc_dpu.sv
rtl/core/bc_array_core.sv
