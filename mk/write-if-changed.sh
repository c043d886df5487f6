#!/usr/bin/env bash
# write-if-changed.sh FILE TEXT: write TEXT to FILE only when it differs, so a
# stamp file's time changes exactly when the settings it records change.
set -euo pipefail
f=$1; shift
if [ ! -f "$f" ] || [ "$(cat "$f")" != "$*" ]; then printf '%s\n' "$*" > "$f.tmp" && mv "$f.tmp" "$f"; fi
