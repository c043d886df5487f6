// bc_gemm_seq: walks one GEMM job over buffer-resident operands and issues one tile
// command per output tile to bc_array_core (loop nest: for row tile, for column tile).
//
// Operand layout (bit planes, see docs/architecture.md): A row r lives in A bank r%DM at
// word a_off + (r/DM)*KC*wbits + kc*wbits + i; B row n (column n of B) in B bank n%DN at
// word b_off + (n/DN)*KC*abits + kc*abits + j, with KC = ceil(K/DK).
//
// The tile command is a function of the registered loop state, so the next job's first
// tile is offered the cycle after the previous job's last tile was taken: job_ready_o is
// high when idle or when the last tile of the current job is handed over. The core takes
// a tile on its previous tile's last pass, so jobs follow each other without idle cycles.
// Jobs are assumed valid (M, N, K >= 1, K <= MAX_KC*DK, bits 1..MAX_BITS, operands inside
// the buffers); the harness checks them.
module bc_gemm_seq #(
  parameter int DM         = 8,
  parameter int DN         = 8,
  parameter int DK         = 64,
  parameter int MAX_BITS   = 16,
  parameter int ABUF_WORDS = 1024,
  parameter int BBUF_WORDS = 2048,
  parameter int MAX_KC     = 32,
  parameter int DIM_W      = 13,   // M, N up to 4096
  parameter int K_W        = 12,   // K up to 2048
  parameter int ID_W       = 16,
  parameter int AAW        = $clog2(ABUF_WORDS),  // derived
  parameter int BAW        = $clog2(BBUF_WORDS),  // derived
  parameter int KC_W       = $clog2(MAX_KC + 1),  // derived
  parameter int KL_W       = $clog2(DK + 1),      // derived
  parameter int BITS_W     = $clog2(MAX_BITS + 1),// derived
  parameter int ROWS_W     = $clog2(DM + 1),      // derived
  parameter int COLS_W     = $clog2(DN + 1)       // derived
) (
  input  logic               clk_i,
  input  logic               rst_ni,

  input  logic               job_valid_i,
  output logic               job_ready_o,
  input  logic [DIM_W-1:0]   job_m_i,
  input  logic [DIM_W-1:0]   job_n_i,
  input  logic [K_W-1:0]     job_k_i,
  input  logic [BITS_W-1:0]  job_wbits_i,
  input  logic [BITS_W-1:0]  job_abits_i,
  input  logic               job_wsigned_i,
  input  logic               job_asigned_i,
  input  logic [AAW-1:0]     job_a_off_i,
  input  logic [BAW-1:0]     job_b_off_i,
  input  logic [ID_W-1:0]    job_id_i,

  output logic               tile_valid_o,
  input  logic               tile_ready_i,
  output logic [AAW-1:0]     tile_a_base_o,
  output logic [BAW-1:0]     tile_b_base_o,
  output logic [KC_W-1:0]    tile_kc_o,
  output logic [KL_W-1:0]    tile_klast_o,
  output logic [BITS_W-1:0]  tile_wbits_o,
  output logic [BITS_W-1:0]  tile_abits_o,
  output logic               tile_wsigned_o,
  output logic               tile_asigned_o,
  output logic [ROWS_W-1:0]  tile_rows_valid_o,
  output logic [COLS_W-1:0]  tile_cols_valid_o,
  output logic               tile_first_of_job_o,
  output logic               tile_last_of_job_o,
  output logic [ID_W-1:0]    tile_job_id_o,

  output logic               busy_o
);
  localparam int LOG_DK = $clog2(DK);

  logic               act_q, first_q;
  logic [DIM_W-1:0]   n_q, rows_left_q, cols_left_q;
  logic [KC_W-1:0]    kcn_q;
  logic [KL_W-1:0]    klast_q;
  logic [BITS_W-1:0]  wbits_q, abits_q;
  logic               wsigned_q, asigned_q;
  logic [AAW-1:0]     a_base_q, a_stride_q;
  logic [BAW-1:0]     b_off_q, b_base_q, b_stride_q;
  logic [ID_W-1:0]    id_q;

  logic last_col, last_row, last_tile, tile_fire, job_fire;
  assign last_col  = (cols_left_q <= DIM_W'(DN));
  assign last_row  = (rows_left_q <= DIM_W'(DM));
  assign last_tile = last_col && last_row;
  assign tile_fire = tile_valid_o && tile_ready_i;
  assign job_ready_o = !act_q || (tile_fire && last_tile);
  assign job_fire  = job_valid_i && job_ready_o;

  // Job decode: KC = ceil(K/DK), valid bits in the last chunk, per-tile word strides.
  logic [K_W-1:0]  k_minus1;
  logic [KC_W-1:0] job_kcn;
  logic [KL_W-1:0] job_klast;
  assign k_minus1  = job_k_i - 1'b1;
  assign job_kcn   = KC_W'(k_minus1 >> LOG_DK) + 1'b1;
  assign job_klast = KL_W'(k_minus1[LOG_DK-1:0]) + 1'b1;

  always_ff @(posedge clk_i or negedge rst_ni) begin
    if (!rst_ni) begin
      act_q <= 1'b0;
      first_q <= 1'b0;
      n_q <= '0;
      rows_left_q <= '0;
      cols_left_q <= '0;
      kcn_q <= '0;
      klast_q <= '0;
      wbits_q <= '0;
      abits_q <= '0;
      wsigned_q <= 1'b0;
      asigned_q <= 1'b0;
      a_base_q <= '0;
      a_stride_q <= '0;
      b_off_q <= '0;
      b_base_q <= '0;
      b_stride_q <= '0;
      id_q <= '0;
    end else if (job_fire) begin
      act_q <= 1'b1;
      first_q <= 1'b1;
      n_q <= job_n_i;
      rows_left_q <= job_m_i;
      cols_left_q <= job_n_i;
      kcn_q <= job_kcn;
      klast_q <= job_klast;
      wbits_q <= job_wbits_i;
      abits_q <= job_abits_i;
      wsigned_q <= job_wsigned_i;
      asigned_q <= job_asigned_i;
      a_base_q <= job_a_off_i;
      a_stride_q <= AAW'(job_kcn * job_wbits_i);
      b_off_q <= job_b_off_i;
      b_base_q <= job_b_off_i;
      b_stride_q <= BAW'(job_kcn * job_abits_i);
      id_q <= job_id_i;
    end else if (tile_fire) begin
      first_q <= 1'b0;
      if (!last_col) begin
        cols_left_q <= cols_left_q - DIM_W'(DN);
        b_base_q <= b_base_q + b_stride_q;
      end else begin
        cols_left_q <= n_q;
        b_base_q <= b_off_q;
        rows_left_q <= rows_left_q - DIM_W'(DM);
        a_base_q <= a_base_q + a_stride_q;
        if (last_row) act_q <= 1'b0;
      end
    end
  end

  assign tile_valid_o        = act_q;
  assign tile_a_base_o       = a_base_q;
  assign tile_b_base_o       = b_base_q;
  assign tile_kc_o           = kcn_q;
  assign tile_klast_o        = klast_q;
  assign tile_wbits_o        = wbits_q;
  assign tile_abits_o        = abits_q;
  assign tile_wsigned_o      = wsigned_q;
  assign tile_asigned_o      = asigned_q;
  assign tile_rows_valid_o   = last_row ? ROWS_W'(rows_left_q) : ROWS_W'(DM);
  assign tile_cols_valid_o   = last_col ? COLS_W'(cols_left_q) : COLS_W'(DN);
  assign tile_first_of_job_o = first_q;
  assign tile_last_of_job_o  = last_tile;
  assign tile_job_id_o       = id_q;
  assign busy_o              = act_q;
endmodule
