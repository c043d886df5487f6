#!/usr/bin/env bash
# make wave-view SCENARIO=name: open a scenario's trace in GTKWave with its save file
# (groups and switch markers), or explain how when there is no display.
set -euo pipefail
dir=${1:?usage: wave_view.sh build/waveforms SCENARIO}
scn=${2:-}
if [ -z "$scn" ]; then
  echo "wave-view: name a scenario: make wave-view SCENARIO=queue   (queue, stall, cpt, error)" >&2
  exit 2
fi
save="$dir/$scn.gtkw"
if [ ! -f "$save" ]; then
  if [ ! -f "waveforms/$scn.gtkw" ]; then
    echo "wave-view: no scenario '$scn' (waveforms/*.gtkw: $(cd waveforms && ls *.gtkw 2>/dev/null | sed 's/\.gtkw//' | tr '\n' ' '))" >&2
    exit 2
  fi
  echo "wave-view: $save does not exist yet; run 'make wave' first" >&2
  exit 1
fi
if ! command -v gtkwave >/dev/null; then
  echo "wave-view: gtkwave is not installed (make deps installs it)" >&2
  exit 1
fi
if [ -n "${DISPLAY:-}" ]; then
  exec gtkwave "$save"
fi
cat <<MSG
wave-view: no display (DISPLAY is not set), so GTKWave cannot open a window here.
  On a machine with a display:      gtkwave $save
  Headless, scripted (Tcl) checks:  xvfb-run -a gtkwave -S script.tcl $save
  A picture without GTKWave:        build/bitcycle wave render $dir/$scn.fst --span 24 -o $scn.png
  The switch table:                 build/bitcycle wave switches $dir/$scn.fst
MSG
