// One operand buffer bank that accepts a whole memory beat per cycle: WORDS x WIDTH
// bits, a write port of LANES consecutive words (lane l writes word waddr_i + l when
// we_i[l]; any alignment) and a one-word read port with a registered output that
// holds while re_i is low (bc_bitplane_ram semantics).
// Word w lives in sub-bank w % LANES at entry w / LANES, so the LANES words of a beat
// always hit distinct sub-banks. LANES = 1 is a plain bc_bitplane_ram.
module bc_wide_bank #(
  parameter int WORDS = 1024,
  parameter int WIDTH = 64,
  parameter int LANES = 1,
  parameter int AW = (WORDS > 1) ? $clog2(WORDS) : 1  // derived
) (
  input  logic                   clk_i,
  input  logic [LANES-1:0]       we_i,
  input  logic [AW-1:0]          waddr_i,     // word address of lane 0 (wraps modulo WORDS)
  input  logic [LANES*WIDTH-1:0] wdata_i,
  input  logic                   re_i,
  input  logic [AW-1:0]          raddr_i,
  output logic [WIDTH-1:0]       rdata_o
);
  if (LANES == 1) begin : g_narrow
    bc_bitplane_ram #(.WORDS(WORDS), .WIDTH(WIDTH)) u_ram (
      .clk_i, .we_i(we_i[0]), .waddr_i, .wdata_i, .re_i, .raddr_i, .rdata_o
    );
  end else begin : g_wide
    localparam int LW = $clog2(LANES);
    localparam int SUB_WORDS = WORDS / LANES;
    localparam int SAW = (SUB_WORDS > 1) ? $clog2(SUB_WORDS) : 1;

    logic [LANES*WIDTH-1:0] sub_rdata;
    logic [LW-1:0]          rsel_q;

    for (genvar s = 0; s < LANES; s++) begin : g_sub
      // the lane whose word falls into sub-bank s, and that word's address
      logic [LW-1:0] lane;
      logic [AW-1:0] waddr;
      assign lane = LW'(s) - waddr_i[LW-1:0];
      assign waddr = waddr_i + AW'(lane);
      bc_bitplane_ram #(.WORDS(SUB_WORDS), .WIDTH(WIDTH)) u_ram (
        .clk_i   (clk_i),
        .we_i    (we_i[lane]),
        .waddr_i (SAW'(waddr >> LW)),
        .wdata_i (wdata_i[32'(lane)*WIDTH +: WIDTH]),
        .re_i    (re_i),
        .raddr_i (SAW'(raddr_i >> LW)),
        .rdata_o (sub_rdata[s*WIDTH +: WIDTH])
      );
    end

    always_ff @(posedge clk_i) begin
      if (re_i) rsel_q <= raddr_i[LW-1:0];
    end
    assign rdata_o = sub_rdata[32'(rsel_q)*WIDTH +: WIDTH];

`ifndef SYNTHESIS
    initial begin
      assert (WORDS % LANES == 0 && (LANES & (LANES - 1)) == 0)
        else $error("bc_wide_bank: LANES=%0d must be a power of two dividing WORDS=%0d", LANES, WORDS);
    end
`endif
  end
endmodule
