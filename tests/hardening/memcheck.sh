#!/usr/bin/env bash
# valgrind memcheck over the host tool's main paths. Each run must exit 0
# with no memcheck error (--error-exitcode) and no definite leak.
# usage: memcheck.sh BITCYCLE WORKDIR FIXTURE_DIR DATA_DIR
set -u
bin=$1 work=$2 fix=$3 data=$4
rm -rf "$work" && mkdir -p "$work"
export BITCYCLE_NO_PROGRESS=1
pass=0 fail=0
VG=(valgrind --tool=memcheck --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite
    --show-leak-kinds=definite --track-fds=no --child-silent-after-fork=no -q)
# NO_VALGRIND=1: the same runs without valgrind (make coverage-c uses them as the host's main paths)
if [ -n "${NO_VALGRIND:-}" ]; then VG=(env); fi

run() { # run NAME ARGS...
    local name=$1; shift
    timeout 300 "${VG[@]}" $([ -z "${NO_VALGRIND:-}" ] && echo --log-file="$work/$name.vg") "$bin" "$@" >"$work/$name.out" 2>"$work/$name.err"
    local rc=$?
    if [ $rc -eq 0 ] && [ ! -s "$work/$name.vg" ]; then
        pass=$((pass + 1)); echo "memcheck: $name clean"
    else
        fail=$((fail + 1)); echo "memcheck: $name FAILED (exit $rc): bitcycle $*"
        head -30 "$work/$name.vg" "$work/$name.err"
    fi
}

run estimate estimate --no-calibrate --model resnet20-cifar --iters 64000 --schedule cpt:3-8 -o "$work/est.txt"
run estimate-json estimate --no-calibrate --model mlp --epochs 2 --json --energy host/est/energy-45nm.tbl -o "$work/est.json"
run schedule schedule --schedule cos-tri:2-6 --iters 2000 --cycles 4 --csv -o "$work/sched.csv"
run model-show model show mobilenetv2-cifar --json
run model-list model list
run train-digits-fsim train --backend fsim --data digits --data-dir "$data" --iters 6 --batch 32 --test-limit 64
run wave-switches-fst wave switches "$fix/fixture.fst" --json
run wave-switches-vcd wave switches "$fix/fixture.vcd"
# error paths free what they allocated too
printf 'Layer, M, N, K\nfc1, 1, 0, 784\n' >"$work/bad.csv"
run_err() { # run_err NAME ARGS...: must fail cleanly (exit 1 or 2), no memcheck error
    local name=$1; shift
    timeout 300 "${VG[@]}" $([ -z "${NO_VALGRIND:-}" ] && echo --log-file="$work/$name.vg") "$bin" "$@" >"$work/$name.out" 2>"$work/$name.err"
    local rc=$?
    if { [ $rc -eq 1 ] || [ $rc -eq 2 ]; } && [ ! -s "$work/$name.vg" ]; then
        pass=$((pass + 1)); echo "memcheck: $name clean (exit $rc)"
    else
        fail=$((fail + 1)); echo "memcheck: $name FAILED (exit $rc): bitcycle $*"
        head -30 "$work/$name.vg" "$work/$name.err"
    fi
}
run_err estimate-bad-topology estimate --no-calibrate --topology "$work/bad.csv"
run_err wave-missing wave switches "$work/none.fst"
echo "memcheck: $pass passed, $fail failed"
[ $fail -eq 0 ]
