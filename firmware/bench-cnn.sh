#!/usr/bin/env bash
# make bench-cnn: CNN training speed. fsim ResNet-8 samples/s against the
# PyTorch fake-quant peer of the same network (one thread each), a full
# Fashion-MNIST epoch of ResNet-8 on fsim (wall, peak memory; only with
# BENCH_CNN_EPOCH=1, else extrapolated from the measured iterations), and
# ResNet-8 iterations/s on the RTL with the CPU side's share. Reports only.
set -euo pipefail
bc=$1 data=$2 out=$3 iters=${BENCH_CNN_ITERS:-4}
tmp="$out.tmp.$$"
trap 'rm -f "$tmp" "$tmp".*' EXIT
common=(--model resnet8 --data fashion-mnist --data-dir "$data" --batch 128 --schedule cpt:3-8 --grad-bits 8 --cycles 1)
/usr/bin/time -f "%e %M" -o "$tmp.time" "$bc" train "${common[@]}" --iters "$iters" --test-limit 128 --json > "$tmp.fsim"
read -r _ fsim_kb < "$tmp.time"
fsim_sps=$(/usr/bin/python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; print("%.1f" % (t["iters"]*128/t["train_seconds"]))' "$tmp.fsim")
fsim_cpu=$(/usr/bin/python3 -c 'import json,sys; t=json.load(open(sys.argv[1]))["total"]; print("%.1f" % (100*(1-t["backend_seconds"]/t["train_seconds"])))' "$tmp.fsim")
peer_line="not measured: python3-torch is not installed (make peer installs it)"
ratio="n/a"
if /usr/bin/python3 -c 'import torch' 2>/dev/null; then
    /usr/bin/python3 tests/peer/cnn_peer.py --data-dir "$data" --model resnet8 --schedule cpt:3-8 --cycles 1 \
        --iters "$iters" --test-limit 128 --threads 1 > "$tmp.peer"
    peer_sps=$(/usr/bin/python3 -c 'import json,sys; print("%.1f" % json.load(open(sys.argv[1]))["samples_per_second"])' "$tmp.peer")
    ratio=$(awk -v a="$fsim_sps" -v b="$peer_sps" 'BEGIN{printf "%.3f", a/b}')
    peer_line="$peer_sps samples/s"
fi
if [ "${BENCH_CNN_EPOCH:-0}" = 1 ]; then
    /usr/bin/time -f "%e %M" -o "$tmp.etime" "$bc" train "${common[@]}" --epochs 1 --csv > "$tmp.epoch"
    read -r ep_s ep_kb < "$tmp.etime"
    epoch_line=$(printf '%.0f s wall, peak RSS %d MiB (measured, with loading and the 10,000-sample test set)' "$ep_s" "$((ep_kb / 1024))")
else
    epoch_line=$(awk -v s="$fsim_sps" -v kb="$fsim_kb" 'BEGIN{printf "about %.0f s wall (60,000 samples at the measured rate; BENCH_CNN_EPOCH=1 measures it), peak RSS %d MiB at batch 128", 60000/s, kb/1024}')
fi
rtl_line="not measured: the sim backend is not part of this build"
if "$bc" train --backend sim --model resnet8 --data digits --data-dir "$data" --batch 32 --iters 2 --cycles 1 \
      --schedule cpt:3-8 --test-limit 32 --json > "$tmp.sim" 2> "$tmp.err"; then
    rtl_line=$(/usr/bin/python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); t=d["total"]; e=d["epochs"][0]; print("%.2f iterations/s (ResNet-8 on 8x8 digits, batch 32, CPT 3-8/8), %.1f %% of the wall time on the CPU side, accelerator idle %.2f %% per iteration" % (t["iters"]/t["train_seconds"], 100*(1-t["backend_seconds"]/t["train_seconds"]), 100*e["idle_fraction"]))' "$tmp.sim")
elif ! grep -q "not part of this build" "$tmp.err"; then
    rtl_line="failed: $(head -c 300 "$tmp.err")"
fi
{
  echo "## CNN training (ResNet-8, Fashion-MNIST, batch 128, CPT 3-8/8, one thread)"
  echo
  echo "| what | result |"
  echo "|---|---|"
  echo "| fsim training throughput ($iters iterations) | $fsim_sps samples/s; $fsim_cpu % of it on the CPU side |"
  echo "| PyTorch fake-quant peer, same network and schedule, 1 thread | $peer_line |"
  echo "| fsim / PyTorch | $ratio (target >= 1) |"
  echo "| one Fashion-MNIST epoch on fsim | $epoch_line |"
  echo "| RTL (sim backend) | $rtl_line |"
} > "$tmp"
mv "$tmp" "$out"
cat "$out"
