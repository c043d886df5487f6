// Execute sequencer: walks each job's loop nest in the same order as the fetch
// engine and issues one tile command per output tile to bc_array_core:
//   for each B panel, for each A block (DM rows), for each column tile of the panel.
// A tile is offered once its A and B slots are filled and the write-back engine has
// room for its descriptor. The command is a function of registered state and the
// next job is popped on the cycle its predecessor's last tile is taken, so tiles of
// consecutive jobs follow without idle cycles. Tiles of a failed (poisoned) job run
// as 1-plane, 1-chunk passes so the job drains quickly; their results are dropped.
module bc_exec #(
  parameter int DM         = 8,
  parameter int DN         = 8,
  parameter int MAX_BITS   = 16,
  parameter int ABUF_WORDS = 1024,
  parameter int BBUF_WORDS = 2048,
  parameter int MAX_KC     = 32,
  localparam int AAW    = $clog2(ABUF_WORDS),
  localparam int BAW    = $clog2(BBUF_WORDS),
  localparam int KC_W   = $clog2(MAX_KC + 1),
  localparam int BITS_W = $clog2(MAX_BITS + 1),
  localparam int ROWS_W = $clog2(DM + 1),
  localparam int COLS_W = $clog2(DN + 1),
  localparam int JW = 13 + 13 + 7 + 7 + 5 + 5 + 1 + 1 + 32 + 32 + 32 + 3 + 13 + 1
) (
  input  logic              clk_i,
  input  logic              rst_ni,
  // job FIFO input (from the fetch engine and the queue head)
  input  logic              job_push_i,
  output logic              job_full_o,
  input  logic [12:0]       job_m_i,
  input  logic [12:0]       job_n_i,
  input  logic [6:0]        job_kc_i,
  input  logic [6:0]        job_klast_i,
  input  logic [4:0]        job_wbits_i,
  input  logic [4:0]        job_abits_i,
  input  logic              job_wsigned_i,
  input  logic              job_asigned_i,
  input  logic              job_wb16_i,     // C elements are int16 (2 bytes), else int32
  input  logic [31:0]       job_c_addr_i,
  input  logic [31:0]       job_ldc_i,
  input  logic [31:0]       job_id_i,
  input  logic [2:0]        job_seq_i,
  input  logic [12:0]       job_panel_i,
  // slot state
  input  logic [1:0]        a_full_i,
  input  logic [12:0]       b_tiles0_i,    // column tiles filled in B slot 0 / 1
  input  logic [12:0]       b_tiles1_i,
  input  logic [7:0]        poison_i,
  input  logic              td_full_i,
  // tile command to the core
  output logic              tile_valid_o,
  input  logic              tile_ready_i,
  output logic [AAW-1:0]    tile_a_base_o,
  output logic [BAW-1:0]    tile_b_base_o,
  output logic [KC_W-1:0]   tile_kc_o,
  output logic [6:0]        tile_klast_o,
  output logic [BITS_W-1:0] tile_wbits_o,
  output logic [BITS_W-1:0] tile_abits_o,
  output logic              tile_wsigned_o,
  output logic              tile_asigned_o,
  output logic [ROWS_W-1:0] tile_rows_o,
  output logic [COLS_W-1:0] tile_cols_o,
  output logic [31:0]       tile_tag_o,
  output logic              tile_first_o,
  // tile descriptor to the write-back engine (pushed when the tile is taken)
  output logic              td_push_o,
  output logic [31:0]       td_c_addr_o,
  output logic [31:0]       td_ldc_o,
  output logic [2:0]        td_seq_o,
  output logic [31:0]       td_job_id_o,
  output logic              td_last_of_job_o,
  output logic              td_rel_a_o,
  output logic              td_rel_b_o,
  output logic [1:0]        state_o,      // seq_state: 0 idle, 1 issuing, 2 operands, 3 write-back
  output logic              busy_o
);
  localparam int AHALF = ABUF_WORDS / 2;
  localparam int BHALF = BBUF_WORDS / 2;

  // ---------------- job FIFO (depth 2) ----------------
  logic [JW-1:0] jq_q [2];
  logic          jq_wr_q, jq_rd_q;
  logic [1:0]    jq_cnt_q;
  logic          jq_pop;
  assign job_full_o = jq_cnt_q == 2'd2;
  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      jq_wr_q <= 1'b0;
      jq_rd_q <= 1'b0;
      jq_cnt_q <= '0;
    end else begin
      if (job_push_i) jq_wr_q <= !jq_wr_q;
      if (jq_pop) jq_rd_q <= !jq_rd_q;
      jq_cnt_q <= jq_cnt_q + 2'(job_push_i) - 2'(jq_pop);
    end
  end
  always_ff @(posedge clk_i) begin
    if (job_push_i) jq_q[jq_wr_q] <= {job_m_i, job_n_i, job_kc_i, job_klast_i, job_wbits_i,
                                      job_abits_i, job_wsigned_i, job_asigned_i, job_c_addr_i,
                                      job_ldc_i, job_id_i, job_seq_i, job_panel_i, job_wb16_i};
  end

  // ---------------- current job ----------------
  logic        act_q;
  logic [12:0] m_q, n_q, panel_q;
  logic [6:0]  kc_q, klast_q;
  logic [4:0]  wbits_q, abits_q;
  logic        ws_q, as_q, first_q, wb16_q;
  logic [31:0] c_addr_q, ldc_q, id_q;
  logic [2:0]  seq_q;
  // loop state
  logic [12:0] m0_q, n0_q, t_q;     // block row, panel column, tile within panel
  logic [15:0] b_off_q;             // t * kc * abits
  logic        a_slot_q, b_slot_q;
  logic [31:0] c_row_q;             // address of C element (m0, 0) (replaces m0 * ldc)

  logic [12:0] col0, m_left, n_left_tile;
  assign col0 = n0_q + 13'(32'(t_q) * 32'(DN));
  assign m_left = m_q - m0_q;
  assign n_left_tile = n_q - col0;

  logic last_tile_in_panel, last_block, last_panel, last_tile_of_job;
  assign last_tile_in_panel = (t_q + 13'd1 == panel_q) || (n_left_tile <= 13'(DN));
  assign last_block = m_left <= 13'(DM);
  assign last_panel = (n_q - n0_q) <= 13'(32'(panel_q) * 32'(DN));
  assign last_tile_of_job = last_tile_in_panel && last_block && last_panel;

  logic poisoned, ops_ready;
  assign poisoned = poison_i[seq_q];
  // a tile may start as soon as its own B column tile has arrived
  logic [12:0] b_tiles;
  assign b_tiles = b_slot_q ? b_tiles1_i : b_tiles0_i;
  assign ops_ready = a_full_i[a_slot_q] && (b_tiles > t_q);
  assign tile_valid_o = act_q && ops_ready && !td_full_i;

  assign tile_a_base_o = AAW'(a_slot_q ? AHALF : 0);
  assign tile_b_base_o = BAW'(32'(b_slot_q ? BHALF : 0) + 32'(b_off_q));
  assign tile_kc_o = poisoned ? KC_W'(1) : KC_W'(kc_q);
  assign tile_klast_o = klast_q;
  assign tile_wbits_o = poisoned ? BITS_W'(1) : BITS_W'(wbits_q);
  assign tile_abits_o = poisoned ? BITS_W'(1) : BITS_W'(abits_q);
  assign tile_wsigned_o = ws_q;
  assign tile_asigned_o = as_q;
  assign tile_rows_o = (m_left < 13'(DM)) ? ROWS_W'(m_left) : ROWS_W'(DM);
  assign tile_cols_o = (n_left_tile < 13'(DN)) ? COLS_W'(n_left_tile) : COLS_W'(DN);
  assign tile_tag_o = id_q;
  assign tile_first_o = first_q && !poisoned;

  logic fire;
  assign fire = tile_valid_o && tile_ready_i;
  assign td_push_o = fire;
  assign td_c_addr_o = c_row_q + (wb16_q ? {18'd0, col0, 1'b0} : {17'd0, col0, 2'b00});
  assign td_ldc_o = ldc_q;
  assign td_seq_o = seq_q;
  assign td_job_id_o = id_q;
  assign td_last_of_job_o = last_tile_of_job;
  assign td_rel_a_o = last_tile_in_panel;
  assign td_rel_b_o = last_tile_in_panel && last_block;

  assign jq_pop = (jq_cnt_q != 2'd0) && (!act_q || (fire && last_tile_of_job));

  logic [12:0] h_m, h_n, h_panel;
  logic [6:0]  h_kc, h_klast;
  logic [4:0]  h_wbits, h_abits;
  logic        h_ws, h_as, h_wb16;
  logic [31:0] h_c_addr, h_ldc, h_id;
  logic [2:0]  h_seq;
  assign {h_m, h_n, h_kc, h_klast, h_wbits, h_abits, h_ws, h_as, h_c_addr, h_ldc, h_id, h_seq,
          h_panel, h_wb16} = jq_q[jq_rd_q];

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      act_q <= 1'b0;
      m_q <= '0;
      n_q <= '0;
      panel_q <= '0;
      kc_q <= '0;
      klast_q <= '0;
      wbits_q <= '0;
      abits_q <= '0;
      ws_q <= 1'b0;
      as_q <= 1'b0;
      wb16_q <= 1'b0;
      first_q <= 1'b0;
      c_addr_q <= '0;
      ldc_q <= '0;
      id_q <= '0;
      seq_q <= '0;
      m0_q <= '0;
      n0_q <= '0;
      t_q <= '0;
      b_off_q <= '0;
      a_slot_q <= 1'b0;
      b_slot_q <= 1'b0;
      c_row_q <= '0;
    end else begin
      if (fire) begin
        first_q <= 1'b0;
        if (!last_tile_in_panel) begin
          t_q <= t_q + 13'd1;
          b_off_q <= b_off_q + 16'(kc_q) * 16'(abits_q);
        end else begin
          t_q <= '0;
          b_off_q <= '0;
          a_slot_q <= !a_slot_q;
          if (!last_block) begin
            m0_q <= m0_q + 13'(DM);
            c_row_q <= c_row_q + ldc_q * 32'(DM);
          end else begin
            m0_q <= '0;
            c_row_q <= c_addr_q;
            b_slot_q <= !b_slot_q;
            n0_q <= n0_q + 13'(32'(panel_q) * 32'(DN));
            if (last_panel) act_q <= 1'b0;
          end
        end
      end
      if (jq_pop) begin
        act_q <= 1'b1;
        m_q <= h_m;
        n_q <= h_n;
        panel_q <= h_panel;
        kc_q <= h_kc;
        klast_q <= h_klast;
        wbits_q <= h_wbits;
        abits_q <= h_abits;
        ws_q <= h_ws;
        as_q <= h_as;
        wb16_q <= h_wb16;
        first_q <= 1'b1;
        c_addr_q <= h_c_addr;
        ldc_q <= h_ldc;
        id_q <= h_id;
        seq_q <= h_seq;
        m0_q <= '0;
        n0_q <= '0;
        t_q <= '0;
        b_off_q <= '0;
        c_row_q <= h_c_addr;
      end
    end
  end

  always_comb begin
    if (!act_q) state_o = 2'd0;
    else if (!ops_ready) state_o = 2'd2;
    else if (td_full_i) state_o = 2'd3;
    else state_o = 2'd1;
  end
  assign busy_o = act_q || (jq_cnt_q != 2'd0);
endmodule
