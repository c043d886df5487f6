#!/usr/bin/env bash
# Estimator CLI tests against build/bitcycle: every bad input gives a clear
# error naming the file and line or the option, exits non-zero and leaves no
# output file (nor a temporary one); good inputs produce the documented keys.
# usage: cli_test.sh BITCYCLE WORKDIR
set -u
BIN=$1
WORK=$2
rm -rf "$WORK"
mkdir -p "$WORK"
pass=0
fail=0
export BITCYCLE_NO_PROGRESS=1

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }

# expect_error NAME EXIT NEEDLE... -- ARGS...: run with -o WORK/NAME.out
expect_error() {
    local name=$1 want=$2
    shift 2
    local needles=()
    while [ "$1" != "--" ]; do needles+=("$1"); shift; done
    shift
    local out="$WORK/$name.out"
    "$BIN" "$@" -o "$out" >"$WORK/$name.stdout" 2>"$WORK/$name.stderr"
    local rc=$?
    local msg
    msg=$(cat "$WORK/$name.stderr")
    if [ "$rc" != "$want" ]; then bad "$name: exit $rc, expected $want ($msg)"; return; fi
    for n in "${needles[@]}"; do
        if ! grep -qF -- "$n" "$WORK/$name.stderr"; then bad "$name: stderr lacks '$n': $msg"; return; fi
    done
    if [ -e "$out" ]; then bad "$name: wrote $out despite the error"; return; fi
    if ls "$out".tmp.* >/dev/null 2>&1; then bad "$name: left a temporary file"; return; fi
    if [ "$(wc -l <"$WORK/$name.stderr")" -gt 3 ]; then bad "$name: error is not short: $msg"; return; fi
    ok
}

HDR="Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, Strides,"
printf '%s\nc1, 32, 32, 3, 3, 3, 16, 1,\nc2, 32, 32, 3,\n' "$HDR" >"$WORK/short.csv"
printf '%s\nc1, 32, 32, 3, 3, 3, 16, 1, 5, 6, 7\n' "$HDR" >"$WORK/long.csv"
printf '%s\nc1, 32, x32, 3, 3, 3, 16, 1,\n' "$HDR" >"$WORK/nonnum.csv"
printf '%s\nc1, 32, 32, 3, 3, 3, 0, 1,\n' "$HDR" >"$WORK/zero.csv"
printf '%s\nc1, 32, 32, 3, 3, -3, 16, 1,\n' "$HDR" >"$WORK/neg.csv"
printf 'Layer, M, N\nfc, 1, 2\n' >"$WORK/header.csv"
printf 'Layer, M, N, K\nfc1, 1, 256, 784\nfc2, 1, 10, 256\n' >"$WORK/good-mnk.csv"
printf 'Layer, M, N, K\nbig, 1000000000, 1000000000, 1000000000\n' >"$WORK/huge-layer.csv"
printf 'Layer, M, N, K\nbig, 10000000, 1000, 10000\n' >"$WORK/big-layer.csv"
printf 'Layer, M, N, K\nwide, 1, 1, 3000000000\n' >"$WORK/wide-layer.csv"
grep -v '^static_mw' host/est/energy-45nm.tbl >"$WORK/missing.tbl"
sed 's/^acc_update_pj = .*/acc_update_pj = fast/' host/est/energy-45nm.tbl >"$WORK/nonnum.tbl"

E=(estimate --no-calibrate)
expect_error short-row 2 "$WORK/short.csv:3:" "short row" -- "${E[@]}" --topology "$WORK/short.csv"
expect_error long-row 2 "$WORK/long.csv:2:" "long row" -- "${E[@]}" --topology "$WORK/long.csv"
expect_error non-numeric 2 "$WORK/nonnum.csv:2:" "'IFMAP Width'" "x32" -- "${E[@]}" --topology "$WORK/nonnum.csv"
expect_error zero-size 2 "$WORK/zero.csv:2:" "'Num Filter' is 0" -- "${E[@]}" --topology "$WORK/zero.csv"
expect_error negative-size 2 "$WORK/neg.csv:2:" "'Channels' is -3" -- "${E[@]}" --topology "$WORK/neg.csv"
expect_error bad-header 2 "$WORK/header.csv:1:" "unrecognised header" -- "${E[@]}" --model "$WORK/header.csv"
expect_error missing-topology 2 "--topology" "no-such.csv" -- "${E[@]}" --topology "$WORK/no-such.csv"
expect_error huge-layer 2 "$WORK/huge-layer.csv:2:" "1e15 MACs" -- "${E[@]}" --topology "$WORK/huge-layer.csv"
expect_error wide-layer 2 "$WORK/wide-layer.csv:2:" "field 'K'" "too large" -- "${E[@]}" --topology "$WORK/wide-layer.csv"
expect_error counter-overflow 2 "workload too large" -- "${E[@]}" --topology "$WORK/big-layer.csv" --epochs 100000
expect_error unknown-model 2 "--model" "unknown model 'resnet999'" -- "${E[@]}" --model resnet999
expect_error unknown-schedule 2 "--schedule" "unknown family 'cyc'" -- "${E[@]}" --model mlp --schedule cyc:3-8
expect_error unknown-grad-schedule 2 "--grad-schedule" -- "${E[@]}" --model mlp --grad-schedule foo
expect_error unknown-baseline 2 "--baseline" -- "${E[@]}" --model mlp --baseline static:
expect_error unknown-preset 2 "--dataset" "unknown preset 'mnist'" -- "${E[@]}" --model mlp --dataset mnist
expect_error zero-bits 2 "--grad-bits" "out of range" -- "${E[@]}" --model mlp --grad-bits 0
expect_error forty-bits 2 "--grad-bits" "40" -- "${E[@]}" --model mlp --grad-bits 40
expect_error schedule-40-bits 2 "--schedule" "out of range" -- "${E[@]}" --model mlp --schedule static:40
expect_error schedule-0-bits 2 "--schedule" "out of range" -- "${E[@]}" --model mlp --schedule cpt:0-8
expect_error zero-batch 2 "--batch" -- "${E[@]}" --model mlp --batch 0
expect_error text-batch 2 "--batch" "'big'" -- "${E[@]}" --model mlp --batch big
expect_error zero-dm 2 "--dm" -- "${E[@]}" --model mlp --dm 0
expect_error huge-clock 2 "--clock-mhz" -- "${E[@]}" --model mlp --clock-mhz 1e9
expect_error both-lengths 2 "--epochs and --iters" -- "${E[@]}" --model mlp --epochs 2 --iters 5
expect_error unknown-option 2 "--frobnicate" -- "${E[@]}" --model mlp --frobnicate
expect_error no-model 2 "--model" -- "${E[@]}"
expect_error plot-not-png 2 "--plot" -- "${E[@]}" --model mlp --plot "$WORK/x.jpg"
expect_error energy-missing-entry 2 "$WORK/missing.tbl" "missing entry 'static_mw'" -- "${E[@]}" --model mlp --energy "$WORK/missing.tbl"
expect_error energy-non-numeric 2 "$WORK/nonnum.tbl:" "'acc_update_pj'" -- "${E[@]}" --model mlp --energy "$WORK/nonnum.tbl"
expect_error energy-no-file 2 "--energy" "no-such.tbl" -- "${E[@]}" --model mlp --energy "$WORK/no-such.tbl"
expect_error model-show-unknown 2 "unknown model 'vgg99'" -- model show vgg99
expect_error model-show-bad-csv 2 "$WORK/zero.csv:2:" -- model show "$WORK/zero.csv"

# An existing output file is left untouched by a failing run.
echo keep >"$WORK/keep.out"
"$BIN" estimate --no-calibrate --model resnet999 -o "$WORK/keep.out" 2>/dev/null
if [ "$?" = 2 ] && [ "$(cat "$WORK/keep.out")" = keep ]; then ok; else bad "failing run clobbered an existing -o file"; fi

# Good runs: JSON keys, CSV rows, table mentions --no-calibrate, topology input.
if "$BIN" estimate --no-calibrate --model mlp --dataset fashion-mnist --batch 64 --epochs 3 \
    --schedule cpt:2-8 --json -o "$WORK/mlp.json" 2>"$WORK/json.err"; then
    missing=""
    for k in '"run":' '"baseline":' '"savings":' '"total":' '"epochs": [' '"bitops":' '"cycles":' \
        '"latency_s":' '"energy_j":' '"energy_breakdown_j":' '"inputs":' '"latency":' '"energy":'; do
        grep -qF -- "$k" "$WORK/mlp.json" || missing="$missing $k"
    done
    grep -qF -- '--no-calibrate' "$WORK/mlp.json" || missing="$missing no-calibrate-note"
    [ "$(grep -c '"epoch":' "$WORK/mlp.json")" = 6 ] || missing="$missing 3+3-epochs"
    if [ -z "$missing" ]; then ok; else bad "JSON lacks:$missing"; fi
else
    bad "JSON run failed: $(cat "$WORK/json.err")"
fi
if "$BIN" estimate --no-calibrate --model mlp --dataset fashion-mnist --epochs 2 --csv -o "$WORK/mlp.csv" 2>/dev/null &&
    [ "$(wc -l <"$WORK/mlp.csv")" = 5 ] && head -1 "$WORK/mlp.csv" | grep -q '^series,epoch,'; then
    ok
else
    bad "CSV output: expected a header and 2+2 rows"
fi
if "$BIN" estimate --no-calibrate --topology "$WORK/good-mnk.csv" --iters 100 >"$WORK/table.txt" 2>&1 &&
    grep -q 'analytical defaults (--no-calibrate)' "$WORK/table.txt" && grep -q '^savings' "$WORK/table.txt"; then
    ok
else
    bad "table output from a topology file: $(head -3 "$WORK/table.txt")"
fi
# DRAM bytes by GEMM kind and direction, and the line explaining the gap
# between the BitOPs and the energy saving.
if "$BIN" estimate --no-calibrate --model resnet20-cifar --iters 64 --cycles 4 >"$WORK/kinds.txt" 2>&1 &&
    grep -q '^DRAM B .*forward_rd .*error_wr .*wgrad_wr' "$WORK/kinds.txt" &&
    grep -q '^why        energy saves less than BitOPs .* of baseline energy' "$WORK/kinds.txt" &&
    grep -qF '"dram_bytes_by_gemm": {"forward": {"read": ' "$WORK/mlp.json" &&
    grep -qF '"why": "energy saves less than BitOPs' "$WORK/mlp.json" &&
    grep -qF '"dram_write": {"baseline_share": ' "$WORK/mlp.json" &&
    head -1 "$WORK/mlp.csv" | grep -q ',dram_rd_forward_bytes,dram_wr_forward_bytes,dram_rd_error_bytes,'; then
    ok
else
    bad "DRAM bytes by GEMM kind / gap line missing: $(tail -5 "$WORK/kinds.txt")"
fi
# More cycles than iterations warn that T is clamped, in the words every command uses;
# without --cycles the default follows the run length (min(32, iterations/16)), so
# a short run never collapses.
if "$BIN" estimate --no-calibrate --model mlp --iters 10 --cycles 32 -o /dev/null 2>"$WORK/clamp.err" &&
    grep -qF 'bitcycle estimate: warning: 32 cycles over 10 iterations: the period T = floor(iterations / cycles) is clamped to 1' "$WORK/clamp.err" &&
    "$BIN" schedule --iters 10 --cycles 32 -o /dev/null 2>"$WORK/clamp2.err" &&
    grep -qF 'bitcycle schedule: warning: 32 cycles over 10 iterations: the period T' "$WORK/clamp2.err" &&
    "$BIN" estimate --no-calibrate --model mlp --iters 10 -o /dev/null 2>"$WORK/noclamp.err" && [ ! -s "$WORK/noclamp.err" ] &&
    "$BIN" estimate --no-calibrate --model mlp --iters 64 -o /dev/null 2>"$WORK/noclamp.err" && [ ! -s "$WORK/noclamp.err" ]; then
    ok
else
    bad "clamped period warning: $(cat "$WORK/clamp.err")"
fi
expect_error bad-dram 2 "--dram: unknown preset 'ddr9'" "hbm2" -- "${E[@]}" --model mlp --dram ddr9
if "$BIN" estimate --no-calibrate --model mlp --iters 64 --dram hbm2 2>/dev/null | grep -q '^energy .*DRAM hbm2 3.9 pJ/bit' &&
    "$BIN" estimate --no-calibrate --model mlp --iters 64 --dram lpddr4 --energy host/est/energy-45nm.tbl 2>/dev/null |
    grep -q '^energy     host/est/energy-45nm.tbl, DRAM lpddr4 6 pJ/bit'; then
    ok
else
    bad "--dram preset not applied"
fi
expect_error json-and-csv 2 "--json and --csv" -- "${E[@]}" --model mlp --json --csv
if command -v gnuplot >/dev/null; then
    if "$BIN" estimate --no-calibrate --model mlp --epochs 2 --plot "$WORK/p.png" -o "$WORK/p.txt" 2>"$WORK/plot.err" &&
        [ "$(head -c 4 "$WORK/p.png" | od -An -c | tr -d ' ')" = '211PNG' ] && ! ls "$WORK"/p.png.tmp.* >/dev/null 2>&1; then
        ok
    else
        bad "--plot did not write a PNG: $(cat "$WORK/plot.err")"
    fi
fi
if "$BIN" model show resnet20-cifar --json | grep -q '"macs_per_sample": 40551040,'; then ok; else bad "model show --json"; fi

# model show --json lists the lowered GEMMs: no error for the first layer, a
# stride-2 layer's error is a transposed convolution over the 32x32 input
# (M = Cin 16, N = 32*32, K = Cout 32 x 3 x 3)
"$BIN" model show cpt-resnet38 --json >"$WORK/gemms.json"
if head -2 "$WORK/gemms.json" | tail -1 | grep -q '"first": true, .*"gemms": \[{"kind": "forward", "m": 16, "n": 1024, "k": 27, "count": 1}, {"kind": "wgrad"' &&
    grep '"name": "layer2.0.conv1"' "$WORK/gemms.json" | grep -qF '{"kind": "error", "m": 16, "n": 1024, "k": 288, "count": 1}'; then
    ok
else
    bad "model show --json: lowered GEMMs"
fi

echo "test-host-cli: $pass passed, $fail failed"
[ "$fail" = 0 ]
