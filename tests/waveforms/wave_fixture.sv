// Fixture for the waveform switch extractor: replays a fixed job table and drives the
// waveform signals under the names bitcycle_top keeps (docs/contracts.md). The expected
// switch list lives independently in tests/waveforms/test_wave.c.
`timescale 1ns / 1ps
module wave_fixture (
  input  logic clk_i,
  input  logic rst_ni,
  output logic done_o
);
  localparam int NumJobs = 8;

  // Sequencer states, numbered like a plain FSM so the trace shows small integers.
  localparam logic [1:0] SeqGap  = 2'd0;  // waiting for operands (memory stalls)
  localparam logic [1:0] SeqRun  = 2'd1;  // bit-plane passes
  localparam logic [1:0] SeqDone = 2'd2;

  // One table row: {wbits[4:0], abits[4:0], wsigned, asigned, gap[3:0]}; passes = wbits*abits.
  function automatic logic [15:0] job_row(input logic [2:0] idx);
    logic [15:0] row;
    unique case (idx)
      3'd0:    row = {5'd8, 5'd8, 1'b0, 1'b0, 4'd2};
      3'd1:    row = {5'd3, 5'd3, 1'b0, 1'b0, 4'd0};
      3'd2:    row = {5'd5, 5'd5, 1'b0, 1'b0, 4'd0};
      3'd3:    row = {5'd5, 5'd5, 1'b0, 1'b0, 4'd0};
      3'd4:    row = {5'd8, 5'd8, 1'b1, 1'b0, 4'd3};
      3'd5:    row = {5'd4, 5'd2, 1'b1, 1'b1, 4'd0};
      3'd6:    row = {5'd4, 5'd2, 1'b1, 1'b0, 4'd1};
      default: row = {5'd4, 5'd2, 1'b1, 1'b0, 4'd0};
    endcase
    return row;
  endfunction

  logic [1:0]  seq_state;
  logic [2:0]  job_q, job_d;
  logic [3:0]  gap_q, gap_d;
  logic [3:0]  exec_plane_i, plane_i_d;
  logic [3:0]  exec_plane_j, plane_j_d;
  logic [1:0]  state_d;
  logic [15:0] cur_row;

  // Observed only in the trace (and next_row only for its gap field).
  /* verilator lint_off UNUSEDSIGNAL */
  logic [15:0] next_row;
  logic [15:0] exec_job_id;
  logic [4:0]  exec_wbits, exec_abits;
  logic        exec_wsigned, exec_asigned;
  logic        exec_compute, exec_job_start;
  logic [5:0]  exec_kc;
  logic [2:0]  queue_count;
  logic        mem_stall;
  logic [4:0]  err_code;
  /* verilator lint_on UNUSEDSIGNAL */

  assign cur_row  = job_row(job_q);
  assign next_row = job_row(job_q + 3'd1);

  assign exec_job_id    = {13'd0, job_q} + 16'd1;
  assign exec_wbits     = cur_row[15:11];
  assign exec_abits     = cur_row[10:6];
  assign exec_wsigned   = cur_row[5];
  assign exec_asigned   = cur_row[4];
  assign exec_compute   = (seq_state == SeqRun);
  assign exec_job_start = exec_compute && (exec_plane_i == 4'd0) && (exec_plane_j == 4'd0);
  assign exec_kc        = 6'd0;
  assign queue_count    = (seq_state == SeqDone) ? 3'd0 : 3'd7 - job_q;
  assign mem_stall      = (seq_state == SeqGap);
  assign err_code       = 5'd0;
  assign done_o         = (seq_state == SeqDone);

  always_comb begin
    state_d   = seq_state;
    job_d     = job_q;
    gap_d     = gap_q;
    plane_i_d = exec_plane_i;
    plane_j_d = exec_plane_j;
    unique case (seq_state)
      SeqGap: begin
        if (gap_q >= cur_row[3:0]) begin
          state_d = SeqRun;
        end else begin
          gap_d = gap_q + 4'd1;
        end
      end
      SeqRun: begin
        if ({1'b0, exec_plane_i} != exec_wbits - 5'd1) begin
          plane_i_d = exec_plane_i + 4'd1;
        end else if ({1'b0, exec_plane_j} != exec_abits - 5'd1) begin
          plane_i_d = 4'd0;
          plane_j_d = exec_plane_j + 4'd1;
        end else begin
          // last pass of the job
          plane_i_d = 4'd0;
          plane_j_d = 4'd0;
          if (job_q == 3'(NumJobs - 1)) begin
            state_d = SeqDone;
          end else begin
            job_d = job_q + 3'd1;
            if (next_row[3:0] != 4'd0) begin
              state_d = SeqGap;
              gap_d   = 4'd1;
            end
          end
        end
      end
      default: ;
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      seq_state    <= SeqGap;
      job_q        <= 3'd0;
      gap_q        <= 4'd1;
      exec_plane_i <= 4'd0;
      exec_plane_j <= 4'd0;
    end else begin
      seq_state    <= state_d;
      job_q        <= job_d;
      gap_q        <= gap_d;
      exec_plane_i <= plane_i_d;
      exec_plane_j <= plane_j_d;
    end
  end
endmodule
