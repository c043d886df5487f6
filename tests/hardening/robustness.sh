#!/usr/bin/env bash
# The bad-input suite: runs every case of robustness.cases and asserts the
# exit code (non-zero, < 128, not a timeout), the needles in the error message,
# no sanitizer report and no output file (nor a temporary one). Then checks
# that the table in docs/robustness.md is the one generated from the cases
# (--update rewrites it).
# usage: robustness.sh BITCYCLE PROBE WORKDIR [--update]
set -u
export BC=$1 PROBE=$2
work=$3
update=${4:-}
here=$(cd "$(dirname "$0")" && pwd)
cases=${CASES:-$here/robustness.cases}
doc=$here/../../docs/robustness.md
rm -rf "$work" && mkdir -p "$work"
export F=$work/fx
python3 "$here/make_fixtures.py" "$F" || { echo "robustness: cannot write the fixtures"; exit 1; }
export BITCYCLE_NO_PROGRESS=1 ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
pass=0 fail=0 i=0
table=$work/table.md
table_head() {
    echo "| surface | bad input | outcome (checked by \`make test-robustness\`) |"
    echo "|---|---|---|"
}
table_head >"$table"

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; s=${s%"${s##*[![:space:]]}"}; printf '%s' "$s"; }

while IFS= read -r line; do
    # "## Class": the cases that follow form the table of that class
    case "$line" in '## '*) printf '\n### %s\n\n' "${line#'## '}" >>"$table"; table_head >>"$table"; continue ;; esac
    case "$line" in '#'* | '') continue ;; esac
    IFS='|' read -r surface what want needles cmd <<<"$line"
    surface=$(trim "$surface") what=$(trim "$what") want=$(trim "$want") needles=$(trim "$needles") cmd=$(trim "$cmd")
    i=$((i + 1))
    export OUT=$work/out-$i.txt
    timeout 20 bash -c "$cmd" >"$work/$i.stdout" 2>"$work/$i.stderr"
    rc=$?
    why=""
    if [ $rc -eq 124 ]; then why="hung (killed after 20 s)"
    elif [ $rc -ge 128 ]; then why="crashed (exit $rc)"
    elif [ $rc -ne "$want" ]; then why="exit $rc, expected $want"
    elif grep -qE 'runtime error:|ERROR: AddressSanitizer|ERROR: LeakSanitizer' "$work/$i.stderr"; then why="sanitizer report"
    elif [ ! -s "$work/$i.stderr" ]; then why="no error message"
    elif [ -e "$OUT" ] || compgen -G "$OUT.tmp*" >/dev/null; then why="left an output file"
    fi
    if [ -z "$why" ]; then
        IFS=';' read -r -a list <<<"$needles"
        for n in "${list[@]}"; do
            n=$(trim "$n")
            full=${n//\$F/$F}
            if ! grep -qF -- "$full" "$work/$i.stderr"; then why="message lacks '$full'"; break; fi
        done
    fi
    if [ -z "$why" ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "FAIL: [$surface] $what: $why"
        echo "   command: $cmd"
        sed 's/^/   stderr: /' "$work/$i.stderr" | head -5
    fi
    printf '| %s | %s | exit %s, message names %s |\n' "$surface" "$what" "$want" \
        "$(printf '%s' "$needles" | sed -e 's/\$F\///g' -e 's/ *; */`, `/g' -e 's/^/`/' -e 's/$/`/')" >>"$table"
done <"$cases"

if [ "$update" = "--no-doc" ]; then
    echo "robustness: $pass passed, $fail failed"
    [ $fail -eq 0 ]; exit
fi
# The table in docs/robustness.md between the markers must be this one.
begin='<!-- begin generated table: tests/hardening/robustness.sh -->'
end='<!-- end generated table -->'
if [ "$update" = "--update" ]; then
    awk -v b="$begin" -v e="$end" -v t="$table" '
        $0 == b { print; while ((getline l < t) > 0) print l; skip = 1; next }
        $0 == e { skip = 0 }
        !skip' "$doc" >"$doc.tmp" && mv "$doc.tmp" "$doc"
    echo "robustness: rewrote the table in docs/robustness.md"
fi
awk -v b="$begin" -v e="$end" '$0 == e { on = 0 } on; $0 == b { on = 1 }' "$doc" >"$work/doc-table.md"
if cmp -s "$table" "$work/doc-table.md"; then
    pass=$((pass + 1))
else
    fail=$((fail + 1))
    echo "FAIL: docs/robustness.md table is stale: run 'make robustness-doc'"
    diff "$work/doc-table.md" "$table" | head -10
fi
echo "robustness: $pass passed, $fail failed"
[ $fail -eq 0 ]
