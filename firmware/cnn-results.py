#!/usr/bin/python3
"""make cnn-results: the CNN results table of docs/firmware.md. Trains each
configuration (static and CPT schedules, a float baseline) for several seeds
on fsim and prints mean ± std test accuracy and BitOPs, cycles and energy
relative to static 8/8. Nothing here is tuned: same settings for every row."""
import argparse
import json
import statistics
import subprocess
import sys

CONFIGS = [  # label, --schedule, --grad-bits, float
    ("static 8/8", "static:8", 8, False),
    ("CPT 3-8/8", "cpt:3-8", 8, False),
    ("static 4/8", "static:4", 8, False),
    ("static 6/6", "static:6", 6, False),
    ("CPT 3-6/6", "cpt:3-6", 6, False),
    ("float (CPU)", "static:8", 8, True),
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bitcycle", required=True)
    ap.add_argument("--data-dir", required=True)
    ap.add_argument("--model", default="lenet5")
    ap.add_argument("--data", default="digits")
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--cycles", type=int, default=8)
    ap.add_argument("--seeds", default="1,2,3")
    a = ap.parse_args()
    seeds = [int(s) for s in a.seeds.split(",")]
    rows = []
    for label, sched, gbits, flt in CONFIGS:
        accs, tot = [], []
        for seed in seeds:
            cmd = [a.bitcycle, "train", "--model", a.model, "--data", a.data, "--data-dir", a.data_dir,
                   "--batch", str(a.batch), "--epochs", str(a.epochs), "--cycles", str(a.cycles), "--schedule", sched,
                   "--grad-bits", str(gbits), "--seed", str(seed), "--json"]
            if a.data == "digits":
                cmd += ["--split", "random", "--split-seed", "1"]
            if flt:
                cmd.append("--float")
            p = subprocess.run(cmd, capture_output=True, text=True)
            if p.returncode:
                sys.exit("cnn-results: %s failed: %s" % (" ".join(cmd), p.stderr))
            d = json.loads(p.stdout)
            accs.append(100.0 * d["epochs"][-1]["test_accuracy"])
            tot.append(d["total"])
            print("cnn-results: %s seed %d: %.2f %%" % (label, seed, accs[-1]), file=sys.stderr)
        rows.append((label, accs, tot[0], flt))
    base = rows[0][2]

    def rel(t, key):
        return "%.3f" % (t.get(key, 0) / base[key]) if base.get(key) else "n/a"

    out = ["%s on %s%s, %d epochs of batch %d, %d schedule cycles, seeds %s (fsim); test accuracy of the last "
           "epoch, mean ± std; cost relative to static 8/8 (the same for every seed)" % (
               a.model, a.data, " (random split, split seed 1)" if a.data == "digits" else "", a.epochs, a.batch,
               a.cycles, a.seeds), "",
           "| configuration | test accuracy % | BitOPs | cycles | energy |", "|---|---|---|---|---|"]
    for label, accs, t, flt in rows:
        sd = statistics.stdev(accs) if len(accs) > 1 else 0.0
        cost = ("— | — | —" if flt else "%s | %s | %s" % (rel(t, "bitops"), rel(t, "cycles"), rel(t, "energy_j")))
        out.append("| %s | %.2f ± %.2f | %s |" % (label, statistics.mean(accs), sd, cost))
    print("\n".join(out))


if __name__ == "__main__":
    sys.exit(main())
