#!/bin/bash
# ONNX import on the committed fixtures (tests/onnx/*.onnx, written by
# make_fixtures.py): layer shapes and MACs against hand-computed values, and
# bad files refused with a message naming the file and the cause.
# usage: onnx_test.sh BITCYCLE TMPDIR
set -u
BC=$1
TMP=$2
DIR=$(dirname "$0")
mkdir -p "$TMP"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect_macs FILE MACS LAYERS: import succeeds with this MAC total and layer count
expect_macs() {
    local out
    if ! out=$("$BC" model import --csv "$1" 2>&1); then bad "$1: import failed: $out"; return; fi
    local layers macs
    layers=$(($(printf '%s\n' "$out" | wc -l) - 1))
    macs=$(printf '%s\n' "$out" | awk -F, 'NR > 1 { s += $NF } END { print s }')
    [ "$macs" = "$2" ] && ok || bad "$1: MACs $macs, expected $2"
    [ "$layers" = "$3" ] && ok || bad "$1: $layers layers, expected $3"
}
# expect_row FILE CSV-ROW: the import's CSV has this exact row
expect_row() {
    "$BC" model import --csv "$1" 2>/dev/null | grep -qxF "$2" && ok || bad "$1: no row '$2'"
}
# expect_error FILE TEXT...: import fails (exit 1), the message names the file and each TEXT
expect_error() {
    local f=$1 out rc
    shift
    out=$("$BC" model import "$f" 2>&1 >/dev/null)
    rc=$?
    [ $rc -eq 1 ] && ok || bad "$f: exit $rc, expected 1 ($out)"
    case "$out" in "bitcycle model: $f"*) ok ;; *) bad "$f: message does not start with the file: $out" ;; esac
    for t in "$@"; do
        case "$out" in *"$t"*) ok ;; *) bad "$f: message lacks '$t': $out" ;; esac
    done
}

# tiny_cnn (torch export): conv 16x27x(32*32), depthwise 16 groups of 1x9x(8*8),
# 1x1 32x16x64, dilated 3x3 (pad 2, dilation 2: 8x8 stays 8x8) 8x288x64, Linear 10x8
expect_macs "$DIR/tiny_cnn.onnx" $((16 * 27 * 1024 + 16 * 9 * 64 + 32 * 16 * 64 + 8 * 288 * 64 + 10 * 8)) 5
expect_row "$DIR/tiny_cnn.onnx" '"/dw/Conv",dwconv,16,1,64,9,9216'
expect_row "$DIR/tiny_cnn.onnx" '"/dil/Conv",conv,1,8,64,288,147456'
expect_row "$DIR/tiny_cnn.onnx" '"/fc/Gemm",fc,1,10,1,8,80'
# mlp_matmul: MatMul 16->32 (symbolic batch = 1), Reshape by a Constant, Gemm transB 32->10
expect_macs "$DIR/mlp_matmul.onnx" $((16 * 32 + 32 * 10)) 2
expect_row "$DIR/mlp_matmul.onnx" '"fc2",fc,1,10,1,32,320'
# same_pad: SAME_UPPER stride 2 on 15x15 -> 8x8 (4x72x64); AveragePool 3/2 ceil_mode
# on 8x8 -> 4x4; 1x1 conv 2x4x16
expect_macs "$DIR/same_pad.onnx" $((4 * 72 * 64 + 2 * 4 * 16)) 2
expect_row "$DIR/same_pad.onnx" '"proj",conv,1,2,16,4,128'
# --batch scales N, as for model show
"$BC" model import --csv --batch 4 "$DIR/tiny_cnn.onnx" | grep -qxF '"/conv1/Conv",conv,1,16,4096,27,442368' && ok ||
    bad "--batch 4 does not scale N"

# the table and JSON forms agree with the CSV
"$BC" model import "$DIR/tiny_cnn.onnx" | grep -qx 'macs_per_sample 631888' && ok || bad "table total"
"$BC" model import "$DIR/tiny_cnn.onnx" | grep -q '^other nodes: Relu 3 MaxPool 1 Constant 2 Clip 1 GlobalAveragePool 1 Flatten 1$' &&
    ok || bad "table: other nodes by operator"
"$BC" model import --json "$DIR/tiny_cnn.onnx" > "$TMP/tiny.json" &&
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["macs_per_sample"]==631888 and d["opset"]==13 and len(d["nodes"])==14 and sum(1 for n in d["nodes"] if n["layer"] is not None)==5 and d["nodes"][0]["shape"]==[1,16,32,32]' \
    "$TMP/tiny.json" && ok || bad "JSON form"

# --model FILE.onnx wherever a model is accepted
"$BC" model show "$DIR/tiny_cnn.onnx" | grep -qx 'macs_per_sample 631888' && ok || bad "model show FILE.onnx"
out=$("$BC" estimate --no-calibrate --model "$DIR/tiny_cnn.onnx" --iters 100 --json 2>&1)
case "$out" in *'"model_source": "onnx"'*'"macs_per_sample": 631888'*) ok ;; *) bad "estimate --model FILE.onnx: $out" ;; esac

# bad files
expect_error "$DIR/bad_unsupported.onnx" "2 unsupported operator nodes" "LSTM (node 'lstm_1')" "com.example::Foo (node 'custom_1')"
expect_error "$DIR/bad_opset99.onnx" "opset 99 is not supported"
expect_error "$DIR/bad_symbolic.onnx" "graph input 'x'" "dimension 2 is symbolic" "static shapes"
size=$(stat -c %s "$DIR/tiny_cnn.onnx")
for cut in 7 100 $((size / 2)) $((size - 3)); do
    head -c $cut "$DIR/tiny_cnn.onnx" > "$TMP/cut$cut.onnx"
    out=$("$BC" model import "$TMP/cut$cut.onnx" 2>&1)
    rc=$?
    [ $rc -eq 1 ] && ok || bad "truncated at $cut bytes: exit $rc: $out"
    case "$out" in "bitcycle model: $TMP/cut$cut.onnx: "*) ok ;; *) bad "truncated at $cut: $out" ;; esac
done
printf 'not a protobuf at all \377\377\377\377' > "$TMP/garbage.onnx"
expect_error "$TMP/garbage.onnx" "not a valid ONNX protobuf"
: > "$TMP/empty.onnx"
expect_error "$TMP/empty.onnx" "not a regular file of 1 byte to 1 GiB"
expect_error "$TMP/missing.onnx" "cannot open"
out=$("$BC" estimate --no-calibrate --model "$DIR/bad_opset99.onnx" 2>&1)
[ $? -eq 2 ] && case "$out" in *"--model: $DIR/bad_opset99.onnx: opset 99"*) true ;; *) false ;; esac && ok ||
    bad "estimate names --model and the file: $out"
"$BC" model import 2>/dev/null; [ $? -eq 2 ] && ok || bad "import without FILE is a usage error"
"$BC" model import --json --csv "$DIR/tiny_cnn.onnx" 2>/dev/null; [ $? -eq 2 ] && ok || bad "--json --csv"

echo "test-onnx: $pass passed, $fail failed"
[ $fail -eq 0 ]
