// Performance counters: N 64-bit counters, each advanced by a per-cycle increment.
// freeze_i holds every counter; clear_i zeroes them (also while frozen).
module bc_counters #(
  parameter int N     = 14,
  parameter int INC_W = 8
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic               freeze_i,
  input  logic               clear_i,
  input  logic [N*INC_W-1:0] inc_i,
  output logic [N*64-1:0]    cnt_o
);
  logic [63:0] cnt_q [N];
  for (genvar c = 0; c < N; c++) begin : g_cnt
    always_ff @(posedge clk_i or negedge rst_ni) begin
      if (!rst_ni) begin
        cnt_q[c] <= '0;
      end else if (clear_i) begin
        cnt_q[c] <= '0;
      end else if (!freeze_i) begin
        cnt_q[c] <= cnt_q[c] + 64'(inc_i[c*INC_W +: INC_W]);
      end
    end
    assign cnt_o[c*64 +: 64] = cnt_q[c];
  end
endmodule
