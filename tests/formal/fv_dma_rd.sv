// Formal wrapper of bc_dma_rd (the AXI4 read master). The load requests (from
// bc_fetch after bc_job_check) and the AXI4 read slave are modelled by
// assumptions; the master's obligations are asserted on its ports.
module fv_dma_rd #(
  parameter int DM              = 8,
  parameter int DN              = 8,
  parameter int ABUF_WORDS      = 1024,
  parameter int BBUF_WORDS      = 2048,
  parameter int MAX_OUTSTANDING = 8,
  localparam int AAW     = $clog2(ABUF_WORDS),
  localparam int BAW     = $clog2(BBUF_WORDS),
  localparam int ABANK_W = (DM > 1) ? $clog2(DM) : 1,
  localparam int BBANK_W = (DN > 1) ? $clog2(DN) : 1,
  // bytes per beat and AxSIZE: the read data bus is 64 bits
  localparam int BEAT_BYTES = 8,
  localparam int BEAT_SHIFT = $clog2(BEAT_BYTES),
  localparam int OW = $clog2(MAX_OUTSTANDING + 1)
) (
  input  logic        clk_i,
  input  logic        rst_ni,
  input  logic [4:0]  burst_len_i,
  input  logic        req_valid_i,
  input  logic        req_is_b_i,
  input  logic        req_slot_i,
  input  logic        req_skip_i,
  input  logic [2:0]  req_seq_i,
  input  logic [12:0] req_rows_i,
  input  logic [9:0]  req_words_i,
  input  logic [15:0] req_base_i,
  input  logic [31:0] req_addr_i,
  input  logic [31:0] req_ld_i,
  input  logic        m_arready_i,
  input  logic        m_rvalid_i,
  input  logic [63:0] m_rdata_i,
  input  logic [1:0]  m_rresp_i,
  input  logic        m_rlast_i
);
  logic req_ready_o, m_arvalid_o, m_rready_o;
  logic [31:0] m_araddr_o;
  logic [7:0] m_arlen_o;
  logic [2:0] m_arsize_o;
  logic [1:0] m_arburst_o;
  logic abuf_we_o, bbuf_we_o, fill_done_o, fill_is_b_o, fill_slot_o, rd_err_o, busy_o, beat_o;
  logic words_o; // 64-bit words written this cycle: one 64-bit beat is one word
  logic [ABANK_W-1:0] abuf_bank_o;
  logic [AAW-1:0] abuf_addr_o;
  logic [BBANK_W-1:0] bbuf_bank_o;
  logic [BAW-1:0] bbuf_addr_o;
  logic [63:0] buf_wdata_o;
  logic [2:0] rd_err_seq_o;
  logic [31:0] rd_err_addr_o;

  bc_dma_rd #(.DM(DM), .DN(DN), .ABUF_WORDS(ABUF_WORDS), .BBUF_WORDS(BBUF_WORDS),
              .MAX_OUTSTANDING(MAX_OUTSTANDING)) dut (.*);

  logic f_past_valid = 1'b0;
  always @(posedge clk_i) f_past_valid <= 1'b1;
  always @* begin
    if (!f_past_valid) assume (!rst_ni);
    else assume (rst_ni);
  end

  logic ar_hs, r_hs, push, push_fill;
  assign ar_hs = m_arvalid_o && m_arready_i;
  assign r_hs = m_rvalid_i && m_rready_o;
  assign push = req_valid_i && req_ready_o;
  assign push_fill = push && !req_skip_i;

  // ---------------- request assumptions (what bc_fetch and bc_job_check give) ----------------
  // a fill is at least one row of at least one word, rows fit a bank set,
  // addresses and strides are beat aligned; DMA_CFG changes only while idle
  always @* begin
    if (req_valid_i) begin
      assume (req_rows_i != 13'd0 && req_rows_i <= 13'(req_is_b_i ? DN : DM));
      assume (req_words_i != 10'd0 && req_words_i <= 10'd512);
      assume (req_addr_i[BEAT_SHIFT-1:0] == '0 && req_ld_i[BEAT_SHIFT-1:0] == '0);
    end
  end
  always @(posedge clk_i) begin
    if (f_past_valid && (busy_o || req_valid_i)) assume ($stable(burst_len_i));
  end

  // ---------------- AXI4 read slave model ----------------
  // Burst lengths of accepted read addresses, in order (single ID): the slave
  // answers each with exactly ARLEN+1 beats, RLAST on the last one.
  logic [8:0]    f_len [MAX_OUTSTANDING];
  logic [OW-1:0] f_outst;
  logic [$clog2(MAX_OUTSTANDING)-1:0] f_lwp, f_lrp;
  logic [8:0]    f_rbeat;
  initial begin f_outst = '0; f_lwp = '0; f_lrp = '0; f_rbeat = '0; end
  logic r_end;
  assign r_end = r_hs && m_rlast_i;
  always @(posedge clk_i) begin
    if (rst_ni) begin
      if (ar_hs) begin f_len[f_lwp] <= 9'(m_arlen_o) + 9'd1; f_lwp <= f_lwp + 1'b1; end
      if (r_end) f_lrp <= f_lrp + 1'b1;
      f_outst <= f_outst + OW'(ar_hs) - OW'(r_end);
      if (r_hs) f_rbeat <= m_rlast_i ? 9'd0 : f_rbeat + 9'd1;
    end
  end
  always @* begin
    if (m_rvalid_i) begin
      assume (f_outst != '0);
      assume (m_rlast_i == (f_rbeat + 9'd1 == f_len[f_lrp]));
    end
  end
  always @(posedge clk_i) begin
    if (f_past_valid && $past(rst_ni) && $past(m_rvalid_i && !m_rready_o))
      assume (m_rvalid_i && $stable(m_rdata_i) && $stable(m_rlast_i) && $stable(m_rresp_i));
  end

  // ---------------- reference walk of the address side ----------------
  // The fill being requested: row by row, each row split at the burst limit and at
  // every 4 KiB page, bursts as long as those two limits allow.
  logic        f_a_act;
  logic [12:0] f_a_rows, f_a_row;
  logic [9:0]  f_a_words, f_a_col;
  logic [31:0] f_a_ld, f_a_row_addr;
  initial begin f_a_act = 1'b0; f_a_rows = '0; f_a_row = '0; f_a_words = '0; f_a_col = '0;
                f_a_ld = '0; f_a_row_addr = '0; end
  logic [31:0] f_exp_addr;
  logic [9:0]  f_beats, f_row_left, f_to4k, f_blen;
  assign f_exp_addr = f_a_row_addr + {19'd0, f_a_col, 3'd0};
  assign f_beats = 10'(m_arlen_o) + 10'd1;
  assign f_row_left = f_a_words - f_a_col;
  assign f_to4k = 10'(4096 / BEAT_BYTES) - 10'(m_araddr_o[11:BEAT_SHIFT]);
  assign f_blen = (burst_len_i == 5'd0) ? 10'd1 : (burst_len_i > 5'd16 ? 10'd16 : 10'(burst_len_i));
  always @(posedge clk_i) begin
    if (rst_ni) begin
      if (push_fill) begin
        f_a_act <= 1'b1;
        f_a_rows <= req_rows_i;
        f_a_row <= '0;
        f_a_words <= req_words_i;
        f_a_col <= '0;
        f_a_ld <= req_ld_i;
        f_a_row_addr <= req_addr_i;
      end else if (ar_hs) begin
        if (f_a_col + f_beats == f_a_words) begin
          f_a_col <= '0;
          f_a_row <= f_a_row + 13'd1;
          f_a_row_addr <= f_a_row_addr + f_a_ld;
          if (f_a_row + 13'd1 == f_a_rows) f_a_act <= 1'b0;
        end else begin
          f_a_col <= f_a_col + f_beats;
        end
      end
    end
  end

  // ---------------- reference of the data side ----------------
  // Requests accepted and not yet filled (the engine holds two), with their beats.
  logic        f_q_skip [2];
  logic        f_q_is_b [2];
  logic        f_q_slot [2];
  logic [12:0] f_q_total [2];
  logic [1:0]  f_q_cnt;
  logic        f_q_wp, f_q_rp;
  logic [12:0] f_r_cnt;
  initial begin f_q_cnt = '0; f_q_wp = 1'b0; f_q_rp = 1'b0; f_r_cnt = '0; end
  logic        f_h_skip, f_h_is_b, f_h_slot;
  logic [12:0] f_h_total;
  assign f_h_skip = f_q_skip[f_q_rp];
  assign f_h_is_b = f_q_is_b[f_q_rp];
  assign f_h_slot = f_q_slot[f_q_rp];
  assign f_h_total = f_q_total[f_q_rp];
  always @(posedge clk_i) begin
    if (rst_ni) begin
      if (push) begin
        f_q_skip[f_q_wp] <= req_skip_i;
        f_q_is_b[f_q_wp] <= req_is_b_i;
        f_q_slot[f_q_wp] <= req_slot_i;
        f_q_total[f_q_wp] <= 13'(req_rows_i[3:0] * req_words_i);
        f_q_wp <= !f_q_wp;
      end
      if (fill_done_o) f_q_rp <= !f_q_rp;
      f_q_cnt <= f_q_cnt + 2'(push) - 2'(fill_done_o);
      if (fill_done_o) f_r_cnt <= '0;
      else if (r_hs) f_r_cnt <= f_r_cnt + 13'd1;
    end
  end

  // ---------------- master obligations ----------------
  always @(posedge clk_i) begin
    if (f_past_valid && $past(rst_ni) && $past(m_arvalid_o && !m_arready_i))
      ap_ar_stable: assert (m_arvalid_o && $stable(m_araddr_o) && $stable(m_arlen_o) &&
                            $stable(m_arsize_o) && $stable(m_arburst_o));
  end
  always @* begin
    if (f_past_valid && rst_ni) begin
      if (m_arvalid_o) begin
        ap_ar_incr: assert (m_arburst_o == 2'b01 && m_arsize_o == 3'(BEAT_SHIFT));
        ap_ar_len: assert (m_arlen_o < 8'd16 && f_beats <= f_blen);
        ap_ar_4k: assert (13'(m_araddr_o[11:0]) + 13'(f_beats * 10'(BEAT_BYTES)) <= 13'd4096);
        ap_ar_align: assert (m_araddr_o[BEAT_SHIFT-1:0] == '0);
        // the burst is the next piece of the fill's walk and no longer than needed
        ap_ar_walk: assert (f_a_act && m_araddr_o == f_exp_addr && f_beats <= f_row_left);
        ap_ar_longest: assert (f_beats == f_blen || f_beats == f_row_left || f_beats == f_to4k);
      end
      ap_outst: assert (32'(f_outst) <= MAX_OUTSTANDING);
      // a new request is taken only once the previous fill's bursts are all issued
      if (push) ap_push_idle: assert (!f_a_act && f_q_cnt != 2'd2);
      if (m_rready_o) ap_rready: assert (f_q_cnt != 2'd0 && !f_h_skip);
      // every fill ends on its last beat, which is the last beat of a burst (RLAST)
      if (fill_done_o)
        ap_fill_end: assert (f_q_cnt != 2'd0 && fill_is_b_o == f_h_is_b && fill_slot_o == f_h_slot &&
                             (f_h_skip ? !r_hs : (r_hs && f_r_cnt + 13'd1 == f_h_total && m_rlast_i)));
      if (r_hs && !fill_done_o) ap_fill_mid: assert (f_r_cnt + 13'd1 < f_h_total);
      if (rd_err_o) ap_rd_err: assert (r_hs && m_rresp_i[1]);
      // busy covers everything in flight (DMA_CFG may change only when it is low)
      if (f_a_act || f_q_cnt != 2'd0 || f_outst != '0) ap_busy: assert (busy_o);
    end
  end

  // ---------------- covers ----------------
  always @(posedge clk_i) begin
    if (f_past_valid && rst_ni) begin
      cv_ar_stall: cover ($past(m_arvalid_o && !m_arready_i) && m_arvalid_o);
    end
  end
  always @* begin
    if (f_past_valid && rst_ni) begin
      cv_ar_4k_clip: cover (ar_hs && f_beats == f_to4k && f_beats < f_blen && f_beats < f_row_left);
      cv_ar_row_clip: cover (ar_hs && f_beats == f_row_left && f_beats < f_blen && f_a_row != 13'd0);
      cv_ar_len16: cover (ar_hs && m_arlen_o == 8'd15);
      cv_outst_max: cover (32'(f_outst) == MAX_OUTSTANDING);
      cv_fill_bursts: cover (fill_done_o && r_hs && f_h_total > 13'(f_len[f_lrp]));  // over several bursts
      cv_fill_skip: cover (fill_done_o && f_h_skip);
      cv_two_reqs: cover (f_q_cnt == 2'd2);
      cv_rd_err: cover (rd_err_o);
      cv_push: cover (push_fill && f_q_cnt == 2'd1);
    end
  end
endmodule
