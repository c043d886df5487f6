// DMA read engine: turns operand load requests (rows of bit-plane words) into
// AXI4 INCR read bursts (AXI_W-bit beats, up to BURST_LEN beats, never crossing
// 4 KiB) and writes the returned words into the A or B buffer banks of the array
// core, one beat (AXI_W/64 words) per cycle.
//
// A request fills one buffer slot: `rows` rows of `words` words each, row r read
// from addr + r*ld. A loads put row r in A bank r; B loads put row n in B bank
// n % DN at word base + (n / DN)*words. The address side runs ahead of the data
// side (several bursts and up to two requests outstanding); data arrives in
// order (single ID), so the data side replays the same walk to place each beat.
// Rows are 8-byte aligned; a row's bursts start at the beat holding its first
// word, and lanes of the first and last beat outside the row are not written.
module bc_dma_rd #(
  parameter int DM         = 8,
  parameter int DN         = 8,
  parameter int ABUF_WORDS = 1024,
  parameter int BBUF_WORDS = 2048,
  parameter int MAX_OUTSTANDING = 8,
  parameter int AXI_W      = 64,
  localparam int WPB     = AXI_W / 64,         // 64-bit words per beat
  localparam int BB      = AXI_W / 8,          // bytes per beat
  localparam int LB      = $clog2(BB),
  localparam int WR_W    = $clog2(WPB + 1),
  localparam int AAW     = $clog2(ABUF_WORDS),
  localparam int BAW     = $clog2(BBUF_WORDS),
  localparam int ABANK_W = (DM > 1) ? $clog2(DM) : 1,
  localparam int BBANK_W = (DN > 1) ? $clog2(DN) : 1
) (
  input  logic               clk_i,
  input  logic               rst_ni,
  input  logic [4:0]         burst_len_i,
  // load requests
  input  logic               req_valid_i,
  output logic               req_ready_o,
  input  logic               req_is_b_i,
  input  logic               req_slot_i,
  input  logic               req_skip_i,     // job already failed: fill nothing
  input  logic [2:0]         req_seq_i,
  input  logic [12:0]        req_rows_i,
  input  logic [9:0]         req_words_i,
  input  logic [15:0]        req_base_i,
  input  logic [31:0]        req_addr_i,
  input  logic [31:0]        req_ld_i,
  // AXI4 read address / data
  output logic               m_arvalid_o,
  input  logic               m_arready_i,
  output logic [31:0]        m_araddr_o,
  output logic [7:0]         m_arlen_o,
  output logic [2:0]         m_arsize_o,
  output logic [1:0]         m_arburst_o,
  input  logic               m_rvalid_i,
  output logic               m_rready_o,
  input  logic [AXI_W-1:0]   m_rdata_i,
  input  logic [1:0]         m_rresp_i,
  input  logic               m_rlast_i,
  // buffer writes
  output logic [WPB-1:0]     abuf_we_o,
  output logic [ABANK_W-1:0] abuf_bank_o,
  output logic [AAW-1:0]     abuf_addr_o,
  output logic [WPB-1:0]     bbuf_we_o,
  output logic [BBANK_W-1:0] bbuf_bank_o,
  output logic [BAW-1:0]     bbuf_addr_o,
  output logic [AXI_W-1:0]   buf_wdata_o,
  // completion and errors
  output logic               fill_done_o,
  output logic               fill_is_b_o,
  output logic               fill_slot_o,
  output logic               rd_err_o,
  output logic [2:0]         rd_err_seq_o,
  output logic [31:0]        rd_err_addr_o,
  output logic               busy_o,
  output logic               beat_o,
  output logic [WR_W-1:0]    words_o       // buffer words written this cycle
);
  localparam logic [31:0] BEAT_MASK = 32'(BB - 1);
  // ---------------- request FIFO between the address and data sides ----------------
  localparam int EW = 1 + 1 + 1 + 3 + 13 + 10 + 16 + 32 + 32;
  logic [EW-1:0] fifo_q [2];
  logic          fifo_wr_q, fifo_rd_q;
  logic [1:0]    fifo_cnt_q;
  logic          fifo_push, fifo_pop;
  logic [EW-1:0] req_entry, head;
  assign req_entry = {req_is_b_i, req_slot_i, req_skip_i, req_seq_i, req_rows_i, req_words_i,
                      req_base_i, req_addr_i, req_ld_i};
  assign head = fifo_q[fifo_rd_q];

  logic        h_valid, h_is_b, h_slot, h_skip;
  logic [2:0]  h_seq;
  logic [12:0] h_rows;
  logic [9:0]  h_words;
  logic [15:0] h_base;
  logic [31:0] h_addr, h_ld;
  assign h_valid = fifo_cnt_q != 2'd0;
  assign {h_is_b, h_slot, h_skip, h_seq, h_rows, h_words, h_base, h_addr, h_ld} = head;

  // ---------------- address side ----------------
  logic        ar_act_q, ar_act_d;
  logic [12:0] ar_rows_q, ar_rows_d, ar_row_q, ar_row_d;
  logic [9:0]  ar_words_q, ar_words_d;
  logic [10:0] ar_beat_q, ar_beat_d, ar_nb;  // beats of the row already requested, beats of the row
  logic [31:0] ar_ld_q, ar_ld_d, ar_row_addr_q, ar_row_addr_d, ar_addr_q, ar_addr_d, ar_next_row;
  logic [4:0]  ar_len;          // beats of the burst being offered, 1..16
  logic [4:0]  blen_eff;
  logic [10:0] row_left, to4k;
  logic [$clog2(MAX_OUTSTANDING+1)-1:0] outst_q;
  logic        ar_fire, r_fire, r_burst_end;

  assign blen_eff = (burst_len_i == 5'd0) ? 5'd1 : (burst_len_i > 5'd16 ? 5'd16 : burst_len_i);
  assign ar_nb = 11'(((ar_row_addr_q & BEAT_MASK) + 32'(ar_words_q) * 32'd8 + BEAT_MASK) >> LB);
  assign row_left = ar_nb - ar_beat_q;
  assign to4k = 11'((32'd4096 - 32'(ar_addr_q[11:0])) >> LB);
  assign ar_next_row = ar_row_addr_q + ar_ld_q;
  always_comb begin
    ar_len = blen_eff;
    if (row_left < 11'(ar_len)) ar_len = 5'(row_left);
    if (to4k < 11'(ar_len)) ar_len = 5'(to4k);
  end

  assign req_ready_o = !ar_act_q && (fifo_cnt_q != 2'd2);
  assign fifo_push = req_valid_i && req_ready_o;
  assign m_arvalid_o = ar_act_q && (32'(outst_q) < MAX_OUTSTANDING);
  assign m_araddr_o = ar_addr_q;
  logic [4:0] ar_len_m1;
  assign ar_len_m1 = ar_len - 5'd1;
  assign m_arlen_o = {3'd0, ar_len_m1};
  assign m_arsize_o = 3'(LB);
  assign m_arburst_o = 2'b01;
  assign ar_fire = m_arvalid_o && m_arready_i;

  always_comb begin
    ar_act_d = ar_act_q;
    ar_rows_d = ar_rows_q;
    ar_row_d = ar_row_q;
    ar_words_d = ar_words_q;
    ar_beat_d = ar_beat_q;
    ar_ld_d = ar_ld_q;
    ar_row_addr_d = ar_row_addr_q;
    ar_addr_d = ar_addr_q;
    if (fifo_push && !req_skip_i) begin
      ar_act_d = 1'b1;
      ar_rows_d = req_rows_i;
      ar_row_d = '0;
      ar_words_d = req_words_i;
      ar_beat_d = '0;
      ar_ld_d = req_ld_i;
      ar_row_addr_d = req_addr_i;
      ar_addr_d = req_addr_i & ~BEAT_MASK;
    end else if (ar_fire) begin
      if (ar_beat_q + 11'(ar_len) == ar_nb) begin
        ar_beat_d = '0;
        ar_row_d = ar_row_q + 13'd1;
        ar_row_addr_d = ar_next_row;
        ar_addr_d = ar_next_row & ~BEAT_MASK;
        if (ar_row_q + 13'd1 == ar_rows_q) ar_act_d = 1'b0;
      end else begin
        ar_beat_d = ar_beat_q + 11'(ar_len);
        ar_addr_d = ar_addr_q + (32'(ar_len) << LB);
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ar_act_q <= 1'b0;
      ar_rows_q <= '0;
      ar_row_q <= '0;
      ar_words_q <= '0;
      ar_beat_q <= '0;
      ar_ld_q <= '0;
      ar_row_addr_q <= '0;
      ar_addr_q <= '0;
    end else begin
      ar_act_q <= ar_act_d;
      ar_rows_q <= ar_rows_d;
      ar_row_q <= ar_row_d;
      ar_words_q <= ar_words_d;
      ar_beat_q <= ar_beat_d;
      ar_ld_q <= ar_ld_d;
      ar_row_addr_q <= ar_row_addr_d;
      ar_addr_q <= ar_addr_d;
    end
  end

  // ---------------- data side ----------------
  logic [12:0] r_row_q, r_row_d;
  logic [10:0] r_beat_q, r_beat_d, r_nb;   // beat within the row, beats of the row
  logic [31:0] r_row_addr;
  logic [15:0] r_idx0;           // word index (within the row) of lane 0, may be negative
  logic [BBANK_W-1:0] r_bank_q, r_bank_d;
  logic [15:0] r_grp_q, r_grp_d;          // word offset of the current bank group (B)
  logic [31:0] r_row_off_q, r_row_off_d;  // byte offset of the current row
  logic        r_row_end, r_load_end, skip_done;

  assign m_rready_o = h_valid && !h_skip;
  assign r_fire = m_rvalid_i && m_rready_o;
  assign r_burst_end = r_fire && m_rlast_i;
  assign r_row_addr = h_addr + r_row_off_q;
  assign r_nb = 11'(((r_row_addr & BEAT_MASK) + 32'(h_words) * 32'd8 + BEAT_MASK) >> LB);
  assign r_idx0 = 16'(32'(r_beat_q) * 32'(WPB) - ((r_row_addr & BEAT_MASK) >> 3));
  assign r_row_end = r_beat_q + 11'd1 == r_nb;
  assign r_load_end = r_fire && r_row_end && (r_row_q + 13'd1 == h_rows);
  assign skip_done = h_valid && h_skip;
  assign fifo_pop = r_load_end || skip_done;

  always_comb begin
    r_row_d = r_row_q;
    r_beat_d = r_beat_q;
    r_bank_d = r_bank_q;
    r_grp_d = r_grp_q;
    r_row_off_d = r_row_off_q;
    if (fifo_pop) begin
      r_row_d = '0;
      r_beat_d = '0;
      r_bank_d = '0;
      r_grp_d = '0;
      r_row_off_d = '0;
    end else if (r_fire) begin
      if (r_row_end) begin
        r_beat_d = '0;
        r_row_d = r_row_q + 13'd1;
        r_row_off_d = r_row_off_q + h_ld;
        if (32'(r_bank_q) == DN - 1) begin
          r_bank_d = '0;
          r_grp_d = r_grp_q + 16'(h_words);
        end else begin
          r_bank_d = r_bank_q + 1'b1;
        end
      end else begin
        r_beat_d = r_beat_q + 11'd1;
      end
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      r_row_q <= '0;
      r_beat_q <= '0;
      r_bank_q <= '0;
      r_grp_q <= '0;
      r_row_off_q <= '0;
    end else begin
      r_row_q <= r_row_d;
      r_beat_q <= r_beat_d;
      r_bank_q <= r_bank_d;
      r_grp_q <= r_grp_d;
      r_row_off_q <= r_row_off_d;
    end
  end

  // lane l carries row word r_idx0 + l; only words 0..words-1 of the row are written
  logic [15:0]    wr_word;
  logic [WPB-1:0] lane_ok;
  for (genvar l = 0; l < WPB; l++) begin : g_lane
    logic [16:0] idx;  // two's complement; bit 16 set = before the row's first word
    assign idx = {r_idx0[15], r_idx0} + 17'(l);
    assign lane_ok[l] = !idx[16] && (idx < 17'(h_words));
  end
  assign wr_word = h_base + r_grp_q + r_idx0;
  assign abuf_we_o = {WPB{r_fire && !h_is_b}} & lane_ok;
  assign abuf_bank_o = ABANK_W'(r_row_q);
  assign abuf_addr_o = AAW'(wr_word);
  assign bbuf_we_o = {WPB{r_fire && h_is_b}} & lane_ok;
  assign bbuf_bank_o = r_bank_q;
  assign bbuf_addr_o = BAW'(wr_word);
  assign buf_wdata_o = m_rdata_i;

  assign fill_done_o = fifo_pop;  // one request filled (an A block, or one B column tile)
  assign fill_is_b_o = h_is_b;
  assign fill_slot_o = h_slot;
  assign rd_err_o = r_fire && (m_rresp_i[1] == 1'b1);
  assign rd_err_seq_o = h_seq;
  // the failing beat's first byte that belongs to the row
  assign rd_err_addr_o = (r_beat_q == '0) ? r_row_addr : (r_row_addr & ~BEAT_MASK) + (32'(r_beat_q) << LB);
  assign beat_o = r_fire;
  always_comb begin
    words_o = '0;
    for (int l = 0; l < WPB; l++) words_o = words_o + WR_W'(r_fire && lane_ok[l]);
  end
  // OKAY/EXOKAY differ only in bit 0; high word-address bits beyond the bank depth
  // are never set by a valid request.
  logic unused_bits;
  assign unused_bits = ^{m_rresp_i[0], wr_word};

  // ---------------- FIFO and outstanding-burst count ----------------
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      fifo_wr_q <= 1'b0;
      fifo_rd_q <= 1'b0;
      fifo_cnt_q <= '0;
      outst_q <= '0;
    end else begin
      if (fifo_push) fifo_wr_q <= !fifo_wr_q;
      if (fifo_pop) fifo_rd_q <= !fifo_rd_q;
      fifo_cnt_q <= fifo_cnt_q + 2'(fifo_push) - 2'(fifo_pop);
      outst_q <= outst_q + $bits(outst_q)'(ar_fire) - $bits(outst_q)'(r_burst_end);
    end
  end
  always_ff @(posedge clk_i) begin
    if (fifo_push) fifo_q[fifo_wr_q] <= req_entry;
  end

  assign busy_o = ar_act_q || h_valid || (outst_q != '0);

`ifndef SYNTHESIS
`ifdef VERILATOR
  // Contracts (checked under verilator --assert; Icarus and Yosys skip them).
  // sva_on_q: out of reset (a flop, so rst_ni stays a pure asynchronous reset).
  logic sva_on_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) sva_on_q <= 1'b0;
    else sva_on_q <= 1'b1;
  end
  // AR: VALID holds and the request is stable until READY.
  assert property (@(posedge clk_i) disable iff (!sva_on_q)
                   m_arvalid_o && !m_arready_i |=> m_arvalid_o && $stable(m_araddr_o) && $stable(m_arlen_o));
  // INCR, the bus size, at most 16 beats, beat-aligned, never across 4 KiB.
  assert property (@(posedge clk_i) disable iff (!sva_on_q)
                   m_arvalid_o |-> m_arburst_o == 2'b01 && m_arsize_o == 3'(LB) && m_arlen_o < 8'd16 &&
                   (m_araddr_o & BEAT_MASK) == '0 &&
                   32'(m_araddr_o[11:0]) + (32'(m_arlen_o) + 1) * BB <= 32'd4096);
  // A load request has at least one row of at least one word, 8-byte aligned rows.
  assert property (@(posedge clk_i) disable iff (!sva_on_q)
                   fifo_push && !req_skip_i |-> req_rows_i != '0 && req_words_i != '0 &&
                   req_addr_i[2:0] == 3'd0 && req_ld_i[2:0] == 3'd0);
  // Data beats only against outstanding bursts; every written lane lies in the row.
  assert property (@(posedge clk_i) disable iff (!sva_on_q) r_fire |-> outst_q != '0 && h_valid);
  assert property (@(posedge clk_i) disable iff (!sva_on_q) r_fire |-> lane_ok != '0);
  // Known values after reset.
  assert property (@(posedge clk_i) disable iff (!sva_on_q) !$isunknown({m_arvalid_o, m_rready_o, busy_o}));
`endif
`endif
endmodule
