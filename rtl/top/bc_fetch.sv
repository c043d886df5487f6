// Fetch engine: pops descriptors from the command queue, validates them, hands
// valid jobs to the execute sequencer and requests operand loads into the
// double-buffered slots ahead of it. Two walkers share the job list (2 jobs):
//   A walker: for each B panel, for each A block (DM rows): load the block into
//             the next A slot once it is free;
//   B walker: for each B panel: load the panel (PANEL column tiles) into the next
//             B slot once it is free, one column tile per request.
// The B walker runs ahead independently (into the next job), so a job's B panel
// is fetched while the previous job still computes. A requests win arbitration;
// a B panel is split into column-tile requests so an A block never waits behind
// a whole panel. A slot is free again when the write-back engine has taken the
// result of the last tile that reads it.
module bc_fetch #(
  parameter int DM         = 8,
  parameter int DN         = 8,
  parameter int ABUF_WORDS = 1024,
  parameter int BBUF_WORDS = 2048,
  localparam int DW = bc_top_pkg::DESC_W
) (
  input  logic          clk_i,
  input  logic          rst_ni,
  input  logic          flush_i,       // soft reset: the queue is being emptied
  // command queue head
  input  logic          q_empty_i,
  input  logic [DW-1:0] q_head_i,
  output logic          q_pop_o,
  // validation of the head
  input  logic [4:0]    chk_err_i,
  input  logic [6:0]    chk_kc_i,
  input  logic [6:0]    chk_klast_i,
  input  logic [12:0]   chk_panel_i,
  // rejected descriptor
  output logic          bad_o,
  output logic [4:0]    bad_code_o,
  output logic [31:0]   bad_id_o,
  // accepted job -> execute sequencer
  input  logic          job_full_i,
  output logic          job_push_o,
  output logic [2:0]    job_seq_o,
  output logic [6:0]    job_kc_o,
  output logic [6:0]    job_klast_o,
  output logic [12:0]   job_panel_o,
  // slot bookkeeping
  input  logic [1:0]    a_used_i,
  input  logic [1:0]    b_used_i,
  output logic          a_claim_o,     // a load into slot a_slot_o was requested
  output logic          b_claim_o,
  output logic          a_slot_o,
  output logic          b_slot_o,
  input  logic [7:0]    poison_i,
  // load requests -> DMA read engine
  output logic          req_valid_o,
  input  logic          req_ready_i,
  output logic          req_is_b_o,
  output logic          req_slot_o,
  output logic          req_skip_o,
  output logic [2:0]    req_seq_o,
  output logic [12:0]   req_rows_o,
  output logic [9:0]    req_words_o,
  output logic [15:0]   req_base_o,
  output logic [31:0]   req_addr_o,
  output logic [31:0]   req_ld_o,
  output logic          busy_o
);
  localparam int AHALF = ABUF_WORDS / 2;
  localparam int BHALF = BBUF_WORDS / 2;
  // job list entry: a_addr, b_addr, lda, ldb, m, n, panel, a_words, b_words, seq
  localparam int JW = 32 * 4 + 13 * 3 + 10 * 2 + 3;

  // ---------------------------------------------------------------- job list
  logic [JW-1:0] jl_q [2];
  logic [1:0]    jl_valid_q, a_done_q, b_done_q;
  logic          jl_wr_q, a_ptr_q, b_ptr_q;
  logic [2:0]    next_seq_q;

  logic take, take_ok;
  assign take = !q_empty_i && !job_full_i && !flush_i && !jl_valid_q[jl_wr_q];
  assign take_ok = take && (chk_err_i == bc_regs_pkg::ERR_NONE);
  assign q_pop_o = take;
  assign bad_o = take && (chk_err_i != bc_regs_pkg::ERR_NONE);
  assign bad_code_o = chk_err_i;
  assign bad_id_o = q_head_i[bc_top_pkg::D_ID +: 32];
  assign job_push_o = take_ok;
  assign job_seq_o = next_seq_q;
  assign job_kc_o = chk_kc_i;
  assign job_klast_o = chk_klast_i;
  assign job_panel_o = chk_panel_i;

  logic [9:0] new_a_words, new_b_words;
  assign new_a_words = 10'(chk_kc_i) * 10'(q_head_i[bc_top_pkg::D_WBITS +: 5]);
  assign new_b_words = 10'(chk_kc_i) * 10'(q_head_i[bc_top_pkg::D_ABITS +: 5]);

  // ---------------------------------------------------------------- walkers
  // A walker
  logic        a_act_q;
  logic [12:0] a_m0_q, a_n0_q;
  logic        a_slot_q;
  logic [31:0] a_row_addr_q;    // address of A row m0 (replaces m0 * lda)
  // B walker
  logic        b_act_q;
  logic [12:0] b_n0_q, b_t_q;      // panel start column, tile within the panel
  logic        b_slot_q;
  logic [31:0] b_tile_addr_q;      // address of B row (column of B) b_col

  logic [31:0] ea_a_addr, ea_b_addr, ea_lda, ea_ldb, eb_a_addr, eb_b_addr, eb_lda, eb_ldb;
  logic [12:0] ea_m, ea_n, ea_panel, eb_m, eb_n, eb_panel;
  logic [9:0]  ea_a_words, ea_b_words, eb_a_words, eb_b_words;
  logic [2:0]  ea_seq, eb_seq;
  assign {ea_a_addr, ea_b_addr, ea_lda, ea_ldb, ea_m, ea_n, ea_panel, ea_a_words, ea_b_words,
          ea_seq} = jl_q[a_ptr_q];
  assign {eb_a_addr, eb_b_addr, eb_lda, eb_ldb, eb_m, eb_n, eb_panel, eb_a_words, eb_b_words,
          eb_seq} = jl_q[b_ptr_q];

  // A walker request
  logic [12:0] a_panel_cols, a_m_left, a_n_left, a_rows;
  assign a_panel_cols = 13'(32'(ea_panel) * 32'(DN));
  assign a_m_left = ea_m - a_m0_q;
  assign a_n_left = ea_n - a_n0_q;
  assign a_rows = (a_m_left < 13'(DM)) ? a_m_left : 13'(DM);
  logic a_req;
  assign a_req = a_act_q && !a_used_i[a_slot_q];

  // B walker request: column tile b_t of the panel at b_n0
  logic [12:0] b_panel_cols, b_col, b_n_left_panel, b_n_left_tile, b_rows;
  logic        b_last_tile;
  assign b_panel_cols = 13'(32'(eb_panel) * 32'(DN));
  assign b_col = b_n0_q + 13'(32'(b_t_q) * 32'(DN));
  assign b_n_left_panel = eb_n - b_n0_q;
  assign b_n_left_tile = eb_n - b_col;
  assign b_rows = (b_n_left_tile < 13'(DN)) ? b_n_left_tile : 13'(DN);
  assign b_last_tile = (b_t_q + 13'd1 == eb_panel) || (b_n_left_tile <= 13'(DN));
  logic b_req;
  // the first tile of a panel needs the slot free; later tiles continue the fill
  assign b_req = b_act_q && (b_t_q != '0 || !b_used_i[b_slot_q]);

  // A blocks win, except against the B walker filling the very panel the A walker
  // is in once that panel's first block is loaded: the array starts on block 0 as
  // soon as the panel's first column tile is in, and needs the panel's remaining
  // column tiles before any later block.
  logic sel_a, b_same_panel;
  assign b_same_panel = b_act_q && (b_ptr_q == a_ptr_q) && (b_n0_q == a_n0_q);
  assign sel_a = a_req && !(b_req && b_same_panel && a_m0_q != '0);
  assign req_valid_o = a_req || b_req;
  assign req_is_b_o = !sel_a;
  assign req_slot_o = sel_a ? a_slot_q : b_slot_q;
  assign req_skip_o = sel_a ? poison_i[ea_seq] : poison_i[eb_seq];
  assign req_seq_o = sel_a ? ea_seq : eb_seq;
  assign req_rows_o = sel_a ? a_rows : b_rows;
  assign req_words_o = sel_a ? ea_a_words : eb_b_words;
  assign req_base_o = sel_a ? 16'(a_slot_q ? AHALF : 0)
                            : 16'(32'(b_slot_q ? BHALF : 0) + 32'(b_t_q) * 32'(eb_b_words));
  assign req_addr_o = sel_a ? a_row_addr_q : b_tile_addr_q;
  assign req_ld_o = sel_a ? ea_lda : eb_ldb;

  logic fire, a_fire, b_fire;
  assign fire = req_valid_o && req_ready_i;
  assign a_fire = fire && sel_a;
  assign b_fire = fire && !sel_a;
  assign a_claim_o = a_fire;
  assign b_claim_o = b_fire && (b_t_q == '0);
  assign a_slot_o = a_slot_q;
  assign b_slot_o = b_slot_q;

  logic a_job_end, b_job_end;
  assign a_job_end = a_fire && (a_m_left <= 13'(DM)) && (a_n_left <= a_panel_cols);
  assign b_job_end = b_fire && b_last_tile && (b_n_left_panel <= b_panel_cols);

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      jl_valid_q <= '0;
      a_done_q <= '0;
      b_done_q <= '0;
      jl_wr_q <= 1'b0;
      a_ptr_q <= 1'b0;
      b_ptr_q <= 1'b0;
      next_seq_q <= '0;
      a_act_q <= 1'b0;
      a_m0_q <= '0;
      a_n0_q <= '0;
      a_slot_q <= 1'b0;
      a_row_addr_q <= '0;
      b_tile_addr_q <= '0;
      b_act_q <= 1'b0;
      b_n0_q <= '0;
      b_t_q <= '0;
      b_slot_q <= 1'b0;
    end else begin
      // ---- job list: append accepted jobs
      if (take_ok) begin
        jl_valid_q[jl_wr_q] <= 1'b1;
        a_done_q[jl_wr_q] <= 1'b0;
        b_done_q[jl_wr_q] <= 1'b0;
        jl_wr_q <= !jl_wr_q;
        next_seq_q <= next_seq_q + 3'd1;
      end
      // ---- A walker
      if (!a_act_q) begin
        if (jl_valid_q[a_ptr_q] && !a_done_q[a_ptr_q]) begin
          a_act_q <= 1'b1;
          a_m0_q <= '0;
          a_n0_q <= '0;
          a_row_addr_q <= ea_a_addr;
        end
      end else if (a_fire) begin
        a_slot_q <= !a_slot_q;
        a_row_addr_q <= a_row_addr_q + ea_lda * 32'(DM);
        if (a_m_left <= 13'(DM)) begin
          a_m0_q <= '0;
          a_row_addr_q <= ea_a_addr;
          a_n0_q <= a_n0_q + a_panel_cols;
          if (a_n_left <= a_panel_cols) begin
            a_act_q <= 1'b0;
            a_done_q[a_ptr_q] <= 1'b1;
            a_ptr_q <= !a_ptr_q;
          end
        end else begin
          a_m0_q <= a_m0_q + 13'(DM);
        end
      end
      // ---- B walker
      if (!b_act_q) begin
        if (jl_valid_q[b_ptr_q] && !b_done_q[b_ptr_q]) begin
          b_act_q <= 1'b1;
          b_n0_q <= '0;
          b_t_q <= '0;
          b_tile_addr_q <= eb_b_addr;
        end
      end else if (b_fire) begin
        b_tile_addr_q <= b_tile_addr_q + eb_ldb * 32'(DN);
        if (!b_last_tile) begin
          b_t_q <= b_t_q + 13'd1;
        end else begin
          b_t_q <= '0;
          b_slot_q <= !b_slot_q;
          b_n0_q <= b_n0_q + b_panel_cols;
          if (b_n_left_panel <= b_panel_cols) begin
            b_act_q <= 1'b0;
            b_done_q[b_ptr_q] <= 1'b1;
            b_ptr_q <= !b_ptr_q;
          end
        end
      end
      // ---- retire entries both walkers have finished
      for (int e = 0; e < 2; e++) begin
        if (jl_valid_q[e] && (a_done_q[e] || (a_job_end && a_ptr_q == 1'(e))) &&
            (b_done_q[e] || (b_job_end && b_ptr_q == 1'(e)))) begin
          jl_valid_q[e] <= 1'b0;
        end
      end
    end
  end

  always_ff @(posedge clk_i) begin
    if (take_ok) begin
      jl_q[jl_wr_q] <= {q_head_i[bc_top_pkg::D_A_ADDR +: 32], q_head_i[bc_top_pkg::D_B_ADDR +: 32],
                        q_head_i[bc_top_pkg::D_LDA +: 32], q_head_i[bc_top_pkg::D_LDB +: 32],
                        q_head_i[bc_top_pkg::D_M +: 13], q_head_i[bc_top_pkg::D_N +: 13],
                        chk_panel_i, new_a_words, new_b_words, next_seq_q};
    end
  end

  assign busy_o = |jl_valid_q;

  // The execute sequencer takes the remaining descriptor fields from the head.
  logic unused_fields;
  assign unused_fields = ^{q_head_i[bc_top_pkg::D_C_ADDR +: 32], q_head_i[bc_top_pkg::D_K +: 32],
                           q_head_i[bc_top_pkg::D_LDC +: 32], q_head_i[bc_top_pkg::D_M + 13 +: 19],
                           q_head_i[bc_top_pkg::D_N + 13 +: 19], q_head_i[bc_top_pkg::D_WSIGNED],
                           q_head_i[bc_top_pkg::D_ASIGNED], q_head_i[bc_top_pkg::D_WB16],
                           q_head_i[bc_top_pkg::D_WB_SHIFT +: 5], ea_b_addr, ea_ldb, ea_b_words,
                           eb_a_addr, eb_lda, eb_m, eb_a_words};
endmodule
