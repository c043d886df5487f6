#!/usr/bin/env python3
"""Coverage summaries for make coverage.

  cov_summary.py rtl MERGED.dat   Verilator coverage: line (line + branch
                                  points) and toggle, total and per source file.
  cov_summary.py gcov BUILD_DIR   gcov line coverage of driver/, firmware/ and
                                  host/ from the .gcda files under BUILD_DIR.
"""
import collections
import os
import re
import subprocess
import sys


def rtl(path):
    # Each point: C '<\x01key\x02value...>' count
    pts = collections.defaultdict(lambda: [0, 0])  # (kind, file) -> [covered, total]
    uncovered = collections.defaultdict(list)
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.startswith("C '"):
                continue
            body, _, count = line.rstrip("\n").rpartition("' ")
            kv = {}
            for item in body[3:].split("\x01"):
                if "\x02" in item:
                    k, v = item.split("\x02", 1)
                    kv[k] = v
            page = kv.get("page", "")
            kind = "toggle" if page.startswith("v_toggle") else "line"
            src = os.path.basename(kv.get("f", "?"))
            hit = int(count) > 0
            p = pts[(kind, src)]
            p[0] += hit
            p[1] += 1
            if not hit and kind == "line":
                uncovered[src].append(int(kv.get("l", "0")))
    out = ["RTL coverage of bitcycle_top (Verilator --coverage-line --coverage-toggle, verilator_coverage)", ""]
    for kind in ("line", "toggle"):
        c = sum(v[0] for (k, _), v in pts.items() if k == kind)
        t = sum(v[1] for (k, _), v in pts.items() if k == kind)
        out.append(f"{kind:6s} coverage: {c}/{t} points = {100.0 * c / max(t, 1):.1f} %")
    out += ["", f"{'file':28s} {'line':>16s} {'toggle':>16s}"]
    for src in sorted({s for _, s in pts}):
        cells = []
        for kind in ("line", "toggle"):
            c, t = pts.get((kind, src), [0, 0])
            cells.append(f"{c}/{t} {100.0 * c / t:5.1f}%" if t else "-")
        out.append(f"{src:28s} {cells[0]:>16s} {cells[1]:>16s}")
    out += ["", "line points never hit (file: lines):"]
    for src in sorted(uncovered):
        lines = sorted(set(uncovered[src]))
        out.append(f"  {src}: {', '.join(map(str, lines[:40]))}{' ...' if len(lines) > 40 else ''}")
    print("\n".join(out))


def gcov(build):
    best = {}  # source -> (executed, total), best object wins (a source built into several programs)
    for root, _, files in os.walk(build):
        for fn in files:
            if not fn.endswith(".gcda"):
                continue
            res = subprocess.run(["gcov", "-n", os.path.join(root, fn)], capture_output=True, text=True)
            cur = None
            for line in res.stdout.splitlines():
                m = re.match(r"File '(.+)'", line)
                if m:
                    cur = os.path.normpath(m.group(1))
                    continue
                m = re.match(r"Lines executed:([\d.]+)% of (\d+)", line)
                if m and cur:
                    total = int(m.group(2))
                    ex = round(float(m.group(1)) * total / 100.0)
                    if cur.startswith(("driver/", "firmware/", "host/")) and (cur not in best or ex > best[cur][0]):
                        best[cur] = (ex, total)
                    cur = None
    out = ["C line coverage (gcc --coverage, gcov; a file built into several programs counts its best program)", ""]
    for top in ("driver/", "firmware/", "host/"):
        files = {k: v for k, v in best.items() if k.startswith(top)}
        ex = sum(v[0] for v in files.values())
        tot = sum(v[1] for v in files.values())
        out.append(f"{top:10s} {ex}/{tot} lines = {100.0 * ex / max(tot, 1):.1f} %")
    out += ["", f"{'file':40s} {'lines':>14s}"]
    for k in sorted(best):
        ex, tot = best[k]
        out.append(f"{k:40s} {ex:5d}/{tot:<5d} {100.0 * ex / max(tot, 1):5.1f} %")
    print("\n".join(out))


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("rtl", "gcov"):
        sys.exit(__doc__)
    (rtl if sys.argv[1] == "rtl" else gcov)(sys.argv[2])
