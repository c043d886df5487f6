#!/usr/bin/env bash
# test-waveforms: extractor unit tests (CMocka), the `wave` command line, and the
# scenario traces (when make wave has produced them with this build).
# Usage: run_tests.sh BUILD_WAVEFORMS_DIR
set -uo pipefail
dir=${1:?usage: run_tests.sh build/waveforms}
cli="$dir/wave_cli"
fix="$dir/fixture"
pass=0
fail=0

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# 1. CMocka suite.
if out=$("$dir/test_wave" "$dir" 2>&1); then
  n=$(grep -oE '\[  PASSED  \] [0-9]+' <<<"$out" | grep -oE '[0-9]+$' || echo 0)
  pass=$((pass + n))
  echo "$out" | tail -1
else
  echo "$out" >&2
  n=$(grep -oE '\[  FAILED  \] [0-9]+' <<<"$out" | grep -oE '[0-9]+$' | head -1 || echo 1)
  fail=$((fail + ${n:-1}))
fi

# 2. Command line: exit codes, messages, JSON shape, rendering, atomic output.
expect_rc() { # expect_rc WANT_RC NEEDLE -- args...
  local want=$1 needle=$2
  shift 3
  local got err
  err=$("$cli" "$@" 2>&1 >/dev/null)
  got=$?
  if [ "$got" -eq "$want" ] && grep -qF -- "$needle" <<<"$err"; then ok; else bad "wave $* -> rc $got (want $want), stderr: $err"; fi
}

expect_rc 2 "unknown subcommand" -- frobnicate
expect_rc 2 "exactly one trace FILE" -- switches
expect_rc 2 "--window" -- switches --window abc "$fix/fixture.fst"
expect_rc 2 "unknown option" -- switches --bogus "$fix/fixture.fst"
expect_rc 1 "No such file" -- switches "$dir/does-not-exist.fst"
head -c 700 "$fix/fixture.fst" >"$dir/tmp_cli_trunc.fst"
expect_rc 1 "truncated FST" -- switches "$dir/tmp_cli_trunc.fst"
head -c 3000 "$fix/fixture.vcd" | head -c -1 >"$dir/tmp_cli_trunc.vcd"
printf 'x' >>"$dir/tmp_cli_trunc.vcd"
expect_rc 1 "tmp_cli_trunc.vcd" -- switches --json "$dir/tmp_cli_trunc.vcd"
expect_rc 2 "-o OUT.png is required" -- render "$fix/fixture.fst"
expect_rc 2 "no matching signal" -- render "$fix/fixture.fst" --scope dut --signals no_such_sig -o "$dir/tmp_none.png"
expect_rc 2 "outside the trace" -- render "$fix/fixture.fst" --scope dut --around 999999 -o "$dir/tmp_none.png"
if [ ! -e "$dir/tmp_none.png" ]; then ok; else bad "render wrote a picture on bad input"; fi

# --json: one object per switch, each with idle_cycles; numbers agree with the table.
json=$("$cli" switches --json --scope dut "$fix/fixture.vcd")
if [ $? -eq 0 ] && grep -q '"switches": \[' <<<"$json" && [ "$(grep -c '"idle_cycles": ' <<<"$json")" -eq 5 ]; then ok; else bad "switches --json shape: $json"; fi
# Same switches from FST (Verilator) and VCD (Icarus) of the same design.
# --csv: the same switches as --json, columns named as its keys
csv=$("$cli" switches --csv --scope dut "$fix/fixture.vcd")
jc=$(grep -oE '"cycle": [0-9]+' <<<"$json" | grep -oE '[0-9]+$' | tr '\n' ' ')
cc=$(tail -n +2 <<<"$csv" | cut -d, -f2 | tr '\n' ' ')
if [ "$(head -1 <<<"$csv" | cut -d, -f1-3)" = "switch,cycle,time" ] && [ -n "$jc" ] && [ "$jc" = "$cc" ]; then ok
else bad "switches --csv cycles '$cc' differ from --json '$jc'"; fi
expect_rc 2 "exclusive" -- switches --json --csv "$fix/fixture.vcd"
expect_rc 2 "did you mean '--window'" -- switches --windw 3 "$fix/fixture.vcd"
expect_rc 2 "did you mean 'render'" -- rendr "$fix/fixture.vcd"
a=$("$cli" switches --json --scope dut "$fix/fixture.fst" | grep '"cycle"')
b=$("$cli" switches --json --scope dut "$fix/fixture.vcd" | grep '"cycle"')
if [ -n "$a" ] && [ "$a" = "$b" ]; then ok; else bad "FST and VCD switch lists differ"; fi
# Table output and -o written atomically.
rm -f "$dir/tmp_table.txt"
if "$cli" switches --scope dut -o "$dir/tmp_table.txt" "$fix/fixture.fst" && grep -q '5 precision switches in 8 job starts' "$dir/tmp_table.txt" \
   && ! ls "$dir"/tmp_table.txt.tmp* >/dev/null 2>&1; then ok; else bad "switches -o table"; fi
# Render: a PNG, nothing left behind.
# Hostile trace: a signal name and an output name that would run commands if
# they reached gnuplot or a shell unquoted. Nothing may run; the PNG is drawn.
if [ -f "$fix/fixture.vcd" ]; then
  rm -f "$dir"/tmp_pwn*
  sed "s| err_code \[4:0\] \$end| err_code'.system('touch $dir/tmp_pwn1').'\`touch $dir/tmp_pwn2\` [4:0] \$end|" \
    "$fix/fixture.vcd" >"$dir/tmp_evil.vcd"
  if grep -q tmp_pwn1 "$dir/tmp_evil.vcd" \
     && "$cli" render "$dir/tmp_evil.vcd" --signals 'err_code*,clk_i' -o "$dir/tmp_q'\`touch tmp_pwn3\`\$(id).png" 2>/dev/null \
     && [ -s "$dir/tmp_q'\`touch tmp_pwn3\`\$(id).png" ] && [ ! -e tmp_pwn3 ] && ! ls "$dir"/tmp_pwn* >/dev/null 2>&1; then ok
  else bad "render with a hostile signal name and output name ran a command or failed"; fi
  cp "$fix/fixture.vcd" "$dir/tmp_two
lines.vcd"
  expect_rc 1 "control characters" -- render "$dir/tmp_two
lines.vcd" --signals 'err_code*,clk_i' -o "$dir/tmp_nl.png"
fi
rm -f "$dir/tmp_render.png"
if "$cli" render "$fix/fixture.fst" --scope dut --span 8 -o "$dir/tmp_render.png" 2>/dev/null \
   && [ "$(head -c 8 "$dir/tmp_render.png" | od -An -tx1 | tr -d ' \n')" = "89504e470d0a1a0a" ] \
   && ! ls "$dir"/tmp_render.png.tmp* >/dev/null 2>&1; then ok; else bad "render PNG"; fi

# 3. Scenario traces (built by this target when the simulator library exists):
#    the switch list against each scenario's own log of submitted jobs.
if [ -x "$dir/check_scenario" ] && [ -f "$dir/queue.jobs" ]; then
  for t in queue.fst stall.fst cpt.fst error.fst queue_trigger.fst cpt_window.fst error_vcd.vcd; do
    base=${t%.*}
    if out=$("$dir/check_scenario" "$dir/$t" "$dir/$base.jobs" 2>&1); then :; else echo "$out" >&2; fi
    n=$(tail -1 <<<"$out" | sed -nE 's/^check .*: ([0-9]+) passed, ([0-9]+) failed$/\1 \2/p')
    if [ -n "$n" ]; then
      pass=$((pass + ${n% *})); fail=$((fail + ${n#* }))
    else
      bad "check_scenario $t: $out"
    fi
  done
  # The trigger window really drops cycles: fewer sampled cycles than the full trace.
  full=$("$cli" switches --json "$dir/queue.fst" | sed -nE 's/.*"compute_cycles": ([0-9]+).*/\1/p')
  trig=$("$cli" switches --json "$dir/queue_trigger.fst" | sed -nE 's/.*"compute_cycles": ([0-9]+).*/\1/p')
  if [ -n "$full" ] && [ -n "$trig" ] && [ "$trig" -lt "$full" ]; then ok; else bad "trigger window: compute cycles $trig (windowed) vs $full (full)"; fi
  # GTKWave save files: every signal of each committed group resolves in its trace.
  if command -v xvfb-run >/dev/null && command -v gtkwave >/dev/null; then
    for s in queue stall cpt error; do
      want=$(grep -cE '^(\+\{[^}]*\} )?[A-Za-z_]+\.' "$dir/$s.gtkw")
      printf 'puts "SHOWN [llength [gtkwave::getDisplayedSignals]] MARKER [gtkwave::getNamedMarker A]"\nputs "WIN [gtkwave::getWindowStartTime] [gtkwave::getWindowEndTime]"\ngtkwave::/File/Quit\n' >"$dir/tmp_gtkw.tcl"
      # opened from another directory: the save file names its trace and filters absolutely
      tcl_abs=$(realpath "$dir/tmp_gtkw.tcl") gtkw_abs=$(realpath "$dir/$s.gtkw")
      gout=$(cd / && timeout 60 xvfb-run -a -s "-screen 0 1600x900x24" gtkwave -S "$tcl_abs" "$gtkw_abs" 2>/dev/null)
      got=$(sed -nE 's/^SHOWN ([0-9]+) MARKER (-?[0-9]+).*/\1 \2/p' <<<"$gout")
      win=$(sed -nE 's/^WIN (-?[0-9]+) (-?[0-9]+).*/\1 \2/p' <<<"$gout")
      marks=$(sed -nE 's/^\*[-0-9.]+ -?[0-9]+ (.*)/\1/p' "$dir/$s.gtkw" | tr ' ' '\n' | grep -v '^-1$')
      inwin=1
      for m in $marks; do if [ -z "$win" ] || [ "$m" -lt "${win% *}" ] || [ "$m" -gt "${win#* }" ]; then inwin=0; fi; done
      if [ "$inwin" = 1 ]; then ok; else bad "gtkwave $s.gtkw: opening window '$win' does not hold every marker ($(echo $marks))"; fi
      first=$(sed -nE 's/^\*[-0-9.]+ (-?[0-9]+).*/\1/p' "$dir/$s.gtkw")
      if [ "${got% *}" = "$want" ] && [ "$want" -gt 0 ] && [ "${got#* }" = "$first" ] && [ "$first" != "-1" ]; then ok
      else bad "gtkwave $s.gtkw: shows '${got% *}' of $want signals, marker A '${got#* }' (want $first)"; fi
    done
  else
    echo "test-waveforms: note: xvfb-run or gtkwave missing, save files not loaded (make deps)"
  fi
else
  echo "test-waveforms: note: scenario checks skipped (simulator library not built yet)"
fi

rm -f "$dir"/tmp_*
echo "waveforms: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
