#!/usr/bin/env python3
"""Formal checks of bitcycle_top's AXI interfaces with Yosys, yosys-smtbmc (z3)
and yosys-abc (PDR), driven directly (no SymbiYosys).

  fv.py --mode quick   PDR of the fast properties + every broken variant
  fv.py --mode full    PDR of every property, BMC to the depth of each module,
                       cover reachability, broken variants

Each wrapper in tests/formal/ instantiates one RTL module and checks its ports;
its assertions are labelled ap_*, its covers cv_*. Results go to stdout and to
OUT/report.md; the exit status is 1 when any check fails.
"""
import argparse
import os
import re
import resource
import shutil
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FV_DIR = os.path.join(ROOT, "tests", "formal")
PKG = os.path.join(ROOT, "build", "gen", "bc_regs_pkg.sv")  # generated register package (--pkg)

# One entry per module under proof. params: chparam overrides on the wrapper
# (the wrapper passes them on to the module). bounded: properties PDR did not
# settle within 20..60 s on this machine; test-formal checks them with a short
# bmc3, make formal tries PDR again and runs bmc3 to the module's depth.
MODULES = {
    "axil_regs": {
        "top": "fv_axil_regs",
        "rtl": ["rtl/top/bc_top_pkg.sv", "rtl/top/bc_axil_regs.sv"],
        "params": {},
        "bmc_depth": 20,
        "cover_depth": 12,
        "bounded": ["ap_readback"],
    },
    "dma_rd": {
        "top": "fv_dma_rd",
        "rtl": ["rtl/top/bc_top_pkg.sv", "rtl/top/bc_dma_rd.sv"],
        "params": {},
        "bmc_depth": 20,
        "cover_depth": 16,
        "bounded": ["ap_ar_4k", "ap_ar_len", "ap_ar_longest", "ap_ar_stable", "ap_ar_walk", "ap_busy",
                    "ap_fill_end", "ap_fill_mid", "ap_outst", "ap_push_idle"],
    },
    "wb": {
        "top": "fv_wb",
        "rtl": ["rtl/top/bc_top_pkg.sv", "rtl/top/bc_wb.sv"],
        "params": {},
        "bmc_depth": 20,
        "cover_depth": 16,
        "bounded": ["ap_busy", "ap_done_resp", "ap_w_stable"],
    },
}

# Broken variants: (module, name, file, text, replacement, property that must fail).
# The text must occur exactly once in the file, so an RTL change that removes it
# makes the check fail loudly instead of silently testing an unbroken copy.
MUTANTS = [
    ("axil_regs", "b_drops", "rtl/top/bc_axil_regs.sv",
     "if (s_bvalid_o && s_bready_i) bvalid_q <= 1'b0;", "if (s_bvalid_o) bvalid_q <= 1'b0;",
     "ap_b_stable"),
    ("axil_regs", "partial_strobe_ok", "rtl/top/bc_axil_regs.sv",
     "assign wr_full_word = (w_strb_q == 4'hf);", "assign wr_full_word = (w_strb_q != 4'h0);",
     "ap_partial_slverr"),
    ("dma_rd", "no_4k_split", "rtl/top/bc_dma_rd.sv",
     "if (to4k < 11'(ar_len)) ar_len = 5'(to4k);", "",
     "ap_ar_4k"),
    ("dma_rd", "unbounded_outstanding", "rtl/top/bc_dma_rd.sv",
     "assign m_arvalid_o = ar_act_q && (32'(outst_q) < MAX_OUTSTANDING);", "assign m_arvalid_o = ar_act_q;",
     "ap_outst"),
    ("wb", "wlast_late", "rtl/top/bc_wb.sv",
     "assign m_wlast_o = bu_cnt_q + 5'd1 == bu_len_q;", "assign m_wlast_o = bu_cnt_q == bu_len_q;",
     "ap_wlast"),
    ("wb", "no_4k_split", "rtl/top/bc_wb.sv",
     "if (to4k < 10'(next_len)) next_len = 5'(to4k);", "",
     "ap_aw_4k"),
]
MUTANT_DEPTH = 14


def cpu_now():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run(cmd, log, timeout, cwd=None):
    """Run cmd, output to log; returns (rc, output, cpu seconds). rc None on timeout."""
    t0 = cpu_now()
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=timeout,
                           cwd=cwd, text=True)
        rc, out = p.returncode, p.stdout
    except subprocess.TimeoutExpired as e:
        rc, out = None, (e.stdout.decode() if isinstance(e.stdout, bytes) else (e.stdout or ""))
    with open(log, "w") as f:
        f.write(" ".join(cmd) + "\n" + out)
    return rc, out, cpu_now() - t0


class Report:
    def __init__(self, out):
        self.out = out
        self.rows = []
        self.failed = 0

    def add(self, module, check, method, result, detail, secs, ok):
        self.rows.append((module, check, method, result, detail, secs))
        if not ok:
            self.failed += 1
        mark = "" if ok else "  <-- FAIL"
        print(f"formal: {module:10s} {check:22s} {method:6s} {result:12s} {detail:18s} {secs:7.2f} s{mark}",
              flush=True)

    def write(self, mode):
        path = os.path.join(self.out, "report.md")
        with open(path, "w") as f:
            f.write(f"# Formal results ({mode})\n\n")
            f.write("| module | check | method | result | depth / frames | CPU s |\n|---|---|---|---|---|---|\n")
            for m, c, meth, res, det, s in self.rows:
                f.write(f"| {m} | {c} | {meth} | {res} | {det} | {s:.2f} |\n")
        return path


def yosys_base(name, cfg, rtl_files, out_dir, gates=True):
    """Elaborate the wrapper into RTLIL and SMT2 (for smtbmc); with gates, also an
    AND-inverter netlist keeping every assertion (cut per property for PDR)."""
    os.makedirs(out_dir, exist_ok=True)
    pkg = PKG
    srcs = [pkg] + rtl_files + [os.path.join(FV_DIR, cfg["top"] + ".sv")]
    chp = "".join(f"chparam -set {k} {v} {cfg['top']}\n" for k, v in cfg["params"].items())
    ys = os.path.join(out_dir, "base.ys")
    with open(ys, "w") as f:
        f.write(f"read_verilog -sv -formal {' '.join(srcs)}\n{chp}"
                f"prep -flatten -top {cfg['top']}\nmemory_map\nopt -full\nasync2sync\ndffunmap\nopt_clean\n"
                f"write_rtlil {out_dir}/base.il\nwrite_smt2 {out_dir}/base.smt2\n"
                f"tee -q -o {out_dir}/asserts.txt select -list t:$assert\n"
                f"tee -q -o {out_dir}/covers.txt select -list t:$cover\n")
        if gates:
            f.write("delete t:$cover\ntechmap\nopt -fast -nosdff -nodffe\ndffunmap\nabc -g AND -fast\nopt_clean\n"
                    f"setattr -unset keep\ndelete -output\nopt_clean\nwrite_rtlil {out_dir}/gates.il\n")
    rc, out, _ = run(["yosys", "-q", ys], os.path.join(out_dir, "base.log"), 300)
    if rc != 0:
        sys.stderr.write(out[-3000:])
        return None
    names = lambda p: [l.split("/")[-1].strip() for l in open(p) if l.strip()]
    return names(os.path.join(out_dir, "asserts.txt")), names(os.path.join(out_dir, "covers.txt"))


def smt2_only(out_dir, top, prop):
    """An SMT2 model keeping only one assertion (for fast counterexamples)."""
    ys = os.path.join(out_dir, f"{prop}.smt2.ys")
    with open(ys, "w") as f:
        f.write(f"read_rtlil {out_dir}/base.il\ndelete t:$cover\n"
                f"select -set keep {top}/{prop}\ndelete t:$assert @keep %d\n"
                f"write_smt2 {out_dir}/{prop}.smt2\n")
    rc, _, _ = run(["yosys", "-q", ys], os.path.join(out_dir, f"{prop}.smt2.log"), 120)
    return rc == 0


def aig(out_dir, top, prop):
    """AIGER export keeping one assertion (its cone only): (path or None, cpu s)."""
    ys = os.path.join(out_dir, f"{prop}.aig.ys")
    path = os.path.join(out_dir, f"{prop}.aig")
    with open(ys, "w") as f:
        f.write(f"read_rtlil {out_dir}/gates.il\n"
                f"select -set keep {top}/{prop}\ndelete t:$assert @keep %d\nopt_clean\n"
                f"write_aiger -zinit -map {out_dir}/{prop}.aim {path}\n")
    rc, _, t = run(["yosys", "-q", ys], os.path.join(out_dir, f"{prop}.aig.log"), 120)
    return (path if rc == 0 else None), t


def pdr(out_dir, top, prop, limit):
    """PDR on the property's AIGER: (result, frame, cpu s)."""
    path, t_y = aig(out_dir, top, prop)
    if path is None:
        return "yosys-error", "", t_y
    script = f"read_aiger {path}; fold; strash; pdr -T {limit}; write_cex -a {out_dir}/{prop}.aiw"
    rc, out, t = run(["yosys-abc", "-c", script], os.path.join(out_dir, f"{prop}.pdr.log"), limit * 4 + 30)
    m = re.search(r"Property proved", out)
    if m:
        fr = re.findall(r"Invariant F\[(\d+)\]", out)
        return "proved", (f"F[{fr[-1]}]" if fr else "inductive"), t + t_y
    m = re.search(r"was asserted in frame (\d+)", out)
    if m:
        return "FAILED", f"frame {m.group(1)}", t + t_y
    return "undecided", f"limit {limit} s", t + t_y


def abc_bmc(out_dir, prop, depth, limit):
    """Bounded check of the property's AIGER with abc's bmc3: (result, detail, cpu s)."""
    path = os.path.join(out_dir, f"{prop}.aig")
    script = f"read_aiger {path}; fold; strash; bmc3 -F {depth + 1} -T {limit}"
    rc, out, t = run(["yosys-abc", "-c", script], os.path.join(out_dir, f"{prop}.bmc3.log"), 1800)
    m = re.search(r"No output asserted in (\d+) frames", out)
    if m and int(m.group(1)) > depth:
        return "passed", f"depth {int(m.group(1)) - 1}", t
    m = re.search(r"was asserted in frame (\d+)", out)
    if m:
        return "FAILED", f"frame {m.group(1)}", t
    m = re.search(r"No output asserted in (\d+) frames", out)
    return "incomplete", f"depth {int(m.group(1)) - 1 if m else '?'} in {limit} s", t


def bmc(out_dir, smt2, depth, vcd, timeout):
    """yosys-smtbmc with z3: (passed, failing assertion or '', steps)."""
    cmd = ["yosys-smtbmc", "-s", "z3", "--unroll", "--noprogress", "-t", str(depth), "--dump-vcd", vcd, smt2]
    rc, out, t = run(cmd, vcd.replace(".vcd", ".bmc.log"), timeout)
    if rc is None:
        return None, "timeout", t, out
    if "Status: PASSED" in out:
        return True, "", t, out
    m = re.search(r"Assert failed in \S+ (\S+)(?: \((\w+)\))?", out)
    label = (m.group(2) or m.group(1)) if m else "?"
    return False, label, t, out


def cover(out_dir, depth, timeout):
    cmd = ["yosys-smtbmc", "-s", "z3", "--unroll", "--noprogress", "-c", "-t", str(depth),
           os.path.join(out_dir, "base.smt2")]
    rc, out, t = run(cmd, os.path.join(out_dir, "cover.log"), timeout)
    reached = {m.group(1).split("/")[-1]: int(m.group(2))
               for m in re.finditer(r"Reached cover statement at (\S+) in step (\d+)", out)}
    return reached, t, rc


def mutate(name, cfg, mut, out_root):
    mod, mname, path, old, new, _ = mut
    src = open(os.path.join(ROOT, path)).read()
    if src.count(old) != 1:
        return None, f"'{old}' occurs {src.count(old)} times in {path}"
    mdir = os.path.join(out_root, "mutants", f"{mod}-{mname}")
    os.makedirs(mdir, exist_ok=True)
    copy = os.path.join(mdir, os.path.basename(path))
    with open(copy, "w") as f:
        f.write(src.replace(old, new))
    rtl = [copy if r == path else os.path.join(ROOT, r) for r in cfg["rtl"]]
    return rtl, mdir


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mode", choices=["quick", "full"], default="quick")
    ap.add_argument("--out", default=os.path.join(ROOT, "build", "formal"))
    ap.add_argument("--pkg", help="generated bc_regs_pkg.sv (default build/gen/bc_regs_pkg.sv)")
    ap.add_argument("--only", help="one module (axil_regs, dma_rd, wb)")
    ap.add_argument("--props", help="comma-separated assertions to check (default all)")
    ap.add_argument("--set", action="append", default=[], help="PARAM=VALUE override of the wrapper")
    ap.add_argument("--pdr-limit", type=int, default=None, help="PDR time limit per property (s)")
    args = ap.parse_args()
    full = args.mode == "full"
    global PKG
    if args.pkg:
        PKG = os.path.abspath(args.pkg)
    if not os.path.isfile(PKG):
        print(f"formal: register package {PKG} not found (make regs generates it)", file=sys.stderr)
        return 2
    limit = args.pdr_limit or (60 if full else 20)
    os.makedirs(args.out, exist_ok=True)
    rep = Report(args.out)
    mods = [args.only] if args.only else list(MODULES)

    for name in mods:
        cfg = dict(MODULES[name])
        cfg["params"] = dict(cfg["params"], **dict(kv.split("=", 1) for kv in args.set))
        d = os.path.join(args.out, name)
        base = yosys_base(name, cfg, [os.path.join(ROOT, r) for r in cfg["rtl"]], d)
        if base is None:
            rep.add(name, "elaborate", "yosys", "ERROR", "", 0, False)
            continue
        asserts, covers = base
        # unbounded: PDR per property
        for p in asserts:
            if args.props and p not in args.props.split(","):
                continue
            if p in cfg["bounded"] and not full:
                _, t = aig(d, cfg["top"], p)
                res = "undecided"
            else:
                res, det, t = pdr(d, cfg["top"], p, limit)
                ok = res == "proved" or (res == "undecided" and p in cfg["bounded"])
                rep.add(name, p, "pdr", res, det, t, ok)
            if res != "proved":
                # bounded: abc bmc3 on the same AIGER, to the module's depth
                # (test-formal: a short time limit; a counterexample still fails it)
                res, det, t = abc_bmc(d, p, cfg["bmc_depth"], 600 if full else 5)
                rep.add(name, p, "bmc3", res, det, t, res == "passed" or (res == "incomplete" and not full))
        if full:
            # bounded: every assertion together to the module's depth
            depth = cfg["bmc_depth"]
            passed, label, t, _ = bmc(d, os.path.join(d, "base.smt2"), depth, os.path.join(d, "bmc.vcd"), 7200)
            rep.add(name, "all assertions", "bmc", "passed" if passed else f"FAILED {label}", f"depth {depth}",
                    t, bool(passed))
            reached, t, _ = cover(d, cfg["cover_depth"], 7200)
            for c in covers:
                rep.add(name, c, "cover", "reached" if c in reached else "UNREACHED",
                        f"step {reached[c]}" if c in reached else f"depth {cfg['cover_depth']}", 0.0,
                        c in reached)
            rep.add(name, "covers", "cover", f"{len(reached)}/{len(covers)}", f"depth {cfg['cover_depth']}", t,
                    len(reached) == len(covers))

    # broken variants: each must fail its property with a counterexample trace
    for mut in MUTANTS:
        mod, mname, _, _, _, prop = mut
        if mod not in mods:
            continue
        cfg = MODULES[mod]
        rtl, mdir = mutate(mod, cfg, mut, args.out)
        if rtl is None:
            rep.add(mod, f"broken:{mname}", "bmc", "ERROR", "", 0, False)
            print(f"formal: {mdir}", file=sys.stderr)
            continue
        if yosys_base(mod, cfg, rtl, mdir, gates=False) is None or not smt2_only(mdir, cfg["top"], prop):
            rep.add(mod, f"broken:{mname}", "bmc", "ERROR", "yosys", 0, False)
            continue
        vcd = os.path.join(mdir, "cex.vcd")
        passed, label, t, out = bmc(mdir, os.path.join(mdir, f"{prop}.smt2"), MUTANT_DEPTH, vcd, 900)
        steps = re.findall(r"Checking assertions in step (\d+)", out)
        ok = passed is False and label == prop and os.path.exists(vcd)
        rep.add(mod, f"broken:{mname}", "bmc", f"cex {label}" if passed is False else "NO CEX",
                f"step {steps[-1] if steps else '?'}", t, ok)
        if ok:
            print(f"formal:   counterexample trace: {os.path.relpath(vcd, ROOT)}")

    path = rep.write(args.mode)
    n = len(rep.rows)
    print(f"formal: {n - rep.failed} passed, {rep.failed} failed (report {os.path.relpath(path, ROOT)})")
    return 1 if rep.failed else 0


if __name__ == "__main__":
    sys.exit(main())
