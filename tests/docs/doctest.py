#!/usr/bin/env python3
"""Executes the examples of README.md and docs/*.md and compares their output.

An example is a fenced block whose first line starts with "$ " (a console
transcript). Each "$ " line is a command (a trailing backslash continues it on
the next line); the lines up to the next command are its expected output,
standard error included. Commands run with bash in a scratch directory that
links the repository's build/, docs/, tests/, waveforms/ and rtl/, so
`build/bitcycle ...` works as written and files the example writes go away;
a command that starts with "make " runs in the repository itself.

Matching rules (docs/contributing.md, "Examples in the docs"):
  - a line "..." (indentation allowed) matches any number of lines (an
    abridged transcript);
  - an expected line ending in " ..." matches any line that starts with the
    text before it;
  - volatile values are masked on both sides before comparing: a number
    followed by a time unit (s, ms, us, µs, min, h) or by a rate unit
    (/s, MIPS, kHz, MHz of simulation speed written "cycles/s"), and
    a number followed by "x" in a line that also contains "speed".
  - 16-digit hexadecimal hashes (RTL sources, builds, sweep files) are masked;
  - trailing white space and blank lines are ignored.
A block fenced as ```console-skip is shown but not run (for commands that need
hardware or minutes of time); the checker counts them.

Also fails when a doc speaks of internal bookkeeping (issue numbers, owners,
helpers, sessions) or links a file that is not in the repository.

usage: doctest.py [--update] REPO [FILE.md ...]
  --update rewrites the expected output of every example that differs
  (abridged where the old text was), for review with git diff.

usage summary: doctest.py REPO [FILE.md ...]  (default: README.md docs/*.md)
"""
import os
import re
import subprocess
import sys
import tempfile

UNIT = r"(?:s|ms|us|µs|min|h)\b"
VOLATILE = [
    (re.compile(r"\d+(?:\.\d+)?(?:e[+-]?\d+)? ?" + UNIT), "<time>"),
    (re.compile(r"\d+(?:\.\d+)?(?:e[+-]?\d+)? ?[kMG]?(?:/s|MIPS|cycles/s|instr/s)"), "<rate>"),
    (re.compile(r"\b[0-9a-f]{16}\b"), "<hash>"),
]
SPEED_X = re.compile(r"\d+(?:\.\d+)?x")
BOOKKEEPING = re.compile(r"\b(?:[Ii]ssue|[Tt]icket) #?\d+|\bsessions?\b|\bowners?\b")
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def mask(line):
    for rx, rep in VOLATILE:
        line = rx.sub(rep, line)
    if "speed" in line:
        line = SPEED_X.sub("<x>", line)
    return line.rstrip()


def blocks(path):
    """Yield (first_line_number, fence_info, lines) for each fenced block."""
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    i = 0
    while i < len(lines):
        m = re.match(r"^```(\S*)\s*$", lines[i])
        if not m:
            i += 1
            continue
        info, start, body = m.group(1), i + 1, []
        i += 1
        while i < len(lines) and not lines[i].startswith("```"):
            body.append(lines[i])
            i += 1
        i += 1
        yield start + 1, info, body


def parse_transcript(body):
    """[(command, [expected lines])]"""
    steps = []
    i = 0
    while i < len(body):
        if not body[i].startswith("$ "):
            return None
        cmd = body[i][2:]
        while cmd.endswith("\\") and i + 1 < len(body):
            i += 1
            cmd = cmd[:-1] + " " + body[i].lstrip()
        i += 1
        out = []
        while i < len(body) and not body[i].startswith("$ "):
            out.append(body[i])
            i += 1
        while out and out[-1] == "":
            out.pop()
        steps.append((cmd, out))
    return steps


def matches(expected, actual):
    """Match with '...' wildcards; returns (ok, first differing expected index)."""
    exp = [mask(x) for x in expected if x.strip()]
    act = [mask(x) for x in actual if x.strip()]

    memo = {}

    def go(i, j):
        key = (i, j)
        if key in memo:
            return memo[key]
        if i == len(exp):
            r = j == len(act)
        elif exp[i].strip() == "...":
            r = any(go(i + 1, k) for k in range(j, len(act) + 1))
        elif j < len(act) and (exp[i] == act[j] or (exp[i].endswith(" ...") and act[j].startswith(exp[i][:-4]))):
            r = go(i + 1, j + 1)
        else:
            r = False
        memo[key] = r
        return r

    sys.setrecursionlimit(10000)
    return go(0, 0)


def abridged(old, actual):
    """New expected lines: the actual output, abridged where the old one was."""
    dots = [i for i, x in enumerate(old) if x.strip() == "..."]
    if not dots:
        return actual
    head, tail = dots[0], len(old) - 1 - dots[-1]
    if head + tail >= len(actual):
        return actual
    return actual[:head] + [old[dots[0]]] + (actual[len(actual) - tail:] if tail else [])


def run_file(repo, path, scratch, update=False):
    fails, ran, skipped = [], 0, 0
    edits = []  # (first body line index in the file, old body length, new body lines)
    rel = os.path.relpath(path, repo)
    text = open(path, encoding="utf-8").read()
    for n, line in enumerate(text.split("\n"), 1):
        if BOOKKEEPING.search(line):
            fails.append(f"{rel}:{n}: speaks of internal bookkeeping: {line.strip()[:80]}")
        for target in LINK.findall(line):
            if re.match(r"^[a-z]+:", target):
                continue
            full = os.path.normpath(os.path.join(os.path.dirname(path), target))
            if not os.path.exists(full):
                fails.append(f"{rel}:{n}: links {target}, which is not in the repository")
    for start, info, body in blocks(path):
        if not body or not body[0].startswith("$ "):
            continue
        if info == "console-skip":
            skipped += 1
            continue
        steps = parse_transcript(body)
        if steps is None:
            fails.append(f"{rel}:{start}: a transcript block must hold only '$ ' commands and their output")
            continue
        new_body = []
        cmd_lines = iter_commands(body)
        for (cmd, expected), raw_cmd in zip(steps, cmd_lines):
            new_body += raw_cmd
            ran += 1
            try:
                env = dict(os.environ, BITCYCLE_NO_PROGRESS="1", COLUMNS="100")
                for k in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES"):
                    env.pop(k, None)  # an example's make runs on its own, as a reader's would
                p = subprocess.run(["bash", "-c", cmd], cwd=repo if cmd.startswith("make ") else scratch,
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=600, env=env)
                out = p.stdout.decode("utf-8", "replace").split("\n")
            except subprocess.TimeoutExpired:
                fails.append(f"{rel}:{start}: '{cmd}' did not finish in 600 s")
                continue
            while out and out[-1] == "":
                out.pop()
            ok = matches(expected, out)
            new_body += expected if ok else abridged(expected, out)
            if not ok and update:
                continue
            if not ok:
                shown = "\n      ".join(out[:40])
                want = "\n      ".join(expected[:40])
                fails.append(f"{rel}:{start}: output of '{cmd}' differs\n    expected:\n      {want}\n"
                             f"    got:\n      {shown}")
        if update and new_body != body:
            edits.append((start - 1, len(body), new_body))
    if update and edits:
        lines = text.split("\n")
        for first, n, new in sorted(edits, reverse=True):
            lines[first:first + n] = new
        with open(path, "w", encoding="utf-8") as f:
            f.write("\n".join(lines))
        print(f"doctest: updated {len(edits)} examples in {rel}")
    return fails, ran, skipped


def iter_commands(body):
    """The raw lines of each command (with its continuation lines)."""
    out, i = [], 0
    while i < len(body):
        if body[i].startswith("$ "):
            raw = [body[i]]
            while raw[-1].endswith("\\") and i + 1 < len(body):
                i += 1
                raw.append(body[i])
            out.append(raw)
        i += 1
    return out


def main():
    args = sys.argv[1:]
    update = "--update" in args
    args = [a for a in args if a != "--update"]
    repo = os.path.abspath(args[0] if args else ".")
    files = args[1:] or [os.path.join(repo, "README.md")] + sorted(
        os.path.join(repo, "docs", f) for f in os.listdir(os.path.join(repo, "docs")) if f.endswith(".md"))
    fails, ran, skipped = [], 0, 0
    with tempfile.TemporaryDirectory(prefix="bitcycle-doctest-") as scratch:
        for d in ("build", "docs", "tests", "waveforms", "rtl", "firmware", "driver", "host", "sim"):
            if os.path.exists(os.path.join(repo, d)):
                os.symlink(os.path.join(repo, d), os.path.join(scratch, d))
        for f in files:
            fl, r, s = run_file(repo, os.path.abspath(f), scratch, update)
            fails += fl
            ran += r
            skipped += s
    for f in fails:
        print("FAIL: " + f)
    print(f"doctest: {ran} commands in {len(files)} files ({skipped} blocks marked console-skip)")
    print(f"doctest: {ran - len([f for f in fails if 'output of' in f])} passed, {len(fails)} failed")
    return 1 if fails else 0


if __name__ == "__main__":
    sys.exit(main())
