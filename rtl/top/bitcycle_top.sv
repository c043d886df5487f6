// bitcycle_top: the bit-serial array as an FPGA block.
//   AXI4-Lite slave (32-bit, 4 KiB)  -> bc_axil_regs (map: rtl/regmap/bitcycle.regs)
//   command queue (QUEUE_DEPTH)      -> bc_cmd_queue, validated at pop (bc_job_check)
//   fetch engine + AXI4 read DMA     -> bc_fetch, bc_dma_rd (AXI_W-bit INCR bursts)
//   execute sequencer + array core   -> bc_exec, bc_array_core (rtl/core)
//   write-back + AXI4 write DMA      -> bc_wb (int32 C rows, WSTRB-masked)
// AXI_W (64, 128, 256 or 512) is the memory bus width: every engine moves one beat
// (AXI_W/64 bit-plane words) per cycle, and CFG_BUS reports it.
//   performance counters             -> bc_counters
//   irq_o: level, |(IRQ_STATUS & IRQ_ENABLE)
// Jobs carry a 3-bit sequence number through the engines; a job that fails
// (memory error response, or soft reset) is "poisoned": its remaining loads are
// skipped, its tiles run as single passes and its results are not written.
module bitcycle_top #(
  parameter int          DM          = 8,
  parameter int          DN          = 8,
  parameter int          DK          = 64,
  parameter int          MAX_BITS    = 16,
  parameter int          QUEUE_DEPTH = 4,
  parameter int          ACC_W       = 48,
  parameter int          MAX_M       = 4096,
  parameter int          MAX_N       = 4096,
  parameter int          MAX_K       = 2048,
  parameter int          ABUF_WORDS  = 1024,
  parameter int          BBUF_WORDS  = 2048,
  parameter logic [31:0] WIN_BASE    = 32'h0000_0000,
  parameter logic [31:0] WIN_SIZE    = 32'h1000_0000,
  parameter int          AXI_W       = 64,
  localparam int MAX_KC  = MAX_K / 64,
  localparam int WPB     = AXI_W / 64,   // bit-plane words per beat
  localparam int BB      = AXI_W / 8,    // bytes per beat
  localparam int WR_W    = $clog2(WPB + 1),
  localparam int AAW     = $clog2(ABUF_WORDS),
  localparam int BAW     = $clog2(BBUF_WORDS),
  localparam int ABANK_W = (DM > 1) ? $clog2(DM) : 1,
  localparam int BBANK_W = (DN > 1) ? $clog2(DN) : 1,
  localparam int KC_W    = $clog2(MAX_KC + 1),
  localparam int BITS_W  = $clog2(MAX_BITS + 1),
  localparam int ROWS_W  = $clog2(DM + 1),
  localparam int COLS_W  = $clog2(DN + 1),
  localparam int DPU_W   = $clog2(DM * DN + 1)
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  // AXI4-Lite slave: registers
  input  logic        s_axil_awvalid_i,
  output logic        s_axil_awready_o,
  input  logic [11:0] s_axil_awaddr_i,
  input  logic        s_axil_wvalid_i,
  output logic        s_axil_wready_o,
  input  logic [31:0] s_axil_wdata_i,
  input  logic [3:0]  s_axil_wstrb_i,
  output logic        s_axil_bvalid_o,
  input  logic        s_axil_bready_i,
  output logic [1:0]  s_axil_bresp_o,
  input  logic        s_axil_arvalid_i,
  output logic        s_axil_arready_o,
  input  logic [11:0] s_axil_araddr_i,
  output logic        s_axil_rvalid_o,
  input  logic        s_axil_rready_i,
  output logic [31:0] s_axil_rdata_o,
  output logic [1:0]  s_axil_rresp_o,
  // AXI4 master: memory (single ID, in order)
  output logic        m_axi_arvalid_o,
  input  logic        m_axi_arready_i,
  output logic [31:0] m_axi_araddr_o,
  output logic [7:0]  m_axi_arlen_o,
  output logic [2:0]  m_axi_arsize_o,
  output logic [1:0]  m_axi_arburst_o,
  input  logic        m_axi_rvalid_i,
  output logic        m_axi_rready_o,
  input  logic [AXI_W-1:0] m_axi_rdata_i,
  input  logic [1:0]  m_axi_rresp_i,
  input  logic        m_axi_rlast_i,
  output logic        m_axi_awvalid_o,
  input  logic        m_axi_awready_i,
  output logic [31:0] m_axi_awaddr_o,
  output logic [7:0]  m_axi_awlen_o,
  output logic [2:0]  m_axi_awsize_o,
  output logic [1:0]  m_axi_awburst_o,
  output logic        m_axi_wvalid_o,
  input  logic        m_axi_wready_i,
  output logic [AXI_W-1:0] m_axi_wdata_o,
  output logic [BB-1:0]    m_axi_wstrb_o,
  output logic        m_axi_wlast_o,
  input  logic        m_axi_bvalid_i,
  output logic        m_axi_bready_o,
  input  logic [1:0]  m_axi_bresp_i,
  // interrupt
  output logic        irq_o
);
  localparam int DW = bc_top_pkg::DESC_W;
  localparam int NE = bc_top_pkg::NERR;
  localparam int NC = bc_regs_pkg::N_COUNTERS;
  localparam int INC_W = 16;

  // ---------------------------------------------------------------- registers
  logic          push;
  logic [DW-1:0] push_desc;
  logic          q_full, q_empty, q_pop;
  logic [3:0]    queue_count;
  logic          soft_reset, cnt_freeze, cnt_clear;
  logic [4:0]    burst_len;
  logic          busy;
  logic [NE-1:0] err_valid;
  logic [NE*5-1:0]  err_code_v;
  logic [NE*32-1:0] err_job_v, err_addr_v;
  logic          job_done, result_overflow;
  logic [31:0]   done_id;
  logic [NC*64-1:0] cnt;
  logic [4:0]    err_code;

  bc_axil_regs #(
    .DM(DM), .DN(DN), .DK(DK), .MAX_BITS(MAX_BITS), .QUEUE_DEPTH(QUEUE_DEPTH), .ACC_W(ACC_W),
    .MAX_M(MAX_M), .MAX_N(MAX_N), .MAX_K(MAX_K), .ABUF_WORDS(ABUF_WORDS),
    .BBUF_WORDS(BBUF_WORDS), .WIN_BASE(WIN_BASE), .WIN_SIZE(WIN_SIZE), .AXI_W(AXI_W)
  ) u_regs (
    .clk_i, .rst_ni,
    .s_awvalid_i(s_axil_awvalid_i), .s_awready_o(s_axil_awready_o), .s_awaddr_i(s_axil_awaddr_i),
    .s_wvalid_i(s_axil_wvalid_i), .s_wready_o(s_axil_wready_o), .s_wdata_i(s_axil_wdata_i),
    .s_wstrb_i(s_axil_wstrb_i), .s_bvalid_o(s_axil_bvalid_o), .s_bready_i(s_axil_bready_i),
    .s_bresp_o(s_axil_bresp_o), .s_arvalid_i(s_axil_arvalid_i), .s_arready_o(s_axil_arready_o),
    .s_araddr_i(s_axil_araddr_i), .s_rvalid_o(s_axil_rvalid_o), .s_rready_i(s_axil_rready_i),
    .s_rdata_o(s_axil_rdata_o), .s_rresp_o(s_axil_rresp_o),
    .push_o(push), .push_desc_o(push_desc), .queue_full_i(q_full), .queue_count_i(queue_count),
    .soft_reset_o(soft_reset), .cnt_freeze_o(cnt_freeze), .cnt_clear_o(cnt_clear),
    .burst_len_o(burst_len), .busy_i(busy),
    .err_valid_i(err_valid), .err_code_i(err_code_v), .err_job_i(err_job_v),
    .err_addr_i(err_addr_v), .done_i(job_done), .done_id_i(done_id),
    .overflow_i(result_overflow), .cnt_i(cnt), .err_code_o(err_code), .irq_o(irq_o)
  );

  // ---------------------------------------------------------------- queue + validation
  logic [DW-1:0] q_head;
  bc_cmd_queue #(.DEPTH(QUEUE_DEPTH), .WIDTH(DW)) u_queue (
    .clk_i, .rst_ni, .flush_i(soft_reset), .push_i(push), .push_data_i(push_desc),
    .pop_i(q_pop), .head_o(q_head), .empty_o(q_empty), .full_o(q_full), .count_o(queue_count)
  );

  logic [4:0]  chk_err;
  logic [6:0]  chk_kc, chk_klast;
  logic [12:0] chk_panel;
  bc_job_check #(
    .DN(DN), .MAX_BITS(MAX_BITS), .MAX_M(MAX_M), .MAX_N(MAX_N), .MAX_K(MAX_K),
    .BBUF_WORDS(BBUF_WORDS), .WIN_BASE(WIN_BASE), .WIN_SIZE(WIN_SIZE)
  ) u_check (
    .desc_i(q_head), .err_o(chk_err), .kc_o(chk_kc), .klast_o(chk_klast), .panel_o(chk_panel)
  );

  // ---------------------------------------------------------------- fetch
  logic        bad, job_push, job_full;
  logic [4:0]  bad_code;
  logic [31:0] bad_id;
  logic [2:0]  job_seq;
  logic [6:0]  job_kc, job_klast;
  logic [12:0] job_panel;
  logic [1:0]  a_used_q, b_used_q, a_full_q;
  logic [12:0] b_tiles0_q, b_tiles1_q;  // column tiles of the panel already in B slot 0 / 1
  logic        a_claim, b_claim, a_claim_slot, b_claim_slot;
  logic [7:0]  poison_q;
  logic        req_valid, req_ready, req_is_b, req_slot, req_skip;
  logic [2:0]  req_seq;
  logic [12:0] req_rows;
  logic [9:0]  req_words;
  logic [15:0] req_base;
  logic [31:0] req_addr, req_ld;
  logic        fetch_busy;

  bc_fetch #(.DM(DM), .DN(DN), .ABUF_WORDS(ABUF_WORDS), .BBUF_WORDS(BBUF_WORDS)) u_fetch (
    .clk_i, .rst_ni, .flush_i(soft_reset),
    .q_empty_i(q_empty), .q_head_i(q_head), .q_pop_o(q_pop),
    .chk_err_i(chk_err), .chk_kc_i(chk_kc), .chk_klast_i(chk_klast), .chk_panel_i(chk_panel),
    .bad_o(bad), .bad_code_o(bad_code), .bad_id_o(bad_id),
    .job_full_i(job_full), .job_push_o(job_push), .job_seq_o(job_seq), .job_kc_o(job_kc),
    .job_klast_o(job_klast), .job_panel_o(job_panel),
    .a_used_i(a_used_q), .b_used_i(b_used_q), .a_claim_o(a_claim), .b_claim_o(b_claim),
    .a_slot_o(a_claim_slot), .b_slot_o(b_claim_slot), .poison_i(poison_q),
    .req_valid_o(req_valid), .req_ready_i(req_ready), .req_is_b_o(req_is_b),
    .req_slot_o(req_slot), .req_skip_o(req_skip), .req_seq_o(req_seq), .req_rows_o(req_rows),
    .req_words_o(req_words), .req_base_o(req_base), .req_addr_o(req_addr), .req_ld_o(req_ld),
    .busy_o(fetch_busy)
  );

  // ---------------------------------------------------------------- DMA read
  logic [WPB-1:0]     abuf_we, bbuf_we;
  logic [ABANK_W-1:0] abuf_bank;
  logic [BBANK_W-1:0] bbuf_bank;
  logic [AAW-1:0]     abuf_addr;
  logic [BAW-1:0]     bbuf_addr;
  logic [AXI_W-1:0]   buf_wdata;
  logic [WR_W-1:0]    rd_words;
  logic               fill_done, fill_is_b, fill_slot;
  logic               rd_err, rd_beat, dma_busy;
  logic [2:0]         rd_err_seq;
  logic [31:0]        rd_err_addr;

  bc_dma_rd #(
    .DM(DM), .DN(DN), .ABUF_WORDS(ABUF_WORDS), .BBUF_WORDS(BBUF_WORDS), .AXI_W(AXI_W)
  ) u_dma_rd (
    .clk_i, .rst_ni, .burst_len_i(burst_len),
    .req_valid_i(req_valid), .req_ready_o(req_ready), .req_is_b_i(req_is_b),
    .req_slot_i(req_slot), .req_skip_i(req_skip), .req_seq_i(req_seq), .req_rows_i(req_rows),
    .req_words_i(req_words), .req_base_i(req_base), .req_addr_i(req_addr), .req_ld_i(req_ld),
    .m_arvalid_o(m_axi_arvalid_o), .m_arready_i(m_axi_arready_i), .m_araddr_o(m_axi_araddr_o),
    .m_arlen_o(m_axi_arlen_o), .m_arsize_o(m_axi_arsize_o), .m_arburst_o(m_axi_arburst_o),
    .m_rvalid_i(m_axi_rvalid_i), .m_rready_o(m_axi_rready_o), .m_rdata_i(m_axi_rdata_i),
    .m_rresp_i(m_axi_rresp_i), .m_rlast_i(m_axi_rlast_i),
    .abuf_we_o(abuf_we), .abuf_bank_o(abuf_bank), .abuf_addr_o(abuf_addr),
    .bbuf_we_o(bbuf_we), .bbuf_bank_o(bbuf_bank), .bbuf_addr_o(bbuf_addr),
    .buf_wdata_o(buf_wdata),
    .fill_done_o(fill_done), .fill_is_b_o(fill_is_b), .fill_slot_o(fill_slot),
    .rd_err_o(rd_err), .rd_err_seq_o(rd_err_seq), .rd_err_addr_o(rd_err_addr),
    .busy_o(dma_busy), .beat_o(rd_beat), .words_o(rd_words)
  );

  // ---------------------------------------------------------------- execute
  logic              tile_valid /* verilator public_flat_rd */;
  logic              tile_first /* verilator public_flat_rd */;
  logic              tile_ready, tile_wsigned, tile_asigned;
  logic [AAW-1:0]    tile_a_base;
  logic [BAW-1:0]    tile_b_base;
  logic [KC_W-1:0]   tile_kc;
  logic [6:0]        tile_klast;
  logic [BITS_W-1:0] tile_wbits, tile_abits;
  logic [ROWS_W-1:0] tile_rows;
  logic [COLS_W-1:0] tile_cols;
  logic [31:0]       tile_tag;
  logic              td_push, td_full, td_last, td_rel_a, td_rel_b;
  logic [31:0]       td_c_addr, td_ldc, td_job_id;
  logic [2:0]        td_seq;
  logic [1:0]        seq_state;
  logic              exec_busy;

  bc_exec #(
    .DM(DM), .DN(DN), .MAX_BITS(MAX_BITS), .ABUF_WORDS(ABUF_WORDS), .BBUF_WORDS(BBUF_WORDS),
    .MAX_KC(MAX_KC)
  ) u_exec (
    .clk_i, .rst_ni,
    .job_push_i(job_push), .job_full_o(job_full),
    .job_m_i(q_head[bc_top_pkg::D_M +: 13]), .job_n_i(q_head[bc_top_pkg::D_N +: 13]),
    .job_kc_i(job_kc), .job_klast_i(job_klast),
    .job_wbits_i(q_head[bc_top_pkg::D_WBITS +: 5]), .job_abits_i(q_head[bc_top_pkg::D_ABITS +: 5]),
    .job_wsigned_i(q_head[bc_top_pkg::D_WSIGNED]), .job_asigned_i(q_head[bc_top_pkg::D_ASIGNED]),
    .job_wb16_i(q_head[bc_top_pkg::D_WB16]),
    .job_c_addr_i(q_head[bc_top_pkg::D_C_ADDR +: 32]), .job_ldc_i(q_head[bc_top_pkg::D_LDC +: 32]),
    .job_id_i(q_head[bc_top_pkg::D_ID +: 32]), .job_seq_i(job_seq), .job_panel_i(job_panel),
    .a_full_i(a_full_q), .b_tiles0_i(b_tiles0_q), .b_tiles1_i(b_tiles1_q), .poison_i(poison_q), .td_full_i(td_full),
    .tile_valid_o(tile_valid), .tile_ready_i(tile_ready), .tile_a_base_o(tile_a_base),
    .tile_b_base_o(tile_b_base), .tile_kc_o(tile_kc), .tile_klast_o(tile_klast),
    .tile_wbits_o(tile_wbits), .tile_abits_o(tile_abits), .tile_wsigned_o(tile_wsigned),
    .tile_asigned_o(tile_asigned), .tile_rows_o(tile_rows), .tile_cols_o(tile_cols),
    .tile_tag_o(tile_tag), .tile_first_o(tile_first),
    .td_push_o(td_push), .td_c_addr_o(td_c_addr), .td_ldc_o(td_ldc), .td_seq_o(td_seq),
    .td_job_id_o(td_job_id), .td_last_of_job_o(td_last), .td_rel_a_o(td_rel_a),
    .td_rel_b_o(td_rel_b), .state_o(seq_state), .busy_o(exec_busy)
  );

  // ---------------------------------------------------------------- array core
  logic                res_valid, res_ready, res_ovf;
  logic [DM*DN*32-1:0] res_data;
  logic                evt_busy, evt_compute, evt_stall;
  logic [WR_W-1:0]     evt_abuf_wr, evt_bbuf_wr;
  logic                evt_tile_done, evt_switch, evt_job_start;
  logic [DPU_W-1:0]    evt_dpu_active;
  logic [ROWS_W-1:0]   evt_abuf_rd;
  logic [COLS_W-1:0]   evt_bbuf_rd;
  logic [BITS_W-1:0]   pass_plane_i, pass_plane_j, pass_wbits, pass_abits;
  logic [KC_W-1:0]     pass_kc;
  logic                pass_wsigned, pass_asigned;
  logic [31:0]         pass_tag, res_tag;

  bc_array_core #(
    .DM(DM), .DN(DN), .DK(DK), .MAX_BITS(MAX_BITS), .ACC_W(ACC_W), .ABUF_WORDS(ABUF_WORDS),
    .BBUF_WORDS(BBUF_WORDS), .MAX_KC(MAX_KC), .TAG_W(32), .WPW(WPB)
  ) u_core (
    .clk_i, .rst_ni,
    .tile_valid_i(tile_valid), .tile_ready_o(tile_ready), .tile_a_base_i(tile_a_base),
    .tile_b_base_i(tile_b_base), .tile_kc_i(tile_kc), .tile_klast_i(tile_klast),
    .tile_wbits_i(tile_wbits), .tile_abits_i(tile_abits), .tile_wsigned_i(tile_wsigned),
    .tile_asigned_i(tile_asigned), .tile_rows_valid_i(tile_rows),
    .tile_cols_valid_i(tile_cols), .tile_tag_i(tile_tag), .tile_first_of_job_i(tile_first),
    .result_valid_o(res_valid), .result_ready_i(res_ready), .result_data_o(res_data),
    .result_overflow_o(res_ovf), .result_tag_o(res_tag),
    .abuf_we_i(abuf_we), .abuf_bank_i(abuf_bank), .abuf_addr_i(abuf_addr),
    .abuf_wdata_i(buf_wdata), .bbuf_we_i(bbuf_we), .bbuf_bank_i(bbuf_bank),
    .bbuf_addr_i(bbuf_addr), .bbuf_wdata_i(buf_wdata),
    .evt_busy_o(evt_busy), .evt_compute_o(evt_compute), .evt_stall_o(evt_stall),
    .evt_dpu_active_o(evt_dpu_active), .evt_abuf_rd_o(evt_abuf_rd), .evt_bbuf_rd_o(evt_bbuf_rd),
    .evt_abuf_wr_o(evt_abuf_wr), .evt_bbuf_wr_o(evt_bbuf_wr), .evt_tile_done_o(evt_tile_done),
    .evt_switch_o(evt_switch), .evt_job_start_o(evt_job_start),
    .pass_plane_i_o(pass_plane_i), .pass_plane_j_o(pass_plane_j), .pass_kc_o(pass_kc),
    .pass_wbits_o(pass_wbits), .pass_abits_o(pass_abits), .pass_wsigned_o(pass_wsigned),
    .pass_asigned_o(pass_asigned), .pass_tag_o(pass_tag)
  );

  // ---------------------------------------------------------------- write-back
  logic        rel_a, rel_b, wb_job_end, wr_err, wb_busy;
  logic [2:0]  done_seq, wr_err_seq;
  logic [31:0] wr_err_addr;
  logic [$clog2(BB+1)-1:0] wr_bytes;

  bc_wb #(.DM(DM), .DN(DN), .AXI_W(AXI_W)) u_wb (
    .clk_i, .rst_ni,
    .td_push_i(td_push), .td_full_o(td_full), .td_c_addr_i(td_c_addr), .td_ldc_i(td_ldc),
    .td_rows_i(tile_rows), .td_cols_i(tile_cols), .td_seq_i(td_seq), .td_job_id_i(td_job_id),
    .td_last_of_job_i(td_last), .td_rel_a_i(td_rel_a), .td_rel_b_i(td_rel_b),
    .res_valid_i(res_valid), .res_ready_o(res_ready), .res_data_i(res_data), .res_ovf_i(res_ovf),
    .poison_i(poison_q), .wb16_i(seq_wb16_q), .wb_shift_i(seq_wb_shift_q),
    .m_awvalid_o(m_axi_awvalid_o), .m_awready_i(m_axi_awready_i), .m_awaddr_o(m_axi_awaddr_o),
    .m_awlen_o(m_axi_awlen_o), .m_awsize_o(m_axi_awsize_o), .m_awburst_o(m_axi_awburst_o),
    .m_wvalid_o(m_axi_wvalid_o), .m_wready_i(m_axi_wready_i), .m_wdata_o(m_axi_wdata_o),
    .m_wstrb_o(m_axi_wstrb_o), .m_wlast_o(m_axi_wlast_o), .m_bvalid_i(m_axi_bvalid_i),
    .m_bready_o(m_axi_bready_o), .m_bresp_i(m_axi_bresp_i),
    .rel_a_o(rel_a), .rel_b_o(rel_b), .done_o(job_done), .done_id_o(done_id),
    .done_seq_o(done_seq), .job_end_o(wb_job_end), .overflow_o(result_overflow),
    .wr_err_o(wr_err), .wr_err_seq_o(wr_err_seq), .wr_err_addr_o(wr_err_addr),
    .wr_bytes_o(wr_bytes), .busy_o(wb_busy)
  );

  // ---------------------------------------------------------------- slots, poison, ids
  // A slot is 'full' for the sequencer from its fill until the sequencer issues the
  // last tile reading it (consumed), and 'used' (not refillable) until the write-back
  // engine releases it. Clearing 'full' only at release let a job two jobs later see
  // the stale fill of the same slot when a short job in between finished first.
  logic a_rel_slot_q, b_rel_slot_q, a_cons_slot_q, b_cons_slot_q;
  logic [31:0] seq_id_q [8];
  logic [7:0]  seq_wb16_q;        // write-back mode of each job sequence number
  logic [8*5-1:0] seq_wb_shift_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      a_used_q <= '0;
      b_used_q <= '0;
      a_full_q <= '0;
      b_tiles0_q <= '0;
      b_tiles1_q <= '0;
      a_rel_slot_q <= 1'b0;
      b_rel_slot_q <= 1'b0;
      a_cons_slot_q <= 1'b0;
      b_cons_slot_q <= 1'b0;
      poison_q <= '0;
    end else begin
      // claim (fetch) -> full (DMA) -> consumed (sequencer) -> release (write-back);
      // slots are used in turn. A slot is refilled only after its release, so a fill
      // never lands on a slot that is being consumed in the same cycle.
      if (a_claim) a_used_q[a_claim_slot] <= 1'b1;
      if (b_claim) b_used_q[b_claim_slot] <= 1'b1;
      if (fill_done && !fill_is_b) a_full_q[fill_slot] <= 1'b1;
      if (fill_done && fill_is_b && !fill_slot) b_tiles0_q <= b_tiles0_q + 13'd1;
      if (fill_done && fill_is_b && fill_slot) b_tiles1_q <= b_tiles1_q + 13'd1;
      if (td_push && td_rel_a) begin
        a_full_q[a_cons_slot_q] <= 1'b0;
        a_cons_slot_q <= !a_cons_slot_q;
      end
      if (td_push && td_rel_b) begin
        if (!b_cons_slot_q) b_tiles0_q <= '0;
        else b_tiles1_q <= '0;
        b_cons_slot_q <= !b_cons_slot_q;
      end
      if (rel_a) begin
        a_used_q[a_rel_slot_q] <= 1'b0;
        a_rel_slot_q <= !a_rel_slot_q;
      end
      if (rel_b) begin
        b_used_q[b_rel_slot_q] <= 1'b0;
        b_rel_slot_q <= !b_rel_slot_q;
      end
      // poison: set on a memory error or soft reset, cleared when a job takes the number
      if (rd_err) poison_q[rd_err_seq] <= 1'b1;
      if (wr_err) poison_q[wr_err_seq] <= 1'b1;
      if (soft_reset) poison_q <= '1;
      if (job_push) poison_q[job_seq] <= 1'b0;
    end
  end
  always_ff @(posedge clk_i) begin
    if (job_push) begin
      seq_id_q[job_seq] <= q_head[bc_top_pkg::D_ID +: 32];
      seq_wb16_q[job_seq] <= q_head[bc_top_pkg::D_WB16];
      seq_wb_shift_q[32'(job_seq) * 5 +: 5] <= q_head[bc_top_pkg::D_WB_SHIFT +: 5];
    end
  end

  // errors: 0 descriptor, 1 read response, 2 write response (first error of a job only)
  assign err_valid[0] = bad;
  assign err_code_v[0 +: 5] = bad_code;
  assign err_job_v[0 +: 32] = bad_id;
  assign err_addr_v[0 +: 32] = '0;
  assign err_valid[1] = rd_err && !poison_q[rd_err_seq];
  assign err_code_v[5 +: 5] = bc_regs_pkg::ERR_BUS_READ;
  assign err_job_v[32 +: 32] = seq_id_q[rd_err_seq];
  assign err_addr_v[32 +: 32] = rd_err_addr;
  assign err_valid[2] = wr_err && !poison_q[wr_err_seq];
  assign err_code_v[10 +: 5] = bc_regs_pkg::ERR_BUS_WRITE;
  assign err_job_v[64 +: 32] = seq_id_q[wr_err_seq];
  assign err_addr_v[64 +: 32] = wr_err_addr;

  assign busy = !q_empty || fetch_busy || dma_busy || exec_busy || evt_busy || wb_busy;

  // ---------------------------------------------------------------- counters
  logic [NC*INC_W-1:0] inc;
  always_comb begin
    inc = '0;
    inc[bc_regs_pkg::C_CNT_BUSY*INC_W +: INC_W] = INC_W'(busy);
    inc[bc_regs_pkg::C_CNT_COMPUTE*INC_W +: INC_W] = INC_W'(evt_compute);
    inc[bc_regs_pkg::C_CNT_STALL*INC_W +: INC_W] = INC_W'(busy && !evt_compute);
    inc[bc_regs_pkg::C_CNT_PASSES*INC_W +: INC_W] = INC_W'(evt_compute && pass_kc == '0);
    inc[bc_regs_pkg::C_CNT_DPU_ACTIVE*INC_W +: INC_W] = INC_W'(evt_dpu_active);
    inc[bc_regs_pkg::C_CNT_ABUF_READS*INC_W +: INC_W] = INC_W'(evt_abuf_rd);
    inc[bc_regs_pkg::C_CNT_BBUF_READS*INC_W +: INC_W] = INC_W'(evt_bbuf_rd);
    inc[bc_regs_pkg::C_CNT_ABUF_WRITES*INC_W +: INC_W] = INC_W'(evt_abuf_wr);
    inc[bc_regs_pkg::C_CNT_BBUF_WRITES*INC_W +: INC_W] = INC_W'(evt_bbuf_wr);
    inc[bc_regs_pkg::C_CNT_TILES*INC_W +: INC_W] = INC_W'(evt_tile_done);
    inc[bc_regs_pkg::C_CNT_JOBS*INC_W +: INC_W] = INC_W'(job_done);
    inc[bc_regs_pkg::C_CNT_SWITCHES*INC_W +: INC_W] = INC_W'(evt_switch);
    inc[bc_regs_pkg::C_CNT_DRAM_RD_BYTES*INC_W +: INC_W] = rd_beat ? INC_W'(BB) : '0;
    inc[bc_regs_pkg::C_CNT_DRAM_WR_BYTES*INC_W +: INC_W] = INC_W'(wr_bytes);
  end

  bc_counters #(.N(NC), .INC_W(INC_W)) u_counters (
    .clk_i, .rst_ni, .freeze_i(cnt_freeze), .clear_i(cnt_clear), .inc_i(inc), .cnt_o(cnt)
  );

  // ---------------------------------------------------------------- named waveform signals
  // public_flat_rd: the simulator library reads these for trace triggers and checks.
  logic [31:0]       exec_job_id;
  logic [BITS_W-1:0] exec_wbits /* verilator public_flat_rd */;
  logic [BITS_W-1:0] exec_abits /* verilator public_flat_rd */;
  logic [BITS_W-1:0] exec_plane_i, exec_plane_j;
  logic              exec_wsigned /* verilator public_flat_rd */;
  logic              exec_asigned /* verilator public_flat_rd */;
  logic              exec_compute /* verilator public_flat_rd */;
  logic              exec_job_start /* verilator public_flat_rd */;
  logic [KC_W-1:0]   exec_kc;
  logic              mem_stall;
  assign exec_job_id = pass_tag;
  assign exec_wbits = pass_wbits;
  assign exec_abits = pass_abits;
  assign exec_wsigned = pass_wsigned;
  assign exec_asigned = pass_asigned;
  assign exec_compute = evt_compute;
  assign exec_job_start = evt_job_start;
  assign exec_plane_i = pass_plane_i;
  assign exec_plane_j = pass_plane_j;
  assign exec_kc = pass_kc;
  assign mem_stall = (m_axi_arvalid_o && !m_axi_arready_i) ||
                     (m_axi_awvalid_o && !m_axi_awready_i) ||
                     (m_axi_wvalid_o && !m_axi_wready_i) ||
                     (seq_state == 2'd2 && dma_busy && !m_axi_rvalid_i);  // compute waits on reads

  // Kept for waveforms / future use; not needed by the logic.
  logic unused_sigs;
  assign unused_sigs = ^{res_tag, evt_stall, done_seq, wb_job_end, exec_job_id, exec_wbits,
                         exec_abits, exec_wsigned, exec_asigned, exec_compute, exec_job_start,
                         exec_plane_i, exec_plane_j, exec_kc, seq_state, mem_stall, err_code,
                         rd_words};
endmodule
