#!/usr/bin/env python3
"""Independent reference for the schedule engine (firmware/src/bc_schedule.c).

Written from the formulas in docs/firmware.md, not from the C code. Python's
round() on a float rounds half to even exactly, like numpy.rint in the CPT
reference; math.pi equals numpy.pi. Run:
    python3 tests/firmware/gen_sched_vectors.py > tests/firmware/sched_vectors.txt
Each line: SPEC ITERS CYCLES : b(0) b(1) ... b(ITERS+EXTRA-1); EXTRA iterations
beyond ITERS are included to pin the behaviour past the end of the run.
Lines starting with 'tie' list (spec, iters, cycles, t) whose value before
rounding is exactly k + 1/2 in exact arithmetic (checked with fractions).
"""
import math
from fractions import Fraction

EXTRA = 3


def ramp(fam, lo, hi, v):
    if fam in ("cpt", "cos-tri"):
        return lo + 0.5 * (hi - lo) * (1 + math.cos(math.pi * v + math.pi))
    if fam in ("lin", "lin-tri"):
        return lo + (hi - lo) * v
    if fam in ("exp", "exp-tri"):
        return lo * (hi / lo) ** v
    raise ValueError(fam)


def bits(fam, lo, hi, t, iters, cycles):
    if fam == "static" or lo == hi:
        return lo
    if fam == "prog":
        stages = hi - lo + 1
        n = max(iters, 1)
        tt = min(t, n - 1)
        return lo + (tt * stages) // n
    period = max(iters // max(cycles, 1), 1)
    u = (t % period) / period
    v = u
    if fam.endswith("-tri"):
        v = 2 * u if u < 0.5 else 2 - 2 * u
    b = round(ramp(fam, lo, hi, v))
    return min(max(b, lo), hi)


def exact_is_tie(fam, lo, hi, t, iters, cycles):
    """Exact-arithmetic value is k+1/2 (only decidable for lin and cos at rational cos)."""
    if fam in ("static", "prog") or lo == hi:
        return False
    period = max(iters // max(cycles, 1), 1)
    u = Fraction(t % period, period)
    v = u
    if fam.endswith("-tri"):
        v = 2 * u if u < Fraction(1, 2) else 2 - 2 * u
    if fam.startswith("lin"):
        x = lo + (hi - lo) * v
    elif fam in ("cpt", "cos-tri"):
        # cos(pi*v + pi) is rational only for v in {0, 1/3, 1/2, 2/3, 1}
        table = {Fraction(0): -1, Fraction(1, 3): Fraction(-1, 2), Fraction(1, 2): 0,
                 Fraction(2, 3): Fraction(1, 2), Fraction(1): 1}
        if v not in table:
            return False
        x = lo + Fraction(1, 2) * (hi - lo) * (1 + table[v])
    else:
        return False
    return x.denominator == 2


CASES = [
    ("static:8", 10, 1),
    ("cpt:3-8", 64, 4),
    ("cpt:3-8", 100, 3),
    ("cpt:2-8", 48, 2),
    ("cpt:3-8", 36, 2),   # T=18: u=1/3, 1/2, 2/3 land on rational cosines
    ("cpt:4-7", 24, 2),
    ("cpt:1-16", 40, 1),
    ("cpt:3-8", 5, 8),    # fewer iterations than cycles: T clamps to 1
    ("cos-tri:3-8", 40, 2),
    ("cos-tri:2-7", 36, 3),
    ("lin:3-8", 20, 2),   # T=10: 3+5u, u=0.1 -> 3.5, u=0.3 -> 4.5 (ties)
    ("lin:2-4", 16, 4),   # 2+2*0.25 = 2.5 (tie)
    ("lin-tri:3-8", 40, 2),
    ("lin-tri:2-5", 27, 3),
    ("exp:2-8", 32, 2),
    ("exp:3-8", 50, 3),
    ("exp-tri:2-8", 32, 2),
    ("exp-tri:4-12", 45, 3),
    ("prog:3-8", 30, 1),
    ("prog:2-16", 100, 5),
    ("prog:4-6", 7, 1),
]


def main():
    for spec, iters, cycles in CASES:
        fam, rng = spec.split(":")
        lo, hi = (int(x) for x in rng.split("-")) if "-" in rng else (int(rng), int(rng))
        vals = [bits(fam, lo, hi, t, iters, cycles) for t in range(iters + EXTRA)]
        print(f"{spec} {iters} {cycles} : " + " ".join(map(str, vals)))
    for spec, iters, cycles in CASES:
        fam, rng = spec.split(":")
        lo, hi = (int(x) for x in rng.split("-")) if "-" in rng else (int(rng), int(rng))
        for t in range(iters):
            if exact_is_tie(fam, lo, hi, t, iters, cycles):
                print(f"tie {spec} {iters} {cycles} {t} {bits(fam, lo, hi, t, iters, cycles)}")


if __name__ == "__main__":
    main()
