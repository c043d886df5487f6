// Dot-product unit: one output element of the array.
// S1 (capture): popcount(a & b & kmask) into pc_q (0 when the unit is outside the
// tile's valid rows/cols, so idle units do not toggle their accumulator).
// S2 (accumulate): acc = (first ? 0 : acc) +/- (pc << shift), ACC_W bits, wrapping.
// result_o/overflow_o are the int32-saturated value of the accumulator's next state,
// which the core latches on a tile's last pass.
module bc_dpu #(
  parameter int DK      = 64,
  parameter int ACC_W   = 48,
  parameter int SHIFT_W = 5,
  parameter int PC_W   = $clog2(DK + 1)  // derived
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               s1_en_i,
  input  logic               active_i,
  input  logic [DK-1:0]      a_word_i,
  input  logic [DK-1:0]      b_word_i,
  input  logic [DK-1:0]      kmask_i,
  input  logic               s2_en_i,
  input  logic               first_i,
  input  logic               neg_i,
  input  logic [SHIFT_W-1:0] shift_i,
  output logic [31:0]        result_o,
  output logic               overflow_o
);
  // Tree popcount on a 64-bit word (SWAR: cheap in Verilator and in gates).
  function automatic logic [6:0] popcount64(input logic [63:0] x);
    logic [63:0] s1, s2;
    logic [6:0]  sum;
    integer      n;
    s1 = x - ((x >> 1) & 64'h5555_5555_5555_5555);
    s2 = (s1 & 64'h3333_3333_3333_3333) + ((s1 >> 2) & 64'h3333_3333_3333_3333);
    sum = '0;
    for (n = 0; n < 16; n = n + 1) sum = sum + {3'b000, s2[n*4 +: 4]};
    popcount64 = sum;
  endfunction

  logic [63:0]      and_word;
  logic [6:0]       pc_full;
  logic [PC_W-1:0]  pc_d, pc_q;
  logic [ACC_W-1:0] acc_d, acc_q, base, contrib;

  always_comb begin
    and_word = '0;
    and_word[DK-1:0] = a_word_i & b_word_i & kmask_i;
  end
  assign pc_full = popcount64(and_word);
  assign pc_d = active_i ? pc_full[PC_W-1:0] : '0;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      pc_q <= '0;
    end else if (s1_en_i) begin
      pc_q <= pc_d;
    end
  end

  always_comb begin
    base = first_i ? '0 : acc_q;
    contrib = {{(ACC_W - PC_W){1'b0}}, pc_q} << shift_i;
    acc_d = neg_i ? (base - contrib) : (base + contrib);
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      acc_q <= '0;
    end else if (s2_en_i) begin
      acc_q <= acc_d;
    end
  end

  // Saturate the signed ACC_W-bit value to int32.
  logic acc_neg, fits;
  assign acc_neg = acc_d[ACC_W-1];
  assign fits = (acc_d[ACC_W-1:31] == '0) || (acc_d[ACC_W-1:31] == '1);
  assign overflow_o = !fits;
  assign result_o = fits ? acc_d[31:0] : (acc_neg ? 32'h8000_0000 : 32'h7fff_ffff);
endmodule
