// Fetch engine: pops descriptors from the command queue, validates them, hands
// valid jobs to the execute sequencer and walks the job's loop nest ahead of it,
// requesting operand loads into the double-buffered slots:
//   for each B panel (PANEL column tiles): load the panel into the free B slot,
//     for each A block (DM rows): load the block into the free A slot.
// A slot is free again when the write-back engine has taken the result of the last
// tile that reads it. The walk continues into the next job without waiting, so the
// next job's operands arrive while the current one computes.
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

  typedef enum logic [1:0] { F_IDLE, F_BLOAD, F_ALOAD } state_e;
  state_e      state_q;
  logic [2:0]  seq_q, next_seq_q;
  logic [31:0] a_addr_q, b_addr_q, lda_q, ldb_q;
  logic [12:0] m_q, n_q, panel_q, m0_q, n0_q;
  logic [9:0]  a_words_q, b_words_q;
  logic        a_slot_q, b_slot_q;

  logic take;
  assign take = (state_q == F_IDLE) && !q_empty_i && !job_full_i && !flush_i;
  assign q_pop_o = take;
  assign bad_o = take && (chk_err_i != bc_regs_pkg::ERR_NONE);
  assign bad_code_o = chk_err_i;
  assign bad_id_o = q_head_i[bc_top_pkg::D_ID +: 32];
  assign job_push_o = take && (chk_err_i == bc_regs_pkg::ERR_NONE);
  assign job_seq_o = next_seq_q;
  assign job_kc_o = chk_kc_i;
  assign job_klast_o = chk_klast_i;
  assign job_panel_o = chk_panel_i;

  // rows of the current B panel / A block
  logic [12:0] panel_cols, b_rows, a_rows, n_left, m_left;
  assign panel_cols = 13'(32'(panel_q) * 32'(DN));
  assign n_left = n_q - n0_q;
  assign m_left = m_q - m0_q;
  assign b_rows = (n_left < panel_cols) ? n_left : panel_cols;
  assign a_rows = (m_left < 13'(DM)) ? m_left : 13'(DM);

  logic [31:0] b_off, a_off;
  assign b_off = 32'(n0_q) * ldb_q;
  assign a_off = 32'(m0_q) * lda_q;

  assign req_valid_o = ((state_q == F_BLOAD) && !b_used_i[b_slot_q]) ||
                       ((state_q == F_ALOAD) && !a_used_i[a_slot_q]);
  assign req_is_b_o = (state_q == F_BLOAD);
  assign req_slot_o = req_is_b_o ? b_slot_q : a_slot_q;
  assign req_skip_o = poison_i[seq_q];
  assign req_seq_o = seq_q;
  assign req_rows_o = req_is_b_o ? b_rows : a_rows;
  assign req_words_o = req_is_b_o ? b_words_q : a_words_q;
  assign req_base_o = req_is_b_o ? 16'(b_slot_q ? BHALF : 0) : 16'(a_slot_q ? AHALF : 0);
  assign req_addr_o = req_is_b_o ? (b_addr_q + b_off) : (a_addr_q + a_off);
  assign req_ld_o = req_is_b_o ? ldb_q : lda_q;

  logic fire;
  assign fire = req_valid_o && req_ready_i;
  assign a_claim_o = fire && !req_is_b_o;
  assign b_claim_o = fire && req_is_b_o;
  assign a_slot_o = a_slot_q;
  assign b_slot_o = b_slot_q;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      state_q <= F_IDLE;
      seq_q <= '0;
      next_seq_q <= '0;
      a_addr_q <= '0;
      b_addr_q <= '0;
      lda_q <= '0;
      ldb_q <= '0;
      m_q <= '0;
      n_q <= '0;
      panel_q <= '0;
      m0_q <= '0;
      n0_q <= '0;
      a_words_q <= '0;
      b_words_q <= '0;
      a_slot_q <= 1'b0;
      b_slot_q <= 1'b0;
    end else begin
      case (state_q)
        F_IDLE: if (job_push_o) begin
          state_q <= F_BLOAD;
          seq_q <= next_seq_q;
          next_seq_q <= next_seq_q + 3'd1;
          a_addr_q <= q_head_i[bc_top_pkg::D_A_ADDR +: 32];
          b_addr_q <= q_head_i[bc_top_pkg::D_B_ADDR +: 32];
          lda_q <= q_head_i[bc_top_pkg::D_LDA +: 32];
          ldb_q <= q_head_i[bc_top_pkg::D_LDB +: 32];
          m_q <= q_head_i[bc_top_pkg::D_M +: 13];
          n_q <= q_head_i[bc_top_pkg::D_N +: 13];
          panel_q <= chk_panel_i;
          m0_q <= '0;
          n0_q <= '0;
          a_words_q <= 10'(chk_kc_i) * 10'(q_head_i[bc_top_pkg::D_WBITS +: 5]);
          b_words_q <= 10'(chk_kc_i) * 10'(q_head_i[bc_top_pkg::D_ABITS +: 5]);
        end
        F_BLOAD: if (fire) begin
          b_slot_q <= !b_slot_q;
          state_q <= F_ALOAD;
          m0_q <= '0;
        end
        default: if (fire) begin  // F_ALOAD
          a_slot_q <= !a_slot_q;
          if (m_left <= 13'(DM)) begin
            if (n_left <= panel_cols) begin
              state_q <= F_IDLE;
            end else begin
              state_q <= F_BLOAD;
              n0_q <= n0_q + panel_cols;
            end
          end else begin
            m0_q <= m0_q + 13'(DM);
          end
        end
      endcase
    end
  end

  assign busy_o = (state_q != F_IDLE);

  // The execute sequencer takes the remaining descriptor fields from the head.
  logic unused_head;
  assign unused_head = ^{q_head_i[bc_top_pkg::D_C_ADDR +: 32], q_head_i[bc_top_pkg::D_K +: 32],
                         q_head_i[bc_top_pkg::D_LDC +: 32], q_head_i[bc_top_pkg::D_M + 13 +: 19],
                         q_head_i[bc_top_pkg::D_N + 13 +: 19], q_head_i[bc_top_pkg::D_WSIGNED],
                         q_head_i[bc_top_pkg::D_ASIGNED]};
endmodule
