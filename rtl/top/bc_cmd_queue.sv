// Command queue: a FIFO of unvalidated job descriptors (first-word fall-through).
// flush_i empties it (CTRL.SOFT_RESET).
module bc_cmd_queue #(
  parameter int DEPTH = 4,
  parameter int WIDTH = 332,
  localparam int PW = (DEPTH > 1) ? $clog2(DEPTH) : 1
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             flush_i,
  input  logic             push_i,
  input  logic [WIDTH-1:0] push_data_i,
  input  logic             pop_i,
  output logic [WIDTH-1:0] head_o,
  output logic             empty_o,
  output logic             full_o,
  output logic [3:0]       count_o
);
  logic [WIDTH-1:0] mem_q [DEPTH];
  logic [PW-1:0]    rd_q, wr_q;
  logic [PW:0]      count_q;
  logic             do_push, do_pop;

  assign empty_o = (count_q == '0);
  assign full_o = (32'(count_q) == DEPTH);
  assign do_push = push_i && !full_o;
  assign do_pop = pop_i && !empty_o;
  assign head_o = mem_q[rd_q];
  assign count_o = 4'(count_q);

  logic [PW-1:0] rd_next, wr_next;
  assign rd_next = (32'(rd_q) == DEPTH - 1) ? '0 : rd_q + 1'b1;
  assign wr_next = (32'(wr_q) == DEPTH - 1) ? '0 : wr_q + 1'b1;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      rd_q <= '0;
      wr_q <= '0;
      count_q <= '0;
    end else if (flush_i) begin
      rd_q <= '0;
      wr_q <= '0;
      count_q <= '0;
    end else begin
      if (do_push) wr_q <= wr_next;
      if (do_pop) rd_q <= rd_next;
      if (do_push && !do_pop) count_q <= count_q + 1'b1;
      else if (do_pop && !do_push) count_q <= count_q - 1'b1;
    end
  end

  // Storage without reset (only entries below count_q are ever read).
  always_ff @(posedge clk_i) begin
    if (do_push && !flush_i) mem_q[wr_q] <= push_data_i;
  end
endmodule
