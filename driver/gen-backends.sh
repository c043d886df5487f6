#!/usr/bin/env bash
# gen-backends.sh OUT NAME...: the backend list of this build (make variable
# BC_BACKENDS) as a C header for the registry (driver/hal/bc_backend.c).
# Runs only when the stamp of BC_BACKENDS changed (driver/driver.mk).
set -euo pipefail
out=$1; shift
for b in "$@"; do
  [[ $b =~ ^[a-z][a-z0-9_]*$ ]] || { echo "gen-backends: backend name '$b' in BC_BACKENDS is not a lower-case identifier" >&2; exit 2; }
done
text="/* Generated from the make variable BC_BACKENDS; do not edit. */
#ifndef BC_BACKENDS_H
#define BC_BACKENDS_H
#define BC_BACKEND_NAMES \"$*\"
$(for b in "$@"; do echo "#define BC_BACKEND_HAVE_$(echo "$b" | tr a-z A-Z) 1"; done)
#endif"
printf '%s\n' "$text" > "$out.tmp" && mv "$out.tmp" "$out"
