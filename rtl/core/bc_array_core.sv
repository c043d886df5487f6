// bc_array_core: the bit-serial, bit-plane MAC array with its operand buffers.
//
// DM x DN dot-product units (bc_dpu), each ANDs one DK-bit A plane word with one
// DK-bit B plane word per cycle, popcounts, shifts by (i+j) and accumulates (negating
// the sign plane of a signed operand). A tile = DM x DN outputs over all K.
//
// Buffers: DM A banks (ABUF_WORDS x DK) and DN B banks (BBUF_WORDS x DK). Output row r
// of a tile reads A bank r at word a_base + kc*wbits + i (plane i of chunk kc); output
// column c reads B bank c at word b_base + kc*abits + j.
//
// Loop nest of one tile (one pass per cycle): for kc, for i < wbits, for j < abits.
// Pipeline: S0 issue (buffer read) -> S1 AND+popcount -> S2 accumulate; on a tile's
// last pass S2 writes the int32-saturated tile into the result register, which holds
// it while the next tile computes. If the result register is still full when the next
// tile's last pass reaches S2, the whole pipeline stalls (evt_stall_o) until taken.
//
// Ports
//   clk_i, rst_ni              clock, asynchronous active-low reset
//   tile_valid_i/tile_ready_o  tile command handshake; ready is high when idle or on the
//                              cycle of the current tile's last pass (no idle cycle between
//                              tiles). Fields:
//     tile_a_base_i            word address of the tile's rows in every A bank
//     tile_b_base_i            word address of the tile's columns in every B bank
//     tile_kc_i                number of 64-bit K chunks, 1..MAX_KC
//     tile_klast_i             valid bits in the last chunk, 1..DK (kmask)
//     tile_wbits_i/abits_i     plane counts, 1..MAX_BITS
//     tile_wsigned_i/asigned_i two's complement operands (negate the top plane)
//     tile_rows_valid_i        1..DM rows of the tile that are real (others read nothing, give 0)
//     tile_cols_valid_i        1..DN
//     tile_tag_i               opaque, returned with the result
//     tile_first_of_job_i      first tile of a job: counts a precision switch when the
//                              precision (wbits, abits, wsigned, asigned) differs from the
//                              previous job's, and marks the job start pass
//   result_valid_o/ready_i     result tile handshake
//     result_data_o            DM*DN int32, element (r,c) at bits [(r*DN+c)*32 +: 32]
//     result_overflow_o        some element saturated
//     result_tag_o             the command's tag
//   abuf_we_i, abuf_bank_i, abuf_addr_i, abuf_wdata_i   A buffer write port: WPW words per
//                              cycle into one bank, lane l at abuf_addr_i + l when abuf_we_i[l]
//   bbuf_we_i, bbuf_bank_i, bbuf_addr_i, bbuf_wdata_i   B buffer write port (same)
//   evt_*_o                    per-cycle counter events for the enclosing counters:
//     evt_busy_o               a tile is in flight or a result is held
//     evt_compute_o            a bit-plane pass was issued this cycle
//     evt_stall_o              pipeline frozen because the result consumer is late
//     evt_dpu_active_o         number of DPUs doing useful work for the issued pass
//     evt_abuf_rd_o            A words read this cycle (rows_valid when a new A plane is read)
//     evt_bbuf_rd_o            B words read this cycle
//     evt_abuf_wr_o/bbuf_wr_o  buffer words written this cycle
//     evt_tile_done_o          a result tile was handed over
//     evt_switch_o             a precision switch (see tile_first_of_job_i)
//     evt_job_start_o          the first pass of a job's first tile was issued
//   pass_*_o                   the pass being issued (for waveforms): plane i, plane j,
//                              chunk, precision and tag of the current tile
module bc_array_core #(
  parameter int DM         = 8,
  parameter int DN         = 8,
  parameter int DK         = 64,
  parameter int MAX_BITS   = 16,
  parameter int ACC_W      = 48,
  parameter int ABUF_WORDS = 1024,
  parameter int BBUF_WORDS = 2048,
  parameter int MAX_KC     = 32,
  parameter int TAG_W      = 32,
  parameter int WPW        = 1,    // buffer words per write (one memory beat), power of two
  parameter int AAW       = $clog2(ABUF_WORDS),  // derived
  parameter int BAW       = $clog2(BBUF_WORDS),  // derived
  parameter int ABANK_W   = (DM > 1) ? $clog2(DM) : 1,  // derived
  parameter int BBANK_W   = (DN > 1) ? $clog2(DN) : 1,  // derived
  parameter int KC_W      = $clog2(MAX_KC + 1),  // derived
  parameter int KL_W      = $clog2(DK + 1),  // derived
  parameter int BITS_W    = $clog2(MAX_BITS + 1),  // derived
  parameter int ROWS_W    = $clog2(DM + 1),  // derived
  parameter int COLS_W    = $clog2(DN + 1),  // derived
  parameter int DPU_W     = $clog2(DM * DN + 1),  // derived
  parameter int WR_W      = $clog2(WPW + 1)  // derived
) (
  input  logic                  clk_i,
  input  logic                  rst_ni,

  input  logic                  tile_valid_i,
  output logic                  tile_ready_o,
  input  logic [AAW-1:0]        tile_a_base_i,
  input  logic [BAW-1:0]        tile_b_base_i,
  input  logic [KC_W-1:0]       tile_kc_i,
  input  logic [KL_W-1:0]       tile_klast_i,
  input  logic [BITS_W-1:0]     tile_wbits_i,
  input  logic [BITS_W-1:0]     tile_abits_i,
  input  logic                  tile_wsigned_i,
  input  logic                  tile_asigned_i,
  input  logic [ROWS_W-1:0]     tile_rows_valid_i,
  input  logic [COLS_W-1:0]     tile_cols_valid_i,
  input  logic [TAG_W-1:0]      tile_tag_i,
  input  logic                  tile_first_of_job_i,

  output logic                  result_valid_o,
  input  logic                  result_ready_i,
  output logic [DM*DN*32-1:0]   result_data_o,
  output logic                  result_overflow_o,
  output logic [TAG_W-1:0]      result_tag_o,

  input  logic [WPW-1:0]        abuf_we_i,
  input  logic [ABANK_W-1:0]    abuf_bank_i,
  input  logic [AAW-1:0]        abuf_addr_i,
  input  logic [WPW*DK-1:0]     abuf_wdata_i,
  input  logic [WPW-1:0]        bbuf_we_i,
  input  logic [BBANK_W-1:0]    bbuf_bank_i,
  input  logic [BAW-1:0]        bbuf_addr_i,
  input  logic [WPW*DK-1:0]     bbuf_wdata_i,

  output logic                  evt_busy_o,
  output logic                  evt_compute_o,
  output logic                  evt_stall_o,
  output logic [DPU_W-1:0]      evt_dpu_active_o,
  output logic [ROWS_W-1:0]     evt_abuf_rd_o,
  output logic [COLS_W-1:0]     evt_bbuf_rd_o,
  output logic [WR_W-1:0]       evt_abuf_wr_o,
  output logic [WR_W-1:0]       evt_bbuf_wr_o,
  output logic                  evt_tile_done_o,
  output logic                  evt_switch_o,
  output logic                  evt_job_start_o,

  output logic [BITS_W-1:0]     pass_plane_i_o,
  output logic [BITS_W-1:0]     pass_plane_j_o,
  output logic [KC_W-1:0]       pass_kc_o,
  output logic [BITS_W-1:0]     pass_wbits_o,
  output logic [BITS_W-1:0]     pass_abits_o,
  output logic                  pass_wsigned_o,
  output logic                  pass_asigned_o,
  output logic [TAG_W-1:0]      pass_tag_o
);
  localparam int SHIFT_W = $clog2(2 * MAX_BITS - 1);

  // ---------------------------------------------------------------- S0: issue
  logic                 act_q, act_d;
  logic [AAW-1:0]       a_row_q, a_row_d;    // a_base + kc*wbits
  logic [BAW-1:0]       b_row_q, b_row_d;    // b_base + kc*abits
  logic [KC_W-1:0]      kc_q, kc_d, kcn_q, kcn_d;
  logic [BITS_W-1:0]    i_q, i_d, j_q, j_d;
  logic [KL_W-1:0]      klast_q, klast_d;
  logic [BITS_W-1:0]    wbits_q, wbits_d, abits_q, abits_d;
  logic                 wsigned_q, wsigned_d, asigned_q, asigned_d;
  logic [ROWS_W-1:0]    rows_q, rows_d;
  logic [COLS_W-1:0]    cols_q, cols_d;
  logic [TAG_W-1:0]     tag_q, tag_d;
  logic                 fjob_q, fjob_d;

  logic                 stall, advance, tile_fire;
  logic                 j_last, i_last, kc_last, pass_first, pass_last;

  assign j_last     = (j_q == abits_q - 1'b1);
  assign i_last     = (i_q == wbits_q - 1'b1);
  assign kc_last    = (kc_q == kcn_q - 1'b1);
  assign pass_first = (kc_q == '0) && (i_q == '0) && (j_q == '0);
  assign pass_last  = j_last && i_last && kc_last;

  assign advance      = act_q && !stall;
  assign tile_ready_o = !stall && (!act_q || pass_last);
  assign tile_fire    = tile_valid_i && tile_ready_o;

  always_comb begin
    act_d = act_q;
    a_row_d = a_row_q;
    b_row_d = b_row_q;
    kc_d = kc_q;
    kcn_d = kcn_q;
    i_d = i_q;
    j_d = j_q;
    klast_d = klast_q;
    wbits_d = wbits_q;
    abits_d = abits_q;
    wsigned_d = wsigned_q;
    asigned_d = asigned_q;
    rows_d = rows_q;
    cols_d = cols_q;
    tag_d = tag_q;
    fjob_d = fjob_q;
    if (advance) begin
      if (!j_last) begin
        j_d = j_q + 1'b1;
      end else begin
        j_d = '0;
        if (!i_last) begin
          i_d = i_q + 1'b1;
        end else begin
          i_d = '0;
          kc_d = kc_q + 1'b1;
          a_row_d = a_row_q + AAW'(wbits_q);
          b_row_d = b_row_q + BAW'(abits_q);
          if (kc_last) act_d = 1'b0;
        end
      end
    end
    if (tile_fire) begin
      act_d = 1'b1;
      a_row_d = tile_a_base_i;
      b_row_d = tile_b_base_i;
      kc_d = '0;
      kcn_d = tile_kc_i;
      i_d = '0;
      j_d = '0;
      klast_d = tile_klast_i;
      wbits_d = tile_wbits_i;
      abits_d = tile_abits_i;
      wsigned_d = tile_wsigned_i;
      asigned_d = tile_asigned_i;
      rows_d = tile_rows_valid_i;
      cols_d = tile_cols_valid_i;
      tag_d = tile_tag_i;
      fjob_d = tile_first_of_job_i;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      act_q <= 1'b0;
      a_row_q <= '0;
      b_row_q <= '0;
      kc_q <= '0;
      kcn_q <= '0;
      i_q <= '0;
      j_q <= '0;
      klast_q <= '0;
      wbits_q <= '0;
      abits_q <= '0;
      wsigned_q <= 1'b0;
      asigned_q <= 1'b0;
      rows_q <= '0;
      cols_q <= '0;
      tag_q <= '0;
      fjob_q <= 1'b0;
    end else begin
      act_q <= act_d;
      a_row_q <= a_row_d;
      b_row_q <= b_row_d;
      kc_q <= kc_d;
      kcn_q <= kcn_d;
      i_q <= i_d;
      j_q <= j_d;
      klast_q <= klast_d;
      wbits_q <= wbits_d;
      abits_q <= abits_d;
      wsigned_q <= wsigned_d;
      asigned_q <= asigned_d;
      rows_q <= rows_d;
      cols_q <= cols_d;
      tag_q <= tag_d;
      fjob_q <= fjob_d;
    end
  end

  // Precision of the previous job, for switch counting.
  logic                 prec_valid_q;
  logic [2*BITS_W+1:0]  prec_q, cmd_prec;
  assign cmd_prec = {tile_wbits_i, tile_abits_i, tile_wsigned_i, tile_asigned_i};
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      prec_valid_q <= 1'b0;
      prec_q <= '0;
    end else if (tile_fire && tile_first_of_job_i) begin
      prec_valid_q <= 1'b1;
      prec_q <= cmd_prec;
    end
  end
  assign evt_switch_o = tile_fire && tile_first_of_job_i && prec_valid_q && (cmd_prec != prec_q);

  // ---------------------------------------------------------------- buffers
  logic [AAW-1:0]   a_raddr;
  logic [BAW-1:0]   b_raddr;
  logic             a_re;
  logic [DM*DK-1:0] a_words;   // bank r's read register at [r*DK +: DK]
  logic [DN*DK-1:0] b_words;

  assign a_raddr = a_row_q + AAW'(i_q);
  assign b_raddr = b_row_q + BAW'(j_q);
  // A plane i stays in the read register while j walks the B planes.
  assign a_re = advance && (j_q == '0);

  for (genvar r = 0; r < DM; r++) begin : g_abank
    bc_wide_bank #(.WORDS(ABUF_WORDS), .WIDTH(DK), .LANES(WPW)) u_ram (
      .clk_i   (clk_i),
      .we_i    (abuf_we_i & {WPW{abuf_bank_i == ABANK_W'(r)}}),
      .waddr_i (abuf_addr_i),
      .wdata_i (abuf_wdata_i),
      .re_i    (a_re && (ROWS_W'(r) < rows_q)),
      .raddr_i (a_raddr),
      .rdata_o (a_words[r*DK +: DK])
    );
  end

  for (genvar c = 0; c < DN; c++) begin : g_bbank
    bc_wide_bank #(.WORDS(BBUF_WORDS), .WIDTH(DK), .LANES(WPW)) u_ram (
      .clk_i   (clk_i),
      .we_i    (bbuf_we_i & {WPW{bbuf_bank_i == BBANK_W'(c)}}),
      .waddr_i (bbuf_addr_i),
      .wdata_i (bbuf_wdata_i),
      .re_i    (advance && (COLS_W'(c) < cols_q)),
      .raddr_i (b_raddr),
      .rdata_o (b_words[c*DK +: DK])
    );
  end

  // ---------------------------------------------------------------- S1 / S2 control
  logic                 s1_valid_q, s1_first_q, s1_last_q, s1_neg_q, s1_kclast_q;
  logic [SHIFT_W-1:0]   s1_shift_q;
  logic [KL_W-1:0]      s1_klast_q;
  logic [ROWS_W-1:0]    s1_rows_q;
  logic [COLS_W-1:0]    s1_cols_q;
  logic [TAG_W-1:0]     s1_tag_q;
  logic                 s2_valid_q, s2_first_q, s2_last_q, s2_neg_q;
  logic [SHIFT_W-1:0]   s2_shift_q;
  logic [TAG_W-1:0]     s2_tag_q;
  logic                 pass_neg;

  assign pass_neg = (wsigned_q && i_last) != (asigned_q && j_last);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      s1_valid_q <= 1'b0;
      s1_first_q <= 1'b0;
      s1_last_q <= 1'b0;
      s1_neg_q <= 1'b0;
      s1_kclast_q <= 1'b0;
      s1_shift_q <= '0;
      s1_klast_q <= '0;
      s1_rows_q <= '0;
      s1_cols_q <= '0;
      s1_tag_q <= '0;
      s2_valid_q <= 1'b0;
      s2_first_q <= 1'b0;
      s2_last_q <= 1'b0;
      s2_neg_q <= 1'b0;
      s2_shift_q <= '0;
      s2_tag_q <= '0;
    end else if (!stall) begin
      s1_valid_q <= advance;
      s1_first_q <= pass_first;
      s1_last_q <= pass_last;
      s1_neg_q <= pass_neg;
      s1_kclast_q <= kc_last;
      s1_shift_q <= SHIFT_W'(i_q) + SHIFT_W'(j_q);
      s1_klast_q <= klast_q;
      s1_rows_q <= rows_q;
      s1_cols_q <= cols_q;
      s1_tag_q <= tag_q;
      s2_valid_q <= s1_valid_q;
      s2_first_q <= s1_first_q;
      s2_last_q <= s1_last_q;
      s2_neg_q <= s1_neg_q;
      s2_shift_q <= s1_shift_q;
      s2_tag_q <= s1_tag_q;
    end
  end

  // Bits at or beyond K in the last chunk never count (padding in memory is don't-care).
  logic [DK-1:0] kmask;
  assign kmask = s1_kclast_q ? ~({DK{1'b1}} << s1_klast_q) : {DK{1'b1}};

  logic s1_en, s2_en, s2_done;
  assign s1_en   = s1_valid_q && !stall;
  assign s2_en   = s2_valid_q && !stall;
  assign s2_done = s2_en && s2_last_q;

  // ---------------------------------------------------------------- DPU array
  logic [DM*DN*32-1:0] dpu_result;
  logic [DM*DN-1:0]    dpu_overflow;

  for (genvar r = 0; r < DM; r++) begin : g_row
    for (genvar c = 0; c < DN; c++) begin : g_col
      bc_dpu #(.DK(DK), .ACC_W(ACC_W), .SHIFT_W(SHIFT_W)) u_dpu (
        .clk_i      (clk_i),
        .rst_ni     (rst_ni),
        .s1_en_i    (s1_en),
        .active_i   ((ROWS_W'(r) < s1_rows_q) && (COLS_W'(c) < s1_cols_q)),
        .a_word_i   (a_words[r*DK +: DK]),
        .b_word_i   (b_words[c*DK +: DK]),
        .kmask_i    (kmask),
        .s2_en_i    (s2_en),
        .first_i    (s2_first_q),
        .neg_i      (s2_neg_q),
        .shift_i    (s2_shift_q),
        .result_o   (dpu_result[(r*DN+c)*32 +: 32]),
        .overflow_o (dpu_overflow[r*DN+c])
      );
    end
  end

  // ---------------------------------------------------------------- result register
  logic                 out_valid_q;
  logic [DM*DN*32-1:0]  out_data_q;
  logic                 out_ovf_q;
  logic [TAG_W-1:0]     out_tag_q;

  assign stall = s2_valid_q && s2_last_q && out_valid_q && !result_ready_i;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      out_valid_q <= 1'b0;
      out_data_q <= '0;
      out_ovf_q <= 1'b0;
      out_tag_q <= '0;
    end else if (s2_done) begin
      out_valid_q <= 1'b1;
      out_data_q <= dpu_result;
      out_ovf_q <= |dpu_overflow;
      out_tag_q <= s2_tag_q;
    end else if (result_ready_i) begin
      out_valid_q <= 1'b0;
    end
  end

  assign result_valid_o    = out_valid_q;
  assign result_data_o     = out_data_q;
  assign result_overflow_o = out_ovf_q;
  assign result_tag_o      = out_tag_q;

  // ---------------------------------------------------------------- events
  logic [DPU_W-1:0] dpu_prod;
  assign dpu_prod = DPU_W'(rows_q) * DPU_W'(cols_q);

  assign evt_busy_o       = act_q || s1_valid_q || s2_valid_q || out_valid_q;
  assign evt_compute_o    = advance;
  assign evt_stall_o      = stall;
  assign evt_dpu_active_o = advance ? dpu_prod : '0;
  assign evt_abuf_rd_o    = a_re ? rows_q : '0;
  assign evt_bbuf_rd_o    = advance ? cols_q : '0;
  always_comb begin
    evt_abuf_wr_o = '0;
    evt_bbuf_wr_o = '0;
    for (int l = 0; l < WPW; l++) begin
      evt_abuf_wr_o = evt_abuf_wr_o + WR_W'(abuf_we_i[l]);
      evt_bbuf_wr_o = evt_bbuf_wr_o + WR_W'(bbuf_we_i[l]);
    end
  end
  assign evt_tile_done_o  = out_valid_q && result_ready_i;
  assign evt_job_start_o  = advance && pass_first && fjob_q;

  assign pass_plane_i_o  = i_q;
  assign pass_plane_j_o  = j_q;
  assign pass_kc_o       = kc_q;
  assign pass_wbits_o    = wbits_q;
  assign pass_abits_o    = abits_q;
  assign pass_wsigned_o  = wsigned_q;
  assign pass_asigned_o  = asigned_q;
  assign pass_tag_o      = tag_q;
endmodule
