#!/usr/bin/env bash
# Runs the libFuzzer targets.
# usage: run_fuzz.sh FUZZ_BUILD FUZZ_DIR SECONDS "TARGETS" ""|--smoke [EXTRA_SEED_DIR...]
#   --smoke: first replay every crash regression in FUZZ_DIR/regress/T/ (each
#   must now pass), then fuzz from the committed seeds only, into a scratch
#   corpus, with a fixed seed. Otherwise the corpus in FUZZ_BUILD/corpus/T
#   grows across runs. Crashes are written to FUZZ_BUILD/crashes/T-*; copy
#   one to FUZZ_DIR/regress/T/ to make it a regression.
set -u
build=$1 dir=$2 secs=$3 targets=$4
mode=${5:-}
shift 4
[ $# -gt 0 ] && shift
extra=("$@")
pass=0 fail=0
mkdir -p "$build/crashes" "$build/logs"
stats=$build/stats.txt
[ "$mode" = "--smoke" ] || : >"$stats"
export ASAN_OPTIONS=detect_leaks=1:allocator_may_return_null=1 UBSAN_OPTIONS=print_stacktrace=1
for t in $targets; do
    bin=$build/fuzz_$t
    seeds=$dir/corpus/$t
    if [ "$mode" = "--smoke" ]; then
        # 1. crash regressions: each file runs once and must not crash
        if compgen -G "$dir/regress/$t/*" >/dev/null; then
            if "$bin" -runs=1 "$dir"/regress/"$t"/* >"$build/logs/$t-regress.log" 2>&1; then
                pass=$((pass + 1))
            else
                fail=$((fail + 1)); echo "FAIL: fuzz_$t crash regression reproduces:"; grep -m5 -E 'ERROR|runtime error|Running' "$build/logs/$t-regress.log"
            fi
        fi
        corpus=$build/smoke/$t
        rm -rf "$corpus"
        flags=(-seed="${SEED:-1}")
    else
        corpus=$build/corpus/$t
        flags=()
    fi
    mkdir -p "$corpus"
    more=()
    if [ "$t" = wave ]; then
        for e in "${extra[@]+"${extra[@]}"}"; do [ -d "$e" ] && more+=("$e"); done
    fi
    log=$build/logs/$t.log
    # wave forks a child per FST file (host/wave/wave_fst.c): allow for slow
    # forks of a large ASan process, and let the child's allocations fail by
    # returning NULL instead of libFuzzer's malloc limit
    limits=(-timeout=10 -rss_limit_mb=2048)
    [ "$t" = wave ] && limits=(-timeout=60 -rss_limit_mb=0)
    "$bin" "${flags[@]+"${flags[@]}"}" -max_total_time="$secs" "${limits[@]}" -max_len=65536 \
        -print_final_stats=1 -artifact_prefix="$build/crashes/$t-" "$corpus" "$seeds" "${more[@]+"${more[@]}"}" \
        >"$log" 2>&1
    rc=$?
    execs=$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' | tail -1)
    if [ $rc -eq 0 ]; then
        pass=$((pass + 1))
        echo "fuzz_$t: ${execs:-?} runs in ${secs} s, no crash"
        [ "$mode" = "--smoke" ] || echo "$t $secs ${execs:-0}" >>"$stats"
    else
        fail=$((fail + 1))
        echo "FAIL: fuzz_$t found a crash (exit $rc; log $log):"
        grep -m8 -E 'ERROR|runtime error|SUMMARY|Test unit written|==[0-9]+==' "$log"
    fi
done
echo "fuzz${mode:+-smoke}: $pass passed, $fail failed"
[ $fail -eq 0 ]
