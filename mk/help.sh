#!/usr/bin/env bash
# make help: every target with a `## text` comment, grouped by purpose (the
# group comes from the target's name), then the variables. Reads the make
# fragments only; writes nothing.
set -euo pipefail
grep -hE '^[a-zA-Z0-9_./%-]+:.*## ' "$@" | grep -v '^\$' | sort -u | awk '
BEGIN { FS = ":.*## "
  n = split("start test bench docs waveforms internals", order, " ")
  title["start"] = "Start here"; title["test"] = "Tests and checks (make test runs the suites it lists in TEST_TARGETS)"
  title["bench"] = "Benchmarks (reports only, assert nothing)"; title["docs"] = "Docs and generated files"
  title["waveforms"] = "Waveforms"; title["internals"] = "Internals (single parts, libraries, tools)" }
function group(t) {
  if (t ~ /^(all|help|deps|deps-check|data|demo|clean|test)$/ || t ~ /-demo$/) return "start"
  if (t ~ /^(wave|lint-waveforms)/) return "waveforms"
  if (t ~ /^(test|soak|memcheck|fuzz|coverage|lint|synth)/) return "test"
  if (t ~ /^bench/) return "bench"
  if (t ~ /^(regs|docs)/ || t ~ /-doc$/) return "docs"
  return "internals" }
{ g = group($1); line[g] = line[g] sprintf("  %-24s %s\n", $1, $2) }
END { for (i = 1; i <= n; i++) if (order[i] in line) printf "%s:\n%s\n", title[order[i]], line[order[i]] }'
cat <<'VARS'
Variables (make VAR=value target):
  SEED=N          seed of every randomised suite (default 1); a failure prints the seed to replay
  TRACE=1         write FST traces of the RTL regressions into build/
  FAST=1          the short subset of the RTL regressions
  SAN=1           build with ASan+UBSan (make test-san does this in build/san)
  JOBS=N          parallel jobs of make test / make demo when no -j is given (default: all cores)
  BC_BACKENDS=..  HAL backends built into the host tool and tests (default "fsim sim vp")
  BUILD=dir       build directory (default build)
  FUZZ_SECONDS=N  seconds per libFuzzer target in make fuzz (default 60)
  WAVE_VCD=1 WAVE_START=N WAVE_END=N WAVE_TRIGGER=N   options of the waveform scenarios
VARS
