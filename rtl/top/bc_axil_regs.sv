// AXI4-Lite register block of bitcycle_top. Offsets, resets and field positions
// come from the generated package bc_regs_pkg (rtl/regmap/bitcycle.regs).
// One write and one read are handled at a time; responses are registered.
module bc_axil_regs #(
  parameter int DM          = 8,
  parameter int DN          = 8,
  parameter int DK          = 64,
  parameter int MAX_BITS    = 16,
  parameter int QUEUE_DEPTH = 4,
  parameter int ACC_W       = 48,
  parameter int MAX_M       = 4096,
  parameter int MAX_N       = 4096,
  parameter int MAX_K       = 2048,
  parameter int ABUF_WORDS  = 1024,
  parameter int BBUF_WORDS  = 2048,
  parameter logic [31:0] WIN_BASE    = 32'h0,
  parameter logic [31:0] WIN_SIZE    = 32'h1000_0000,
  parameter int AXI_W       = 64,
  localparam int NC = bc_regs_pkg::N_COUNTERS,
  localparam int NE = bc_top_pkg::NERR,
  localparam int DW = bc_top_pkg::DESC_W
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  // AXI4-Lite slave
  input  logic               s_awvalid_i,
  output logic               s_awready_o,
  input  logic [11:0]        s_awaddr_i,
  input  logic               s_wvalid_i,
  output logic               s_wready_o,
  input  logic [31:0]        s_wdata_i,
  input  logic [3:0]         s_wstrb_i,
  output logic               s_bvalid_o,
  input  logic               s_bready_i,
  output logic [1:0]         s_bresp_o,
  input  logic               s_arvalid_i,
  output logic               s_arready_o,
  input  logic [11:0]        s_araddr_i,
  output logic               s_rvalid_o,
  input  logic               s_rready_i,
  output logic [31:0]        s_rdata_o,
  output logic [1:0]         s_rresp_o,
  // staged descriptor into the command queue
  output logic               push_o,
  output logic [DW-1:0]      push_desc_o,
  input  logic               queue_full_i,
  input  logic [3:0]         queue_count_i,
  // control outputs
  output logic               soft_reset_o,
  output logic               cnt_freeze_o,
  output logic               cnt_clear_o,
  output logic [4:0]         burst_len_o,
  // status and events from the engines
  input  logic               busy_i,
  input  logic [NE-1:0]      err_valid_i,
  input  logic [NE*5-1:0]    err_code_i,
  input  logic [NE*32-1:0]   err_job_i,
  input  logic [NE*32-1:0]   err_addr_i,
  input  logic               done_i,
  input  logic [31:0]        done_id_i,
  input  logic               overflow_i,
  input  logic [NC*64-1:0]   cnt_i,
  output logic [4:0]         err_code_o,
  output logic               irq_o
);
  localparam logic [1:0] RESP_OKAY   = 2'b00;
  localparam logic [1:0] RESP_SLVERR = 2'b10;

  // ---------------- state ----------------
  logic        aw_hold_q, w_hold_q;
  logic [11:0] aw_addr_q;
  logic [31:0] w_data_q;
  logic [3:0]  w_strb_q;
  logic        bvalid_q, rvalid_q;
  logic [1:0]  bresp_q, rresp_q;
  logic [31:0] rdata_q;
  logic [31:0] cnt_hi_shadow_q;

  logic        cnt_freeze_q;
  logic [1:0]  irq_en_q, irq_st_q;
  logic [4:0]  err_code_q;
  logic [31:0] err_job_q, err_addr_q, last_job_q;
  logic        overflow_q;
  logic [4:0]  burst_len_q;
  logic [31:0] job_a_q, job_b_q, job_c_q, job_m_q, job_n_q, job_k_q;
  logic [31:0] job_lda_q, job_ldb_q, job_ldc_q, job_id_q;
  logic [4:0]  job_wbits_q, job_abits_q;
  logic        job_ws_q, job_as_q, job_wb16_q;
  logic [4:0]  job_wb_shift_q;

  // ---------------- read decode ----------------
  logic [31:0] rd_val;
  logic        rd_ok;
  logic        rd_is_cnt_lo;
  logic [31:0] cnt_hi_of_read;

  logic [31:0] cfg_array, cfg_limits, cfg_bus, status_val, prec_val;
  always_comb begin
    cfg_bus = '0;
    cfg_bus[bc_regs_pkg::F_CFG_BUS_DATA_BITS_LSB +: 16] = 16'(AXI_W);
    cfg_array = '0;
    cfg_array[bc_regs_pkg::F_CFG_ARRAY_DM_LSB +: 8] = 8'(DM);
    cfg_array[bc_regs_pkg::F_CFG_ARRAY_DN_LSB +: 8] = 8'(DN);
    cfg_array[bc_regs_pkg::F_CFG_ARRAY_DK_LSB +: 16] = 16'(DK);
    cfg_limits = '0;
    cfg_limits[bc_regs_pkg::F_CFG_LIMITS_MAX_BITS_LSB +: 5] = 5'(MAX_BITS);
    cfg_limits[bc_regs_pkg::F_CFG_LIMITS_QUEUE_DEPTH_LSB +: 8] = 8'(QUEUE_DEPTH);
    cfg_limits[bc_regs_pkg::F_CFG_LIMITS_ACC_WIDTH_LSB +: 8] = 8'(ACC_W);
    status_val = '0;
    status_val[bc_regs_pkg::F_STATUS_BUSY_LSB] = busy_i;
    status_val[bc_regs_pkg::F_STATUS_QUEUE_COUNT_LSB +: 4] = queue_count_i;
    status_val[bc_regs_pkg::F_STATUS_QUEUE_FULL_LSB] = queue_full_i;
    status_val[bc_regs_pkg::F_STATUS_ERR_LSB] = (err_code_q != bc_regs_pkg::ERR_NONE);
    status_val[bc_regs_pkg::F_STATUS_OVERFLOW_LSB] = overflow_q;
    prec_val = '0;
    prec_val[bc_regs_pkg::F_JOB_PREC_WBITS_LSB +: 5] = job_wbits_q;
    prec_val[bc_regs_pkg::F_JOB_PREC_ABITS_LSB +: 5] = job_abits_q;
    prec_val[bc_regs_pkg::F_JOB_PREC_WSIGNED_LSB] = job_ws_q;
    prec_val[bc_regs_pkg::F_JOB_PREC_ASIGNED_LSB] = job_as_q;
    prec_val[bc_regs_pkg::F_JOB_PREC_WB16_LSB] = job_wb16_q;
    prec_val[bc_regs_pkg::F_JOB_PREC_WB_SHIFT_LSB +: 5] = job_wb_shift_q;
  end

  // Counter block: R_CNT_BASE + 8*index (+4 for the high half).
  logic [8:0]  cnt_idx;
  assign cnt_idx = 9'((s_araddr_i - bc_regs_pkg::R_CNT_BASE) >> 3);

  always_comb begin
    rd_val = '0;
    rd_ok = 1'b1;
    rd_is_cnt_lo = 1'b0;
    cnt_hi_of_read = '0;
    case (s_araddr_i)
      bc_regs_pkg::R_ID:             rd_val = bc_regs_pkg::P_ID_VALUE;
      bc_regs_pkg::R_VERSION:        rd_val = bc_regs_pkg::P_VERSION;
      bc_regs_pkg::R_CFG_ARRAY:      rd_val = cfg_array;
      bc_regs_pkg::R_CFG_LIMITS:     rd_val = cfg_limits;
      bc_regs_pkg::R_CFG_MAX_M:      rd_val = MAX_M;
      bc_regs_pkg::R_CFG_MAX_N:      rd_val = MAX_N;
      bc_regs_pkg::R_CFG_MAX_K:      rd_val = MAX_K;
      bc_regs_pkg::R_CFG_ABUF_WORDS: rd_val = ABUF_WORDS;
      bc_regs_pkg::R_CFG_BBUF_WORDS: rd_val = BBUF_WORDS;
      bc_regs_pkg::R_CFG_WIN_BASE:   rd_val = WIN_BASE;
      bc_regs_pkg::R_CFG_WIN_SIZE:   rd_val = WIN_SIZE;
      bc_regs_pkg::R_CFG_BUS:        rd_val = cfg_bus;
      bc_regs_pkg::R_CTRL:           rd_val = {30'd0, cnt_freeze_q, 1'b0};
      bc_regs_pkg::R_STATUS:         rd_val = status_val;
      bc_regs_pkg::R_IRQ_ENABLE:     rd_val = {30'd0, irq_en_q};
      bc_regs_pkg::R_IRQ_STATUS:     rd_val = {30'd0, irq_st_q};
      bc_regs_pkg::R_ERR_CODE:       rd_val = {27'd0, err_code_q};
      bc_regs_pkg::R_ERR_JOB_ID:     rd_val = err_job_q;
      bc_regs_pkg::R_ERR_ADDR:       rd_val = err_addr_q;
      bc_regs_pkg::R_LAST_JOB_ID:    rd_val = last_job_q;
      bc_regs_pkg::R_DMA_CFG:        rd_val = {27'd0, burst_len_q};
      bc_regs_pkg::R_JOB_A_ADDR:     rd_val = job_a_q;
      bc_regs_pkg::R_JOB_B_ADDR:     rd_val = job_b_q;
      bc_regs_pkg::R_JOB_C_ADDR:     rd_val = job_c_q;
      bc_regs_pkg::R_JOB_M:          rd_val = job_m_q;
      bc_regs_pkg::R_JOB_N:          rd_val = job_n_q;
      bc_regs_pkg::R_JOB_K:          rd_val = job_k_q;
      bc_regs_pkg::R_JOB_LDA:        rd_val = job_lda_q;
      bc_regs_pkg::R_JOB_LDB:        rd_val = job_ldb_q;
      bc_regs_pkg::R_JOB_LDC:        rd_val = job_ldc_q;
      bc_regs_pkg::R_JOB_PREC:       rd_val = prec_val;
      bc_regs_pkg::R_JOB_ID:         rd_val = job_id_q;
      bc_regs_pkg::R_JOB_PUSH:       rd_val = '0;
      default: begin
        if (s_araddr_i >= bc_regs_pkg::R_CNT_BASE && s_araddr_i[1:0] == 2'b00 &&
            32'(cnt_idx) < NC) begin
          if (!s_araddr_i[2]) begin
            rd_val = cnt_i[32'(cnt_idx)*64 +: 32];
            rd_is_cnt_lo = 1'b1;
            cnt_hi_of_read = cnt_i[32'(cnt_idx)*64 + 32 +: 32];
          end else begin
            rd_val = cnt_hi_shadow_q;
          end
        end else begin
          rd_ok = 1'b0;
        end
      end
    endcase
  end

  // ---------------- write decode ----------------
  typedef enum logic [1:0] { W_UNMAPPED, W_RO, W_OK } wkind_e;
  wkind_e wkind;
  logic [8:0] woff;
  assign woff = 9'((aw_addr_q - bc_regs_pkg::R_CNT_BASE) >> 3);
  always_comb begin
    case (aw_addr_q)
      bc_regs_pkg::R_ID, bc_regs_pkg::R_VERSION, bc_regs_pkg::R_CFG_ARRAY,
      bc_regs_pkg::R_CFG_LIMITS, bc_regs_pkg::R_CFG_MAX_M, bc_regs_pkg::R_CFG_MAX_N,
      bc_regs_pkg::R_CFG_MAX_K, bc_regs_pkg::R_CFG_ABUF_WORDS, bc_regs_pkg::R_CFG_BBUF_WORDS,
      bc_regs_pkg::R_CFG_WIN_BASE, bc_regs_pkg::R_CFG_WIN_SIZE, bc_regs_pkg::R_CFG_BUS,
      bc_regs_pkg::R_STATUS,
      bc_regs_pkg::R_ERR_CODE, bc_regs_pkg::R_ERR_JOB_ID, bc_regs_pkg::R_ERR_ADDR,
      bc_regs_pkg::R_LAST_JOB_ID: wkind = W_RO;
      bc_regs_pkg::R_CTRL, bc_regs_pkg::R_IRQ_ENABLE, bc_regs_pkg::R_IRQ_STATUS,
      bc_regs_pkg::R_DMA_CFG, bc_regs_pkg::R_JOB_A_ADDR, bc_regs_pkg::R_JOB_B_ADDR,
      bc_regs_pkg::R_JOB_C_ADDR, bc_regs_pkg::R_JOB_M, bc_regs_pkg::R_JOB_N,
      bc_regs_pkg::R_JOB_K, bc_regs_pkg::R_JOB_LDA, bc_regs_pkg::R_JOB_LDB,
      bc_regs_pkg::R_JOB_LDC, bc_regs_pkg::R_JOB_PREC, bc_regs_pkg::R_JOB_ID,
      bc_regs_pkg::R_JOB_PUSH: wkind = W_OK;
      default: begin
        if (aw_addr_q >= bc_regs_pkg::R_CNT_BASE && aw_addr_q[1:0] == 2'b00 &&
            32'(woff) < NC) wkind = W_RO;
        else wkind = W_UNMAPPED;
      end
    endcase
  end

  logic do_write, do_read;
  assign do_write = aw_hold_q && w_hold_q && !bvalid_q;
  assign do_read = s_arvalid_i && !rvalid_q;

  logic wr_full_word;
  assign wr_full_word = (w_strb_q == 4'hf);

  // Register-side error (at most one per cycle: one write at a time).
  logic        reg_err;
  logic [4:0]  reg_err_code;
  logic [31:0] reg_err_job;
  logic        wr_push, wr_soft_reset, wr_cnt_clear, wr_err_clear;
  logic [1:0]  wr_bresp;
  always_comb begin
    reg_err = 1'b0;
    reg_err_code = bc_regs_pkg::ERR_NONE;
    reg_err_job = '0;
    wr_push = 1'b0;
    wr_soft_reset = 1'b0;
    wr_cnt_clear = 1'b0;
    wr_err_clear = 1'b0;
    wr_bresp = RESP_OKAY;
    if (do_write) begin
      if (wkind == W_UNMAPPED || !wr_full_word) begin
        wr_bresp = RESP_SLVERR;
      end else if (wkind == W_RO) begin
        wr_bresp = RESP_SLVERR;
        reg_err = 1'b1;
        reg_err_code = bc_regs_pkg::ERR_REG_READONLY;
      end else begin
        if (aw_addr_q == bc_regs_pkg::R_DMA_CFG && busy_i) begin
          reg_err = 1'b1;
          reg_err_code = bc_regs_pkg::ERR_REG_BUSY;
        end
        if (aw_addr_q == bc_regs_pkg::R_JOB_PUSH && w_data_q[0]) begin
          if (queue_full_i) begin
            reg_err = 1'b1;
            reg_err_code = bc_regs_pkg::ERR_QUEUE_OVERFLOW;
            reg_err_job = job_id_q;
          end else begin
            wr_push = 1'b1;
          end
        end
        if (aw_addr_q == bc_regs_pkg::R_CTRL) begin
          wr_soft_reset = w_data_q[bc_regs_pkg::F_CTRL_SOFT_RESET_LSB];
          wr_cnt_clear = w_data_q[bc_regs_pkg::F_CTRL_CNT_CLEAR_LSB];
          wr_err_clear = w_data_q[bc_regs_pkg::F_CTRL_ERR_CLEAR_LSB];
        end
      end
    end
  end

  // First error of this cycle: register errors, then the engine ports in order.
  logic        any_err;
  logic [4:0]  first_code;
  logic [31:0] first_job, first_addr;
  always_comb begin
    any_err = reg_err;
    first_code = reg_err_code;
    first_job = reg_err_job;
    first_addr = {20'd0, aw_addr_q};
    for (int e = NE - 1; e >= 0; e--) begin
      if (err_valid_i[e] && !reg_err) begin
        first_code = err_code_i[e*5 +: 5];
        first_job = err_job_i[e*32 +: 32];
        first_addr = err_addr_i[e*32 +: 32];
      end
    end
    if (|err_valid_i) any_err = 1'b1;
  end

  logic [1:0] irq_st_d;
  always_comb begin
    irq_st_d = irq_st_q;
    if (do_write && wkind == W_OK && wr_full_word && aw_addr_q == bc_regs_pkg::R_IRQ_STATUS)
      irq_st_d = irq_st_d & ~w_data_q[1:0];
    if (done_i) irq_st_d[0] = 1'b1;
    if (any_err) irq_st_d[1] = 1'b1;
    if (wr_soft_reset) irq_st_d = '0;
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      aw_hold_q <= 1'b0;
      w_hold_q <= 1'b0;
      aw_addr_q <= '0;
      w_data_q <= '0;
      w_strb_q <= '0;
      bvalid_q <= 1'b0;
      bresp_q <= RESP_OKAY;
      rvalid_q <= 1'b0;
      rresp_q <= RESP_OKAY;
      rdata_q <= '0;
      cnt_hi_shadow_q <= '0;
      cnt_freeze_q <= 1'b0;
      irq_en_q <= '0;
      irq_st_q <= '0;
      err_code_q <= bc_regs_pkg::ERR_NONE;
      err_job_q <= '0;
      err_addr_q <= '0;
      last_job_q <= '0;
      overflow_q <= 1'b0;
      burst_len_q <= 5'(bc_regs_pkg::R_DMA_CFG_RESET);
      job_a_q <= '0;
      job_b_q <= '0;
      job_c_q <= '0;
      job_m_q <= '0;
      job_n_q <= '0;
      job_k_q <= '0;
      job_lda_q <= '0;
      job_ldb_q <= '0;
      job_ldc_q <= '0;
      job_id_q <= '0;
      job_wbits_q <= 5'(bc_regs_pkg::R_JOB_PREC_RESET >> bc_regs_pkg::F_JOB_PREC_WBITS_LSB);
      job_abits_q <= 5'(bc_regs_pkg::R_JOB_PREC_RESET >> bc_regs_pkg::F_JOB_PREC_ABITS_LSB);
      job_ws_q <= bc_regs_pkg::R_JOB_PREC_RESET[bc_regs_pkg::F_JOB_PREC_WSIGNED_LSB];
      job_as_q <= bc_regs_pkg::R_JOB_PREC_RESET[bc_regs_pkg::F_JOB_PREC_ASIGNED_LSB];
      job_wb16_q <= bc_regs_pkg::R_JOB_PREC_RESET[bc_regs_pkg::F_JOB_PREC_WB16_LSB];
      job_wb_shift_q <= bc_regs_pkg::R_JOB_PREC_RESET[bc_regs_pkg::F_JOB_PREC_WB_SHIFT_LSB +: 5];
    end else begin
      // write address / data capture
      if (s_awvalid_i && !aw_hold_q) begin
        aw_hold_q <= 1'b1;
        aw_addr_q <= s_awaddr_i;
      end
      if (s_wvalid_i && !w_hold_q) begin
        w_hold_q <= 1'b1;
        w_data_q <= s_wdata_i;
        w_strb_q <= s_wstrb_i;
      end
      if (s_bvalid_o && s_bready_i) bvalid_q <= 1'b0;
      if (do_write) begin
        aw_hold_q <= 1'b0;
        w_hold_q <= 1'b0;
        bvalid_q <= 1'b1;
        bresp_q <= wr_bresp;
        if (wkind == W_OK && wr_full_word) begin
          case (aw_addr_q)
            bc_regs_pkg::R_CTRL: cnt_freeze_q <= w_data_q[bc_regs_pkg::F_CTRL_CNT_FREEZE_LSB];
            bc_regs_pkg::R_IRQ_ENABLE: irq_en_q <= w_data_q[1:0];
            bc_regs_pkg::R_DMA_CFG: if (!busy_i) burst_len_q <= w_data_q[4:0];
            bc_regs_pkg::R_JOB_A_ADDR: job_a_q <= w_data_q;
            bc_regs_pkg::R_JOB_B_ADDR: job_b_q <= w_data_q;
            bc_regs_pkg::R_JOB_C_ADDR: job_c_q <= w_data_q;
            bc_regs_pkg::R_JOB_M: job_m_q <= w_data_q;
            bc_regs_pkg::R_JOB_N: job_n_q <= w_data_q;
            bc_regs_pkg::R_JOB_K: job_k_q <= w_data_q;
            bc_regs_pkg::R_JOB_LDA: job_lda_q <= w_data_q;
            bc_regs_pkg::R_JOB_LDB: job_ldb_q <= w_data_q;
            bc_regs_pkg::R_JOB_LDC: job_ldc_q <= w_data_q;
            bc_regs_pkg::R_JOB_ID: job_id_q <= w_data_q;
            bc_regs_pkg::R_JOB_PREC: begin
              job_wbits_q <= w_data_q[bc_regs_pkg::F_JOB_PREC_WBITS_LSB +: 5];
              job_abits_q <= w_data_q[bc_regs_pkg::F_JOB_PREC_ABITS_LSB +: 5];
              job_ws_q <= w_data_q[bc_regs_pkg::F_JOB_PREC_WSIGNED_LSB];
              job_as_q <= w_data_q[bc_regs_pkg::F_JOB_PREC_ASIGNED_LSB];
              job_wb16_q <= w_data_q[bc_regs_pkg::F_JOB_PREC_WB16_LSB];
              job_wb_shift_q <= w_data_q[bc_regs_pkg::F_JOB_PREC_WB_SHIFT_LSB +: 5];
            end
            default: ;
          endcase
        end
      end
      // read
      if (s_rvalid_o && s_rready_i) rvalid_q <= 1'b0;
      if (do_read) begin
        rvalid_q <= 1'b1;
        rdata_q <= rd_val;
        rresp_q <= rd_ok ? RESP_OKAY : RESP_SLVERR;
        if (rd_is_cnt_lo) cnt_hi_shadow_q <= cnt_hi_of_read;
      end
      // interrupt status: set by events, cleared by writing 1
      irq_st_q <= irq_st_d;
      // sticky first error
      if (wr_err_clear || wr_soft_reset) begin
        err_code_q <= bc_regs_pkg::ERR_NONE;
        err_job_q <= '0;
        err_addr_q <= '0;
        overflow_q <= 1'b0;
      end else begin
        if (any_err && err_code_q == bc_regs_pkg::ERR_NONE) begin
          err_code_q <= first_code;
          err_job_q <= first_job;
          err_addr_q <= first_addr;
        end
        if (overflow_i) overflow_q <= 1'b1;
      end
      if (done_i) last_job_q <= done_id_i;
    end
  end

  assign s_awready_o = !aw_hold_q;
  assign s_wready_o = !w_hold_q;
  assign s_bvalid_o = bvalid_q;
  assign s_bresp_o = bresp_q;
  assign s_arready_o = !rvalid_q;
  assign s_rvalid_o = rvalid_q;
  assign s_rdata_o = rdata_q;
  assign s_rresp_o = rresp_q;

  assign push_o = wr_push;
  always_comb begin
    push_desc_o = '0;
    push_desc_o[bc_top_pkg::D_A_ADDR +: 32] = job_a_q;
    push_desc_o[bc_top_pkg::D_B_ADDR +: 32] = job_b_q;
    push_desc_o[bc_top_pkg::D_C_ADDR +: 32] = job_c_q;
    push_desc_o[bc_top_pkg::D_M +: 32] = job_m_q;
    push_desc_o[bc_top_pkg::D_N +: 32] = job_n_q;
    push_desc_o[bc_top_pkg::D_K +: 32] = job_k_q;
    push_desc_o[bc_top_pkg::D_LDA +: 32] = job_lda_q;
    push_desc_o[bc_top_pkg::D_LDB +: 32] = job_ldb_q;
    push_desc_o[bc_top_pkg::D_LDC +: 32] = job_ldc_q;
    push_desc_o[bc_top_pkg::D_ID +: 32] = job_id_q;
    push_desc_o[bc_top_pkg::D_WBITS +: 5] = job_wbits_q;
    push_desc_o[bc_top_pkg::D_ABITS +: 5] = job_abits_q;
    push_desc_o[bc_top_pkg::D_WSIGNED] = job_ws_q;
    push_desc_o[bc_top_pkg::D_ASIGNED] = job_as_q;
    push_desc_o[bc_top_pkg::D_WB16] = job_wb16_q;
    push_desc_o[bc_top_pkg::D_WB_SHIFT +: 5] = job_wb_shift_q;
  end

  assign soft_reset_o = wr_soft_reset;
  assign cnt_freeze_o = cnt_freeze_q;
  assign cnt_clear_o = wr_cnt_clear || wr_soft_reset;
  assign burst_len_o = burst_len_q;
  assign err_code_o = err_code_q;
  assign irq_o = |(irq_st_q & irq_en_q);
endmodule
