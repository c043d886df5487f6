#!/bin/bash
# bitcycle sweep: plan, results against direct estimates, resume, stale
# results refused, failed points listed with their logs, bad sweep files
# named by file:line and field before anything runs, merge and plots.
# usage: sweep_test.sh BITCYCLE TMPDIR
set -u
BC=$(realpath "$1")
TMP=$2
DIR=$(dirname "$0")
rm -rf "$TMP"
mkdir -p "$TMP"
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
check() { if eval "$1"; then ok; else bad "$2"; fi; }
py() { python3 -c "$@"; }
export BITCYCLE_NO_PROGRESS=1

# ------------------------------------------------------------ plan and run
OUT=$TMP/array
plan=$("$BC" sweep "$DIR/array.json" -o "$OUT" --dry-run)
check '[ $? -eq 0 ]' "dry run failed: $plan"
check 'grep -qx "points 12: 0 done, 0 failed (rerun), 12 to run" <<< "$plan"' "dry run counts: $plan"
check '[ ! -e "$OUT" ]' "dry run created the output directory"
out=$("$BC" sweep "$DIR/array.json" -o "$OUT" -j 2 2>&1)
check '[ $? -eq 0 ]' "sweep failed: $out"
check '[ $(ls "$OUT"/points/p*.json | wc -l) -eq 12 ]' "12 result files"
check '[ -z "$(ls -A "$OUT"/points | grep -v "^p[0-9]*\.json$")" ]' "temporary files left in points/"

# every point equals a direct estimate with the same options
for p in 0 7 11; do
    f=$(printf '%s/points/p%06d.json' "$OUT" $p)
    set -- $(py 'import json,sys; i=json.load(open(sys.argv[1]))["inputs"]; print(i["dm"], i["dn"], i["schedule"])' "$f")
    "$BC" estimate --json --dm "$1" --dn "$2" --schedule "$3" --model resnet20-cifar --iters 2000 --no-calibrate > "$TMP/direct.json"
    check "py 'import json,sys; a=json.load(open(sys.argv[1]))[\"estimate\"]; b=json.load(open(sys.argv[2])); assert a==b' '$f' '$TMP/direct.json'" \
        "point $p differs from a direct estimate"
done
# point order: the last axis turns fastest (dm, dn, schedule)
check "py 'import json,sys; i=json.load(open(sys.argv[1]))[\"inputs\"]; assert (i[\"dm\"],i[\"dn\"],i[\"schedule\"])==(8,16,\"cpt:4-8\")' '$OUT/points/p000003.json'" \
    "point 3 is not dm=8, dn=16, cpt:4-8"
check "py 'import json,sys; r=json.load(open(sys.argv[1])); assert len(r[\"sweep_hash\"])==16 and len(r[\"code_hash\"])==16 and r[\"status\"]==\"ok\"' '$OUT/points/p000000.json'" \
    "result records the sweep and build hashes"

# ------------------------------------------------------------ resume
inodes() { stat -c '%n %i' "$OUT"/points/p*.json; }
touch "$OUT/points/.p000001.est.AbCdEf" # left by an interrupted run
before=$(inodes)
"$BC" sweep "$DIR/array.json" -o "$OUT" > /dev/null 2>&1
check '[ "$before" = "$(inodes)" ]' "a rerun rewrote finished points"
check '[ ! -e "$OUT/points/.p000001.est.AbCdEf" ]' "a partial estimate output of an interrupted run was left"
check '"$BC" sweep "$DIR/array.json" -o "$OUT" --dry-run | grep -qx "points 12: 12 done, 0 failed (rerun), 0 to run"' "dry run after the run"
rm "$OUT/points/p000004.json"
py 'import json,sys; p=sys.argv[1]; r=json.load(open(p)); r["status"]="failed"; json.dump(r, open(p,"w"))' "$OUT/points/p000009.json"
check '"$BC" sweep "$DIR/array.json" -o "$OUT" --dry-run | grep -qx "points 12: 10 done, 1 failed (rerun), 2 to run"' "dry run sees the missing and the failed point"
keep=$(stat -c %i "$OUT/points/p000005.json")
"$BC" sweep "$DIR/array.json" -o "$OUT" > /dev/null 2>&1
check '[ -f "$OUT/points/p000004.json" ] && [ "$(stat -c %i "$OUT/points/p000005.json")" = "$keep" ]' "resume reran more than the missing point"
check "py 'import json,sys; assert json.load(open(sys.argv[1]))[\"status\"]==\"ok\"' '$OUT/points/p000009.json'" "the failed point was not rerun"

# another sweep file (or build) into the same directory is refused
sed 's/2000/2001/' "$DIR/array.json" > "$TMP/array2.json"
out=$("$BC" sweep "$TMP/array2.json" -o "$OUT" 2>&1)
check '[ $? -eq 1 ] && grep -q "holds a result of another sweep file" <<< "$out"' "stale results not refused: $out"
check '"$BC" sweep "$TMP/array2.json" -o "$OUT" --force > /dev/null 2>&1' "--force"
check "py 'import json,sys; assert json.load(open(sys.argv[1]))[\"inputs\"][\"iters\"]==2001' '$OUT/points/p000000.json'" "--force reran"

# ------------------------------------------------------------ merge
"$BC" sweep "$DIR/array.json" -o "$OUT" --force > /dev/null 2>&1
m=$("$BC" sweep merge "$OUT")
check '[ $? -eq 0 ] && grep -q "merged 12 of 12 points (0 missing or failed)" <<< "$m"' "merge: $m"
check '[ $(wc -l < "$OUT/merged.csv") -eq 13 ] && [ $(grep -c ",ok," "$OUT/merged.csv") -eq 12 ]' "merged.csv rows"
check "py 'import json,sys,csv; j=json.load(open(sys.argv[1])); rows=list(csv.DictReader(open(sys.argv[2]))); assert len(j[\"points\"])==12 and not j[\"missing\"] and not j[\"failed\"]; a=json.load(open(sys.argv[3]))[\"estimate\"][\"savings\"][\"energy\"]; assert abs(float(rows[5][\"energy_saving\"])-a)<=1e-9*abs(a) and j[\"points\"][5][\"outputs\"][\"energy_saving\"]==float(rows[5][\"energy_saving\"])' '$OUT/merged.json' '$OUT/merged.csv' '$OUT/points/p000005.json'" \
    "merged CSV/JSON disagree with the point files"
for png in heatmap series; do
    check '[ "$(head -c 8 "$OUT/$png.png" | od -An -tx1 | tr -d " ")" = "89504e470d0a1a0a" ]' "$png.png is not a PNG"
done
rm "$OUT/points/p000002.json"
m=$("$BC" sweep merge "$OUT" --no-plots)
check 'grep -qx "missing: point 2 (dm=8,dn=16,schedule=cpt:3-8)" <<< "$m" && grep -q "merged 11 of 12 points (1 missing or failed)" <<< "$m"' "missing point not listed: $m"
check "py 'import json,sys; j=json.load(open(sys.argv[1])); assert [x[\"point\"] for x in j[\"missing\"]]==[2] and j[\"points\"][2][\"status\"]==\"missing\"' '$OUT/merged.json'" "merged.json missing list"
check '! "$BC" sweep merge "$OUT" --heatmap dm,nope > /dev/null 2>&1' "--heatmap with an unknown axis accepted"
check '! "$BC" sweep merge "$TMP/nowhere" > /dev/null 2>&1' "merge of a directory without plan.json"

# ------------------------------------------------------------ failed points
cat > "$TMP/fails.json" <<'JSON'
{"axes": {"batch": [128, 1048576]},
 "fixed": {"model": "resnet110-cifar", "iters": 200000, "no_calibrate": true}}
JSON
out=$("$BC" sweep "$TMP/fails.json" -o "$TMP/fails" 2>&1)
check '[ $? -eq 1 ] && grep -q "1 point failed" <<< "$out"' "a failing point does not fail the sweep: $out"
m=$("$BC" sweep merge "$TMP/fails" --no-plots)
log=$(py 'import json,sys; print(json.load(open(sys.argv[1]))["failed"][0]["log"])' "$TMP/fails/merged.json")
check 'grep -q "^failed: point 1 (batch=1048576), log " <<< "$m" && grep -q "workload too large" "$log"' "failed point not listed with its log: $m"

# ------------------------------------------------------------ labels reach gnuplot safely
cp tests/fuzz/corpus/topology/conv.csv "$TMP/it's \"odd\"; \`x\`.csv"
cp tests/fuzz/corpus/topology/mnk.csv "$TMP/plain.csv"
py 'import json,sys; t=sys.argv[1]; json.dump({"axes": {"topology": [t + "/it'"'"'s \"odd\"; `x`.csv", t + "/plain.csv"], "schedule": ["cpt:3-8", "cpt:4-8"]}, "fixed": {"iters": 100, "no_calibrate": True}}, open(t + "/odd.json", "w"))' "$TMP"
check '"$BC" sweep "$TMP/odd.json" -o "$TMP/odd" > /dev/null 2>&1 && "$BC" sweep merge "$TMP/odd" > /dev/null 2>&1 && [ -s "$TMP/odd/heatmap.png" ]' "quotes in values break the plots"

# ------------------------------------------------------------ calibrations
# distinct hardware configurations: one per value of each hardware option that
# 'bitcycle calibrate' takes (none yet: every point shares the RTL default's)
printf '{"axes": {"dm": [8, 16, 32], "schedule": ["cpt:3-8", "cpt:4-8"]}, "fixed": {"model": "mlp"}}\n' > "$TMP/cal.json"
want=1
"$BC" calibrate --help | grep -q -- '--dm ' && want=3
plan=$("$BC" sweep "$TMP/cal.json" -o "$TMP/cal" --calib-dir "$TMP/calib" --dry-run)
check 'grep -q "^configurations $want distinct: 0 cached, $want to calibrate$" <<< "$plan"' "configurations: $plan"
check "[ \$(grep -c '^  config .* to calibrate  $TMP/calib/calib-' <<< \"\$plan\") -eq $want ]" "config lines: $plan"

# ------------------------------------------------------------ bad sweep files
# expect_bad NAME LINE TEXT... : refused (exit 2) with FILE:LINE: and each TEXT, nothing created
expect_bad() {
    local f=$TMP/$1.json line=$2 out rc
    shift 2
    out=$("$BC" sweep "$f" -o "$TMP/bad-out" 2>&1)
    rc=$?
    [ $rc -eq 2 ] && ok || bad "$f: exit $rc, expected 2: $out"
    case "$out" in "bitcycle sweep: $f:$line: "*) ok ;; *) bad "$f: expected line $line: $out" ;; esac
    for t in "$@"; do case "$out" in *"$t"*) ok ;; *) bad "$f: lacks '$t': $out" ;; esac; done
    [ ! -e "$TMP/bad-out" ] && ok || bad "$f: something ran"
}
printf '{\n  "axes": {\n    "dm": [8, 16]\n    "dn": [8]\n  }\n}\n' > "$TMP/syntax.json"
expect_bad syntax 4 "malformed JSON"
printf '{\n  "axes": {\n    "dm": [8],\n    "dmm": [8]\n  },\n  "fixed": {"model": "mlp"}\n}\n' > "$TMP/unknown.json"
expect_bad unknown 4 "unknown axis 'dmm'" "(valid: model, topology, dataset"
printf '{"axes": {"dataset": ["cifar10",\n "cifar11"]},\n "fixed": {"model": "mlp"}}\n' > "$TMP/value.json"
expect_bad value 1 "'dataset': unknown value 'cifar11' (valid: cifar10, cifar100, imagenet, fashion-mnist, ptb)"
printf '{\n"axes": {"dm": []},\n"fixed": {"model": "mlp"}}\n' > "$TMP/empty.json"
expect_bad empty 2 "'dm' has no values"
printf '{"axes": {"dm": [8],\n "dm": [16]}, "fixed": {"model": "mlp"}}\n' > "$TMP/dup.json"
expect_bad dup 1 "duplicate axis 'dm'"
printf '{"axes": {"dm": [8], "model": ["mlp"]},\n "fixed": {\n "dm": 16}}\n' > "$TMP/dup2.json"
expect_bad dup2 3 "duplicate axis 'dm' (in both axes and fixed)"
printf '{"axes": {"dm": [8, 16]}, "fixed": {"model": "mlp"},\n "exclude": [{"dm": 8}, {"dm": [16]}]}\n' > "$TMP/excl.json"
expect_bad excl 2 "empty product"
printf '{"axes": {"dm": [8, 16]}, "fixed": {"model": "mlp"},\n "exclude": [{"dm": 32}]}\n' > "$TMP/excl2.json"
expect_bad excl2 2 "value '32' is not one of the axis's values"
printf '{"axes": {\n"model": ["mlp", "no-such-net"]}}\n' > "$TMP/model.json"
expect_bad model 2 "unknown model"
printf '{"axes": {"model": ["mlp"],\n"schedule": ["cpt:3-8", "cpt:9-3"]}}\n' > "$TMP/sched.json"
expect_bad sched 2 "'schedule'"
printf '{"axes": {"model": ["mlp"],\n"dm": [0, 8]}}\n' > "$TMP/range.json"
expect_bad range 2 "value 0 is not a whole number in 1..1024"
printf '{"axes": {"model": ["mlp"],\n"dn": [8.5]}}\n' > "$TMP/frac.json"
expect_bad frac 2 "not a whole number"
printf '{"axes": {"model": ["mlp"]},\n"fixed": {"topology": "tests/fuzz/corpus/topology/conv.csv"}}\n' > "$TMP/excl3.json"
expect_bad excl3 2 "'model' and 'topology' cannot both be given"
printf '{"axes": {"dm": [8]}}\n' > "$TMP/noload.json"
expect_bad noload 1 "no 'model' or 'topology' axis"
printf '{"axes": {"model": ["mlp"]},\n"colour": 3}\n' > "$TMP/top.json"
expect_bad top 2 "unknown field 'colour' (valid: description, command, axes, fixed, exclude, plots)"
printf '{"axes": {"model": ["mlp"], "dm": [8, 16]},\n"plots": {"heatmap": ["dm", "dk"]}}\n' > "$TMP/plot.json"
expect_bad plot 2 "plots: 'dk' is not an axis with two or more values"
# an axis this build's estimate does not have yet is named with its option
printf '{"axes": {"model": ["mlp"],\n"dram": ["ddr3", "hbm2"]}}\n' > "$TMP/dram.json"
if "$BC" estimate --help | grep -q -- '--dram '; then
    check '"$BC" sweep "$TMP/dram.json" -o "$TMP/dram" --dry-run > /dev/null' "dram axis refused though estimate has --dram"
else
    expect_bad dram 2 "axis 'dram' needs 'bitcycle estimate --dram'"
fi
out=$("$BC" sweep "$TMP/missing.json" 2>&1)
check '[ $? -eq 2 ] && grep -q "missing.json: cannot open" <<< "$out"' "missing sweep file: $out"
check '! "$BC" sweep "$DIR/array.json" --executor cloud > /dev/null 2>&1' "unknown executor accepted"

# the worked example of docs/sweeps.md is this test's sweep file
awk '/^```json$/ { on = 1; next } /^```$/ { if (on) exit } on' docs/sweeps.md > "$TMP/doc.json"
check 'cmp -s "$TMP/doc.json" "$DIR/array.json"' "docs/sweeps.md's example differs from tests/sweep/array.json"

echo "test-sweep: $pass passed, $fail failed"
[ $fail -eq 0 ]
