#!/usr/bin/env bash
# Install the Debian packages named on the command line that are missing.
# --check: only report them (exit 1 when any is missing), never install.
set -euo pipefail
check=0
if [ "${1:-}" = --check ]; then check=1; shift; fi
missing=()
for p in "$@"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  [ $check = 1 ] || echo "deps: all ${#} packages present"
  exit 0
fi
cmd="apt-get install -y --no-install-recommends ${missing[*]}"
if [ $check = 1 ]; then
  echo "deps: missing packages: ${missing[*]}; install them with: make deps" >&2
  exit 1
fi
if [ "$(id -u)" != 0 ]; then
  echo "deps: missing packages: ${missing[*]}" >&2
  echo "deps: run as root:  apt-get update && $cmd" >&2
  exit 1
fi
echo "deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "deps: installed ${#missing[@]} packages"
