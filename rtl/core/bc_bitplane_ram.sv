// One buffer bank: WORDS x WIDTH bits, one synchronous write port and one
// synchronous read port (registered output that holds its value when re_i is low,
// so a stalled pipeline keeps its operand). Read-during-write returns old data.
module bc_bitplane_ram #(
  parameter int WORDS = 1024,
  parameter int WIDTH = 64,
  parameter int AW = (WORDS > 1) ? $clog2(WORDS) : 1  // derived
) (
  input  logic             clk_i,
  input  logic             we_i,
  input  logic [AW-1:0]    waddr_i,
  input  logic [WIDTH-1:0] wdata_i,
  input  logic             re_i,
  input  logic [AW-1:0]    raddr_i,
  output logic [WIDTH-1:0] rdata_o
);
  logic [WIDTH-1:0] mem_q [0:WORDS-1];
  logic [WIDTH-1:0] rdata_q;

  always_ff @(posedge clk_i) begin
    if (we_i) mem_q[waddr_i] <= wdata_i;
  end

  always_ff @(posedge clk_i) begin
    if (re_i) rdata_q <= mem_q[raddr_i];
  end

  assign rdata_o = rdata_q;
endmodule
