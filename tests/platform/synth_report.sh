#!/usr/bin/env bash
# Summarise Yosys `stat` outputs of bitcycle_top into markdown.
# usage: synth_report.sh LABEL DM DN DK GENERIC_STAT XILINX_STAT OUT.md
set -euo pipefail
label=$1 dm=$2 dn=$3 dk=$4 gen=$5 xil=$6 out=$7
for f in "$gen" "$xil"; do
    [ -s "$f" ] || { echo "synth_report: $f missing or empty (yosys failed?)" >&2; exit 1; }
done
# the last "=== design hierarchy ===" block (or the only module) holds the totals
total() { awk -v pat="$2" '
    /=== design hierarchy ===/ {h=1}
    { if (match($0, "^ +" pat " +[0-9]+")) { n=$NF; if (h) th=n; else m+=n } }
    END { if (th != "") print th; else print (m ? m : 0) }' "$1"; }
sumpat() { awk -v pat="$2" '
    /=== design hierarchy ===/ {h=1; hs=0}
    { if ($1 ~ pat && $2 ~ /^[0-9]+$/) { if (h) hs+=$2; else s+=$2 } }
    END { print (h ? hs : s) }' "$1"; }
g_cells=$(total "$gen" "Number of cells:")
g_ff=$(sumpat "$gen" '^\$_(S?DFF|DFFE|SDFF|SDFFE|SDFFCE|ALDFF|DFFSR|DLATCH)')
g_mem=$(sumpat "$gen" '^\$mem_v2$')
x_lut=$(sumpat "$xil" '^LUT[1-6]$')
x_ff=$(sumpat "$xil" '^FD[A-Z]*$')
x_bram=$(sumpat "$xil" '^RAMB(18|36)E1$')
x_lutram=$(sumpat "$xil" '^RAM(32|64|128|256)[A-Z0-9]*$')
x_dsp=$(sumpat "$xil" '^DSP48E1$')
x_carry=$(sumpat "$xil" '^CARRY4$')
bops=$((2 * dm * dn * dk))
per_lut=$(awk -v b=$bops -v l=$x_lut 'BEGIN{ if (l>0) printf "%.3f", b/l; else print "n/a" }')
tmp="$out.tmp.$$"
{
    echo "### $label (DM=$dm, DN=$dn, DK=$dk)"
    echo
    echo "| flow | LUT | FF | BRAM (RAMB18/36) | LUTRAM | DSP | CARRY4 | generic cells |"
    echo "|---|---|---|---|---|---|---|---|"
    echo "| Yosys \`synth\` (generic gates; $g_mem memories kept as \`\$mem_v2\`) | - | $g_ff | - | - | - | - | $g_cells |"
    echo "| Yosys \`synth_xilinx\` (7-series) | $x_lut | $x_ff | $x_bram | $x_lutram | $x_dsp | $x_carry | - |"
    echo
    echo "Peak binary operations per cycle: 2 x DM x DN x DK = $bops (AND + popcount-accumulate per bit);"
    echo "per LUT: $per_lut."
} >"$tmp"
mv "$tmp" "$out"
cat "$out"
[ "${g_cells:-0}" -gt 0 ] && [ "${x_lut:-0}" -gt 0 ] && [ "${x_ff:-0}" -gt 0 ]
