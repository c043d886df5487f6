// bc_core_top: the issue-2 harness top around the array core. It adds the GEMM
// sequencer, a result buffer the testbench can read, and the hardware performance
// counters. bitcycle_top (rtl/top/) wraps bc_array_core differently (AXI, DMA, queue);
// this top exists so the core can be regressed on its own.
//
// Result buffer: a ring of RES_TILES tile slots; result tiles are written in issue order
// to consecutive slots (wrapping), so job j's tiles start where job j-1's ended.
// res_rd_* is an asynchronous read port for the testbench (element r*DN+c of a slot).
// res_stall_i holds off result acceptance (to exercise the core's stall path).
// Counters (64-bit, cleared by reset):
//   busy      cycles with a job in the sequencer or work in the core
//   compute   cycles on which a bit-plane pass was issued
//   stall     cycles the core pipeline was frozen by a late result consumer
//   passes    bit-plane-pair passes (one per compute cycle: equal to compute here)
//   dpu_active sum over passes of active dot-product units (rows_valid*cols_valid)
//   abuf_rd / bbuf_rd  64-bit buffer words read;  abuf_wr / bbuf_wr  words written
//   tiles, jobs, switches  result tiles, completed jobs, precision switches
module bc_core_top #(
  parameter int DM         = 8,
  parameter int DN         = 8,
  parameter int DK         = 64,
  parameter int MAX_BITS   = 16,
  parameter int ACC_W      = 48,
  parameter int ABUF_WORDS = 1024,
  parameter int BBUF_WORDS = 2048,
  parameter int MAX_KC     = 32,
  parameter int RES_TILES  = 256,
  parameter int DIM_W      = 13,
  parameter int K_W        = 12,
  parameter int ID_W       = 16,
  parameter int AAW        = $clog2(ABUF_WORDS),     // derived
  parameter int BAW        = $clog2(BBUF_WORDS),     // derived
  parameter int ABANK_W    = (DM > 1) ? $clog2(DM) : 1, // derived
  parameter int BBANK_W    = (DN > 1) ? $clog2(DN) : 1, // derived
  parameter int BITS_W     = $clog2(MAX_BITS + 1),   // derived
  parameter int SLOT_W     = $clog2(RES_TILES),      // derived
  parameter int ELEM_W     = $clog2(DM * DN)         // derived
) (
  input  logic              clk_i,
  input  logic              rst_ni,

  input  logic              job_valid_i,
  output logic              job_ready_o,
  input  logic [DIM_W-1:0]  job_m_i,
  input  logic [DIM_W-1:0]  job_n_i,
  input  logic [K_W-1:0]    job_k_i,
  input  logic [BITS_W-1:0] job_wbits_i,
  input  logic [BITS_W-1:0] job_abits_i,
  input  logic              job_wsigned_i,
  input  logic              job_asigned_i,
  input  logic [AAW-1:0]    job_a_off_i,
  input  logic [BAW-1:0]    job_b_off_i,
  input  logic [ID_W-1:0]   job_id_i,

  input  logic              abuf_we_i,
  input  logic [ABANK_W-1:0] abuf_bank_i,
  input  logic [AAW-1:0]    abuf_addr_i,
  input  logic [DK-1:0]     abuf_wdata_i,
  input  logic              bbuf_we_i,
  input  logic [BBANK_W-1:0] bbuf_bank_i,
  input  logic [BAW-1:0]    bbuf_addr_i,
  input  logic [DK-1:0]     bbuf_wdata_i,

  input  logic              res_stall_i,
  input  logic [SLOT_W-1:0] res_rd_slot_i,
  input  logic [ELEM_W-1:0] res_rd_elem_i,
  output logic [31:0]       res_rd_data_o,
  output logic              res_rd_ovf_o,

  output logic              job_done_o,
  output logic [ID_W-1:0]   job_done_id_o,
  output logic              job_done_ovf_o,
  output logic              idle_o,

  output logic              evt_compute_o,
  output logic              evt_job_start_o,
  output logic [ID_W-1:0]   pass_job_id_o,
  output logic              pass_last_tile_o,
  output logic [BITS_W-1:0] pass_plane_i_o,
  output logic [BITS_W-1:0] pass_plane_j_o,
  output logic [$clog2(MAX_KC + 1)-1:0] pass_kc_o,
  output logic [BITS_W-1:0] pass_wbits_o,
  output logic [BITS_W-1:0] pass_abits_o,
  output logic              pass_wsigned_o,
  output logic              pass_asigned_o,

  output logic [63:0]       cnt_busy_o,
  output logic [63:0]       cnt_compute_o,
  output logic [63:0]       cnt_stall_o,
  output logic [63:0]       cnt_passes_o,
  output logic [63:0]       cnt_dpu_active_o,
  output logic [63:0]       cnt_abuf_rd_o,
  output logic [63:0]       cnt_bbuf_rd_o,
  output logic [63:0]       cnt_abuf_wr_o,
  output logic [63:0]       cnt_bbuf_wr_o,
  output logic [63:0]       cnt_tiles_o,
  output logic [63:0]       cnt_jobs_o,
  output logic [63:0]       cnt_switches_o
);
  localparam int TAG_W  = ID_W + 1;  // {last_of_job, job id}
  localparam int KC_W   = $clog2(MAX_KC + 1);
  localparam int KL_W   = $clog2(DK + 1);
  localparam int ROWS_W = $clog2(DM + 1);
  localparam int COLS_W = $clog2(DN + 1);
  localparam int DPU_W  = $clog2(DM * DN + 1);

  logic              tile_valid, tile_ready;
  logic [AAW-1:0]    tile_a_base;
  logic [BAW-1:0]    tile_b_base;
  logic [KC_W-1:0]   tile_kc;
  logic [KL_W-1:0]   tile_klast;
  logic [BITS_W-1:0] tile_wbits, tile_abits;
  logic              tile_wsigned, tile_asigned, tile_first, tile_last;
  logic [ROWS_W-1:0] tile_rows;
  logic [COLS_W-1:0] tile_cols;
  logic [ID_W-1:0]   tile_id;
  logic              seq_busy;

  bc_gemm_seq #(
    .DM(DM), .DN(DN), .DK(DK), .MAX_BITS(MAX_BITS), .ABUF_WORDS(ABUF_WORDS),
    .BBUF_WORDS(BBUF_WORDS), .MAX_KC(MAX_KC), .DIM_W(DIM_W), .K_W(K_W), .ID_W(ID_W)
  ) u_seq (
    .clk_i               (clk_i),
    .rst_ni              (rst_ni),
    .job_valid_i         (job_valid_i),
    .job_ready_o         (job_ready_o),
    .job_m_i             (job_m_i),
    .job_n_i             (job_n_i),
    .job_k_i             (job_k_i),
    .job_wbits_i         (job_wbits_i),
    .job_abits_i         (job_abits_i),
    .job_wsigned_i       (job_wsigned_i),
    .job_asigned_i       (job_asigned_i),
    .job_a_off_i         (job_a_off_i),
    .job_b_off_i         (job_b_off_i),
    .job_id_i            (job_id_i),
    .tile_valid_o        (tile_valid),
    .tile_ready_i        (tile_ready),
    .tile_a_base_o       (tile_a_base),
    .tile_b_base_o       (tile_b_base),
    .tile_kc_o           (tile_kc),
    .tile_klast_o        (tile_klast),
    .tile_wbits_o        (tile_wbits),
    .tile_abits_o        (tile_abits),
    .tile_wsigned_o      (tile_wsigned),
    .tile_asigned_o      (tile_asigned),
    .tile_rows_valid_o   (tile_rows),
    .tile_cols_valid_o   (tile_cols),
    .tile_first_of_job_o (tile_first),
    .tile_last_of_job_o  (tile_last),
    .tile_job_id_o       (tile_id),
    .busy_o              (seq_busy)
  );

  logic                 res_valid, res_ready, res_ovf;
  logic [DM*DN*32-1:0]  res_data;
  logic [TAG_W-1:0]     res_tag, pass_tag;
  logic                 e_busy, e_compute, e_stall, e_abuf_wr, e_bbuf_wr, e_tile, e_switch;
  logic                 e_job_start;
  logic [DPU_W-1:0]     e_dpu;
  logic [ROWS_W-1:0]    e_abuf_rd;
  logic [COLS_W-1:0]    e_bbuf_rd;

  bc_array_core #(
    .DM(DM), .DN(DN), .DK(DK), .MAX_BITS(MAX_BITS), .ACC_W(ACC_W), .ABUF_WORDS(ABUF_WORDS),
    .BBUF_WORDS(BBUF_WORDS), .MAX_KC(MAX_KC), .TAG_W(TAG_W)
  ) u_core (
    .clk_i               (clk_i),
    .rst_ni              (rst_ni),
    .tile_valid_i        (tile_valid),
    .tile_ready_o        (tile_ready),
    .tile_a_base_i       (tile_a_base),
    .tile_b_base_i       (tile_b_base),
    .tile_kc_i           (tile_kc),
    .tile_klast_i        (tile_klast),
    .tile_wbits_i        (tile_wbits),
    .tile_abits_i        (tile_abits),
    .tile_wsigned_i      (tile_wsigned),
    .tile_asigned_i      (tile_asigned),
    .tile_rows_valid_i   (tile_rows),
    .tile_cols_valid_i   (tile_cols),
    .tile_tag_i          ({tile_last, tile_id}),
    .tile_first_of_job_i (tile_first),
    .result_valid_o      (res_valid),
    .result_ready_i      (res_ready),
    .result_data_o       (res_data),
    .result_overflow_o   (res_ovf),
    .result_tag_o        (res_tag),
    .abuf_we_i           (abuf_we_i),
    .abuf_bank_i         (abuf_bank_i),
    .abuf_addr_i         (abuf_addr_i),
    .abuf_wdata_i        (abuf_wdata_i),
    .bbuf_we_i           (bbuf_we_i),
    .bbuf_bank_i         (bbuf_bank_i),
    .bbuf_addr_i         (bbuf_addr_i),
    .bbuf_wdata_i        (bbuf_wdata_i),
    .evt_busy_o          (e_busy),
    .evt_compute_o       (e_compute),
    .evt_stall_o         (e_stall),
    .evt_dpu_active_o    (e_dpu),
    .evt_abuf_rd_o       (e_abuf_rd),
    .evt_bbuf_rd_o       (e_bbuf_rd),
    .evt_abuf_wr_o       (e_abuf_wr),
    .evt_bbuf_wr_o       (e_bbuf_wr),
    .evt_tile_done_o     (e_tile),
    .evt_switch_o        (e_switch),
    .evt_job_start_o     (e_job_start),
    .pass_plane_i_o      (pass_plane_i_o),
    .pass_plane_j_o      (pass_plane_j_o),
    .pass_kc_o           (pass_kc_o),
    .pass_wbits_o        (pass_wbits_o),
    .pass_abits_o        (pass_abits_o),
    .pass_wsigned_o      (pass_wsigned_o),
    .pass_asigned_o      (pass_asigned_o),
    .pass_tag_o          (pass_tag)
  );

  // ---------------------------------------------------------------- result buffer
  logic [DM*DN*32-1:0] res_mem_q [0:RES_TILES-1];
  logic                res_ovf_q [0:RES_TILES-1];
  logic [SLOT_W-1:0]   wr_slot_q;
  logic                res_fire;

  assign res_ready = !res_stall_i;
  assign res_fire  = res_valid && res_ready;

  always_ff @(posedge clk_i) begin
    if (res_fire) begin
      res_mem_q[wr_slot_q] <= res_data;
      res_ovf_q[wr_slot_q] <= res_ovf;
    end
  end

  logic [DM*DN*32-1:0] rd_tile;
  assign rd_tile       = res_mem_q[res_rd_slot_i];
  assign res_rd_data_o = rd_tile[res_rd_elem_i*32 +: 32];
  assign res_rd_ovf_o  = res_ovf_q[res_rd_slot_i];

  // Job completion: sticky overflow over the job's tiles, done pulse after the last tile.
  logic            job_ovf_q, done_q, done_ovf_q;
  logic [ID_W-1:0] done_id_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      wr_slot_q <= '0;
      job_ovf_q <= 1'b0;
      done_q <= 1'b0;
      done_ovf_q <= 1'b0;
      done_id_q <= '0;
    end else begin
      done_q <= 1'b0;
      if (res_fire) begin
        wr_slot_q <= wr_slot_q + 1'b1;
        if (res_tag[ID_W]) begin
          done_q <= 1'b1;
          done_ovf_q <= job_ovf_q || res_ovf;
          done_id_q <= res_tag[ID_W-1:0];
          job_ovf_q <= 1'b0;
        end else begin
          job_ovf_q <= job_ovf_q || res_ovf;
        end
      end
    end
  end

  assign job_done_o     = done_q;
  assign job_done_id_o  = done_id_q;
  assign job_done_ovf_o = done_ovf_q;
  assign idle_o         = !seq_busy && !e_busy && !done_q;

  assign evt_compute_o   = e_compute;
  assign evt_job_start_o = e_job_start;
  assign pass_job_id_o   = pass_tag[ID_W-1:0];
  assign pass_last_tile_o = pass_tag[ID_W];

  // ---------------------------------------------------------------- counters
  logic [63:0] c_busy_q, c_compute_q, c_stall_q, c_dpu_q, c_ard_q, c_brd_q, c_awr_q, c_bwr_q;
  logic [63:0] c_tiles_q, c_jobs_q, c_switch_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      c_busy_q <= '0;
      c_compute_q <= '0;
      c_stall_q <= '0;
      c_dpu_q <= '0;
      c_ard_q <= '0;
      c_brd_q <= '0;
      c_awr_q <= '0;
      c_bwr_q <= '0;
      c_tiles_q <= '0;
      c_jobs_q <= '0;
      c_switch_q <= '0;
    end else begin
      c_busy_q <= c_busy_q + 64'(seq_busy || e_busy);
      c_compute_q <= c_compute_q + 64'(e_compute);
      c_stall_q <= c_stall_q + 64'(e_stall);
      c_dpu_q <= c_dpu_q + 64'(e_dpu);
      c_ard_q <= c_ard_q + 64'(e_abuf_rd);
      c_brd_q <= c_brd_q + 64'(e_bbuf_rd);
      c_awr_q <= c_awr_q + 64'(e_abuf_wr);
      c_bwr_q <= c_bwr_q + 64'(e_bbuf_wr);
      c_tiles_q <= c_tiles_q + 64'(e_tile);
      c_jobs_q <= c_jobs_q + 64'(done_q);
      c_switch_q <= c_switch_q + 64'(e_switch);
    end
  end

  assign cnt_busy_o       = c_busy_q;
  assign cnt_compute_o    = c_compute_q;
  assign cnt_stall_o      = c_stall_q;
  assign cnt_passes_o     = c_compute_q;
  assign cnt_dpu_active_o = c_dpu_q;
  assign cnt_abuf_rd_o    = c_ard_q;
  assign cnt_bbuf_rd_o    = c_brd_q;
  assign cnt_abuf_wr_o    = c_awr_q;
  assign cnt_bbuf_wr_o    = c_bwr_q;
  assign cnt_tiles_o      = c_tiles_q;
  assign cnt_jobs_o       = c_jobs_q;
  assign cnt_switches_o   = c_switch_q;
endmodule
