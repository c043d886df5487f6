#!/usr/bin/env bash
# CLI checks of `bitcycle schedule` and `bitcycle train`: outputs against the
# independent schedule vectors, JSON keys, and every bad input (exit code and
# a message naming the option). Uses a synthetic digits file in a temp dir.
set -uo pipefail
bc=$(realpath "${1:-build/bitcycle}")
vec=$(realpath "${2:-tests/firmware/sched_vectors.txt}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# expect_err CODE PATTERN -- ARGS...: exit code CODE and stderr matching PATTERN
expect_err() {
    local code=$1 pat=$2; shift 3
    "$bc" "$@" > "$work/out" 2> "$work/err"; local rc=$?
    if [ $rc -ne "$code" ] || ! grep -q -- "$pat" "$work/err"; then
        bad "bitcycle $*: exit $rc (want $code), stderr: $(head -c 300 "$work/err") (want /$pat/)"
    else ok; fi
}

# --- schedule: CSV against the independent vectors
while read -r spec iters cycles _ rest; do
    [ "$spec" = tie ] && continue
    want=$(echo "$rest" | tr ' ' '\n' | head -n "$iters" | tr '\n' ' ')
    got=$("$bc" schedule --schedule "$spec" --iters "$iters" --cycles "$cycles" --csv 2>/dev/null | awk -F, 'NR>1{printf "%s ", $2}')
    hdr=$("$bc" schedule --schedule "$spec" --iters "$iters" --cycles "$cycles" --csv 2>/dev/null | head -n1)
    if [ "$got" = "$want" ] && [ "$hdr" = "iteration,fw_bits,bw_bits" ]; then ok; else bad "schedule --csv $spec $iters $cycles"; fi
done < <(grep -v '^tie' "$vec" | head -n 8)

# backward schedule column and the summary of the paper's run
got=$("$bc" schedule --schedule static:8 --grad-schedule lin:2-4 --iters 16 --cycles 4 --csv | awk -F, 'NR>1{printf "%s ", $3}')
want=$(grep '^lin:2-4 16 4 ' "$vec" | cut -d: -f3 | tr ' ' '\n' | grep . | head -n 16 | tr '\n' ' ')
[ "$got" = "$want" ] && ok || bad "grad-schedule column: '$got' vs '$want'"
"$bc" schedule --schedule cpt:3-8 --grad-bits 8 --cycles 32 --iters 64000 > "$work/sum"
grep -q "BitOPs factor  0.6333 of static 8/8" "$work/sum" && grep -q "forward 5.499, backward 8.000" "$work/sum" && ok || bad "paper summary"
"$bc" schedule --json --iters 100 --cycles 3 > "$work/j" && python3 - "$work/j" <<'PY' && ok || bad "schedule --json"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["schedule"] == "cpt:3-8" and d["period"] == 33 and d["iters"] == 100
assert sum(d["fw_iters_at"].values()) == 100 and d["bw_iters_at"] == {"8": 100}
PY
"$bc" schedule --iters 200 --cycles 2 --plot "$work/p.png" > /dev/null && [ "$(head -c 4 "$work/p.png" | od -An -c | tr -d ' ')" = "211PNG" ] && ok || bad "--plot PNG"
ls "$work" | grep -q tmp && bad "temporary files left" || ok
"$bc" schedule --iters 10 --cycles 2 -o "$work/s.txt" && grep -q "^schedule" "$work/s.txt" && ok || bad "-o"

expect_err 2 "schedule 'cpt:3-' : expected HI\|schedule 'cpt:3-': expected HI" -- schedule --schedule cpt:3-
expect_err 2 "unknown family 'warp'" -- schedule --schedule warp:3-8
expect_err 2 "position 9" -- schedule --schedule static:8x
expect_err 2 "\-\-grad-schedule: schedule 'lin:9-2'" -- schedule --grad-schedule lin:9-2
expect_err 2 "\-\-iters" -- schedule --iters 0
expect_err 2 "\-\-cycles" -- schedule --cycles x
expect_err 2 "\-\-grad-bits" -- schedule --grad-bits 17
expect_err 2 "exclusive" -- schedule --grad-bits 8 --grad-schedule static:8
expect_err 2 "unknown option" -- schedule --bogus
expect_err 1 "plot" -- schedule --iters 10 --plot /nonexistent-dir/x.png
expect_err 2 "\-\-plot: .*must end in .png" -- schedule --iters 10 --plot "$work/x.jpg"
expect_err 2 "exclusive" -- schedule --json --csv
expect_err 2 "exclusive" -- train --csv --json

# --- train on a synthetic digits file (65 integer fields, label = brightest quarter)
python3 - "$work/digits.csv.gz" <<'PY'
import gzip, random, sys
r = random.Random(5)
with gzip.open(sys.argv[1], "wt") as f:
    for i in range(1600):
        lab = i % 10
        px = [r.randint(0, 6) for _ in range(64)]
        for k in range(6):
            px[lab * 6 + k] = 16
        f.write(",".join(map(str, px + [lab])) + "\n")
PY
"$bc" train --data digits --data-dir "$work" --batch 32 --iters 30 --cycles 3 --json > "$work/t.json" 2> "$work/t.err" && python3 - "$work/t.json" <<'PY' && ok || bad "train --json: $(cat "$work/t.err")"
import json, sys
d = json.load(open(sys.argv[1]))
assert set(d) == {"settings", "epochs", "total"}, d.keys()
st = d["settings"]
assert st["model"] == "mlp" and st["batch"] == 32 and st["max_iters"] == 30 and st["schedule_cycles"] == 3, st
assert st["schedule"] == "cpt:3-8" and st["data"] == "digits" and st["backend"] == "fsim", st
keys = {"epoch", "train_loss", "test_accuracy", "cycles", "bitops", "mean_fw_bits", "switches", "iters",
        "train_accuracy", "idle_fraction"}
for e in d["epochs"]:
    assert keys <= set(e), e
    assert 0.0 <= e["test_accuracy"] <= 1.0 and e["cycles"] > 0 and e["bitops"] > 0
assert d["total"]["cycles"] == sum(e["cycles"] for e in d["epochs"])
assert d["total"]["bitops"] == sum(e["bitops"] for e in d["epochs"])
assert d["total"]["switches"] == sum(e["switches"] for e in d["epochs"])
assert d["epochs"][0]["switches"] > 0
PY
"$bc" train --data digits --data-dir "$work" --batch 32 --iters 30 --cycles 3 --csv > "$work/t.csv" &&
    head -n1 "$work/t.csv" | grep -q "^epoch,train_loss,test_accuracy,cycles,bitops,mean_fw_bits,switches" && ok || bad "train --csv"
"$bc" train --data digits --data-dir "$work" --batch 32 --iters 30 --cycles 3 --seed 4 --csv > "$work/a.csv" &&
"$bc" train --data digits --data-dir "$work" --batch 32 --iters 30 --cycles 3 --seed 4 --csv > "$work/b.csv" &&
    cmp -s "$work/a.csv" "$work/b.csv" && ok || bad "train not deterministic for a fixed seed"
"$bc" train --data digits --data-dir "$work" --batch 32 --iters 20 --schedule auto --range-iters 4 --range-max-bits 4 \
    > "$work/auto" 2>&1 && grep -q "range test: Bmin = [234]" "$work/auto" && grep -q "schedule  forward cpt:" "$work/auto" && ok || bad "--schedule auto: $(tail -3 "$work/auto")"

# --- CNN models: LeNet-5 and ResNet-8 on the 8x8 synthetic digits, a seeded random split
"$bc" train --model lenet5 --data digits --split random --split-seed 3 --data-dir "$work" --batch 16 --iters 12 \
    --cycles 2 --json > "$work/c.json" 2> "$work/c.err" && python3 - "$work/c.json" <<'PY' && ok || bad "train --model lenet5 --json: $(cat "$work/c.err")"
import json, sys
d = json.load(open(sys.argv[1]))
st = d["settings"]
assert st["model"] == "lenet5" and st["data"] == "digits-random", st
e = d["epochs"][0]
assert e["iters"] == 12 and 0.0 <= e["train_accuracy"] <= 1.0 and e["im2col_ops"] > 0, e
assert 0.0 <= e["idle_fraction"] < 1.0 and e["jobs"] >= e["waits"] > 0, e
PY
"$bc" train --model resnet8 --data digits --data-dir "$work" --batch 16 --iters 6 --cycles 2 --csv > "$work/r.csv" &&
    head -n1 "$work/r.csv" | grep -q ",iters,train_accuracy,jobs,waits,idle_fraction,im2col_ops,corr_ops,model," &&
    tail -n1 "$work/r.csv" | grep -q ",resnet8,digits,fsim,16," && ok || bad "train --model resnet8 --csv"
"$bc" train --model lenet5 --data digits --data-dir "$work" --batch 16 --iters 4 --schedule auto --range-iters 2 \
    --range-max-bits 4 > "$work/rr.txt" 2>&1 && grep -q "range test: Bmin = " "$work/rr.txt" && ok || bad "train --model lenet5 --schedule auto"
"$bc" train --model lenet5 --float --data digits --data-dir "$work" --batch 16 --iters 4 --cycles 2 --json > "$work/f.json" &&
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["settings"]["float"] is True and d["total"]["bitops"] == 0 and d["epochs"][0]["jobs"] == 0, d' "$work/f.json" && ok || bad "train --float"
expect_err 2 "\-\-float: only for the CNN models" -- train --float
expect_err 2 "\-\-model: 'vgg'" -- train --model vgg
expect_err 2 "\-\-layers: only for --model mlp" -- train --model lenet5 --layers 64-10
expect_err 2 "\-\-split random: only for --dataset digits" -- train --data fashion-mnist --split random
expect_err 2 "\-\-split: 'x'" -- train --split x
expect_err 2 "\-\-backend: 'tpu'" -- train --backend tpu
expect_err 2 "\-\-dataset: 'cifar'" -- train --data cifar
expect_err 2 "\-\-dataset: 'cifar'" -- train --dataset cifar
expect_err 2 "did you mean '--dataset'" -- train --datset digits
expect_err 2 "\-\-layers: '64-x'" -- train --layers 64-x
expect_err 2 "\-\-layers: digits has 64 inputs" -- train --data-dir "$work" --layers 784-10
expect_err 2 "\-\-batch" -- train --batch 5000
expect_err 2 "\-\-lr" -- train --lr -1
expect_err 2 "\-\-schedule: schedule 'cpt:9'" -- train --schedule cpt:9
expect_err 2 "\-\-grad-bits" -- train --grad-bits 0
expect_err 2 "\-\-range-threshold" -- train --range-threshold abc
expect_err 1 "make data" -- train --data digits --data-dir "$work/none"
expect_err 1 "make data" -- train --data fashion-mnist --data-dir "$work/none"
expect_err 1 "saturate" -- train --data-dir "$work" --schedule static:16 --grad-bits 16 --iters 1
mkdir -p "$work/bad" && printf 'garbage\n' | gzip > "$work/bad/digits.csv.gz"
expect_err 1 "digits.csv.gz:1: field 1" -- train --data digits --data-dir "$work/bad"

echo "test-firmware-cli: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
