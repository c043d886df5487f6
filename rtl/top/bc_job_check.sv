// Descriptor validation (combinational). Checks run in error-code order and the
// first failing one is reported (docs/registers.md). Also derives the loop bounds
// the engines need: KC = ceil(K/64), klast, and the panel size in column tiles.
module bc_job_check #(
  parameter int          DN         = 8,
  parameter int          MAX_BITS   = 16,
  parameter int          MAX_M      = 4096,
  parameter int          MAX_N      = 4096,
  parameter int          MAX_K      = 2048,
  parameter int          BBUF_WORDS = 2048,
  parameter logic [31:0] WIN_BASE   = 32'h0,
  parameter logic [31:0] WIN_SIZE   = 32'h1000_0000,
  localparam int DW = bc_top_pkg::DESC_W
) (
  input  logic [DW-1:0] desc_i,
  output logic [4:0]    err_o,        // ERR_NONE when valid
  output logic [6:0]    kc_o,         // 64-bit chunks per row, 1..32
  output logic [6:0]    klast_o,      // valid bits in the last chunk, 1..64
  output logic [12:0]   panel_o       // column tiles per B panel (power of two)
);
  logic [31:0] a_addr, b_addr, c_addr, m, n, k, lda, ldb, ldc;
  logic [4:0]  wbits, abits;
  assign a_addr = desc_i[bc_top_pkg::D_A_ADDR +: 32];
  assign b_addr = desc_i[bc_top_pkg::D_B_ADDR +: 32];
  assign c_addr = desc_i[bc_top_pkg::D_C_ADDR +: 32];
  assign m      = desc_i[bc_top_pkg::D_M +: 32];
  assign n      = desc_i[bc_top_pkg::D_N +: 32];
  assign k      = desc_i[bc_top_pkg::D_K +: 32];
  assign lda    = desc_i[bc_top_pkg::D_LDA +: 32];
  assign ldb    = desc_i[bc_top_pkg::D_LDB +: 32];
  assign ldc    = desc_i[bc_top_pkg::D_LDC +: 32];
  assign wbits  = desc_i[bc_top_pkg::D_WBITS +: 5];
  assign abits  = desc_i[bc_top_pkg::D_ABITS +: 5];

  // Only meaningful once M, N, K and the bit counts passed their checks.
  logic [12:0] m13, n13;
  logic [11:0] k12;
  logic [6:0]  kc;
  logic [63:0] row_a, row_b, row_c, end_a, end_b, end_c, win_end;
  assign m13 = m[12:0];
  assign n13 = n[12:0];
  assign k12 = k[11:0];
  assign kc = 7'((k12 + 12'd63) >> 6);
  assign row_a = 64'(kc) * 64'(wbits) * 64'd8;
  assign row_b = 64'(kc) * 64'(abits) * 64'd8;
  assign row_c = 64'(n13) * (desc_i[bc_top_pkg::D_WB16] ? 64'd2 : 64'd4);
  logic [12:0] m_last, n_last;
  logic [11:0] k_last;
  assign m_last = m13 - 13'd1;
  assign n_last = n13 - 13'd1;
  assign k_last = k12 - 12'd1;
  assign end_a = 64'(a_addr) + 64'(m_last) * 64'(lda) + row_a;
  assign end_b = 64'(b_addr) + 64'(n_last) * 64'(ldb) + row_b;
  assign end_c = 64'(c_addr) + 64'(m_last) * 64'(ldc) + row_c;
  assign win_end = 64'(WIN_BASE) + 64'(WIN_SIZE);

  // Below the window (a generate, so a window at 0 needs no always-false compare).
  logic below_a, below_b, below_c;
  if (WIN_BASE == 32'd0) begin : g_win0
    assign below_a = 1'b0;
    assign below_b = 1'b0;
    assign below_c = 1'b0;
  end else begin : g_win
    assign below_a = a_addr < WIN_BASE;
    assign below_b = b_addr < WIN_BASE;
    assign below_c = c_addr < WIN_BASE;
  end

  logic unused_bits;
  assign unused_bits = ^{desc_i[bc_top_pkg::D_ID +: 32], desc_i[bc_top_pkg::D_WSIGNED],
                         desc_i[bc_top_pkg::D_WB_SHIFT +: 5],
                         desc_i[bc_top_pkg::D_ASIGNED], k_last[11:6]};

  always_comb begin
    err_o = bc_regs_pkg::ERR_NONE;
    if (wbits == 5'd0 || 32'(wbits) > MAX_BITS) err_o = bc_regs_pkg::ERR_BAD_WBITS;
    else if (abits == 5'd0 || 32'(abits) > MAX_BITS) err_o = bc_regs_pkg::ERR_BAD_ABITS;
    else if (m == 32'd0 || m > 32'(MAX_M)) err_o = bc_regs_pkg::ERR_BAD_M;
    else if (n == 32'd0 || n > 32'(MAX_N)) err_o = bc_regs_pkg::ERR_BAD_N;
    else if (k == 32'd0 || k > 32'(MAX_K)) err_o = bc_regs_pkg::ERR_BAD_K;
    else if (a_addr[2:0] != 3'd0 || below_a || end_a > win_end)
      err_o = bc_regs_pkg::ERR_BAD_A_ADDR;
    else if (b_addr[2:0] != 3'd0 || below_b || end_b > win_end)
      err_o = bc_regs_pkg::ERR_BAD_B_ADDR;
    else if (c_addr[2:0] != 3'd0 || below_c || end_c > win_end)
      err_o = bc_regs_pkg::ERR_BAD_C_ADDR;
    else if (lda[2:0] != 3'd0 || 64'(lda) < row_a) err_o = bc_regs_pkg::ERR_BAD_LDA;
    else if (ldb[2:0] != 3'd0 || 64'(ldb) < row_b) err_o = bc_regs_pkg::ERR_BAD_LDB;
    else if (ldc[2:0] != 3'd0 || 64'(ldc) < row_c) err_o = bc_regs_pkg::ERR_BAD_LDC;
  end

  // Panel: the largest power of two P with P*KC*abits <= BBUF_WORDS/2, capped at
  // the number of column tiles (so loop bounds stay small).
  logic [9:0]  kcab;      // <= 32*16 = 512
  logic [3:0]  lg;        // ceil(log2(kcab))
  logic [12:0] ntiles, fit;
  assign kcab = 10'(kc) * 10'(abits);
  always_comb begin
    lg = 4'd0;
    for (int b = 9; b >= 0; b--) begin
      if (kcab > (10'd1 << b) && lg == 4'd0) lg = 4'(b + 1);
    end
  end
  assign fit = 13'((BBUF_WORDS / 2) >> lg);
  assign ntiles = 13'((n13 + 13'(DN - 1)) / 13'(DN));
  assign kc_o = kc;
  assign klast_o = 7'(k_last[5:0]) + 7'd1;
  assign panel_o = (fit == 13'd0) ? 13'd1 : ((ntiles < fit) ? ntiles : fit);
endmodule
