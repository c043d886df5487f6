// Icarus testbench of bc_core_top: replays a vector file written by gen_vectors (golden
// model) and compares results, overflow flags and cycle counts. Commands, one per line:
//   G dm dn dk                       geometry the vectors were generated for
//   W ab bank addr hex64             buffer write (ab: 0 = A, 1 = B), one cycle
//   J m n k wbits abits ws as aoff boff   queue a job (ids count up from 0)
//   R                                run the queued jobs back to back until all are done
//   C cycles                         first job of the batch: handshake..done cycles
//   S cycles                         whole batch: first handshake..last done cycles
//   E job slot elem hex32            expected result element
//   O job ovf                        expected overflow flag
//   Q                                end
// Prints "icarus: N passed, M failed" last. Plusarg +vectors=FILE.
`timescale 1ns/1ps
module tb_core_icarus;
  localparam int DM = 8, DN = 8, DK = 64;
  localparam int MAXQ = 16;

  logic        clk, rst_n;
  logic        job_valid, job_ready;
  logic [12:0] job_m, job_n;
  logic [11:0] job_k;
  logic [4:0]  job_wbits, job_abits;
  logic        job_ws, job_as;
  logic [9:0]  job_aoff;
  logic [10:0] job_boff;
  logic [15:0] job_id;
  logic        abuf_we, bbuf_we;
  logic [2:0]  abuf_bank, bbuf_bank;
  logic [9:0]  abuf_addr;
  logic [10:0] bbuf_addr;
  logic [63:0] abuf_wdata, bbuf_wdata;
  logic [7:0]  rd_slot;
  logic [5:0]  rd_elem;
  logic [31:0] rd_data;
  logic        rd_ovf, done, done_ovf, idle, evt_compute, evt_job_start;
  logic [15:0] done_id, pass_id;

  bc_core_top #(.RES_TILES(256)) dut (
    .clk_i(clk), .rst_ni(rst_n),
    .job_valid_i(job_valid), .job_ready_o(job_ready), .job_m_i(job_m), .job_n_i(job_n),
    .job_k_i(job_k), .job_wbits_i(job_wbits), .job_abits_i(job_abits),
    .job_wsigned_i(job_ws), .job_asigned_i(job_as), .job_a_off_i(job_aoff),
    .job_b_off_i(job_boff), .job_id_i(job_id),
    .abuf_we_i(abuf_we), .abuf_bank_i(abuf_bank), .abuf_addr_i(abuf_addr), .abuf_wdata_i(abuf_wdata),
    .bbuf_we_i(bbuf_we), .bbuf_bank_i(bbuf_bank), .bbuf_addr_i(bbuf_addr), .bbuf_wdata_i(bbuf_wdata),
    .res_stall_i(1'b0), .res_rd_slot_i(rd_slot), .res_rd_elem_i(rd_elem),
    .res_rd_data_o(rd_data), .res_rd_ovf_o(rd_ovf),
    .job_done_o(done), .job_done_id_o(done_id), .job_done_ovf_o(done_ovf), .idle_o(idle),
    .evt_compute_o(evt_compute), .evt_job_start_o(evt_job_start), .pass_job_id_o(pass_id),
    .pass_last_tile_o(), .pass_plane_i_o(), .pass_plane_j_o(), .pass_kc_o(), .pass_wbits_o(),
    .pass_abits_o(), .pass_wsigned_o(), .pass_asigned_o(),
    .cnt_busy_o(), .cnt_compute_o(), .cnt_stall_o(), .cnt_passes_o(), .cnt_dpu_active_o(),
    .cnt_abuf_rd_o(), .cnt_bbuf_rd_o(), .cnt_abuf_wr_o(), .cnt_bbuf_wr_o(), .cnt_tiles_o(),
    .cnt_jobs_o(), .cnt_switches_o()
  );

  integer fd, r, passed, failed, cycle, nq, head, first_job, next_job, i;
  integer q_m [0:MAXQ-1], q_n [0:MAXQ-1], q_k [0:MAXQ-1], q_w [0:MAXQ-1], q_a [0:MAXQ-1];
  integer q_ws [0:MAXQ-1], q_as [0:MAXQ-1], q_aoff [0:MAXQ-1], q_boff [0:MAXQ-1];
  integer acc_cyc [0:MAXQ-1], done_cyc [0:MAXQ-1], done_ovf_q [0:MAXQ-1];
  integer a1, a2, a3, a4, a5, a6, a7, a8, a9;
  reg [63:0] word;
  reg [31:0] val;
  reg [8*8-1:0] cmd;
  reg [8*256-1:0] path;

  task automatic check(input bit ok, input [8*64-1:0] what, input integer got, input integer want);
    if (ok) passed = passed + 1;
    else begin
      failed = failed + 1;
      $display("MISMATCH %0s: got %0d want %0d", what, got, want);
    end
  endtask

  // One clock: inputs are already driven; sample handshakes before the rising edge.
  task automatic clock;
    #1;
    if (job_valid && job_ready) begin
      acc_cyc[head] = cycle;
      head = head + 1;
    end
    if (done) begin
      done_cyc[done_id - first_job] = cycle;
      done_ovf_q[done_id - first_job] = done_ovf;
    end
    clk = 1'b1;
    #1;
    clk = 1'b0;
    cycle = cycle + 1;
    if (head < nq) begin
      job_valid = 1'b1;
      job_m = q_m[head][12:0];
      job_n = q_n[head][12:0];
      job_k = q_k[head][11:0];
      job_wbits = q_w[head][4:0];
      job_abits = q_a[head][4:0];
      job_ws = q_ws[head][0];
      job_as = q_as[head][0];
      job_aoff = q_aoff[head][9:0];
      job_boff = q_boff[head][10:0];
      job_id = 16'(first_job + head);
    end else begin
      job_valid = 1'b0;
    end
  endtask

  initial begin
    passed = 0; failed = 0; cycle = 0; nq = 0; head = 0; first_job = 0; next_job = 0;
    clk = 0; rst_n = 0; job_valid = 0; abuf_we = 0; bbuf_we = 0;
    job_m = 0; job_n = 0; job_k = 0; job_wbits = 0; job_abits = 0; job_ws = 0; job_as = 0;
    job_aoff = 0; job_boff = 0; job_id = 0; abuf_bank = 0; bbuf_bank = 0; abuf_addr = 0;
    bbuf_addr = 0; abuf_wdata = 0; bbuf_wdata = 0; rd_slot = 0; rd_elem = 0;
    if (!$value$plusargs("vectors=%s", path)) begin
      $display("icarus: +vectors=FILE is required");
      $finish;
    end
    fd = $fopen(path, "r");
    if (fd == 0) begin
      $display("icarus: cannot open vector file %0s", path);
      $display("icarus: 0 passed, 1 failed");
      $finish;
    end
    #1 clk = 1; #1 clk = 0; #1 clk = 1; #1 clk = 0;
    rst_n = 1;
    forever begin
      r = $fscanf(fd, "%s", cmd);
      if (r != 1) begin
        $display("MISMATCH vector file ended without Q");
        failed = failed + 1;
        cmd = "Q";
      end
      case (cmd[7:0])
        "G": begin
          r = $fscanf(fd, "%d %d %d", a1, a2, a3);
          check(a1 == DM && a2 == DN && a3 == DK, "geometry", a1, DM);
        end
        "W": begin
          r = $fscanf(fd, "%d %d %d %h", a1, a2, a3, word);
          if (a1 == 0) begin
            abuf_we = 1; abuf_bank = a2[2:0]; abuf_addr = a3[9:0]; abuf_wdata = word;
          end else begin
            bbuf_we = 1; bbuf_bank = a2[2:0]; bbuf_addr = a3[10:0]; bbuf_wdata = word;
          end
          clock();
          abuf_we = 0; bbuf_we = 0;
        end
        "J": begin
          r = $fscanf(fd, "%d %d %d %d %d %d %d %d %d", a1, a2, a3, a4, a5, a6, a7, a8, a9);
          q_m[nq] = a1; q_n[nq] = a2; q_k[nq] = a3; q_w[nq] = a4; q_a[nq] = a5;
          q_ws[nq] = a6; q_as[nq] = a7; q_aoff[nq] = a8; q_boff[nq] = a9;
          done_cyc[nq] = -1;
          nq = nq + 1;
        end
        "R": begin
          head = 0;
          first_job = next_job;
          job_valid = 1'b0;
          // Offer the first job on this cycle, then clock until every job is done.
          if (nq > 0) begin
            job_valid = 1'b1;
            job_m = q_m[0][12:0]; job_n = q_n[0][12:0]; job_k = q_k[0][11:0];
            job_wbits = q_w[0][4:0]; job_abits = q_a[0][4:0]; job_ws = q_ws[0][0];
            job_as = q_as[0][0]; job_aoff = q_aoff[0][9:0]; job_boff = q_boff[0][10:0];
            job_id = 16'(first_job);
          end
          i = 0;
          while ((done_cyc[nq-1] < 0 || !idle) && i < 200000) begin
            clock();
            i = i + 1;
          end
          check(i < 200000, "batch finished", i, 200000);
        end
        "C": begin
          r = $fscanf(fd, "%d", a1);
          check(done_cyc[0] - acc_cyc[0] + 1 == a1, "first job cycles", done_cyc[0] - acc_cyc[0] + 1, a1);
        end
        "S": begin
          r = $fscanf(fd, "%d", a1);
          check(done_cyc[nq-1] - acc_cyc[0] + 1 == a1, "batch cycles", done_cyc[nq-1] - acc_cyc[0] + 1, a1);
        end
        "E": begin
          r = $fscanf(fd, "%d %d %d %h", a1, a2, a3, val);
          rd_slot = a2[7:0];
          rd_elem = a3[5:0];
          #1;
          check(rd_data === val, "result element", rd_data, val);
        end
        "O": begin
          r = $fscanf(fd, "%d %d", a1, a2);
          check(done_ovf_q[a1 - first_job] == a2, "overflow flag", done_ovf_q[a1 - first_job], a2);
          if (a1 - first_job == nq - 1) begin
            next_job = first_job + nq;
            nq = 0;
          end
        end
        default: begin
          if (cmd[7:0] != "Q") begin
            $display("MISMATCH unknown vector command %0s", cmd);
            failed = failed + 1;
          end
          $display("icarus: %0d simulated cycles", cycle);
          $display("icarus: %0d passed, %0d failed", passed, failed);
          $fclose(fd);
          $finish;
        end
      endcase
    end
  end
endmodule
