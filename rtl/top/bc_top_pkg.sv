// Shared constants of bitcycle_top: the queued job descriptor layout.
// A descriptor is the JOB_* staging registers, stored unvalidated (validation
// happens when the engine pops it).
package bc_top_pkg;
  localparam int DESC_W     = 338;
  localparam int D_A_ADDR   = 0;
  localparam int D_B_ADDR   = 32;
  localparam int D_C_ADDR   = 64;
  localparam int D_M        = 96;
  localparam int D_N        = 128;
  localparam int D_K        = 160;
  localparam int D_LDA      = 192;
  localparam int D_LDB      = 224;
  localparam int D_LDC      = 256;
  localparam int D_ID       = 288;
  localparam int D_WBITS    = 320;  // 5 bits
  localparam int D_ABITS    = 325;  // 5 bits
  localparam int D_WSIGNED  = 330;
  localparam int D_ASIGNED  = 331;
  localparam int D_WB16     = 332;  // C as int16 (saturated after >> WB_SHIFT)
  localparam int D_WB_SHIFT = 333;  // 5 bits
  // Error ports of the register block (index = priority when simultaneous).
  localparam int NERR       = 3;
endpackage
