// Formal wrapper of bc_axil_regs: the AXI4-Lite master is modelled by
// assumptions on the inputs, the slave's obligations are asserted on its ports.
// Every input is free (top-level inputs of the formal build); the properties
// are compiled into this build, never bound or referenced hierarchically.
module fv_axil_regs #(
  parameter int DM          = 8,
  parameter int DN          = 8,
  parameter int DK          = 64,
  parameter int MAX_BITS    = 16,
  parameter int QUEUE_DEPTH = 4,
  parameter int ACC_W       = 48,
  localparam int NC = bc_regs_pkg::N_COUNTERS,
  localparam int NE = bc_top_pkg::NERR,
  localparam int DW = bc_top_pkg::DESC_W
) (
  input  logic             clk_i,
  input  logic             rst_ni,
  input  logic             s_awvalid_i,
  input  logic [11:0]      s_awaddr_i,
  input  logic             s_wvalid_i,
  input  logic [31:0]      s_wdata_i,
  input  logic [3:0]       s_wstrb_i,
  input  logic             s_bready_i,
  input  logic             s_arvalid_i,
  input  logic [11:0]      s_araddr_i,
  input  logic             s_rready_i,
  input  logic             queue_full_i,
  input  logic [3:0]       queue_count_i,
  input  logic             busy_i,
  input  logic [NE-1:0]    err_valid_i,
  input  logic [NE*5-1:0]  err_code_i,
  input  logic [NE*32-1:0] err_job_i,
  input  logic [NE*32-1:0] err_addr_i,
  input  logic             done_i,
  input  logic [31:0]      done_id_i,
  input  logic             overflow_i,
  input  logic [NC*64-1:0] cnt_i
);
  localparam logic [1:0] OKAY = 2'b00, SLVERR = 2'b10;

  logic s_awready_o, s_wready_o, s_bvalid_o, s_arready_o, s_rvalid_o;
  logic [1:0] s_bresp_o, s_rresp_o;
  logic [31:0] s_rdata_o;
  logic push_o, soft_reset_o, cnt_freeze_o, cnt_clear_o, irq_o;
  logic [DW-1:0] push_desc_o;
  logic [4:0] burst_len_o, err_code_o;

  bc_axil_regs #(.DM(DM), .DN(DN), .DK(DK), .MAX_BITS(MAX_BITS), .QUEUE_DEPTH(QUEUE_DEPTH),
                 .ACC_W(ACC_W)) dut (.*);

  // ---------------- reset: low in the first cycle only ----------------
  logic f_past_valid = 1'b0;
  always @(posedge clk_i) f_past_valid <= 1'b1;
  always @* begin
    if (!f_past_valid) assume (!rst_ni);
    else assume (rst_ni);
  end

  // ---------------- master assumptions (AXI4-Lite source rules) ----------------
  always @(posedge clk_i) begin
    if (f_past_valid && $past(rst_ni)) begin
      if ($past(s_awvalid_i && !s_awready_o)) assume (s_awvalid_i && $stable(s_awaddr_i));
      if ($past(s_wvalid_i && !s_wready_o))
        assume (s_wvalid_i && $stable(s_wdata_i) && $stable(s_wstrb_i));
      if ($past(s_arvalid_i && !s_arready_o)) assume (s_arvalid_i && $stable(s_araddr_i));
    end
  end

  logic aw_hs, w_hs, b_hs, ar_hs, r_hs;
  assign aw_hs = s_awvalid_i && s_awready_o;
  assign w_hs  = s_wvalid_i && s_wready_o;
  assign b_hs  = s_bvalid_o && s_bready_i;
  assign ar_hs = s_arvalid_i && s_arready_o;
  assign r_hs  = s_rvalid_o && s_rready_i;

  // ---------------- outstanding requests ----------------
  // Requests accepted and not yet answered; AW and W entries are kept in two-deep
  // queues (the bound below is asserted) so each response is matched with its request.
  logic [1:0]  f_aw_out, f_w_out, f_ar_out;
  logic        f_aw_wp, f_w_wp, f_b_rp;
  logic [11:0] f_aw_addr [2];
  logic [31:0] f_w_data [2];
  logic [3:0]  f_w_strb [2];
  initial begin
    f_aw_out = '0; f_w_out = '0; f_ar_out = '0;
    f_aw_wp = 1'b0; f_w_wp = 1'b0; f_b_rp = 1'b0;
  end
  always @(posedge clk_i) begin
    if (rst_ni) begin
      f_aw_out <= f_aw_out + 2'(aw_hs) - 2'(b_hs);
      f_w_out  <= f_w_out + 2'(w_hs) - 2'(b_hs);
      f_ar_out <= f_ar_out + 2'(ar_hs) - 2'(r_hs);
      if (aw_hs) begin f_aw_addr[f_aw_wp] <= s_awaddr_i; f_aw_wp <= !f_aw_wp; end
      if (w_hs) begin f_w_data[f_w_wp] <= s_wdata_i; f_w_strb[f_w_wp] <= s_wstrb_i; f_w_wp <= !f_w_wp; end
      if (b_hs) f_b_rp <= !f_b_rp;
    end
  end
  logic [11:0] h_addr;
  logic [31:0] h_data;
  logic [3:0]  h_strb;
  assign h_addr = f_aw_addr[f_b_rp];
  assign h_data = f_w_data[f_b_rp];
  assign h_strb = f_w_strb[f_b_rp];

  // A write is carried out in the cycle before its response appears.
  logic new_b, f_bvalid_q;
  initial f_bvalid_q = 1'b0;
  always @(posedge clk_i) f_bvalid_q <= s_bvalid_o;
  assign new_b = s_bvalid_o && !f_bvalid_q;

  // ---------------- read-back of one register bit, chosen freely ----------------
  // Any bit of any one of the plain 32-bit job staging registers: it must read what
  // the last full-strobe write stored; partial-strobe writes and writes elsewhere
  // leave it. One free bit instead of the whole word keeps the state small for PDR;
  // as the bit is arbitrary the result holds for every bit.
  (* anyconst *) logic [11:0] f_reg;
  (* anyconst *) logic [4:0]  f_bit;
  always @* assume (f_reg[1:0] == 2'b00 && f_reg >= bc_regs_pkg::R_JOB_A_ADDR &&
                    f_reg <= bc_regs_pkg::R_JOB_ID && f_reg != bc_regs_pkg::R_JOB_PREC);
  logic f_shadow, f_reg_now, f_rd_exp, f_rd_is_reg, h_hits_reg;
  assign h_hits_reg = h_addr == f_reg && h_strb == 4'hf;
  assign f_reg_now = (new_b && h_hits_reg) ? h_data[f_bit] : f_shadow;
  initial begin f_shadow = 1'b0; f_rd_is_reg = 1'b0; f_rd_exp = 1'b0; end
  always @(posedge clk_i) begin
    if (rst_ni) begin
      f_shadow <= f_reg_now;
      if (ar_hs) begin
        f_rd_is_reg <= s_araddr_i == f_reg;
        f_rd_exp <= f_reg_now;
      end
    end
  end

  // ---------------- slave obligations ----------------
  always @(posedge clk_i) begin
    if (f_past_valid && $past(rst_ni)) begin
      // handshake stability: VALID held until READY, payload unchanged meanwhile
      if ($past(s_bvalid_o && !s_bready_i)) ap_b_stable: assert (s_bvalid_o && $stable(s_bresp_o));
      if ($past(s_rvalid_o && !s_rready_i))
        ap_r_stable: assert (s_rvalid_o && $stable(s_rresp_o) && $stable(s_rdata_o));
      // a complete write request is answered in the next cycle, a read with its acceptance
      if ($past(f_aw_out != 2'd0 && f_w_out != 2'd0 && !s_bvalid_o)) ap_b_latency: assert (s_bvalid_o);
    end
  end

  always @* begin
    if (f_past_valid && rst_ni) begin
      // exactly one response per request: none without a request, at most one in flight
      if (s_bvalid_o) ap_b_has_req: assert (f_aw_out != 2'd0 && f_w_out != 2'd0);
      ap_r_one: assert (f_ar_out == 2'(s_rvalid_o));
      // bounded outstanding requests (the slave stalls READY beyond these)
      ap_aw_bound: assert (f_aw_out <= 2'd2);
      ap_w_bound: assert (f_w_out <= 2'd2);
      // legal responses: OKAY or SLVERR, never EXOKAY on AXI4-Lite, no DECERR
      if (s_bvalid_o) ap_bresp_legal: assert (s_bresp_o == OKAY || s_bresp_o == SLVERR);
      if (s_rvalid_o) ap_rresp_legal: assert (s_rresp_o == OKAY || s_rresp_o == SLVERR);
      // partial strobes: refused with SLVERR and without side effects
      if (s_bvalid_o && h_strb != 4'hf) ap_partial_slverr: assert (s_bresp_o == SLVERR);
      if (s_bvalid_o && h_hits_reg) ap_full_okay: assert (s_bresp_o == OKAY);
      if (s_rvalid_o && f_rd_is_reg) ap_readback: assert (s_rresp_o == OKAY && s_rdata_o[f_bit] == f_rd_exp);
      // side effects come only from a full-strobe write to their register; the write
      // being carried out is the oldest unanswered one (no response is pending then)
      if (push_o) ap_push_src: assert (!s_bvalid_o && f_aw_out != 2'd0 && f_w_out != 2'd0 &&
                                       h_addr == bc_regs_pkg::R_JOB_PUSH && h_strb == 4'hf && h_data[0]);
      if (soft_reset_o || (cnt_clear_o && !soft_reset_o))
        ap_ctrl_src: assert (!s_bvalid_o && h_addr == bc_regs_pkg::R_CTRL && h_strb == 4'hf);
    end
  end

  // ---------------- covers: every antecedent above is reachable ----------------
  always @(posedge clk_i) begin
    if (f_past_valid && rst_ni) begin
      cv_b_stall: cover ($past(s_bvalid_o && !s_bready_i) && s_bvalid_o);
      cv_r_stall: cover ($past(s_rvalid_o && !s_rready_i) && s_rvalid_o);
      cv_b_wait: cover ($past(f_aw_out != 2'd0 && f_w_out != 2'd0 && !s_bvalid_o));
    end
  end
  always @* begin
    if (f_past_valid && rst_ni) begin
      cv_b_okay: cover (s_bvalid_o && s_bresp_o == OKAY);
      cv_b_slverr: cover (s_bvalid_o && s_bresp_o == SLVERR);
      cv_r_okay: cover (s_rvalid_o && s_rresp_o == OKAY);
      cv_r_slverr: cover (s_rvalid_o && s_rresp_o == SLVERR);
      cv_aw_two: cover (f_aw_out == 2'd2 && f_w_out == 2'd2);
      cv_w_first: cover (f_w_out == 2'd1 && f_aw_out == 2'd0);
      cv_partial: cover (s_bvalid_o && h_strb != 4'hf && h_strb != 4'h0);
      cv_hits_reg: cover (s_bvalid_o && h_hits_reg);
      cv_readback: cover (s_rvalid_o && f_rd_is_reg && s_rdata_o[f_bit]);
      cv_push: cover (push_o);
      cv_ctrl: cover (cnt_clear_o);
    end
  end
endmodule
