// Write-back engine: takes result tiles from the array core, pairs each with its
// tile descriptor (pushed by the execute sequencer when the tile was issued), and
// writes the valid rows to C through AXI4 INCR write bursts (AXI_W-bit
// beats at beat-aligned addresses; WSTRB enables exactly the row's bytes, bursts
// never cross 4 KiB). AW and W of a burst are offered together. C elements are
// int32, or per job int16: the int32 result shifted right arithmetically by the
// job's WB_SHIFT, then saturated (a saturation sets the overflow event). A job is reported done once the last tile's write
// responses are all back. Tiles of a failed (poisoned) job are dropped unwritten.
module bc_wb #(
  parameter int DM = 8,
  parameter int DN = 8,
  parameter int TD_DEPTH = 4,
  parameter int AXI_W = 64,
  localparam int ROWS_W = $clog2(DM + 1),
  localparam int COLS_W = $clog2(DN + 1),
  localparam int BB = AXI_W / 8,                        // bytes per beat
  localparam int LB = $clog2(BB),
  localparam int ROW_B = DN * 4,                        // bytes of a full C row
  localparam int NBMAX = (BB - 8 + ROW_B + BB - 1) / BB, // beats of a row, worst alignment
  localparam int BEATS_W = $clog2(NBMAX + 1),
  localparam int WB_W = $clog2(BB + 1)
) (
  input  logic                 clk_i,
  input  logic                 rst_ni,
  // tile descriptors, in issue order
  input  logic                 td_push_i,
  output logic                 td_full_o,
  input  logic [31:0]          td_c_addr_i,   // byte address of element (m0, n0)
  input  logic [31:0]          td_ldc_i,
  input  logic [ROWS_W-1:0]    td_rows_i,
  input  logic [COLS_W-1:0]    td_cols_i,
  input  logic [2:0]           td_seq_i,
  input  logic [31:0]          td_job_id_i,
  input  logic                 td_last_of_job_i,
  input  logic                 td_rel_a_i,    // last tile reading its A slot
  input  logic                 td_rel_b_i,    // last tile reading its B slot
  // result tiles from the core
  input  logic                 res_valid_i,
  output logic                 res_ready_o,
  input  logic [DM*DN*32-1:0]  res_data_i,
  input  logic                 res_ovf_i,
  // job state, by job sequence number
  input  logic [7:0]           poison_i,
  input  logic [7:0]           wb16_i,        // C of the job is int16
  input  logic [8*5-1:0]       wb_shift_i,    // its shift before the int16 saturation
  // AXI4 write channels
  output logic                 m_awvalid_o,
  input  logic                 m_awready_i,
  output logic [31:0]          m_awaddr_o,
  output logic [7:0]           m_awlen_o,
  output logic [2:0]           m_awsize_o,
  output logic [1:0]           m_awburst_o,
  output logic                 m_wvalid_o,
  input  logic                 m_wready_i,
  output logic [AXI_W-1:0]     m_wdata_o,
  output logic [BB-1:0]        m_wstrb_o,
  output logic                 m_wlast_o,
  input  logic                 m_bvalid_i,
  output logic                 m_bready_o,
  input  logic [1:0]           m_bresp_i,
  // events
  output logic                 rel_a_o,
  output logic                 rel_b_o,
  output logic                 done_o,
  output logic [31:0]          done_id_o,
  output logic [2:0]           done_seq_o,
  output logic                 job_end_o,     // last tile of a job retired (done or not)
  output logic                 overflow_o,
  output logic                 wr_err_o,
  output logic [2:0]           wr_err_seq_o,
  output logic [31:0]          wr_err_addr_o,
  output logic [WB_W-1:0]      wr_bytes_o,
  output logic                 busy_o
);
  // ---------------- tile descriptor FIFO ----------------
  localparam int TW = 32 + 32 + ROWS_W + COLS_W + 3 + 32 + 3;
  localparam int TPW = $clog2(TD_DEPTH);
  logic [TW-1:0]  td_q [TD_DEPTH];
  logic [TPW-1:0] td_wr_q, td_rd_q;
  logic [TPW:0]   td_cnt_q;
  logic           td_pop, td_valid;
  logic [TW-1:0]  td_head;
  assign td_valid = td_cnt_q != '0;
  assign td_full_o = 32'(td_cnt_q) == TD_DEPTH;
  assign td_head = td_q[td_rd_q];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      td_wr_q <= '0;
      td_rd_q <= '0;
      td_cnt_q <= '0;
    end else begin
      if (td_push_i) td_wr_q <= td_wr_q + 1'b1;
      if (td_pop) td_rd_q <= td_rd_q + 1'b1;
      td_cnt_q <= td_cnt_q + (TPW+1)'(td_push_i) - (TPW+1)'(td_pop);
    end
  end
  always_ff @(posedge clk_i) begin
    if (td_push_i) td_q[td_wr_q] <= {td_c_addr_i, td_ldc_i, td_rows_i, td_cols_i, td_seq_i,
                                     td_job_id_i, td_last_of_job_i, td_rel_a_i, td_rel_b_i};
  end

  logic [31:0]       h_c_addr, h_ldc, h_job_id;
  logic [ROWS_W-1:0] h_rows;
  logic [COLS_W-1:0] h_cols;
  logic [2:0]        h_seq;
  logic              h_last, h_rel_a, h_rel_b;
  assign {h_c_addr, h_ldc, h_rows, h_cols, h_seq, h_job_id, h_last, h_rel_a, h_rel_b} = td_head;

  // ---------------- tile state ----------------
  typedef enum logic [1:0] { S_IDLE, S_ROWS, S_END } state_e;
  state_e state_q, state_d;
  logic [DM*DN*32-1:0] data_q, data_d;
  logic [31:0]       row_addr_q, row_addr_d, ldc_q, ldc_d, job_id_q, job_id_d;
  logic [ROWS_W-1:0] rows_q, rows_d, row_q, row_d;
  logic [COLS_W-1:0] cols_q, cols_d;
  logic [2:0]        seq_q, seq_d;
  logic              last_q, last_d, wb16_q, wb16_d;
  // current burst
  logic              bu_act_q, bu_act_d, bu_aw_q, bu_aw_d;   // burst in progress, its AW accepted
  logic [BEATS_W-1:0] beat_q, beat_d;     // beats of this row already started
  logic [4:0]        bu_len_q, bu_len_d, bu_cnt_q, bu_cnt_d;  // beats in the burst, beats sent
  logic [31:0]       bu_addr_q, bu_addr_d;
  logic [ROWS_W-1:0] bu_row_q, bu_row_d;  // row and first beat of the burst (row_q/beat_q
  logic [BEATS_W-1:0] bu_beat0_q, bu_beat0_d;  // already point at the next burst)
  logic [LB-1:0]     bu_off_q, bu_off_d;  // byte of the row's first element in its first beat

  localparam logic [31:0] BEAT_MASK = 32'(BB - 1);
  logic [BEATS_W-1:0] row_beats;
  logic [31:0] elem_b;   // bytes per C element
  assign elem_b = wb16_q ? 32'd2 : 32'd4;
  assign row_beats = BEATS_W'(((row_addr_q & BEAT_MASK) + 32'(cols_q) * elem_b + BEAT_MASK) >> LB);

  // outstanding write bursts: addresses, for error reporting
  localparam int OB = 4;
  logic [31:0] ob_addr_q [OB];
  logic [1:0]  ob_wr_q, ob_rd_q;
  logic [2:0]  ob_cnt_q;

  logic accept, aw_fire, w_fire, b_fire, burst_end, start_burst;
  assign accept = (state_q == S_IDLE) && res_valid_i && td_valid;
  assign res_ready_o = accept;
  assign td_pop = accept;

  // next burst of the current row
  logic [31:0] next_addr;
  logic [9:0]  to4k;
  logic [4:0]  next_len;
  logic [BEATS_W-1:0] left;
  assign next_addr = (row_addr_q & ~BEAT_MASK) + (32'(beat_q) << LB);
  assign to4k = 10'((32'd4096 - 32'(next_addr[11:0])) >> LB);
  assign left = row_beats - beat_q;
  always_comb begin
    next_len = 5'(left);
    if (next_len > 5'd16) next_len = 5'd16;
    if (to4k < 10'(next_len)) next_len = 5'(to4k);
  end
  assign start_burst = (state_q == S_ROWS) && !bu_act_q && !poison_i[seq_q] &&
                       (ob_cnt_q != 3'(OB));

  assign m_awvalid_o = bu_act_q && !bu_aw_q;
  assign m_awaddr_o = bu_addr_q;
  assign m_awlen_o = {3'd0, bu_len_q - 5'd1};
  assign m_awsize_o = 3'(LB);
  assign m_awburst_o = 2'b01;
  assign aw_fire = m_awvalid_o && m_awready_i;

  // The row placed at its byte offset in a run of whole beats; beat b of the row
  // is slice b of the run.
  logic [BEATS_W-1:0]      wbeat;
  logic [NBMAX*AXI_W-1:0]  row_run;
  logic [NBMAX*BB-1:0]     strb_run;
  logic [ROW_B-1:0]        row_strb;
  assign wbeat = bu_beat0_q + BEATS_W'(bu_cnt_q);
  always_comb begin
    for (int b = 0; b < ROW_B; b++) row_strb[b] = 32'(b) < 32'(cols_q) * elem_b;
  end
  assign row_run = (NBMAX*AXI_W)'(data_q[32'(bu_row_q) * ROW_B * 8 +: ROW_B * 8]) << (32'(bu_off_q) * 8);
  assign strb_run = (NBMAX*BB)'(row_strb) << bu_off_q;
  assign m_wvalid_o = bu_act_q && (bu_cnt_q != bu_len_q);
  assign m_wdata_o = row_run[32'(wbeat) * AXI_W +: AXI_W];
  assign m_wstrb_o = strb_run[32'(wbeat) * BB +: BB];
  assign m_wlast_o = bu_cnt_q + 5'd1 == bu_len_q;
  assign w_fire = m_wvalid_o && m_wready_i;
  assign burst_end = bu_act_q && (bu_aw_q || aw_fire) &&
                     ((bu_cnt_q == bu_len_q) || (w_fire && m_wlast_o));

  assign m_bready_o = 1'b1;
  assign b_fire = m_bvalid_i && m_bready_o;


  // int16 write-back of the incoming tile: element e >>> shift, saturated; a row's
  // int16 elements are packed at the bottom of its int32 slot.
  logic [4:0]          in_shift;
  logic                in_wb16;
  logic [DM*DN*16-1:0] val16;
  logic [DM*DN-1:0]    sat16;
  logic [DM*DN*32-1:0] res16;
  assign in_wb16 = wb16_i[h_seq];
  assign in_shift = wb_shift_i[32'(h_seq) * 5 +: 5];
  for (genvar e = 0; e < DM * DN; e++) begin : g_wb16
    logic [31:0] shifted;
    logic        hi, lo;
    assign shifted = 32'($signed(res_data_i[e*32 +: 32]) >>> in_shift);
    assign hi = !shifted[31] && (shifted[30:15] != '0);
    assign lo = shifted[31] && (shifted[30:15] != '1);
    assign sat16[e] = hi || lo;
    assign val16[e*16 +: 16] = hi ? 16'h7fff : (lo ? 16'h8000 : shifted[15:0]);
  end
  for (genvar r = 0; r < DM; r++) begin : g_row16
    assign res16[r*DN*32 +: DN*32] = {{(DN*16){1'b0}}, val16[r*DN*16 +: DN*16]};
  end

  logic tile_rows_done;
  assign tile_rows_done = (state_q == S_ROWS) && !bu_act_q &&
                          ((row_q == rows_q) || poison_i[seq_q]);

  always_comb begin
    state_d = state_q;
    data_d = data_q;
    row_addr_d = row_addr_q;
    ldc_d = ldc_q;
    job_id_d = job_id_q;
    rows_d = rows_q;
    row_d = row_q;
    cols_d = cols_q;
    seq_d = seq_q;
    last_d = last_q;
    wb16_d = wb16_q;
    bu_act_d = bu_act_q;
    bu_aw_d = bu_aw_q;
    beat_d = beat_q;
    bu_len_d = bu_len_q;
    bu_cnt_d = bu_cnt_q;
    bu_addr_d = bu_addr_q;
    bu_row_d = bu_row_q;
    bu_beat0_d = bu_beat0_q;
    bu_off_d = bu_off_q;
    case (state_q)
      S_IDLE: if (accept) begin
        state_d = S_ROWS;
        data_d = in_wb16 ? res16 : res_data_i;
        wb16_d = in_wb16;
        row_addr_d = h_c_addr;
        ldc_d = h_ldc;
        job_id_d = h_job_id;
        rows_d = h_rows;
        row_d = '0;
        cols_d = h_cols;
        seq_d = h_seq;
        last_d = h_last;
        beat_d = '0;
      end
      S_ROWS: begin
        if (tile_rows_done) begin
          state_d = S_END;
        end else if (start_burst) begin
          bu_act_d = 1'b1;
          bu_aw_d = 1'b0;
          bu_len_d = next_len;
          bu_cnt_d = '0;
          bu_addr_d = next_addr;
          bu_row_d = row_q;
          bu_beat0_d = beat_q;
          bu_off_d = LB'(row_addr_q);
          if (beat_q + BEATS_W'(next_len) == row_beats) begin
            beat_d = '0;
            row_d = row_q + 1'b1;
            row_addr_d = row_addr_q + ldc_q;
          end else begin
            beat_d = beat_q + BEATS_W'(next_len);
          end
        end
        if (bu_act_q) begin
          if (aw_fire) bu_aw_d = 1'b1;
          if (w_fire) bu_cnt_d = bu_cnt_q + 5'd1;
          if (burst_end) bu_act_d = 1'b0;
        end
      end
      default: begin  // S_END: a job's last tile waits for all write responses
        if (!last_q || ob_cnt_q == '0) state_d = S_IDLE;
      end
    endcase
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= S_IDLE;
      data_q <= '0;
      row_addr_q <= '0;
      ldc_q <= '0;
      job_id_q <= '0;
      rows_q <= '0;
      row_q <= '0;
      cols_q <= '0;
      seq_q <= '0;
      last_q <= 1'b0;
      wb16_q <= 1'b0;
      bu_act_q <= 1'b0;
      bu_aw_q <= 1'b0;
      beat_q <= '0;
      bu_len_q <= '0;
      bu_cnt_q <= '0;
      bu_addr_q <= '0;
      bu_row_q <= '0;
      bu_beat0_q <= '0;
      bu_off_q <= '0;
    end else begin
      state_q <= state_d;
      data_q <= data_d;
      row_addr_q <= row_addr_d;
      ldc_q <= ldc_d;
      job_id_q <= job_id_d;
      rows_q <= rows_d;
      row_q <= row_d;
      cols_q <= cols_d;
      seq_q <= seq_d;
      last_q <= last_d;
      wb16_q <= wb16_d;
      bu_act_q <= bu_act_d;
      bu_aw_q <= bu_aw_d;
      beat_q <= beat_d;
      bu_len_q <= bu_len_d;
      bu_cnt_q <= bu_cnt_d;
      bu_addr_q <= bu_addr_d;
      bu_row_q <= bu_row_d;
      bu_beat0_q <= bu_beat0_d;
      bu_off_q <= bu_off_d;
    end
  end

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      ob_wr_q <= '0;
      ob_rd_q <= '0;
      ob_cnt_q <= '0;
    end else begin
      if (aw_fire) ob_wr_q <= ob_wr_q + 1'b1;
      if (b_fire) ob_rd_q <= ob_rd_q + 1'b1;
      ob_cnt_q <= ob_cnt_q + 3'(aw_fire) - 3'(b_fire);
    end
  end
  always_ff @(posedge clk_i) begin
    // the burst's first strobed byte (a row's first burst starts at its first element)
    if (aw_fire) ob_addr_q[ob_wr_q] <= bu_addr_q | ((bu_beat0_q == '0) ? 32'(bu_off_q) : 32'd0);
  end

  logic job_end;
  assign job_end = (state_q == S_END) && last_q && (ob_cnt_q == '0);
  assign job_end_o = job_end;
  assign done_o = job_end && !poison_i[seq_q];
  assign done_id_o = job_id_q;
  assign done_seq_o = seq_q;
  assign rel_a_o = accept && h_rel_a;
  assign rel_b_o = accept && h_rel_b;
  assign overflow_o = accept && (res_ovf_i || (in_wb16 && (|sat16))) && !poison_i[h_seq];
  assign wr_err_o = b_fire && m_bresp_i[1];
  assign wr_err_seq_o = seq_q;
  assign wr_err_addr_o = ob_addr_q[ob_rd_q];
  always_comb begin
    wr_bytes_o = '0;
    for (int b = 0; b < BB; b++) wr_bytes_o = wr_bytes_o + WB_W'(w_fire && m_wstrb_o[b]);
  end
  assign busy_o = (state_q != S_IDLE) || td_valid || (ob_cnt_q != '0);

  logic unused_bits;
  assign unused_bits = ^{m_bresp_i[0]};

`ifndef SYNTHESIS
`ifdef VERILATOR
  // Contracts (checked under verilator --assert; Icarus and Yosys skip them).
  // sva_on_q: out of reset (a flop, so rst_ni stays a pure asynchronous reset).
  logic sva_on_q;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) sva_on_q <= 1'b0;
    else sva_on_q <= 1'b1;
  end
  // AW and W: VALID holds and the payload is stable until READY.
  assert property (@(posedge clk_i) disable iff (!sva_on_q)
                   m_awvalid_o && !m_awready_i |=> m_awvalid_o && $stable(m_awaddr_o) && $stable(m_awlen_o));
  assert property (@(posedge clk_i) disable iff (!sva_on_q)
                   m_wvalid_o && !m_wready_i |=> m_wvalid_o && $stable(m_wdata_o) && $stable(m_wstrb_o) &&
                   $stable(m_wlast_o));
  // INCR bursts of the bus size, beat-aligned, at most 16 beats, never across 4 KiB;
  // every beat writes at least one byte.
  assert property (@(posedge clk_i) disable iff (!sva_on_q)
                   m_awvalid_o |-> m_awburst_o == 2'b01 && m_awsize_o == 3'(LB) && m_awlen_o < 8'd16 &&
                   (m_awaddr_o & BEAT_MASK) == '0 &&
                   32'(m_awaddr_o[11:0]) + (32'(m_awlen_o) + 1) * BB <= 32'd4096);
  assert property (@(posedge clk_i) disable iff (!sva_on_q) m_wvalid_o |-> m_wstrb_o != '0);
  // A tile has 1..DM rows and 1..DN columns; at most OB bursts wait for a response.
  assert property (@(posedge clk_i) disable iff (!sva_on_q)
                   accept |-> h_rows != '0 && 32'(h_rows) <= DM && h_cols != '0 && 32'(h_cols) <= DN);
  assert property (@(posedge clk_i) disable iff (!sva_on_q) 32'(ob_cnt_q) <= OB);
  // Known values after reset.
  assert property (@(posedge clk_i) disable iff (!sva_on_q) !$isunknown({m_awvalid_o, m_wvalid_o, busy_o, done_o}));
`endif
`endif
endmodule
