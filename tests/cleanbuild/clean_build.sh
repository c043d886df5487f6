#!/usr/bin/env bash
# Clean-clone build check: clone HEAD into a temporary directory and run the
# build there as a newcomer would: `make -n test` and `make help` (must work
# and write nothing), then `make -j2 all`, then a no-op rebuild. Catches
# missing prerequisites that only an existing build/ hides.
#   clean_build.sh REPO LOGDIR
set -euo pipefail
mkdir -p "$2"
repo=$(cd "$1" && pwd) logs=$(cd "$2" && pwd)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/bitcycle-clean.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
pass=0 fail=0
ok() { pass=$((pass + 1)); echo "clean-build: ok: $*"; }
bad() { fail=$((fail + 1)); echo "clean-build: FAIL: $*"; }

git clone -q --no-hardlinks "$repo" "$tmp/src"
cd "$tmp/src"
echo "clean-build: HEAD $(git rev-parse --short HEAD) cloned into $tmp/src"

# A dry run and the help list work on a fresh tree and write nothing.
if make -n test >"$logs/dry-run.log" 2>&1 && make help >"$logs/help.log" 2>&1; then
    if [ -e build ]; then bad "make -n test / make help created build/"; else ok "make -n test and make help, nothing written"; fi
else
    bad "make -n test or make help failed (log $logs/dry-run.log)"; tail -20 "$logs/dry-run.log"
fi

start=$(date +%s)
if make -j2 all >"$logs/all.log" 2>&1 && [ -x build/bitcycle ]; then
    ok "make -j2 all in $(( $(date +%s) - start )) s"
else
    bad "make -j2 all failed (log $logs/all.log)"; tail -30 "$logs/all.log"
fi

# A second run has nothing to do: every target's prerequisites are complete.
if out=$(make -j2 all 2>&1) && [[ "$out" == *"Nothing to be done"* ]]; then ok "no-op rebuild"; else
    bad "second make -j2 all was not a no-op:"; echo "$out" | head -10; fi

echo "clean-build: $pass passed, $fail failed"
[ $fail -eq 0 ]
