#!/usr/bin/python3
"""make peer: bitcycle's fsim CNN training against the PyTorch fake-quant
peer (cnn_peer.py) on the same network, data order, schedule and quantizer
semantics; mean test accuracy over seeds must agree within --tolerance
(points). Writes a Markdown table to --out and exits 1 on disagreement."""
import argparse
import json
import statistics
import subprocess
import sys


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit("peer: %s failed:\n%s" % (" ".join(cmd), p.stderr))
    return p.stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bitcycle", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--model", default="lenet5")
    ap.add_argument("--iters", type=int, default=469)
    ap.add_argument("--batch", type=int, default=128)
    ap.add_argument("--cycles", type=int, default=8)
    ap.add_argument("--seeds", default="1,2,3")
    ap.add_argument("--schedules", default="static:8,cpt:3-8")
    ap.add_argument("--tolerance", type=float, default=1.0)
    ap.add_argument("--out", default="-")
    a = ap.parse_args()
    seeds = [int(s) for s in a.seeds.split(",")]
    rows, ok = [], True
    common = ["--iters", str(a.iters), "--batch", str(a.batch), "--cycles", str(a.cycles)]
    for sched in a.schedules.split(","):
        bc_acc, pt_acc, bc_sps, pt_sps = [], [], [], []
        for seed in seeds:
            out = run([a.bitcycle, "train", "--model", a.model, "--data", "fashion-mnist", "--data-dir", a.data_dir,
                       "--schedule", sched, "--grad-bits", "8", "--seed", str(seed), "--json"] + common)
            d = json.loads(out)
            bc_acc.append(100.0 * d["epochs"][-1]["test_accuracy"])
            pt = json.loads(run([sys.executable, __file__.replace("compare.py", "cnn_peer.py"), "--data-dir",
                                 a.data_dir, "--model", a.model, "--schedule", sched, "--seed", str(seed)] + common))
            pt_acc.append(100.0 * pt["test_accuracy"])
            pt_sps.append(pt["samples_per_second"])
            print("peer: %s seed %d: bitcycle fsim %.2f %%, PyTorch %.2f %%" % (sched, seed, bc_acc[-1], pt_acc[-1]),
                  file=sys.stderr)
        mb, mp = statistics.mean(bc_acc), statistics.mean(pt_acc)
        sb = statistics.stdev(bc_acc) if len(bc_acc) > 1 else 0.0
        sp = statistics.stdev(pt_acc) if len(pt_acc) > 1 else 0.0
        agree = abs(mb - mp) <= a.tolerance
        ok = ok and agree
        rows.append("| %s | %s | %.2f ± %.2f | %.2f ± %.2f | %+.2f | %s |" % (
            a.model, sched, mb, sb, mp, sp, mb - mp, "yes" if agree else "NO"))
    text = ("Fashion-MNIST, %d iterations of batch %d, %d schedule cycles, backward 8 bits, seeds %s; "
            "test accuracy (full test set), mean ± std\n\n"
            "| model | schedule | bitcycle fsim | PyTorch fake-quant | difference | within %.1f point |\n"
            "|---|---|---|---|---|---|\n" % (a.iters, a.batch, a.cycles, a.seeds, a.tolerance)) + "\n".join(rows) + "\n"
    if a.out == "-":
        sys.stdout.write(text)
    else:
        with open(a.out, "w") as f:
            f.write(text)
        sys.stdout.write(text)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
