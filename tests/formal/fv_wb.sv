// Formal wrapper of bc_wb (the AXI4 write master). Tile descriptors and result
// tiles (from bc_exec and the array core) and the AXI4 write slave are modelled
// by assumptions; the master's obligations are asserted on its ports.
module fv_wb #(
  parameter int DM       = 8,
  parameter int DN       = 8,
  parameter int TD_DEPTH = 4,
  localparam int ROWS_W = $clog2(DM + 1),
  localparam int COLS_W = $clog2(DN + 1),
  localparam int DNP = DN + (DN % 2),
  // bytes per beat and AxSIZE: the write data bus is 64 bits
  localparam int BEAT_BYTES = 8,
  localparam int BEAT_SHIFT = $clog2(BEAT_BYTES),
  localparam int OB = 4
) (
  input  logic                clk_i,
  input  logic                rst_ni,
  input  logic                td_push_i,
  input  logic [31:0]         td_c_addr_i,
  input  logic [31:0]         td_ldc_i,
  input  logic [ROWS_W-1:0]   td_rows_i,
  input  logic [COLS_W-1:0]   td_cols_i,
  input  logic [2:0]          td_seq_i,
  input  logic [31:0]         td_job_id_i,
  input  logic                td_last_of_job_i,
  input  logic                td_rel_a_i,
  input  logic                td_rel_b_i,
  input  logic                res_valid_i,
  input  logic [DM*DN*32-1:0] res_data_i,
  input  logic                res_ovf_i,
  input  logic [7:0]          poison_i,
  input  logic [7:0]          wb16_i,       // free: int32 and int16 write-back alike
  input  logic [8*5-1:0]      wb_shift_i,
  input  logic                m_awready_i,
  input  logic                m_wready_i,
  input  logic                m_bvalid_i,
  input  logic [1:0]          m_bresp_i
);
  logic td_full_o, res_ready_o, m_awvalid_o, m_wvalid_o, m_wlast_o, m_bready_o;
  logic [31:0] m_awaddr_o;
  logic [7:0] m_awlen_o, m_wstrb_o;
  logic [2:0] m_awsize_o;
  logic [1:0] m_awburst_o;
  logic [63:0] m_wdata_o;
  logic rel_a_o, rel_b_o, done_o, job_end_o, overflow_o, wr_err_o, busy_o;
  logic [31:0] done_id_o, wr_err_addr_o;
  logic [2:0] done_seq_o, wr_err_seq_o;
  logic [3:0] wr_bytes_o;

  bc_wb #(.DM(DM), .DN(DN), .TD_DEPTH(TD_DEPTH)) dut (.*);

  logic f_past_valid = 1'b0;
  always @(posedge clk_i) f_past_valid <= 1'b1;
  always @* begin
    if (!f_past_valid) assume (!rst_ni);
    else assume (rst_ni);
  end

  logic aw_hs, w_hs, b_hs, wl_hs;
  assign aw_hs = m_awvalid_o && m_awready_i;
  assign w_hs = m_wvalid_o && m_wready_i;
  assign wl_hs = w_hs && m_wlast_o;
  logic [7:0] f_wstrb_low; // lowest set strobe bit
  assign f_wstrb_low = m_wstrb_o & (~m_wstrb_o + 8'd1);
  assign b_hs = m_bvalid_i && m_bready_o;

  // ---------------- tile assumptions (what bc_exec gives) ----------------
  // descriptors only when there is room, at least one row and column, C rows
  // beat aligned (even DN)
  always @* begin
    if (td_push_i) begin
      assume (!td_full_o);
      assume (td_rows_i != '0 && 32'(td_rows_i) <= DM && td_cols_i != '0 && 32'(td_cols_i) <= DN);
      assume (td_c_addr_i[BEAT_SHIFT-1:0] == '0 && td_ldc_i[BEAT_SHIFT-1:0] == '0);
    end
  end

  // ---------------- AXI4 write slave model ----------------
  // A response only for a burst whose address and last data beat were both accepted.
  logic [3:0] f_aw_nb, f_wl_nb;   // AW / WLAST handshakes not yet answered
  initial begin f_aw_nb = '0; f_wl_nb = '0; end
  always @(posedge clk_i) begin
    if (rst_ni) begin
      f_aw_nb <= f_aw_nb + 4'(aw_hs) - 4'(b_hs);
      f_wl_nb <= f_wl_nb + 4'(wl_hs) - 4'(b_hs);
    end
  end
  always @* if (m_bvalid_i) assume (f_aw_nb != '0 && f_wl_nb != '0);

  // ---------------- burst reference: which W beat belongs to which AW ----------------
  logic       f_aw_pend;        // an AW accepted whose W burst is not complete
  logic [8:0] f_aw_pend_len;
  logic       f_w_ahead;        // a W burst complete whose AW is still being offered
  logic [8:0] f_wbeat;
  initial begin f_aw_pend = 1'b0; f_aw_pend_len = '0; f_w_ahead = 1'b0; f_wbeat = '0; end
  logic [8:0] f_beats, f_cur_len;
  assign f_beats = 9'(m_awlen_o) + 9'd1;
  assign f_cur_len = f_aw_pend ? f_aw_pend_len : f_beats;
  always @(posedge clk_i) begin
    if (rst_ni) begin
      if (w_hs) f_wbeat <= m_wlast_o ? 9'd0 : f_wbeat + 9'd1;
      if (aw_hs) begin
        if (f_w_ahead) f_w_ahead <= 1'b0;
        else if (!wl_hs) begin f_aw_pend <= 1'b1; f_aw_pend_len <= f_beats; end
      end else if (wl_hs) begin
        if (f_aw_pend) f_aw_pend <= 1'b0;
        else f_w_ahead <= 1'b1;
      end
    end
  end

  // ---------------- master obligations ----------------
  always @(posedge clk_i) begin
    if (f_past_valid && $past(rst_ni)) begin
      if ($past(m_awvalid_o && !m_awready_i))
        ap_aw_stable: assert (m_awvalid_o && $stable(m_awaddr_o) && $stable(m_awlen_o) &&
                              $stable(m_awsize_o) && $stable(m_awburst_o));
      if ($past(m_wvalid_o && !m_wready_i))
        ap_w_stable: assert (m_wvalid_o && $stable(m_wdata_o) && $stable(m_wstrb_o) && $stable(m_wlast_o));
    end
  end
  always @* begin
    if (f_past_valid && rst_ni) begin
      if (m_awvalid_o) begin
        ap_aw_incr: assert (m_awburst_o == 2'b01 && m_awsize_o == 3'(BEAT_SHIFT));
        // one burst is one C row segment: at most the row's beats, within 16
        ap_aw_len: assert (m_awlen_o < 8'd16 && 32'(f_beats) <= DNP / 2);
        ap_aw_4k: assert (13'(m_awaddr_o[11:0]) + 13'(f_beats * 9'(BEAT_BYTES)) <= 13'd4096);
        ap_aw_align: assert (m_awaddr_o[BEAT_SHIFT-1:0] == '0);
        ap_aw_one: assert (!f_aw_pend);
      end
      if (m_wvalid_o) begin
        // W beats belong to the AW accepted last or to the one being offered
        ap_w_owner: assert (!f_w_ahead && (f_aw_pend || m_awvalid_o));
        ap_wlast: assert (m_wlast_o == (f_wbeat + 9'd1 == f_cur_len));
        // byte enables: one contiguous, non-empty run of C bytes (int32 or int16
        // elements, rows starting anywhere in the beat)
        ap_wstrb: assert (m_wstrb_o != '0 && (((m_wstrb_o + f_wstrb_low) & m_wstrb_o) == '0));
      end
      ap_ob: assert (f_aw_nb <= 4'(OB));
      // a job is reported only once every write response is back
      if (done_o || job_end_o) ap_done_resp: assert (f_aw_nb == '0 && !f_aw_pend && !m_awvalid_o);
      if (wr_err_o) ap_wr_err: assert (b_hs && m_bresp_i[1]);
      if (f_aw_nb != '0 || f_aw_pend || f_w_ahead || m_awvalid_o || m_wvalid_o) ap_busy: assert (busy_o);
    end
  end

  // ---------------- covers ----------------
  always @(posedge clk_i) begin
    if (f_past_valid && rst_ni) begin
      cv_aw_stall: cover ($past(m_awvalid_o && !m_awready_i) && m_awvalid_o);
      cv_w_stall: cover ($past(m_wvalid_o && !m_wready_i) && m_wvalid_o);
    end
  end
  always @* begin
    if (f_past_valid && rst_ni) begin
      cv_aw_4k_end: cover (aw_hs && 13'(m_awaddr_o[11:0]) + 13'(f_beats * 9'(BEAT_BYTES)) == 13'd4096 &&
                           32'(f_beats) < DNP / 2);
      cv_aw_page_start: cover (aw_hs && m_awaddr_o[11:0] == 12'd0);
      cv_w_first: cover (wl_hs && !f_aw_pend && !aw_hs);
      cv_wlast_long: cover (wl_hs && f_cur_len == 9'(DNP / 2));
      cv_wstrb_half: cover (w_hs && m_wstrb_o == 8'h0f);
      cv_ob_max: cover (f_aw_nb == 4'(OB));
      cv_done: cover (done_o);
      cv_poisoned_end: cover (job_end_o && !done_o);
      cv_wr_err: cover (wr_err_o);
    end
  end
endmodule
