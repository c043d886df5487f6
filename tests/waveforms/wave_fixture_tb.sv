// Testbench for wave_fixture: clock, reset and a trace named by +trace=PATH
// (FST under Verilator --trace-fst, VCD under Icarus).
`timescale 1ns / 1ps
module wave_fixture_tb;
  logic clk;
  logic rst_n;
  logic done;
  string trace_path;

  wave_fixture dut (
    .clk_i (clk),
    .rst_ni(rst_n),
    .done_o(done)
  );

  initial begin
    clk = 1'b0;
    forever #5 clk = ~clk;
  end

  initial begin
    if (!$value$plusargs("trace=%s", trace_path)) trace_path = "wave_fixture.vcd";
    $dumpfile(trace_path);
    $dumpvars(0, wave_fixture_tb);
    rst_n = 1'b0;
    repeat (3) @(posedge clk);
    #1 rst_n = 1'b1;
    wait (done);
    repeat (8) @(posedge clk);
    $finish;
  end
endmodule
